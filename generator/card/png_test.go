package card

import (
	"bytes"
	"image"
	"image/png"
	"math/rand/v2"
	"testing"
)

// TestEncodePNG: what encodePNG writes decodes, with the standard
// library's decoder (which checks the zlib checksum and every chunk's
// CRC), to exactly the canvas's pixels: blank cards, cards with text,
// and random rows full of runs, copies of the row above and noise.
func TestEncodePNG(t *testing.T) {
	d, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		name string
		fill func(c *canvas)
	}{
		{"blank", func(c *canvas) {}},
		{"title", func(c *canvas) {
			if _, err := d.drawTitle(c, "Leading from the Back of the Room, and Why It Matters"); err != nil {
				t.Fatal(err)
			}
		}},
		{"first and last rows", func(c *canvas) {
			for _, y := range []int{0, 1, Height - 1} {
				c.dirty[y] = true
				c.row(y)[Width-1] = 5
				c.row(y)[100] = 7
			}
		}},
		{"random", func(c *canvas) {
			for y := range Height {
				if rnd.IntN(3) == 0 {
					continue
				}
				c.dirty[y] = true
				row := c.row(y)
				for x := 0; x < Width; {
					n := 1 + rnd.IntN(300)
					v := uint8(rnd.IntN(len(palette)))
					switch rnd.IntN(3) {
					case 0: // a run
						for k := x; k < min(x+n, Width); k++ {
							row[k] = v
						}
					case 1: // noise
						for k := x; k < min(x+n, Width); k++ {
							row[k] = uint8(rnd.IntN(len(palette)))
						}
					} // else as the row was
					x += n
				}
				if y > 0 && rnd.IntN(4) == 0 { // the row above again
					copy(row, c.row(y-1))
				}
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCanvas()
			tt.fill(c)
			img, err := png.Decode(bytes.NewReader(c.encodePNG(nil, palette)))
			if err != nil {
				t.Fatalf("does not decode: %v", err)
			}
			p, ok := img.(*image.Paletted)
			if !ok || p.Rect != image.Rect(0, 0, Width, Height) || len(p.Palette) != len(palette) {
				t.Fatalf("decoded as %T %v", img, img.Bounds())
			}
			for i, col := range palette {
				if p.Palette[i] != col {
					t.Fatalf("palette[%d] = %v, want %v", i, p.Palette[i], col)
				}
			}
			for y := range Height {
				if got, want := p.Pix[y*p.Stride:y*p.Stride+Width], c.row(y); !bytes.Equal(got, want) {
					t.Fatalf("row %d differs", y)
				}
			}
			c.clear()
			if !bytes.Equal(c.data, newCanvas().data) {
				t.Error("clear left pixels behind")
			}
		})
	}
}
