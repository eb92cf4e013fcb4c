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

	"github.com/steward-ssg/steward/generator/watch"
)

// run is Run with the build supplied, so tests can serve a fake site;
// inputs are the entries of the source folder it reads, to be watched.
func run(ctx context.Context, opts Options, inputs []string, buildSite BuildFunc) error {
	if opts.Source == "" {
		opts.Source = "."
	}
	if opts.Bind == "" {
		opts.Bind = "127.0.0.1"
	}
	if _, err := newHosts(opts.Bind, opts.AllowHosts); err != nil {
		return err
	}
	port := opts.Port
	out := opts.Out
	if out == nil {
		out = io.Discard
	}

	// Watch before the first build, so edits made during it are not missed.
	w, err := watch.New(opts.Source, inputs, watch.Options{
		Poll:    opts.Poll,
		Logf:    func(f string, a ...any) { fmt.Fprintf(out, f+"\n", a...) },
		Setting: opts.Setting,
	})
	if err != nil {
		return err
	}
	defer w.Close()

	ln, err := net.Listen("tcp", net.JoinHostPort(opts.Bind, strconv.Itoa(port)))
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("serve: port %d is in use; choose another with %s: %w", port, setting(opts.Setting, "Port"), err)
		}
		return fmt.Errorf("serve: %w", err)
	}
	defer ln.Close()

	s := New(Config{Source: opts.Source, Out: out, Navigate: opts.Navigate, Build: buildSite,
		Bind: opts.Bind, AllowHosts: opts.AllowHosts, Setting: opts.Setting})
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
	if s.hosts.any {
		// Bound to every interface: say where another device finds it.
		port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		for _, a := range interfaceAddrs() {
			if a.Is4() && !a.IsLoopback() && !a.IsLinkLocalUnicast() {
				fmt.Fprintf(out, "  also at http://%s/ (this machine's addresses are answered; another name needs %s)\n", net.JoinHostPort(a.String(), port), s.cfg.setting("AllowHosts"))
				break
			}
		}
	}
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
