package search

import (
	"encoding/json"
	"fmt"
	"html"
	"reflect"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The analysis and the shards are written for speed; these tests hold
// them to the plain versions they replaced, kept here as references: the
// text of HTML made by string operations, the tokens lower-cased by
// strings.ToLower, the terms counted in maps, the shards marshalled by
// encoding/json.

// referenceText is Text as it was first written.
func referenceText(src []byte) string {
	var b strings.Builder
	s := string(src)
	skip := ""
	depth := 0
	for len(s) > 0 {
		if skip == "script" || skip == "style" {
			end := -1
			for i := 0; i+len("</"+skip) <= len(s); i++ {
				if strings.EqualFold(s[i:i+len("</"+skip)], "</"+skip) {
					end = i
					break
				}
			}
			if end < 0 {
				break
			}
			s, skip = s[end:], ""
			if gt := strings.IndexByte(s, '>'); gt >= 0 {
				s = s[gt+1:]
			} else {
				s = ""
			}
			b.WriteByte(' ')
			continue
		}
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			if skip == "" {
				b.WriteString(html.UnescapeString(s))
			}
			break
		}
		if skip == "" {
			b.WriteString(html.UnescapeString(s[:lt]))
		}
		s = s[lt:]
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s, "-->")
			if end < 0 {
				break
			}
			s = s[end+3:]
			continue
		}
		gt := strings.IndexByte(s, '>')
		if gt < 0 {
			break
		}
		tag := s[1:gt]
		s = s[gt+1:]
		closing := strings.HasPrefix(tag, "/")
		name := strings.ToLower(strings.TrimLeft(tag, "/"))
		if i := strings.IndexAny(name, " \t\n\r/"); i >= 0 {
			name = name[:i]
		}
		switch {
		case skip != "":
			if name == skip {
				if closing {
					depth--
				} else if !strings.HasSuffix(tag, "/") {
					depth++
				}
				if depth == 0 {
					skip = ""
					b.WriteByte(' ')
				}
			}
		case !closing && skipped[name] && !strings.HasSuffix(tag, "/"):
			skip, depth = name, 1
		case !inline[name]:
			b.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// referenceTokens is Tokens as it was first written.
func referenceTokens(text string) []string {
	var out []string
	start := -1
	flush := func(end int) {
		if start >= 0 {
			if w := text[start:end]; len(w) >= 2 && utf8.RuneCountInString(w) >= 2 {
				out = append(out, strings.ToLower(w))
			}
			start = -1
		}
	}
	for i, r := range text {
		if r < utf8.RuneSelf && ('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsNumber(r)) {
			if start < 0 {
				start = i
			}
		} else {
			flush(i)
		}
	}
	flush(len(text))
	return out
}

// referenceAnalysis counts an input's terms, words and stops in maps, as
// Analyze first did.
func referenceAnalysis(a *Analyzer, in Input) (terms map[string]int, length int, words map[string]string, stops []string, text string) {
	text = referenceText(in.HTML)
	counts := map[string]int{}
	add := func(s string, weight int) {
		for _, w := range referenceTokens(s) {
			counts[w] += weight
		}
	}
	add(in.Title, weightTitle)
	for _, h := range in.Headings {
		add(h, weightHeading)
	}
	for _, t := range in.Tags {
		add(t, weightTag)
	}
	add(in.Summary, weightSummary)
	add(text, weightBody)
	terms, words = map[string]int{}, map[string]string{}
	stop := map[string]bool{}
	for w, n := range counts {
		st := a.stemOf(w)
		if st == "" {
			stop[w] = true
			continue
		}
		terms[st] += n
		length += n
		if st != w {
			words[w] = st
		}
	}
	for w := range stop {
		stops = append(stops, w)
	}
	sort.Strings(stops)
	return terms, length, words, stops, cutText(text)
}

var referenceInputs = []string{
	"<h2 id=\"a\">Lead<em>ers</em> <a class=\"anchor\" href=\"#a\">#</a></h2><p>One.</p><p>Two&amp;three</p>",
	"<p>a</p><script>if (a<b) x = '</p>';</script><style>p{}</style><p>b</p>",
	"<p>a</p><form class=\"selfcheck\"><fieldset><legend>Q?</legend></fieldset><form></form></form><p>b</p>",
	"<P CLASS=x>Élan VITAL, ÉLAN vital &Eacute;LAN&nbsp;x&#8212;y</P><BR/><Svg><text>no</text></SVG>z",
	"<p>\u00a0lead\u2003ers\u0085 \t\n naïve Œuvre ǅemal İstanbul ß 日本語 x2 A1b2</p><!-- c --><!-->",
	"<p>bad \xff\xfe utf-8 \xe2\x82<em>\xac</em> \xc2<b>\xa0</b>end</p><scrIPT>a</SCRipt  >b<template><p>t</p></template>c",
	"<p>The quick brown fox, the QUICK one; delegation delegating delegates: deleg&hellip;</p><pre><code>x := y</code></pre>",
	"text <unclosed",
	"<p>&amp;; &a;b &#; &#5 x &#55 &#x1g &amp#x & && &# &notit; &ampx &#128; &#x110000; &#0; &AMP; &Eacute &eacutex &#X41;&#65</p>&",
}

// TestTextMatchesReference: Text gives what the first Text gave.
func TestTextMatchesReference(t *testing.T) {
	for _, in := range referenceInputs {
		if got, want := Text([]byte(in)), referenceText([]byte(in)); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
		if got, want := Tokens(in), referenceTokens(in); !reflect.DeepEqual(got, want) {
			t.Errorf("Tokens(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzText(f *testing.F) {
	for _, in := range referenceInputs {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if got, want := Text(in), referenceText(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
		if got, want := Tokens(string(in)), referenceTokens(string(in)); !reflect.DeepEqual(got, want) {
			t.Errorf("Tokens(%q) = %q, want %q", in, got, want)
		}
	})
}

// TestAnalyzeMatchesReference: an analysis, by a fresh Analyzer or one
// that has analysed other essays, finds the terms, words and stops that
// counting in maps finds.
func TestAnalyzeMatchesReference(t *testing.T) {
	for _, lang := range []string{"en", "fr", "ja"} {
		a := NewAnalyzer(lang)
		for round := range 2 {
			for k, body := range referenceInputs {
				in := Input{URL: fmt.Sprintf("/%d/", k), Title: "Élan Delegation " + lang, Headings: []string{"The Quick fox", "naïve"}, Tags: []string{"Delegation"}, Summary: "Why delegate.", HTML: []byte(body)}
				checkReference(t, fmt.Sprintf("%s round %d input %d", lang, round, k), a, in)
				// A summary that begins the text, as the first paragraph
				// does, whole words or not.
				text := Text(in.HTML)
				for _, n := range []int{len(text), len(text) / 2, strings.IndexByte(text, ' ') + 1, strings.IndexByte(text, ' ')} {
					if n > 0 {
						in.Summary = text[:n]
						checkReference(t, fmt.Sprintf("%s round %d input %d summary %q", lang, round, k, in.Summary), a, in)
					}
				}
			}
		}
	}
}

func FuzzAnalyze(f *testing.F) {
	for _, in := range referenceInputs {
		f.Add("Title "+in[:min(len(in), 10)], []byte(in))
	}
	a := NewAnalyzer("en")
	f.Fuzz(func(t *testing.T, title string, body []byte) {
		checkReference(t, fmt.Sprintf("%q %q", title, body), a, Input{Title: title, Summary: title, HTML: body})
		// The summary as the beginning of the text, cut where the
		// title's length says.
		text := Text(body)
		summary := text[:min(len(title), len(text))]
		checkReference(t, fmt.Sprintf("%q %q", summary, body), a, Input{Title: title, Summary: summary, HTML: body})
	})
}

func checkReference(t *testing.T, name string, a *Analyzer, in Input) {
	t.Helper()
	e := a.Analyze(in)
	terms, length, words, stops, text := referenceAnalysis(a, in)
	gotTerms, gotWords := map[string]int{}, map[string]string{}
	for _, tm := range e.Terms {
		if _, dup := gotTerms[tm.Stem]; dup {
			t.Errorf("%s: stem %q twice", name, tm.Stem)
		}
		gotTerms[tm.Stem] = tm.Weight
	}
	for _, w := range e.Words {
		if _, dup := gotWords[w.Form]; dup {
			t.Errorf("%s: word %q twice", name, w.Form)
		}
		gotWords[w.Form] = w.Stem
	}
	if !reflect.DeepEqual(gotTerms, terms) || e.Length != length {
		t.Errorf("%s: terms %v (length %d), want %v (%d)", name, gotTerms, e.Length, terms, length)
	}
	if !reflect.DeepEqual(gotWords, words) {
		t.Errorf("%s: words %v, want %v", name, gotWords, words)
	}
	if !reflect.DeepEqual(e.Stops, stops) {
		t.Errorf("%s: stops %q, want %q", name, e.Stops, stops)
	}
	if e.Text != text {
		t.Errorf("%s: text %q, want %q", name, e.Text, text)
	}
}

// TestShardJSON: a shard written by hand is the shard encoding/json
// writes, and shardSize its length.
func TestShardJSON(t *testing.T) {
	es := entries(300, 3000, 150)
	es = append(es, NewAnalyzer("en").Analyze(Input{URL: "/q/", Title: "Quote \" back\\slash café \u2028", HTML: []byte("<p>naïve delegation delegating</p>")}))
	ix := NewIndex(len(es))
	for i, e := range es {
		ix.Add(i, e)
	}
	postings, words := map[string][]int{}, map[string]string{}
	for id, e := range es {
		for _, tm := range e.Terms {
			postings[tm.Stem] = append(postings[tm.Stem], id, tm.Weight)
		}
		for _, w := range e.Words {
			words[w.Form] = w.Stem
		}
	}
	// Essays were added in order: each posting list's numbers made
	// distances from the previous one, as Files writes them.
	for stem, p := range postings {
		prev := 0
		for k := 0; k < len(p); k += 2 {
			p[k], prev = p[k]-prev, p[k]
		}
		postings[stem] = p
	}
	files := ix.Files()
	if len(files) < 10 {
		t.Fatalf("%d files: the index was not split by prefix", len(files))
	}
	seen := map[string]bool{}
	for _, f := range files[1:] {
		var s shard
		if err := json.Unmarshal(f.Data, &s); err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
		want := shard{}
		for k := range s.Terms {
			seen[k] = true
			if want.Terms == nil {
				want.Terms = map[string][]int{}
			}
			want.Terms[k] = postings[k]
		}
		for k := range s.Words {
			seen[k] = true
			if want.Words == nil {
				want.Words = map[string]string{}
			}
			want.Words[k] = words[k]
		}
		if got, w := string(f.Data), string(marshal(want)); got != w {
			t.Errorf("%s:\n got %s\nwant %s", f.Path, got, w)
		}
	}
	for k := range postings {
		if !seen[k] {
			t.Errorf("stem %q is in no shard", k)
		}
	}
	for k := range words {
		if !seen[k] {
			t.Errorf("word %q is in no shard", k)
		}
	}
	for _, parts := range [][]keyJSON{nil, {{w: []byte(`"a":"b"`)}}, {{t: []byte(`"a":[1,2]`)}}, {{w: []byte(`"a":"b"`), t: []byte(`"a":[1,2]`)}, {t: []byte(`"c":[0,1]`)}}} {
		if got := len(shardJSON(parts)); got != shardSize(parts) {
			t.Errorf("shardSize = %d, shardJSON is %d bytes: %s", shardSize(parts), got, shardJSON(parts))
		}
	}
}
