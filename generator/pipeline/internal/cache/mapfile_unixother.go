//go:build unix && !linux

package cache

// mapPopulate: only Linux has MAP_POPULATE; elsewhere pages fault in as
// the decoder reads them.
const mapPopulate = 0
