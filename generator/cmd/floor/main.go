// Command floor measures the floor of a build: it reads every essay of a
// site and converts its Markdown with the same goldmark and chroma
// configuration as steward build, on all cores, and does nothing else (no
// templates, no lists, no writing). A whole `steward build` process is
// compared against a whole floor process by generator/bench/compare.sh.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/steward-ssg/steward/generator/markdown"
	"github.com/steward-ssg/steward/generator/selfcheck"
)

func main() {
	source := flag.String("source", ".", "the site's `folder`")
	flag.Parse()
	start := time.Now()
	var files []string
	err := filepath.WalkDir(filepath.Join(*source, "content"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	conv := markdown.New(markdown.Options{SelfCheck: selfcheck.DefaultStrings()})
	next := make(chan string)
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for p := range next {
				b, err := os.ReadFile(p)
				if err != nil {
					fmt.Fprintln(os.Stderr, "floor:", err)
					os.Exit(1)
				}
				r := conv.Convert(markdown.Input{File: p, Body: b, Resolve: func(string) (string, bool) { return "", false }})
				n += len(r.HTML)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	for _, f := range files {
		next <- f
	}
	close(next)
	wg.Wait()
	fmt.Printf("converted %d essays (%d bytes of HTML) in %s\n", len(files), total, time.Since(start).Round(time.Millisecond))
}
