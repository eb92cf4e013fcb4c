// Command steward builds and previews essay sites. This file holds only the
// command line: flags, sub-commands, wiring and exit codes.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/steward-ssg/steward/generator/diag"
	"github.com/steward-ssg/steward/generator/pipeline"
)

// Exit codes.
const (
	exitOK         = 0
	exitBuildError = 1
	exitUsage      = 2
	// exitInterrupted is the shells' convention for a process ended by
	// SIGINT (128+2).
	exitInterrupted = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `Steward builds essay sites from Markdown.

Usage:
  steward <command> [flags]

Commands:
  build     build the site into public/
  serve     build the site and preview it live at http://127.0.0.1:1313/
  new       start a site, or an essay: steward new site DIR, steward new essay "Title"
  import    bring essays from Substack or WordPress: steward import substack EXPORT.zip
  version   print Steward's version
  help      print this help, or a command's: steward help build

Run "steward <command> -h" for a command's flags.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "build":
		return runBuild(ctx, rest, stdout, stderr)
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "new":
		return runNew(ctx, rest, stdout, stderr)
	case "import":
		return runImport(ctx, rest, stdout, stderr)
	case "version", "--version", "-version":
		fs := flag.NewFlagSet("version", flag.ContinueOnError)
		if code, done := parse(fs, rest, stdout, stderr, "Prints Steward's version."); done {
			return code
		}
		fmt.Fprintf(stdout, "steward %s\n", pipeline.Version)
		return exitOK
	case "help", "-h", "--help", "-help":
		if len(rest) > 0 {
			return run(ctx, []string{rest[0], "-h"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "steward: unknown command %q\n\n%s", cmd, usage)
		return exitUsage
	}
}

// parseFlags is fs.Parse(args) with its output where a person looks for
// it: after -h the usage once, on stdout (the flag package prints it on
// its output before it returns ErrHelp, which would show it twice); after
// a bad flag the flag package's message and the usage, on stderr.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	var said bytes.Buffer
	fs.SetOutput(&said)
	err := fs.Parse(args)
	fs.SetOutput(stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		fs.SetOutput(stderr)
	case err != nil:
		stderr.Write(said.Bytes())
	}
	return err
}

// parse parses a sub-command's flags. It returns done with the exit code
// when the command should stop: after -h (0) or a usage error (2).
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer, synopsis string) (code int, done bool) {
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: steward %s [flags]\n\n%s\n\nFlags:\n", fs.Name(), synopsis)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, true
		}
		return exitUsage, true
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "steward %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		fs.Usage()
		return exitUsage, true
	}
	return 0, false
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	source := fs.String("source", ".", "the site's `folder` (holding site.yaml, content/, layouts/, static/)")
	dest := fs.String("destination", "public", "the output `folder`, replaced whole by the new site")
	drafts := fs.Bool("drafts", false, "include drafts")
	future := fs.Bool("future", false, "include essays dated in the future")
	baseURL := fs.String("base-url", "", "override site.yaml's baseURL, e.g. https://example.org")
	cacheDir := fs.String("cache-dir", "", "the persistent build cache's `folder` (default: a folder for this site under the user's cache folder; safe to delete)")
	noCache := fs.Bool("no-cache", false, "build without the persistent cache")
	verbose := fs.Bool("v", false, "print how long each step of the build took, and every warning")
	if code, done := parse(fs, args, stdout, stderr, "Builds the site into the destination folder. Nothing is written when the build has errors."); done {
		return code
	}
	destination := *dest
	if !isAbs(destination) && !flagSet(fs, "destination") {
		destination = join(*source, destination)
	}
	if err := pipeline.CheckDestination(*source, destination); err != nil {
		fmt.Fprintf(stderr, "steward build: %s\n", flagged(err))
		return exitUsage
	}
	opts := pipeline.Options{Source: *source, Drafts: *drafts, Future: *future, BaseURL: *baseURL}
	if *noCache {
		opts.CacheDir = ""
	} else if *cacheDir != "" {
		opts.CacheDir = *cacheDir
	} else if dir, err := pipeline.DefaultCacheDir(*source); err == nil {
		opts.CacheDir = dir
	}
	if opts.CacheDir != "" {
		if err := pipeline.CheckCacheDir(*source, destination, opts.CacheDir); err != nil {
			fmt.Fprintf(stderr, "steward build: %s\n", flagged(err))
			return exitUsage
		}
	}
	st, warnings, err := pipeline.NewOneShot().BuildTo(ctx, opts, destination)
	var oe *pipeline.OptionError
	if errors.As(err, &oe) && buildFlag[oe.Option] != "" {
		fmt.Fprintf(stderr, "steward build: %s\n", flagged(err))
		return exitUsage
	}
	if err != nil && ctx.Err() != nil {
		// Ctrl-C (or SIGTERM): not an error in the site, and nothing was
		// written, which is what the author needs to know.
		fmt.Fprintf(stderr, "steward build: interrupted; %s was left as it was\n", destination)
		return exitInterrupted
	}
	// When one kind of diagnostic repeats across a big folder, the first
	// few say what it is; the rest would bury everything else.
	fold := func(l diag.List) diag.List {
		if *verbose {
			return l
		}
		return l.Fold(3)
	}
	shown, all := fold(warnings), len(warnings)
	printDiags(stderr, shown)
	if err != nil {
		errs := diag.AsList(err).Errors()
		folded := fold(errs)
		printDiags(stderr, folded)
		if len(folded) < len(errs) || len(shown) < all {
			fmt.Fprintln(stderr, "(steward build -v prints every one)")
		}
		fmt.Fprintf(stderr, "steward build: failed with %d error(s); %s was left as it was\n", len(errs), destination)
		return exitBuildError
	}
	if len(shown) < all {
		fmt.Fprintln(stderr, "(steward build -v prints every one)")
	}
	if *verbose {
		for _, s := range st.Steps {
			fmt.Fprintf(stdout, "  %-24s %s\n", s.Name, round(s.Duration))
		}
	}
	fmt.Fprintf(stdout, "Built %s, %s, %s, %s in %s (%d read, %d converted, %d rendered, %s written) into %s\n",
		count(st.Pages, "page", "pages"), count(st.Lists, "list", "lists"), count(st.Static, "static file", "static files"),
		count(st.Aliases, "alias", "aliases"), round(st.Duration), st.Read, st.Converted, st.Rendered, count(st.Written, "file", "files"), destination)
	if st.Pages > 0 && st.Feed == 0 {
		// Not a warning (a handbook has no dates, and should not be told
		// so on every build), but no surprise either.
		fmt.Fprintln(stdout, "The feed is empty: no essay has a date (give one in front matter, or a name such as 2024-01-31-title.md).")
	}
	return exitOK
}

// count is n and the noun for it: "1 page", "2 pages".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// buildFlag maps pipeline.Options' fields (and BuildTo's destination) to the
// flags that set them.
var buildFlag = map[string]string{
	"Source":      "--source",
	"BaseURL":     "--base-url",
	"CacheDir":    "--cache-dir",
	"Destination": "--destination",
}

// flagged says an error of the build's options in terms of the flags:
// "--destination x: refused, ...".
func flagged(err error) string {
	var oe *pipeline.OptionError
	if errors.As(err, &oe) && buildFlag[oe.Option] != "" {
		return fmt.Sprintf("%s %s: %s", buildFlag[oe.Option], oe.Value, oe.Reason)
	}
	return err.Error()
}

func printDiags(w io.Writer, l diag.List) {
	for _, d := range l {
		fmt.Fprintln(w, d.Error())
	}
}

func round(d time.Duration) time.Duration {
	if d > time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(100 * time.Microsecond)
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}
