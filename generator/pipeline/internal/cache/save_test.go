package cache

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/steward-ssg/steward/generator/markdown"
)

// TestSaveWritesWhatChanged: a save writes nothing when the build changed
// nothing, and a journal record of only the parts it changed otherwise;
// the parts it did not change read back as they were (the related essays
// included, which a record carries only when they were chosen again).
func TestSaveWritesWhatChanged(t *testing.T) {
	dir := t.TempDir()
	const engine = "test"
	journal := filepath.Join(dir, "journal")
	size := func() int64 {
		fi, err := os.Stat(journal)
		if os.IsNotExist(err) {
			return 0
		}
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	// build opens the cache, uses the result "a" (storing it the first
	// time), gives outputs and related essays when set, and saves.
	build := func(outs map[string]OutRecord, rel *Related) {
		t.Helper()
		c := Open(dir, engine)
		if !c.Valid() {
			t.Fatal("cache not valid")
		}
		if c.Result("a") == nil {
			c.AddResult("a", &markdown.Result{HTML: []byte("<p>a</p>"), Words: 1})
		}
		if outs != nil {
			c.SetOutputs("/out", outs)
		}
		if rel != nil {
			c.SetRelated(*rel)
		}
		if err := c.Save(); err != nil {
			t.Fatal(err)
		}
	}
	check := func(name string, outs map[string]OutRecord, rel Related) {
		t.Helper()
		c := Open(dir, engine)
		defer c.Close()
		if r := c.Result("a"); r == nil || r.Words != 1 {
			t.Errorf("%s: result a is %+v", name, r)
		}
		if h, err := c.HTML("a"); err != nil || string(h) != "<p>a</p>" {
			t.Errorf("%s: HTML of a is %q, %v", name, h, err)
		}
		if got := c.Outputs("/out"); len(got) != len(outs) || got["x"] != outs["x"] {
			t.Errorf("%s: outputs %v, want %v", name, got, outs)
		}
		if got := c.Related(); got.Key != rel.Key || !slices.EqualFunc(got.Lists, rel.Lists, slices.Equal) {
			t.Errorf("%s: related %v, want %v", name, got, rel)
		}
	}
	rel := Related{Key: [32]byte{1}, Lists: [][]int{{1}, {0}}}
	outs := map[string]OutRecord{"x": {Size: 1, MTime: 1}}
	build(outs, &rel) // the first save writes index.bin whole
	check("first", outs, rel)

	before := size()
	build(map[string]OutRecord{"x": {Size: 1, MTime: 1}}, nil)
	if size() != before {
		t.Errorf("a build that changed nothing wrote %d bytes to the journal", size()-before)
	}
	check("unchanged", outs, rel)

	outs2 := map[string]OutRecord{"x": {Size: 2, MTime: 2}}
	build(outs2, nil)
	if size() == before {
		t.Fatal("a build whose outputs changed wrote no journal record")
	}
	check("outputs changed", outs2, rel)

	rel2 := Related{Key: [32]byte{2}, Lists: [][]int{{}, {0}}}
	build(outs2, &rel2)
	check("related changed", outs2, rel2)
}
