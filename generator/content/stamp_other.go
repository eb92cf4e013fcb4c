//go:build !linux && !darwin && !freebsd && !netbsd

package content

import "io/fs"

// StampOf returns the file's size and modification time; full is false:
// this system's stat does not tell the change time and inode (Windows
// keeps no change time in what os.Stat returns), so a stamp from here is
// weaker (see Stamp), and content files are always read by a build with
// the persistent cache, which is slower but never stale.
func StampOf(info fs.FileInfo) (s Stamp, full bool) {
	return Stamp{Size: info.Size(), MTime: info.ModTime().UnixNano()}, false
}
