package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/steward-ssg/steward/generator/diag"
)

// Site is what the server needs of a build result (build's *Site).
type Site interface {
	// Paths returns the sorted, slash-separated output paths.
	Paths() []string
	// File returns the bytes of one output file.
	File(path string) ([]byte, bool)
	// Warnings returns the build's warnings, printed to the terminal.
	Warnings() diag.List
}

// urlMapper is what a Site offers when it can map a content source path
// ("content/essay.md") to the URL of its page; Config.Navigate uses it.
type urlMapper interface {
	URLOf(source string) (string, bool)
}

// BuildFunc builds the site afresh (reusing what it may). changed lists
// the source paths that may have changed since its last call (relative,
// slash-separated; a folder stands for everything below it), or is nil
// when anything may have. A failed build returns its diagnostics as an
// error (a diag.List) and a nil Site.
type BuildFunc func(ctx context.Context, changed []string) (Site, error)

// Config configures a Server.
type Config struct {
	// Source is the site's folder; source snippets in the error overlay are
	// read from it, never from outside it.
	Source string
	// Build produces a new Site.
	Build BuildFunc
	// Out receives the terminal messages: rebuilds, warnings, errors.
	// nil discards them.
	Out io.Writer
	// Navigate sends open tabs to the page of the essay just saved.
	Navigate bool
	// Bind is the address the server listens on ("" is 127.0.0.1). Only
	// requests whose Host is a loopback name (localhost, 127.0.0.1,
	// [::1]), Bind, or one of AllowHosts are answered; others get 403.
	// When Bind is an all-interfaces address (0.0.0.0, ::) the machine's
	// own addresses are answered too.
	Bind string
	// AllowHosts are more host names or addresses to answer, any port.
	// Run refuses a malformed entry; New leaves it out.
	AllowHosts []string
	// Setting says how the person running the server sets an option, for
	// messages that tell them what to change: `steward serve` maps
	// "AllowHosts" to "--allow-host". nil names the option itself.
	Setting func(option string) string
}

// setting names an option for a message.
func (c Config) setting(option string) string { return setting(c.Setting, option) }

// setting names an option for a message, as name says or else by itself.
func setting(name func(string) string, option string) string {
	if name != nil {
		if s := name(option); s != "" {
			return s
		}
	}
	return "the " + option + " option"
}

// Server serves the latest good build and keeps open tabs up to date. It
// is an http.Handler; call Rebuild after each batch of changes (from one
// goroutine) and Close when done.
type Server struct {
	cfg   Config
	hosts *hosts
	id    string // distinguishes this process's versions from a previous one's
	done  chan struct{}
	once  sync.Once

	mu      sync.RWMutex
	site    Site              // last good build; nil until one succeeds
	revs    map[string]uint64 // output path -> generation its bytes last changed
	gen     uint64
	errs    diag.List // errors of the latest build; nil when it succeeded
	overlay string    // errs as the overlay's HTML
	clients map[*client]struct{}
	closed  bool
	refused map[string]bool // Host headers refused and told of

	warned string // warnings last printed; used by Rebuild only
}

type client struct {
	u  string // URL path of the tab's page, as the server resolved it
	v  string // version of what the tab shows
	ch chan []byte
	// gone is set, under Server.mu, when the server dropped the tab.
	gone bool
}

// New returns a Server with no build yet: until Rebuild succeeds, HTML
// requests get a minimal page carrying the overlay (or a notice).
func New(cfg Config) *Server {
	if cfg.Out == nil {
		cfg.Out = io.Discard
	}
	h, err := newHosts(cfg.Bind, cfg.AllowHosts)
	if err != nil {
		var good []string
		for _, n := range cfg.AllowHosts {
			if badHostName(n) == "" {
				good = append(good, n)
			}
		}
		h, _ = newHosts(cfg.Bind, good)
	}
	return &Server{
		cfg:     cfg,
		hosts:   h,
		refused: map[string]bool{},
		id:      strconv.FormatInt(time.Now().UnixNano(), 36),
		done:    make(chan struct{}),
		revs:    map[string]uint64{},
		clients: map[*client]struct{}{},
	}
}

// Close ends every event stream, so that an http.Server's Shutdown can
// finish. Later requests for the event stream end at once.
func (s *Server) Close() {
	s.once.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		close(s.done)
	})
}

// Clients returns how many event streams are open (tests use it to check
// that tabs that went away free their connection).
func (s *Server) Clients() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.clients)
}

// Result describes one rebuild.
type Result struct {
	// Changed lists the output paths added, removed or changed, sorted.
	Changed []string
	// Err is the build's error (a diag.List when the input is bad).
	Err error
	// Duration is how long the build took.
	Duration time.Duration
}

// Rebuild builds the site again after the given source paths changed
// (relative, slash-separated, as the watcher reports them; nil when
// anything may have changed, as before the first build), updates what is
// served and tells open tabs. On failure the last good build stays served
// and the errors go to the overlay and the terminal. Call it from one
// goroutine at a time.
func (s *Server) Rebuild(ctx context.Context, changedSources []string) Result {
	start := time.Now()
	site, err := s.cfg.Build(ctx, changedSources)
	res := Result{Err: err, Duration: time.Since(start)}
	if err != nil && ctx.Err() != nil {
		return res // shutting down: not the author's error
	}
	if err != nil || site == nil {
		if err == nil {
			err = fmt.Errorf("build returned no site")
			res.Err = err
		}
		s.failed(diag.AsList(err).Errors(), res.Duration)
		return res
	}

	// Only this goroutine writes s.site and s.revs, so it may read them
	// unlocked; comparing outputs happens before taking the lock.
	old := s.site
	gen := s.gen + 1
	var revs map[string]uint64
	if ch, ok := changedSince(site, old); ok {
		// The same paths: the revisions are the last ones but for what
		// changed (walking 14,000 paths twice took a save ~20 ms).
		res.Changed = ch
		revs = maps.Clone(s.revs)
		for _, p := range ch {
			revs[p] = gen
		}
	} else {
		res.Changed = diff(old, site)
		changed := make(map[string]bool, len(res.Changed))
		for _, p := range res.Changed {
			changed[p] = true
		}
		revs = make(map[string]uint64, len(site.Paths()))
		for _, p := range site.Paths() {
			if r, ok := s.revs[p]; ok && !changed[p] {
				revs[p] = r
			} else {
				revs[p] = gen
			}
		}
	}
	var css []string
	for _, p := range res.Changed {
		if path.Ext(p) == ".css" {
			if _, ok := site.File(p); ok {
				css = append(css, "/"+p)
			}
		}
	}
	nav := ""
	if s.cfg.Navigate {
		nav = navigateTo(site, changedSources, res.Changed)
	}

	s.mu.Lock()
	hadErrs := s.errs != nil
	s.site, s.revs, s.gen, s.errs, s.overlay = site, revs, gen, nil, ""
	clear := message("clear", nil)
	for c := range s.clients {
		if hadErrs {
			s.send(c, clear)
		}
		switch nv := s.version(c.u); {
		case nav != "" && nav != c.u:
			s.send(c, message("navigate", map[string]any{"url": nav}))
		case nv != c.v:
			c.v = nv
			s.send(c, message("reload", nil))
		case len(css) > 0:
			s.send(c, message("css", map[string]any{"paths": css}))
		}
	}
	s.mu.Unlock()

	w := s.cfg.Out
	if old == nil || hadErrs || len(res.Changed) > 0 {
		fmt.Fprintf(w, "built in %s: %d files, %d changed\n", res.Duration.Round(time.Millisecond), len(site.Paths()), len(res.Changed))
	}
	// Warnings are printed when they change, not on every rebuild.
	// Of a kind that repeats across many files only the first few are
	// printed, with the count of the rest.
	if warns := site.Warnings().Fold(foldLimit).Error(); warns != s.warned {
		s.warned = warns
		if warns != "" {
			fmt.Fprintln(w, warns)
		}
	}
	return res
}

// foldLimit is how many warnings of one kind the terminal shows.
const foldLimit = 3

// failed records a failed build: the overlay goes to every open tab and
// every HTML page served until the next good build.
func (s *Server) failed(errs diag.List, took time.Duration) {
	if len(errs) == 0 {
		errs = diag.List{{Severity: diag.Error, Msg: "the build failed without saying why"}}
	}
	snips := snippets(s.cfg.Source, errs)
	overlay := renderOverlay(errs, snips, s.site != nil)

	s.mu.Lock()
	s.errs, s.overlay = errs, overlay
	msg := message("error", map[string]any{"html": overlay})
	for c := range s.clients {
		s.send(c, msg)
	}
	s.mu.Unlock()

	w := s.cfg.Out
	fmt.Fprintf(w, "build failed after %s with %d error(s):\n", took.Round(time.Millisecond), len(errs))
	printErrors(w, errs, snips)
	if s.site != nil {
		fmt.Fprintln(w, "still serving the last good build")
	}
}

// changeTeller is what a Site offers when it can tell what changed since
// the site built before it (pipeline.Site can).
type changeTeller interface {
	// ChangedSince returns the paths whose bytes differ from prev's, when
	// both have the same paths; ok is false when it cannot tell.
	ChangedSince(prev any) (changed []string, ok bool)
}

// changedSince returns what changed from old to site when site can tell
// and both have the same paths.
func changedSince(site, old Site) ([]string, bool) {
	t, ok := site.(changeTeller)
	if !ok || old == nil {
		return nil, false
	}
	return t.ChangedSince(old)
}

// diff returns the output paths added, removed or changed from a to b.
func diff(a, b Site) []string {
	var out []string
	if a == nil {
		return slices.Clone(b.Paths())
	}
	ap, bp := a.Paths(), b.Paths()
	i, j := 0, 0
	for i < len(ap) || j < len(bp) {
		switch {
		case j == len(bp) || (i < len(ap) && ap[i] < bp[j]):
			out = append(out, ap[i]) // removed
			i++
		case i == len(ap) || bp[j] < ap[i]:
			out = append(out, bp[j]) // added
			j++
		default:
			x, _ := a.File(ap[i])
			y, _ := b.File(bp[j])
			if !bytes.Equal(x, y) {
				out = append(out, ap[i])
			}
			i++
			j++
		}
	}
	return out
}

// navigateTo returns the URL of the page built from the content file just
// saved, when that page changed; "" when there is none or the site cannot
// say.
func navigateTo(site Site, sources, changed []string) string {
	m, ok := site.(urlMapper)
	if !ok {
		return ""
	}
	for _, src := range sources {
		if !strings.HasPrefix(src, "content/") {
			continue
		}
		u, ok := m.URLOf(src)
		if !ok {
			continue
		}
		out, _, status := resolve(site, u)
		if status == http.StatusOK && slices.Contains(changed, out) {
			return u
		}
	}
	return ""
}

// send queues a message for one tab without waiting. A tab too slow to
// keep up is dropped; its browser reconnects and is brought up to date.
// The caller holds s.mu.
func (s *Server) send(c *client, msg []byte) {
	if c.gone {
		return
	}
	select {
	case c.ch <- msg:
	default:
		c.gone = true
		delete(s.clients, c)
		close(c.ch)
	}
}

func message(typ string, fields map[string]any) []byte {
	m := map[string]any{"type": typ}
	for k, v := range fields {
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err) // strings and slices of strings always marshal
	}
	return b
}

// version names what a tab at URL path u was sent, so that the server can
// tell whether its bytes changed. The caller holds s.mu.
func (s *Server) version(u string) string {
	if s.site == nil {
		return s.id + ":none"
	}
	out, _, status := resolve(s.site, u)
	if out == "" {
		return fmt.Sprintf("%s:%d", s.id, status)
	}
	return fmt.Sprintf("%s:%d:%s@%d", s.id, status, out, s.revs[out])
}

// clean validates a request's path and returns it. It refuses what could
// name something outside the build: dot segments, empty segments (so no
// absolute paths), backslashes, NULs and encoded slashes or dots.
func clean(r *http.Request) (string, bool) {
	raw := strings.ToLower(r.URL.EscapedPath())
	for _, bad := range []string{"%2f", "%5c", "%2e", "%00"} {
		if strings.Contains(raw, bad) {
			return "", false
		}
	}
	return r.URL.Path, cleanPath(r.URL.Path)
}

// cleanPath reports whether a decoded URL path is one the server may look
// up: absolute, without dot or empty segments, backslashes or NULs.
func cleanPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return false
	}
	segs := strings.Split(p[1:], "/")
	for i, seg := range segs {
		if seg == "." || seg == ".." || (seg == "" && i < len(segs)-1) {
			return false
		}
	}
	return true
}

// invalidURL stands for every refused path: it resolves to the 404 page.
const invalidURL = "/_steward/404"

// resolve maps a clean URL path to an output file: out and 200, or a
// redirect target and 302 (/x to /x/ when x/index.html exists), or the
// site's 404.html (out may be "") and 404.
func resolve(site Site, u string) (out, redirect string, status int) {
	rel := strings.TrimPrefix(u, "/")
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	if _, ok := site.File(rel); ok {
		return rel, "", http.StatusOK
	}
	if !strings.HasSuffix(u, "/") {
		if _, ok := site.File(rel + "/index.html"); ok {
			return "", u + "/", http.StatusFound
		}
	}
	if _, ok := site.File("404.html"); ok {
		return "404.html", "", http.StatusNotFound
	}
	return "", "", http.StatusNotFound
}

// ServeHTTP serves the latest good build, the live-reload script and the
// event stream, to requests for the server's own names only.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.hosts.allows(r.Host) {
		s.refuse(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch r.URL.Path {
	case eventsPath:
		s.events(w, r)
		return
	case pathsPath:
		s.mu.RLock()
		var paths []string
		if s.site != nil {
			paths = s.site.Paths()
		}
		s.mu.RUnlock()
		b, err := json.Marshal(paths)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		s.write(w, r, http.StatusOK, "application/json", b)
		return
	case scriptPath:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(liveJS))
		return
	}

	u, ok := clean(r)
	if !ok {
		u = invalidURL
	}

	s.mu.RLock()
	site, overlay, version := s.site, s.overlay, s.version(u)
	var out, redirect string
	status := http.StatusNotFound
	if site != nil {
		out, redirect, status = resolve(site, u)
	}
	s.mu.RUnlock()

	if site == nil {
		// No good build yet: HTML-looking requests get a minimal page that
		// carries the overlay and recovers when the build does.
		if ok && (path.Ext(u) == "" || isHTML(u)) {
			msg := "The site is building."
			if overlay != "" {
				msg = "The site has not built yet."
			}
			page := []byte("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Steward</title></head><body>\n<p>" +
				msg + "</p>\n</body></html>\n")
			s.write(w, r, http.StatusServiceUnavailable, "text/html; charset=utf-8", inject(page, s.tag(u, version), overlay))
			return
		}
		http.NotFound(w, r)
		return
	}
	switch {
	case status == http.StatusFound:
		q := ""
		if r.URL.RawQuery != "" {
			q = "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, (&url.URL{Path: redirect}).EscapedPath()+q, http.StatusFound)
		return
	case out == "":
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	data, _ := site.File(out)
	ctype := contentType(out, data)
	if isHTML(out) {
		data = inject(data, s.tag(u, version), overlay)
	}
	s.write(w, r, status, ctype, data)
}

func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, ctype string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	if status == http.StatusOK {
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

func isHTML(p string) bool {
	ext := path.Ext(p)
	return ext == ".html" || ext == ".htm"
}

// types fixes the content types of what sites hold, whatever the
// system's MIME tables say.
var types = map[string]string{
	".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
	".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
	".json": "application/json", ".xml": "application/xml; charset=utf-8", ".txt": "text/plain; charset=utf-8",
	".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
	".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon", ".woff2": "font/woff2", ".woff": "font/woff",
	".pdf": "application/pdf", ".mp4": "video/mp4", ".webm": "video/webm", ".mp3": "audio/mpeg",
	".webmanifest": "application/manifest+json", ".wasm": "application/wasm",
}

func contentType(p string, data []byte) string {
	ext := strings.ToLower(path.Ext(p))
	if t, ok := types[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return http.DetectContentType(data)
}

const (
	eventsPath = "/_steward/events"
	scriptPath = "/_steward/live.js"
	// pathsPath lists the served build's paths as JSON, for tools and tests.
	pathsPath = "/_steward/paths"
)

// tag is the script element injected into a page served for URL path u.
func (s *Server) tag(u, version string) string {
	q := url.Values{"u": {u}, "v": {version}}
	return `<script type="module" src="` + html.EscapeString(scriptPath+"?"+q.Encode()) + `"></script>`
}

// inject puts extra before the last </body>, or at the end when there is
// none. The site's bytes are not modified.
func inject(page []byte, extra ...string) []byte {
	var parts []string
	for _, e := range extra {
		if e != "" {
			parts = append(parts, e)
		}
	}
	add := strings.Join(parts, "\n")
	at := lastIndexFold(page, "</body")
	if at < 0 {
		at = len(page)
	}
	out := make([]byte, 0, len(page)+len(add)+1)
	out = append(out, page[:at]...)
	out = append(out, add...)
	out = append(out, '\n')
	return append(out, page[at:]...)
}

// lastIndexFold is bytes.LastIndex ignoring ASCII case in sep.
func lastIndexFold(b []byte, sep string) int {
	for i := len(b) - len(sep); i >= 0; i-- {
		if b[i] == '<' && bytes.EqualFold(b[i:i+len(sep)], []byte(sep)) {
			return i
		}
	}
	return -1
}

// events is the Server-Sent Events stream of one tab. The tab says which
// URL it shows and the version it got; if that is already stale (a rebuild
// happened meanwhile, or the server restarted) it is told to reload at
// once. The stream ends when the tab goes away or the server closes.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	u := q.Get("u")
	if !cleanPath(u) {
		u = invalidURL
	}
	c := &client{u: u, v: q.Get("v"), ch: make(chan []byte, 16)}

	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "server closing", http.StatusServiceUnavailable)
		return
	}
	if s.overlay != "" {
		c.ch <- message("error", map[string]any{"html": s.overlay})
	}
	if nv := s.version(u); nv != c.v {
		c.v = nv
		c.ch <- message("reload", nil)
	}
	s.clients[c] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	if _, err := io.WriteString(w, "retry: 500\n: connected\n\n"); err != nil {
		return
	}
	if rc.Flush() != nil {
		return
	}
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case msg, ok := <-c.ch:
			if !ok {
				return
			}
			if _, err := fmt.Fprintf(w, "data: %s\n\n", msg); err != nil {
				return
			}
			if rc.Flush() != nil {
				return
			}
		}
	}
}
