package card

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/image/font/gofont/gomono"
)

// TestCards: every card decodes as a 1200 by 630 PNG, and its title stays
// inside the margins above the footer, from the shortest title to one
// too long for any size, which is cut with an ellipsis.
func TestCards(t *testing.T) {
	d, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Delegation without abdication in organisations ", 12)
	tests := []struct {
		name, title string
		size        float64 // 0: any
		lines       int     // 0: any
		cut         bool
	}{
		{"one letter", "A", maxTitleSize, 1, false},
		{"short", "Two Leadership Models", maxTitleSize, 1, false},
		{"three lines", "Leading from the Back of the Room, and Why It Matters", maxTitleSize, 3, false},
		{"shrinks to fit", "A Delegation Checklist: Five Questions to Ask Out Loud Every Time You Hand Work to Someone Else on Your Team", 0, 0, false},
		{"one long word", strings.Repeat("Donaudampfschifffahrtsgesellschaft", 3), 0, 0, false},
		{"cut", long, minTitleSize, 0, true},
		{"not Latin", "指導者の二つのモデル", 0, 0, false},
	}
	inside := image.Rect(Margin, Margin, Width-Margin, Height-Margin-footer)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, lay, err := d.Draw(Input{Title: tt.title, Site: "Steward Essays", Author: "Steward Authors", Date: "March 12, 2024"})
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("the card does not decode: %v", err)
			}
			if b := img.Bounds(); b.Dx() != Width || b.Dy() != Height {
				t.Errorf("size %v", b)
			}
			if !lay.Box.In(inside) {
				t.Errorf("the title's box %v leaves %v (size %v, lines %q)", lay.Box, inside, lay.Size, lay.Lines)
			}
			if tt.size != 0 && lay.Size != tt.size {
				t.Errorf("size %v, want %v", lay.Size, tt.size)
			}
			if tt.lines != 0 && len(lay.Lines) != tt.lines {
				t.Errorf("lines %q, want %d", lay.Lines, tt.lines)
			}
			if lay.Cut != tt.cut || (tt.cut && !strings.HasSuffix(lay.Lines[len(lay.Lines)-1], "…")) {
				t.Errorf("cut %v, lines %q", lay.Cut, lay.Lines)
			}
			if !tt.cut && strings.Join(strings.Fields(strings.Join(lay.Lines, " ")), "") != strings.Join(strings.Fields(tt.title), "") {
				t.Errorf("the lines %q do not hold the whole title", lay.Lines)
			}
			again, _, _ := d.Draw(Input{Title: tt.title, Site: "Steward Essays", Author: "Steward Authors", Date: "March 12, 2024"})
			if !bytes.Equal(data, again) {
				t.Error("the same card drawn twice differs")
			}
		})
	}
}

// TestSiteFont: a site's own font draws the cards, and changes their key;
// what is not a font is refused with a reason.
func TestSiteFont(t *testing.T) {
	goFonts, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	mono, err := New(gomono.TTF)
	if err != nil {
		t.Fatal(err)
	}
	in := Input{Title: "Two Leadership Models", Site: "S"}
	if goFonts.Key(in) == mono.Key(in) {
		t.Error("the font is not part of the key")
	}
	a, _, _ := goFonts.Draw(in)
	b, _, err := mono.Draw(in)
	if err != nil || bytes.Equal(a, b) {
		t.Errorf("the site's font did not change the card (%v)", err)
	}
	for _, bad := range [][]byte{{}, []byte("not a font"), gomono.TTF[:100]} {
		if _, err := New(bad); err == nil || !strings.Contains(err.Error(), "not a TrueType or OpenType font") {
			t.Errorf("New(%d bytes) = %v", len(bad), err)
		}
	}
	if goFonts.Key(in) == goFonts.Key(Input{Title: in.Title, Site: in.Site, Author: "x"}) {
		t.Error("the author is not part of the key")
	}
}

// TestCardCost logs what a card costs to draw (a benchmark's figure, not
// a timed test: it fails on nothing but errors).
func TestCardCost(t *testing.T) {
	d, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	n := 20
	if testing.Short() {
		n = 2
	}
	start := time.Now()
	size := 0
	for i := range n {
		data, _, err := d.Draw(Input{Title: strings.Repeat("Leading from the back ", 1+i%4), Site: "Steward", Author: "A", Date: "May 1, 2024"})
		if err != nil {
			t.Fatal(err)
		}
		size += len(data)
	}
	t.Logf("%v a card, %d bytes on average", time.Since(start)/time.Duration(n), size/n)
}

// BenchmarkDraw draws cards of varied titles with one Drawer, as a build
// does: into the Drawer's buffer, which the build writes out from.
func BenchmarkDraw(b *testing.B) {
	d, err := New(nil)
	if err != nil {
		b.Fatal(err)
	}
	for i := range b.N {
		in := Input{Title: fmt.Sprintf("Essay %d on delegation and the servant leader", i), Site: "Corpus", Author: "Bench Writer", Date: "May 1, 2024"}
		if _, err := d.DrawTo(in, func([]byte) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// TestConcurrentDraws: cards drawn at once by several goroutines with one
// Drawer, filling its caches as they go, are the cards a Drawer of their
// own draws one by one.
func TestConcurrentDraws(t *testing.T) {
	var ins []Input
	for i := range 24 {
		ins = append(ins, Input{Title: fmt.Sprintf("Essay %d: Tea, Toffee and the AVATAR of Wry Yarns %s", i, strings.Repeat("long ", i%7)), Site: "S", Author: "A", Date: fmt.Sprintf("May %d, 2024", i)})
	}
	want := make([][]byte, len(ins))
	for i, in := range ins {
		d, err := New(nil)
		if err != nil {
			t.Fatal(err)
		}
		if want[i], _, err = d.Draw(in); err != nil {
			t.Fatal(err)
		}
	}
	shared, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	got := make([][]byte, len(ins))
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(ins); i += 4 {
				got[i], _, _ = shared.Draw(ins[i])
			}
		})
	}
	wg.Wait()
	for i := range ins {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("card %d differs when drawn alongside others", i)
		}
	}
}

// TestSingleSpaced: singleSpaced holds exactly when strings.Fields and
// Join leave a title as it is.
func TestSingleSpaced(t *testing.T) {
	for _, s := range []string{"", "a", "a b", " a", "a ", "a  b", "a\tb", "a\nb", "a\u00a0b", "a\u3000b", "é b", "Two Leadership Models", " ", "a b c"} {
		want := strings.Join(strings.Fields(s), " ") == s && !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x80 })
		if got := singleSpaced(s); got != want {
			t.Errorf("singleSpaced(%q) = %v, want %v", s, got, want)
		}
	}
}

// BenchmarkDrawParallel is BenchmarkDraw on all cores, as a build draws
// its cards: what the Drawer's lock costs them.
func BenchmarkDrawParallel(b *testing.B) {
	d, err := New(nil)
	if err != nil {
		b.Fatal(err)
	}
	var n atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			in := Input{Title: fmt.Sprintf("Essay %d on delegation and the servant leader", i), Site: "Corpus", Author: "Bench Writer", Date: "May 1, 2024"}
			if _, err := d.DrawTo(in, func([]byte) error { return nil }); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
