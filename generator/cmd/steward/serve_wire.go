package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

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
	gc := -1
	defer func() {
		if gc >= 0 {
			debug.SetGCPercent(gc)
		}
	}()
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
		Ready: func(string) {
			// The server holds the whole site in memory (about 540 MB
			// of live heap at 10,000 essays) and each rebuild allocates
			// a little of it again. With Go's default the heap doubles
			// before a collection, and on these machines touching that
			// much fresh memory made rebuilds slower, not faster: at
			// 10,000 essays, in runs interleaved with the default, a
			// save was served in a median of 110-130 ms against 119-143
			// (p90 151-177 against 198-218), and the heap stays within
			// a quarter of what is live. Set once the first build is
			// done, which runs with the default; GOGC, when set, wins.
			if os.Getenv("GOGC") == "" {
				gc = debug.SetGCPercent(25)
			}
		},
	})
	var oe *serve.OptionError
	switch {
	case errors.As(err, &oe) && serveFlag[oe.Option] != "":
		fmt.Fprintf(stderr, "steward serve: %s %s: %s\n", serveFlag[oe.Option], oe.Value, oe.Reason)
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "steward serve: %s\n", strings.TrimPrefix(err.Error(), "serve: "))
		return exitBuildError
	}
	return exitOK
}
