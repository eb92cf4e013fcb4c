package main

import (
	"context"
	"fmt"
	"io"

	"github.com/steward-ssg/steward/generator/serve"
)

// serveSite runs the dev server until ctx ends (Ctrl-C).
func serveSite(ctx context.Context, f serveFlags, stdout, stderr io.Writer) int {
	err := serve.Run(ctx, serve.Options{
		Source:   f.source,
		Bind:     f.bind,
		Port:     f.port,
		Drafts:   f.drafts,
		Future:   f.future,
		Poll:     f.poll,
		Open:     f.open,
		Navigate: f.navigate,
		Out:      stderr, // the address, rebuilds, warnings and errors
	})
	if err != nil {
		fmt.Fprintf(stderr, "steward serve: %v\n", err)
		return exitBuildError
	}
	return exitOK
}
