// Package nodetest starts the checks that run in Node.js (the browser
// scripts' own tests), or skips them, as browsertest does for Chromium.
package nodetest

import (
	"os"
	"os/exec"
	"testing"
)

// Require returns node's path. It skips t under go test -short, whose
// point is a quick run without Node; otherwise it skips t when node is
// missing, or fails it when the CI environment variable is set, since CI
// must have installed it. what names what Node tests, for the message.
func Require(t testing.TB, what string) string {
	t.Helper()
	if testing.Short() {
		t.Skip("a Node.js check of " + what + "; -short skips it (run go test without -short)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is required in CI to test " + what)
		}
		t.Skip("node not found; install Node.js 20 or later to test " + what)
	}
	return node
}
