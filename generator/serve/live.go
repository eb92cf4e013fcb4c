package serve

import _ "embed"

// liveJS is the live-reload client served at /_steward/live.js.
//
//go:embed live.js
var liveJS []byte
