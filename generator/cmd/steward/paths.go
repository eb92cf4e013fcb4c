package main

import "path/filepath"

func isAbs(p string) bool { return filepath.IsAbs(p) }

func join(a, b string) string { return filepath.Join(a, b) }
