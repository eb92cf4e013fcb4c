package content

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"time"
)

// FormatFront writes f as YAML front matter, between its --- lines, for
// a tool that creates essays (steward new, steward import): the keys of
// FrontMatter that are set, in the order the README lists them, each
// value written so that Parse reads back exactly f. Params are not
// written.
func FormatFront(f FrontMatter) []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	str := func(key, v string) {
		if v != "" {
			b.WriteString(key + ": " + YAMLString(v) + "\n")
		}
	}
	list := func(key string, vs []string) {
		if len(vs) == 0 {
			return
		}
		b.WriteString(key + ": [")
		for i, v := range vs {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(YAMLString(v))
		}
		b.WriteString("]\n")
	}
	date := func(key string, t time.Time) {
		if !t.IsZero() {
			b.WriteString(key + ": " + formatDate(t) + "\n")
		}
	}
	str("title", f.Title)
	date("date", f.Date)
	date("lastmod", f.Lastmod)
	if f.Draft {
		b.WriteString("draft: true\n")
	}
	list("tags", f.Tags)
	str("summary", f.Summary)
	str("description", f.Description)
	str("slug", f.Slug)
	str("author", f.Author)
	list("aliases", f.Aliases)
	b.WriteString("---\n")
	return b.Bytes()
}

// formatDate writes a date as a day when it is midnight in UTC, else in
// RFC 3339 with its zone.
func formatDate(t time.Time) string {
	if t.Location() == time.UTC && t.Equal(t.Truncate(24*time.Hour)) {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339)
}

var (
	// plainYAML matches strings that YAML reads back as themselves when
	// written without quotes: a letter first, and no character that
	// could start or end another construct (": ", " #", flow brackets,
	// quotes, escapes).
	plainYAML = regexp.MustCompile(`^\pL[^:#"'\\{}\[\],&*!|>%@` + "`" + `\x00-\x1f\x7f\x{85}\x{2028}\x{2029}]*$`)
	// yamlWords are the plain words YAML 1.1 and 1.2 read as something
	// other than a string.
	yamlWords = regexp.MustCompile(`(?i)^(y|n|yes|no|on|off|true|false|null|nan|inf)$`)
)

// YAMLString writes s as a YAML scalar that reads back as s: plain when
// that is safe, else double-quoted (JSON's escapes are YAML's).
func YAMLString(s string) string {
	if plainYAML.MatchString(s) && !yamlWords.MatchString(s) && strings.TrimSpace(s) == s {
		return s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}
