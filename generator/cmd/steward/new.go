package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/steward-ssg/steward/generator/scaffold"
)

const newUsage = `Usage:
  steward new site DIR                  write a new site into DIR (missing or empty)
  steward new essay [flags] "Title"     write content/<title>.md as a draft, and print its path

Run "steward new essay -h" for its flags.
`

func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, newUsage)
		return exitUsage
	}
	switch what, rest := args[0], args[1:]; what {
	case "site":
		return runNewSite(rest, stdout, stderr)
	case "essay":
		return runNewEssay(rest, stdout, stderr)
	case "-h", "--help", "-help", "help":
		fmt.Fprint(stdout, newUsage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "steward new: unknown kind %q; want site or essay\n\n%s", what, newUsage)
		return exitUsage
	}
}

func runNewSite(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("new site", flag.ContinueOnError)
	pos, code, done := parseArgs(fs, args, stdout, stderr, "DIR",
		"Writes a new site into DIR, which must be missing or empty: site.yaml with every key explained, "+
			"content/ with an example essay, static/ and a .gitignore for public/. The default theme is built in.")
	if done {
		return code
	}
	if len(pos) != 1 {
		return wrongArgs(fs, stderr, pos, "name the new site's folder: steward new site DIR")
	}
	dir := pos[0]
	wrote, err := scaffold.Site(scaffold.SiteOptions{Dir: dir})
	var oe *scaffold.OptionError
	if errors.As(err, &oe) {
		fmt.Fprintf(stderr, "steward new site: %s: %s\n", dir, oe.Reason)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(stderr, "steward new site: %v\n", err)
		return exitBuildError
	}
	fmt.Fprintf(stdout, "Created a new site in %s: %s\n\nNext:\n", dir, strings.Join(wrote, ", "))
	fmt.Fprintf(stdout, "  cd %s\n", shellQuote(dir))
	fmt.Fprintln(stdout, "  steward serve                       preview it at http://127.0.0.1:1313/ as you edit")
	fmt.Fprintln(stdout, `  steward new essay "Title of the Essay"`)
	fmt.Fprintln(stdout, "  steward import substack EXPORT.zip  or: steward import wordpress EXPORT.xml")
	fmt.Fprintln(stdout, "  steward build                       write the site into public/")
	return exitOK
}

func runNewEssay(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("new essay", flag.ContinueOnError)
	source := fs.String("source", ".", "the site's `folder`")
	section := fs.String("section", "", "write the essay in this `folder` below content/, e.g. notes")
	pos, code, done := parseArgs(fs, args, stdout, stderr, `"Title of the Essay"`,
		"Writes content/<slug>.md (or content/<section>/<slug>.md) with the title, today's date and draft: true, "+
			"and prints its path. The slug is made from the title as the build makes tag slugs. An existing file is never replaced.")
	if done {
		return code
	}
	if len(pos) != 1 {
		return wrongArgs(fs, stderr, pos, `give the title as one argument, quoted: steward new essay "Title of the Essay"`)
	}
	p, err := scaffold.Essay(scaffold.EssayOptions{Source: *source, Title: pos[0], Section: *section})
	var oe *scaffold.OptionError
	switch {
	case errors.As(err, &oe):
		name := map[string]string{"Source": "--source", "Section": "--section", "Title": "title"}[oe.Option]
		fmt.Fprintf(stderr, "steward new essay: %s %q: %s\n", name, oe.Value, oe.Reason)
		if oe.Option == "Source" {
			fmt.Fprintln(stderr, "Run it in a site's folder, or name one with --source; steward new site DIR makes one.")
		}
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "steward new essay: %v\n", err)
		return exitBuildError
	}
	fmt.Fprintln(stdout, p)
	return exitOK
}

// parseArgs parses a sub-command's flags, which may come before, between
// or after its arguments (steward new essay "Title" --section notes), and
// returns the arguments. done is as for parse; "--" ends the flags.
func parseArgs(fs *flag.FlagSet, args []string, stdout, stderr io.Writer, argsUsage, synopsis string) (pos []string, code int, done bool) {
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: steward %s [flags] %s\n\n%s\n", fs.Name(), argsUsage, synopsis)
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintln(fs.Output(), "\nFlags:")
			fs.PrintDefaults()
		}
	}
	for {
		if err := parseFlags(fs, args, stdout, stderr); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, true
			}
			return nil, exitUsage, true
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, 0, false
		}
		// flag stops at the first argument; "--" before it means every
		// word after is an argument.
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), 0, false
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// wrongArgs reports a wrong number of arguments.
func wrongArgs(fs *flag.FlagSet, stderr io.Writer, pos []string, want string) int {
	if len(pos) > 1 {
		fmt.Fprintf(stderr, "steward %s: unexpected argument %q; %s\n", fs.Name(), pos[1], want)
	} else {
		fmt.Fprintf(stderr, "steward %s: %s\n", fs.Name(), want)
	}
	return exitUsage
}

// shellQuote quotes a folder for the "cd" hint when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./"+string(filepath.Separator), r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
