package pipeline

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/internal/corpus"
	"github.com/steward-ssg/steward/generator/internal/testsite"
)

// The environment variables by which TestInterruptedBuilds hands a build to
// a child process running TestHelperBuild.
const (
	helperSource = "STEWARD_HELPER_SOURCE"
	helperDest   = "STEWARD_HELPER_DEST"
	helperCache  = "STEWARD_HELPER_CACHE"
)

// TestHelperBuild is not a test: run by TestInterruptedBuilds in a child
// process, it is a `steward build` of the site the environment names, which
// the parent kills.
func TestHelperBuild(t *testing.T) {
	src := os.Getenv(helperSource)
	if src == "" {
		t.Skip("run by TestInterruptedBuilds only")
	}
	opts := Options{Source: src, Now: fixedClock, CacheDir: os.Getenv(helperCache)}
	if _, _, err := NewBuilder().BuildTo(context.Background(), opts, os.Getenv(helperDest)); err != nil {
		t.Fatal(err)
	}
}

// TestInterruptedBuilds kills real builds (this test binary, run again as a
// child process) at random moments, alternating between two versions of a
// site built into one folder with one cache, and checks after each kill
// that every file in the folder is whole and is the old or the new
// version of itself; then that a build run to its end equals a fresh one
// and leaves nothing beside the folder: no staging folder of the killed
// builds, no lock.
func TestInterruptedBuilds(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Skip("cannot run this test binary again:", err)
	}
	rounds := 24
	if testing.Short() {
		rounds = 8
	}
	// Two versions of a site: same essay names, other words, some essays
	// only in one of them.
	srcs := [2]string{t.TempDir(), t.TempDir()}
	for i, src := range srcs {
		if err := corpus.Write(src, corpus.Options{Essays: 80 + 20*i, Seed: uint64(1 + i)}); err != nil {
			t.Fatal(err)
		}
	}
	var fresh [2]map[string][]byte
	for i, src := range srcs {
		out := filepath.Join(t.TempDir(), "fresh")
		if _, _, err := NewBuilder().BuildTo(context.Background(), Options{Source: src, Now: fixedClock}, out); err != nil {
			t.Fatal(err)
		}
		fresh[i] = readTree(t, out)
	}
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	cache := filepath.Join(t.TempDir(), "cache")
	run := func(v int) *exec.Cmd {
		cmd := exec.Command(exe, "-test.run=^TestHelperBuild$")
		cmd.Env = append(os.Environ(), helperSource+"="+srcs[v], helperDest+"="+dest, helperCache+"="+cache)
		return cmd
	}
	// Whole builds of each version fill the cache; a third, timed, sets
	// the range of moments to kill at.
	var whole time.Duration
	for _, v := range []int{0, 1, 0} {
		start := time.Now()
		if out, err := run(v).CombinedOutput(); err != nil {
			t.Fatalf("build: %v\n%s", err, out)
		}
		whole = time.Since(start)
	}

	rng := rand.New(rand.NewPCG(11, uint64(time.Now().UnixNano())))
	killed, round := 0, 0
	// The timed build sets the span to kill in; on a loaded machine it may
	// have been slower than the builds that follow, so a round whose build
	// ended before its kill narrows the span, and rounds go on (up to
	// three times as many) until at least half of them killed a build.
	span := whole * 5 / 4
	for ; round < rounds || killed < rounds/2 && round < 3*rounds; round++ {
		cmd := run(rng.IntN(2))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The sleep is what the test is about: a kill at a random moment
		// of the build (or just after it). Whether any round killed a
		// build is counted below; none would fail the test.
		at := time.Duration(rng.Int64N(int64(span)))
		time.Sleep(at)
		cmd.Process.Kill() // SIGKILL: nothing of the build runs after it
		var exit *exec.ExitError
		err := cmd.Wait()
		if errors.As(err, &exit) && !exit.Exited() {
			killed++
		} else if err != nil {
			t.Fatalf("round %d: build failed on its own: %v", round, err)
		} else {
			span = max(span*3/4, time.Millisecond)
		}
		checkEitherVersion(t, round, at, readTree(t, dest), fresh)
	}
	t.Logf("%d of %d builds killed before they ended (a whole build takes %v)", killed, round, whole)
	if killed == 0 {
		t.Fatal("no build was killed before it ended: the test checked nothing")
	}

	if out, err := run(1).CombinedOutput(); err != nil {
		t.Fatalf("build after the kills: %v\n%s", err, out)
	}
	sameTree(t, "build after the kills", readTree(t, dest), fresh[1])
	nothingBeside(t, parent)
}

// checkEitherVersion fails for any file that is not, byte for byte, what
// one of the fresh builds wrote at its path.
func checkEitherVersion(t *testing.T, round int, at time.Duration, got map[string][]byte, fresh [2]map[string][]byte) {
	t.Helper()
	for p, b := range got {
		a, inA := fresh[0][p]
		c, inB := fresh[1][p]
		switch {
		case !inA && !inB:
			t.Errorf("round %d (killed after %v): %s belongs to neither version", round, at, p)
		case (inA && bytes.Equal(b, a)) || (inB && bytes.Equal(b, c)):
		default:
			t.Errorf("round %d (killed after %v): %s is neither version (%d bytes; a cut-short or mixed write)", round, at, p, len(b))
		}
	}
}

// TestKilledWhileMovingIn: a build killed after it moved its files into
// the output folder but before the cache saved its record of them leaves
// the folder and the record apart (the record lacks the files it moved
// in). Its marker makes the next build walk the folder instead of
// trusting the record, so that files of neither version stay behind.
func TestKilledWhileMovingIn(t *testing.T) {
	essay := func(title string) string { return "---\ntitle: " + title + "\ndate: 2024-01-01\n---\nText.\n" }
	v0 := testsite.New(t, map[string]string{"content/a.md": essay("A"), "content/b.md": essay("B")})
	v1 := testsite.New(t, map[string]string{"content/a.md": essay("A"), "content/c.md": essay("C")})
	parent := t.TempDir()
	dest, cache := filepath.Join(parent, "public"), filepath.Join(t.TempDir(), "cache")
	build := func(src, cache, dest string) {
		t.Helper()
		if _, _, err := NewOneShot().BuildTo(context.Background(), Options{Source: src, Now: fixedClock, CacheDir: cache}, dest); err != nil {
			t.Fatal(err)
		}
	}
	build(v0, cache, dest)
	// The killed build of v1: its files are in dest, the cache still
	// holds v0's record, and its marker is left (as commit writes it).
	build(v1, filepath.Join(t.TempDir(), "other-cache"), dest)
	if err := os.WriteFile(filepath.Join(parent, ".public.committing"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	build(v0, cache, dest)
	fresh := filepath.Join(t.TempDir(), "fresh")
	build(v0, "", fresh)
	sameTree(t, "build after a kill while moving in", readTree(t, dest), readTree(t, fresh))
	nothingBeside(t, parent)
}

// nothingBeside fails for anything in parent but the output folder public:
// no staging folder, lock or marker of a build is left.
func nothingBeside(t *testing.T, parent string) {
	t.Helper()
	entries, err := os.ReadDir(parent)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() != "public" {
			t.Errorf("left beside the output folder: %s", e.Name())
		}
	}
}

// TestForeignBuildBetweenCachedBuilds: a build that keeps no record in
// this cache (--no-cache, or another cache folder) may change the output
// folder between two builds that do; the second of those must not trust
// its record, or files only the foreign build wrote (here an essay since
// removed, a draft among them) stay published.
func TestForeignBuildBetweenCachedBuilds(t *testing.T) {
	essay := func(title, extra string) string {
		return "---\ntitle: " + title + "\ndate: 2024-01-01\n" + extra + "---\nText.\n"
	}
	v0 := testsite.New(t, map[string]string{"content/a.md": essay("A", "")})
	v1 := testsite.New(t, map[string]string{"content/a.md": essay("A", ""), "content/c.md": essay("C", ""), "content/d.md": essay("D", "draft: true\n")})
	for _, foreign := range []struct{ name, cache string }{
		{"no cache", ""},
		{"another cache", filepath.Join(t.TempDir(), "other-cache")},
	} {
		t.Run(foreign.name, func(t *testing.T) {
			parent := t.TempDir()
			dest, cache := filepath.Join(parent, "public"), filepath.Join(t.TempDir(), "cache")
			build := func(src, cache, dest string, drafts bool) {
				t.Helper()
				if _, _, err := NewOneShot().BuildTo(context.Background(), Options{Source: src, Now: fixedClock, CacheDir: cache, Drafts: drafts}, dest); err != nil {
					t.Fatal(err)
				}
			}
			build(v0, cache, dest, false)
			build(v1, foreign.cache, dest, true)
			if _, err := os.Stat(filepath.Join(dest, "d", "index.html")); err != nil {
				t.Fatalf("the foreign build did not write the draft: %v", err)
			}
			build(v0, cache, dest, false)
			fresh := filepath.Join(t.TempDir(), "fresh")
			build(v0, "", fresh, false)
			sameTree(t, "cached build after a foreign one", readTree(t, dest), readTree(t, fresh))
			nothingBeside(t, parent)
		})
	}
}
