package content

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
)

// Jekyll is what a build follows of a Jekyll site's _config.yml
// (content/_config.yml, copied with the Markdown). It is Jekyll's file,
// not Steward's, and is not checked: what cannot be read names nothing.
type Jekyll struct {
	// Collections are the folders of content/ that _config.yml publishes
	// as collections: "_docs" for
	//
	//	collections:
	//	  docs:
	//	    output: true
	//
	// Jekyll publishes a collection only when output is true; posts are
	// _posts, published anyway.
	Collections []string
	// Permalinks are the collections' permalink patterns in Jekyll's
	// tokens ("/:collection/:path/"), by folder ("_docs").
	Permalinks map[string]string
	// Exclude are the patterns of the paths below content/ that Jekyll
	// leaves out of the site: _config.yml's exclude, and Jekyll's own
	// (Gemfile, node_modules, vendor/bundle/...), with which Jekyll merges
	// it.
	Exclude []string
}

// jekyllExcludes are the paths Jekyll 4 always excludes.
var jekyllExcludes = []string{".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules", "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/"}

// ReadJekyll reads content/_config.yml of fsys, when there is one.
func ReadJekyll(fsys fs.FS) Jekyll {
	src, err := fs.ReadFile(fsys, Dir+"/_config.yml")
	if err != nil {
		return Jekyll{}
	}
	j := Jekyll{Exclude: slices.Clone(jekyllExcludes)}
	var cfg struct {
		Collections map[string]any `yaml:"collections"`
		Exclude     []any          `yaml:"exclude"`
	}
	if yaml.Unmarshal(src, &cfg) != nil {
		return j
	}
	for _, v := range cfg.Exclude {
		if s, ok := v.(string); ok && strings.Trim(s, "/. ") != "" {
			j.Exclude = append(j.Exclude, strings.TrimPrefix(s, "/"))
		}
	}
	for name, v := range cfg.Collections {
		m, ok := v.(map[string]any)
		if !ok || m["output"] != true || name == "posts" || name == "" || strings.ContainsAny(name, "/\\.") {
			continue
		}
		j.Collections = append(j.Collections, "_"+name)
		if p, ok := m["permalink"].(string); ok && strings.TrimSpace(p) != "" {
			if j.Permalinks == nil {
				j.Permalinks = map[string]string{}
			}
			j.Permalinks["_"+name] = strings.TrimSpace(p)
		}
	}
	slices.Sort(j.Collections)
	return j
}

// Found reports whether the site has a Jekyll _config.yml (then Exclude,
// holding Jekyll's own, is never empty).
func (j Jekyll) Found() bool { return len(j.Exclude) > 0 }

// Excluded reports whether Jekyll leaves out the file or folder at rel, a
// path relative to content/, as Jekyll matches its exclude list: by glob,
// by the path starting with the pattern (so "docs" leaves out docs/ and
// docs.md), or by the pattern naming the folder with a slash.
func (j Jekyll) Excluded(rel string) bool {
	for _, p := range j.Exclude {
		if ok, _ := path.Match(p, rel); ok || strings.HasPrefix(rel, p) || p == rel+"/" {
			return true
		}
	}
	return false
}

// jekyllPermalink expands pattern, a collection's permalink in Jekyll's
// tokens, for essay p of collection coll ("_docs"). It returns the value
// to follow as front matter's permalink is (see fixedURL), or why it
// cannot be followed.
func jekyllPermalink(p *Doc, coll, pattern string) (string, string) {
	switch pattern {
	case "pretty":
		pattern = "/:collection/:path/"
	case "date", "ordinal", "weekdate", "none":
		return "", "a style of posts' URLs; give the collection a pattern such as /:collection/:path/"
	}
	rel := strings.TrimPrefix(p.Source, Dir+"/"+coll+"/")
	rel = strings.TrimSuffix(rel, path.Ext(rel))
	d := p.Front.Date
	jekyllToken := func(c byte) bool { return 'a' <= c && c <= 'z' || c == '_' }
	value := func(token string) (string, bool, bool) {
		switch token {
		case "collection":
			return strings.TrimPrefix(coll, "_"), false, true
		case "path":
			return rel, false, true
		case "name", "title", "slug":
			return p.Slug, false, true
		case "output_ext":
			return ".html", false, true
		case "year":
			return fmt.Sprintf("%04d", d.Year()), true, true
		case "short_year":
			return fmt.Sprintf("%02d", d.Year()%100), true, true
		case "month":
			return fmt.Sprintf("%02d", int(d.Month())), true, true
		case "i_month":
			return strconv.Itoa(int(d.Month())), true, true
		case "day":
			return fmt.Sprintf("%02d", d.Day()), true, true
		case "i_day":
			return strconv.Itoa(d.Day()), true, true
		}
		return "", false, false
	}
	return expand(p, pattern, jekyllToken, value, false)
}
