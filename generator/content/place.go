package content

import (
	"path"
	"strings"
	"time"
)

// Where a page goes depends on its neighbours, as in the tools people
// come from. For each folder:
//
//   - _index.md (Hugo) is the folder's list page, always;
//   - else index.md, else README.md (GitHub), is the folder's page: the
//     text of its list page when the folder holds other Markdown (in it
//     or below), and otherwise a page bundle (Hugo's leaf bundle, Zola's
//     colocated page): one essay at the folder's URL, listed in the
//     folder above; content/index.md and content/README.md are always the
//     home page's text;
//   - a README.md that is not the folder's page, and every other file, is
//     an essay of the folder; a file in _posts or _drafts (Jekyll) is an
//     essay of the folder above them;
//   - a Jekyll-style name, 2019-05-04-hello.md (or a bundle's folder so
//     named), gives the slug hello, unless another essay or folder of
//     the same folder has that name: then both keep their whole names.
//
// placement is where one file goes: the fields of its page that depend
// on its neighbours. It is comparable: a Load that places a page where
// the last one did keeps the last one's page.
type placement struct {
	dir, slug, url string
	isIndex        bool
	// bundle marks a page bundle, named after its folder (bundleName)
	// and dated by it (bundleDate) when its front matter does not say.
	bundle     bool
	bundleName string
	bundleDate time.Time
	// conflict, when set, says why the file cannot be placed.
	conflict string
}

// entry is one content file to place.
type entry struct {
	source string
	name   name
	page   *Doc // as parsed, nil when the file could not be parsed
}

// place places every content file; entries are sorted by source.
func place(entries []entry) []placement {
	out := make([]placement, len(entries))
	below := make(map[string]int, len(entries)/4+1) // files in a folder or below
	type candidates [numRoles]int                   // by role: entry index + 1
	pages := map[string]*candidates{}
	for i, e := range entries {
		for d := e.name.dir; ; d = parentDir(d) {
			below[d]++
			if d == "" {
				break
			}
		}
		if r := e.name.role; r != anEssay {
			c := pages[e.name.dir]
			if c == nil {
				c = &candidates{}
				pages[e.name.dir] = c
			}
			if c[r] == 0 {
				c[r] = i + 1
			}
		}
	}

	// Essays whose slug comes from a date take it only when nothing else
	// of their folder has it: they are settled last.
	type key struct{ dir, slug string }
	taken := map[key]bool{}
	dated := map[key]int{}
	undated := make([]string, len(entries)) // a dated slug's fallback
	for i, e := range entries {
		n := e.name
		front := ""
		if e.page != nil {
			front = strings.TrimSpace(e.page.Front.Slug)
		}
		pl := &out[i]
		pl.dir, pl.slug = n.dir, n.slug
		folderPage := false
		switch n.role {
		case aBranch:
			pl.isIndex = true
		case anIndex:
			if c := pages[n.dir]; c[aBranch] != 0 {
				pl.isIndex = true
				pl.conflict = entries[c[aBranch]-1].source + " and this index.md would both be the page of " + path.Join(Dir, n.dir) + "; keep one"
				break
			}
			folderPage = true
		case aReadme:
			c := pages[n.dir]
			folderPage = c[aBranch] == 0 && c[anIndex] == 0 && c[aReadme] == i+1
		}
		if folderPage {
			if n.dir == "" || below[n.dir] > 1 {
				pl.isIndex = true
			} else {
				// A page bundle: the only Markdown of its folder.
				folder := path.Base(n.dir)
				pl.dir, pl.bundle = parentDir(n.dir), true
				pl.slug, pl.bundleDate = datedName(folder)
				pl.bundleName = pl.slug
				if pl.slug != folder {
					undated[i] = folder
				}
			}
		} else if pl.slug != n.base {
			undated[i] = n.base
		}
		switch {
		case pl.isIndex:
			pl.dir, pl.slug, pl.url = n.dir, n.slug, folderURL(n.dir)
			continue
		case front != "":
			pl.slug, undated[i] = front, ""
		}
		if undated[i] != "" {
			dated[key{pl.dir, pl.slug}]++
		} else {
			taken[key{pl.dir, pl.slug}] = true
		}
	}
	for d := range below {
		if d != "" {
			taken[key{parentDir(d), path.Base(d)}] = true
		}
	}
	for i := range entries {
		pl := &out[i]
		if pl.isIndex {
			continue
		}
		if k := (key{pl.dir, pl.slug}); undated[i] != "" && (taken[k] || dated[k] > 1) {
			pl.slug = undated[i]
		}
		pl.url = essayURL(pl.dir, pl.slug)
	}
	return out
}

// finish gives the fields of p's page that follow from its placement and
// its own front matter: its title and date. A list page titled only by
// its file name has none (the list page names the folder); a bundle so
// titled is named after its folder, and dated by it when undated.
func (pl placement) finish(p *Doc, n name) (string, time.Time) {
	title, date := p.Title, p.Front.Date
	switch {
	case !titledByName(p, n):
	case pl.isIndex:
		title = ""
	case pl.bundle:
		title = pl.bundleName
	}
	if pl.bundle && date.IsZero() {
		date = pl.bundleDate
	}
	return title, date
}

// titledByName reports a page that took its title from its file name.
func titledByName(p *Doc, n name) bool {
	return strings.TrimSpace(p.Front.Title) == "" && p.Title == n.titleFromName()
}

// parentDir is the folder above d ("" above a top folder, and above "").
func parentDir(d string) string {
	if p := path.Dir(d); p != "." && p != "/" && p != d {
		return p
	}
	return ""
}

// same reports whether p is already where pl puts it, with title and
// date as finish gave them.
func (pl placement) same(p *Doc, title string, date time.Time) bool {
	return p.Dir == pl.dir && p.Slug == pl.slug && p.URL == pl.url && p.IsIndex == pl.isIndex &&
		p.Title == title && p.Front.Date.Equal(date)
}

// apply returns a copy of p placed.
func (pl placement) apply(p *Doc, title string, date time.Time) *Doc {
	c := *p
	c.Dir, c.Slug, c.URL, c.IsIndex, c.Title, c.Front.Date = pl.dir, pl.slug, pl.url, pl.isIndex, title, date
	return &c
}
