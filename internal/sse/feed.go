package sse

import (
	"bytes"
	"io"
)

// detachMin is the block size from which the feeder hands r3labs a
// stand-in and passes the data lines' values to the Reader directly.
const detachMin = 64 << 10

// feeder is srcReader's fast path for streams whose lines end with LF. It
// reads the stream into its own buffer and hands r3labs one block (up to and
// including its blank line) at a time: r3labs' split, which searches the
// buffer for five delimiters on every call, then searches one event. A
// block of detachMin bytes or more is handed as a stand-in, the block with
// every data line emptied ("data:"), and the values of those lines are kept
// for the Reader (see Reader.Next): the payload of a large values event is
// read once, into a buffer that becomes the event's data, and neither
// scanned by r3labs nor copied.
//
// The first CR in the stream turns it off: what it holds is handed on as
// is, and r3labs frames the rest of the stream alone (a CR-only or CRLF
// stream would need its own search for blank lines). So does a block that
// grows over the event size limit, which r3labs then reports.
type feeder struct {
	off   bool  // the stream has a CR (or a block is over the limit)
	err   error // how the reader ended
	limit int   // the event size limit

	buf        []byte
	start, end int // bytes of buf not yet handed out
	scanned    int // buf[start:scanned] holds no blank line
	out        []byte

	blocks  int           // blocks handed out whole
	standIn map[int]entry // stand-ins by block number
}

// entry is a stand-in: the block's size, and its data lines' values.
type entry struct {
	size   int
	values [][]byte
}

// read hands out the next block (or the rest of the one being handed out)
// into p. It returns false when the feeder cannot go on: the reader ended
// (err is set) or the feeder turned off; flush then hands out what it holds.
func (f *feeder) read(r io.Reader, p []byte) (int, bool) {
	for len(f.out) == 0 {
		if f.off {
			return 0, false
		}
		if i := bytes.Index(f.buf[f.scanned:f.end], []byte("\n\n")); i >= 0 {
			f.block(f.scanned + i + 2)
			break
		}
		f.scanned = max(f.start, f.end-1) // a "\n" at the end may start the blank line
		if f.end-f.start > f.limit+2 {
			f.off = true // too large: r3labs reports it
			return 0, false
		}
		if !f.fill(r) {
			return 0, false
		}
	}
	n := copy(p, f.out)
	f.out = f.out[n:]
	if len(f.out) == 0 {
		f.blocks++
	}
	return n, true
}

// block sets out to the block buf[start:stop] or to its stand-in.
func (f *feeder) block(stop int) {
	b := f.buf[f.start:stop:stop]
	f.start, f.scanned = stop, stop
	if len(b) < detachMin {
		f.out = b
		return
	}
	// The stand-in, and the data lines' values, which alias buf: buf is
	// left to them, and the feeder reads on into a new buffer.
	e := entry{size: len(b) - 2}
	var stand []byte
	first := f.blocks == 0 // the Reader skips a BOM at the start of the stream
	for line := range bytes.SplitSeq(b[:len(b)-1], []byte("\n")) {
		if first && bytes.HasPrefix(line, bom) {
			stand, line = append(stand, bom...), line[len(bom):]
		}
		first = false
		if v, ok := dataValue(line); ok {
			e.values = append(e.values, v)
			stand = append(stand, "data:\n"...)
			continue
		}
		stand = append(append(stand, line...), '\n')
	}
	if f.standIn == nil {
		f.standIn = make(map[int]entry)
	}
	f.standIn[f.blocks] = e
	f.out = stand
	// The next large block is likely as large: room for it, so that it is
	// read without growing the buffer.
	rest := f.buf[f.start:f.end]
	f.buf = append(make([]byte, 0, max(64<<10, 2*len(rest), len(b)+len(b)/4)), rest...)
	f.start, f.end, f.scanned = 0, len(rest), 0
}

// dataValue returns the value of a data line, as the Reader's field parser
// reads it: the text after "data:", less one leading space.
func dataValue(line []byte) ([]byte, bool) {
	if !bytes.HasPrefix(line, []byte("data")) {
		return nil, false
	}
	switch rest := line[len("data"):]; {
	case len(rest) == 0:
		return rest, true
	case rest[0] != ':':
		return nil, false
	case len(rest) > 1 && rest[1] == ' ':
		return rest[2:len(rest):len(rest)], true
	default:
		return rest[1:len(rest):len(rest)], true
	}
}

// fill reads more of the stream into buf. It returns false when the reader
// ended, or when what it read holds a CR (the feeder is then off).
func (f *feeder) fill(r io.Reader) bool {
	if f.start > 0 && f.start == f.end {
		f.start, f.end, f.scanned = 0, 0, 0
	}
	f.buf = f.buf[:cap(f.buf)]
	if f.end == len(f.buf) {
		if f.start > 0 && f.start >= len(f.buf)/2 {
			n := copy(f.buf, f.buf[f.start:f.end])
			f.scanned -= f.start
			f.start, f.end = 0, n
		} else {
			grown := make([]byte, max(16<<10, 2*len(f.buf)))
			f.end = copy(grown, f.buf[f.start:f.end])
			f.scanned -= f.start
			f.start, f.buf = 0, grown
		}
	}
	n, err := r.Read(f.buf[f.end:cap(f.buf)])
	if bytes.IndexByte(f.buf[f.end:f.end+n], '\r') >= 0 {
		f.off = true
	}
	f.end += n
	if err != nil {
		f.err = err
		return false
	}
	return !f.off
}

// flush hands out, as they are, the bytes the feeder holds.
func (f *feeder) flush(p []byte) int {
	n := copy(p, f.out)
	f.out = f.out[n:]
	if len(f.out) == 0 && n > 0 {
		f.blocks++
	}
	if n == len(p) {
		return n
	}
	m := copy(p[n:], f.buf[f.start:f.end])
	f.start += m
	return n + m
}

// take returns the stand-in of block number k, if it is one.
func (f *feeder) take(k int) (entry, bool) {
	e, ok := f.standIn[k]
	if ok {
		delete(f.standIn, k)
	}
	return e, ok
}
