package markdown

import (
	"strings"
	"testing"
)

// TestUnclosedFence: only a fence that runs to the end of the file because
// no line closes it is warned of, at its opening line; fences closed as
// CommonMark allows (a longer run, trailing spaces, an indent of up to
// three, no final newline) and fences that end with their list or
// quotation are not.
func TestUnclosedFence(t *testing.T) {
	const never = "is never closed"
	tests := []struct {
		name, body string
		want       string // the warning's position and text, or ""
	}{
		{"never closed", "Text.\n\n```go\ncode\n\n## Heading\n", "content/a.md:5:1: warning: this code block, opened with ```, is never closed, so everything after it to the end of the file (3 lines) is shown as code"},
		{"never closed, one line", "Text.\n\n```go\ncode\n", "content/a.md:5:1: warning: this code block, opened with ```, is never closed, so everything after it to the end of the file (1 line) is shown as code"},
		{"tildes, indented", "  ~~~~\ncode\n~~~\n", "content/a.md:3:3: warning: this code block, opened with ~~~~, is never closed"},
		{"info only, at the end", "Text.\n\n```python", "content/a.md:5:1: warning: this code block, opened with ```, is never closed, so everything after it to the end of the file (0 lines)"},
		{"tab padding on the first line", "```\n\tcode\n", "content/a.md:3:1: warning: this code block, opened with ```"},
		{"closed", "```go\ncode\n```\n", ""},
		{"closed, no final newline", "```\ncode\n```", ""},
		{"closed by a longer run with spaces", "```\ncode\n  `````  \r\n", ""},
		{"closed, empty", "```\n```\n", ""},
		{"closed, last of several", "```\na\n```\n\n~~~\nb\n~~~\n", ""},
		{"in a list item, ended by the list", "- item\n\n  ```\n  code\n", ""},
		{"in a quotation", "> ```\n> code\n", ""},
		{"not a fence: two backticks", "``\ncode\n", ""},
		{"an indented code block", "    ```\n    code\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := New(Options{}).Convert(Input{File: "content/a.md", Body: []byte(tt.body), LineOffset: 2})
			var got []string
			for _, d := range r.Diags {
				if strings.Contains(d.Msg, never) {
					got = append(got, d.Error())
				}
			}
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("warned of a fence that is closed: %q", got)
			case tt.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0], tt.want)):
				t.Errorf("got %q, want one warning starting %q", got, tt.want)
			}
		})
	}
}
