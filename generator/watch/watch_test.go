package watch

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// collector gathers batches in the background so tests can wait for a path.
type collector struct {
	mu      sync.Mutex
	batches []Batch
	seen    map[string]bool
	notify  chan struct{}
}

func start(t *testing.T, root string, opts Options) (*Watcher, *collector) {
	t.Helper()
	return startEntries(t, root, siteEntries, opts)
}

// startEntries is start watching the given entries of root.
func startEntries(t *testing.T, root string, entries []string, opts Options) (*Watcher, *collector) {
	t.Helper()
	w, err := New(root, entries, opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	c := &collector{seen: map[string]bool{}, notify: make(chan struct{}, 1)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for b := range w.Batches() {
			c.mu.Lock()
			c.batches = append(c.batches, b)
			for _, p := range b {
				c.seen[p] = true
			}
			c.mu.Unlock()
			select {
			case c.notify <- struct{}{}:
			default:
			}
		}
	}()
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		<-done
	})
	return w, c
}

// waitFor waits up to 5 s for every path to have been reported.
func (c *collector) waitFor(t *testing.T, paths ...string) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		c.mu.Lock()
		missing := []string{}
		for _, p := range paths {
			if !c.seen[p] {
				missing = append(missing, p)
			}
		}
		got := fmt.Sprint(c.batches)
		c.mu.Unlock()
		if len(missing) == 0 {
			return
		}
		select {
		case <-c.notify:
		case <-deadline:
			t.Fatalf("after 5 s, %v not reported; batches: %s", missing, got)
		}
	}
}

// reset forgets what was seen so far.
func (c *collector) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.batches = nil
	clear(c.seen)
}

func (c *collector) all() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for p := range c.seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// siteEntries are what steward serve watches in a site's folder.
var siteEntries = []string{"site.yaml", "content", "layouts", "static"}

func site(t *testing.T) string {
	root := t.TempDir()
	write(t, filepath.Join(root, "site.yaml"), "title: T\n")
	write(t, filepath.Join(root, "content", "essay.md"), "---\ntitle: E\n---\nbody\n")
	write(t, filepath.Join(root, "layouts", "base.html"), "<html></html>")
	write(t, filepath.Join(root, "static", "css", "site.css"), "body{}")
	return root
}

// settle waits out the quiet period so that a marker change is reported
// in a batch of its own, then forgets it: later assertions see only later
// changes.
func settle(t *testing.T, root string, c *collector) {
	t.Helper()
	write(t, filepath.Join(root, "content", "marker.md"), time.Now().String())
	c.waitFor(t, "content/marker.md")
	c.reset()
}

// reportedBefore writes a marker after the changes under test, waits for
// it to be reported, and returns everything reported besides it. A change
// the watcher should not have reported happened before the marker, so it
// arrives no later than the marker's batch: no sleep is needed to see it.
// (settle would forget it along with the marker.)
func reportedBefore(t *testing.T, root string, c *collector) []string {
	t.Helper()
	write(t, filepath.Join(root, "content", "marker.md"), time.Now().String())
	c.waitFor(t, "content/marker.md")
	var out []string
	for _, p := range c.all() {
		if p != "content/marker.md" {
			out = append(out, p)
		}
	}
	return out
}

func modes() map[string]Options {
	return map[string]Options{"fsnotify": {}, "poll": {Poll: 20 * time.Millisecond}}
}

func TestCreateAndWrite(t *testing.T) {
	for name, opts := range modes() {
		t.Run(name, func(t *testing.T) {
			root := site(t)
			_, c := start(t, root, opts)
			write(t, filepath.Join(root, "content", "new.md"), "x")
			write(t, filepath.Join(root, "site.yaml"), "title: U\n")
			write(t, filepath.Join(root, "layouts", "base.html"), "<html><body></body></html>")
			c.waitFor(t, "content/new.md", "site.yaml", "layouts/base.html")
		})
	}
}

func TestOutsideWatchedIgnored(t *testing.T) {
	root := site(t)
	_, c := start(t, root, Options{})
	write(t, filepath.Join(root, "public", "index.html"), "x")
	write(t, filepath.Join(root, "README.md"), "x")
	for _, p := range reportedBefore(t, root, c) {
		t.Errorf("reported %s, outside the watched entries", p)
	}
}

func TestAtomicSave(t *testing.T) {
	for name, opts := range modes() {
		t.Run(name, func(t *testing.T) {
			root := site(t)
			_, c := start(t, root, opts)
			// The vim way: write a temporary, rename it over the original.
			for _, target := range []string{"content/essay.md", "site.yaml"} {
				dst := filepath.Join(root, filepath.FromSlash(target))
				tmp := dst + ".tmp-steward"
				write(t, tmp, "new "+target)
				if err := os.Rename(tmp, dst); err != nil {
					t.Fatal(err)
				}
			}
			c.waitFor(t, "content/essay.md", "site.yaml")
			// And again: the watch on the folder survives the replaced file.
			c.reset()
			dst := filepath.Join(root, "content", "essay.md")
			write(t, dst+".tmp2", "again")
			if err := os.Rename(dst+".tmp2", dst); err != nil {
				t.Fatal(err)
			}
			c.waitFor(t, "content/essay.md")
		})
	}
}

func TestNewFolderWithFiles(t *testing.T) {
	for name, opts := range modes() {
		t.Run(name, func(t *testing.T) {
			root := site(t)
			_, c := start(t, root, opts)
			// A folder made elsewhere with files inside, then moved in: no
			// event is ever sent for the files themselves.
			outside := filepath.Join(t.TempDir(), "series")
			write(t, filepath.Join(outside, "a.md"), "a")
			write(t, filepath.Join(outside, "deep", "b.md"), "b")
			if err := os.Rename(outside, filepath.Join(root, "content", "series")); err != nil {
				t.Fatal(err)
			}
			// And mkdir -p with files written at once.
			write(t, filepath.Join(root, "static", "img", "x", "y.png"), "png")
			c.waitFor(t, "content/series/a.md", "content/series/deep/b.md", "static/img/x/y.png")
			// The new folders are watched.
			c.reset()
			write(t, filepath.Join(root, "content", "series", "deep", "c.md"), "c")
			write(t, filepath.Join(root, "static", "img", "x", "z.png"), "z")
			c.waitFor(t, "content/series/deep/c.md", "static/img/x/z.png")
		})
	}
}

func TestFolderAppearsLater(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "content", "a.md"), "a")
	_, c := start(t, root, Options{})
	write(t, filepath.Join(root, "layouts", "base.html"), "x")
	c.waitFor(t, "layouts/base.html")
	c.reset()
	write(t, filepath.Join(root, "layouts", "partials", "head.html"), "y")
	c.waitFor(t, "layouts/partials/head.html")
}

func TestRenameFolder(t *testing.T) {
	for name, opts := range modes() {
		t.Run(name, func(t *testing.T) {
			root := site(t)
			write(t, filepath.Join(root, "content", "old", "sub", "a.md"), "a")
			w, c := start(t, root, opts)
			if err := os.Rename(filepath.Join(root, "content", "old"), filepath.Join(root, "content", "new")); err != nil {
				t.Fatal(err)
			}
			c.waitFor(t, "content/old", "content/new/sub/a.md")
			// Writes below the new name are reported under the new name.
			c.reset()
			write(t, filepath.Join(root, "content", "new", "sub", "a.md"), "changed")
			c.waitFor(t, "content/new/sub/a.md")
			for _, p := range c.all() {
				if strings.HasPrefix(p, "content/old") {
					t.Errorf("after the rename, reported %s", p)
				}
			}
			// Removing the folder unwatches it: no stale watches remain.
			if err := os.RemoveAll(filepath.Join(root, "content", "new")); err != nil {
				t.Fatal(err)
			}
			c.waitFor(t, "content/new")
			if !w.Polling() {
				settle(t, root, c)
				for _, d := range w.fsw.WatchList() {
					if r, _ := w.rel(d); strings.HasPrefix(r, "content/old") || strings.HasPrefix(r, "content/new") {
						t.Errorf("still watching %s", d)
					}
				}
			}
		})
	}
}

// TestFoldersNamedLikeTemporaries: only files are ignored by name. A folder
// called notes~ or 4913 holds content a build reads, so changes in it are
// reported like any other.
func TestFoldersNamedLikeTemporaries(t *testing.T) {
	for name, opts := range modes() {
		t.Run(name, func(t *testing.T) {
			root := site(t)
			_, c := start(t, root, opts)
			for _, dir := range []string{"4913", "notes~"} {
				p := filepath.Join(root, "content", dir, "essay.md")
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				write(t, p, "first")
				c.waitFor(t, "content/"+dir+"/essay.md")
				settle(t, root, c)
				write(t, p, "second, longer")
				c.waitFor(t, "content/"+dir+"/essay.md")
				settle(t, root, c)
				if err := os.RemoveAll(filepath.Dir(p)); err != nil {
					t.Fatal(err)
				}
				c.waitFor(t, "content/"+dir)
				settle(t, root, c)
			}
		})
	}
}

func TestTemporariesIgnored(t *testing.T) {
	for name, opts := range modes() {
		t.Run(name, func(t *testing.T) {
			root := site(t)
			_, c := start(t, root, opts)
			dir := filepath.Join(root, "content")
			for _, n := range []string{".essay.md.swp", ".essay.md.swx", "essay.md~", "4913", ".#essay.md",
				"#essay.md#", "essay.md___jb_tmp___", "essay.md___jb_old___", ".DS_Store", ".essay.md.swo"} {
				write(t, filepath.Join(dir, n), "tmp")
				if err := os.Remove(filepath.Join(dir, n)); err != nil {
					t.Fatal(err)
				}
			}
			// chmod only
			if err := os.Chmod(filepath.Join(dir, "essay.md"), 0o600); err != nil {
				t.Fatal(err)
			}
			if got := reportedBefore(t, root, c); len(got) > 0 {
				t.Errorf("reported %v; want nothing for temporaries and chmod", got)
			}
		})
	}
}

func TestIgnored(t *testing.T) {
	for name, want := range map[string]bool{
		"essay.md": false, "a.swift": false, "x.sw": false, "4913.md": false, "notes#1.md": false,
		".essay.md.swp": true, "x.swx": true, "a~": true, "4913": true, ".#a.md": true, "#a.md#": true,
		"a.md___jb_tmp___": true, "a.md___jb_old___": true, ".DS_Store": true,
	} {
		if got := Ignored(name); got != want {
			t.Errorf("Ignored(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestBurst(t *testing.T) {
	root := site(t)
	w, err := New(root, siteEntries, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	path := filepath.Join(root, "content", "essay.md")
	for i := range 100 {
		write(t, path, fmt.Sprintf("save %d", i))
	}
	write(t, filepath.Join(root, "content", "last.md"), "done")
	var batches []Batch
	deadline := time.After(5 * time.Second)
	for !slices.Contains(flatten(batches), "content/last.md") {
		select {
		case b := <-w.Batches():
			batches = append(batches, b)
		case <-deadline:
			t.Fatalf("content/last.md not reported within 5 s; got %v", batches)
		}
	}
	if !slices.Contains(flatten(batches), "content/essay.md") {
		t.Errorf("batches %v lack content/essay.md", batches)
	}
	if len(batches) > 10 {
		t.Errorf("100 saves gave %d batches; want a few", len(batches))
	}
	t.Logf("100 saves -> %d batch(es)", len(batches))
}

func flatten(bs []Batch) []string {
	var out []string
	for _, b := range bs {
		out = append(out, b...)
	}
	return out
}

// A consumer busy elsewhere loses nothing: changes made while a batch
// waits for it are merged into that batch, handed on whole.
func TestBusyConsumerMerges(t *testing.T) {
	root := site(t)
	readied := make(chan Batch, 100)
	w, err := New(root, siteEntries, Options{ready: func(b Batch) { readied <- b }})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// waitReady waits until what is ready holds p, as the debouncer says.
	waitReady := func(p string) Batch {
		t.Helper()
		deadline := time.After(5 * time.Second)
		for {
			select {
			case b := <-readied:
				if slices.Contains(b, p) {
					return b
				}
			case <-deadline:
				t.Fatalf("%s not ready within 5 s", p)
			}
		}
	}
	write(t, filepath.Join(root, "content", "one.md"), "1")
	waitReady("content/one.md") // one.md's batch is ready and waiting
	write(t, filepath.Join(root, "content", "two.md"), "2")
	if b := waitReady("content/two.md"); !slices.Contains(b, "content/one.md") {
		t.Fatalf("ready %v once two.md's change is: content/one.md lost", b)
	}
	select {
	case b := <-w.Batches():
		if want := (Batch{"content/one.md", "content/two.md"}); !slices.Equal(b, want) {
			t.Errorf("the consumer got %v, want %v", b, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no batch within 5 s")
	}
}

func TestOutOfWatchesFallsBackToPolling(t *testing.T) {
	root := site(t)
	var mu sync.Mutex
	var logs []string
	opts := Options{
		Logf: func(f string, a ...any) {
			mu.Lock()
			defer mu.Unlock()
			logs = append(logs, fmt.Sprintf(f, a...))
		},
		addWatch: func(_ *fsnotify.Watcher, dir string) error {
			return fmt.Errorf("add %s: %w", dir, syscall.ENOSPC)
		},
		Setting: func(option string) string { return map[string]string{"Poll": "--poll"}[option] },
	}
	w, c := start(t, root, opts)
	if !w.Polling() {
		t.Fatal("not polling after ENOSPC")
	}
	mu.Lock()
	msg := strings.Join(logs, "\n")
	mu.Unlock()
	// One message, naming the sysctl and the caller's setting for polling.
	want := "watch: the system ran out of inotify watches (watch " + root + ": add " + root + ": " + syscall.ENOSPC.Error() + "); falling back to polling once a second. " +
		"To raise the limit: sudo sysctl fs.inotify.max_user_watches=524288 (and fs.inotify.max_user_instances), or choose polling yourself with --poll"
	if msg != want {
		t.Errorf("message:\n%s\nwant:\n%s", msg, want)
	}
	write(t, filepath.Join(root, "content", "new.md"), "x")
	c.waitFor(t, "content/new.md")
}

func TestCloseClosesBatches(t *testing.T) {
	w, err := New(site(t), siteEntries, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, ok := <-w.Batches(); ok {
		t.Error("Batches still open after Close")
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestWatchesOnlyTheEntriesNamed: the caller says what to watch; other
// entries of the folder are not reported, whether fsnotify or polling
// does the watching.
func TestWatchesOnlyTheEntriesNamed(t *testing.T) {
	for _, poll := range []time.Duration{0, 20 * time.Millisecond} {
		t.Run(fmt.Sprint("poll=", poll), func(t *testing.T) {
			root := site(t)
			write(t, filepath.Join(root, "notes", "old.md"), "x")
			_, c := startEntries(t, root, []string{"notes", "site.yaml"}, Options{Poll: poll})
			// Written first: had it been reported, it would have come
			// before (or with) what is written after it.
			write(t, filepath.Join(root, "content", "essay.md"), "changed")
			write(t, filepath.Join(root, "static", "css", "site.css"), "changed")
			write(t, filepath.Join(root, "notes", "new.md"), "x")
			write(t, filepath.Join(root, "site.yaml"), "title: U\n")
			c.waitFor(t, "notes/new.md", "site.yaml")
			for _, p := range c.all() {
				if p != "notes/new.md" && p != "site.yaml" {
					t.Errorf("reported %s, which is not under the entries watched", p)
				}
			}
		})
	}
}

func TestBadEntriesRefused(t *testing.T) {
	root := site(t)
	for _, entries := range [][]string{nil, {""}, {"."}, {".."}, {"content/posts"}, {"/etc"}, {"../x"}} {
		if w, err := New(root, entries, Options{}); err == nil {
			w.Close()
			t.Errorf("New with entries %q: no error", entries)
		}
	}
}
