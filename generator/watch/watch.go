// Package watch owns noticing that a site's sources changed: recursive
// fsnotify watches of the entries of a folder its caller names (for a
// site: site.yaml, content/, layouts/ and static/; folders that appear are
// watched and the files already in them reported, folders removed or
// renamed are unwatched), atomic saves, editor temporaries and chmod-only
// events ignored, debouncing of bursts into batches, and a polling
// fallback when inotify runs out of watches or polling is asked for. It
// knows nothing of what a change means, nor which files a site has; it
// emits batches of paths.
package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Batch is one debounced set of changes: sorted, de-duplicated paths
// relative to the source folder, slash-separated ("content/essay.md").
// A path may name a folder (one removed or renamed away) or a file that no
// longer exists; consumers rebuild rather than trust it to be complete.
type Batch []string

// Options tune a Watcher. The zero value is ready to use.
type Options struct {
	// Poll, when positive, forces polling every Poll instead of using
	// fsnotify (for network drives and containers where events are lost).
	Poll time.Duration
	// Quiet is how long no event must arrive before a batch is emitted;
	// zero means 10 ms: an editor's save (write, rename, chmod) takes far
	// less, and every millisecond here is one the author waits.
	Quiet time.Duration
	// MaxDelay caps how long a continuous stream of events can hold a batch
	// back; zero means 300 ms.
	MaxDelay time.Duration
	// Logf, when set, receives plain messages for the person running the
	// program: falling back to polling, watch errors. nil discards them.
	Logf func(format string, args ...any)
	// Setting says how the person running the program sets an option, for
	// messages that tell them what to change (`steward serve` maps "Poll"
	// to "--poll"); nil names the option itself.
	Setting func(option string) string

	// addWatch, when set, replaces fsnotify's Add (tests inject ENOSPC).
	addWatch func(fsw *fsnotify.Watcher, dir string) error
	// ready, when set, is called by the debouncer with what is ready to
	// be handed on (merged) each time more becomes ready, so that tests
	// wait for that rather than for time to pass.
	ready func(Batch)
}

// Watcher watches one source folder. Create it with New, read Batches,
// and Close it when done.
type Watcher struct {
	root    string          // absolute, cleaned
	watched map[string]bool // entries of root watched, recursively
	opts    Options

	fsw   *fsnotify.Watcher
	dirs  map[string]bool // absolute folders watched with fsnotify
	raw   chan string     // relative paths from the event or poll loop to the debouncer
	out   chan Batch
	done  chan struct{}
	wg    sync.WaitGroup
	close sync.Once

	mu      sync.Mutex
	polling bool
}

// New starts watching the named entries of root: files, or folders
// watched with everything below them. An entry is one name directly in
// root ("site.yaml", "content"); one that does not exist yet is watched
// for its creation. Batches arrive on Batches until Close.
func New(root string, entries []string, opts Options) (*Watcher, error) {
	if len(entries) == 0 {
		return nil, errors.New("watch: no entries to watch")
	}
	watched := make(map[string]bool, len(entries))
	for _, e := range entries {
		if e == "." || !filepath.IsLocal(e) || strings.ContainsAny(e, `/\`) {
			return nil, fmt.Errorf("watch: entry %q: must be one name directly in the watched folder", e)
		}
		watched[e] = true
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("watch: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("watch: %s is not a folder", root)
	}
	if opts.Quiet <= 0 {
		opts.Quiet = 10 * time.Millisecond
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = 300 * time.Millisecond
	}
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	if opts.addWatch == nil {
		opts.addWatch = func(fsw *fsnotify.Watcher, dir string) error { return fsw.Add(dir) }
	}
	w := &Watcher{
		root:    abs,
		watched: watched,
		opts:    opts,
		dirs:    map[string]bool{},
		raw:     make(chan string, 256),
		out:     make(chan Batch),
		done:    make(chan struct{}),
	}
	if opts.Poll > 0 {
		w.startPolling(opts.Poll)
	} else if err := w.startNotify(); err != nil {
		if !errors.Is(err, syscall.ENOSPC) && !errors.Is(err, syscall.EMFILE) {
			return nil, err
		}
		w.opts.Logf("%s", w.outOfWatches(err))
		w.startPolling(time.Second)
	}
	w.wg.Add(1)
	go w.debounce()
	return w, nil
}

func (w *Watcher) outOfWatches(err error) string {
	poll := "the Poll option"
	if w.opts.Setting != nil {
		if s := w.opts.Setting("Poll"); s != "" {
			poll = s
		}
	}
	return fmt.Sprintf("watch: the system ran out of inotify watches (%v); falling back to polling once a second. "+
		"To raise the limit: sudo sysctl fs.inotify.max_user_watches=524288 (and fs.inotify.max_user_instances), "+
		"or choose polling yourself with %s", err, poll)
}

// Batches returns the channel of batches. It is closed after Close. A batch
// that is ready while nobody receives is kept and merged with later
// changes, so nothing is lost while the consumer is busy.
func (w *Watcher) Batches() <-chan Batch { return w.out }

// Polling reports whether the watcher polls rather than using fsnotify.
func (w *Watcher) Polling() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.polling
}

// Close stops watching and closes Batches. It is safe to call twice.
func (w *Watcher) Close() error {
	var err error
	w.close.Do(func() {
		close(w.done)
		if w.fsw != nil {
			err = w.fsw.Close()
		}
		w.wg.Wait()
		close(w.out)
	})
	return err
}

// rel turns an absolute path below root into a slash-separated relative
// path, reporting whether it lies under one of the watched entries.
func (w *Watcher) rel(abs string) (string, bool) {
	r, err := filepath.Rel(w.root, abs)
	if err != nil || !filepath.IsLocal(r) {
		return "", false
	}
	r = filepath.ToSlash(r)
	top, _, _ := strings.Cut(r, "/")
	return r, w.watched[top]
}

// emit hands a relative path to the debouncer; false once closed.
func (w *Watcher) emit(rel string) bool {
	select {
	case w.raw <- rel:
		return true
	case <-w.done:
		return false
	}
}

// Ignored reports whether a file name is an editor's temporary or a
// system file whose changes never matter: vim's swap files and its 4913
// probe, backups ending in ~, Emacs lock and autosave files, JetBrains'
// safe-write files and macOS's .DS_Store.
func Ignored(name string) bool {
	switch {
	case name == "4913", name == ".DS_Store":
		return true
	case strings.HasSuffix(name, "~"):
		return true
	case strings.HasPrefix(name, ".#"):
		return true
	case len(name) > 1 && strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"):
		return true
	case strings.Contains(name, "___jb_tmp___"), strings.Contains(name, "___jb_old___"):
		return true
	}
	// vim swap files: .swp, then .swo, .swn, ... down to .swa; .swx probes.
	if ext := filepath.Ext(name); len(ext) == 4 && strings.HasPrefix(ext, ".sw") {
		if c := ext[3]; (c >= 'a' && c <= 'p') || c == 'x' {
			return true
		}
	}
	return false
}

// ignoredFile reports whether a file (never a folder: a folder named like
// a temporary, say notes~ or 4913, holds content a build reads) is ignored.
func ignoredFile(p string) bool { return Ignored(filepath.Base(p)) }

// debounce gathers paths into batches: a batch is ready once Quiet passes
// without an event, or MaxDelay after its first event. A ready batch waits
// for the consumer, absorbing later ready batches meanwhile.
func (w *Watcher) debounce() {
	defer w.wg.Done()
	var (
		gathering = map[string]bool{}
		ready     = map[string]bool{}
		quiet     = time.NewTimer(time.Hour)
		first     time.Time
	)
	quiet.Stop()
	defer quiet.Stop()
	flush := func() {
		for p := range gathering {
			ready[p] = true
		}
		clear(gathering)
	}
	for {
		var out chan Batch
		var batch Batch
		if len(ready) > 0 {
			out = w.out
			batch = sortedKeys(ready)
		}
		select {
		case <-w.done:
			return
		case p := <-w.raw:
			if len(gathering) == 0 {
				first = time.Now()
			}
			gathering[p] = true
			wait := w.opts.Quiet
			if left := w.opts.MaxDelay - time.Since(first); left < wait {
				wait = max(left, 0)
			}
			quiet.Reset(wait)
		case <-quiet.C:
			flush()
			if w.opts.ready != nil {
				w.opts.ready(sortedKeys(ready))
			}
		case out <- batch:
			clear(ready)
		}
	}
}

func sortedKeys(m map[string]bool) Batch {
	b := make(Batch, 0, len(m))
	for k := range m {
		b = append(b, k)
	}
	sort.Strings(b)
	return b
}

// --- fsnotify ---

func (w *Watcher) startNotify() error {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	w.fsw = fsw
	if err := w.addDir(w.root); err != nil {
		fsw.Close()
		w.fsw = nil
		return err
	}
	for name := range w.watched {
		p := filepath.Join(w.root, name)
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			if err := w.addTree(p, false); err != nil {
				fsw.Close()
				w.fsw = nil
				return err
			}
		}
	}
	w.wg.Add(1)
	go w.events()
	return nil
}

func (w *Watcher) addDir(dir string) error {
	if err := w.opts.addWatch(w.fsw, dir); err != nil {
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	w.dirs[dir] = true
	return nil
}

// addTree watches dir and every folder below it. With report, the paths of
// everything found are emitted, since files may have been created in a new
// folder before its watch existed.
func (w *Watcher) addTree(dir string, report bool) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // vanished meanwhile; its removal is reported too
			}
			return err
		}
		if d.IsDir() {
			if err := w.addDir(p); err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return fs.SkipDir
				}
				return err
			}
		}
		if report && p != dir {
			if r, ok := w.rel(p); ok && (d.IsDir() || !ignoredFile(r)) && !w.emit(r) {
				return fs.SkipAll
			}
		}
		return nil
	})
}

// forget unwatches dir and every folder below it.
func (w *Watcher) forget(dir string) {
	for d := range w.dirs {
		if d == dir || strings.HasPrefix(d, dir+string(filepath.Separator)) {
			_ = w.fsw.Remove(d) // already gone when the kernel removed it
			delete(w.dirs, d)
		}
	}
}

func (w *Watcher) events() {
	defer w.wg.Done()
	for {
		select {
		case <-w.done:
			return
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if !w.handleError(err) {
				return
			}
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			if !w.handle(ev) {
				return
			}
		}
	}
}

func (w *Watcher) handleError(err error) bool {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		// Events were lost: rescan, watch what is new, report everything.
		w.opts.Logf("watch: too many changes at once; rescanning the site")
		for name := range w.watched {
			p := filepath.Join(w.root, name)
			if fi, err := os.Stat(p); err == nil && fi.IsDir() {
				if err := w.addTree(p, false); err != nil {
					return w.fail(err)
				}
			}
			if !w.emit(name) {
				return false
			}
		}
		return true
	}
	w.opts.Logf("watch: %v", err)
	return true
}

// fail switches to polling after an error that stops fsnotify from
// watching everything, such as running out of watches.
func (w *Watcher) fail(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE) {
		w.opts.Logf("%s", w.outOfWatches(err))
	} else {
		w.opts.Logf("watch: %v; falling back to polling once a second", err)
	}
	w.startPolling(time.Second)
	// The fsnotify watcher is closed by Close; stop reading from it now.
	for d := range w.dirs {
		_ = w.fsw.Remove(d)
		delete(w.dirs, d)
	}
	// Report everything once: changes may have been missed meanwhile.
	for name := range w.watched {
		if !w.emit(name) {
			return false
		}
	}
	return false
}

func (w *Watcher) handle(ev fsnotify.Event) bool {
	if ev.Op == fsnotify.Chmod {
		return true
	}
	abs := filepath.Clean(ev.Name)
	r, ok := w.rel(abs)
	if !ok {
		return true
	}
	if ignoredFile(r) && !w.isDir(abs, ev) {
		return true
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		w.forget(abs)
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(abs); err == nil && fi.IsDir() {
			if !w.emit(r) {
				return false
			}
			if err := w.addTree(abs, true); err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return true
				}
				return w.fail(err)
			}
			return true
		}
	}
	return w.emit(r)
}

// isDir reports whether an event's path is a folder: one watched (it may
// be gone already), or one just created.
func (w *Watcher) isDir(abs string, ev fsnotify.Event) bool {
	if w.dirs[abs] {
		return true
	}
	if ev.Has(fsnotify.Create) {
		fi, err := os.Lstat(abs)
		return err == nil && fi.IsDir()
	}
	return false
}

// --- polling ---

type stamp struct {
	mod  time.Time
	size int64
	dir  bool
}

func (w *Watcher) startPolling(every time.Duration) {
	w.mu.Lock()
	w.polling = true
	w.mu.Unlock()
	prev := w.scan()
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-w.done:
				return
			case <-t.C:
			}
			cur := w.scan()
			for p, s := range cur {
				if old, ok := prev[p]; !ok || old != s {
					if !w.emit(p) {
						return
					}
				}
			}
			for p := range prev {
				if _, ok := cur[p]; !ok {
					if !w.emit(p) {
						return
					}
				}
			}
			prev = cur
		}
	}()
}

// scan records the modification time and size of everything watched.
// Folders are recorded without their times, so only their entries count.
func (w *Watcher) scan() map[string]stamp {
	m := map[string]stamp{}
	for name := range w.watched {
		_ = filepath.WalkDir(filepath.Join(w.root, name), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			r, ok := w.rel(p)
			if !ok {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if !d.IsDir() && ignoredFile(r) {
				return nil
			}
			if d.IsDir() {
				m[r] = stamp{dir: true}
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return nil
			}
			m[r] = stamp{mod: fi.ModTime(), size: fi.Size()}
			return nil
		})
	}
	return m
}
