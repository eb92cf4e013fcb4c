package selfcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// Render returns the block's HTML: a form that reads well without
// JavaScript, the "score it yourself" section, and the block's data as JSON
// for the script. inline renders a string of inline Markdown with the
// site's settings; s holds the user-facing strings.
func (b *Block) Render(inline func(string) template.HTML, s Strings) (template.HTML, error) {
	v, err := b.view(inline, s)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := page.Execute(&buf, v); err != nil {
		return "", fmt.Errorf("rendering %q: %w", b.s.ID, err)
	}
	return template.HTML(buf.String()), nil
}

type view struct {
	Root, ID, Kind string
	Version        int
	Title, Intro   template.HTML
	Left, Right    template.HTML
	Items          []itemView
	Scored         []itemView
	Bands          []bandView
	// A quadrant's: its axes' ends, and the scored items of each axis.
	Quad         bool
	XPair, YPair template.HTML
	XKey, YKey   []itemView
	S            Strings
	Submit       string
	Summary      string
	Progress     string
	Data         template.JS
}

type itemView struct {
	ID, Type, Input string
	N               int
	Text            template.HTML
	Options         []optView
}

type optView struct {
	ID, Value      string
	Points         template.HTML
	Text, Feedback template.HTML
	Correct        bool
}

type bandView struct {
	// N is the result's index in the data: a band's, or a quadrant's as
	// written (the middle's is 4).
	N           int
	Range       template.HTML
	YRange      template.HTML
	Title, Body template.HTML
	Reflect     []template.HTML
}

// data is the JSON the script reads: the block's source texts (Markdown, as
// the author wrote them, for the export), scores, bands and strings.
type data struct {
	ID      string     `json:"id"`
	Version int        `json:"version"`
	Kind    string     `json:"kind"`
	Title   string     `json:"title"`
	Axis    *dataAxis  `json:"axis,omitempty"`
	Items   []dataItem `json:"items"`
	Bands   []dataBand `json:"bands,omitempty"`
	Span    int        `json:"span,omitempty"`
	Pass    int        `json:"pass,omitempty"`
	// A quadrant's axes, each axis's span (x, y), and the middle's size;
	// its four quadrants and the middle are in Bands.
	Axes    *dataAxes `json:"axes,omitempty"`
	Spans   []int     `json:"spans,omitempty"`
	Within  int       `json:"within,omitempty"`
	Strings Strings   `json:"strings"`
}

type dataAxis struct {
	Left  string `json:"left"`
	Right string `json:"right"`
}

type dataAxes struct {
	X dataAxis `json:"x"`
	Y dataAxis `json:"y"`
}

type dataItem struct {
	Type    string    `json:"type"`
	Axis    string    `json:"axis,omitempty"`
	Text    string    `json:"text"`
	Keyed   string    `json:"keyed,omitempty"`
	Options []dataOpt `json:"options,omitempty"`
}

type dataOpt struct {
	Text    string `json:"text"`
	Score   *int   `json:"score,omitempty"`
	Correct bool   `json:"correct,omitempty"`
}

type dataBand struct {
	From  int    `json:"from"`
	To    int    `json:"to"`
	Title string `json:"title"`
	X     string `json:"x,omitempty"`
	Y     string `json:"y,omitempty"`
}

func (b *Block) view(inline func(string) template.HTML, s Strings) (*view, error) {
	sp := &b.s
	root := "sc-" + sp.ID
	v := &view{
		Root: root, ID: sp.ID, Kind: sp.Kind, Version: sp.Version,
		Title: inline(sp.Title), S: s, Submit: s.Submit, Summary: s.ScoreYourself,
	}
	if sp.Intro != "" {
		v.Intro = inline(sp.Intro)
	}
	defer func() {
		n := len(v.Scored)
		if sp.Kind == kindQuiz {
			n = len(v.Items)
		}
		v.Progress = strings.NewReplacer("{n}", "0", "{total}", strconv.Itoa(n)).Replace(s.Progress)
	}()
	d := data{ID: sp.ID, Version: sp.Version, Kind: sp.Kind, Title: sp.Title, Strings: s}
	switch sp.Kind {
	case kindQuiz:
		v.Submit, v.Summary = s.Check, s.Answers
		d.Pass = sp.Pass
	case kindQuadrant:
		v.Quad = true
		v.XPair = inline(sp.Axes.X.Left) + " ↔ " + inline(sp.Axes.X.Right)
		v.YPair = inline(sp.Axes.Y.Left) + " ↔ " + inline(sp.Axes.Y.Right)
		d.Axes = &dataAxes{X: dataAxis(sp.Axes.X), Y: dataAxis(sp.Axes.Y)}
		d.Spans = []int{b.reach[0].span, b.reach[1].span}
		d.Within = sp.Middle.Within
	default:
		v.Left, v.Right = inline(sp.Axis.Left), inline(sp.Axis.Right)
		d.Axis = &dataAxis{Left: sp.Axis.Left, Right: sp.Axis.Right}
		d.Span = b.span
	}
	likert := []string{s.StronglyDisagree, s.Disagree, s.Neutral, s.Agree, s.StronglyAgree}
	for i, it := range sp.Items {
		iv := itemView{ID: fmt.Sprintf("%s-%d", root, i+1), Type: it.Type, N: i + 1, Text: inline(it.question()), Input: "radio"}
		di := dataItem{Type: it.Type, Axis: it.Axis, Text: it.question(), Keyed: it.Keyed}
		if it.Type == typeMulti {
			iv.Input = "checkbox"
		}
		switch it.Type {
		case typeLikert:
			sign := 1
			if it.Keyed == "left" {
				sign = -1
			}
			for j, label := range likert {
				iv.Options = append(iv.Options, optView{
					ID: fmt.Sprintf("%s-%d", iv.ID, j+1), Value: strconv.Itoa(j),
					Text: template.HTML(template.HTMLEscapeString(label)), Points: template.HTML(signed(sign * (j - 2))),
				})
			}
		case typeChoice, typeMulti:
			for j, o := range it.Options {
				ov := optView{
					ID: fmt.Sprintf("%s-%d", iv.ID, j+1), Value: strconv.Itoa(j),
					Text: inline(o.Text), Correct: o.Correct,
				}
				do := dataOpt{Text: o.Text, Correct: o.Correct}
				if sp.Kind != kindQuiz {
					score := o.Score
					ov.Points = template.HTML(signed(score))
					do.Score = &score
				}
				if o.Feedback != "" {
					ov.Feedback = inline(o.Feedback)
				}
				iv.Options = append(iv.Options, ov)
				di.Options = append(di.Options, do)
			}
		}
		v.Items = append(v.Items, iv)
		if it.Type != typeReflection {
			v.Scored = append(v.Scored, iv)
			switch it.Axis {
			case "x":
				v.XKey = append(v.XKey, iv)
			case "y":
				v.YKey = append(v.YKey, iv)
			}
		}
		d.Items = append(d.Items, di)
	}
	for k, bd := range sp.Bands {
		bv := bandView{N: k, Title: inline(bd.Title), Range: template.HTML(b.totalRange(k))}
		if bd.Body != "" {
			bv.Body = inline(bd.Body)
		}
		for _, r := range bd.Reflect {
			bv.Reflect = append(bv.Reflect, inline(r))
		}
		v.Bands = append(v.Bands, bv)
		d.Bands = append(d.Bands, dataBand{From: bd.From, To: bd.To, Title: bd.Title})
	}
	if sp.Kind == kindQuadrant {
		v.Bands, d.Bands = b.quadrantViews(inline)
	}
	// encoding/json escapes <, > and & as \u003c, \u003e and \u0026, and
	// U+2028 and U+2029, so the JSON cannot end its <script> element.
	js, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("encoding %q: %w", sp.ID, err)
	}
	v.Data = template.JS(js)
	return v, nil
}

// totalRange words the whole totals that fall in band k, for readers who
// score themselves: a total t sits at position 100*t/span, and belongs to
// the band with from <= position < to (the last band includes its to).
func (b *Block) totalRange(k int) string {
	bd := b.s.Bands[k]
	last := k == len(b.s.Bands)-1
	lo := ceilDiv(bd.From*b.span, 100)
	var hi int
	if last {
		hi = floorDiv(bd.To*b.span, 100)
	} else {
		hi = ceilDiv(bd.To*b.span, 100) - 1
	}
	return rangeText(max(lo, b.min), min(hi, b.max))
}

// quadrantViews are a quadrant's results for the "score it yourself" table
// (the middle first, as a reader must check it first) and for the data (the
// quadrants as written, then the middle).
func (b *Block) quadrantViews(inline func(string) template.HTML) ([]bandView, []dataBand) {
	sp := &b.s
	var rows []bandView
	var data []dataBand
	view := func(n int, title, body string, reflect []string) bandView {
		bv := bandView{N: n, Title: inline(title)}
		if body != "" {
			bv.Body = inline(body)
		}
		for _, r := range reflect {
			bv.Reflect = append(bv.Reflect, inline(r))
		}
		return bv
	}
	// A position of exactly 0 belongs to the right, as a band holds its from.
	side := func(axis int, end string) template.HTML {
		r := b.reach[axis]
		if end == "left" {
			return template.HTML(rangeText(r.min, min(-1, r.max)))
		}
		return template.HTML(rangeText(max(0, r.min), r.max))
	}
	for k, q := range sp.Quadrants {
		bv := view(k, q.Title, q.Body, q.Reflect)
		bv.Range, bv.YRange = side(0, q.X), side(1, q.Y)
		rows = append(rows, bv)
		data = append(data, dataBand{X: q.X, Y: q.Y, Title: q.Title})
	}
	if sp.Middle.Title != "" {
		m := view(len(sp.Quadrants), sp.Middle.Title, sp.Middle.Body, sp.Middle.Reflect)
		in := func(axis int) template.HTML {
			r := b.reach[axis]
			w := sp.Middle.Within * r.span / 100 // |t| <= w: 100*|t| <= within*span
			return template.HTML(rangeText(max(-w, r.min), min(w, r.max)))
		}
		m.Range, m.YRange = in(0), in(1)
		rows = append([]bandView{m}, rows...)
		data = append(data, dataBand{Title: sp.Middle.Title})
	}
	return rows, data
}

// rangeText words the whole totals lo..hi.
func rangeText(lo, hi int) string {
	switch {
	case lo > hi:
		return "–"
	case lo == hi:
		return signed(lo)
	}
	return signed(lo) + " to " + signed(hi)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func ceilDiv(a, b int) int { return -floorDiv(-a, b) }

// signed writes n with its sign, using a true minus sign.
func signed(n int) string {
	switch {
	case n > 0:
		return "+" + strconv.Itoa(n)
	case n < 0:
		return "−" + strconv.Itoa(-n)
	}
	return "0"
}

var page = parsePage()

// parsePage parses the widget's template and the two it calls.
func parsePage() *template.Template {
	t := template.Must(template.New("selfcheck").Parse(pageHTML))
	template.Must(t.New("key").Parse(`<ol class="sc-key">
{{range .}}<li value="{{.N}}">{{.Text}}<ul>
{{range .Options}}<li><b>{{.Points}}</b> {{.Text}}</li>
{{end}}</ul></li>
{{end}}</ol>
`))
	template.Must(t.New("result").Parse(`<td><p class="sc-bt"><strong>{{.Title}}</strong></p>{{if .Body}}<div class="sc-bb">{{.Body}}</div>{{end}}{{if .Reflect}}<ul class="sc-br">{{range .Reflect}}<li>{{.}}</li>{{end}}</ul>{{end}}</td>`))
	return t.Lookup("selfcheck")
}

const pageHTML = `<form class="selfcheck sc-{{.Kind}}" id="{{.Root}}" data-id="{{.ID}}" data-version="{{.Version}}" aria-labelledby="{{.Root}}-t">
<p class="sc-title" id="{{.Root}}-t">{{.Title}}</p>
{{if .Intro}}<div class="sc-intro">{{.Intro}}</div>
{{end}}{{range .Items}}<fieldset class="sc-item sc-{{.Type}}" id="{{.ID}}">
<legend id="{{.ID}}-q"><span class="sc-n">{{.N}}.</span> {{.Text}}</legend>
{{if eq .Type "reflection"}}<textarea id="{{.ID}}-a" name="{{.ID}}" rows="3" aria-labelledby="{{.ID}}-q"></textarea>
{{else}}{{$it := .}}{{if eq .Type "likert"}}<div class="sc-scale">
{{end}}{{range .Options}}<div class="sc-opt"><input type="{{$it.Input}}" id="{{.ID}}" name="{{$it.ID}}" value="{{.Value}}"><label for="{{.ID}}">{{.Text}}</label>{{if .Feedback}}<p class="sc-fb" id="{{.ID}}-fb" hidden>{{.Feedback}}</p>{{end}}</div>
{{end}}{{if eq .Type "likert"}}</div>
{{end}}{{end}}</fieldset>
{{end}}<p class="sc-js sc-actions"><button type="submit">{{.Submit}}</button> <span class="sc-progress" role="status">{{.Progress}}</span></p>
<div class="sc-js sc-result" role="status" tabindex="-1"></div>
<div class="sc-js sc-saved"></div>
<details class="sc-manual"><summary>{{.Summary}}</summary>
{{if eq .Kind "quiz"}}<ol class="sc-key">
{{range .Items}}<li>{{.Text}}<ul>
{{range .Options}}<li>{{if .Correct}}<strong>{{.Text}}</strong> (✓ {{$.S.Correct}}){{else}}{{.Text}}{{end}}{{if .Feedback}}: {{.Feedback}}{{end}}</li>
{{end}}</ul></li>
{{end}}</ol>
{{else if .Quad}}<p>{{.S.HowToScoreMap}}</p>
<p class="sc-h">{{.XPair}}</p>
{{template "key" .XKey}}<p class="sc-h">{{.YPair}}</p>
{{template "key" .YKey}}<table class="sc-bands"><thead><tr><th scope="col">{{.XPair}}</th><th scope="col">{{.YPair}}</th><th scope="col">{{.S.Result}}</th></tr></thead><tbody>
{{range .Bands}}<tr data-band="{{.N}}"><td>{{.Range}}</td><td>{{.YRange}}</td>{{template "result" .}}</tr>
{{end}}</tbody></table>
{{else}}<p>{{.S.HowToScore}}</p>
{{template "key" .Scored}}<table class="sc-bands"><thead><tr><th scope="col">{{.S.Total}}</th><th scope="col">{{.S.Result}}</th></tr></thead><tbody>
{{range .Bands}}<tr data-band="{{.N}}"><td>{{.Range}}</td>{{template "result" .}}</tr>
{{end}}</tbody></table>
{{end}}</details>
<script type="application/json" class="sc-data">{{.Data}}</script>
</form>`
