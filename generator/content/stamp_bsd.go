//go:build darwin || freebsd || netbsd

package content

import (
	"io/fs"
	"syscall"
)

// StampOf returns the file's stamp as stat describes it; full is false when
// the system does not tell its change time and inode (see Stamp). macOS
// and the BSDs name the change time Ctimespec.
func StampOf(info fs.FileInfo) (s Stamp, full bool) {
	s = Stamp{Size: info.Size(), MTime: info.ModTime().UnixNano()}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return s, false
	}
	// Dev is signed on macOS; any one-to-one mapping keeps stamps
	// comparable.
	s.CTime, s.Ino, s.Dev = st.Ctimespec.Nano(), st.Ino, uint64(st.Dev)
	return s, true
}
