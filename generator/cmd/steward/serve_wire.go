package main

import (
	"context"
	"fmt"
	"io"
)

func serveSite(ctx context.Context, f serveFlags, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "steward serve: not available yet")
	return exitBuildError
}
