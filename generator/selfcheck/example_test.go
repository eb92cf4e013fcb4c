package selfcheck

import (
	"os"
	"strings"
	"testing"
)

// TestExampleEssayInStep: the browser scenarios are written for
// testdata/continuum.yaml and testdata/quadrant.yaml, which are the example
// essays' blocks; edit each pair together.
func TestExampleEssayInStep(t *testing.T) {
	for essay, test := range map[string]string{
		"two-leadership-models.md": "continuum.yaml",
		"the-time-test.md":         "quadrant.yaml",
	} {
		src, err := os.ReadFile("../../content/" + essay)
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile("testdata/" + test)
		if err != nil {
			t.Fatal(err)
		}
		_, block, ok := strings.Cut(string(src), "```selfcheck\n")
		if !ok {
			t.Fatalf("content/%s has no selfcheck block", essay)
		}
		block, _, _ = strings.Cut(block, "```")
		if block != string(want) {
			t.Errorf("content/%s's self-check differs from testdata/%s; keep them identical", essay, test)
		}
	}
}
