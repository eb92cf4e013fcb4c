package config

import "testing"

// TestPermalinks: Hugo's permalinks setting, keyed by section, with each
// fault at its line and column in site.yaml (quoted or not).
func TestPermalinks(t *testing.T) {
	const tokens = " (the tokens are :year, :month, :monthname, :day, :weekday, :weekdayname, :yearday, :section, :sections, :title, :slug, :slugorfilename, :filename, :contentbasename)"
	tests := []struct {
		name, src string
		want      []string // every diagnostic
	}{
		{"Hugo's dated posts", "permalinks:\n  post: /:year/:month/:day/:slug/\n  notes: \":section/:title\"\n  /: /:filename/\n", nil},
		{"unknown token", "permalinks:\n  post: /:year/:mnth/:slug/\n", []string{`site.yaml:2:16: permalinks.post: unknown token :mnth; did you mean :month?` + tokens}},
		{"unknown token, quoted", "permalinks: {post: \"/:yr/:slug/\"}\n", []string{`site.yaml:1:22: permalinks.post: unknown token :yr; did you mean :year?` + tokens}},
		{"two faults in one pattern", "permalinks:\n  post: '/:yaer/:sluggo/'\n", []string{
			`site.yaml:2:11: permalinks.post: unknown token :yaer; did you mean :year?` + tokens,
			`site.yaml:2:17: permalinks.post: unknown token :sluggo; did you mean :slug?` + tokens,
		}},
		{"a lone colon", "permalinks:\n  post: /:/x/\n", []string{`site.yaml:2:10: permalinks.post: a : must start a token such as :year or :slug`}},
		{"part of a token", "permalinks:\n  post: /:sections[1:]/:slug/\n", []string{`site.yaml:2:19: permalinks.post: :sections[...] (a part of a token) is not supported; use the whole token`}},
		{"an HTML file", "permalinks:\n  post: /:year/:slug.html\n", []string{`site.yaml:2:16: permalinks.post: Steward writes each essay as a folder's index.html; end the pattern with / (/:year/:slug/)`}},
		{"empty", "permalinks:\n  post: /\n", []string{`site.yaml:2:9: permalinks.post is empty; write a pattern such as /:year/:month/:slug/`}},
		{"a query", "permalinks:\n  post: /:slug/?x\n", []string{`site.yaml:2:16: permalinks.post: a URL pattern is a path of folders, without ?, # or \`}},
		{"a path as section", "permalinks:\n  post/2019: /:slug/\n", []string{`site.yaml:2:3: permalinks: "post/2019" is no section; name a folder at the top of content/ (post), or / for the essays at its top`}},
		{"not a map", "permalinks: /:slug/\n", []string{`site.yaml:1:13: ...`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := Parse([]byte(tt.src))
			if len(diags) != len(tt.want) {
				t.Fatalf("got %d diagnostics %v, want %q", len(diags), diags, tt.want)
			}
			for i, w := range tt.want {
				if !sameMessage(diags[i].Error(), w) {
					t.Errorf("diagnostic %d:\n got: %s\nwant: %s", i, diags[i].Error(), w)
				}
			}
		})
	}
}
