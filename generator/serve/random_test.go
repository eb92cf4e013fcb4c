package serve

import (
	"flag"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/internal/testsite"
	"github.com/steward-ssg/steward/generator/pipeline"
	"github.com/steward-ssg/steward/generator/theme"
)

// editsSeed replays one run of TestRandomEditsServedEqualsFreshBuild:
// go test ./generator/serve -run TestRandomEdits -args -edits.seed=N
var editsSeed = flag.Int64("edits.seed", 0, "seed of TestRandomEditsServedEqualsFreshBuild (0: a new one)")

// TestRandomEditsServedEqualsFreshBuild applies a random sequence of edits
// (add, change, rename and delete essays, layout overrides, static files,
// site.yaml) to a real folder while the real server (real watcher, real
// builder) runs, and after every step checks what it serves against a
// fresh build of the folder, byte for byte, with no extra or missing
// paths. The scripted TestServedEqualsFreshBuild covers the edits we
// thought of; this one finds the orders we did not. A failure prints the
// seed that replays it.
func TestRandomEditsServedEqualsFreshBuild(t *testing.T) {
	seed := *editsSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("replay with: go test ./generator/serve -run TestRandomEditsServedEqualsFreshBuild -args -edits.seed=%d", seed)
		}
	})
	steps := 150
	if testing.Short() {
		steps = 25
	}
	e := &editor{t: t, rng: rand.New(rand.NewSource(seed))}
	e.src = testsite.New(t, map[string]string{"site.yaml": e.siteYAML()})
	for i := 0; i < 3; i++ {
		e.addEssay()
	}
	// The Builder trusts every stamp at once (its clock runs an hour
	// ahead), so that an edit the stamps missed would show rather than be
	// covered by the rule that recent files are read again.
	b := pipeline.NewBuilder()
	b.Racy = later
	r := startRunBuilder(t, Options{Source: e.src}, b)
	prev := freshDigest(t, e.src)
	changed := 0
	for i := 0; i < steps; i++ {
		what := e.step()
		if now := freshDigest(t, e.src); now != prev {
			changed++
			prev = now
		}
		var last error
		eventually(t, fmt.Sprintf("step %d (%s)", i, what), func() error {
			last = sameAsFresh(e.src, r.url)
			return last
		})
		t.Logf("step %3d: %s", i, what)
	}
	t.Logf("seed %d: %d of %d steps changed the output", seed, changed, steps)
	// Steps that change nothing test nothing: most must change the output.
	if changed < steps/2 {
		t.Errorf("only %d of %d steps changed the output", changed, steps)
	}
}

// editor makes random, valid edits to the site in src and remembers what
// it holds. Names come from disjoint pools (essays e00…, folders sec-…,
// static files s00…), so no two outputs can claim one URL.
type editor struct {
	t       *testing.T
	rng     *rand.Rand
	src     string
	essays  []string // slash paths below content/
	statics []string // slash paths below static/
	layouts []string // overridden layouts, slash paths below layouts/
	next    int      // the next unused essay or static number
}

// overrides are the layouts a step may override: a string the default
// theme's copy holds, and what the override puts in its place (%d is a
// random number, so that each override differs from the last). The mark is
// text, not an HTML comment, which html/template would drop.
var overrides = map[string][2]string{
	"essay.html":                {`<article class="essay">`, `<article class="essay v%d">`},
	"partials/site-footer.html": {"Built with", "Built (v%d) with"},
}

func (e *editor) step() string {
	for {
		switch e.rng.Intn(12) {
		case 0, 1:
			return e.addEssay()
		case 2, 3, 4:
			if len(e.essays) > 0 {
				return e.changeEssay()
			}
		case 5:
			if len(e.essays) > 0 {
				return e.renameEssay()
			}
		case 6:
			if len(e.essays) > 1 {
				return e.deleteEssay()
			}
		case 7, 8:
			return e.layout()
		case 9, 10:
			return e.static()
		case 11:
			e.write("site.yaml", e.siteYAML())
			return "edit site.yaml"
		}
	}
}

func (e *editor) folder() string {
	return []string{"", "", "sec-a/", "sec-b/", "sec-a/deeper/"}[e.rng.Intn(5)]
}

func (e *editor) addEssay() string {
	p := fmt.Sprintf("%se%02d.md", e.folder(), e.next)
	e.next++
	e.essays = append(e.essays, p)
	e.write("content/"+p, e.essay())
	return "add content/" + p
}

func (e *editor) changeEssay() string {
	p := e.essays[e.rng.Intn(len(e.essays))]
	switch e.rng.Intn(4) {
	case 0:
		return e.changeKeepingStamp("content/" + p)
	case 1:
		// An editor's atomic save: a temporary, renamed over the file.
		e.write("content/"+p+".tmp", e.essay())
		e.rename("content/"+p+".tmp", "content/"+p)
		return "save content/" + p + " atomically"
	}
	e.write("content/"+p, e.essay())
	return "change content/" + p
}

// changeKeepingStamp edits a file without changing its size, then puts
// its modification time back, as some tools do: only the change time says
// that it changed.
func (e *editor) changeKeepingStamp(p string) string {
	e.t.Helper()
	testsite.EditKeepingTimes(e.t, e.src, p)
	return "change " + p + " keeping its size and modification time"
}

func (e *editor) renameEssay() string {
	i := e.rng.Intn(len(e.essays))
	from := e.essays[i]
	to := fmt.Sprintf("%se%02d.md", e.folder(), e.next)
	e.next++
	e.essays[i] = to
	e.rename("content/"+from, "content/"+to)
	return "rename content/" + from + " to content/" + to
}

func (e *editor) deleteEssay() string {
	i := e.rng.Intn(len(e.essays))
	p := e.essays[i]
	e.essays = append(e.essays[:i], e.essays[i+1:]...)
	e.remove("content/" + p)
	return "delete content/" + p
}

// layout overrides one of the theme's layouts, edits an override, or
// removes it (the theme's own comes back).
func (e *editor) layout() string {
	names := make([]string, 0, len(overrides))
	for n := range overrides {
		names = append(names, n)
	}
	sort.Strings(names)
	n := names[e.rng.Intn(len(names))]
	for i, have := range e.layouts {
		if have == n && e.rng.Intn(2) == 0 {
			e.layouts = append(e.layouts[:i], e.layouts[i+1:]...)
			e.remove("layouts/" + n)
			return "remove the override layouts/" + n
		}
	}
	b, err := fs.ReadFile(theme.FS(), "layouts/"+n)
	if err != nil {
		e.t.Fatal(err)
	}
	anchor := overrides[n][0]
	if !strings.Contains(string(b), anchor) {
		e.t.Fatalf("the theme's layouts/%s lacks %q", n, anchor)
	}
	mark := fmt.Sprintf(overrides[n][1], e.rng.Intn(1000))
	e.write("layouts/"+n, strings.Replace(string(b), anchor, mark, 1))
	if !slices.Contains(e.layouts, n) {
		e.layouts = append(e.layouts, n)
	}
	return "override layouts/" + n + ": " + mark
}

// static adds, changes, renames or deletes a file under static/.
func (e *editor) static() string {
	if len(e.statics) == 0 || e.rng.Intn(3) == 0 {
		p := fmt.Sprintf("files/s%02d.txt", e.next)
		e.next++
		e.statics = append(e.statics, p)
		e.write("static/"+p, fmt.Sprintf("file %d\n", e.rng.Intn(1000)))
		return "add static/" + p
	}
	i := e.rng.Intn(len(e.statics))
	p := e.statics[i]
	switch e.rng.Intn(3) {
	case 0:
		e.write("static/"+p, fmt.Sprintf("changed %d\n", e.rng.Intn(1000)))
		return "change static/" + p
	case 1:
		to := fmt.Sprintf("%ss%02d.txt", []string{"files/", "other/"}[e.rng.Intn(2)], e.next)
		e.next++
		e.statics[i] = to
		e.rename("static/"+p, "static/"+to)
		return "rename static/" + p + " to static/" + to
	default:
		e.statics = append(e.statics[:i], e.statics[i+1:]...)
		e.remove("static/" + p)
		return "delete static/" + p
	}
}

// essay is a random valid essay: a title, a date (ties happen), tags from
// a small pool that differ in case (they name one tag), and a body with a
// heading, code or a footnote now and then.
func (e *editor) essay() string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: Essay %d\ndate: 2024-01-%02d\n", e.rng.Intn(100), 1+e.rng.Intn(20))
	var tags []string
	for _, tag := range []string{"Alpha", "alpha", "Beta", "Gamma"} {
		if e.rng.Intn(3) == 0 {
			tags = append(tags, tag)
		}
	}
	if len(tags) > 0 {
		fmt.Fprintf(&b, "tags: [%s]\n", strings.Join(tags, ", "))
	}
	b.WriteString("---\n")
	fmt.Fprintf(&b, "A paragraph, number %d.\n", e.rng.Intn(1000))
	if e.rng.Intn(2) == 0 {
		fmt.Fprintf(&b, "\n## Heading %d\n\nMore text.\n", e.rng.Intn(10))
	}
	if e.rng.Intn(3) == 0 {
		b.WriteString("\n```go\nfunc main() {}\n```\n")
	}
	if e.rng.Intn(3) == 0 {
		b.WriteString("\nWith a note.[^1]\n\n[^1]: The note.\n")
	}
	return b.String()
}

func (e *editor) siteYAML() string {
	return fmt.Sprintf("title: Site %d\nbaseURL: https://example.org/\npaginate: %d\n", e.rng.Intn(100), 1+e.rng.Intn(3))
}

func (e *editor) write(p, data string) { e.t.Helper(); testsite.WriteFile(e.t, e.src, p, data) }

func (e *editor) rename(from, to string) {
	e.t.Helper()
	dst := filepath.Join(e.src, filepath.FromSlash(to))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(e.src, filepath.FromSlash(from)), dst); err != nil {
		e.t.Fatal(err)
	}
}

func (e *editor) remove(p string) {
	e.t.Helper()
	if err := os.Remove(filepath.Join(e.src, filepath.FromSlash(p))); err != nil {
		e.t.Fatal(err)
	}
}
