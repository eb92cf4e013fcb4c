package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"
)

// serveFlags are steward serve's flags.
type serveFlags struct {
	source   string
	port     int
	bind     string
	drafts   bool
	future   bool
	poll     time.Duration
	open     bool
	navigate bool
	allow    []string
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var f serveFlags
	fs.StringVar(&f.source, "source", ".", "the site's `folder`")
	fs.IntVar(&f.port, "port", 1313, "the `port` to listen on")
	fs.StringVar(&f.bind, "bind", "127.0.0.1", "the `address` to listen on; 127.0.0.1 keeps the preview on this machine")
	fs.BoolVar(&f.drafts, "drafts", false, "include drafts")
	fs.BoolVar(&f.future, "future", false, "include essays dated in the future")
	fs.DurationVar(&f.poll, "poll", 0, "poll for changes every `interval` (e.g. 500ms) instead of using file system events: for network drives and containers")
	fs.BoolVar(&f.open, "open", false, "open the site in the default browser")
	fs.BoolVar(&f.navigate, "navigate", false, "make the browser go to the essay you just saved")
	fs.Func("allow-host", "also answer requests for this host `name` (repeatable); by default only localhost, 127.0.0.1, [::1], the --bind address and, with --bind 0.0.0.0, this machine's addresses are answered", func(v string) error {
		f.allow = append(f.allow, v)
		return nil
	})
	if code, done := parse(fs, args, stdout, stderr, "Builds the site, serves it from memory and rebuilds it as you edit; the browser follows. Writes nothing to public/."); done {
		return code
	}
	if f.port < 0 || f.port > 65535 {
		fmt.Fprintf(stderr, "steward serve: --port %d: must be from 0 to 65535\n", f.port)
		return exitUsage
	}
	return serveSite(ctx, f, stdout, stderr)
}
