package markdown

import (
	"reflect"
	"testing"
)

// TestMathRanges recognises TeX math only where it is unambiguous.
func TestMathRanges(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`a $x_{i}$ b`, []string{`$x_{i}$`}},
		{`$5 and $10`, nil},
		{`costs $5, or $ 6 $`, nil},
		{`$x$5 is no math, $y$ is`, []string{`$y$`}},
		{`\$x$ escaped, $a\$b$ inside`, []string{`$a\$b$`}},
		{"$$\n{k=0}\n$$ and $$x$$", []string{"$$\n{k=0}\n$$", "$$x$$"}},
		{`\(a\) \\(b\\) \[c\] \\[d\\]`, []string{`\(a\)`, `\\(b\\)`, `\[c\]`, `\\[d\\]`}},
		{"$x\x00y$ crosses code", nil},
		{`one $ alone`, nil},
		{`$`, nil},
		{`$$`, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range mathRanges([]byte(tt.in)) {
			got = append(got, tt.in[r.start:r.stop])
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("mathRanges(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestHTMLQuiet finds comments and the content of code elements in a
// block of raw HTML, however it is cut.
func TestHTMLQuiet(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{`<div><pre class="x">a {b}</pre> c <!-- d --></div>`, []string{"a {b}", "<!-- d -->"}},
		{`<CODE>x</code><kbd>y</KBD><samp>z</samp><span>no</span>`, []string{"x", "y", "z"}},
		{`<pre><code>in</code> still</pre>after`, []string{"<code>in</code> still"}},
		{`<script>open`, []string{"open"}},
		{`<pre title="unclosed`, []string{`<pre title="unclosed`}},
		{`<!-- open`, []string{"<!-- open"}},
		{`<precise>x</precise><pre/>`, []string{""}},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range htmlQuiet([]byte(tt.in)) {
			got = append(got, tt.in[r.start:r.stop])
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("htmlQuiet(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
