package serve

import (
	"os/exec"
	"testing"

	"github.com/steward-ssg/steward/generator/internal/nodetest"
)

// TestLiveJS runs live.js's own tests with node --test. Without Node the
// test skips, except under CI; -short skips it too, as it starts Node.
func TestLiveJS(t *testing.T) {
	node := nodetest.Require(t, "live.js")
	out, err := exec.Command(node, "--test", "live_test.mjs").CombinedOutput()
	if err != nil {
		t.Fatalf("node --test live_test.mjs: %v\n%s", err, out)
	}
}
