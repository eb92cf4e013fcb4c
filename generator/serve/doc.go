// Package serve owns the development server: it serves the latest good
// build from memory, rebuilds on each batch of changes, tells open browser
// tabs what changed over Server-Sent Events, and injects the live-reload
// script and the build-error overlay into the HTML it sends (only here,
// never in build output). It knows nothing of Markdown or templates: it asks
// for a new build and compares output files.
//
// # Serving
//
// A URL path maps to an output file: "/" and "/x/" to index.html below
// them, "/x" redirects (302) to "/x/" when x/index.html exists, anything
// else missing is the site's 404.html with status 404. Paths with dot or
// empty segments, backslashes, NULs or encoded slashes and dots are refused
// with the same 404 before any lookup, and only the build's files exist:
// nothing is read from disk but error snippets, through an os.Root on the
// source folder.
//
// # The browser protocol
//
// Every HTML response gets, before its last </body>,
//
//	<script type="module" src="/_steward/live.js?u=URLPATH&v=VERSION"></script>
//
// where VERSION names the bytes sent for URLPATH (server instance, output
// file, the generation in which it last changed). live.js opens
// /_steward/events with the same query. On connect the server sends the
// current errors, if any, and "reload" if VERSION is already stale (a
// rebuild in between, or a restarted server). After each build every open
// stream gets at most these JSON messages, as "data:" lines:
//
//	{"type":"error","html":...}    show the overlay (failed build)
//	{"type":"clear"}               remove it (the next good build)
//	{"type":"reload"}              this page's bytes changed: reload, keeping scroll
//	{"type":"css","paths":[...]}   only stylesheets changed for this page: swap them
//	{"type":"navigate","url":...}  with Navigate: go to the essay just saved
//
// A page whose bytes did not change is not reloaded. Streams end when the
// tab goes away or the server closes; a tab that cannot keep up is dropped
// and, reconnecting, is brought up to date by the version check.
// /_steward/paths lists the served build's paths as JSON.
package serve
