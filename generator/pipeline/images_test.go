package pipeline

import (
	"fmt"
	"strings"
	"testing"
)

func TestSVGSize(t *testing.T) {
	tests := []struct {
		name, svg string
		want      string // "w×h", or "" when unknown
	}{
		{"width and height", `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="200"></svg>`, "640×200"},
		{"pixels", `<svg width="640px" height="200.4px" viewBox="0 0 10 10"/>`, "640×200"},
		{"viewBox only", `<?xml version="1.0"?><!-- a comment --><svg viewBox="0 0 720 240"/>`, "720×240"},
		{"viewBox with commas", `<svg viewBox="0,0,72.5,24"/>`, "73×24"},
		{"relative units fall back to viewBox", `<svg width="100%" height="10em" viewBox="0 0 300 100"/>`, "300×100"},
		{"relative units and no viewBox", `<svg width="100%" height="10em"/>`, ""},
		{"no size at all", `<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>`, ""},
		{"not an svg", `<html width="1" height="1"/>`, ""},
		{"not XML", `GIF89a`, ""},
		{"negative", `<svg width="-5" height="10"/>`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h, ok := svgSize(strings.NewReader(tt.svg))
			got := ""
			if ok {
				got = fmt.Sprintf("%d×%d", w, h)
			}
			if got != tt.want {
				t.Errorf("svgSize = %q, want %q", got, tt.want)
			}
		})
	}
}
