// Command cmd writes the minified self-check assets beside their
// sources: go generate ./generator/selfcheck runs it.
package main

import (
	"fmt"
	"os"

	"github.com/steward-ssg/steward/generator/selfcheck/internal/minify"
)

func main() {
	script, err := os.ReadFile("js/selfcheck.mjs")
	if err == nil {
		var stylesheet, js, css []byte
		if stylesheet, err = os.ReadFile("selfcheck.css"); err == nil {
			if js, css, err = minify.Assets(script, stylesheet); err == nil {
				if err = os.WriteFile("js/selfcheck.min.mjs", js, 0o644); err == nil {
					err = os.WriteFile("selfcheck.min.css", css, 0o644)
				}
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "minifying the self-check:", err)
		os.Exit(1)
	}
}
