package pipeline

import (
	"maps"
	"slices"

	"github.com/steward-ssg/steward/generator/config"
	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/diag"
)

// unusedPermalinks warns of each section in site.yaml's permalinks that
// has no essay: a pattern copied from a Hugo site whose folder is named
// otherwise here (posts for post) would change nothing, silently.
func unusedPermalinks(permalinks map[string]string, pages []*content.Doc) diag.List {
	var diags diag.List
	for _, section := range slices.Sorted(maps.Keys(permalinks)) {
		if !slices.ContainsFunc(pages, func(p *content.Doc) bool { return !p.IsIndex && p.Section() == section }) {
			where := "content/" + section + "/"
			if section == "/" {
				where = "the top of content/"
			}
			diags.Warn(diag.Pos{File: config.File}, "permalinks.%s: %s holds no essay, so the pattern changes no URL; name the folder the essays are in", section, where)
		}
	}
	return diags
}
