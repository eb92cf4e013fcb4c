// Package fuzzpos holds, for the fuzz targets, the check that every
// diagnostic's position lies in the input it was made from: one check,
// shared by the targets of config, content, markdown and selfcheck; and
// the watchdog that turns an input that hangs them into a crash.
package fuzzpos

import (
	"bytes"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/steward-ssg/steward/generator/diag"
)

// Widths returns, for each line of src, the most characters it has when
// lines end at \n, as Steward counts them, or at \n, \r\n or \r, as YAML
// does (goccy's positions count a lone \r as a line break).
func Widths(src []byte) []int {
	var widths []int
	for _, sep := range [][]byte{src, bytes.ReplaceAll(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))} {
		for i, l := range bytes.Split(sep, []byte("\n")) {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCount(l))
		}
	}
	return widths
}

// Check says why p is not a place in file's input, whose lines have the
// given widths, start at line firstLine and are indented by indent
// columns; nil when it is one. A position may name the file alone (line 0,
// column 0), or the line after the last (the end of the input); its column
// runs from 1 to one past the end of its line.
func Check(p diag.Pos, file string, widths []int, firstLine, indent int) error {
	if p.File != file {
		return fmt.Errorf("names file %q, not %q", p.File, file)
	}
	if p.Line == 0 {
		if p.Col != 0 {
			return fmt.Errorf("has a column (%d) but no line", p.Col)
		}
		return nil
	}
	i := p.Line - firstLine
	if i < 0 || i > len(widths) {
		return fmt.Errorf("line %d is outside the lines %d..%d", p.Line, firstLine, firstLine+len(widths))
	}
	if p.Col < 1 {
		return fmt.Errorf("line %d has column %d", p.Line, p.Col)
	}
	if i < len(widths) {
		if n := indent + widths[i] + 1; p.Col > n {
			return fmt.Errorf("column %d is past the end of line %d (%d characters)", p.Col, p.Line, n-1)
		}
	}
	return nil
}

// Watchdog panics when a check of input runs for over ten seconds, a
// thousand times what a file takes: Go's fuzzing has no limit of its own
// for one input, so a hang would only stall the run until its -timeout,
// with the input lost, where a crash makes the fuzzer keep it (in
// testdata/fuzz, failing the run). Call the function it returns when the
// check is done.
func Watchdog(input []byte) (stop func()) {
	t := time.AfterFunc(10*time.Second, func() {
		panic(fmt.Sprintf("checking took over 10s: %q", input))
	})
	return func() { t.Stop() }
}
