package content

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	toml "github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/strictyaml"
)

// FrontMatter is what the front matter of an essay says: YAML between
// --- lines, or TOML between +++ lines (as Hugo and Zola write it).
type FrontMatter struct {
	Title       string
	Date        time.Time
	Lastmod     time.Time
	Draft       bool
	Tags        []string
	Summary     string
	Description string
	Slug        string
	Author      string
	Aliases     []string
	// NoSearch is set by search: false: the essay stays out of the site's
	// search index (it is published as usual).
	NoSearch bool
	// Series names the series the essay is part of (series: Delegation);
	// SeriesOrder is its place in it (series_order: 2), 0 when not given:
	// the series is then ordered by date.
	Series      string
	SeriesOrder int
	// Image is the essay's own image for link previews (image:
	// /img/card.png, or a full URL), used instead of its generated card;
	// ImagePos is where its value stands, for errors.
	Image    string
	ImagePos diag.Pos
	// Params holds every key of the front matter that is not one of the
	// fields above (weight, layout, toc, permalink..., and the keys of
	// other tools that are mapped onto them, such as categories), with
	// its value as written: a string, bool, int64, float64, time.Time,
	// []any, map[string]any or nil. Layouts see it as .Essay.Params.
	Params map[string]any
}

// format is the language of a file's front matter.
type format byte

const (
	yamlFront format = 'y'
	tomlFront format = 't'
)

// delimiter is the line that opens and closes front matter of a format.
func (f format) delimiter() string {
	if f == tomlFront {
		return "+++"
	}
	return "---"
}

// ownKeys are the keys of FrontMatter, as written in front matter.
var ownKeys = []string{"title", "date", "lastmod", "draft", "tags", "summary", "description", "slug", "author", "aliases"}

// mappedKeys are keys of other tools that mean what one of ownKeys means
// (see interpret): Hugo's, Jekyll's and Zola's.
var mappedKeys = []string{"tag", "categories", "category", "taxonomies", "updated", "last_modified_at", "modified",
	"publishdate", "pubdate", "published", "excerpt", "redirect_from", "authors"}

// fields is decoded front matter before it is interpreted: its values by
// key, and where each key and value stood in the file.
type fields struct {
	values map[string]any
	// keyPos, valuePos and scalar take paths such as "$.tags[1]" or
	// "$.taxonomies.tags".
	keyPos   func(path string) diag.Pos
	valuePos func(path string) diag.Pos
	// scalar is the source text of a number or boolean, so that one
	// wanted as text reads as written.
	scalar func(path string) (string, bool)
}

// decodeFront decodes front matter of either format. lineOffset is the
// number of lines of the file above it.
func decodeFront(source string, f format, fm []byte, lineOffset int) (*fields, diag.List) {
	if f == tomlFront {
		return decodeTOML(source, fm, lineOffset)
	}
	return decodeYAML(source, fm, lineOffset)
}

func decodeYAML(source string, fm []byte, lineOffset int) (*fields, diag.List) {
	var v any
	doc, diags := strictyaml.Decode(fm, &v, strictyaml.Options{File: source, LineOffset: lineOffset, Context: "front matter"})
	if diags.HasErrors() {
		return nil, diags
	}
	out := &fields{keyPos: doc.Pos, valuePos: doc.ValuePos, scalar: doc.Scalar}
	switch m := v.(type) {
	case nil:
	case map[string]any:
		out.values = m
	default:
		diags.Add(doc.Pos("$"), "front matter: expected keys with values (key: value), found %s", describe(v))
		return nil, diags
	}
	return out, diags
}

func decodeTOML(source string, fm []byte, lineOffset int) (*fields, diag.List) {
	var diags diag.List
	var m map[string]any
	if err := toml.Unmarshal(fm, &m); err != nil {
		pos := diag.Pos{File: source, Line: lineOffset + 1, Col: 1}
		var de *toml.DecodeError
		msg := err.Error()
		if errors.As(err, &de) {
			line, col := de.Position()
			pos.Line, pos.Col = line+lineOffset, runeCol(fm, line, col)
		}
		diags.Add(pos, "front matter: %s", strings.TrimPrefix(msg, "toml: "))
		return nil, diags
	}
	pos := tomlPositions(fm)
	at := func(m map[string][2]int, path string) diag.Pos {
		for {
			if lc, ok := m[path]; ok {
				return diag.Pos{File: source, Line: lc[0] + lineOffset, Col: lc[1]}
			}
			i := strings.LastIndexAny(path, ".[")
			if i <= 0 {
				return diag.Pos{File: source, Line: lineOffset + 1, Col: 1}
			}
			path = path[:i]
		}
	}
	return &fields{
		values:   m,
		keyPos:   func(p string) diag.Pos { return at(pos.keys, p) },
		valuePos: func(p string) diag.Pos { return at(pos.values, p) },
		scalar: func(p string) (string, bool) {
			s, ok := pos.scalars[p]
			return s, ok
		},
	}, diags
}

// runeCol turns go-toml's column, which counts bytes, into one that
// counts characters as every other diagnostic does (diag.LineCol): on
// a line with accents or other scripts the two differ.
func runeCol(doc []byte, line, byteCol int) int {
	start := 0
	for ; line > 1; line-- {
		i := bytes.IndexByte(doc[start:], '\n')
		if i < 0 {
			return byteCol
		}
		start += i + 1
	}
	end := min(start+byteCol-1, len(doc))
	_, col := diag.LineCol(doc, end)
	return col
}

// tomlPos is where the keys and values of a TOML document stand, as
// line and column, by path.
type tomlPos struct {
	keys, values map[string][2]int
	scalars      map[string]string
}

// tomlPositions walks a TOML document that is known to decode, recording
// the position of every key and value. go-toml decodes values; its
// parser, which keeps the range of every node, tells where they were.
func tomlPositions(doc []byte) tomlPos {
	t := tomlPos{keys: map[string][2]int{}, values: map[string][2]int{}, scalars: map[string]string{}}
	var p unstable.Parser
	p.Reset(doc)
	lc := func(off int) [2]int {
		line, col := diag.LineCol(doc, off)
		return [2]int{line, col}
	}
	keyPath := func(prefix string, it unstable.Iterator) (string, int) {
		first := -1
		for it.Next() {
			n := it.Node()
			if first < 0 {
				first = int(n.Raw.Offset)
			}
			prefix += "." + string(n.Data)
		}
		return prefix, first
	}
	arrays := map[string]int{}
	table := "$"
	var value func(path string, n *unstable.Node, off int)
	var keyValue func(prefix string, n *unstable.Node)
	value = func(path string, n *unstable.Node, off int) {
		if n.Raw.Length > 0 {
			off = int(n.Raw.Offset)
		}
		t.values[path] = lc(off)
		switch n.Kind {
		case unstable.Array:
			i := 0
			for it := n.Children(); it.Next(); {
				c := it.Node()
				if c.Kind == unstable.Comment {
					continue
				}
				value(fmt.Sprintf("%s[%d]", path, i), c, off)
				i++
			}
		case unstable.InlineTable:
			for it := n.Children(); it.Next(); {
				if c := it.Node(); c.Kind == unstable.KeyValue {
					keyValue(path, c)
				}
			}
		case unstable.Integer, unstable.Float, unstable.Bool:
			t.scalars[path] = string(n.Data)
		}
	}
	keyValue = func(prefix string, n *unstable.Node) {
		path, first := keyPath(prefix, n.Key())
		if first < 0 {
			return
		}
		t.keys[path] = lc(first)
		// An array has no range of its own: its value starts after the
		// '=' that follows the key.
		off := first
		if i := bytes.IndexByte(doc[first:], '='); i >= 0 {
			off = first + i + 1
			for off < len(doc) && (doc[off] == ' ' || doc[off] == '\t') {
				off++
			}
		}
		value(path, n.Value(), off)
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			path, first := keyPath("$", e.Key())
			if first < 0 {
				continue
			}
			if e.Kind == unstable.ArrayTable {
				i := arrays[path]
				arrays[path]++
				path = fmt.Sprintf("%s[%d]", path, i)
			}
			t.keys[path] = lc(first)
			table = path
		case unstable.KeyValue:
			keyValue(table, e)
		}
	}
	return t
}

// interpret turns decoded front matter into FrontMatter: Steward's own
// keys, the keys of Hugo, Jekyll and Zola that mean the same, and the
// rest kept in Params. A value of the wrong type is an error naming the
// key and showing how to write it; an unknown key that looks like a typo
// of a known one is a warning.
func interpret(source string, in *fields) (FrontMatter, diag.List) {
	var f FrontMatter
	var diags diag.List
	if in == nil || len(in.values) == 0 {
		return f, diags
	}
	keys := make([]string, 0, len(in.values))
	for k := range in.values {
		keys = append(keys, k)
	}
	// Warnings and errors come in the order of the file.
	sort.Slice(keys, func(i, j int) bool {
		a, b := in.keyPos("$."+keys[i]), in.keyPos("$."+keys[j])
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return keys[i] < keys[j]
	})
	r := reader{in: in, diags: &diags}
	var date, lastmod, dateFallback, lastmodFallback time.Time
	var summary, excerpt, author, authors string
	var published *bool
	var tag, categories []string
	for _, k := range keys {
		v, path := in.values[k], "$."+k
		key := k
		if lk := strings.ToLower(k); lk != k && slicesContains(ownKeys, lk) {
			// Hugo reads front matter keys in any case, and Pelican
			// writes Title: and Date:; a file that has both spellings
			// keeps the lower-case one (the other is then a typo).
			if _, both := in.values[lk]; !both {
				key = lk
			}
		}
		switch key {
		case "title":
			f.Title = r.text(k, path, v)
		case "date":
			date = r.date(k, path, v)
		case "lastmod":
			lastmod = r.date(k, path, v)
		case "draft":
			f.Draft = r.bool(k, path, v)
		case "tags":
			f.Tags = append(f.Tags, r.list(k, path, v)...)
		case "summary":
			summary = r.text(k, path, v)
		case "description":
			f.Description = r.text(k, path, v)
		case "slug":
			f.Slug = r.text(k, path, v)
		case "author":
			author = r.author(k, path, v)
		case "aliases":
			f.Aliases = append(f.Aliases, r.list(k, path, v)...)
		}
		if slicesContains(ownKeys, key) {
			continue
		}
		if f.Params == nil {
			f.Params = map[string]any{}
		}
		f.Params[k] = normalize(v)
		switch strings.ToLower(k) {
		case "tag":
			// Jekyll reads a singular tag as one tag (its tag pages
			// carry it, jekyll-archives writes it).
			tag = r.list(k, path, v)
		case "categories", "category":
			categories = append(categories, r.list(k, path, v)...)
		case "taxonomies":
			m, ok := v.(map[string]any)
			if !ok {
				r.fail(path, "%s: expected a table of lists, like [taxonomies] tags = [\"a\", \"b\"]", k)
				continue
			}
			for _, t := range []string{"tags", "categories"} {
				if tv, ok := m[t]; ok {
					categories = append(categories, r.list(k+"."+t, path+"."+t, tv)...)
				}
			}
		case "updated", "last_modified_at", "modified":
			if d := r.date(k, path, v); lastmodFallback.IsZero() {
				lastmodFallback = d
			}
		case "publishdate", "pubdate":
			if d := r.date(k, path, v); dateFallback.IsZero() {
				dateFallback = d
			}
		case "published":
			// Jekyll's published: false is a draft; Hugo's published is
			// a date.
			if s, ok := v.(string); ok && isBoolWord(s) {
				v = r.bool(k, path, v)
			}
			if b, ok := v.(bool); ok {
				published = &b
			} else if d := r.date(k, path, v); dateFallback.IsZero() {
				dateFallback = d
			}
		case "excerpt":
			excerpt = r.text(k, path, v)
		case "redirect_from":
			f.Aliases = append(f.Aliases, r.list(k, path, v)...)
		case "authors":
			authors = r.author(k, path, v)
		// Keys Steward reads that other tools' themes read too: they stay
		// in Params as well, so such a theme keeps working.
		case "search":
			f.NoSearch = v != nil && !r.bool(k, path, v)
		case "series":
			// Hugo's series is a taxonomy, a list: its first is the series.
			names := r.list(k, path, v)
			if len(names) > 0 {
				f.Series = strings.TrimSpace(names[0])
			}
			if len(names) > 1 {
				diags = append(diags, diag.Warnf(in.valuePos(path), "front matter: series: an essay is part of one series; %q is used, the others are not", f.Series))
			}
		case "series_order":
			f.SeriesOrder = r.order(k, path, v)
		case "image":
			// Only a path or URL is an image of Steward's; a theme's own
			// form (a mapping, a list) is left to that theme.
			if t, ok := v.(string); ok {
				f.Image, f.ImagePos = strings.TrimSpace(t), in.valuePos(path)
			}
		default:
			if near := typoOf(k); near != "" {
				diags = append(diags, diag.Warnf(in.keyPos(path), "front matter: unknown key %q; did you mean %q?", k, near))
			}
		}
	}
	f.Tags = append(append(f.Tags, tag...), categories...)
	f.Date, f.Lastmod = firstSet(date, dateFallback), firstSet(lastmod, lastmodFallback)
	f.Summary = firstText(summary, excerpt)
	f.Author = firstText(author, authors)
	if published != nil && !*published {
		f.Draft = true
	}
	return f, diags
}

func firstSet(a, b time.Time) time.Time {
	if a.IsZero() {
		return b
	}
	return a
}

func firstText(a, b string) string {
	if strings.TrimSpace(a) == "" {
		return b
	}
	return a
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// reader reads values of the expected types, reporting the others.
type reader struct {
	in    *fields
	diags *diag.List
}

func (r reader) fail(path, format string, args ...any) {
	r.diags.Add(r.in.valuePos(path), "front matter: "+format, args...)
}

// text reads a string; a number or a boolean reads as written.
func (r reader) text(key, path string, v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case bool, int, int64, uint64, float64:
		if s, ok := r.in.scalar(path); ok {
			return s
		}
		return fmt.Sprint(t)
	case time.Time:
		return t.Format(time.RFC3339)
	case toml.LocalDate, toml.LocalDateTime, toml.LocalTime:
		return fmt.Sprint(t)
	}
	r.fail(path, "%s: expected text, found %s; write it as %s: \"...\"", key, describe(v), key)
	return ""
}

// list reads a list of strings; a single string is a list of one.
func (r reader) list(key, path string, v any) []string {
	switch t := v.(type) {
	case nil:
		return nil
	case string:
		return []string{t}
	case []any:
		out := make([]string, 0, len(t))
		for i, e := range t {
			p := fmt.Sprintf("%s[%d]", path, i)
			switch e.(type) {
			case []any, map[string]any:
				r.fail(p, "%s: expected a list of names, like %s: [a, b], found %s in it", key, key, describe(e))
			case nil:
			default:
				if s := r.text(key, p, e); strings.TrimSpace(s) != "" {
					out = append(out, s)
				}
			}
		}
		return out
	}
	r.fail(path, "%s: expected a list, like %s: [a, b]", key, key)
	return nil
}

// order reads a place in a series: a whole number from 1.
func (r reader) order(key, path string, v any) int {
	switch t := v.(type) {
	case nil:
		return 0
	case int64:
		if t >= 1 && t <= 1<<20 {
			return int(t)
		}
	case uint64:
		if t >= 1 && t <= 1<<20 {
			return int(t)
		}
	case float64:
		if t >= 1 && t <= 1<<20 && t == math.Trunc(t) {
			return int(t)
		}
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(t)); err == nil && n >= 1 && n <= 1<<20 {
			return n
		}
	}
	r.fail(path, "%s: expected the essay's place in its series, a whole number such as %s: 2", key, key)
	return 0
}

// bool reads true or false; YAML 1.1's yes and no (which Jekyll reads
// as booleans) are accepted too.
func (r reader) bool(key, path string, v any) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	case string:
		if isBoolWord(t) {
			switch strings.ToLower(strings.TrimSpace(t)) {
			case "true", "yes", "on":
				return true
			}
			return false
		}
	}
	r.fail(path, "%s: expected true or false, found %s", key, describe(v))
	return false
}

// isBoolWord reports a string that YAML 1.1 (and so Jekyll) reads as a
// boolean.
func isBoolWord(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "on", "false", "no", "off":
		return true
	}
	return false
}

// author reads a name, a list of names (joined), or a mapping with a
// name, as Jekyll's SEO plugin writes it.
func (r reader) author(key, path string, v any) string {
	switch t := v.(type) {
	case map[string]any:
		if n, ok := t["name"]; ok {
			return r.text(key+".name", path+".name", n)
		}
		r.fail(path, "%s: expected a name, like %s: Ada Lovelace, or a mapping with a name", key, key)
		return ""
	case []any:
		var names []string
		for i, e := range t {
			p := fmt.Sprintf("%s[%d]", path, i)
			if m, ok := e.(map[string]any); ok {
				e, p = m["name"], p+".name"
			}
			if s := strings.TrimSpace(r.text(key, p, e)); s != "" {
				names = append(names, s)
			}
		}
		return strings.Join(names, ", ")
	}
	return r.text(key, path, v)
}

// dateLayouts are the forms of a date accepted in front matter: YAML's
// and TOML's, Jekyll's "2008-10-18 12:00:00 -0700", and the month by its
// name. A date without a
// zone is in UTC. Fractional seconds are accepted after the seconds.
var dateLayouts = []string{
	"2006-01-02",
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05-0700",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 -07",
	"2006-01-02 15:04 -0700",
	"2006-01-02 15:04 Z07:00",
	"2006-01-02 15:04:05 -0700 MST",
	// With the month's name in English, as Hugo (02 Jan 2006, RFC 1123),
	// Jekyll's Ruby and Astro's JavaScript read them: "04 July 2023",
	// "March 9, 2021". Unambiguous, unlike 04/07/2023.
	"2 Jan 2006",
	"2 January 2006",
	"Jan 2, 2006",
	"January 2, 2006",
	time.RFC1123Z,
	time.RFC1123,
}

// ParseDate reads a date as front matter may write it, or says it cannot.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	// YAML allows a lower-case t between date and time.
	if len(s) > 10 && s[10] == 't' {
		return ParseDate(s[:10] + "T" + s[11:])
	}
	// A month or day of one digit (2024-4-9), or slashes (2024/04/09), as
	// Jekyll's Ruby and the Go blog's own tools read them.
	if m := looseDate.FindStringSubmatch(s); m != nil {
		month, _ := strconv.Atoi(m[2])
		day, _ := strconv.Atoi(m[3])
		if fixed := fmt.Sprintf("%s-%02d-%02d%s", m[1], month, day, m[4]); fixed != s {
			return ParseDate(fixed)
		}
	}
	return time.Time{}, false
}

// looseDate is a date whose month or day may have one digit, with - or /.
var looseDate = regexp.MustCompile(`^(\d{4})[-/](\d{1,2})[-/](\d{1,2})([Tt ].*)?$`)

func (r reader) date(key, path string, v any) time.Time {
	switch t := v.(type) {
	case nil:
		return time.Time{}
	case time.Time:
		return t
	case toml.LocalDate:
		return time.Date(t.Year, time.Month(t.Month), t.Day, 0, 0, 0, 0, time.UTC)
	case toml.LocalDateTime:
		return time.Date(t.Year, time.Month(t.Month), t.Day, t.Hour, t.Minute, t.Second, t.Nanosecond, time.UTC)
	case string:
		if d, ok := ParseDate(t); ok {
			return d
		}
		r.fail(path, "%s: %q is not a valid date (write it as 2024-03-12, 2024-03-12T09:00:00Z or 2024-03-12 09:00:00 -0700)", key, t)
		return time.Time{}
	}
	r.fail(path, "%s: expected a date, like %s: 2024-03-12, found %s", key, key, describe(v))
	return time.Time{}
}

// describe names a decoded value for a message.
func describe(v any) string {
	switch t := v.(type) {
	case nil:
		return "nothing"
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	case string:
		return strconv.Quote(t)
	case bool:
		return strconv.FormatBool(t)
	}
	return fmt.Sprintf("%v", v)
}

// normalize turns a decoded value into one of the types Params documents,
// whichever format it came from, so layouts (and the build cache) see
// the same value for the same meaning.
func normalize(v any) any {
	switch t := v.(type) {
	case nil, string, bool, int64, float64, time.Time:
		return t
	case int:
		return int64(t)
	case uint64:
		if t <= math.MaxInt64 {
			return int64(t)
		}
		return float64(t)
	case toml.LocalDate:
		return time.Date(t.Year, time.Month(t.Month), t.Day, 0, 0, 0, 0, time.UTC)
	case toml.LocalDateTime:
		return time.Date(t.Year, time.Month(t.Month), t.Day, t.Hour, t.Minute, t.Second, t.Nanosecond, time.UTC)
	case toml.LocalTime:
		return t.String()
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalize(e)
		}
		return out
	case []map[string]any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = normalize(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = normalize(e)
		}
		return out
	}
	return fmt.Sprint(v)
}

// typoOf returns the known key that key looks like a typo of, or "". It is
// stricter than a plain edit distance, so that the keys of other tools
// (path, type, weight, math...) are kept silently: a key is a typo when it
// differs from a known one only in case (Date), by a plural (tag), by one
// edit or swap (titel, tgs), or, for long keys, by two.
func typoOf(key string) string {
	lower := strings.ToLower(key)
	best, bestDist := "", 3
	for _, k := range append(ownKeys[:len(ownKeys):len(ownKeys)], mappedKeys...) {
		if lower == k || lower+"s" == k || lower+"es" == k || lower == k+"s" {
			return k
		}
		d := editDistance(lower, k)
		if d == 1 || d == 2 && len(lower) >= 8 {
			if d < bestDist {
				best, bestDist = k, d
			}
		}
	}
	return best
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of neighbours each count one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
