package corpus

import (
	"bytes"
	"strings"
	"testing"
)

func TestDeterministicAndShaped(t *testing.T) {
	_, a := Essay(1, 5)
	_, b := Essay(1, 5)
	if !bytes.Equal(a, b) {
		t.Fatal("same seed and index gave different essays")
	}
	if _, c := Essay(2, 5); bytes.Equal(a, c) {
		t.Fatal("another seed gave the same essay")
	}
	words := len(strings.Fields(string(a)))
	if words < 650 || words > 1100 {
		t.Errorf("essay has %d words, want about 800", words)
	}
	for _, want := range []string{"## ", "\n- ", "\n> ", "[^1]:", "```go"} {
		if !bytes.Contains(a, []byte(want)) {
			t.Errorf("essay 5 lacks %q", want)
		}
	}
	if _, d := Essay(1, 6); bytes.Contains(d, []byte("```")) {
		t.Error("only every fifth essay has code")
	}
}
