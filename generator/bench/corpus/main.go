// Command corpus writes a deterministic site of generated essays for
// benchmarks: go run ./generator/bench/corpus -essays 1000 -out /dev/shm/c1k
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/steward-ssg/steward/generator/internal/corpus"
)

func main() {
	n := flag.Int("essays", 1000, "how many essays")
	seed := flag.Uint64("seed", 1, "the seed; the same seed and size give the same bytes")
	out := flag.String("out", "", "the site `folder` to write (created; must not exist)")
	search := flag.Bool("search", false, "leave the site's search on, as it is by default (without it, site.yaml turns search off: the floor has none)")
	cards := flag.Bool("cards", false, "leave the essays' social cards on, as they are by default (without it, site.yaml turns them off: the floor draws none)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(os.Stderr, "corpus: %s exists; remove it or name another folder\n", *out)
		os.Exit(2)
	}
	if err := corpus.Write(*out, corpus.Options{Essays: *n, Seed: *seed, Search: *search, Cards: *cards}); err != nil {
		fmt.Fprintf(os.Stderr, "corpus: %v\n", err)
		os.Exit(1)
	}
}
