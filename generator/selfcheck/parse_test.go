package selfcheck

import (
	"strings"
	"testing"
)

// base is a valid continuum; cases edit it by replacing one line.
const base = `id: c
version: 1
kind: continuum
title: T
axis: {left: L, right: R}
items:
  - type: choice
    text: Q
    options:
      - text: a
        score: -2
      - text: b
        score: 2
  - type: likert
    statement: S
    keyed: left
bands:
  - {from: -100, to: 0, title: Lo}
  - {from: 0, to: 100, title: Hi}
`

const quizBase = `id: q
version: 1
kind: quiz
title: T
pass: 2
items:
  - type: choice
    text: Q
    options:
      - text: a
        correct: true
      - text: b
  - type: multi
    text: M
    options:
      - text: a
        correct: true
      - text: b
`

// quadBase is a valid quadrant: two scored items on each axis, keyed
// both ways, and a middle.
const quadBase = `id: m
version: 1
kind: quadrant
title: T
axes:
  x: {left: XL, right: XR}
  y: {left: YL, right: YR}
items:
  - type: likert
    statement: A
    axis: x
    keyed: left
  - type: choice
    text: B
    axis: x
    options:
      - {text: a, score: -2}
      - {text: b, score: 2}
  - type: likert
    statement: C
    axis: y
    keyed: right
  - type: likert
    statement: D
    axis: y
    keyed: left
  - type: reflection
    prompt: P
quadrants:
  - {x: left, y: left, title: LL}
  - {x: left, y: right, title: LR}
  - {x: right, y: left, title: RL}
  - {x: right, y: right, title: RR, body: "See [the test](#the-time-test)."}
middle:
  within: 20
  title: Mid
`

func edit(src, old, new string) string {
	if !strings.Contains(src, old) {
		panic("no " + old)
	}
	return strings.Replace(src, old, new, 1)
}

func diagStrings(t *testing.T, src string) []string {
	t.Helper()
	_, l := Parse("essay.md", []byte(src), 10, 0)
	var out []string
	for _, d := range l {
		out = append(out, d.Error())
	}
	return out
}

// validationCases holds every mistake an author can make, with the exact
// diagnostics expected; the block's body starts on line 10 of essay.md.
var validationCases = []struct {
	name, src string
	want      []string
}{
	{"valid continuum", base, nil},
	{"valid quiz", quizBase, nil},
	{"bad YAML", edit(base, "title: T", "title: [T"), []string{
		"essay.md:14:1: selfcheck: ',' or ']' must be specified",
	}},
	{"not a mapping", "- a\n- b\n", []string{
		"essay.md:10:1: selfcheck: expected a mapping of keys to values, found a list",
	}},
	{"unknown key", edit(base, "    keyed: left", "    keyd: left"), []string{
		"essay.md:23:5: selfcheck: item 2 (likert) has no keyed: add `keyed: left` or `keyed: right`, the end that agreeing points to",
		"essay.md:25:5: selfcheck: unknown key \"keyd\"; did you mean \"keyed\"?",
	}},
	{"unknown top-level key", edit(base, "title: T", "titel: T"), []string{
		"essay.md:10:1: selfcheck: missing title: add a `title:` shown above the questions",
		"essay.md:13:1: selfcheck: unknown key \"titel\"; did you mean \"title\"?",
	}},
	{"wrong type", edit(base, "score: -2", "score: high"), []string{
		"essay.md:20:16: selfcheck: \"high\" is not a valid whole number",
	}},
	{"empty block", "\n  \n", []string{
		"essay.md:10:1: selfcheck: the block is empty; write at least id, version, kind, title and items in YAML",
	}},
	{"missing id", edit(base, "id: c\n", ""), []string{
		"essay.md:10:1: selfcheck: missing id: add a line such as `id: my-check`; the id names the block and the key its answers are saved under, and must be unique on the page",
	}},
	{"bad id", edit(base, "id: c", "id: a b"), []string{
		"essay.md:10:1: selfcheck: id \"a b\" may hold only letters, digits, - and _, starting with a letter or digit",
	}},
	{"missing version", edit(base, "version: 1\n", ""), []string{
		"essay.md:10:1: selfcheck: missing version: add `version: 1` and raise it whenever you change the items, so answers saved for the old items are kept apart",
	}},
	{"version zero", edit(base, "version: 1", "version: 0"), []string{
		"essay.md:11:1: selfcheck: version must be a whole number of 1 or more, not 0",
	}},
	{"missing title", edit(base, "title: T\n", ""), []string{
		"essay.md:10:1: selfcheck: missing title: add a `title:` shown above the questions",
	}},
	{"missing kind", edit(base, "kind: continuum\n", ""), []string{
		"essay.md:10:1: selfcheck: missing kind: add `kind: continuum` (where the reader stands between two ends), `kind: quadrant` (where the reader stands on two questions at once) or `kind: quiz` (right and wrong answers)",
	}},
	{"unknown kind", edit(base, "kind: continuum", "kind: continum"), []string{
		"essay.md:12:1: selfcheck: kind \"continum\" is not known; write continuum, quadrant or quiz (did you mean \"continuum\"?)",
	}},
	{"no items", edit(edit(base, "items:", "itemz:"), "bands:", "bands:"), []string{
		"essay.md:10:1: selfcheck: no items: add `items:`, a list of questions",
		"essay.md:15:1: selfcheck: unknown key \"itemz\"; did you mean \"items\"?",
	}},
	{"item without type", edit(base, "  - type: likert\n    statement", "  - statement"), []string{
		"essay.md:23:5: selfcheck: item 2 has no type: add `type:` choice, likert or reflection",
	}},
	{"unknown type", edit(base, "type: likert", "type: likret"), []string{
		"essay.md:23:5: selfcheck: item 2: type \"likret\" is not allowed in a continuum; write choice, likert or reflection (did you mean \"likert\"?)",
	}},
	{"multi in continuum", edit(base, "type: choice", "type: multi"), []string{
		"essay.md:16:5: selfcheck: item 1: type \"multi\" is not allowed in a continuum; write choice, likert or reflection",
	}},
	{"likert in quiz", edit(quizBase, "type: multi", "type: likert"), []string{
		"essay.md:22:5: selfcheck: item 2: type \"likert\" is not allowed in a quiz; write choice or multi",
	}},
	{"no question", edit(base, "    statement: S\n", ""), []string{
		"essay.md:23:5: selfcheck: item 2 (likert) has no question: add `statement:`",
	}},
	{"two questions", edit(base, "    statement: S\n", "    statement: S\n    text: T\n"), []string{
		"essay.md:24:5: selfcheck: item 2 has both text and statement; keep one, `statement:`",
	}},
	{"prompt on a choice", edit(base, "    text: Q\n", "    prompt: Q\n"), []string{
		"essay.md:17:5: selfcheck: item 1 (choice) takes `text:`, not `prompt:`",
	}},
	{"likert without keyed", edit(base, "    keyed: left\n", ""), []string{
		"essay.md:23:5: selfcheck: item 2 (likert) has no keyed: add `keyed: left` or `keyed: right`, the end that agreeing points to",
	}},
	{"likert keyed up", edit(base, "keyed: left", "keyed: up"), []string{
		"essay.md:25:5: selfcheck: item 2: keyed must be left or right, not \"up\"",
	}},
	{"keyed on a choice", edit(base, "    text: Q\n", "    text: Q\n    keyed: left\n"), []string{
		"essay.md:18:5: selfcheck: item 1: keyed belongs to likert items only; remove it",
	}},
	{"options on likert", edit(base, "    keyed: left\n", "    keyed: left\n    options: [{text: x, score: 1}]\n"), []string{
		"essay.md:26:5: selfcheck: item 2: a likert item has no options; remove them or make it type: choice",
	}},
	{"one option", edit(base, "      - text: b\n        score: 2\n", ""), []string{
		"essay.md:16:5: selfcheck: item 1 needs at least two options under `options:`",
	}},
	{"option without text", edit(base, "      - text: a\n        score: -2", "      - score: -2"), []string{
		"essay.md:19:9: selfcheck: option 1 of item 1 has no text: add `text:`",
	}},
	{"option without score", edit(base, "        score: -2\n", ""), []string{
		"essay.md:19:9: selfcheck: option 1 of item 1 has no score: add `score:` from -2 (toward L) to 2 (toward R)",
	}},
	{"score outside range", edit(base, "score: -2", "score: -3"), []string{
		"essay.md:20:9: selfcheck: option 1 of item 1: score -3 is outside -2..2",
	}},
	{"correct in continuum", edit(base, "        score: 2\n", "        score: 2\n        correct: true\n"), []string{
		"essay.md:23:9: selfcheck: option 2 of item 1: correct belongs to quiz options; a continuum option has text and score",
	}},
	{"score in quiz", edit(quizBase, "        correct: true\n      - text: b\n  - type: multi", "        correct: true\n      - text: b\n        score: 1\n  - type: multi"), []string{
		"essay.md:22:9: selfcheck: option 2 of item 1: score belongs to continuum and quadrant options; mark a quiz answer with `correct: true`",
	}},
	{"quiz choice without correct", edit(quizBase, "        correct: true\n      - text: b\n  - type: multi", "      - text: b\n  - type: multi"), []string{
		"essay.md:16:5: selfcheck: item 1 has no correct answer: mark one option with `correct: true`",
	}},
	{"quiz choice with two correct", edit(quizBase, "      - text: b\n  - type: multi", "      - text: b\n        correct: true\n  - type: multi"), []string{
		"essay.md:22:9: selfcheck: item 1 is a single-answer choice but options 1 and 2 are both correct; keep one, or make it `type: multi`",
	}},
	{"quiz multi without correct", strings.TrimSuffix(quizBase, "        correct: true\n      - text: b\n") + "      - text: b\n", []string{
		"essay.md:22:5: selfcheck: item 2 has no correct answer: mark one option with `correct: true`",
	}},
	{"pass above maximum", edit(quizBase, "pass: 2", "pass: 3"), []string{
		"essay.md:14:1: selfcheck: pass is 3 but the quiz has only 2 items, so nobody could pass; set pass to at most 2",
	}},
	{"pass zero", edit(quizBase, "pass: 2", "pass: 0"), []string{
		"essay.md:14:1: selfcheck: pass must be at least 1, not 0",
	}},
	{"axis in quiz", edit(quizBase, "pass: 2", "pass: 2\naxis: {left: a, right: b}"), []string{
		"essay.md:15:1: selfcheck: axis belongs to kind: continuum; a quiz has items and pass",
	}},
	{"pass in continuum", edit(base, "title: T", "title: T\npass: 1"), []string{
		"essay.md:14:1: selfcheck: pass belongs to kind: quiz; a continuum has axis and bands",
	}},
	{"missing axis end", edit(base, "axis: {left: L, right: R}", "axis: {left: L}"), []string{
		"essay.md:14:1: selfcheck: a continuum needs both ends named: add `axis: {left: ..., right: ...}`",
	}},
	{"missing bands", base[:strings.Index(base, "bands:")], []string{
		"essay.md:10:1: selfcheck: missing bands: add `bands:`, each with from, to (positions from -100 at L to 100 at R) and a title",
	}},
	{"band without from", edit(base, "{from: 0, to: 100", "{to: 100"), []string{
		"essay.md:28:6: selfcheck: band 2 has no from: add `from:` a position from -100 to 100",
	}},
	{"band without title", edit(base, ", title: Hi}", "}"), []string{
		"essay.md:28:6: selfcheck: band 2 has no title: add `title:`",
	}},
	{"band to before from", edit(base, "{from: 0, to: 100", "{from: 0, to: -5"), []string{
		"essay.md:28:15: selfcheck: band 2: to (-5) must be greater than from (0)",
	}},
	{"band outside -100..100", edit(base, "{from: -100, to: 0", "{from: -120, to: 0"), []string{
		"essay.md:27:6: selfcheck: band 1: from is -120, outside -100..100",
	}},
	{"bands with a gap", edit(base, "{from: 0, to: 100", "{from: 10, to: 100"), []string{
		"essay.md:28:6: selfcheck: gap between bands: \"Lo\" ends at 0 but \"Hi\" starts at 10; make it start at 0",
	}},
	{"bands overlap", edit(base, "{from: 0, to: 100", "{from: -10, to: 100"), []string{
		"essay.md:28:6: selfcheck: bands overlap: \"Lo\" ends at 0 but \"Hi\" starts at -10; make it start at 0",
	}},
	{"bands leave the low end", edit(base, "{from: -100, to: 0", "{from: -40, to: 0"), []string{
		"essay.md:27:6: selfcheck: bands do not cover the reachable range: a reader can reach -100 but the lowest band starts at -40; make it start at -100 or lower",
	}},
	{"bands leave the high end", edit(base, "{from: 0, to: 100", "{from: 0, to: 40"), []string{
		"essay.md:28:15: selfcheck: bands do not cover the reachable range: a reader can reach 100 but the highest band ends at 40; make it end at 100 or higher",
	}},
	{"bands out of order are fine", edit(edit(base, "  - {from: -100, to: 0, title: Lo}\n", ""), "title: Hi}\n", "title: Hi}\n  - {from: -100, to: 0, title: Lo}\n"), nil},
	{"no scored items", edit(base, "  - type: choice\n    text: Q\n    options:\n      - text: a\n        score: -2\n      - text: b\n        score: 2\n  - type: likert\n    statement: S\n    keyed: left\n", "  - type: reflection\n    prompt: P\n"), []string{
		"essay.md:15:1: selfcheck: no scored items: a continuum needs at least one choice or likert item",
	}},
	{"lopsided", edit(edit(base, "keyed: left", "keyed: right"), "  - type: choice\n    text: Q\n    options:\n      - text: a\n        score: -2\n      - text: b\n        score: 2\n", "  - type: likert\n    text: X\n    keyed: right\n"), []string{
		"essay.md:15:1: warning: selfcheck: lopsided: a reader who answers \"agree\" to every statement lands 50% of the way toward R, outside the middle third; key more statements toward L",
	}},
	{"valid quadrant", quadBase, nil},
	{"quadrant without middle", quadBase[:strings.Index(quadBase, "middle:")], nil},
	{"quadrant item without axis", edit(quadBase, "    axis: x\n    keyed: left\n", "    keyed: left\n"), []string{
		"essay.md:18:5: selfcheck: item 1 (likert) has no axis: add `axis: x` (XL ↔ XR) or `axis: y` (YL ↔ YR), the question it moves",
	}},
	{"quadrant axis z", edit(quadBase, "axis: x\n    keyed: left", "axis: z\n    keyed: left"), []string{
		"essay.md:20:5: selfcheck: item 1: axis must be x or y, not \"z\"",
	}},
	{"quadrant axis with one item", edit(quadBase, "    statement: D\n    axis: y\n", "    statement: D\n    axis: x\n"), []string{
		"essay.md:16:3: selfcheck: axis y has 1 scored item(s); it needs at least two (choice or likert items with `axis: y`), so that one answer does not decide it",
	}},
	{"quadrant lopsided axis", edit(quadBase, "    statement: D\n    axis: y\n    keyed: left", "    statement: D\n    axis: y\n    keyed: right"), []string{
		"essay.md:16:3: warning: selfcheck: lopsided on axis y: a reader who answers \"agree\" to every statement lands 50% of the way toward YR, outside the middle third; key more statements toward YL",
	}},
	{"quadrant reflection with axis", edit(quadBase, "    prompt: P\n", "    prompt: P\n    axis: x\n"), []string{
		"essay.md:38:5: selfcheck: item 5: a reflection is not scored, so it moves no axis; remove axis",
	}},
	{"quadrant missing axes", edit(quadBase, "axes:\n  x: {left: XL, right: XR}\n  y: {left: YL, right: YR}\n", ""), []string{
		"essay.md:10:1: selfcheck: a quadrant needs two axes: add `axes:` with `x: {left: ..., right: ...}` (across the map)",
		"essay.md:10:1: selfcheck: a quadrant needs two axes: add `axes:` with `y: {left: ..., right: ...}` (up the map: left at the bottom, right at the top)",
	}},
	{"quadrant axis end missing", edit(quadBase, "y: {left: YL, right: YR}", "y: {left: YL}"), []string{
		"essay.md:16:3: selfcheck: axis y needs both ends named: `y: {left: ..., right: ...}`",
	}},
	{"quadrant without title", edit(quadBase, "{x: left, y: right, title: LR}", "{x: left, y: right}"), []string{
		"essay.md:40:6: selfcheck: quadrant 2 has no title: add `title:`, the name a reader is given there",
	}},
	{"quadrant twice", edit(quadBase, "{x: left, y: right, title: LR}", "{x: left, y: left, title: LR}"), []string{
		"essay.md:40:6: selfcheck: quadrants 1 and 2 both lie at x: left, y: left; each of the four corners needs its own",
	}},
	{"quadrant missing", edit(quadBase, "  - {x: left, y: right, title: LR}\n", ""), []string{
		"essay.md:38:1: selfcheck: a quadrant map needs four quadrants, one per corner; add the one(s) at x: left, y: right",
	}},
	{"quadrant x up", edit(quadBase, "{x: left, y: right, title: LR}", "{x: up, y: right, title: LR}"), []string{
		"essay.md:40:6: selfcheck: quadrant 2: x must be left or right, not \"up\"",
	}},
	{"quadrants missing", quadBase[:strings.Index(quadBase, "quadrants:")], []string{
		"essay.md:10:1: selfcheck: missing quadrants: add `quadrants:`, four of them, each with x and y (left or right: where it lies on each axis) and a title",
	}},
	{"middle within out of range", edit(quadBase, "within: 20", "within: 100"), []string{
		"essay.md:44:3: selfcheck: middle: within must be from 1 to 99, not 100",
	}},
	{"middle without title", edit(quadBase, "  title: Mid\n", ""), []string{
		"essay.md:43:1: selfcheck: the middle has no title: add `title:`",
	}},
	{"bands in quadrant", edit(quadBase, "title: T\n", "title: T\nbands: []\n"), []string{
		"essay.md:14:1: selfcheck: bands belongs to kind: continuum; a quadrant has axes, quadrants and middle",
	}},
	{"pass in quadrant", edit(quadBase, "title: T\n", "title: T\npass: 1\n"), []string{
		"essay.md:14:1: selfcheck: pass belongs to kind: quiz; a quadrant has axes, quadrants and middle",
	}},
	{"axes in continuum", edit(base, "title: T\n", "title: T\naxes: {x: {left: a, right: b}}\n"), []string{
		"essay.md:14:1: selfcheck: axes belongs to kind: quadrant; a continuum has axis and bands",
	}},
	{"item axis in continuum", edit(base, "    keyed: left", "    keyed: left\n    axis: x"), []string{
		"essay.md:26:5: selfcheck: item 2: axis belongs to the items of a quadrant; a continuum has one scale, so remove it",
	}},
	{"quadrants in quiz", edit(quizBase, "pass: 2", "pass: 2\nquadrants: []"), []string{
		"essay.md:15:1: selfcheck: quadrants belongs to kind: quadrant; a quiz has items and pass",
	}},
}

func TestValidation(t *testing.T) {
	for _, c := range validationCases {
		t.Run(c.name, func(t *testing.T) {
			b, l := Parse("essay.md", []byte(c.src), 10, 0)
			got := diagStrings(t, c.src)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("diagnostics:\ngot  %q\nwant %q", got, c.want)
			}
			if (b == nil) != l.HasErrors() {
				t.Errorf("block is nil = %v, but errors = %v: a block must come back exactly when there are no errors", b == nil, l.HasErrors())
			}
		})
	}
}

func TestIndentedFence(t *testing.T) {
	// A fence inside a list item: the body is indented by 4 columns.
	_, l := Parse("essay.md", []byte(edit(base, "score: -2", "score: 9")), 3, 4)
	want := "essay.md:13:13: selfcheck: option 1 of item 1: score 9 is outside -2..2"
	if len(l) != 1 || l[0].Error() != want {
		t.Errorf("got %v, want %s", l, want)
	}
}

func TestCheckPage(t *testing.T) {
	a, _ := Parse("essay.md", []byte(base), 10, 0)
	b, _ := Parse("essay.md", []byte(quizBase), 40, 0)
	c, _ := Parse("essay.md", []byte(base), 70, 0)
	l := CheckPage([]*Block{a, b, nil, c})
	want := `essay.md:70:1: selfcheck: duplicate id "c": line 10 already uses it; give each self-check on a page its own id`
	if len(l) != 1 || l[0].Error() != want {
		t.Errorf("got %v, want %s", l, want)
	}
	if got := c.Pos().String(); got != "essay.md:70:1" {
		t.Errorf("Pos = %s, want essay.md:70:1", got)
	}
	if a.ID() != "c" {
		t.Errorf("ID = %q", a.ID())
	}
}

func TestReach(t *testing.T) {
	b, l := Parse("essay.md", []byte(base), 1, 0)
	if b == nil {
		t.Fatal(l)
	}
	if b.min != -4 || b.max != 4 || b.span != 4 {
		t.Errorf("min, max, span = %d, %d, %d; want -4, 4, 4", b.min, b.max, b.span)
	}
	if got, want := strings.Join(b.Texts(), "|"), "T|L|R|Q|a|b|S|Lo|Hi"; got != want {
		t.Errorf("Texts = %q, want %q", got, want)
	}
}
