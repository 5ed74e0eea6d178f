package sse

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// FuzzReader checks invariants on arbitrary input: no panic; whole,
// one-byte-at-a-time and data-with-EOF reads agree; ids never contain NUL,
// CR or LF; names never contain CR or LF; data never contains CR; a clean
// end and a read error after the same bytes give the same events, last id
// and retry; and, when no error other than the read error occurs, the
// result equals the reference transcription of the spec.
func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"data: a\n\n",
		"event: values\r\ndata: {}\r\nid: 1\r\n\r\n",
		"\xEF\xBB\xBFdata:x\rdata\r\r: c\nid\x00\n\n",
		"data: a\n\rdata: b\r\r\nretry: 12\n",
		"id: 1\ndata: a\n\nid: 2\ndata: {\"a\"",
		"data: a\r\n\r",
	} {
		f.Add([]byte(s))
	}
	boom := errors.New("boom")
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, limit := range []int{0, 64} {
			var clean result
			for _, fail := range []bool{false, true} {
				src := func() io.Reader {
					if fail {
						return io.MultiReader(bytes.NewReader(in), iotest.ErrReader(boom))
					}
					return bytes.NewReader(in)
				}
				whole := readAll(t, src(), limit)
				onebyte := readAll(t, iotest.OneByteReader(src()), limit)
				if !sameResult(whole, onebyte) {
					t.Fatalf("limit %d fail %v: whole %+v\none-byte %+v", limit, fail, whole, onebyte)
				}
				if !fail {
					clean = whole
					// The last bytes arrive together with io.EOF.
					if dataEOF := readAll(t, iotest.DataErrReader(src()), limit); !sameResult(whole, dataEOF) {
						t.Fatalf("limit %d: whole %+v\ndata with EOF %+v", limit, whole, dataEOF)
					}
				} else if clean.err == nil && whole.err == boom {
					failed := whole
					failed.err = nil
					if !sameResult(clean, failed) {
						t.Fatalf("limit %d: clean end %+v\nread error %+v", limit, clean, whole)
					}
				}
				for _, e := range whole.events {
					if strings.ContainsAny(e.ID, "\x00\r\n") || strings.ContainsAny(e.Name, "\r\n") ||
						strings.Contains(e.Data, "\r") {
						t.Fatalf("bad event %v", e)
					}
				}
				if strings.ContainsAny(whole.lastID, "\x00\r\n") {
					t.Fatalf("bad last id %q", whole.lastID)
				}
				ref := refParse(in)
				if fail {
					ref.err = boom
				}
				if fail && whole.err != boom {
					var tl *EventTooLargeError
					if limit == 0 || !errors.As(whole.err, &tl) {
						t.Fatalf("limit %d: err = %v, want boom", limit, whole.err)
					}
				}
				if whole.err == nil || (fail && whole.err == boom) {
					if !sameResult(whole, ref) {
						t.Fatalf("limit %d fail %v: reader %+v\nreference %+v", limit, fail, whole, ref)
					}
					continue
				}
				if limit == 0 || len(whole.events) > len(ref.events) {
					t.Fatalf("limit %d: unexpected error %v", limit, whole.err)
				}
				for i, e := range whole.events {
					if e != ref.events[i] {
						t.Fatalf("limit %d: event %d = %v, reference %v", limit, i, e, ref.events[i])
					}
				}
			}
		}
	})
}
