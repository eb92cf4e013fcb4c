package selfcheck

import (
	"strings"
	"testing"
)

// base is a valid continuum; cases edit it by replacing one line.
const base = `id: c
version: 1
kind: continuum
title: T
axis: {left: L, right: R}
items:
  - type: choice
    text: Q
    options:
      - text: a
        score: -2
      - text: b
        score: 2
  - type: likert
    statement: S
    keyed: left
bands:
  - {from: -100, to: 0, title: Lo}
  - {from: 0, to: 100, title: Hi}
`

const quizBase = `id: q
version: 1
kind: quiz
title: T
pass: 2
items:
  - type: choice
    text: Q
    options:
      - text: a
        correct: true
      - text: b
  - type: multi
    text: M
    options:
      - text: a
        correct: true
      - text: b
`

func edit(src, old, new string) string {
	if !strings.Contains(src, old) {
		panic("no " + old)
	}
	return strings.Replace(src, old, new, 1)
}

func diagStrings(t *testing.T, src string) []string {
	t.Helper()
	_, l := Parse("essay.md", []byte(src), 10, 0)
	var out []string
	for _, d := range l {
		out = append(out, d.Error())
	}
	return out
}
