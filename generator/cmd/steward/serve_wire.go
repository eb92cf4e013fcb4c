package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/steward-ssg/steward/generator/serve"
)

// serveFlag maps serve.Options' fields to the flags that set them, so
// that the server's messages name what the author types.
var serveFlag = map[string]string{
	"Source":     "--source",
	"Bind":       "--bind",
	"Port":       "--port",
	"AllowHosts": "--allow-host",
	"Poll":       "--poll",
}

// serveSite runs the dev server until ctx ends (Ctrl-C).
func serveSite(ctx context.Context, f serveFlags, stdout, stderr io.Writer) int {
	err := serve.Run(ctx, serve.Options{
		Source:     f.source,
		Bind:       f.bind,
		Port:       f.port,
		AllowHosts: f.allow,
		Drafts:     f.drafts,
		Future:     f.future,
		Poll:       f.poll,
		Open:       f.open,
		Navigate:   f.navigate,
		Out:        stderr, // the address, rebuilds, warnings and errors
		Setting:    func(option string) string { return serveFlag[option] },
	})
	var oe *serve.OptionError
	switch {
	case errors.As(err, &oe) && serveFlag[oe.Option] != "":
		fmt.Fprintf(stderr, "steward serve: %s %s: %s\n", serveFlag[oe.Option], oe.Value, oe.Reason)
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "steward serve: %v\n", err)
		return exitBuildError
	}
	return exitOK
}
