// Package strictyaml decodes YAML into Go structs strictly and with
// positions: every unknown key is reported at its line and column with the
// nearest known key as a hint, type errors carry the position of the value,
// and the positions of all nodes are kept so that later validation can point
// at the exact line of, say, the third option of the second item.
//
// Config, front matter and self-check blocks all go through it, so their
// errors read alike.
package strictyaml

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"

	"github.com/steward-ssg/steward/generator/diag"
)

// Options say where the YAML stands in its file and how strict to be.
type Options struct {
	// File names the file in diagnostics.
	File string
	// LineOffset is added to every line: the number of lines of the file
	// before the YAML's first line (0 for a whole file).
	LineOffset int
	// ColOffset is added to every column (the indentation of a fenced block).
	ColOffset int
	// UnknownKeys is the severity of an unknown key: diag.Error for strict
	// configuration, diag.Warning where an unknown key is merely suspicious.
	UnknownKeys diag.Severity
	// Context prefixes messages, e.g. "front matter" or "selfcheck".
	Context string
}

// Doc is a decoded document: where each node stood.
type Doc struct {
	// lineEnds holds, for each line of the YAML (1-based), the column
	// just past its last character.
	lineEnds []int
	// anchors are the values of the document's anchors, by name.
	anchors map[string]ast.Node
	// badListTag is set when a value that must be a list is tagged but
	// not a list, which goccy cannot decode.
	badListTag bool

	opts Options
	pos  map[string]diag.Pos
	keys map[string]bool
	// vals are the positions of mapping values, by the path of their key.
	vals map[string]diag.Pos
	// scalars are the source text of plain scalars, by path.
	scalars map[string]string
}

// Pos returns the position of the node at path, written as "$" for the root,
// "$.items[0].options[2]" for the third option of the first item, or of the
// nearest ancestor that exists, so a missing key points at its parent.
func (d *Doc) Pos(path string) diag.Pos {
	for {
		if p, ok := d.pos[path]; ok {
			return p
		}
		i := strings.LastIndexAny(path, ".[")
		if i <= 0 {
			return diag.Pos{File: d.opts.File, Line: d.opts.LineOffset + 1, Col: 1}
		}
		path = path[:i]
	}
}

// ValuePos returns the position of the value of the mapping key at path,
// or Pos(path) when there is none: a type error points at the value
// written ("tags: 5" at the 5), not at its key.
func (d *Doc) ValuePos(path string) diag.Pos {
	if p, ok := d.vals[path]; ok {
		return p
	}
	return d.Pos(path)
}

// Scalar returns the source text of the scalar at path as written, for
// a number or a boolean that is wanted as text ("title: 3.10" is "3.10",
// not the number 3.1).
func (d *Doc) Scalar(path string) (string, bool) {
	s, ok := d.scalars[path]
	return s, ok
}

// Has reports whether the mapping key at path was written in the source,
// which tells "score: 0" apart from no score at all.
func (d *Doc) Has(path string) bool { return d.keys[path] }

// Decode decodes src into v, a pointer to a struct, and reports every problem
// it finds as positioned diagnostics. v is filled as far as decoding got.
func Decode(src []byte, v any, o Options) (*Doc, diag.List) {
	doc := &Doc{opts: o, pos: map[string]diag.Pos{}, keys: map[string]bool{}, vals: map[string]diag.Pos{}, scalars: map[string]string{}}
	var diags diag.List
	prefix := ""
	if o.Context != "" {
		prefix = o.Context + ": "
	}
	doc.lineEnds = lineEnds(src)
	file, err := parser.ParseBytes(src, 0)
	if err != nil {
		diags = append(diags, doc.fromYAMLError(err, prefix))
		return doc, diags
	}
	var body ast.Node
	for _, d := range file.Docs {
		if d.Body != nil {
			body = d.Body
			break
		}
	}
	if body == nil {
		return doc, diags
	}
	if n := tooDeep(body, 0); n != nil {
		diags.Add(doc.tokenPos(unwrap(n).GetToken()), "%slists and mappings nest over %d deep here; no settings need that many levels: close the brackets ([ or {) left open, or nest less", prefix, maxDepth)
		return doc, diags
	}
	doc.walk(body, "$")
	rt := reflect.TypeOf(v)
	for rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	if rt.Kind() == reflect.Struct {
		if _, ok := unwrap(body).(*ast.MappingNode); !ok {
			diags.Add(doc.tokenPos(body.GetToken()), "%sexpected a mapping of keys to values, found %s", prefix, describe(body))
			return doc, diags
		}
	}
	doc.anchors = anchorValues(body)
	if d := doc.checkAliases(body, len(src), prefix); d != nil {
		return doc, append(diags, d) // decoding it would take all the memory there is
	}
	doc.checkKeys(body, rt, "$", prefix, &diags)
	if doc.badListTag {
		return doc, diags // goccy (v1.19.2) would panic decoding it
	}
	if err := yaml.NodeToValue(body, v); err != nil {
		diags = append(diags, doc.fromYAMLError(err, prefix))
	}
	return doc, diags
}

func (d *Doc) tokenPos(tk *token.Token) diag.Pos {
	if tk == nil || tk.Position == nil {
		return diag.Pos{File: d.opts.File, Line: d.opts.LineOffset + 1, Col: 1}
	}
	line, col := tk.Position.Line, tk.Position.Column
	// goccy places a value left empty ("key:" or "-" ending a line) a
	// column or two past the end of the line; the end is where it is
	// missing, and a column past it is one no editor can go to.
	if line > 0 && line < len(d.lineEnds) {
		col = min(col, d.lineEnds[line])
	}
	col = max(col, 1)
	return diag.Pos{File: d.opts.File, Line: line + d.opts.LineOffset, Col: col + d.opts.ColOffset}
}

// lineEnds returns, for each line of src (1-based), the column just past
// its last character; columns count characters, as goccy's do.
// Lines end where goccy ends them: at \n, \r\n or a lone \r.
func lineEnds(src []byte) []int {
	ends := []int{0}
	src = bytes.ReplaceAll(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	for _, l := range bytes.Split(src, []byte("\n")) {
		ends = append(ends, utf8.RuneCount(l)+1)
	}
	return ends
}

// nodePos is where a node starts as a reader sees it: for a mapping, its
// first key rather than goccy's token for the colon.
func (d *Doc) nodePos(n ast.Node) diag.Pos {
	if mvs := mappingValues(n); len(mvs) > 0 {
		return d.tokenPos(mvs[0].Key.GetToken())
	}
	return d.tokenPos(unwrap(n).GetToken())
}

func (d *Doc) fromYAMLError(err error, prefix string) *diag.Diagnostic {
	var ye yaml.Error
	if errors.As(err, &ye) {
		msg := ye.GetMessage()
		var te *yaml.TypeError
		if errors.As(err, &te) {
			msg = fmt.Sprintf("%q is not a valid %s", te.Token.Value, typeName(te.DstType))
		}
		if m := alreadyDefined.FindStringSubmatch(msg); m != nil {
			// goccy's "already defined at [2:1]" counts from the start of
			// the YAML; say it as the file's line, and what to do.
			line, _ := strconv.Atoi(m[2])
			msg = fmt.Sprintf("key %q is already set on line %d; remove one of them", m[1], line+d.opts.LineOffset)
		}
		return diag.Errorf(d.tokenPos(ye.GetToken()), "%s%s", prefix, msg)
	}
	return diag.Errorf(d.tokenPos(nil), "%s%s", prefix, cleanMessage(err.Error()))
}

var alreadyDefined = regexp.MustCompile(`mapping key "([^"]*)" already defined at \[(\d+):\d+\]`)

// cleanMessage strips goccy's "[line:col] " prefix and source excerpt from
// an error without a token; our own position replaces them.
func cleanMessage(s string) string {
	if i := strings.Index(s, "] "); strings.HasPrefix(s, "[") && i > 0 {
		s = s[i+2:]
	}
	if i := strings.IndexByte(s, '\n'); i > 0 {
		s = s[:i]
	}
	return s
}

func typeName(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "list"
	case reflect.Map, reflect.Struct:
		if t.String() == "time.Time" {
			return "date (write it as 2006-01-02 or 2006-01-02T15:04:05Z)"
		}
		return "mapping"
	case reflect.Bool:
		return "boolean (true or false)"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "whole number"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	}
	return t.String()
}

func describe(n ast.Node) string {
	switch unwrap(n).(type) {
	case *ast.SequenceNode:
		return "a list"
	case *ast.MappingNode:
		return "a mapping"
	case *ast.NullNode:
		return "nothing"
	}
	return fmt.Sprintf("%q", n.String())
}

func unwrap(n ast.Node) ast.Node {
	for {
		switch t := n.(type) {
		case *ast.TagNode:
			n = t.Value
		case *ast.AnchorNode:
			n = t.Value
		case *ast.CommentGroupNode:
			return n
		default:
			return n
		}
	}
}

// maxDepth is how deep lists and mappings may nest. goccy decodes up to
// 10,000 levels, but walk records a path as long as its depth for every
// node, the square of the depth in all: 20,000 levels of [ in 40 KB of
// front matter allocated over 600 MB for it. What people write nests a few.
const maxDepth = 1000

// tooDeep returns a list or mapping nested over maxDepth deep in n, at
// depth, or nil.
func tooDeep(n ast.Node, depth int) ast.Node {
	switch t := unwrap(n).(type) {
	case *ast.MappingNode:
		if depth > maxDepth {
			return n
		}
		for _, mv := range t.Values {
			if d := tooDeep(mv.Value, depth+1); d != nil {
				return d
			}
		}
	case *ast.MappingValueNode:
		return tooDeep(t.Value, depth+1)
	case *ast.SequenceNode:
		if depth > maxDepth {
			return n
		}
		for _, v := range t.Values {
			if d := tooDeep(v, depth+1); d != nil {
				return d
			}
		}
	}
	return nil
}

// walk records the position of every node by path.
func (d *Doc) walk(n ast.Node, path string) {
	if n == nil {
		return
	}
	n = unwrap(n)
	if _, ok := d.pos[path]; !ok {
		d.pos[path] = d.nodePos(n)
	}
	switch t := n.(type) {
	case *ast.MappingNode:
		for _, mv := range t.Values {
			d.mappingValue(mv, path)
		}
	case *ast.MappingValueNode:
		d.mappingValue(t, path)
	case *ast.SequenceNode:
		for i, v := range t.Values {
			p := fmt.Sprintf("%s[%d]", path, i)
			d.pos[p] = d.nodePos(v)
			d.walk(v, p)
		}
	case ast.ScalarNode:
		if tk := t.GetToken(); tk != nil {
			d.scalars[path] = tk.Value
		}
	}
}

func (d *Doc) mappingValue(mv *ast.MappingValueNode, path string) {
	key := mv.Key.String()
	p := path + "." + key
	d.keys[p] = true
	d.pos[p] = d.tokenPos(mv.Key.GetToken())
	if mv.Value != nil {
		d.vals[p] = d.nodePos(mv.Value)
		if m, ok := unwrap(mv.Value).(*ast.MappingNode); ok && m.IsFlowStyle && m.Start != nil {
			d.vals[p] = d.tokenPos(m.Start) // the {, where the value starts
		}
	}
	d.walk(mv.Value, p)
}

func mappingValues(n ast.Node) []*ast.MappingValueNode {
	switch t := unwrap(n).(type) {
	case *ast.MappingNode:
		return t.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{t}
	}
	return nil
}

// checkKeys compares the keys written against the fields of t.
func (d *Doc) checkKeys(n ast.Node, t reflect.Type, path, prefix string, diags *diag.List) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if k := t.Kind(); k == reflect.Slice || k == reflect.Array {
		if tag := d.nonListTag(n); tag != nil {
			diags.Add(d.tokenPos(tag.Start), "%sexpected a list, found a value tagged %s; remove the tag, or write a list such as [a, b]", prefix, tag.Start.Value)
			d.badListTag = true
			return
		}
	}
	n = unwrap(n)
	switch t.Kind() {
	case reflect.Struct:
		if t.String() == "time.Time" {
			d.checkTime(n, prefix, diags)
			return
		}
		fields := structFields(t)
		for _, mv := range mappingValues(n) {
			key := mv.Key.String()
			ft, ok := fields[key]
			if !ok {
				names := make([]string, 0, len(fields))
				for k := range fields {
					names = append(names, k)
				}
				sort.Strings(names)
				msg := fmt.Sprintf("%sunknown key %q", prefix, key)
				if near := diag.Nearest(key, names); near != "" {
					msg += fmt.Sprintf("; did you mean %q?", near)
				} else {
					msg += fmt.Sprintf("; known keys are %s", strings.Join(names, ", "))
				}
				*diags = append(*diags, &diag.Diagnostic{Pos: d.tokenPos(mv.Key.GetToken()), Severity: d.opts.UnknownKeys, Msg: msg, Kind: "unknown key"})
				continue
			}
			d.checkKeys(mv.Value, ft, path+"."+key, prefix, diags)
		}
	case reflect.Slice, reflect.Array:
		if s, ok := n.(*ast.SequenceNode); ok {
			for i, v := range s.Values {
				d.checkKeys(v, t.Elem(), fmt.Sprintf("%s[%d]", path, i), prefix, diags)
			}
		}
	case reflect.Map:
		for _, mv := range mappingValues(n) {
			d.checkKeys(mv.Value, t.Elem(), path+"."+mv.Key.String(), prefix, diags)
		}
	}
}

// nonListTag returns the tag of n, through anchors and aliases, when it
// tags anything but a sequence: goccy (v1.19.2) panics decoding that into
// a slice ("tags: !x a", "tags: !!str a").
func (d *Doc) nonListTag(n ast.Node) *ast.TagNode {
	for range 100 { // aliases may go round in circles
		switch t := n.(type) {
		case *ast.AnchorNode:
			n = t.Value
		case *ast.AliasNode:
			if t.Value == nil || t.Value.GetToken() == nil {
				return nil
			}
			n = d.anchors[t.Value.GetToken().Value]
		case *ast.TagNode:
			if _, ok := unwrap(t.Value).(*ast.SequenceNode); ok || t.Start == nil {
				return nil
			}
			return t
		default:
			return nil
		}
	}
	return nil
}

// anchorValues maps each anchor's name to its value, as goccy resolves
// aliases.
func anchorValues(root ast.Node) map[string]ast.Node {
	m := map[string]ast.Node{}
	ast.Walk(visitor(func(n ast.Node) {
		if a, ok := n.(*ast.AnchorNode); ok && a.Name != nil && a.Name.GetToken() != nil {
			m[a.Name.GetToken().Value] = a.Value
		}
	}), root)
	return m
}

// maxAliasValues is how many values the aliases of a document may stand
// for, unless it is long enough to write out more (maxAliasValues per
// byte). Each alias is a copy of its anchor's value, and an alias of a
// list of aliases multiplies: ten lines of "a2: &a2 [*a1, *a1, ...]" are
// ten billion values (the "billion laughs"), which a build would spend
// minutes and all its memory spelling out (Params are copied, cached and
// fingerprinted value by value). Reusing a value, however often, is far
// below: its aliases take room of their own.
const (
	maxAliasValues        = 100_000
	maxAliasValuesPerByte = 4
)

// checkAliases reports the alias at which the values that aliases stand
// for pass the limit for a document of size bytes.
func (d *Doc) checkAliases(root ast.Node, size int, prefix string) *diag.Diagnostic {
	limit := max(maxAliasValues, maxAliasValuesPerByte*size)
	sizes := map[ast.Node]int{} // the values a node stands for, aliases spelled out
	var values func(n ast.Node) int
	values = func(n ast.Node) int {
		if s, ok := sizes[n]; ok {
			return s
		}
		sizes[n] = 1 // an alias inside its own anchor's value counts once
		total := 0
		ast.Walk(visitor(func(c ast.Node) {
			total = min(total+1, limit+1)
			if a, ok := c.(*ast.AliasNode); ok && a.Value != nil && a.Value.GetToken() != nil {
				if v := d.anchors[a.Value.GetToken().Value]; v != nil {
					total = min(total+values(v), limit+1)
				}
			}
		}), n)
		sizes[n] = total
		return total
	}
	var at *ast.AliasNode
	added := 0
	ast.Walk(visitor(func(c ast.Node) {
		a, ok := c.(*ast.AliasNode)
		if !ok || at != nil || a.Value == nil || a.Value.GetToken() == nil {
			return
		}
		if v := d.anchors[a.Value.GetToken().Value]; v != nil {
			if added = min(added+values(v), limit+1); added > limit {
				at = a
			}
		}
	}), root)
	if at == nil {
		return nil
	}
	return diag.Errorf(d.tokenPos(at.GetToken()), "%sthe aliases up to *%s stand for over %d values, as aliases of lists of aliases multiply; write the values out, or refer to fewer", prefix, at.Value.GetToken().Value, limit)
}

type visitor func(ast.Node)

func (v visitor) Visit(n ast.Node) ast.Visitor {
	v(n)
	return v
}

// timeLayouts are the date forms accepted in YAML, as goccy parses them.
var timeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04:05 -07:00", "2006-01-02"}

// checkTime reports a date that goccy would silently leave as zero.
func (d *Doc) checkTime(n ast.Node, prefix string, diags *diag.List) {
	s, ok := n.(*ast.StringNode)
	if !ok {
		return
	}
	for _, l := range timeLayouts {
		if _, err := time.Parse(l, s.Value); err == nil {
			return
		}
	}
	diags.Add(d.tokenPos(n.GetToken()), "%s%q is not a valid date (write it as 2006-01-02 or 2006-01-02T15:04:05Z)", prefix, s.Value)
}

// structFields maps YAML key names to field types, following goccy's rules:
// the yaml tag's name, else the lower-cased field name; inline structs merge.
func structFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if strings.Contains(opts, "inline") {
			for k, v := range structFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}
