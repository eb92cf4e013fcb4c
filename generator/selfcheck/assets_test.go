package selfcheck

import (
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/steward-ssg/steward/generator/internal/nodetest"
	"github.com/steward-ssg/steward/generator/selfcheck/internal/minify"
)

// budget is the most the script and stylesheet together may weigh, gzipped.
const budget = 8 * 1024

func gzipSize(t *testing.T, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

func TestSizeBudget(t *testing.T) {
	js, css := gzipSize(t, JS()), gzipSize(t, CSS())
	t.Logf("gzipped: JS %d bytes, CSS %d bytes, together %d of %d", js, css, js+css, budget)
	if js+css > budget {
		t.Errorf("JS (%d) + CSS (%d) = %d bytes gzipped, over the budget of %d", js, css, js+css, budget)
	}
}

func TestAssetsShrunk(t *testing.T) {
	if bytes.Contains(CSS(), []byte("/*")) {
		t.Error("CSS() still holds a comment")
	}
	for _, line := range strings.Split(string(JS()), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "//") {
			t.Errorf("JS() still holds a comment line: %s", line)
		}
	}
	// Callers may change what they get without changing the next caller's.
	a := JS()
	a[0] = 'X'
	if JS()[0] == 'X' {
		t.Error("JS() returns shared bytes")
	}
}

// TestNode runs the script's own tests (js/*.test.mjs) with node --test,
// so that go test ./... covers them.
func TestNode(t *testing.T) {
	node := nodetest.Require(t, "the self-check script")
	files, err := filepath.Glob(filepath.Join("js", "*.test.mjs"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no js/*.test.mjs found (%v)", err)
	}
	out, err := exec.Command(node, append([]string{"--test"}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("node --test failed: %v\n%s", err, out)
	}
}

// TestShrunkModuleLoads imports the shrunk script, as served, to be sure
// removing comments and indentation broke nothing.
func TestShrunkModuleLoads(t *testing.T) {
	node := nodetest.Require(t, "the self-check script")
	f := filepath.Join(t.TempDir(), "selfcheck.mjs")
	if err := os.WriteFile(f, JS(), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `const m = await import(process.argv[1]);
const d = {span: 4, items: [{type: 'likert', keyed: 'right'}, {type: 'likert', keyed: 'left'}], bands: [{from: -100, to: -50}, {from: -50, to: 50}, {from: 50, to: 100}]};
const r = m.score(d, [4, 4]);
if (r.total !== 0 || r.band !== 1 || r.profile !== 'mixed') { console.error(JSON.stringify(r)); process.exit(1); }`
	out, err := exec.Command(node, "--input-type=module", "-e", script, f).CombinedOutput()
	if err != nil {
		t.Fatalf("the shrunk module does not work: %v\n%s", err, out)
	}
}

// TestMinifiedCurrent fails when the committed minified assets are not
// what the minifier makes of the sources: run go generate
// ./generator/selfcheck after changing them.
func TestMinifiedCurrent(t *testing.T) {
	js, css, err := minify.Assets(jsSource, cssSource)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(js, jsMin) || !bytes.Equal(css, cssMin) {
		t.Error("js/selfcheck.min.mjs or selfcheck.min.css is stale: run go generate ./generator/selfcheck")
	}
}
