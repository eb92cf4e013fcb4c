package serve

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"runtime"
	"strconv"
	"syscall"
	"time"

	"github.com/steward-ssg/steward/generator/build"
	"github.com/steward-ssg/steward/generator/watch"
)

// Options are `steward serve`'s settings.
type Options struct {
	// Source is the site's folder; "" means ".".
	Source string
	// Bind is the address to listen on; "" means 127.0.0.1.
	Bind string
	// Port is the TCP port; 0 means 1313. A negative port picks a free one
	// (tests).
	Port int
	// Drafts and Future include drafts and essays dated in the future.
	Drafts, Future bool
	// BaseURL, when set, overrides site.yaml's baseURL in the served build.
	BaseURL string
	// Poll, when positive, polls the sources this often instead of using
	// fsnotify.
	Poll time.Duration
	// Open opens the site in the default browser once it is served.
	Open bool
	// Navigate sends open tabs to the essay just saved.
	Navigate bool
	// Out receives the terminal messages; nil discards them.
	Out io.Writer
	// Ready, when set, is called with the site's address
	// ("http://127.0.0.1:1313/") once the server accepts connections.
	Ready func(url string)
	// Now is the build's clock; nil means time.Now.
	Now func() time.Time
}

// Run builds the site, serves it, and rebuilds on every change until ctx
// is cancelled; then it stops cleanly and returns nil. A failed first build
// does not stop it: the overlay is served until the author fixes the
// input. Errors are returned only for what prevents serving at all (the
// port in use, the source folder missing).
func Run(ctx context.Context, opts Options) error {
	if opts.Source == "" {
		opts.Source = "."
	}
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	port := opts.Port
	switch {
	case port == 0:
		port = 1313
	case port < 0:
		port = 0
	}
	out := opts.Out
	if out == nil {
		out = io.Discard
	}

	// Watch before the first build, so edits made during it are not missed.
	w, err := watch.New(opts.Source, watch.Options{
		Poll: opts.Poll,
		Logf: func(f string, a ...any) { fmt.Fprintf(out, f+"\n", a...) },
	})
	if err != nil {
		return err
	}
	defer w.Close()

	ln, err := net.Listen("tcp", net.JoinHostPort(opts.Bind, strconv.Itoa(port)))
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("serve: port %d is in use; pass --port to choose another: %w", port, err)
		}
		return fmt.Errorf("serve: %w", err)
	}
	defer ln.Close()

	b := build.NewBuilder()
	bopts := build.Options{Source: opts.Source, Drafts: opts.Drafts, Future: opts.Future, BaseURL: opts.BaseURL, Now: opts.Now}
	s := New(Config{
		Source:   opts.Source,
		Out:      out,
		Navigate: opts.Navigate,
		Build: func(ctx context.Context) (Site, error) {
			site, err := b.Build(ctx, bopts)
			if err != nil || site == nil {
				return nil, err
			}
			return site, nil
		},
	})
	s.Rebuild(ctx, nil)

	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	addr := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(out, "serving %s at %s (Ctrl-C to stop)\n", opts.Source, addr)
	if opts.Ready != nil {
		opts.Ready(addr)
	}
	if opts.Open {
		if err := openBrowser(addr); err != nil {
			fmt.Fprintf(out, "cannot open a browser: %v\n", err)
		}
	}

	var serveErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case serveErr = <-served:
			break loop
		case batch, ok := <-w.Batches():
			if !ok {
				break loop
			}
			s.Rebuild(ctx, batch)
		}
	}

	s.Close()
	shut, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := hs.Shutdown(shut); err != nil {
		hs.Close()
	}
	if serveErr == nil {
		serveErr = <-served
	}
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	return serveErr
}

// openBrowser opens url in the system's browser without waiting for it.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it; ends when the opener exits
	return nil
}
