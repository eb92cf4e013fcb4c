// Package corpus writes deterministic sites of generated essays for
// benchmarks: the same seed and size give the same bytes. Each essay is
// shaped like the example essay: about 800 words, front matter with 2 to 4
// tags out of 30, headings, a list, a quote, a footnote, and in every fifth
// essay a 20-line code block.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Options describe the corpus.
type Options struct {
	Essays int
	Seed   uint64
	// Search leaves the site's search on, as it is by default. Without it
	// the corpus turns search off, so that its builds compare with the
	// floor (generator/bench/floor), which has none.
	Search bool
	// Cards leaves the essays' social cards on, as they are by default.
	// Without it the corpus turns them off: the floor draws none.
	Cards bool
}

var words = strings.Fields(`leader team value organization servant practitioner
support customer growth people work expert service trust time model energy
decision coaching feedback delegation practice culture meeting question answer
strategy change learning role front line responsibility authority influence
purpose vision habit listening clarity priority outcome effort judgment craft
mentor pressure patience humility courage care measure result progress
direction attention capacity promise commitment honesty conflict agreement`)

var tags = func() []string {
	base := strings.Fields(`leadership servant-leadership teams delegation feedback practice
organizations coaching culture hiring strategy meetings trust growth change
learning management writing decisions mentoring communication ethics
productivity careers startups nonprofits education healthcare law engineering`)
	return base[:30]
}()

const code = "```go\npackage main\n\nimport (\n\t\"fmt\"\n\t\"sort\"\n)\n\ntype member struct {\n\tname  string\n\thours int\n}\n\nfunc main() {\n\tteam := []member{{\"Ana\", 12}, {\"Ben\", 7}, {\"Chi\", 9}}\n\tsort.Slice(team, func(i, j int) bool { return team[i].hours > team[j].hours })\n\tfor i, m := range team {\n\t\tfmt.Printf(\"%d. %s supports for %d hours\\n\", i+1, m.name, m.hours)\n\t}\n}\n```\n"

// Write writes site.yaml and content/ for the corpus into dir.
func Write(dir string, o Options) error {
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		return err
	}
	cfg := "title: Corpus\nbaseURL: https://corpus.example.org/\nauthor: {name: Bench Writer}\n"
	if !o.Search {
		cfg += "search: {enabled: false}\n"
	}
	if !o.Cards {
		cfg += "cards: {draw: false}\n"
	}
	if err := os.WriteFile(filepath.Join(dir, "site.yaml"), []byte(cfg), 0o644); err != nil {
		return err
	}
	for i := 0; i < o.Essays; i++ {
		name, body := Essay(o.Seed, i)
		if err := os.WriteFile(filepath.Join(dir, "content", name), body, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// Essay returns the file name and bytes of essay i.
func Essay(seed uint64, i int) (string, []byte) {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	var b strings.Builder
	title := sentence(r, 3+r.IntN(4))
	date := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 7 * time.Hour)
	fmt.Fprintf(&b, "---\ntitle: %q\ndate: %s\ntags: [", strings.TrimSuffix(title, "."), date.Format("2006-01-02T15:04:05Z"))
	n := 2 + r.IntN(3)
	perm := r.Perm(len(tags))
	for k := 0; k < n; k++ {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tags[perm[k]])
	}
	b.WriteString("]\n---\n\n")
	para := func(n int) {
		for s := 0; s < n; s++ {
			if s > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(sentence(r, 8+r.IntN(12)))
		}
		b.WriteString("\n\n")
	}
	para(8)
	for h := 0; h < 3; h++ {
		fmt.Fprintf(&b, "## %s\n\n", strings.TrimSuffix(sentence(r, 2+r.IntN(3)), "."))
		para(8)
		switch h {
		case 0:
			for k := 0; k < 4; k++ {
				fmt.Fprintf(&b, "- %s\n", sentence(r, 5+r.IntN(5)))
			}
			b.WriteString("\n")
		case 1:
			fmt.Fprintf(&b, "> %s \"%s\" %s\n\n", sentence(r, 10), words[r.IntN(len(words))], sentence(r, 6))
			para(5)
		case 2:
			b.WriteString("A point that needs a source.[^1]\n\n")
			if i%5 == 0 {
				b.WriteString(code + "\n")
			}
			para(6)
		}
	}
	b.WriteString("[^1]: " + sentence(r, 9) + "\n")
	return fmt.Sprintf("essay-%05d.md", i), []byte(b.String())
}

func sentence(r *rand.Rand, n int) string {
	var b strings.Builder
	for k := 0; k < n; k++ {
		w := words[r.IntN(len(words))]
		if k == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if k > 2 && k < n-1 && r.IntN(9) == 0 {
			b.WriteString(" --")
		}
	}
	b.WriteString(".")
	return b.String()
}
