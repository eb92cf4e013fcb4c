package pipeline

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/pipeline/internal/cache"
	"github.com/steward-ssg/steward/generator/pipeline/internal/filelock"
)

// Output is where a build's files go. The caller chooses one: NewMemory
// keeps them in memory (the dev server serves them from there), NewFolder
// writes them to a folder, atomically (the command line). The pipeline
// hands every file to either in the same way: open, then reuse and write
// (safe for concurrent use), then commit and close once the build
// succeeded, or abort. Its methods are the pipeline's own.
type Output interface {
	// open prepares a build; disk is the persistent cache, or nil.
	open(disk manifests) error
	// reuse reports whether the previous build's file at p came from data
	// with fingerprint fp and is still there; the output then keeps it and
	// the caller need not render it.
	reuse(p string, fp [32]byte) bool
	// write delivers a file's bytes and the fingerprint they came from.
	write(p string, data []byte, fp [32]byte) error
	// keeps reports whether write keeps data after it returns (to serve
	// it), so that a caller who uses its buffer again must copy it.
	keeps() bool
	// commit makes the build's files the output, once the whole build
	// succeeded, and returns how many it was given anew.
	commit(disk manifests) (int, error)
	// close ends a committed build; recorded tells that the persistent
	// cache, if any, saved what commit told it.
	close(recorded bool)
	// abort drops what a failed build delivered; the output stays as it was.
	abort()
}

// manifests is what an output needs of the persistent cache: what each
// output folder (by absolute path) held when a build last wrote it, by
// slash path, so that a build need not render or write again a file still
// there unchanged, nor walk the folder to find what to remove.
type manifests interface {
	Outputs(abs string) map[string]cache.OutRecord
	SetOutputs(abs string, m map[string]cache.OutRecord)
}

// Memory is an Output that keeps the site in memory, reusing from the last
// site it holds the files whose fingerprint is unchanged.
type Memory struct {
	last *Site
	mu   sync.Mutex
	// files are the build's files, until commit makes them a Site.
	files map[string]memFile
	given []string // the paths written (not reused), in no order
}

// memFile is one output file of an in-memory build.
type memFile struct {
	data []byte
	fp   [32]byte
}

// NewMemory returns an empty in-memory output.
func NewMemory() *Memory { return &Memory{} }

// Site returns the site of the last build that succeeded, or nil.
func (m *Memory) Site() *Site { return m.last }

func (m *Memory) open(manifests) error {
	n := 0
	if m.last != nil {
		n = len(m.last.files)
	}
	m.files, m.given = make(map[string]memFile, n), nil
	return nil
}

func (m *Memory) reuse(p string, fp [32]byte) bool {
	if m.last == nil {
		return false
	}
	f, ok := m.last.files[p]
	if !ok || f.fp != fp {
		return false
	}
	m.mu.Lock()
	m.files[p] = f
	m.mu.Unlock()
	return true
}

func (m *Memory) write(p string, data []byte, fp [32]byte) error {
	// A page is rendered into a buffer sized ahead for the default theme;
	// what is kept for serving does not keep much more room than it
	// uses (a small theme's list pages would hold 16 KB each).
	if cap(data)-len(data) > len(data)/4 {
		data = bytes.Clone(data)
	}
	m.mu.Lock()
	m.files[p] = memFile{data, fp}
	m.given = append(m.given, p)
	m.mu.Unlock()
	return nil
}

func (m *Memory) keeps() bool { return true }

func (m *Memory) commit(manifests) (int, error) {
	slices.Sort(m.given)
	if m.last != nil {
		m.last.prev = nil // a site keeps the one before it, not every one
	}
	s := &Site{files: m.files, prev: m.last, given: m.given}
	if l := m.last; l != nil && len(l.paths) == len(m.files) && hasAll(m.files, l.paths) {
		// The same paths as the last site's (a rebuild after an edit):
		// sorting 14,000 of them again was a few milliseconds of it.
		s.paths = l.paths
	} else {
		s.paths = slices.Sorted(maps.Keys(m.files))
	}
	m.last, m.files, m.given = s, nil, nil
	return len(s.given), nil
}

// hasAll reports whether files holds every one of paths.
func hasAll(files map[string]memFile, paths []string) bool {
	for _, p := range paths {
		if _, ok := files[p]; !ok {
			return false
		}
	}
	return true
}

func (m *Memory) close(bool) {}

func (m *Memory) abort() { m.files = nil }

// Folder is an Output that writes to a destination folder. New and changed
// files go to a staging folder beside it; commit moves them in (each by one
// atomic rename) only after the whole build succeeded, then removes what
// the new site lacks. Unchanged files are not touched and keep their
// modification time. A Folder serves one build at a time.
type Folder struct {
	dest, abs string
	staging   string
	lock      *filelock.Lock // on dest, held until close or abort
	// marker exists beside dest from the first file a commit moves in
	// until the cache has recorded the folder's new contents; a build that
	// finds it does not trust the cache's record (see open).
	marker string
	prev   map[string]cache.OutRecord // from the cache: the folder as last written
	// fresh is set when dest did not exist at open: no file of it can be
	// kept, so write does not look for one.
	fresh bool
	// checked is closed once every file of prev has been stat'ed (see
	// check); stale then holds those not as recorded.
	checked chan struct{}
	stale   map[string]bool
	stop    atomic.Bool // set by abort: the check may end early

	mu      sync.Mutex
	keep    map[string]cache.OutRecord // files already in dest with the right bytes
	staged  map[string]cache.OutRecord // files written to staging
	made    map[string]bool            // folders made in staging (an essay's page and card share one)
	written int
}

// NewFolder returns the output folder dest. It is checked when a build
// opens it: a file, or a folder of files that is not a built site, is
// refused (an *OptionError naming Destination).
func NewFolder(dest string) *Folder { return &Folder{dest: filepath.Clean(dest)} }

func (o *Folder) open(disk manifests) error {
	dest := o.dest
	abs, err := filepath.Abs(dest)
	if err != nil {
		return err
	}
	fi, err := os.Stat(dest)
	o.fresh = errors.Is(err, fs.ErrNotExist)
	if err == nil {
		if !fi.IsDir() {
			return &OptionError{Option: "Destination", Value: dest, Reason: "exists and is not a folder; remove it or choose another output folder"}
		}
		if err := looksLikeOutput(dest); err != nil {
			return err
		}
	}
	parent, base := filepath.Dir(abs), filepath.Base(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	// Every build of dest holds this lock from before it stages until it
	// has committed or given up, so a staging folder found while holding
	// it belongs to no running build.
	lock, err := filelock.TryLock(filepath.Join(parent, "."+base+".lock"))
	if errors.Is(err, filelock.ErrLocked) {
		return fmt.Errorf("another build is writing to %s; wait for it to finish", dest)
	}
	if err != nil {
		return fmt.Errorf("locking %s: %w", dest, err)
	}
	removeLeftovers(parent, base)
	staging, err := os.MkdirTemp(parent, stagingPrefix(base))
	if err != nil {
		lock.Unlock()
		return err
	}
	o.abs, o.staging, o.lock, o.marker = abs, staging, lock, filepath.Join(parent, "."+base+".committing")
	o.keep, o.staged, o.made, o.written, o.prev = map[string]cache.OutRecord{}, map[string]cache.OutRecord{}, map[string]bool{}, 0, nil
	o.checked, o.stale = nil, nil
	o.stop.Store(false)
	if _, err := os.Lstat(o.marker); err == nil {
		// A build was killed while it moved files in, before the cache
		// recorded them: its record lacks files that dest holds, so the
		// folder is walked instead.
		return nil
	}
	if disk != nil {
		o.prev = disk.Outputs(abs)
		if fi, err := os.Lstat(dest); err != nil || o.prev[rootKey] != rootRecord(fi) {
			// Another build wrote dest since this record was made, without
			// keeping it (--no-cache, another cache folder): files only it
			// wrote are in no record, so the folder is walked.
			o.prev = nil
		}
	}
	if o.prev != nil {
		o.check()
	}
	return nil
}

// check stats every file of the record in the background, on all cores,
// while the build reads and plans the site: reuse then only looks up
// whether a file was found as recorded. A build with nothing changed
// keeps each of its files, and stat'ing them as it rendered them was a
// tenth of its time at 10,000 essays; all but a few of those stats are
// needed whatever changed, and they cost a build that renders every page
// (a theme changed) far less than the rendering.
//
// A file is stale when it is not a regular file of the recorded size and
// modification time: edited, replaced or removed by hand since the build
// that recorded it wrote it. What happens to a file after check saw it is
// no more seen than what happened after reuse stat'ed it was before: a
// file changed while a build runs is the next build's to mend.
func (o *Folder) check() {
	o.checked, o.stale = make(chan struct{}), map[string]bool{}
	paths := make([]string, 0, len(o.prev))
	for p := range o.prev {
		if p != rootKey {
			paths = append(paths, p)
		}
	}
	dir, err := openOutDir(o.dest)
	if err != nil {
		// Nothing can be trusted: every file is rendered again.
		o.prev = nil
		close(o.checked)
		return
	}
	workers := min(runtime.GOMAXPROCS(0), 1+len(paths)/256)
	var next atomic.Int64 // the next chunk of paths to stat
	const chunk = 64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var stale []string
			for !o.stop.Load() {
				lo := int(next.Add(chunk)) - chunk
				if lo >= len(paths) {
					break
				}
				for _, p := range paths[lo:min(lo+chunk, len(paths))] {
					rec := o.prev[p]
					if size, mtime, ok := dir.stat(p); !ok || size != rec.Size || mtime != rec.MTime {
						stale = append(stale, p)
					}
				}
			}
			if len(stale) > 0 {
				o.mu.Lock()
				for _, p := range stale {
					o.stale[p] = true
				}
				o.mu.Unlock()
			}
		}()
	}
	go func() {
		wg.Wait()
		dir.close()
		close(o.checked)
	}()
}

// wait waits for check to end, if it runs.
func (o *Folder) wait() {
	if o.checked != nil {
		<-o.checked
	}
}

// rootKey is the record's entry for dest itself (no output file is named
// "."): the modification time that the last build to commit set on it.
// Every build sets its own, to the nanosecond, whether or not it keeps a
// record; so a record is trusted only while its build was the last.
const rootKey = "."

// rootRecord is the record of dest as stat'ed: its modification time and,
// in place of a fingerprint, its inode and device (dest removed and built again by
// another build is another folder).
func rootRecord(fi fs.FileInfo) cache.OutRecord {
	st, _ := content.StampOf(fi) // no inode on Windows: the time alone
	r := cache.OutRecord{MTime: fi.ModTime().UnixNano()}
	binary.LittleEndian.PutUint64(r.FP[:], st.Ino)
	binary.LittleEndian.PutUint64(r.FP[8:], st.Dev)
	return r
}

// stagingPrefix begins the names of the staging folders of the output
// folder named base: .public.new-123456 beside public.
func stagingPrefix(base string) string { return "." + base + ".new-" }

// removeLeftovers removes the staging folders of builds of parent/base that
// were killed before they could remove their own (by SIGKILL, an
// out-of-memory kill, a power cut). The caller holds the output folder's
// lock, so none of them belongs to a running build. A folder that cannot
// be removed now is left for the next build to try again: it takes room
// but does no harm.
func removeLeftovers(parent, base string) {
	if !filelock.Supported {
		return // another build may be using any of them
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range entries {
		// MkdirTemp ends the name with digits: a name that goes on
		// otherwise is another folder's (.public.new-x.new-123 is the
		// staging folder of public.new-x).
		rest, ok := strings.CutPrefix(e.Name(), stagingPrefix(base))
		if e.IsDir() && ok && rest != "" && strings.Trim(rest, "0123456789") == "" {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}

// looksLikeOutput refuses to replace a non-empty folder that was not made
// by a build: an index.html marks a site.
func looksLikeOutput(dest string) error {
	entries, err := os.ReadDir(dest)
	if err != nil || len(entries) == 0 {
		return err
	}
	if _, err := os.Stat(filepath.Join(dest, "index.html")); err == nil {
		return nil
	}
	return &OptionError{Option: "Destination", Value: dest, Reason: "holds files but no index.html, so it does not look like a built site; Steward replaces what is in its output folder, so empty it or choose another"}
}

func (o *Folder) reuse(p string, fp [32]byte) bool {
	rec, ok := o.prev[p]
	if !ok || rec.FP != fp {
		return false
	}
	<-o.checked // set whenever prev is: see open
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.stale[p] {
		return false // changed or gone since we wrote it
	}
	o.keep[p] = rec
	return true
}

func (o *Folder) write(p string, data []byte, fp [32]byte) error {
	rel := filepath.FromSlash(p)
	if !filepath.IsLocal(rel) {
		return fmt.Errorf("output path %q escapes the output folder", p)
	}
	if !o.fresh {
		old := filepath.Join(o.dest, rel)
		if fi, err := os.Lstat(old); err == nil && fi.Mode().IsRegular() && fi.Size() == int64(len(data)) {
			if b, err := os.ReadFile(old); err == nil && bytes.Equal(b, data) {
				o.mu.Lock()
				o.keep[p] = cache.OutRecord{FP: fp, Size: fi.Size(), MTime: fi.ModTime().UnixNano()}
				o.mu.Unlock()
				return nil
			}
		}
	}
	out := filepath.Join(o.staging, rel)
	// Most pages are a folder of their own (essay/index.html) whose parent
	// exists: one mkdir, rather than MkdirAll's stat of the folder and of
	// its parent before it, and none for the files beside the page.
	dir := filepath.Dir(out)
	o.mu.Lock()
	made := o.made[dir]
	o.mu.Unlock()
	if !made {
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
		}
		o.mu.Lock()
		o.made[dir] = true
		o.mu.Unlock()
	}
	mtime, err := writeFile(out, data)
	if err != nil {
		return err
	}
	o.mu.Lock()
	o.staged[p] = cache.OutRecord{FP: fp, Size: int64(len(data)), MTime: mtime}
	o.written++
	o.mu.Unlock()
	return nil
}

func (o *Folder) keeps() bool { return false }

// close removes the marker once the record is saved (it stays when the
// save failed, so the next build walks dest), and releases the lock.
func (o *Folder) close(recorded bool) {
	o.wait() // (commit waited already)
	if recorded {
		os.Remove(o.marker)
	}
	o.lock.Unlock()
}

// abort removes the staging folder; dest was never touched.
func (o *Folder) abort() {
	o.stop.Store(true)
	o.wait()
	os.RemoveAll(o.staging)
	o.lock.Unlock()
}

// commit puts the new site in place, tells the cache what the folder now
// holds, and returns how many files it wrote.
func (o *Folder) commit(disk manifests) (int, error) {
	o.wait() // a build that reused nothing may not have waited
	if disk != nil {
		// Until the cache has saved the new record (see close), a build
		// killed from here on leaves dest and the record apart.
		if err := os.WriteFile(o.marker, nil, 0o644); err != nil {
			return 0, err
		}
	}
	n, err := o.put()
	if err != nil {
		return n, err
	}
	// The mark of this build on dest (see rootKey), set by every build so
	// that a record kept by any earlier one stops being trusted. The site
	// is in place by now: a folder whose times this user may not set (one
	// owned by another) is no error; this build then keeps no mark, and
	// the next walks the folder.
	now := time.Now()
	marked := os.Chtimes(o.dest, now, now) == nil
	if disk != nil {
		if fi, err := os.Lstat(o.dest); err == nil && marked {
			o.keep[rootKey] = rootRecord(fi)
		}
		disk.SetOutputs(o.abs, o.keep)
	}
	return n, nil
}

// put puts the new site in place and returns how many files it wrote.
func (o *Folder) put() (int, error) {
	defer os.RemoveAll(o.staging)
	if _, err := os.Stat(o.dest); os.IsNotExist(err) {
		// A first build: the staging folder is the whole site.
		if err := os.Chmod(o.staging, 0o755); err != nil {
			return 0, err
		}
		if err := os.Rename(o.staging, o.dest); err != nil {
			return 0, err
		}
		return o.written, o.record()
	}
	paths := slices.Sorted(maps.Keys(o.staged))
	for _, p := range paths {
		to := filepath.Join(o.dest, filepath.FromSlash(p))
		if fi, err := os.Lstat(to); err == nil && fi.IsDir() {
			if err := os.RemoveAll(to); err != nil {
				return 0, err
			}
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			// A file of the old site stands where the new one needs a folder.
			if err := removeFileAncestor(o.dest, filepath.Dir(to)); err != nil {
				return 0, err
			}
			if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
				return 0, err
			}
		}
		if err := os.Rename(filepath.Join(o.staging, filepath.FromSlash(p)), to); err != nil {
			return 0, err
		}
	}
	// Remove what the new site lacks, then folders left empty. When the
	// cache knows what the last build wrote here, that is the list to
	// check; otherwise the whole folder is walked.
	if o.prev != nil {
		var gone []string
		for p := range o.prev {
			if p == rootKey {
				continue
			}
			if _, ok := o.keep[p]; ok {
				continue
			}
			if _, ok := o.staged[p]; ok {
				continue
			}
			gone = append(gone, p)
		}
		sort.Strings(gone)
		for _, p := range gone {
			full := filepath.Join(o.dest, filepath.FromSlash(p))
			if err := os.Remove(full); err != nil && !os.IsNotExist(err) {
				return 0, err
			}
			for d := filepath.Dir(full); d != o.dest && within(d, o.dest); d = filepath.Dir(d) {
				if os.Remove(d) != nil {
					break // not empty
				}
			}
		}
		return o.written, o.record()
	}
	var dirs []string
	err := filepath.WalkDir(o.dest, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(o.dest, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." {
				dirs = append(dirs, p)
			}
			return nil
		}
		if _, ok := o.keep[rel]; ok {
			return nil
		}
		if _, ok := o.staged[rel]; ok {
			return nil
		}
		return os.Remove(p)
	})
	if err != nil {
		return 0, err
	}
	sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
	for _, d := range dirs {
		os.Remove(d) // fails, as it should, on folders that still hold files
	}
	return o.written, o.record()
}

// writeFile writes data to a new file at name, as os.WriteFile does, and
// returns the file's modification time as its open descriptor tells it,
// or 0 where that may not be the time it keeps (see below). A rename does
// not change the time, so this is the time the next build finds in the
// output folder: a stat of the open file here, rather than of its path
// after the commit (which looks up every folder on the way, and which the
// commit did for each file in turn), is some 10 µs less a file.
func writeFile(name string, data []byte) (int64, error) {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return 0, err
	}
	_, err = f.Write(data)
	var mtime int64
	// Windows may set the time again when the file is closed: there,
	// record stats the file once it is in place.
	if err == nil && runtime.GOOS != "windows" {
		var fi fs.FileInfo
		if fi, err = f.Stat(); err == nil {
			mtime = fi.ModTime().UnixNano()
		}
	}
	if err1 := f.Close(); err1 != nil && err == nil {
		err = err1
	}
	return mtime, err
}

// record completes the records of the files written, so the next build
// can trust them: the modification time of those writeFile could not
// tell.
func (o *Folder) record() error {
	for p, rec := range o.staged {
		if rec.MTime != 0 {
			o.keep[p] = rec
			continue
		}
		fi, err := os.Lstat(filepath.Join(o.dest, filepath.FromSlash(p)))
		if err != nil {
			return err
		}
		rec.MTime = fi.ModTime().UnixNano()
		o.keep[p] = rec
	}
	return nil
}

// removeFileAncestor removes the first regular file on the way from root
// down to dir.
func removeFileAncestor(root, dir string) error {
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return err
	}
	p := root
	for _, seg := range strings.Split(rel, string(filepath.Separator)) {
		p = filepath.Join(p, seg)
		if fi, err := os.Lstat(p); err == nil && !fi.IsDir() {
			return os.Remove(p)
		}
	}
	return nil
}
