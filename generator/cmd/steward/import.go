package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/steward-ssg/steward/generator/importer"
)

const importUsage = `Usage:
  steward import substack  [flags] EXPORT.zip   the archive of Settings → Exports
  steward import wordpress [flags] EXPORT.xml   the file of Tools → Export → All content

Each post becomes content/<slug>.md (or content/<slug>/index.md beside its
images). Run "steward import substack -h" for the flags.
`

// importFlag maps importer.Options' fields to the flags that set them.
var importFlag = map[string]string{
	"Into":           "--into",
	"Overwrite":      "--overwrite",
	"IncludePaid":    "--include-paid",
	"DownloadImages": "--download-images",
	"ImageTimeout":   "--image-timeout",
	"MaxImageBytes":  "--max-image-mb",
	"SiteURL":        "--site-url",
	"Export":         "export",
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, importUsage)
		return exitUsage
	}
	from, rest := args[0], args[1:]
	var read func(context.Context, string, importer.Options) (*importer.Summary, error)
	var what string
	switch from {
	case "substack":
		read, what = importer.Substack, "EXPORT.zip"
	case "wordpress":
		read, what = importer.WordPress, "EXPORT.xml"
	case "-h", "--help", "-help", "help":
		fmt.Fprint(stdout, importUsage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "steward import: unknown platform %q; want substack or wordpress\n\n%s", from, importUsage)
		return exitUsage
	}
	fs := flag.NewFlagSet("import "+from, flag.ContinueOnError)
	var opts importer.Options
	fs.StringVar(&opts.Into, "into", ".", "the site's `folder` to write essays into (below its content/)")
	fs.BoolVar(&opts.Overwrite, "overwrite", false, "replace essays whose file exists (by default they are skipped, and listed)")
	if from == "substack" {
		fs.BoolVar(&opts.IncludePaid, "include-paid", false, "publish posts for paid subscribers only (by default they are imported as drafts)")
	}
	fs.BoolVar(&opts.DownloadImages, "download-images", false, "download remote images and write them beside their essays (by default nothing is fetched)")
	fs.DurationVar(&opts.ImageTimeout, "image-timeout", importer.DefaultImageTimeout, "give up on an image that has not arrived within this `duration`")
	maxMB := fs.Int64("max-image-mb", importer.DefaultMaxImageBytes>>20, "skip images larger than this many `megabytes`")
	fs.StringVar(&opts.SiteURL, "site-url", "", "the old site's `address`, when links use one the export does not name (a custom domain), so they are rewritten too")
	pos, code, done := parseArgs(fs, rest, stdout, stderr, what,
		"Imports the posts of a "+map[string]string{"substack": "Substack", "wordpress": "WordPress"}[from]+" export into the site: "+
			"front matter (title, date, tags, summary, draft, the old URL as an alias) and the body as Markdown, "+
			"without subscribe buttons, share widgets and the like, its links to other imported posts pointing at their files. "+
			"Nothing is written when the export is damaged; nothing outside content/ ever.")
	if done {
		return code
	}
	if len(pos) != 1 {
		return wrongArgs(fs, stderr, pos, "name the export file: steward import "+from+" "+what)
	}
	if *maxMB <= 0 || opts.ImageTimeout <= 0 {
		fmt.Fprintf(stderr, "steward %s: --max-image-mb and --image-timeout must be more than 0\n", fs.Name())
		return exitUsage
	}
	opts.MaxImageBytes = *maxMB << 20
	opts.Client = &http.Client{Timeout: opts.ImageTimeout}
	start := time.Now()
	sum, err := read(ctx, pos[0], opts)
	var oe *importer.OptionError
	switch {
	case errors.As(err, &oe):
		name := importFlag[oe.Option]
		if name == "" {
			name = oe.Option
		}
		fmt.Fprintf(stderr, "steward %s: %s %s: %s\n", fs.Name(), name, oe.Value, oe.Reason)
		if oe.Option == "Into" {
			fmt.Fprintln(stderr, "Import into a site: make one with steward new site DIR, then steward import ... --into DIR.")
		}
		return exitUsage
	case err != nil && ctx.Err() != nil:
		fmt.Fprintf(stderr, "steward %s: interrupted; nothing was written\n", fs.Name())
		return exitInterrupted
	case err != nil:
		fmt.Fprintf(stderr, "steward %s: %v\n", fs.Name(), err)
		if sum == nil {
			fmt.Fprintln(stderr, "Nothing was written.")
		}
		return exitBuildError
	}
	sum.Report(stdout, func(option string) string { return importFlag[option] })
	fmt.Fprintf(stdout, "Done in %s. Next: steward serve --source %s --drafts, to read them.\n", round(time.Since(start)), shellQuote(opts.Into))
	return exitOK
}
