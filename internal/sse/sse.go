// Package sse reads Server-Sent Events streams as sent by LangGraph Server.
//
// Framing (cutting the byte stream into blocks at blank lines) is done by
// github.com/r3labs/sse/v2's EventStreamReader; each block is then parsed by
// this package following the WHATWG "event stream interpretation" rules
// (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):
//
//   - lines end with CR, LF or CRLF; one UTF-8 BOM at the start of the
//     stream is skipped;
//   - lines starting with ':' are comments and are ignored;
//   - "field:value" has exactly one leading space of value removed; a line
//     without a colon is a field name with an empty value;
//   - "event" sets the event type, "data" appends the value and a LF to the
//     data buffer, "id" sets the last event ID unless the value contains NUL
//     (an empty value resets it to ""), "retry" with only ASCII digits sets
//     the reconnection time in milliseconds; other fields are ignored;
//   - a blank line dispatches the event; a block whose data buffer is empty
//     is not delivered, but its id and retry fields still take effect;
//   - at the end of the stream, clean or not, the pending event is
//     discarded: the lines after the last blank line are dropped, except
//     that their terminated "retry" lines take effect. An event cut before
//     its blank line (a connection closed mid-event) is never delivered
//     truncated, and its "id" never moves LastEventID, so a resumed stream
//     gets it again whole.
//
// Deviation from the specification: bytes are not UTF-8 decoded; invalid
// sequences are passed through unchanged instead of being replaced by
// U+FFFD.
package sse

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	r3sse "github.com/r3labs/sse/v2"
)

// DefaultMaxEventSize is the event size limit used when NewReader is given a
// limit <= 0: 32 MiB.
const DefaultMaxEventSize = 32 << 20

// Event is one dispatched server-sent event.
type Event struct {
	// Name is the raw event type from the "event" field. An empty Name means
	// the stream sent no event type; the specification calls that "message".
	Name string
	// Data is the data buffer with data lines joined by "\n" and the final
	// "\n" removed. It is never nil for a dispatched event, and it is owned
	// by the caller: the Reader never touches it again.
	Data []byte
	// ID is the last event ID in effect when the event was dispatched. It
	// persists across events until the stream sends another "id" field.
	ID string
}

// EventTooLargeError is returned by Reader.Next when a single event (the raw
// block, including field names and line endings, see NewReader) is larger
// than the configured maximum size. errors.Is(err, bufio.ErrTooLong) reports true.
type EventTooLargeError struct {
	// Limit is the maximum event size in bytes that was exceeded.
	Limit int
}

// Error implements error.
func (e *EventTooLargeError) Error() string {
	return fmt.Sprintf("sse: event exceeded %d bytes; raise the limit with langgraph.WithMaxEventSize", e.Limit)
}

// Unwrap returns bufio.ErrTooLong.
func (e *EventTooLargeError) Unwrap() error { return bufio.ErrTooLong }

// Reader reads events from a text/event-stream body. Memory use is bounded by
// the largest event, not by the length of the stream. A Reader is not safe
// for concurrent use.
type Reader struct {
	src   *srcReader
	er    *r3sse.EventStreamReader
	limit int
	err   error // sticky: first error returned by Next

	started bool // the first block (stream start, BOM position) was read

	// Lines of the current block, aliasing the r3labs scanner buffer: valid
	// only until the next ReadEvent call, which happens only once the block
	// is exhausted.
	lines   lines
	inBlock bool // the end of the block still has to be handled as a blank line

	// Parser state (WHATWG buffers). name and first alias block.
	name    []byte
	ndata   int    // number of data lines in the data buffer
	first   []byte // value of the first data line
	scratch []byte // joined data lines when ndata > 1 (without the final LF)

	lastID   string
	retry    time.Duration
	hasRetry bool

	blocks     int      // blocks read from r3labs
	detached   [][]byte // the data values of the current block, when it is a stand-in (see feeder)
	standIn    bool     // the current block is a stand-in
	firstOwned bool     // first is a detached value, owned by the Reader

	names    [8]string // recently seen event names, to avoid reallocating them
	namesPos int
}

// NewReader returns a Reader that frames r with r3labs' EventStreamReader.
// maxEventSize is the largest accepted event in bytes, counted on the raw
// block: field names, values and line endings, but not the blank line that
// ends it; maxEventSize <= 0 means DefaultMaxEventSize.
// The framing buffer starts at 4 KiB and grows up to the limit as needed.
func NewReader(r io.Reader, maxEventSize int) *Reader {
	if maxEventSize <= 0 {
		maxEventSize = DefaultMaxEventSize
	}
	// r3labs counts the delimiter and, at the end of r, endMarker: give it
	// room for both and enforce the limit on the block in Next.
	src, scanMax := &srcReader{r: r, feed: feeder{limit: maxEventSize}}, maxEventSize+len(markerBlock)
	if scanMax < maxEventSize { // overflow
		scanMax = math.MaxInt
	}
	return &Reader{
		src:   src,
		er:    r3sse.NewEventStreamReader(src, scanMax),
		limit: maxEventSize,
		lines: lines{pos: -1},
	}
}

// Next returns the next dispatched event. It returns io.EOF at the clean end
// of the stream.
//
// Errors are sticky: after the first error, every later call returns it
// again. An event larger than the limit yields *EventTooLargeError. A read
// error from the underlying reader is returned as is (r3labs alone would
// turn context.Canceled into io.EOF; this Reader does not).
//
// At the end of the stream, clean (io.EOF) or not, the incomplete block is
// discarded, as the specification requires: lines after the last blank line
// are dropped (only their terminated "retry" fields take effect), so an
// event cut mid-way is not delivered and its "id" never moves LastEventID.
// A stream that ends right after a data line, even with its line ending
// ("data: x\n"), delivers nothing for it: only a blank line dispatches.
func (r *Reader) Next() (Event, error) {
	if r.err != nil {
		return Event{}, r.err
	}
	for {
		for {
			line, _, ok := r.lines.next()
			if !ok {
				break
			}
			if len(line) == 0 {
				if ev, ok := r.dispatch(); ok {
					return ev, nil
				}
				continue
			}
			r.field(line)
		}
		// The end of a block stands for a blank line. It must be handled
		// before ReadEvent, which overwrites the buffer the state aliases.
		if r.inBlock {
			r.inBlock = false
			if ev, ok := r.dispatch(); ok {
				return ev, nil
			}
		}
		b, err := r.er.ReadEvent()
		switch {
		case errors.Is(err, bufio.ErrTooLong):
			// r3labs would return a truncated block on the next call. This
			// happens only if the block without endMarker is over the limit.
			r.err = &EventTooLargeError{Limit: r.limit}
			return Event{}, r.err
		case err != nil && r.src.end != nil && r.src.end != io.EOF:
			// The real read error, not r3labs' io.EOF for context.Canceled.
			r.err = r.src.end
			return Event{}, r.err
		case err != nil:
			r.err = err
			return Event{}, err
		}
		// The block read at the end of the stream (see endMarker).
		marked := r.src.end != nil && bytes.HasSuffix(b, endMarker)
		if marked {
			b = b[:len(b)-len(endMarker)]
		}
		size := len(b)
		e, standIn := r.src.feed.take(r.blocks)
		r.blocks++
		r.standIn, r.detached = standIn, e.values
		if standIn {
			size = e.size
		}
		if size > r.limit {
			r.err = &EventTooLargeError{Limit: r.limit}
			return Event{}, r.err
		}
		if !r.started {
			r.started = true
			b = bytes.TrimPrefix(b, bom)
		}
		if marked {
			b = r.cutIncomplete(b)
		}
		r.lines, r.inBlock = lines{b: b, cr: -1, lf: -1}, true
	}
}

// cutIncomplete returns the part of the final block b, read before the end
// of the stream (io.EOF or a read error), that ends with its last blank
// line. The lines after it form an incomplete event that is discarded,
// except that their terminated "retry" lines take effect, as they would in
// a browser.
func (r *Reader) cutIncomplete(b []byte) []byte {
	it, cut := lines{b: b, cr: -1, lf: -1}, 0
	for {
		line, term, ok := it.next()
		if !ok || !term {
			break
		}
		if len(line) == 0 {
			cut = it.pos
		}
	}
	it = lines{b: b[cut:], cr: -1, lf: -1}
	for {
		line, term, ok := it.next()
		if !ok || !term {
			break
		}
		if bytes.HasPrefix(line, []byte("retry")) {
			r.field(line)
		}
	}
	return b[:cut]
}

// LastEventID returns the last event ID seen so far: the value to send as
// Last-Event-ID when reconnecting. It is updated by every "id" field of a
// complete block, also of blocks that are not dispatched because they carry
// no data, but not by the incomplete block at the end of the stream.
func (r *Reader) LastEventID() string { return r.lastID }

// Retry returns the reconnection time requested by the last valid "retry"
// field and whether the stream sent one. Values too large for a
// time.Duration saturate at its maximum.
func (r *Reader) Retry() (time.Duration, bool) { return r.retry, r.hasRetry }

var bom = []byte("\xEF\xBB\xBF")

// endMarker is appended, followed by a blank line, to the stream when the
// underlying reader ends (io.EOF or an error), so that r3labs returns the
// incomplete block at the end of the stream (which it would otherwise flush
// as if complete at EOF) with endMarker as its suffix. It contains no CR or
// LF, so it cannot complete a line or a blank line of the real stream.
//
// The block that carries it is told apart exactly, not by its content:
// bufio.Scanner reads only when its buffer holds no complete block, and
// srcReader hands out endMarker (and sets end) only on a Read after the one
// that returned the last bytes of the stream. So when end is set the buffer
// holds no complete block, and the marker's blank line completes exactly
// one: every block returned while end is set is that one.
var endMarker = []byte("\x00\x00langgraph-go/sse: end of stream\x00")

// srcReader wraps the caller's reader for r3labs' scanner. When the reader
// ends (io.EOF or another error) it returns the last bytes, then, on the
// next Reads, endMarker and a blank line, and only then io.EOF or the error.
//
// While the stream has no CR (LangGraph servers end lines with LF), it also
// decides what r3labs is handed, and when (see feed.go): one whole block per
// Read, so that r3labs' split searches one event, not all the bytes buffered
// after it; and, for a block over detachMin bytes, a stand-in in which every
// data line is empty, the data lines' values going to the Reader directly,
// so that r3labs never scans or copies a large payload. With the first CR it
// hands the rest of the stream through as it comes, and r3labs frames it
// alone.
type srcReader struct {
	r       io.Reader
	pending error  // how the reader ended, before endMarker was handed out
	end     error  // how the reader ended, once endMarker is handed out
	tail    []byte // rest of endMarker+"\n\n" to hand out

	feed feeder // the LF fast path
}

// hasEOL reports whether b contains a CR or LF.
func hasEOL(b []byte) bool {
	return bytes.IndexByte(b, '\n') >= 0 || bytes.IndexByte(b, '\r') >= 0
}

var markerBlock = append(append([]byte(nil), endMarker...), "\n\n"...)

// Read implements io.Reader for r3labs' scanner.
func (s *srcReader) Read(p []byte) (int, error) {
	if !s.feed.off && s.feed.err == nil {
		if n, ok := s.feed.read(s.r, p); ok {
			return n, nil
		}
	}
	// The feeder is off, or the reader ended: first what it holds.
	if n := s.feed.flush(p); n > 0 {
		return n, nil
	}
	if s.pending == nil && s.feed.err != nil {
		s.pending = s.feed.err
	}
	if s.pending == nil {
		n, err := s.r.Read(p)
		// r3labs' split re-scans the whole buffered block after every Read,
		// which is quadratic for a large event arriving in small reads
		// (10 MiB in 4 KiB reads: seconds). A blank line can only be
		// completed by a CR or LF, so until one arrives keep filling p:
		// r3labs would just read again.
		for last := n; err == nil && last > 0 && n < len(p) && !hasEOL(p[n-last:n]); n += last {
			last, err = s.r.Read(p[n:])
		}
		s.pending = err
		if n > 0 || err == nil {
			return n, nil // the end, if any, on the next Read (see endMarker)
		}
	}
	if s.end == nil {
		s.end, s.tail = s.pending, markerBlock
	}
	if len(s.tail) == 0 {
		return 0, s.end
	}
	n := copy(p, s.tail)
	s.tail = s.tail[n:]
	return n, nil
}

// lines iterates over the lines of a block.
type lines struct {
	b      []byte
	pos    int // start of the next line; -1 when exhausted
	cr, lf int // cached index of the next CR / LF at or after pos (len(b) if none)
}

// next returns the next line without its line ending, and whether a line
// ending followed it. The text after the last line ending of a block is a
// line too (the block's blank-line delimiter terminates it), even when
// empty. The positions of the next CR and LF are cached so a block is
// scanned in linear time even with many short lines.
func (l *lines) next() (line []byte, terminated, ok bool) {
	if l.pos < 0 {
		return nil, false, false
	}
	b, start := l.b, l.pos
	if l.lf < start {
		l.lf = indexFrom(b, start, '\n')
	}
	if l.cr < start {
		l.cr = indexFrom(b, start, '\r')
	}
	end := min(l.lf, l.cr)
	if end == len(b) {
		l.pos = -1
		return b[start:], false, true
	}
	next := end + 1
	if b[end] == '\r' && next < len(b) && b[next] == '\n' {
		next++
	}
	l.pos = next
	return b[start:end], true, true
}

// indexFrom returns the index of c in b at or after from, or len(b).
func indexFrom(b []byte, from int, c byte) int {
	if i := bytes.IndexByte(b[from:], c); i >= 0 {
		return from + i
	}
	return len(b)
}

// field processes one non-empty line.
func (r *Reader) field(line []byte) {
	if line[0] == ':' {
		return // comment
	}
	name, value := line, []byte(nil)
	if i := bytes.IndexByte(line, ':'); i >= 0 {
		name, value = line[:i], line[i+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	}
	switch string(name) {
	case "event":
		r.name = value
	case "data":
		owned := false
		if r.standIn && len(r.detached) > 0 {
			value, r.detached, owned = r.detached[0], r.detached[1:], true
		}
		switch r.ndata {
		case 0:
			r.first, r.firstOwned = value, owned
		case 1:
			r.scratch = append(r.scratch[:0], r.first...)
			fallthrough
		default:
			r.scratch = append(append(r.scratch, '\n'), value...)
		}
		r.ndata++
	case "id":
		if bytes.IndexByte(value, 0) < 0 && string(value) != r.lastID {
			r.lastID = string(value)
		}
	case "retry":
		if ms, ok := parseDigits(value); ok {
			r.retry, r.hasRetry = ms, true
		}
	}
}

// parseDigits parses a non-empty run of ASCII digits as milliseconds,
// saturating at the largest time.Duration.
func parseDigits(v []byte) (time.Duration, bool) {
	if len(v) == 0 {
		return 0, false
	}
	const maxMS = math.MaxInt64 / int64(time.Millisecond)
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n <= maxMS {
			n = n*10 + int64(c-'0')
		}
	}
	if n > maxMS {
		return math.MaxInt64, true
	}
	return time.Duration(n) * time.Millisecond, true
}

// dispatch handles a blank line: it returns the event if the data buffer is
// not empty, and resets the event type and data buffers either way.
func (r *Reader) dispatch() (Event, bool) {
	if r.ndata == 0 {
		r.name = nil
		return Event{}, false
	}
	var data []byte
	switch {
	case r.ndata == 1 && r.firstOwned:
		data = r.first // a detached value: no one else holds it
	case r.ndata == 1:
		data = bytes.Clone(r.first)
	default:
		data = bytes.Clone(r.scratch)
		if cap(r.scratch) > 1<<20 {
			r.scratch = nil // don't pin a one-off huge buffer
		}
	}
	if data == nil {
		data = []byte{}
	}
	ev := Event{Name: r.intern(r.name), Data: data, ID: r.lastID}
	r.name, r.first, r.ndata, r.firstOwned = nil, nil, 0, false
	return ev, true
}

// intern returns b as a string, reusing a recently returned one when equal:
// streams use a handful of distinct event names.
func (r *Reader) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	for _, s := range r.names {
		if string(b) == s {
			return s
		}
	}
	s := string(b)
	if len(s) <= 128 {
		r.names[r.namesPos] = s
		r.namesPos = (r.namesPos + 1) % len(r.names)
	}
	return s
}
