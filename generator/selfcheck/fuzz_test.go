package selfcheck

import (
	"encoding/json"
	"errors"
	"fmt"
	"github.com/steward-ssg/steward/generator/internal/fuzzpos"
	"html/template"
	"os"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/diag"
)

// FuzzSelfCheck parses any fence body as a self-check, at line 7 of the
// file inside a fence indented by two, and checks what must hold for
// every input:
//   - no panic;
//   - every diagnostic names the file, at a line of the block (or the one
//     after it) and a column of that line;
//   - a block comes back exactly when there is no error;
//   - a block that parsed renders, with one data script holding valid JSON;
//   - CheckPage finds the duplicate when a page holds the block twice, and
//     nothing when it holds it once.
//
// Seeds: every block of the validation tests, the example blocks in
// testdata/, and testdata/fuzz/FuzzSelfCheck. Run it longer with
//
//	go test -run '^$' -fuzz '^FuzzSelfCheck$' -fuzztime 10m -fuzzminimizetime 5s -parallel 1 ./generator/selfcheck
func FuzzSelfCheck(f *testing.F) {
	f.Add([]byte(base))
	f.Add([]byte(quizBase))
	for _, c := range validationCases {
		f.Add([]byte(c.src))
	}
	for _, name := range []string{"testdata/continuum.yaml", "testdata/quiz.yaml", "testdata/quadrant.yaml"} {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		defer fuzzpos.Watchdog(body)()
		if err := checkBlock(body); err != nil {
			t.Fatalf("%v\n--- block:\n%q", err, body)
		}
	})
}

const (
	fuzzFile      = "content/essay.md"
	fuzzFirstLine = 7
	fuzzCol       = 2
)

func checkBlock(body []byte) error {
	b, diags := Parse(fuzzFile, body, fuzzFirstLine, fuzzCol)
	var errs []error
	for _, d := range diags {
		if err := checkPos(d.Pos, body); err != nil {
			errs = append(errs, fmt.Errorf("%q: %w", d.Error(), err))
		}
	}
	if (b == nil) != diags.HasErrors() {
		errs = append(errs, fmt.Errorf("block %v returned with diagnostics %v", b != nil, diags))
	}
	if b == nil {
		return errors.Join(errs...)
	}
	if err := checkPos(b.Pos(), body); err != nil {
		errs = append(errs, fmt.Errorf("the block's position: %w", err))
	}
	_ = b.Texts()
	inline := func(s string) template.HTML { return template.HTML("<em>" + template.HTMLEscapeString(s) + "</em>") }
	h, err := b.Render(inline, DefaultStrings())
	if err != nil {
		errs = append(errs, fmt.Errorf("a block that parsed does not render: %w", err))
	} else if err := checkData(string(h)); err != nil {
		errs = append(errs, err)
	}
	if l := CheckPage([]*Block{b}); len(l) != 0 {
		errs = append(errs, fmt.Errorf("one block alone on a page: %v", l))
	}
	if l := CheckPage([]*Block{b, nil, b}); len(l) != 1 || !l.HasErrors() || !strings.Contains(l[0].Msg, "duplicate id") {
		errs = append(errs, fmt.Errorf("the block twice on a page gave %v, want one duplicate id error", l))
	} else if err := checkPos(l[0].Pos, body); err != nil {
		errs = append(errs, fmt.Errorf("the duplicate's position: %w", err))
	}
	return errors.Join(errs...)
}

// checkData checks the widget's data script: one, holding valid JSON.
func checkData(h string) error {
	const open = `<script type="application/json" class="sc-data">`
	if n := strings.Count(h, "<script"); n != 1 {
		return fmt.Errorf("the widget has %d script elements, want 1:\n%s", n, h)
	}
	_, data, ok := strings.Cut(h, open)
	if !ok {
		return fmt.Errorf("the widget has no data script:\n%s", h)
	}
	data, _, ok = strings.Cut(data, "</script>")
	if !ok || !json.Valid([]byte(data)) {
		return fmt.Errorf("the widget's data is not valid JSON: %s", data)
	}
	return nil
}

// checkPos checks that p is in the block: from its first line to the one
// after its last, at a column from 1 to one past the end of the line
// (counting the fence's indentation). A block's diagnostics always have a
// line.
func checkPos(p diag.Pos, body []byte) error {
	if p.Line == 0 {
		return fmt.Errorf("%s has no line", p)
	}
	return fuzzpos.Check(p, fuzzFile, fuzzpos.Widths(body), fuzzFirstLine, fuzzCol)
}
