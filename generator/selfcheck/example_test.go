package selfcheck

import (
	"os"
	"strings"
	"testing"
)

// TestExampleEssayInStep: the browser scenarios are written for
// testdata/continuum.yaml, which is the example essay's block; edit both
// together.
func TestExampleEssayInStep(t *testing.T) {
	essay, err := os.ReadFile("../../content/two-leadership-models.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/continuum.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(essay), "```selfcheck\n")
	if !ok {
		t.Fatal("the example essay has no selfcheck block")
	}
	block, _, _ = strings.Cut(block, "```")
	if block != string(want) {
		t.Error("content/two-leadership-models.md's self-check differs from testdata/continuum.yaml; keep them identical")
	}
}
