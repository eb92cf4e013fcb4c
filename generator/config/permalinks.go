package config

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/strictyaml"
)

// PermalinkTokens are the tokens a permalinks pattern may hold, as Hugo
// names them; content.Permalink expands each (the two lists are kept
// alike by content's tests).
func PermalinkTokens() []string {
	return []string{
		"year", "month", "monthname", "day", "weekday", "weekdayname", "yearday",
		"section", "sections", "title", "slug", "slugorfilename", "filename", "contentbasename",
	}
}

// checkPermalinks reports, at its line and column in src, what cannot be
// used in each pattern of permalinks: an unknown token, a section that is
// not one folder, a pattern that is not a path of folders.
func checkPermalinks(src []byte, doc *strictyaml.Doc, permalinks map[string]string) diag.List {
	var diags diag.List
	tokens := PermalinkTokens()
	for _, section := range slices.Sorted(maps.Keys(permalinks)) {
		pattern := permalinks[section]
		at := doc.ValuePos("$.permalinks." + section)
		if section == "" || section != "/" && (strings.ContainsAny(section, "/\\") || section == "." || section == "..") {
			diags.Add(doc.Pos("$.permalinks."+section), "permalinks: %q is no section; name a folder at the top of content/ (post), or / for the essays at its top", section)
			continue
		}
		// A quoted pattern starts a column after its value's position.
		line := []rune(string(lineOf(src, at.Line)))
		start := at
		if at.Col-1 < len(line) && (line[at.Col-1] == '"' || line[at.Col-1] == '\'') {
			start.Col++
		}
		// col is where byte i of the pattern is written, when the pattern
		// stands on its line as it reads (not folded, nor escaped beyond
		// it); else the value's position.
		col := func(i int) diag.Pos {
			p := start
			p.Col += utf8.RuneCount([]byte(pattern[:i]))
			if p.Col > len(line) {
				return at
			}
			return p
		}
		if strings.TrimSpace(pattern) == "" || strings.Trim(pattern, "/") == "" {
			diags.Add(at, "permalinks.%s is empty; write a pattern such as /:year/:month/:slug/", section)
			continue
		}
		if strings.ContainsAny(pattern, "?#\\\x00") {
			diags.Add(col(strings.IndexAny(pattern, "?#\\\x00")), "permalinks.%s: a URL pattern is a path of folders, without ?, # or \\", section)
			continue
		}
		if ext := strings.ToLower(pattern[strings.LastIndexByte(pattern, '/')+1:]); strings.HasSuffix(ext, ".html") || strings.HasSuffix(ext, ".htm") {
			diags.Add(col(strings.LastIndexByte(pattern, '/')+1), "permalinks.%s: Steward writes each essay as a folder's index.html; end the pattern with / (/:year/:slug/)", section)
			continue
		}
		for i := 0; i < len(pattern); i++ {
			if pattern[i] != ':' {
				continue
			}
			j := i + 1
			for j < len(pattern) && ('a' <= pattern[j] && pattern[j] <= 'z' || 'A' <= pattern[j] && pattern[j] <= 'Z') {
				j++
			}
			name := pattern[i+1 : j]
			switch {
			case name == "":
				diags.Add(col(i), "permalinks.%s: a : must start a token such as :year or :slug", section)
			case !slices.Contains(tokens, name):
				msg := fmt.Sprintf("permalinks.%s: unknown token :%s", section, name)
				if near := diag.Nearest(name, tokens); near != "" {
					msg += "; did you mean :" + near + "?"
				}
				diags.Add(col(i), "%s (the tokens are :%s)", msg, strings.Join(tokens, ", :"))
			case j < len(pattern) && pattern[j] == '[':
				diags.Add(col(j), "permalinks.%s: :%s[...] (a part of a token) is not supported; use the whole token", section, name)
				if k := strings.IndexByte(pattern[j:], ']'); k >= 0 {
					j += k + 1
				}
			}
			i = j - 1
		}
	}
	return diags
}

// lineOf returns line n (1-based) of src.
func lineOf(src []byte, n int) []byte {
	for i := 1; i < n; i++ {
		k := bytes.IndexByte(src, '\n')
		if k < 0 {
			return nil
		}
		src = src[k+1:]
	}
	if k := bytes.IndexByte(src, '\n'); k >= 0 {
		src = src[:k]
	}
	return src
}
