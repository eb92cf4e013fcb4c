package content

import (
	"io/fs"
	"syscall"
)

// StampOf returns the file's stamp as stat describes it; full is false when
// the system does not tell its change time and inode (see Stamp).
func StampOf(info fs.FileInfo) (s Stamp, full bool) {
	s = Stamp{Size: info.Size(), MTime: info.ModTime().UnixNano()}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return s, false
	}
	s.CTime, s.Ino, s.Dev = st.Ctim.Nano(), st.Ino, uint64(st.Dev)
	return s, true
}
