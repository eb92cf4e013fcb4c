package cache

import "golang.org/x/sys/unix"

// mapPopulate asks the kernel to read the whole index in at once rather
// than page by page as the decoder touches it.
const mapPopulate = unix.MAP_POPULATE
