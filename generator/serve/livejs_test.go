package serve

import (
	"os"
	"os/exec"
	"testing"
)

// TestLiveJS runs live.js's own tests with node --test. Without Node the
// test skips, except under CI; -short skips it too, as it starts Node.
func TestLiveJS(t *testing.T) {
	if testing.Short() {
		t.Skip("runs live_test.mjs in Node; -short skips it (run go test without -short)")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node not found; it runs live_test.mjs")
		}
		t.Skip("node not found; install Node.js to run live_test.mjs")
	}
	out, err := exec.Command(node, "--test", "live_test.mjs").CombinedOutput()
	if err != nil {
		t.Fatalf("node --test live_test.mjs: %v\n%s", err, out)
	}
}
