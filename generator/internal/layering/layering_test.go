package layering

import (
	"encoding/json"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/steward-ssg/steward/generator/"

// mustNot lists, for each package, the imports (direct or not) it must
// not have: a project package by its path below generator/, or any other
// by its import path prefix.
var mustNot = map[string][]string{
	"diag":       {"config", "content", "markdown", "selfcheck", "layout", "plan", "pipeline", "watch", "serve"},
	"strictyaml": {"config", "content", "markdown", "layout", "plan", "pipeline"},
	"config":     {"content", "markdown", "layout", "plan", "pipeline", "serve", "watch", "net/http", "github.com/yuin/goldmark"},
	"content":    {"markdown", "layout", "plan", "pipeline", "serve", "watch", "github.com/yuin/goldmark", "github.com/alecthomas/chroma", "github.com/fsnotify", "html/template", "net/http"},
	"selfcheck":  {"markdown", "content", "layout", "pipeline", "github.com/yuin/goldmark", "net/http"},
	"markdown":   {"selfcheck", "layout", "plan", "pipeline", "serve", "watch", "net/http", "github.com/fsnotify"},
	"layout":     {"markdown", "plan", "pipeline", "serve", "watch", "github.com/yuin/goldmark", "github.com/fsnotify", "net/http"},
	"plan":       {"markdown", "pipeline", "serve", "watch", "github.com/yuin/goldmark", "net/http"},
	"pipeline":   {"serve", "watch", "net/http", "github.com/fsnotify", "flag"},
	"watch":      {"pipeline", "markdown", "content", "layout", "serve", "net/http"},
	"serve":      {"flag"},

	// The one package where the self-check meets goldmark.
	"markdown/selfcheckext": {"content", "layout", "plan", "pipeline", "serve", "watch", "net/http", "github.com/fsnotify"},

	// What `steward new` and `steward import` write are files an author
	// then builds: they know content and config, never the build.
	"scaffold": {"markdown", "layout", "plan", "pipeline", "serve", "watch", "importer", "net/http", "github.com/yuin/goldmark"},
	"importer": {"markdown", "layout", "plan", "pipeline", "serve", "watch", "scaffold", "github.com/yuin/goldmark", "github.com/fsnotify"},

	// The persistent cache stores what the pipeline makes; it knows none
	// of the pipeline's other inputs or consumers. The lock knows nothing.
	"pipeline/internal/cache":    {"config", "layout", "plan", "serve", "watch", "scaffold", "importer", "net/http", "github.com/fsnotify"},
	"pipeline/internal/filelock": {"diag", "config", "content", "markdown", "selfcheck", "layout", "plan", "pipeline", "serve", "watch", "scaffold", "importer"},
}

// direct lists imports that a package must not make itself, though its
// dependencies may: the site model does no I/O and executes no template
// (it names the kinds of page that layout defines); the server asks the
// pipeline for pages and knows nothing of how Markdown becomes them.
var direct = map[string][]string{
	"plan":  {"os", "html/template", "text/template"},
	"serve": {module + "markdown", "github.com/yuin/goldmark", module + "layout"},
}

// snowballTesting is the package of github.com/kljensen/snowball (the
// search's stemmers) whose testing_helpers.go imports testing.
const snowballTesting = "github.com/kljensen/snowball/romance"

type pkg struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

func TestLayering(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", "github.com/steward-ssg/steward/generator/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := map[string]bool{}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(p.ImportPath, module)
		seen[name] = true
		for _, bad := range mustNot[name] {
			for _, d := range p.Deps {
				if d == "flag" && slices.Contains(p.Deps, snowballTesting) {
					// The stemmer's helper file imports testing (and
					// testing imports flag), outside its tests; nothing
					// of Steward's parses flags through it. The check
					// below, that only cmd/steward imports flag itself,
					// still holds.
					continue
				}
				if is(d, bad) {
					t.Errorf("%s imports %s (through its dependencies or itself); it must not know it", name, d)
				}
			}
		}
		for _, bad := range direct[name] {
			for _, d := range p.Imports {
				if d == bad {
					t.Errorf("%s imports %s itself; it must not", name, d)
				}
			}
		}
		// Only the command knows the command line.
		if name != "cmd/steward" && !strings.HasPrefix(name, "bench/") {
			for _, d := range p.Imports {
				if d == "flag" {
					t.Errorf("%s imports flag; only cmd/steward parses flags", name)
				}
			}
		}
	}
	for name := range mustNot {
		if !seen[name] {
			t.Errorf("no package %s: update this table", name)
		}
	}
}

// is reports whether import path d is the rule's package or below it.
func is(d, rule string) bool {
	if strings.Contains(rule, ".") { // a module's path: it and its packages
		return strings.HasPrefix(d, rule)
	}
	// The standard library by path, or Steward's own by its path below
	// generator/ (with the packages below it).
	return d == rule || d == module+rule || strings.HasPrefix(d, module+rule+"/")
}
