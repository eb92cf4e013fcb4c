package serve

import (
	"context"

	"github.com/steward-ssg/steward/generator/pipeline"
)

// Run builds the site, serves it, and rebuilds on every change until ctx
// is cancelled; then it stops cleanly and returns nil. A failed first build
// does not stop it: the overlay is served until the author fixes the
// input. Errors are returned only for what prevents serving at all (the
// port in use, the source folder missing).
func Run(ctx context.Context, opts Options) error {
	return runBuilder(ctx, opts, pipeline.NewBuilder())
}

// runBuilder is Run with the Builder that it keeps from build to build
// (tests give one whose clock they set).
func runBuilder(ctx context.Context, opts Options, b *pipeline.Builder) error {
	bopts := pipeline.Options{Source: opts.Source, Drafts: opts.Drafts, Future: opts.Future, BaseURL: opts.BaseURL, Now: opts.Now}
	if bopts.Source == "" {
		bopts.Source = "."
	}
	return run(ctx, opts, pipeline.Inputs(), func(ctx context.Context, changed []string) (Site, error) {
		o := bopts
		o.Changed = changed
		site, err := b.Build(ctx, o)
		if err != nil || site == nil {
			return nil, err
		}
		return site, nil
	})
}
