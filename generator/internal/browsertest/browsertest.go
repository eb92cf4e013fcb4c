// Package browsertest owns what every real-browser test needs: finding
// Debian's Chromium, skipping without it (failing instead when CI is set),
// and the flags that make headless Chromium quiet and reproducible on this
// machine. Tests add their own window size and flags.
package browsertest

import (
	"context"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// Chromium is where Debian's chromium package installs the browser.
const Chromium = "/usr/bin/chromium"

// Install is the command that provides Chromium.
const Install = "apt-get install -y chromium"

// Require skips t under go test -short, whose point is a quick run
// without the browser. Otherwise it skips t when Chromium is missing, or
// fails it when the CI environment variable is set, since CI must have
// installed it.
func Require(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("a real-browser check; -short skips it (run go test without -short)")
	}
	if _, err := os.Stat(Chromium); err == nil {
		return
	}
	msg := Chromium + " not found; install it with: " + Install
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI is set, so this fails instead of skipping)")
	}
	t.Skip(msg)
}

// Options are the allocator options for a headless Chromium with its own
// profile in userDataDir, followed by extra. The background-networking
// flags matter here: without them Chromium dials Google's hosts, which
// this machine's closed network refuses.
func Options(userDataDir string, extra ...chromedp.ExecAllocatorOption) []chromedp.ExecAllocatorOption {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(userDataDir),
	}
	return append(opts, extra...)
}

// Eval evaluates a JavaScript expression in the page and returns its
// value, failing t when it cannot.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}
