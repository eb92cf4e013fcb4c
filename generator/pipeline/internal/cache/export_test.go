package cache

// The tests of package cache_test build whole sites with the pipeline,
// which imports this package; these give them the index as a build wrote
// it.

// Index is the decoded index.
type Index = cacheIndex

// ReadIndex reads (maps, where it can) the index file at path.
func ReadIndex(path string) ([]byte, error) { return readIndex(path) }

// DecodeIndex decodes an index file's bytes into idx.
func DecodeIndex(data []byte, idx *Index) error { return decodeIndex(data, idx) }
