// Package layout owns the theme's templates: loading layouts/ from the
// site with the embedded default theme beneath it (a site may override any
// single file), the template functions, the documented Data every template
// receives, and template errors as positioned diagnostics.
package layout

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	texttemplate "text/template"
	"time"

	"github.com/steward-ssg/steward/generator/diag"
)

// Dir is the layouts folder's name, relative to the site's folder.
const Dir = "layouts"

// Kinds are the page kinds; each has a template file named kind + ".html".
var Kinds = []Kind{KindHome, KindEssay, KindSection, KindTags, KindTag, KindSeries, KindSearch, KindNotFound}

// Theme is a loaded set of templates, one per kind. It is safe for
// concurrent use.
type Theme struct {
	kinds map[Kind]*template.Template
	// shared holds base.html and the partials as their files define them,
	// for partialCached: a partial it caches is the same on every kind of
	// page, so an essay's card renders once for its home, section and tag
	// lists alike.
	shared *template.Template
	// memo holds partialCached's results (memoKey to template.HTML). It
	// lives as long as the Theme, which a build loads anew.
	memo sync.Map
	// files maps a template name to the file it came from, for errors.
	files  map[string]string
	digest [32]byte
}

// memoKey is a partialCached call: the partial's name and its argument,
// or the keys it was given instead (a keys value).
type memoKey struct {
	name string
	arg  any
}

// keys are the keys of a partialCached call that gives some, at most
// maxKeys of them.
type keys struct {
	n int
	k [maxKeys]any
}

const maxKeys = 4

// Digest identifies the theme's templates: pages rendered with a theme of
// the same digest from the same data are the same bytes.
func (t *Theme) Digest() [32]byte { return t.digest }

// Load parses the templates of site (the site's folder) over those of
// fallback (the default theme, laid out the same way). baseURL is used by
// absURL and jsonld.
func Load(site, fallback fs.FS, baseURL string) (*Theme, diag.List) {
	var diags diag.List
	sources := map[string][]byte{}
	files := map[string]string{}
	for _, fsys := range []fs.FS{fallback, site} {
		if fsys == nil {
			continue
		}
		_ = fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
				return nil
			}
			b, err := fs.ReadFile(fsys, p)
			if err != nil {
				diags.Add(diag.Pos{File: p}, "cannot read: %v", err)
				return nil
			}
			name := strings.TrimPrefix(p, Dir+"/")
			sources[name] = b
			files[name] = p
			return nil
		})
	}
	t := &Theme{kinds: map[Kind]*template.Template{}, files: files}
	names := make([]string, 0, len(sources))
	for n := range sources {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", baseURL)
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(sources[n]))
		h.Write(sources[n])
	}
	h.Sum(t.digest[:0])
	root := template.New("").Funcs(Funcs(baseURL)).Funcs(template.FuncMap{"partialCached": t.partialCached, "partialCachedEach": t.partialCachedEach})
	t.shared = root
	var shared []string
	for name := range sources {
		if name == "base.html" || strings.HasPrefix(name, "partials/") {
			shared = append(shared, name)
		}
	}
	sort.Strings(shared)
	if _, ok := sources["base.html"]; !ok {
		diags.Add(diag.Pos{File: Dir + "/base.html"}, "missing: every theme needs base.html, the page skeleton")
		return nil, diags
	}
	for _, name := range shared {
		if _, err := root.New(name).Parse(string(sources[name])); err != nil {
			diags = append(diags, t.errorAt(err, ""))
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	for _, kind := range Kinds {
		name := string(kind) + ".html"
		src, ok := sources[name]
		if !ok {
			diags.Add(diag.Pos{File: Dir + "/" + name}, "missing: the theme has no template for %s pages", kind)
			continue
		}
		k, err := root.Clone()
		if err == nil {
			_, err = k.New(name).Parse(string(src))
		}
		if err != nil {
			diags = append(diags, t.errorAt(err, ""))
			continue
		}
		t.kinds[kind] = k
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return t, diags
}

// Execute renders the page of data.Kind into w. An error is a positioned
// diagnostic naming the template file and, via forPage, the page rendered.
func (t *Theme) Execute(w io.Writer, data *Data, forPage string) error {
	k, ok := t.kinds[data.Kind]
	if !ok {
		return diag.Errorf(diag.Pos{File: Dir + "/" + string(data.Kind) + ".html"}, "no template for %s pages", data.Kind)
	}
	if err := k.ExecuteTemplate(w, "base.html", data); err != nil {
		return t.errorAt(innermost(err), forPage)
	}
	return nil
}

// partialCached renders the partial name (a file under partials/) with
// arg as ".", once per name and argument for the Theme's life: the same
// argument (the same essay, by pointer) gives the same HTML. Given keys
// after arg, it renders the partial once per name and keys instead, with
// the arg of the first call: a partial whose HTML is the same on many
// pages (the footer, the stylesheet links) renders once per build, as
// Hugo's partialCached does with its variant keys. Concurrent first calls
// may each render it; they render the same bytes.
//
// A call that finds its HTML costs a page less than the few actions of a
// small partial would (html/template calls each action's escapers through
// reflection), so it checks only what it must before looking.
func (t *Theme) partialCached(name string, arg any, variants ...any) (template.HTML, error) {
	var key memoKey
	if len(variants) == 0 {
		if !hashable(arg) {
			return "", fmt.Errorf("its argument (a %T) cannot tell one call from another; pass a pointer such as an essay of .Essays, a string or a number", arg)
		}
		key = memoKey{name, arg}
	} else {
		if len(variants) > maxKeys {
			return "", fmt.Errorf("%d keys after its argument; give at most %d", len(variants), maxKeys)
		}
		var k keys
		for i, v := range variants {
			if !hashable(v) {
				return "", fmt.Errorf("its key %d (a %T) cannot tell one call from another; pass strings, numbers or pointers", i+1, v)
			}
			k.k[i] = v
		}
		k.n = len(variants)
		key = memoKey{name, k}
	}
	if h, ok := t.memo.Load(key); ok {
		return h.(template.HTML), nil
	}
	if !strings.HasPrefix(name, "partials/") || t.shared.Lookup(name) == nil {
		return "", fmt.Errorf("no partial %q; it renders a file of layouts/partials/, named by its path as in {{partialCached \"partials/card.html\" .}}", name)
	}
	var b strings.Builder
	if err := t.shared.ExecuteTemplate(&b, name, arg); err != nil {
		return "", err
	}
	h := template.HTML(b.String())
	t.memo.Store(key, h)
	return h, nil
}

// partialCachedEach renders the partial name for each element of list (a
// slice) as partialCached would with the element as its argument, each on
// a line of its own (a newline before each): a list page's ten cards in
// one template action rather than ten, each of which html/template calls
// through reflection with its escaper.
func (t *Theme) partialCachedEach(name string, list any) (template.HTML, error) {
	var items []any
	if essays, ok := list.([]*Essay); ok { // the usual list, without reflection
		items = make([]any, len(essays))
		for i, e := range essays {
			items[i] = e
		}
	} else {
		v := reflect.ValueOf(list)
		if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
			return "", fmt.Errorf("its argument is a %T, not a list; pass one such as .Essays", list)
		}
		items = make([]any, v.Len())
		for i := range items {
			items[i] = v.Index(i).Interface()
		}
	}
	// The HTML of each first, then one string of the right size: a list
	// page's string grown by doubling was three times its size in garbage.
	html := make([]template.HTML, len(items))
	size := len(items)
	for i, arg := range items {
		h, err := t.partialCached(name, arg)
		if err != nil {
			return "", err
		}
		html[i] = h
		size += len(h)
	}
	var b strings.Builder
	b.Grow(size)
	for _, h := range html {
		b.WriteByte('\n')
		b.WriteString(string(h))
	}
	return template.HTML(b.String()), nil
}

// hashable reports whether v can be part of a map key: a pointer always
// can, and is what a call usually passes.
func hashable(v any) bool {
	if v == nil {
		return true
	}
	if reflect.TypeOf(v).Kind() == reflect.Pointer {
		return true
	}
	return reflect.ValueOf(v).Comparable()
}

// innermost returns the error of the innermost template execution within
// err: a partialCached call's error wraps the partial's own, whose
// position is where the fault is.
func innermost(err error) error {
	for {
		var x texttemplate.ExecError
		if !errors.As(errors.Unwrap(err), &x) {
			return err
		}
		err = x
	}
}

// templateErr matches html/template's "template: name:line:col: msg".
var templateErr = regexp.MustCompile(`^(?:html/)?template: ([^:]+):(\d+):(?:(\d+):)? ?(.*)$`)

func (t *Theme) errorAt(err error, forPage string) *diag.Diagnostic {
	msg := err.Error()
	suffix := ""
	if forPage != "" {
		suffix = " (while rendering " + forPage + ")"
	}
	if m := templateErr.FindStringSubmatch(msg); m != nil {
		file := m[1]
		if f, ok := t.files[file]; ok {
			file = f
		} else {
			file = Dir + "/" + file
		}
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		return diag.Errorf(diag.Pos{File: file, Line: line, Col: col}, "template: %s%s", m[4], suffix)
	}
	return diag.Errorf(diag.Pos{File: Dir}, "template: %s%s", strings.TrimPrefix(msg, "template: "), suffix)
}

// Funcs are the functions templates may call; the README lists them.
func Funcs(baseURL string) template.FuncMap {
	esc := newEscapers()
	return template.FuncMap{
		"tocItems":     esc.tocItems,
		"tagItems":     esc.tagItems,
		"relatedItems": esc.relatedItems,
		"date": func(layout string, t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format(layout)
		},
		"isodate": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format(time.RFC3339)
		},
		"absURL": func(p string) string { return AbsURL(baseURL, p) },
		"jsonld": func(d *Data) (template.JS, error) { return JSONLD(d) },
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return "1 " + one
			}
			return strconv.Itoa(n) + " " + many
		},
		"add": func(a, b int) int { return a + b },
		"sub": func(a, b int) int { return a - b },
	}
}

// AbsURL joins the base URL and a site path.
func AbsURL(baseURL, p string) string {
	if strings.Contains(p, "://") {
		return p
	}
	return strings.TrimRight(baseURL, "/") + "/" + strings.TrimLeft(path.Clean("/" + p)[1:], "/") + trailingSlash(p)
}

func trailingSlash(p string) string {
	if strings.HasSuffix(p, "/") && p != "/" {
		return "/"
	}
	return ""
}

// JSONLD returns the schema.org metadata of an essay page as JSON that is
// safe inside a <script> element (json.Marshal escapes <, > and &).
func JSONLD(d *Data) (template.JS, error) {
	if d == nil || d.Essay == nil {
		return "", nil
	}
	e := d.Essay
	a := article{
		Context: "https://schema.org", Type: "Article",
		Headline: e.Title, URL: e.Permalink, MainEntityOfPage: e.Permalink, WordCount: e.WordCount,
		Publisher:   organization{Type: "Organization", Name: d.Site.Title, URL: d.Site.BaseURL + "/"},
		Description: e.Description, InLanguage: d.Site.Language,
	}
	if e.Author.Name != "" {
		a.Author = &person{Type: "Person", Name: e.Author.Name, URL: e.Author.URL}
	}
	if !e.Date.IsZero() {
		a.DatePublished = e.Date.Format(time.RFC3339)
		a.DateModified = a.DatePublished
	}
	if !e.Lastmod.IsZero() {
		a.DateModified = e.Lastmod.Format(time.RFC3339)
	}
	if len(e.Tags) > 0 {
		var kw strings.Builder
		for i, t := range e.Tags {
			if i > 0 {
				kw.WriteString(", ")
			}
			kw.WriteString(t.Name)
		}
		s := kw.String()
		a.Keywords = &s
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(a); err != nil {
		return "", fmt.Errorf("jsonld: %w", err)
	}
	return template.JS(bytes.TrimSpace(b.Bytes())), nil
}

// article is a schema.org Article as JSONLD writes it. The fields stand in
// the order of their names, as a map's keys would: a struct encodes
// without sorting keys or boxing values, which cost every essay page more
// than the rest of its metadata.
type article struct {
	Context          string       `json:"@context"`
	Type             string       `json:"@type"`
	Author           *person      `json:"author,omitempty"`
	DateModified     string       `json:"dateModified,omitempty"`
	DatePublished    string       `json:"datePublished,omitempty"`
	Description      string       `json:"description,omitempty"`
	Headline         string       `json:"headline"`
	InLanguage       string       `json:"inLanguage,omitempty"`
	Keywords         *string      `json:"keywords,omitempty"`
	MainEntityOfPage string       `json:"mainEntityOfPage"`
	Publisher        organization `json:"publisher"`
	URL              string       `json:"url"`
	WordCount        int          `json:"wordCount"`
}

type person struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type organization struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url"`
}
