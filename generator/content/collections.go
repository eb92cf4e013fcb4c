package content

import (
	"io/fs"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// JekyllCollections returns the folders of content/ that a Jekyll site's
// _config.yml (content/_config.yml, copied with the Markdown) publishes as
// collections: "_docs" for
//
//	collections:
//	  docs:
//	    output: true
//
// Jekyll publishes a collection only when output is true; posts are
// _posts, published anyway. A missing or unreadable _config.yml names
// none: it is Jekyll's file, not Steward's, and is not checked.
func JekyllCollections(fsys fs.FS) []string {
	src, err := fs.ReadFile(fsys, Dir+"/_config.yml")
	if err != nil {
		return nil
	}
	var cfg struct {
		Collections map[string]any `yaml:"collections"`
	}
	if yaml.Unmarshal(src, &cfg) != nil {
		return nil
	}
	var out []string
	for name, v := range cfg.Collections {
		m, ok := v.(map[string]any)
		if !ok || m["output"] != true || name == "posts" || name == "" || strings.ContainsAny(name, "/\\.") {
			continue
		}
		out = append(out, "_"+name)
	}
	slices.Sort(out)
	return out
}
