package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/internal/testsite"
)

func steward(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func TestUsageAndHelp(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string // expected in stdout+stderr
	}{
		{nil, 2, "Usage:"},
		{[]string{"nope"}, 2, `unknown command "nope"`},
		{[]string{"help"}, 0, "Commands:"},
		{[]string{"version"}, 0, "steward "},
		{[]string{"version", "-h"}, 0, "Usage: steward version"},
		{[]string{"version", "x"}, 2, `unexpected argument "x"`},
		{[]string{"build", "-h"}, 0, "-destination"},
		{[]string{"help", "build"}, 0, "-base-url"},
		{[]string{"serve", "-h"}, 0, "-port"},
		{[]string{"build", "--bogus"}, 2, "flag provided but not defined: -bogus"},
		{[]string{"build", "extra"}, 2, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		code, o, e := steward(tt.args...)
		if code != tt.code || !strings.Contains(o+e, tt.out) {
			t.Errorf("steward %v: exit %d, output %q; want exit %d and %q", tt.args, code, o+e, tt.code, tt.out)
		}
		// Help on stdout, once; a mistake on stderr.
		if n := strings.Count(o+e, "Usage: steward"); n > 1 {
			t.Errorf("steward %v: the usage shown %d times: %q", tt.args, n, o+e)
		}
		if stream := map[bool]string{true: o, false: e}[tt.code == 0]; !strings.Contains(stream, tt.out) {
			t.Errorf("steward %v: %q not on std%s (stdout %q, stderr %q)", tt.args, tt.out, map[bool]string{true: "out", false: "err"}[tt.code == 0], o, e)
		}
	}
}

// TestBuildKeepsOldSiteOnError: a failed build leaves public/ exactly as
// it was; a good one replaces it whole, dropping files the new site lacks,
// and keeps the modification time of files whose bytes did not change.
func TestBuildKeepsOldSiteOnError(t *testing.T) {
	dir := t.TempDir()
	testsite.Write(t, dir, map[string]string{
		"site.yaml":    "title: T\nbaseURL: https://example.org\n",
		"content/a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nHello.\n",
		"content/b.md": "---\ntitle: B\ndate: 2024-01-02\n---\nWorld.\n",
	})
	code, out, errOut := steward("build", "--source", dir)
	if code != 0 {
		t.Fatalf("first build: exit %d: %s", code, errOut)
	}
	if !regexp.MustCompile(`^Built 2 pages, \d+ lists?, 1 static file, 0 aliases in .+ \(2 read, 2 converted, \d+ rendered, \d+ files written\) into `).MatchString(out) {
		t.Errorf("summary line = %q", out)
	}
	public := filepath.Join(dir, "public")
	cssPath := filepath.Join(public, "css", "steward.css")
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(cssPath, old, old); err != nil {
		t.Fatal(err)
	}
	// A snapshot that failed to read would be empty before and after,
	// and compare equal: a read error fails the test.
	snapshot := func() map[string]string {
		t.Helper()
		m := map[string]string{}
		if err := filepath.WalkDir(public, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			m[p] = string(b)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return m
	}
	before := snapshot()

	testsite.Write(t, dir, map[string]string{"content/b.md": "---\ndate: never\n---\n"})
	code, _, errOut = steward("build", "--source", dir)
	if want := `content/b.md:2:7: front matter: date: "never" is not a valid date (write it as 2024-03-12, 2024-03-12T09:00:00Z or 2024-03-12 09:00:00 -0700)` + "\n" +
		"steward build: failed with 1 error(s); " + public + " was left as it was\n"; code != 1 || errOut != want {
		t.Fatalf("bad build: exit %d, stderr %q; want exit 1 and %q", code, errOut, want)
	}
	after := snapshot()
	if len(after) != len(before) {
		t.Fatalf("public/ changed after a failed build: %d files, was %d", len(after), len(before))
	}
	for p, c := range before {
		if after[p] != c {
			t.Errorf("%s changed after a failed build", p)
		}
	}

	if err := os.Remove(filepath.Join(dir, "content/b.md")); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := steward("build", "--source", dir); code != 0 {
		t.Fatalf("third build: %s", errOut)
	}
	if _, err := os.Stat(filepath.Join(public, "b", "index.html")); !os.IsNotExist(err) {
		t.Errorf("b/index.html should be gone with its essay, stat err = %v", err)
	}
	fi, err := os.Stat(cssPath)
	if err != nil || !fi.ModTime().Equal(old) {
		t.Errorf("unchanged css/steward.css should keep its modification time")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".public") {
			t.Errorf("temporary folder %s left behind", e.Name())
		}
	}
}

func TestDestinationRefused(t *testing.T) {
	dir := t.TempDir()
	testsite.Write(t, dir, map[string]string{"content/a.md": "Hello.\n"})
	home, _ := os.UserHomeDir()
	for _, tt := range []struct{ dest, why string }{
		{dir, "it is the source folder and would be replaced by the output"},
		{filepath.Join(dir, "content"), "it is inside the site's content/ folder"},
		{"/", "it is the file system root"},
		{home, "it is your home folder"},
		{filepath.Dir(dir), "it holds the source folder, which would be replaced by the output"},
	} {
		code, _, errOut := steward("build", "--source", dir, "--destination", tt.dest)
		want := "steward build: --destination " + tt.dest + ": refused, " + tt.why + "; choose a folder of its own such as public\n"
		if code != 2 || errOut != want {
			t.Errorf("--destination %s: exit %d, stderr %q; want exit 2 and %q", tt.dest, code, errOut, want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "content", "a.md")); err != nil {
		t.Fatalf("content lost: %v", err)
	}
}

func TestRefusesForeignFolder(t *testing.T) {
	dir := t.TempDir()
	testsite.Write(t, dir, map[string]string{"content/a.md": "Hello.\n", "out/notes.txt": "mine"})
	code, _, errOut := steward("build", "--source", dir, "--destination", filepath.Join(dir, "out"))
	// A refused destination is a usage error, as the README says.
	if want := "steward build: --destination " + filepath.Join(dir, "out") + ": holds files but no index.html, so it does not look like a built site; Steward replaces what is in its output folder, so empty it or choose another\n"; code != 2 || errOut != want {
		t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errOut, want)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "out", "notes.txt")); string(b) != "mine" {
		t.Errorf("foreign file was touched")
	}
}

// TestWarningsFold: a kind of warning that repeats across a folder prints
// its first few and a count; -v prints them all.
func TestWarningsFold(t *testing.T) {
	files := map[string]string{"site.yaml": "title: T\n"}
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		files["content/"+n+".md"] = "---\ntitle: " + n + "\n---\nSee [it][nowhere].\n"
	}
	dir := testsite.New(t, files)
	code, _, errOut := steward("build", "--source", dir, "--no-cache")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The first 3 warnings, a count of the others, and the hint that -v
	// prints them all.
	const noDefinition = ":4:5: warning: reference link [it][nowhere] has no definition, so readers see the brackets; add a line such as [nowhere]: https://example.org/ or write an inline link [text](url)\n"
	want := "content/a.md" + noDefinition + "content/b.md" + noDefinition + "content/c.md" + noDefinition +
		`warning: 3 more warnings like "reference link [it][nowhere] has no definition, so readers see the brackets; ad…", in 3 files` + "\n" +
		"(steward build -v prints every one)\n"
	if errOut != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, want)
	}
	_, _, errOut = steward("build", "--source", dir, "--no-cache", "-v")
	if n := strings.Count(errOut, "warning: reference link"); n != 6 {
		t.Errorf("-v should print all 6 warnings, got %d:\n%s", n, errOut)
	}
}

// TestErrorsFold: errors of one kind fold like warnings; the summary line
// still counts every error.
func TestErrorsFold(t *testing.T) {
	body := "---\ntitle: A\n---\n"
	for i := 0; i < 8; i++ {
		body += "[x](#nowhere)\n\n"
	}
	dir := testsite.New(t, map[string]string{"site.yaml": "title: T\n", "content/a.md": body})
	code, _, errOut := steward("build", "--source", dir, "--no-cache")
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errOut)
	}
	const nowhere = ": link to #nowhere: content/a.md has no heading or anchor with that id; it has no headings\n"
	want := "content/a.md:4:1" + nowhere + "content/a.md:6:1" + nowhere + "content/a.md:8:1" + nowhere +
		`5 more errors like "link to #nowhere: content/a.md has no heading or anchor with that id; it has no…", in 1 file` + "\n" +
		"(steward build -v prints every one)\n" +
		"steward build: failed with 8 error(s); " + filepath.Join(dir, "public") + " was left as it was\n"
	if errOut != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, want)
	}
}

// TestEmptyFeedSaid: a folder without dates builds, and the summary says
// why its feed is empty.
func TestEmptyFeedSaid(t *testing.T) {
	dir := testsite.New(t, map[string]string{"site.yaml": "title: T\n", "content/a.md": "A\n"})
	code, out, errOut := steward("build", "--source", dir, "--no-cache")
	if code != 0 || !strings.Contains(out, "The feed is empty: no essay has a date") || errOut != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	testsite.WriteFile(t, dir, "content/a.md", "---\ndate: 2024-01-02\n---\nA\n")
	if _, out, _ := steward("build", "--source", dir, "--no-cache"); strings.Contains(out, "feed is empty") {
		t.Errorf("a dated essay is in the feed, yet: %q", out)
	}
}

// TestServeFlagErrors: a bad value for one of serve's settings is a usage
// error that names the flag.
func TestServeFlagErrors(t *testing.T) {
	dir := testsite.New(t, map[string]string{"content/a.md": "A\n"})
	code, _, errOut := steward("serve", "--source", dir, "--port", "0", "--allow-host", "http://mybox.local/")
	want := "steward serve: --allow-host http://mybox.local/: give the host name alone, without scheme or path (mybox.local, not http://mybox.local/)\n"
	if code != exitUsage || errOut != want {
		t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errOut, want)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	code, _, errOut = steward("serve", "--source", dir, "--port", port)
	if want := "steward serve: port " + port + " is in use; choose another with --port: "; code != exitBuildError || !strings.HasPrefix(errOut, want) {
		t.Errorf("busy port: exit %d, stderr %q; want exit 1 and %q", code, errOut, want)
	}
}

// TestBuildFlagErrors: a bad --base-url is a usage error that names the
// flag and the value, and nothing is built.
func TestBuildFlagErrors(t *testing.T) {
	dir := testsite.New(t, map[string]string{"site.yaml": "title: T\n", "content/a.md": "A\n"})
	code, out, errOut := steward("build", "--source", dir, "--no-cache", "--base-url", "example.org")
	want := "steward build: --base-url example.org: must be an absolute http or https URL such as https://example.org\n"
	if code != exitUsage || errOut != want || out != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and %q", code, out, errOut, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Errorf("public/ written after a usage error: %v", err)
	}
}

// TestBuildInterrupted: Ctrl-C during a build says "interrupted" (not
// "context canceled"), exits 130, and leaves the old output as it was.
func TestBuildInterrupted(t *testing.T) {
	dir := testsite.New(t, map[string]string{"site.yaml": "title: T\n", "content/a.md": "---\ntitle: A\n---\nOld.\n"})
	if code, _, errOut := steward("build", "--source", dir, "--no-cache"); code != 0 {
		t.Fatalf("first build: %s", errOut)
	}
	page := filepath.Join(dir, "public", "a", "index.html")
	before, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	testsite.WriteFile(t, dir, "content/a.md", "---\ntitle: A\n---\nNew.\n")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var o, e bytes.Buffer
	code := run(ctx, []string{"build", "--source", dir, "--no-cache"}, &o, &e)
	want := "steward build: interrupted; " + filepath.Join(dir, "public") + " was left as it was\n"
	if code != exitInterrupted || e.String() != want || o.String() != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 130 and %q", code, o.String(), e.String(), want)
	}
	if after, err := os.ReadFile(page); err != nil || !bytes.Equal(after, before) {
		t.Errorf("a/index.html changed by an interrupted build (%v):\n%s", err, after)
	}
}

// TestCount: the summary line counts in the singular for one ("Built 1
// page", not "1 pages").
func TestCount(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "0 aliases"}, {1, "1 alias"}, {2, "2 aliases"}, {1000, "1000 aliases"}} {
		if got := count(tt.n, "alias", "aliases"); got != tt.want {
			t.Errorf("count(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
