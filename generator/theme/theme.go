// Package theme owns the embedded copy of Steward's default theme: the
// repository's own layouts/ and static/css/, so that `steward build` works
// in a folder that holds nothing but content/. The copy under default/ is
// refreshed from the repository by `go generate ./generator/theme`; a test
// fails when the two differ.
package theme

import (
	"embed"
	"io/fs"
)

//go:generate sh -c "rm -rf default && mkdir -p default/static && cp -R ../../layouts default/layouts && cp -R ../../static/css default/static/css"

//go:embed all:default
var files embed.FS

// FS returns the default theme as a site folder would hold it: layouts/ and
// static/ at its root.
func FS() fs.FS {
	sub, err := fs.Sub(files, "default")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder exists
	}
	return sub
}
