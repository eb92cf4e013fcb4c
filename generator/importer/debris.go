package importer

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The kinds of debris, as the summary counts them.
const (
	debrisSubscribe = "subscribe button"
	debrisShare     = "share widget"
	debrisComment   = "comment prompt"
	debrisPixel     = "tracking pixel"
	debrisForm      = "newsletter form"
	debrisRelated   = "related-posts block"
	debrisPaywall   = "paywall marker"
)

// Class names of the platforms' widgets, by the kind of debris they are.
var debrisClasses = map[string]string{
	// Substack
	"subscription-widget-wrap":        debrisForm,
	"subscription-widget-wrap-editor": debrisForm,
	"subscription-widget":             debrisForm,
	"subscribe-widget":                debrisForm,
	"embedded-publication-wrap":       debrisForm,
	"share-dialog":                    debrisShare,
	"post-ufi":                        debrisShare,
	"paywall-jump":                    debrisPaywall,
	"paywall":                         debrisPaywall,
	// WordPress and its plugins
	"sharedaddy":                                debrisShare,
	"sd-sharing-enabled":                        debrisShare,
	"sd-block":                                  debrisShare,
	"sharing":                                   debrisShare,
	"addtoany_share_save_container":             debrisShare,
	"a2a_kit":                                   debrisShare,
	"wp-block-jetpack-sharing-buttons":          debrisShare,
	"jp-relatedposts":                           debrisRelated,
	"wp-block-jetpack-related-posts":            debrisRelated,
	"wp-block-jetpack-subscriptions":            debrisForm,
	"jetpack_subscription_widget":               debrisForm,
	"wp-block-jetpack-mailchimp":                debrisForm,
	"mc4wp-form":                                debrisForm,
	"wp-block-newsletterglue-form":              debrisForm,
	"wp-block-jetpack-subscriptions__container": debrisForm,
}

// trackerHosts are hosts whose images are counters, not pictures.
var trackerHosts = []string{"pixel.wp.com", "stats.wordpress.com", "www.google-analytics.com", "google-analytics.com", "pixel.mathtag.com", "www.facebook.com", "ct.pinterest.com", "email.mg.substack.com"}

var (
	commentText   = regexp.MustCompile(`(?i)^\s*(leave a comment|leave a reply|add a comment|comment|comments|join the discussion)\s*$`)
	subscribeText = regexp.MustCompile(`(?i)\bsubscribe\b|\bsign up\b|\bget (the|my) newsletter\b`)
	shareText     = regexp.MustCompile(`(?i)^\s*share\b`)
)

// removeDebris removes the platforms' widgets from a post's body and
// counts them by kind. The hosts of the removed buttons' links are the
// publication's own (a Substack's subscribe button points home), so they
// are added to hosts.
func removeDebris(body *html.Node, counts map[string]int, hosts map[string]bool) {
	var doomed []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if kind := debrisKind(n, hosts); kind != "" {
				counts[kind]++
				doomed = append(doomed, n)
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(body)
	for _, n := range doomed {
		parent := n.Parent
		parent.RemoveChild(n)
		// A paragraph that held only the widget goes with it.
		for parent != nil && parent != body && isEmptyBlock(parent) {
			up := parent.Parent
			up.RemoveChild(parent)
			parent = up
		}
	}
}

// debrisKind says what kind of debris n is, or "".
func debrisKind(n *html.Node, hosts map[string]bool) string {
	for _, c := range classes(n) {
		if k, ok := debrisClasses[c]; ok {
			return k
		}
	}
	switch n.DataAtom {
	case atom.Form:
		return debrisForm
	case atom.Iframe:
		src := attr(n, "src")
		if u, err := url.Parse(src); err == nil && (strings.HasSuffix(u.Host, "substack.com") && strings.Contains(u.Path, "/embed") ||
			strings.Contains(u.Host, "mailchimp") || strings.Contains(u.Host, "convertkit") || strings.Contains(u.Host, "buttondown")) {
			return debrisForm
		}
	case atom.Img:
		if isPixel(n) {
			return debrisPixel
		}
	case atom.P, atom.Div, atom.A:
		if hasClass(n, "button-wrapper") || hasClass(n, "captioned-button-wrap") || n.DataAtom == atom.A && hasClass(n, "button") {
			return buttonKind(n, hosts)
		}
		if n.DataAtom == atom.A && commentText.MatchString(text(n)) {
			if u, err := url.Parse(attr(n, "href")); err == nil && (strings.HasSuffix(u.Path, "/comments") || u.Fragment == "comments" || u.Fragment == "respond") {
				return debrisComment
			}
		}
	}
	return ""
}

// buttonKind classifies one of Substack's buttons by where it leads:
// subscribing, sharing and commenting are debris; a button to anything
// else is a link the author made, and stays (as a link).
func buttonKind(n *html.Node, hosts map[string]bool) string {
	a := n
	if n.DataAtom != atom.A {
		a = find(n, func(c *html.Node) bool { return c.DataAtom == atom.A })
		if a == nil {
			return ""
		}
	}
	href, label := attr(a, "href"), text(a)
	u, err := url.Parse(href)
	if err != nil {
		return ""
	}
	kind := ""
	q := u.Query()
	switch {
	case strings.HasSuffix(u.Path, "/subscribe") || subscribeText.MatchString(label):
		kind = debrisSubscribe
	case q.Get("action") == "share" || q.Get("utm_content") == "share" || strings.HasSuffix(u.Path, "/share") || shareText.MatchString(label):
		kind = debrisShare
	case strings.HasSuffix(u.Path, "/comments") || commentText.MatchString(label):
		kind = debrisComment
	}
	if kind != "" && u.Host != "" {
		hosts[strings.ToLower(u.Host)] = true
	}
	return kind
}

// isPixel reports an image that only counts readers: 1 by 1 pixel, hidden,
// or served by a counter.
func isPixel(n *html.Node) bool {
	w, h := attr(n, "width"), attr(n, "height")
	if (w == "1" || w == "0") && (h == "1" || h == "0") {
		return true
	}
	if style := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", ""); strings.Contains(style, "display:none") {
		return true
	}
	u, err := url.Parse(attr(n, "src"))
	if err != nil {
		return false
	}
	for _, h := range trackerHosts {
		if strings.EqualFold(u.Host, h) {
			return true
		}
	}
	return false
}

// isEmptyBlock reports a paragraph or division left with no text and
// nothing to see.
func isEmptyBlock(n *html.Node) bool {
	if n.DataAtom != atom.P && n.DataAtom != atom.Div && n.DataAtom != atom.Figure {
		return false
	}
	return strings.TrimSpace(text(n)) == "" && find(n, func(c *html.Node) bool {
		switch c.DataAtom {
		case atom.Img, atom.Iframe, atom.Video, atom.Audio, atom.Hr, atom.Table, atom.Svg:
			return true
		}
		return false
	}) == nil
}
