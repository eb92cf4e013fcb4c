package markdown

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// emptyCellsTable is a header of cols columns above rows lines of one
// cell each.
func emptyCellsTable(cols, rows int) string {
	return "|" + strings.Repeat(" a |", cols) + "\n|" + strings.Repeat("---|", cols) + "\n" + strings.Repeat("b\n", rows)
}

// TestTablesAsGFM: tables come out as goldmark's GFM makes them, ragged
// rows, escaped pipes and code included, up to the limit on cells left
// out.
func TestTablesAsGFM(t *testing.T) {
	ours := goldmark.New(goldmark.WithExtensions(extension.Linkify, tables{}, extension.Strikethrough, extension.TaskList))
	gfm := goldmark.New(goldmark.WithExtensions(extension.GFM))
	for _, src := range []string{
		"| a | b |\n|---|:-:|\n| 1 | 2 |\n",
		"a | b | c\n-|-:|:-\n1\n1 | 2 | 3 | 4\n\n",
		"Text above\n| a | b |\n| - | - |\n| `x \\| y` | z \\| w |\n~~old~~ www.example.org\n",
		"| a |\n|---|\n",
		"|a|b|\n|-|-|\n- [x] not a row\n",
		"| - | - |\n| - | - |\n| a | b |\n",
		"|-|\n|-|\n",
		"| a | b |\n|---|---x|\n| 1 | 2 |\n",
		emptyCellsTable(200, 500), // 99,500 cells left out
	} {
		var a, b bytes.Buffer
		if err := ours.Convert([]byte(src), &a); err != nil {
			t.Fatal(err)
		}
		if err := gfm.Convert([]byte(src), &b); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("%.80q:\n%.300s\n--- GFM:\n%.300s", src, a.String(), b.String())
		}
	}
}

// TestTableLeavingOutTooMuch: a table whose rows leave out over
// maxEmptyCells cells is text, with a warning at its header; one a cell
// under is a table.
func TestTableLeavingOutTooMuch(t *testing.T) {
	c := New(Options{})
	for _, tt := range []struct {
		body, want string
	}{
		{"Intro.\n\n" + emptyCellsTable(1000, 1000), "content/a.md:5:1: warning: this table's 1000 rows leave out over 100000 of its 1000 columns' cells, so it is shown as text, not as a table; write the rows' cells out, or end the table with a blank line where it ends"},
		{emptyCellsTable(101, 1001), "content/a.md:3:1: warning: this table's 1001 rows leave out over 100000 of its 101 columns' cells"}, // 100,100
		{emptyCellsTable(101, 1000), ""}, // 100,000
		{emptyCellsTable(3, 1000), ""},
	} {
		r := c.Convert(Input{File: "content/a.md", Body: []byte(tt.body), LineOffset: 2})
		var got []string
		for _, d := range r.Diags {
			got = append(got, d.Error())
		}
		isTable := bytes.Contains(r.HTML, []byte("<table>"))
		switch {
		case tt.want == "" && (len(got) != 0 || !isTable):
			t.Errorf("%.40q: table %v, diagnostics %q; want a table", tt.body, isTable, got)
		case tt.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0], tt.want) || isTable):
			t.Errorf("%.40q: table %v, diagnostics %q; want text and %s", tt.body, isTable, got, tt.want)
		}
	}
}
