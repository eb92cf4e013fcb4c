package pipeline

import (
	"reflect"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/layout"
)

// TestSameModelSeesEveryModelField changes, one at a time, every field of
// layout.Essay that model sets and checks that sameModel notices, so an
// essay's reused data can never hide a change. A field added to Essay must
// be listed as set by fill or compared by sameModel.
func TestSameModelSeesEveryModelField(t *testing.T) {
	setByFill := map[string]bool{
		"Summary": true, "SummaryText": true, "Content": true, "TOC": true, "ShowTOC": true,
		"WordCount": true, "ReadingTime": true, "HasSelfCheck": true, "Prev": true, "Next": true,
		"Series": true, "Related": true, // set on the page's own copy, as Prev and Next
	}
	base := layout.Essay{
		Title: "T", URL: "/t/", Permalink: "https://x/t/", Date: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC),
		Author: layout.Author{Name: "A"}, Tags: []layout.Tag{{Name: "n", Slug: "n", URL: "/tags/n/", Count: 2}},
		Description: "d", Section: &layout.Link{Label: "Notes", URL: "/notes/"},
		Params: map[string]any{"weight": int64(1)}, Image: "https://x/t/card.png",
	}
	typ := reflect.TypeOf(base)
	for i := range typ.NumField() {
		f := typ.Field(i)
		if setByFill[f.Name] {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			changed := base
			changed.Tags = append([]layout.Tag(nil), base.Tags...)
			sec := *base.Section
			changed.Section = &sec
			v := reflect.ValueOf(&changed).Elem().Field(i)
			switch f.Name {
			case "Tags":
				changed.Tags[0].Count++
			case "Section":
				changed.Section.URL = "/other/"
			case "Author":
				changed.Author.URL = "https://a/"
			case "Params":
				changed.Params = map[string]any{"weight": int64(2)}
			default:
				switch v.Kind() {
				case reflect.String:
					v.SetString(v.String() + "x")
				case reflect.Bool:
					v.SetBool(!v.Bool())
				case reflect.Struct:
					if f.Type == reflect.TypeOf(time.Time{}) {
						v.Set(reflect.ValueOf(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)))
						break
					}
					t.Fatalf("field %s: teach this test to change a %s", f.Name, f.Type)
				default:
					t.Fatalf("field %s: teach this test to change a %s", f.Name, f.Type)
				}
			}
			if sameModel(&base, &changed) {
				t.Errorf("sameModel misses a change of %s", f.Name)
			}
		})
	}
	if !sameModel(&base, &base) {
		t.Error("an essay differs from itself")
	}
	noSection := base
	noSection.Section = nil
	if sameModel(&base, &noSection) || sameModel(&noSection, &base) {
		t.Error("sameModel misses a section removed or added")
	}
}
