package cache

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/steward-ssg/steward/generator/content"
	"github.com/steward-ssg/steward/generator/markdown"
)

// notEncoded are the fields the codec leaves out on purpose.
var notEncoded = map[reflect.Type]map[string]bool{
	// The index keeps the HTML in html.pack.
	reflect.TypeFor[markdown.Result](): {"HTML": true},
	// A known file's record keeps the page without its text.
	reflect.TypeFor[content.Doc](): {"Raw": true, "Body": true},
}

// filler sets every field of a value to something not zero, each value
// different: strings, integers of every size, bools, arrays, slices of two,
// maps of two, pointers, and times in a zone that is not UTC. A field the
// codec does not write then fails the round trip.
type filler struct {
	t *testing.T
	n int
}

func (f *filler) fill(v reflect.Value) {
	f.n++
	n := f.n
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d-é", n))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x := int64(n) * 1000003
		if n%2 == 0 {
			x = -x
		}
		if v.OverflowInt(x) {
			x = int64(n)
		}
		v.SetInt(x)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		x := uint64(n) * 1000003
		if v.OverflowUint(x) {
			x = uint64(n%250 + 1)
		}
		v.SetUint(x)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Array:
		for i := range v.Len() {
			f.fill(v.Index(i))
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			f.fill(s.Index(i))
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMapWithSize(v.Type(), 2)
		for range 2 {
			k := reflect.New(v.Type().Key()).Elem()
			f.fill(k)
			e := reflect.New(v.Type().Elem()).Elem()
			f.fill(e)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		f.fill(p.Elem())
		v.Set(p)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			zone := time.FixedZone("", 5*3600+17*60) // no machine's local zone
			v.Set(reflect.ValueOf(time.Date(2000+n%50, time.Month(n%12+1), n%28+1, n%24, n%60, n%60, n*1000+7, zone)))
			return
		}
		for i := range v.NumField() {
			sf := v.Type().Field(i)
			if notEncoded[v.Type()][sf.Name] {
				continue
			}
			if !sf.IsExported() {
				f.t.Fatalf("%s.%s is not exported: the codec cannot have written it", v.Type(), sf.Name)
			}
			f.fill(v.Field(i))
		}
	case reflect.Interface:
		// Front matter params: one of each type they may hold.
		var when time.Time
		f.fill(reflect.ValueOf(&when).Elem())
		v.Set(reflect.ValueOf(map[string]any{
			"s": fmt.Sprintf("s%d", n), "i": int64(-n), "f": float64(n) + 0.5, "t": true, "false": false,
			"when": when, "nil": nil, "list": []any{"x", int64(n), []any{}},
			"map": map[string]any{"k": "v", "empty": map[string]any{}},
		}))
	default:
		f.t.Fatalf("filler: no value for a %s", v.Type())
	}
}

func filled[T any](t *testing.T) *T {
	t.Helper()
	x := new(T)
	(&filler{t: t}).fill(reflect.ValueOf(x).Elem())
	return x
}

func encodeIndexT(t testing.TB, idx *cacheIndex) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := writeIndex(&b, idx, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestCodecRoundTrip: every field of the index and of a journal record
// comes back as it was written.
func TestCodecRoundTrip(t *testing.T) {
	t.Run("index", func(t *testing.T) {
		want := filled[cacheIndex](t)
		var got cacheIndex
		if err := decodeIndex(encodeIndexT(t, want), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(want, &got) {
			t.Errorf("index changed in the round trip:\nwant %#v\ngot  %#v", want, &got)
		}
	})
	t.Run("delta", func(t *testing.T) {
		want := filled[cacheDelta](t)
		b, err := appendRecord([]byte("before"), want, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got cacheDelta
		rest, err := nextRecord(b[len("before"):], &got)
		if err != nil {
			t.Fatal(err)
		}
		if len(rest) != 0 {
			t.Errorf("%d bytes left after the record", len(rest))
		}
		if !reflect.DeepEqual(want, &got) {
			t.Errorf("delta changed in the round trip:\nwant %#v\ngot  %#v", want, &got)
		}
	})
	t.Run("large", func(t *testing.T) {
		// Written in many pieces (see encoder.spill), its parts decoded
		// at once (see decodeIndex).
		want := filled[cacheIndex](t)
		for _, cr := range want.Results {
			for i := range 4000 {
				want.Results[fmt.Sprint("key", i)] = cr
			}
			break
		}
		data := encodeIndexT(t, want)
		if len(data) < max(4*spillSize, parallelIndex) {
			t.Fatalf("index of %d bytes: too small for the test", len(data))
		}
		var got cacheIndex
		if err := decodeIndex(data, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(want, &got) {
			t.Errorf("large index changed in the round trip")
		}
	})
	// Nil and empty maps and slices, zero times, nil pointers.
	empty := &cacheIndex{
		Results: map[string]cachedResult{"nil": {}, "empty": {Res: &markdown.Result{Summary: []byte{}, Headings: []markdown.Heading{}, Diags: nil}}},
		Code:    map[[32]byte]cachedCode{{1}: {HTML: []byte{}}, {2}: {}},
		Outputs: map[string]map[string]OutRecord{"nil": nil, "empty": {}},
	}
	for _, want := range []*cacheIndex{{}, empty} {
		var got cacheIndex
		if err := decodeIndex(encodeIndexT(t, want), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(want, &got) {
			t.Errorf("round trip:\nwant %#v\ngot  %#v", want, &got)
		}
	}
	for _, want := range []*cacheDelta{{}, {Results: map[string]cachedResult{}, Dropped: []string{}, DropOut: map[string][]string{"x": nil}}} {
		b, err := appendRecord(nil, want, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got cacheDelta
		if _, err := nextRecord(b, &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(want, &got) {
			t.Errorf("round trip:\nwant %#v\ngot  %#v", want, &got)
		}
	}
}

// TestCodecScalars: integers of every size and sign, strings, bools and
// times come back as they were written.
func TestCodecScalars(t *testing.T) {
	ints := []int64{math.MinInt64, math.MinInt32, -1 << 20, -129, -128, -65, -64, -63, -1, 0, 1, 63, 64, 127, 128, 1 << 20, math.MaxInt32, math.MaxInt64}
	times := []time.Time{{}, time.Unix(0, 0).UTC(), time.Date(2024, 2, 29, 23, 59, 59, 999999999, time.FixedZone("", -(9*3600+30*60)))}
	var e encoder
	for _, v := range ints {
		e.varint(v)
		e.uvarint(uint64(v))
	}
	for _, s := range []string{"", "a", "é\x00b"} {
		e.str(s)
	}
	e.bool(true)
	e.bool(false)
	for _, tm := range times {
		e.time(tm)
	}
	d := decoder{b: e.b}
	for _, v := range ints {
		if got := d.varint(); got != v {
			t.Errorf("varint %d: got %d", v, got)
		}
		if got := d.uvarint(); got != uint64(v) {
			t.Errorf("uvarint %d: got %d", uint64(v), got)
		}
	}
	for _, s := range []string{"", "a", "é\x00b"} {
		if got := d.str(); got != s {
			t.Errorf("string %q: got %q", s, got)
		}
	}
	if !d.bool() || d.bool() {
		t.Errorf("bools")
	}
	for _, tm := range times {
		got := d.time()
		_, wo := tm.Zone()
		_, go_ := got.Zone()
		if !got.Equal(tm) || wo != go_ {
			t.Errorf("time %v: got %v", tm, got)
		}
	}
	if d.err != nil || len(d.b) != 0 {
		t.Errorf("err %v, %d bytes left", d.err, len(d.b))
	}
	d.bool() // past the end
	if d.err == nil {
		t.Errorf("no error past the end")
	}
}

// TestCodecDamage: an index or journal record cut short anywhere, or with
// any byte changed, is an error, never a panic or a wrong index.
func TestCodecDamage(t *testing.T) {
	data := encodeIndexT(t, filled[cacheIndex](t))
	var idx cacheIndex
	for i := range len(data) {
		if err := decodeIndex(data[:i], &idx); err == nil {
			t.Fatalf("index cut at %d of %d: no error", i, len(data))
		}
		d := append([]byte(nil), data...)
		d[i] ^= 1 << (i % 8)
		if err := decodeIndex(d, &idx); err == nil {
			t.Fatalf("index with byte %d changed: no error", i)
		}
	}
	rec, err := appendRecord(nil, filled[cacheDelta](t), nil)
	if err != nil {
		t.Fatal(err)
	}
	var delta cacheDelta
	for i := range len(rec) {
		if _, err := nextRecord(rec[:i], &delta); err == nil {
			t.Fatalf("record cut at %d of %d: no error", i, len(rec))
		}
		d := append([]byte(nil), rec...)
		d[i] ^= 1 << (i % 8)
		if _, err := nextRecord(d, &delta); err == nil {
			t.Fatalf("record with byte %d changed: no error", i)
		}
	}
}

// TestCodecBehindChecksum: input with a valid checksum but a damaged body
// (lengths, counts and varints beyond the end) is an error.
func TestCodecBehindChecksum(t *testing.T) {
	data := encodeIndexT(t, filled[cacheIndex](t))
	var idx cacheIndex
	for i := len(indexMagic); i < len(data)-4; i++ {
		for _, b := range []byte{0, 0x7f, 0x80, 0xff} {
			d := append([]byte(nil), data...)
			if d[i] == b {
				continue
			}
			d[i] = b
			decodeIndex(withChecksum(d), &idx) // must not panic
		}
		if err := decodeIndex(withChecksum(append(data[:i:i], 0, 0, 0, 0)), &idx); err == nil {
			t.Fatalf("index body cut at %d: no error", i)
		}
	}
}

// withChecksum replaces the last four bytes of an index with the checksum
// of the rest.
func withChecksum(data []byte) []byte {
	if len(data) < 4 {
		return data
	}
	body := data[:len(data)-4]
	return binary.LittleEndian.AppendUint32(body[:len(body):len(body)], crc32.Checksum(body, castagnoli))
}

func FuzzDecodeIndex(f *testing.F) {
	f.Add(encodeIndexT(f, &cacheIndex{Format: cacheFormat, Engine: "e", Results: map[string]cachedResult{
		"k": {Res: &markdown.Result{Summary: []byte("<p>s</p>"), SummaryText: "s", Headings: []markdown.Heading{{Level: 2, ID: "a", Text: "A"}}, Words: 3}, Off: 1, Len: 2},
	}}))
	f.Add(encodeIndexT(f, &cacheIndex{}))
	f.Fuzz(func(t *testing.T, data []byte) {
		var idx cacheIndex
		decodeIndex(data, &idx)
		// Past the checksum, to reach the decoder.
		if err := decodeIndex(withChecksum(data), &idx); err == nil {
			// Whatever decodes encodes again and decodes the same.
			var again cacheIndex
			if err := decodeIndex(encodeIndexT(t, &idx), &again); err != nil {
				t.Fatalf("re-encoded index: %v", err)
			}
			if !reflect.DeepEqual(idx, again) {
				t.Fatalf("re-encoded index differs")
			}
		}
		var d cacheDelta
		nextRecord(data, &d)
	})
}
