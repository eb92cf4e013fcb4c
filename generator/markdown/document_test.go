package markdown

import (
	"math/rand/v2"
	"testing"

	"github.com/steward-ssg/steward/generator/diag"
)

// TestPosMatchesLineCol: document.pos, which indexes the lines once and
// counts on from the last position, gives what diag.LineCol gives, for
// offsets asked in order, backwards, on other lines, past the ends, and
// inside or beside UTF-8 sequences broken or whole.
func TestPosMatchesLineCol(t *testing.T) {
	pieces := []string{"a", "b c", "\n", "\n\n", "é", "\xc3", "\xa9", "😀", "\xf0\x9f", "\r\n", "\t"}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 300 {
		var body []byte
		for range rng.IntN(40) {
			body = append(body, pieces[rng.IntN(len(pieces))]...)
		}
		d := &document{in: Input{File: "content/x.md", Body: body, LineOffset: 4}}
		off := 0
		for range 60 {
			switch rng.IntN(4) {
			case 0:
				off = rng.IntN(len(body)+3) - 1 // anywhere, a little outside too
			default:
				off += rng.IntN(4) // on, mostly forwards
			}
			line, col := diag.LineCol(body, off)
			want := diag.Pos{File: "content/x.md", Line: line + 4, Col: col}
			if got := d.pos(off); got != want {
				t.Fatalf("body %d %q, offset %d: pos %v, want %v", n, body, off, got, want)
			}
		}
	}
}
