package markdown

import (
	"bytes"
	"net/url"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// imagesKey holds the essay's []Image: its local images and their sizes.
var imagesKey = parser.NewContextKey()

// images is the transformer for the essay's Markdown images: a relative
// one names a file beside the essays and becomes that file's URL, or is an
// error when no such file is published (files.go); a local one is given
// its pixel size (Options.ImageSize), which the renderer writes so that
// the page keeps its place while it loads. Every local image is recorded
// in Result.Images, sized or not. Images written in raw HTML are resolved
// with the links (htmllinks.go).
type images struct{ opts *Options }

// Extend registers the transformer.
func (im images) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(im, imagesPriority)))
}

// Transform implements parser.ASTTransformer.
func (im images) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	d := documentOf(pc)
	if d == nil || !bytes.Contains(reader.Source(), []byte("![")) {
		return // goldmark makes an image only of "![" as written
	}
	r := &resolver{opts: im.opts, doc: d}
	var sized []Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering {
			img.Destination, _ = r.file(pelican(img.Destination), true, linkOffset(img))
			sized = im.size(img, sized)
		}
		return ast.WalkContinue, nil
	})
	appendTo(pc, imagesKey, sized...)
	r.leave(pc)
}

// size records a local image's size as attributes for the renderer, and
// adds the image to list.
func (im images) size(n *ast.Image, list []Image) []Image {
	if im.opts.ImageSize == nil {
		return list
	}
	src := string(n.Destination)
	u, err := url.Parse(src)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
		return list
	}
	// Every local image is recorded, sized or not: a cached conversion
	// must be converted again when a missing image appears, too.
	w, h, ok := im.opts.ImageSize(u.Path)
	if !ok {
		return append(list, Image{Src: u.Path})
	}
	n.SetAttributeString("width", []byte(strconv.Itoa(w)))
	n.SetAttributeString("height", []byte(strconv.Itoa(h)))
	return append(list, Image{Src: u.Path, Width: w, Height: h})
}
