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
)

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
	var nonEmpty []string
	for _, t := range out {
		if t != "" {
			nonEmpty = append(nonEmpty, t)
		}
	}
	return nonEmpty
}

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
	case kindContinuum, kindQuiz:
	case "":
		v.errorf("$", "missing kind: add `kind: continuum` (where the reader stands between two ends) or `kind: quiz` (right and wrong answers)")
		return
	default:
		msg := fmt.Sprintf("kind %q is not known; write continuum or quiz", s.Kind)
		if near := diag.Nearest(s.Kind, []string{kindContinuum, kindQuiz}); near != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", near)
		}
		v.errorf("$.kind", "%s", msg)
		return
	}
	if len(s.Items) == 0 {
		v.errorf("$", "no items: add `items:`, a list of questions")
	}
	for i := range s.Items {
		v.item(i)
	}
	if s.Kind == kindContinuum {
		// Reach and balance mean little while items are wrong.
		v.continuum(!v.diags.HasErrors())
	} else {
		v.quiz()
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
		if s.Kind == kindContinuum {
			if !v.doc.Has(op + ".score") {
				v.errorf(op, "option %d of item %d has no score: add `score:` from -2 (toward %s) to 2 (toward %s)", m, n, orDefault(s.Axis.Left, "the left end"), orDefault(s.Axis.Right, "the right end"))
			} else if o.Score < -maxScore || o.Score > maxScore {
				v.errorf(op+".score", "option %d of item %d: score %d is outside -2..2", m, n, o.Score)
			}
			for _, k := range []string{"correct", "feedback"} {
				if v.doc.Has(op + "." + k) {
					v.errorf(op+"."+k, "option %d of item %d: %s belongs to quiz options; a continuum option has text and score", m, n, k)
				}
			}
			continue
		}
		if v.doc.Has(op + ".score") {
			v.errorf(op+".score", "option %d of item %d: score belongs to continuum options; mark a quiz answer with `correct: true`", m, n)
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
	for _, k := range []string{"axis", "bands"} {
		if v.doc.Has("$." + k) {
			v.errorf("$."+k, "%s belongs to kind: continuum; a quiz has items and pass", k)
		}
	}
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
	if v.doc.Has("$.pass") {
		v.errorf("$.pass", "pass belongs to kind: quiz; a continuum has bands")
	}
	if strings.TrimSpace(s.Axis.Left) == "" || strings.TrimSpace(s.Axis.Right) == "" {
		v.errorf("$.axis", "a continuum needs both ends named: add `axis: {left: ..., right: ...}`")
	}
	// Reachable totals, and the total that an agreeable reader reaches.
	var agreeable float64
	likerts := 0
	for _, it := range s.Items {
		switch it.Type {
		case typeLikert:
			b.min -= maxScore
			b.max += maxScore
			b.span += maxScore
			likerts++
			if it.Keyed == "left" {
				agreeable--
			} else {
				agreeable++
			}
		case typeChoice:
			if len(it.Options) == 0 {
				continue
			}
			lo, hi, sum := math.MaxInt, math.MinInt, 0
			for _, o := range it.Options {
				lo, hi, sum = min(lo, o.Score), max(hi, o.Score), sum+o.Score
			}
			b.min += lo
			b.max += hi
			b.span += maxScore
			agreeable += float64(sum) / float64(len(it.Options))
		}
	}
	if b.span == 0 {
		if len(s.Items) > 0 {
			v.errorf("$.items", "no scored items: a continuum needs at least one choice or likert item")
		}
		return
	}
	v.bands(itemsOK)
	if likerts > 0 && !v.diags.HasErrors() {
		pos := 100 * agreeable / float64(b.span)
		if math.Abs(pos) > 100.0/3+1e-9 {
			end := s.Axis.Right
			other := s.Axis.Left
			if pos < 0 {
				end, other = other, end
			}
			v.diags.Warn(v.doc.Pos("$.items"), "selfcheck: lopsided: a reader who answers \"agree\" to every statement lands %.0f%% of the way toward %s, outside the middle third; key more statements toward %s", math.Abs(pos), end, other)
		}
	}
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
