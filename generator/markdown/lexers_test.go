package markdown

import (
	"strings"
	"sync"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// TestLexerLimits: once code is highlighted, every expression of the
// lexers that highlighted it has matchLimit, not chroma's 250 ms that a
// loaded machine runs out of (see matchLimit): the lexer named by the
// fence, one it hands parts to by name (HTML's CSS, from the second
// block on), one it holds (a template language inside HTML), and one a
// closure reaches (Go's raw strings, lexed as Go templates).
func TestLexerLimits(t *testing.T) {
	c := New(Options{})
	body := strings.Join([]string{
		"```python\ndef f(x):\n    return x\n```",
		"```html\n<style>p { color: red }</style>\n```",
		"```html\n<style>em { color: blue }</style>\n```",
		"```go-html-template\n<p>{{ .Title }}</p>\n```",
		"```go\nvar s = `{{ .X }}`\n```",
		"```go\nvar t = `{{ .Y }}`\n```",
	}, "\n\n")
	r := c.Convert(Input{File: "content/a.md", Body: []byte(body)})
	if len(r.Diags) != 0 {
		t.Fatalf("diagnostics: %v", r.Diags)
	}
	for _, name := range []string{"python", "html", "css", "javascript", "go", "go-html-template", "go-text-template"} {
		l := lexers.Get(name)
		if l == nil {
			t.Fatalf("no lexer %q", name)
		}
		rls := regexLexers(l)
		if len(rls) == 0 {
			t.Fatalf("%s: no regular-expression lexer found in %T", name, l)
		}
		for _, rl := range rls {
			rules := compiledRules(rl)
			if rules == nil {
				if name == "javascript" {
					continue // not compiled: no script in the blocks
				}
				t.Fatalf("%s (%s): no compiled rules found: has chroma renamed RegexLexer.rules?", name, rl)
			}
			n := 0
			for state, rs := range rules {
				for i, rule := range rs {
					if rule.Regexp == nil {
						continue
					}
					n++
					if rule.Regexp.MatchTimeout != matchLimit {
						t.Fatalf("%s (%s): rule %s.%d has a limit of %v, want %v", name, rl, state, i, rule.Regexp.MatchTimeout, matchLimit)
					}
				}
			}
			if n == 0 && name != "javascript" {
				t.Errorf("%s (%s): no compiled expression", name, rl)
			}
		}
	}
}

// TestRegexLexers: a delegating lexer's parts are found.
func TestRegexLexers(t *testing.T) {
	if got := len(regexLexers(lexers.Get("go-html-template"))); got != 2 {
		t.Errorf("go-html-template: %d regular-expression lexers, want 2 (HTML and Go templates)", got)
	}
	if got := regexLexers(lexers.Get("python")); len(got) != 1 || got[0] != lexers.Get("python").(*chroma.RegexLexer) {
		t.Errorf("python: %v", got)
	}
}

// TestLexerGateConcurrent: essays converted at once, as a build converts
// them, each meeting lexers for the first time and lexers that hand code
// on (run with -race to see the gate keep limits and matches apart).
func TestLexerGateConcurrent(t *testing.T) {
	c := New(Options{})
	bodies := []string{
		"```markdown\n# T\n\n```rust\nfn main() {}\n```\n```",
		"```html\n<script>let x = 1</script>\n```",
		"```go\nvar s = `{{ .Z }}`\n```",
		"```svelte\n<script>let y = 2</script>\n<p>{y}</p>\n```",
		"```yaml\na: 1\n```",
	}
	want := make([]string, len(bodies))
	for i, b := range bodies {
		want[i] = string(c.Convert(Input{File: "content/a.md", Body: []byte(b)}).HTML)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 20 {
				j := (i + w) % len(bodies)
				if got := string(New(Options{}).Convert(Input{File: "content/a.md", Body: []byte(bodies[j])}).HTML); got != want[j] {
					t.Errorf("block %d differs when converted alongside others", j)
				}
			}
		})
	}
	wg.Wait()
}
