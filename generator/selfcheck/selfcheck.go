package selfcheck

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/strictyaml"
)

// The two kinds of block.
const (
	kindContinuum = "continuum"
	kindQuiz      = "quiz"
	kindQuadrant  = "quadrant"
)

// kinds lists the kinds in the order messages name them.
var kinds = []string{kindContinuum, kindQuadrant, kindQuiz}

// The item types.
const (
	typeChoice     = "choice"
	typeMulti      = "multi"
	typeLikert     = "likert"
	typeReflection = "reflection"
)

// maxScore bounds an option's score: -maxScore..+maxScore. A likert answer
// scores the same range, so a continuum of n scored items reaches a total
// of maxScore*n at most.
const maxScore = 2

// spec is the block as written.
type spec struct {
	ID      string `yaml:"id"`
	Version int    `yaml:"version"`
	Kind    string `yaml:"kind"`
	Title   string `yaml:"title"`
	Intro   string `yaml:"intro"`
	Axis    axis   `yaml:"axis"`
	Items   []item `yaml:"items"`
	Bands   []band `yaml:"bands"`
	Pass    int    `yaml:"pass"`
	// A quadrant's: two axes, four quadrants and an optional middle.
	Axes      axes       `yaml:"axes"`
	Quadrants []quadrant `yaml:"quadrants"`
	Middle    middle     `yaml:"middle"`
}

type axes struct {
	X axis `yaml:"x"`
	Y axis `yaml:"y"`
}

// quadrant is one of the four regions of the map: the one where the x
// position leans to X (left or right) and the y position to Y.
type quadrant struct {
	X       string   `yaml:"x"`
	Y       string   `yaml:"y"`
	Title   string   `yaml:"title"`
	Body    string   `yaml:"body"`
	Reflect []string `yaml:"reflect"`
}

// middle is the optional zone at the map's centre: both positions within
// Within of 0.
type middle struct {
	Within  int      `yaml:"within"`
	Title   string   `yaml:"title"`
	Body    string   `yaml:"body"`
	Reflect []string `yaml:"reflect"`
}

type axis struct {
	Left  string `yaml:"left"`
	Right string `yaml:"right"`
}

type item struct {
	Type      string   `yaml:"type"`
	Text      string   `yaml:"text"`
	Statement string   `yaml:"statement"`
	Prompt    string   `yaml:"prompt"`
	Keyed     string   `yaml:"keyed"`
	Axis      string   `yaml:"axis"`
	Options   []option `yaml:"options"`
}

type option struct {
	Text     string `yaml:"text"`
	Score    int    `yaml:"score"`
	Correct  bool   `yaml:"correct"`
	Feedback string `yaml:"feedback"`
}

type band struct {
	From    int      `yaml:"from"`
	To      int      `yaml:"to"`
	Title   string   `yaml:"title"`
	Body    string   `yaml:"body"`
	Reflect []string `yaml:"reflect"`
}

// Block is one parsed and valid self-check, ready to render.
type Block struct {
	pos   diag.Pos
	idPos diag.Pos
	s     spec
	// min and max are the lowest and highest reachable totals of a
	// continuum; span is maxScore per scored item: the total that maps to
	// 100% of the way to an end.
	min, max, span int
	// reach is a quadrant's min, max and span, per axis (0 x, 1 y).
	reach [2]struct{ min, max, span int }
	// texts are the author's texts with their positions, for links.
	texts []Text
}

// Text is one author-written string of inline Markdown in a block, at the
// position of its key in the essay.
type Text struct {
	Text string
	Pos  diag.Pos
	// Result is true for the texts shown with a result: band and
	// quadrant titles, bodies and reflection prompts, where links to the
	// essay's headings and to other essays belong.
	Result bool
}

// ID returns the block's id, its storage key, unique on a page.
func (b *Block) ID() string { return b.s.ID }

// Pos returns the position of the block: its body's first line.
func (b *Block) Pos() diag.Pos { return b.pos }

// Texts returns every author-written string that may hold inline Markdown:
// title, intro, axis labels, questions, options, feedback, band titles,
// bodies and reflection prompts.
func (b *Block) Texts() []string {
	s := &b.s
	out := []string{s.Title, s.Intro, s.Axis.Left, s.Axis.Right}
	for _, it := range s.Items {
		out = append(out, it.question())
		for _, o := range it.Options {
			out = append(out, o.Text, o.Feedback)
		}
	}
	for _, bd := range s.Bands {
		out = append(out, bd.Title, bd.Body)
		out = append(out, bd.Reflect...)
	}
	out = append(out, s.Axes.X.Left, s.Axes.X.Right, s.Axes.Y.Left, s.Axes.Y.Right)
	for _, q := range s.Quadrants {
		out = append(out, q.Title, q.Body)
		out = append(out, q.Reflect...)
	}
	out = append(out, s.Middle.Title, s.Middle.Body)
	out = append(out, s.Middle.Reflect...)
	var nonEmpty []string
	for _, t := range out {
		if t != "" {
			nonEmpty = append(nonEmpty, t)
		}
	}
	return nonEmpty
}

// TextsAt returns the same texts as Texts, each with the position of its
// key in the essay, in the order written: the markdown package checks the
// links they hold there (a band's body may link to a heading of the essay,
// `[the Time Test](#the-time-test)`, or to another essay, `other.md#part`).
func (b *Block) TextsAt() []Text { return append([]Text(nil), b.texts...) }

func (it *item) question() string {
	return it.Text + it.Statement + it.Prompt // at most one is set in a valid block
}

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// Parse parses and validates one fenced block. body is the fence's content;
// firstLine is the 1-based line in file of the body's first line, col the
// column offset of the fence's indentation (usually 0). Diagnostics carry
// positions in file. Warnings (a lopsided continuum) come with a Block;
// when errors prevent rendering the Block is nil.
func Parse(file string, body []byte, firstLine, col int) (*Block, diag.List) {
	b := &Block{pos: diag.Pos{File: file, Line: firstLine, Col: col + 1}}
	if len(bytes.TrimSpace(body)) == 0 {
		var l diag.List
		l.Add(b.pos, "selfcheck: the block is empty; write at least id, version, kind, title and items in YAML")
		return nil, l
	}
	doc, diags := strictyaml.Decode(body, &b.s, strictyaml.Options{
		File: file, LineOffset: firstLine - 1, ColOffset: col,
		UnknownKeys: diag.Error, Context: "selfcheck",
	})
	// Decoding stops at a syntax or type error, leaving the rest unset;
	// validating that would only add noise. Unknown keys do not stop it.
	for _, d := range diags {
		if d.Severity == diag.Error && !strings.Contains(d.Msg, "unknown key") {
			return nil, diags
		}
	}
	v := &validator{doc: doc, b: b}
	b.texts = textsAt(doc, &b.s)
	v.validate()
	diags = append(diags, v.diags...)
	diags.Sort()
	if diags.HasErrors() {
		return nil, diags
	}
	return b, diags
}

type validator struct {
	doc   *strictyaml.Doc
	b     *Block
	diags diag.List
}

func (v *validator) errorf(path, format string, args ...any) {
	v.diags.Add(v.doc.Pos(path), "selfcheck: "+format, args...)
}

func (v *validator) validate() {
	s := &v.b.s
	v.b.idPos = v.doc.Pos("$.id")
	switch {
	case !v.doc.Has("$.id") || s.ID == "":
		v.errorf("$", "missing id: add a line such as `id: my-check`; the id names the block and the key its answers are saved under, and must be unique on the page")
	case !idPattern.MatchString(s.ID):
		v.errorf("$.id", "id %q may hold only letters, digits, - and _, starting with a letter or digit", s.ID)
	}
	if !v.doc.Has("$.version") {
		v.errorf("$", "missing version: add `version: 1` and raise it whenever you change the items, so answers saved for the old items are kept apart")
	} else if s.Version < 1 {
		v.errorf("$.version", "version must be a whole number of 1 or more, not %d", s.Version)
	}
	if strings.TrimSpace(s.Title) == "" {
		v.errorf("$", "missing title: add a `title:` shown above the questions")
	}
	switch s.Kind {
	case kindContinuum, kindQuiz, kindQuadrant:
	case "":
		v.errorf("$", "missing kind: add `kind: continuum` (where the reader stands between two ends), `kind: quadrant` (where the reader stands on two questions at once) or `kind: quiz` (right and wrong answers)")
		return
	default:
		msg := fmt.Sprintf("kind %q is not known; write %s", s.Kind, orList(kinds))
		if near := diag.Nearest(s.Kind, kinds); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		v.errorf("$.kind", "%s", msg)
		return
	}
	v.otherKinds()
	if len(s.Items) == 0 {
		v.errorf("$", "no items: add `items:`, a list of questions")
	}
	for i := range s.Items {
		v.item(i)
	}
	switch s.Kind {
	case kindContinuum:
		// Reach and balance mean little while items are wrong.
		v.continuum(!v.diags.HasErrors())
	case kindQuadrant:
		v.quadrant(!v.diags.HasErrors())
	default:
		v.quiz()
	}
}

// ownKeys are the top-level keys that belong to one kind only.
var ownKeys = []struct{ key, kind, has string }{
	{"axis", kindContinuum, "axis and bands"},
	{"bands", kindContinuum, "axis and bands"},
	{"axes", kindQuadrant, "axes, quadrants and middle"},
	{"quadrants", kindQuadrant, "axes, quadrants and middle"},
	{"middle", kindQuadrant, "axes, quadrants and middle"},
	{"pass", kindQuiz, "pass"},
}

// otherKinds reports the top-level keys of another kind, naming what
// this kind has instead.
func (v *validator) otherKinds() {
	kind := v.b.s.Kind
	instead := map[string]string{kindContinuum: "axis and bands", kindQuadrant: "axes, quadrants and middle", kindQuiz: "items and pass"}[kind]
	for _, k := range ownKeys {
		if k.kind != kind && v.doc.Has("$."+k.key) {
			v.errorf("$."+k.key, "%s belongs to kind: %s; a %s has %s", k.key, k.kind, kind, instead)
		}
	}
}

func (v *validator) item(i int) {
	s := &v.b.s
	it := &s.Items[i]
	p := fmt.Sprintf("$.items[%d]", i)
	n := i + 1
	types := []string{typeChoice, typeLikert, typeReflection}
	if s.Kind == kindQuiz {
		types = []string{typeChoice, typeMulti}
	}
	switch {
	case it.Type == "":
		v.errorf(p, "item %d has no type: add `type:` %s", n, orList(types))
		return
	case !contains(types, it.Type):
		msg := fmt.Sprintf("item %d: type %q is not allowed in a %s; write %s", n, it.Type, s.Kind, orList(types))
		if near := diag.Nearest(it.Type, types); near != "" && near != it.Type {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		v.errorf(p+".type", "%s", msg)
		return
	}
	// Which key holds the question.
	want := map[string]string{typeChoice: "text", typeMulti: "text", typeLikert: "statement", typeReflection: "prompt"}[it.Type]
	var written []string
	for _, k := range []string{"text", "statement", "prompt"} {
		if v.doc.Has(p + "." + k) {
			written = append(written, k)
		}
	}
	switch {
	case len(written) == 0:
		v.errorf(p, "item %d (%s) has no question: add `%s:`", n, it.Type, want)
	case len(written) > 1:
		v.errorf(p+"."+written[1], "item %d has both %s and %s; keep one, `%s:`", n, written[0], written[1], want)
	case written[0] != "text" && written[0] != want:
		alt := " or `text:`"
		if want == "text" {
			alt = ""
		}
		v.errorf(p+"."+written[0], "item %d (%s) takes `%s:`%s, not `%s:`", n, it.Type, want, alt, written[0])
	case strings.TrimSpace(it.question()) == "":
		v.errorf(p+"."+written[0], "item %d: the question is empty", n)
	}
	if it.Type == typeLikert {
		switch {
		case !v.doc.Has(p + ".keyed"):
			v.errorf(p, "item %d (likert) has no keyed: add `keyed: left` or `keyed: right`, the end that agreeing points to", n)
		case it.Keyed != "left" && it.Keyed != "right":
			v.errorf(p+".keyed", "item %d: keyed must be left or right, not %q", n, it.Keyed)
		}
	} else if v.doc.Has(p + ".keyed") {
		v.errorf(p+".keyed", "item %d: keyed belongs to likert items only; remove it", n)
	}
	if s.Kind == kindQuadrant && it.Type != typeReflection {
		switch {
		case !v.doc.Has(p + ".axis"):
			v.errorf(p, "item %d (%s) has no axis: add `axis: x` (%s) or `axis: y` (%s), the question it moves", n, it.Type, pair(s.Axes.X), pair(s.Axes.Y))
		case it.Axis != "x" && it.Axis != "y":
			v.errorf(p+".axis", "item %d: axis must be x or y, not %q", n, it.Axis)
		}
	} else if v.doc.Has(p + ".axis") {
		if s.Kind == kindQuadrant {
			v.errorf(p+".axis", "item %d: a reflection is not scored, so it moves no axis; remove axis", n)
		} else {
			v.errorf(p+".axis", "item %d: axis belongs to the items of a quadrant; a %s has one scale, so remove it", n, s.Kind)
		}
	}
	if it.Type == typeLikert || it.Type == typeReflection {
		if v.doc.Has(p + ".options") {
			v.errorf(p+".options", "item %d: a %s item has no options; remove them or make it type: choice", n, it.Type)
		}
		return
	}
	if len(it.Options) < 2 {
		v.errorf(p, "item %d needs at least two options under `options:`", n)
	}
	correct := -1
	for j, o := range it.Options {
		op := fmt.Sprintf("%s.options[%d]", p, j)
		m := j + 1
		if strings.TrimSpace(o.Text) == "" {
			v.errorf(op, "option %d of item %d has no text: add `text:`", m, n)
		}
		if s.Kind != kindQuiz {
			ends := s.Axis
			if s.Kind == kindQuadrant {
				ends = map[string]axis{"x": s.Axes.X, "y": s.Axes.Y}[it.Axis]
			}
			if !v.doc.Has(op + ".score") {
				v.errorf(op, "option %d of item %d has no score: add `score:` from -2 (toward %s) to 2 (toward %s)", m, n, orDefault(ends.Left, "the left end"), orDefault(ends.Right, "the right end"))
			} else if o.Score < -maxScore || o.Score > maxScore {
				v.errorf(op+".score", "option %d of item %d: score %d is outside -2..2", m, n, o.Score)
			}
			for _, k := range []string{"correct", "feedback"} {
				if v.doc.Has(op + "." + k) {
					v.errorf(op+"."+k, "option %d of item %d: %s belongs to quiz options; a %s option has text and score", m, n, k, s.Kind)
				}
			}
			continue
		}
		if v.doc.Has(op + ".score") {
			v.errorf(op+".score", "option %d of item %d: score belongs to continuum and quadrant options; mark a quiz answer with `correct: true`", m, n)
		}
		if o.Correct {
			if correct >= 0 && it.Type == typeChoice {
				v.errorf(op+".correct", "item %d is a single-answer choice but options %d and %d are both correct; keep one, or make it `type: multi`", n, correct+1, m)
			}
			if correct < 0 {
				correct = j
			}
		}
	}
	if s.Kind == kindQuiz && correct < 0 && len(it.Options) > 0 {
		v.errorf(p, "item %d has no correct answer: mark one option with `correct: true`", n)
	}
}

func (v *validator) quiz() {
	s := &v.b.s
	if !v.doc.Has("$.pass") {
		s.Pass = len(s.Items)
		return
	}
	switch {
	case s.Pass < 1:
		v.errorf("$.pass", "pass must be at least 1, not %d", s.Pass)
	case s.Pass > len(s.Items):
		v.errorf("$.pass", "pass is %d but the quiz has only %d items, so nobody could pass; set pass to at most %d", s.Pass, len(s.Items), len(s.Items))
	}
}

func (v *validator) continuum(itemsOK bool) {
	s := &v.b.s
	b := v.b
	if strings.TrimSpace(s.Axis.Left) == "" || strings.TrimSpace(s.Axis.Right) == "" {
		v.errorf("$.axis", "a continuum needs both ends named: add `axis: {left: ..., right: ...}`")
	}
	r := reachOf(s.Items, "")
	b.min, b.max, b.span = r.min, r.max, r.span
	if b.span == 0 {
		if len(s.Items) > 0 {
			v.errorf("$.items", "no scored items: a continuum needs at least one choice or likert item")
		}
		return
	}
	v.bands(itemsOK)
	if !v.diags.HasErrors() {
		v.lopsided(r, s.Axis, "")
	}
}

// reach is what the scored items of one scale can do: the lowest and
// highest totals, the span (maxScore per item), and where a reader who
// agrees (+1) with every statement and takes the average option of every
// choice lands.
type reach struct {
	min, max, span, items, likerts int
	agreeable                      float64
}

// reachOf sums the scored items on the axis named (every one when "").
func reachOf(items []item, axis string) reach {
	var r reach
	for _, it := range items {
		if axis != "" && it.Axis != axis {
			continue
		}
		switch it.Type {
		case typeLikert:
			r.min -= maxScore
			r.max += maxScore
			r.span += maxScore
			r.items++
			r.likerts++
			if it.Keyed == "left" {
				r.agreeable--
			} else {
				r.agreeable++
			}
		case typeChoice:
			if len(it.Options) == 0 {
				continue
			}
			lo, hi, sum := math.MaxInt, math.MinInt, 0
			for _, o := range it.Options {
				lo, hi, sum = min(lo, o.Score), max(hi, o.Score), sum+o.Score
			}
			r.min += lo
			r.max += hi
			r.span += maxScore
			r.items++
			r.agreeable += float64(sum) / float64(len(it.Options))
		}
	}
	return r
}

// lopsided warns when an agreeable reader lands outside the middle third
// of a scale: its statements are keyed mostly one way, so agreeing with
// everything, a habit of many readers, passes for a stance. name is the
// quadrant's axis ("x" or "y"), "" for a continuum.
func (v *validator) lopsided(r reach, ends axis, name string) {
	if r.likerts == 0 || r.span == 0 {
		return
	}
	pos := 100 * r.agreeable / float64(r.span)
	if math.Abs(pos) <= 100.0/3+1e-9 {
		return
	}
	end, other := ends.Right, ends.Left
	if pos < 0 {
		end, other = other, end
	}
	what, where := "", "$.items"
	if name != "" {
		what = " on axis " + name
		where = "$.axes." + name
	}
	v.diags.Warn(v.doc.Pos(where), "selfcheck: lopsided%s: a reader who answers \"agree\" to every statement lands %.0f%% of the way toward %s, outside the middle third; key more statements toward %s", what, math.Abs(pos), end, other)
}

// quadrant checks a quadrant's axes, its four quadrants and its middle.
func (v *validator) quadrant(itemsOK bool) {
	s := &v.b.s
	b := v.b
	var rs [2]reach
	for i, a := range []axis{s.Axes.X, s.Axes.Y} {
		name := "xy"[i : i+1]
		p := "$.axes." + name
		switch {
		case !v.doc.Has(p):
			v.errorf("$", "a quadrant needs two axes: add `axes:` with `%s: {left: ..., right: ...}` (%s)", name, []string{"across the map", "up the map: left at the bottom, right at the top"}[i])
			continue
		case strings.TrimSpace(a.Left) == "" || strings.TrimSpace(a.Right) == "":
			v.errorf(p, "axis %s needs both ends named: `%s: {left: ..., right: ...}`", name, name)
		}
		r := reachOf(s.Items, name)
		rs[i] = r
		b.reach[i].min, b.reach[i].max, b.reach[i].span = r.min, r.max, r.span
		if itemsOK && r.items < 2 {
			v.errorf(p, "axis %s has %d scored item(s); it needs at least two (choice or likert items with `axis: %s`), so that one answer does not decide it", name, r.items, name)
		}
	}
	defer func() {
		if !v.diags.HasErrors() {
			v.lopsided(rs[0], s.Axes.X, "x")
			v.lopsided(rs[1], s.Axes.Y, "y")
		}
	}()
	v.quadrants()
	if v.doc.Has("$.middle") {
		m := s.Middle
		if !v.doc.Has("$.middle.within") {
			v.errorf("$.middle", "the middle has no within: add `within: 20`, say, for the zone where both positions are within 20 of the centre")
		} else if m.Within < 1 || m.Within > 99 {
			v.errorf("$.middle.within", "middle: within must be from 1 to 99, not %d", m.Within)
		}
		if strings.TrimSpace(m.Title) == "" {
			v.errorf("$.middle", "the middle has no title: add `title:`")
		}
	}
}

// quadrants checks that each of the four quadrants is written once, named.
func (v *validator) quadrants() {
	s := &v.b.s
	if len(s.Quadrants) == 0 {
		v.errorf("$", "missing quadrants: add `quadrants:`, four of them, each with x and y (left or right: where it lies on each axis) and a title")
		return
	}
	seen := map[string]int{}
	for i, q := range s.Quadrants {
		p := fmt.Sprintf("$.quadrants[%d]", i)
		n := i + 1
		ok := true
		for _, k := range []struct{ key, val string }{{"x", q.X}, {"y", q.Y}} {
			switch {
			case !v.doc.Has(p + "." + k.key):
				v.errorf(p, "quadrant %d has no %s: add `%s: left` or `%s: right`, the end of axis %s it lies toward", n, k.key, k.key, k.key, k.key)
				ok = false
			case k.val != "left" && k.val != "right":
				v.errorf(p+"."+k.key, "quadrant %d: %s must be left or right, not %q", n, k.key, k.val)
				ok = false
			}
		}
		if strings.TrimSpace(q.Title) == "" {
			v.errorf(p, "quadrant %d has no title: add `title:`, the name a reader is given there", n)
		}
		if !ok {
			continue
		}
		corner := q.X + "/" + q.Y
		if j, dup := seen[corner]; dup {
			v.errorf(p, "quadrants %d and %d both lie at x: %s, y: %s; each of the four corners needs its own", j+1, n, q.X, q.Y)
			continue
		}
		seen[corner] = i
	}
	if len(s.Quadrants) != 4 && len(seen) == len(s.Quadrants) {
		var missing []string
		for _, c := range []string{"left/left", "left/right", "right/left", "right/right"} {
			if _, ok := seen[c]; !ok {
				x, y, _ := strings.Cut(c, "/")
				missing = append(missing, fmt.Sprintf("x: %s, y: %s", x, y))
			}
		}
		if len(missing) > 0 {
			v.errorf("$.quadrants", "a quadrant map needs four quadrants, one per corner; add the one(s) at %s", strings.Join(missing, "; "))
		}
	}
}

// pair words an axis as "left ↔ right", for messages.
func pair(a axis) string {
	if a.Left == "" && a.Right == "" {
		return "its axis"
	}
	return a.Left + " ↔ " + a.Right
}

// bands checks that the bands tile the reachable range without gaps or
// overlaps, and sorts them by where they start.
func (v *validator) bands(checkReach bool) {
	s := &v.b.s
	b := v.b
	if len(s.Bands) == 0 {
		v.errorf("$", "missing bands: add `bands:`, each with from, to (positions from -100 at %s to 100 at %s) and a title", orDefault(s.Axis.Left, "the left end"), orDefault(s.Axis.Right, "the right end"))
		return
	}
	order := make([]int, len(s.Bands))
	ok := true
	for i, bd := range s.Bands {
		order[i] = i
		p := fmt.Sprintf("$.bands[%d]", i)
		n := i + 1
		for _, k := range []string{"from", "to"} {
			if !v.doc.Has(p + "." + k) {
				v.errorf(p, "band %d has no %s: add `%s:` a position from -100 to 100", n, k, k)
				ok = false
			}
		}
		if strings.TrimSpace(bd.Title) == "" {
			v.errorf(p, "band %d has no title: add `title:`", n)
		}
		for _, x := range []struct {
			k string
			v int
		}{{"from", bd.From}, {"to", bd.To}} {
			if x.v < -100 || x.v > 100 {
				v.errorf(p+"."+x.k, "band %d: %s is %d, outside -100..100", n, x.k, x.v)
				ok = false
			}
		}
		if bd.From >= bd.To && v.doc.Has(p+".from") && v.doc.Has(p+".to") {
			v.errorf(p+".to", "band %d: to (%d) must be greater than from (%d)", n, bd.To, bd.From)
			ok = false
		}
	}
	if !ok {
		return
	}
	sort.SliceStable(order, func(i, j int) bool { return s.Bands[order[i]].From < s.Bands[order[j]].From })
	for k := 1; k < len(order); k++ {
		prev, cur := s.Bands[order[k-1]], s.Bands[order[k]]
		p := fmt.Sprintf("$.bands[%d].from", order[k])
		switch {
		case cur.From > prev.To:
			v.errorf(p, "gap between bands: %q ends at %d but %q starts at %d; make it start at %d", prev.Title, prev.To, cur.Title, cur.From, prev.To)
		case cur.From < prev.To:
			v.errorf(p, "bands overlap: %q ends at %d but %q starts at %d; make it start at %d", prev.Title, prev.To, cur.Title, cur.From, prev.To)
		}
	}
	sorted := make([]band, len(order))
	for k, i := range order {
		sorted[k] = s.Bands[i]
	}
	defer func() { s.Bands = sorted }()
	if !checkReach {
		return
	}
	first, last := order[0], order[len(order)-1]
	// Compare in whole numbers: a total t is at position 100*t/span.
	if s.Bands[first].From*b.span > 100*b.min {
		lo := int(math.Floor(100 * float64(b.min) / float64(b.span)))
		v.errorf(fmt.Sprintf("$.bands[%d].from", first), "bands do not cover the reachable range: a reader can reach %d but the lowest band starts at %d; make it start at %d or lower", lo, s.Bands[first].From, lo)
	}
	if s.Bands[last].To*b.span < 100*b.max {
		hi := int(math.Ceil(100 * float64(b.max) / float64(b.span)))
		v.errorf(fmt.Sprintf("$.bands[%d].to", last), "bands do not cover the reachable range: a reader can reach %d but the highest band ends at %d; make it end at %d or higher", hi, s.Bands[last].To, hi)
	}
}

// textsAt lists the author's texts with their keys' positions, before
// validation sorts the bands.
func textsAt(doc *strictyaml.Doc, s *spec) []Text {
	var out []Text
	add := func(path, text string, result bool) {
		if strings.TrimSpace(text) != "" {
			out = append(out, Text{Text: text, Pos: doc.Pos(path), Result: result})
		}
	}
	add("$.title", s.Title, false)
	add("$.intro", s.Intro, false)
	add("$.axis.left", s.Axis.Left, false)
	add("$.axis.right", s.Axis.Right, false)
	for i, a := range []axis{s.Axes.X, s.Axes.Y} {
		p := "$.axes." + "xy"[i:i+1]
		add(p+".left", a.Left, false)
		add(p+".right", a.Right, false)
	}
	for i, it := range s.Items {
		p := fmt.Sprintf("$.items[%d]", i)
		add(p+".text", it.Text, false)
		add(p+".statement", it.Statement, false)
		add(p+".prompt", it.Prompt, false)
		for j, o := range it.Options {
			op := fmt.Sprintf("%s.options[%d]", p, j)
			add(op+".text", o.Text, false)
			add(op+".feedback", o.Feedback, false)
		}
	}
	result := func(p, title, body string, reflect []string) {
		add(p+".title", title, true)
		add(p+".body", body, true)
		for k, r := range reflect {
			add(fmt.Sprintf("%s.reflect[%d]", p, k), r, true)
		}
	}
	for i, bd := range s.Bands {
		result(fmt.Sprintf("$.bands[%d]", i), bd.Title, bd.Body, bd.Reflect)
	}
	for i, q := range s.Quadrants {
		result(fmt.Sprintf("$.quadrants[%d]", i), q.Title, q.Body, q.Reflect)
	}
	result("$.middle", s.Middle.Title, s.Middle.Body, s.Middle.Reflect)
	return out
}

// CheckPage reports ids used by more than one block of a page, at the later
// block's id, naming the line of the first.
func CheckPage(blocks []*Block) diag.List {
	var l diag.List
	seen := map[string]*Block{}
	for _, b := range blocks {
		if b == nil {
			continue
		}
		if first, ok := seen[b.s.ID]; ok {
			l.Add(b.idPos, "selfcheck: duplicate id %q: line %d already uses it; give each self-check on a page its own id", b.s.ID, first.idPos.Line)
			continue
		}
		seen[b.s.ID] = b
	}
	return l
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func orList(list []string) string {
	if len(list) == 1 {
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " or " + list[len(list)-1]
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
