//go:build darwin || freebsd || netbsd

package content

import (
	"io/fs"
	"syscall"
)

// stampOf returns the file's stamp; ok is false when the system does not
// tell its change time, and the file must then always be read. macOS and
// the BSDs name the change time Ctimespec.
func stampOf(info fs.FileInfo) (Stamp, bool) {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return Stamp{}, false
	}
	return Stamp{
		Size: info.Size(), MTime: info.ModTime().UnixNano(),
		CTime: st.Ctimespec.Nano(), Ino: st.Ino, Dev: uint64(st.Dev),
	}, true
}
