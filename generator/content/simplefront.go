package content

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/steward-ssg/steward/generator/diag"
)

// simpleFront reads the front matter most essays have, without the YAML
// parser: lines of one of Steward's own keys, a colon, a space and a
// value, the value a quoted or plain string on one line, a date, true or
// false, or a one-line list of such strings in brackets:
//
//	title: "Two Leadership Models"
//	date: 2024-03-12
//	tags: [leadership, coaching]
//
// Decoding that with goccy and strictyaml cost a cold build a tenth of its
// time. ok is false for anything else, for values YAML reads otherwise
// than as text (null, true, numbers where text is wanted), and whenever
// interpret, the slug or an alias would report anything: then the caller
// takes the full path, which says what and where. What simpleFront
// accepts, it reads exactly as the full path does; FuzzSimpleFront holds
// this for whole files.
func simpleFront(fm []byte) (FrontMatter, bool) {
	if len(fm) == 0 || len(fm) > 4096 || fm[len(fm)-1] != '\n' {
		return FrontMatter{}, false
	}
	values := make(map[string]any, 4)
	lines := map[string]int{}
	line := 0
	for rest := fm[:len(fm)-1]; ; {
		l, more, found := bytes.Cut(rest, []byte("\n"))
		line++
		if len(l) > 0 {
			k, v, ok := bytes.Cut(l, []byte(": "))
			if !ok {
				return FrontMatter{}, false
			}
			key := string(k)
			if _, dup := lines[key]; dup {
				return FrontMatter{}, false
			}
			var val any
			switch key {
			case "title", "summary", "description", "slug", "author":
				s, ok := simpleScalar(v, false)
				if !ok {
					return FrontMatter{}, false
				}
				val = s
			case "date", "lastmod":
				s, ok := simpleDate(v)
				if !ok {
					s, ok = simpleScalar(v, false)
				}
				if !ok {
					return FrontMatter{}, false
				}
				if _, ok := ParseDate(s); !ok {
					return FrontMatter{}, false
				}
				val = s
			case "draft":
				switch string(v) {
				case "true":
					val = true
				case "false":
					val = false
				default:
					return FrontMatter{}, false
				}
			case "tags", "aliases":
				if len(v) > 0 && v[0] == '[' {
					items, ok := simpleList(v)
					if !ok {
						return FrontMatter{}, false
					}
					val = items
				} else {
					// One name is a list of one, but YAML reads a plain
					// 5 as a number, which is no list.
					s, ok := simpleScalar(v, false)
					if r, _ := utf8.DecodeRune(v); !ok || unicode.IsDigit(r) {
						return FrontMatter{}, false
					}
					val = s
				}
			default:
				return FrontMatter{}, false
			}
			values[key], lines[key] = val, line
		}
		if !found {
			break
		}
		rest = more
	}
	in := &fields{
		values: values,
		keyPos: func(path string) diag.Pos {
			return diag.Pos{Line: lines[strings.TrimPrefix(path, "$.")], Col: 1}
		},
		// interpret asks for these only to report a problem, and any
		// problem sends the caller to the full path.
		valuePos: func(string) diag.Pos { return diag.Pos{} },
		scalar:   func(string) (string, bool) { return "", false },
	}
	f, diags := interpret("", in)
	if len(diags) > 0 {
		return FrontMatter{}, false
	}
	if s := strings.TrimSpace(f.Slug); s != "" && checkSegment(s) != nil {
		return FrontMatter{}, false
	}
	for _, a := range f.Aliases {
		if _, err := AliasPath(a); err != nil {
			return FrontMatter{}, false
		}
	}
	return f, true
}

// simpleDate reads a date written plain: digits, -, :, +, ., T, Z and
// spaces ("2024-03-12", "2024-03-12T09:00:00Z", "2008-10-18 12:00:00
// -0700"), which YAML reads as text.
func simpleDate(v []byte) (string, bool) {
	if len(v) == 0 || v[0] < '0' || v[0] > '9' || v[len(v)-1] == ' ' {
		return "", false
	}
	for _, c := range v {
		if !('0' <= c && c <= '9' || strings.IndexByte("-:+.TZ ", c) >= 0) {
			return "", false
		}
	}
	return string(v), true
}

// simpleList reads a one-line flow list of simple scalars, "[a, b]".
func simpleList(v []byte) ([]any, bool) {
	if len(v) < 2 || v[len(v)-1] != ']' {
		return nil, false
	}
	v = v[1 : len(v)-1]
	items := []any{}
	if len(v) == 0 {
		return items, true
	}
	for {
		item, more, found := bytes.Cut(v, []byte(", "))
		s, ok := simpleScalar(item, true)
		if !ok {
			return nil, false
		}
		items = append(items, s)
		if !found {
			return items, true
		}
		v = more
	}
}

// simpleScalar reads a string on one line: in double quotes without
// escapes, in single quotes without quotes inside, or plain, starting with
// a letter, a digit or a slash and holding none of the characters that YAML gives a
// meaning to (: # [ ] { } | > \ and, in a list, commas). A plain word that
// YAML reads as null or as a boolean is not simple.
func simpleScalar(v []byte, inList bool) (string, bool) {
	if len(v) == 0 {
		return "", false
	}
	if q := v[0]; q == '"' || q == '\'' {
		if len(v) < 2 || v[len(v)-1] != q {
			return "", false
		}
		s := v[1 : len(v)-1]
		if bytes.IndexByte(s, q) >= 0 || bytes.IndexByte(s, '\\') >= 0 || !printable(s) {
			return "", false
		}
		return string(s), true
	}
	r, _ := utf8.DecodeRune(v)
	if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '/' || v[len(v)-1] == ' ' || !printable(v) {
		return "", false
	}
	for _, c := range v {
		switch c {
		case ':', '#', '[', ']', '{', '}', '|', '>', '\\', '`':
			return "", false
		case ',':
			if inList {
				return "", false
			}
		}
	}
	switch strings.ToLower(string(v)) {
	case "null", "true", "false", "yes", "no", "on", "off", "y", "n":
		return "", false
	}
	return string(v), true
}

// printable reports text of printable characters and plain spaces only:
// no tab, control character, byte-order mark, or Unicode line or
// paragraph separator (which YAML 1.1 breaks lines at), nor any other
// space.
func printable(s []byte) bool {
	for _, c := range s {
		if c < 0x20 || c == 0x7f {
			return false
		}
	}
	if utf8.Valid(s) && !bytes.ContainsFunc(s, func(r rune) bool {
		return r >= 0x80 && (!unicode.IsGraphic(r) || unicode.IsSpace(r) || r == '\ufeff' || r == '\u2028' || r == '\u2029')
	}) {
		return true
	}
	return false
}
