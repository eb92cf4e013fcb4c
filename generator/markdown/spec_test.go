package markdown_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/markdown"
)

// The CommonMark spec's examples and goldmark's own case files are
// Markdown written to reach every corner of the grammar. They ship in
// goldmark's module (spec.json in _test/, case files in _test/ and
// extension/_test/), so the tests read them from the module cache rather
// than keep a copy that would drift from the goldmark in use.

// mdCase is one piece of Markdown from goldmark's module.
type mdCase struct {
	// Name says where it comes from: "spec example 12 (Tabs)",
	// "footnote.txt case 3".
	Name string
	MD   []byte
}

// goldmarkDir is the folder of the goldmark module this build uses.
func goldmarkDir() (string, error) {
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/yuin/goldmark")
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			err = fmt.Errorf("%v: %s", err, bytes.TrimSpace(ee.Stderr))
		}
		return "", fmt.Errorf("go list -m github.com/yuin/goldmark: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", errors.New("goldmark's module is not in the module cache; run go mod download github.com/yuin/goldmark")
	}
	return dir, nil
}

// corpusMissing fails under CI, where the corpus must be there, and
// skips elsewhere, saying why.
func corpusMissing(tb testing.TB, err error) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatalf("cannot read goldmark's test corpus (CI is set, so this fails instead of skipping): %v", err)
	}
	tb.Skipf("skipped: cannot read goldmark's test corpus: %v", err)
}

// specExamples reads every example of the CommonMark spec.
func specExamples() ([]mdCase, error) {
	dir, err := goldmarkDir()
	if err != nil {
		return nil, err
	}
	src, err := os.ReadFile(filepath.Join(dir, "_test", "spec.json"))
	if err != nil {
		return nil, err
	}
	var examples []struct {
		Markdown string `json:"markdown"`
		Example  int    `json:"example"`
		Section  string `json:"section"`
	}
	if err := json.Unmarshal(src, &examples); err != nil {
		return nil, fmt.Errorf("spec.json: %w", err)
	}
	// The spec has had over 600 examples since 0.28; far fewer means the
	// file changed shape, and the tests would silently cover little.
	if len(examples) < 600 {
		return nil, fmt.Errorf("spec.json: only %d examples, expected more than 600", len(examples))
	}
	cases := make([]mdCase, len(examples))
	for i, e := range examples {
		cases[i] = mdCase{Name: fmt.Sprintf("spec example %d (%s)", e.Example, e.Section), MD: []byte(e.Markdown)}
	}
	return cases, nil
}

// caseFileInputs reads the Markdown of every case in goldmark's case
// files: extension/_test/*.txt and _test/*.txt.
func caseFileInputs() ([]mdCase, error) {
	dir, err := goldmarkDir()
	if err != nil {
		return nil, err
	}
	var files []string
	for _, pattern := range []string{"extension/_test/*.txt", "_test/*.txt"} {
		m, err := filepath.Glob(filepath.Join(dir, filepath.FromSlash(pattern)))
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	if len(files) < 5 {
		return nil, fmt.Errorf("found only %d case files in %s", len(files), dir)
	}
	var cases []mdCase
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		got, err := parseCaseFile(src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		rel, _ := filepath.Rel(dir, f)
		for i, c := range got {
			cases = append(cases, mdCase{Name: fmt.Sprintf("%s case %d", filepath.ToSlash(rel), i+1), MD: c})
		}
	}
	return cases, nil
}

const (
	inputSeparator = "//- - - - - - - - -//"
	caseSeparator  = "//= = = = = = = = = = = = = = = = = = = = = = = =//"
)

// parseCaseFile returns the inputs of a goldmark case file: cases are
// separated by caseSeparator lines; a case's Markdown stands between its
// first two inputSeparator lines (its expected HTML follows). A case whose
// options enable escapes gives its input twice: as written, and with
// \xNN, \uNNNN and the like turned into the characters they name, as
// goldmark's own tests feed it.
func parseCaseFile(src []byte) ([][]byte, error) {
	var cases [][]byte
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(nil, 1<<20)
	const (
		header = iota
		input
		expected
	)
	state, escapes := header, false
	var lines []string
	for sc.Scan() {
		line := sc.Text()
		switch state {
		case header:
			if strings.Contains(line, `"enableEscape": true`) {
				escapes = true
			}
			if line == inputSeparator {
				state, lines = input, nil
			}
		case input:
			if line == inputSeparator {
				md := strings.Join(lines, "\n")
				cases = append(cases, []byte(md))
				if escapes {
					cases = append(cases, applyEscapes(md))
				}
				state = expected
				continue
			}
			lines = append(lines, line)
		case expected:
			if line == caseSeparator {
				state, escapes = header, false
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if state == input {
		return nil, errors.New("a case's input has no closing separator")
	}
	if len(cases) == 0 {
		return nil, errors.New("no cases found: has the format changed?")
	}
	return cases, nil
}

// applyEscapes turns the escapes goldmark's case files use into the bytes
// they stand for.
func applyEscapes(s string) []byte {
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b = append(b, s[i])
			continue
		}
		if c, ok := map[byte]byte{'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v', '\\': '\\'}[s[i+1]]; ok {
			b = append(b, c)
			i++
			continue
		}
		if s[i+1] == 'x' && i+4 <= len(s) {
			if v, err := hex.DecodeString(s[i+2 : i+4]); err == nil {
				b = append(b, v[0])
				i += 3
				continue
			}
		}
		if (s[i+1] == 'u' || s[i+1] == 'U') && i+6 <= len(s) {
			n := 4
			if i+10 <= len(s) && isHex(s[i+2:i+10]) {
				n = 8
			}
			if v, err := strconv.ParseUint(s[i+2:i+2+n], 16, 32); err == nil {
				b = append(b, string(rune(v))...)
				i += 1 + n
				continue
			}
		}
		b = append(b, s[i])
	}
	return b
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

func TestParseCaseFile(t *testing.T) {
	src := "1\n" + inputSeparator + "\na *b*\n\nc\n" + inputSeparator + "\n<p>a</p>\n" + caseSeparator + "\n\n" +
		"2: escapes\n    OPTIONS: {\"enableEscape\": true}\n" + inputSeparator + "\nx\\x00y\\u00e9\n" + inputSeparator + "\n" + inputSeparator + "\n" + caseSeparator + "\n"
	got, err := parseCaseFile([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a *b*\n\nc", `x\x00y\u00e9`, "x\x00yé"}
	if len(got) != len(want) {
		t.Fatalf("got %d cases %q, want %q", len(got), got, want)
	}
	for i := range want {
		if string(got[i]) != want[i] {
			t.Errorf("case %d = %q, want %q", i, got[i], want[i])
		}
	}
	if _, err := parseCaseFile([]byte("1\n" + inputSeparator + "\nx\n")); err == nil {
		t.Error("an unclosed input should be an error")
	}
}

// TestSpecExamples converts every CommonMark spec example as an essay's
// body, with raw HTML off and on, and holds each result to the invariants
// the fuzz target checks.
func TestSpecExamples(t *testing.T) {
	cases, err := specExamples()
	if err != nil {
		corpusMissing(t, err)
	}
	convertAll(t, cases)
}

// TestCaseFileInputs does the same for goldmark's case files.
func TestCaseFileInputs(t *testing.T) {
	cases, err := caseFileInputs()
	if err != nil {
		corpusMissing(t, err)
	}
	if len(cases) < 100 {
		t.Fatalf("only %d cases in goldmark's case files; expected well over 100", len(cases))
	}
	convertAll(t, cases)
}

func convertAll(t *testing.T, cases []mdCase) {
	h := newHarness()
	for i, c := range cases {
		for _, unsafe := range []bool{false, true} {
			in := h.input(c.MD, 0)
			ids := h.style(uint8(i))
			if err := h.check(in, unsafe, ids); err != nil {
				t.Errorf("%s, raw HTML %s, %s heading ids:\n%s\n--- Markdown:\n%s", c.Name, onOff(unsafe), ids, err, c.MD)
			}
		}
	}
}

// TestSpecExamplesAfterFrontMatter places every spec example after YAML
// front matter, as a file of content/, and converts its body as the build
// does: positions must then be within the whole file.
func TestSpecExamplesAfterFrontMatter(t *testing.T) {
	cases, err := specExamples()
	if err != nil {
		corpusMissing(t, err)
	}
	h := newHarness()
	const front = "---\ntitle: An essay\ndate: 2024-03-12\ntags: [a, b]\n---\n"
	for _, c := range cases {
		raw := append([]byte(front), c.MD...)
		p, diags := content.Parse("content/essay.md", raw)
		if p == nil {
			// The front matter is valid, and no body that is valid UTF-8
			// (every example is) can make the file unusable.
			t.Errorf("%s: content.Parse refused the file: %v", c.Name, diags)
			continue
		}
		if p.BodyLine != 6 || p.Title != "An essay" {
			t.Errorf("%s: body line %d, title %q; want 6, %q", c.Name, p.BodyLine, p.Title, "An essay")
		}
		for _, unsafe := range []bool{false, true} {
			in := h.input(p.Body, p.BodyLine-1)
			if err := h.check(in, unsafe, markdown.GitHubIDs); err != nil {
				t.Errorf("%s after front matter, raw HTML %s:\n%s\n--- file:\n%s", c.Name, onOff(unsafe), err, raw)
			}
		}
	}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// stack is the stack of a recovered panic, trimmed for a test's report.
func stack() string {
	s := string(debug.Stack())
	if len(s) > 4000 {
		s = s[:4000] + "\n..."
	}
	return s
}
