package sse

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// ev is a comparable form of Event for tests.
type ev struct{ Name, Data, ID string }

func (e ev) String() string { return fmt.Sprintf("{%q %q %q}", e.Name, e.Data, e.ID) }

type result struct {
	events   []ev
	lastID   string
	retry    time.Duration
	hasRetry bool
	err      error // final error; nil means io.EOF
}

// readAll drains a Reader over r.
func readAll(t testing.TB, r io.Reader, limit int) result {
	t.Helper()
	rd := NewReader(r, limit)
	var res result
	for {
		e, err := rd.Next()
		if err != nil {
			if err != io.EOF {
				res.err = err
			}
			break
		}
		if e.Data == nil {
			t.Fatalf("dispatched event with nil Data: %+v", e)
		}
		res.events = append(res.events, ev{e.Name, string(e.Data), e.ID})
	}
	res.lastID = rd.LastEventID()
	res.retry, res.hasRetry = rd.Retry()
	return res
}

func sameResult(a, b result) bool {
	if len(a.events) != len(b.events) || a.lastID != b.lastID || a.retry != b.retry ||
		a.hasRetry != b.hasRetry || (a.err == nil) != (b.err == nil) {
		return false
	}
	for i := range a.events {
		if a.events[i] != b.events[i] {
			return false
		}
	}
	return true
}

func TestSpec(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   []ev
		lastID string
		retry  time.Duration // -1: no retry
	}{
		// Examples from the WHATWG specification.
		{"spec stock ticker", "data: YHOO\ndata: +2\ndata: 10\n\n", []ev{{"", "YHOO\n+2\n10", ""}}, "", -1},
		{"spec ids and trailing block", ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n",
			// The spec discards the last block (no blank line after it); we deliver it.
			[]ev{{"", "first event", "1"}, {"", "second event", ""}, {"", " third event", ""}}, "", -1},
		{"spec empty data", "data\n\ndata\ndata\n\ndata:", []ev{{"", "", ""}, {"", "\n", ""}, {"", "", ""}}, "", -1},
		{"spec space after colon", "data:test\n\ndata: test\n\n", []ev{{"", "test", ""}, {"", "test", ""}}, "", -1},

		{"only one space stripped", "data:  x \n\n", []ev{{"", " x ", ""}}, "", -1},
		{"colon in value", "data: a:b: c\n\n", []ev{{"", "a:b: c", ""}}, "", -1},
		{"data colon empty", "data:\n\n", []ev{{"", "", ""}}, "", -1},
		{"data then empty data", "data: a\ndata\n\n", []ev{{"", "a\n", ""}}, "", -1},
		{"field names case sensitive", "Data: x\nDATA: y\n\n", nil, "", -1},
		{"unknown fields ignored", "foo: bar\ndata: x\nbaz\n\n", []ev{{"", "x", ""}}, "", -1},
		{"comments ignored", ":c1\ndata: a\n: c2\ndata: b\n:\n\n", []ev{{"", "a\nb", ""}}, "", -1},
		{"only comments", ": heartbeat\n\n: heartbeat\n\n", nil, "", -1},
		{"empty stream", "", nil, "", -1},
		{"leading blank lines", "\n\n\n\r\ndata: x\n\n", []ev{{"", "x", ""}}, "", -1},
		{"event name", "event: values\ndata: {}\n\n", []ev{{"values", "{}", ""}}, "", -1},
		{"last event field wins", "event: a\nevent: b\ndata: x\n\n", []ev{{"b", "x", ""}}, "", -1},
		{"event without colon", "event: a\nevent\ndata: x\n\n", []ev{{"", "x", ""}}, "", -1},
		{"event without data not dispatched", "event: foo\n\ndata: x\n\n", []ev{{"", "x", ""}}, "", -1},
		{"event type reset after dispatch", "event: a\ndata: 1\n\ndata: 2\n\n", []ev{{"a", "1", ""}, {"", "2", ""}}, "", -1},

		{"id persists", "id: 1\ndata: a\n\ndata: b\n\n", []ev{{"", "a", "1"}, {"", "b", "1"}}, "1", -1},
		{"empty id resets", "id: 1\ndata: a\n\nid:\ndata: b\n\n", []ev{{"", "a", "1"}, {"", "b", ""}}, "", -1},
		{"bare id resets", "id: 1\ndata: a\n\nid\ndata: b\n\n", []ev{{"", "a", "1"}, {"", "b", ""}}, "", -1},
		{"id after data in block", "data: a\nid: 7\n\n", []ev{{"", "a", "7"}}, "7", -1},
		{"id only block updates cursor", "data: a\n\nid: 9\n\n", []ev{{"", "a", ""}}, "9", -1},
		{"id with NUL ignored", "id: 1\n\nid: a\x00b\ndata: x\n\n", []ev{{"", "x", "1"}}, "1", -1},
		{"id keeps spaces", "id:  5 \ndata: x\n\n", []ev{{"", "x", " 5 "}}, " 5 ", -1},

		{"retry digits", "retry: 3000\n\n", nil, "", 3 * time.Second},
		{"retry zero", "retry:0\n\n", nil, "", 0},
		{"retry non digits ignored", "retry: 3s\n\nretry: -1\n\nretry: 1.5\n\nretry:\n\nretry\n\nretry:  10\n\n", nil, "", -1},
		{"retry last valid wins", "retry: 10\nretry: x\ndata: a\n\n", []ev{{"", "a", ""}}, "", 10 * time.Millisecond},
		{"retry saturates", "retry: 99999999999999999999999\n\n", nil, "", time.Duration(1<<63 - 1)},

		{"CR endings", "event: e\rdata: a\rdata: b\r\rdata: c\r\r", []ev{{"e", "a\nb", ""}, {"", "c", ""}}, "", -1},
		{"CRLF endings", "event: e\r\ndata: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n", []ev{{"e", "a\nb", ""}, {"", "c", ""}}, "", -1},
		{"mixed endings", "data: a\r\ndata: b\rdata: c\n\r\ndata: d\n\r\rdata: e\r\n\n", []ev{{"", "a\nb\nc", ""}, {"", "d", ""}, {"", "e", ""}}, "", -1},
		{"LF then CR blank line", "data: a\n\rdata: b\n\n", []ev{{"", "a", ""}, {"", "b", ""}}, "", -1},
		{"CRLF then CR blank line", "data: a\r\n\rdata: b\r\n\r\n", []ev{{"", "a", ""}, {"", "b", ""}}, "", -1},
		{"CR then CRLF blank line", "data: a\r\r\ndata: b\r\r\n", []ev{{"", "a", ""}, {"", "b", ""}}, "", -1},

		{"BOM stripped", "\xEF\xBB\xBFdata: x\n\n", []ev{{"", "x", ""}}, "", -1},
		{"only one BOM stripped", "\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\n", nil, "", -1},
		{"BOM not at start kept", "\n\n\xEF\xBB\xBFdata: x\n\ndata: y\n\n", []ev{{"", "y", ""}}, "", -1},
		{"BOM in value kept", "data: \xEF\xBB\xBFx\n\n", []ev{{"", "\xEF\xBB\xBFx", ""}}, "", -1},

		{"trailing block without newline", "data: a\n\ndata: b", []ev{{"", "a", ""}, {"", "b", ""}}, "", -1},
		{"trailing block with one newline", "event: e\ndata: b\n", []ev{{"e", "b", ""}}, "", -1},
		{"trailing id only", "data: a\n\nid: 3", []ev{{"", "a", ""}}, "3", -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, mode := range []string{"whole", "onebyte"} {
				var in io.Reader = strings.NewReader(tc.in)
				if mode == "onebyte" {
					in = iotest.OneByteReader(in)
				}
				got := readAll(t, in, 0)
				if got.err != nil {
					t.Fatalf("%s: error %v", mode, got.err)
				}
				if fmt.Sprint(got.events) != fmt.Sprint(tc.want) {
					t.Errorf("%s: events\n got %v\nwant %v", mode, got.events, tc.want)
				}
				if got.lastID != tc.lastID {
					t.Errorf("%s: LastEventID = %q, want %q", mode, got.lastID, tc.lastID)
				}
				wantRetry := tc.retry >= 0
				if got.hasRetry != wantRetry || (wantRetry && got.retry != tc.retry) {
					t.Errorf("%s: Retry = %v,%v want %v,%v", mode, got.retry, got.hasRetry, tc.retry, wantRetry)
				}
				// The reference parser must agree with the table.
				if ref := refParse([]byte(tc.in), true); !sameResult(ref, got) {
					t.Errorf("%s: reference parser disagrees: %+v", mode, ref)
				}
			}
		})
	}
}

func TestLastEventIDBetweenEvents(t *testing.T) {
	rd := NewReader(strings.NewReader("id: 1\ndata: a\n\nid: 2\n\nid: 3\ndata: b\n\n"), 0)
	e, err := rd.Next()
	if err != nil || e.ID != "1" || rd.LastEventID() != "1" {
		t.Fatalf("first: %+v %v %q", e, err, rd.LastEventID())
	}
	e, err = rd.Next()
	if err != nil || e.ID != "3" || rd.LastEventID() != "3" {
		t.Fatalf("second: %+v %v %q", e, err, rd.LastEventID())
	}
}

func TestDataOwnedByCaller(t *testing.T) {
	var sb strings.Builder
	for i := range 200 {
		fmt.Fprintf(&sb, "data: %04d-%s\n\n", i, strings.Repeat("x", 100))
	}
	rd := NewReader(strings.NewReader(sb.String()), 0)
	var got []Event
	for {
		e, err := rd.Next()
		if err != nil {
			break
		}
		got = append(got, e)
	}
	if len(got) != 200 {
		t.Fatalf("got %d events", len(got))
	}
	for i, e := range got {
		if want := fmt.Sprintf("%04d-%s", i, strings.Repeat("x", 100)); string(e.Data) != want {
			t.Fatalf("event %d overwritten: %.20q", i, e.Data)
		}
	}
}

func loadStream(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/langgraph.sse")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLangGraphStream(t *testing.T) {
	raw := loadStream(t)
	got := readAll(t, bytes.NewReader(raw), 0)
	if got.err != nil {
		t.Fatal(got.err)
	}
	wantNames := []string{"metadata", "values", "messages", "updates", "custom",
		"updates|child:1f0c2a7e-77aa-6d01-bc3e-55f0a1d2e3c4", "values", "error"}
	if len(got.events) != len(wantNames) {
		t.Fatalf("got %d events: %v", len(got.events), got.events)
	}
	for i, e := range got.events {
		if e.Name != wantNames[i] || e.ID != fmt.Sprint(i) || !json.Valid([]byte(e.Data)) {
			t.Errorf("event %d = %v", i, e)
		}
	}
	var meta struct {
		RunID   string `json:"run_id"`
		Attempt int    `json:"attempt"`
	}
	if err := json.Unmarshal([]byte(got.events[0].Data), &meta); err != nil || meta.Attempt != 1 || meta.RunID == "" {
		t.Errorf("metadata: %+v %v", meta, err)
	}
	if !strings.Contains(got.events[7].Data, "GraphRecursionError") || got.lastID != "7" {
		t.Errorf("error event %v, last id %q", got.events[7], got.lastID)
	}

	// Same events with other line endings, byte at a time, and with a BOM.
	s := string(raw)
	variants := map[string]io.Reader{
		"onebyte":             iotest.OneByteReader(bytes.NewReader(raw)),
		"half":                iotest.HalfReader(bytes.NewReader(raw)),
		"crlf":                strings.NewReader(strings.ReplaceAll(s, "\n", "\r\n")),
		"cr":                  iotest.OneByteReader(strings.NewReader(strings.ReplaceAll(s, "\n", "\r"))),
		"bom":                 strings.NewReader("\xEF\xBB\xBF" + s),
		"no-final-blank-line": strings.NewReader(strings.TrimSuffix(s, "\n")),
	}
	for name, r := range variants {
		if v := readAll(t, r, 0); !sameResult(got, v) {
			t.Errorf("%s: differs: %v", name, v.events)
		}
	}
}

func TestLargeEvent(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789abcdef"), 10<<20/16) // 10 MiB
	in := append(append([]byte("event: values\ndata: "), payload...), "\n\ndata: after\n\n"...)
	for _, mode := range []string{"whole", "chunked4k"} {
		var r io.Reader = bytes.NewReader(in)
		if mode == "chunked4k" {
			// Without srcReader's read-until-EOL loop r3labs re-scans the
			// buffer after every 4 KiB read: ~2 s instead of ~20 ms.
			r = &chunkReader{r: r, n: 4 << 10}
		}
		start := time.Now()
		got := readAll(t, r, 0)
		t.Logf("%s: 10 MiB event in %v", mode, time.Since(start))
		if got.err != nil || len(got.events) != 2 || got.events[0].Name != "values" ||
			got.events[0].Data != string(payload) || got.events[1].Data != "after" {
			t.Fatalf("%s: err %v, %d events", mode, got.err, len(got.events))
		}
	}
}

// TestNoReadAhead checks that an event is returned as soon as its blank line
// arrives, without waiting for more input.
func TestNoReadAhead(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	rd := NewReader(pr, 0)
	go func() {
		pw.Write([]byte("event: values\ndata: {\"a\""))
		pw.Write([]byte(":1}\n"))
		pw.Write([]byte("\n"))
	}()
	done := make(chan Event)
	go func() {
		e, _ := rd.Next()
		done <- e
	}()
	select {
	case e := <-done:
		if e.Name != "values" || string(e.Data) != `{"a":1}` {
			t.Fatalf("got %+v", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Next blocked after a complete event")
	}
}

// chunkReader returns at most n bytes per Read, like a network body.
type chunkReader struct {
	r io.Reader
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(p) > c.n {
		p = p[:c.n]
	}
	return c.r.Read(p)
}

func TestEventTooLarge(t *testing.T) {
	in := "data: small\n\ndata: " + strings.Repeat("x", 2000) + "\n\ndata: next\n\n"
	for _, mode := range []string{"whole", "onebyte"} {
		var r io.Reader = strings.NewReader(in)
		if mode == "onebyte" {
			r = iotest.OneByteReader(r)
		}
		rd := NewReader(r, 1024)
		if e, err := rd.Next(); err != nil || string(e.Data) != "small" {
			t.Fatalf("%s: first event %+v %v", mode, e, err)
		}
		_, err := rd.Next()
		var tl *EventTooLargeError
		if !errors.As(err, &tl) || tl.Limit != 1024 || !errors.Is(err, bufio.ErrTooLong) {
			t.Fatalf("%s: err = %v", mode, err)
		}
		if !strings.Contains(err.Error(), "1024 bytes") || !strings.Contains(err.Error(), "client.WithMaxEventSize") {
			t.Errorf("%s: message %q", mode, err)
		}
		// Sticky: r3labs would now return a truncated block with a nil error.
		for range 3 {
			if _, err2 := rd.Next(); err2 != err {
				t.Fatalf("%s: not sticky: %v", mode, err2)
			}
		}
	}
}

// TestEventSizeBoundary checks that the limit applies to the raw block
// without its terminating blank line, whatever the line endings.
func TestEventSizeBoundary(t *testing.T) {
	const limit = 100
	for _, delim := range []string{"\n\n", "\r\r", "\r\n\r\n"} {
		for _, size := range []int{limit, limit + 1} {
			block := "data: " + strings.Repeat("x", size-6)
			for _, mode := range []string{"whole", "onebyte"} {
				var r io.Reader = strings.NewReader(block + delim + "data: y" + delim)
				if mode == "onebyte" {
					r = iotest.OneByteReader(r)
				}
				got := readAll(t, r, limit)
				var tl *EventTooLargeError
				if size <= limit && (got.err != nil || len(got.events) != 2) {
					t.Errorf("%q %d %s: %v, %d events", delim, size, mode, got.err, len(got.events))
				}
				if size > limit && (!errors.As(got.err, &tl) || len(got.events) != 0) {
					t.Errorf("%q %d %s: %v, %d events", delim, size, mode, got.err, len(got.events))
				}
			}
		}
	}
}

func TestDefaultMaxEventSize(t *testing.T) {
	for _, n := range []int{0, -1} {
		if rd := NewReader(strings.NewReader(""), n); rd.limit != DefaultMaxEventSize {
			t.Errorf("NewReader(_, %d).limit = %d", n, rd.limit)
		}
	}
	if DefaultMaxEventSize != 32<<20 {
		t.Errorf("DefaultMaxEventSize = %d", DefaultMaxEventSize)
	}
}

func TestReadErrorSticky(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name, in string
		want     []ev
		lastID   string
		retry    time.Duration // -1: none
	}{
		{"partial line dropped", "data: a\n\ndata: partial", []ev{{"", "a", ""}}, "", -1},
		{"partial block dropped", "id: 1\ndata: a\n\nretry: 5\nid: 2\ndata: b\n", []ev{{"", "a", "1"}}, "1", 5 * time.Millisecond},
		{"truncated id ignored", "id: 1\ndata: a\n\nid: 1", []ev{{"", "a", "1"}}, "1", -1},
		{"unterminated retry ignored", "retry: 1", nil, "", -1},
		{"in-block blank line kept", "data: a\n\rdata: b\n\rid: 3\rdata: c", []ev{{"", "a", ""}, {"", "b", ""}}, "", -1},
		{"complete stream then error", "data: a\r\n\r\n", []ev{{"", "a", ""}}, "", -1},
		{"BOM then error", "\xEF\xBB\xBF", nil, "", -1},
		{"BOM blank line", "\xEF\xBB\xBF\ndata: a\n\n", []ev{{"", "a", ""}}, "", -1},
		{"empty", "", nil, "", -1},
	}
	for _, tc := range tests {
		for _, mode := range []string{"whole", "onebyte"} {
			var r io.Reader = io.MultiReader(strings.NewReader(tc.in), iotest.ErrReader(boom))
			if mode == "onebyte" {
				r = iotest.OneByteReader(r)
			}
			rd := NewReader(r, 0)
			var got []ev
			var err error
			for {
				var e Event
				if e, err = rd.Next(); err != nil {
					break
				}
				got = append(got, ev{e.Name, string(e.Data), e.ID})
			}
			if err != boom {
				t.Errorf("%s/%s: err = %v, want boom", tc.name, mode, err)
			}
			if _, err := rd.Next(); err != boom {
				t.Errorf("%s/%s: not sticky: %v", tc.name, mode, err)
			}
			d, ok := rd.Retry()
			if fmt.Sprint(got) != fmt.Sprint(tc.want) || rd.LastEventID() != tc.lastID ||
				ok != (tc.retry >= 0) || (ok && d != tc.retry) {
				t.Errorf("%s/%s: got %v id %q retry %v,%v", tc.name, mode, got, rd.LastEventID(), d, ok)
			}
			ref := refParse([]byte(tc.in), false)
			if fmt.Sprint(ref.events) != fmt.Sprint(got) || ref.lastID != rd.LastEventID() {
				t.Errorf("%s/%s: reference disagrees: %+v", tc.name, mode, ref)
			}
		}
	}
}

// TestContextCanceled checks that a context.Canceled read error is returned
// as is: r3labs alone reports it as io.EOF, a clean end.
func TestContextCanceled(t *testing.T) {
	for _, want := range []error{context.Canceled, context.DeadlineExceeded, io.ErrUnexpectedEOF} {
		r := io.MultiReader(strings.NewReader("data: a\n\n"), iotest.ErrReader(want))
		rd := NewReader(r, 0)
		if _, err := rd.Next(); err != nil {
			t.Fatal(err)
		}
		if _, err := rd.Next(); err != want {
			t.Errorf("err = %v, want %v", err, want)
		}
	}
}

// TestMarkerInStream checks that the bytes used internally to mark a read
// error are ordinary data when no error happened.
func TestMarkerInStream(t *testing.T) {
	in := "data: x" + string(errMarker) + "\n\ndata: " + string(errMarker)
	got := readAll(t, strings.NewReader(in), 0)
	want := []ev{{"", "x" + string(errMarker), ""}, {"", string(errMarker), ""}}
	if got.err != nil || fmt.Sprint(got.events) != fmt.Sprint(want) {
		t.Fatalf("got %v %v", got.events, got.err)
	}
}

// TestErrorAtLimit checks that a read error is reported even when the
// incomplete block plus the internal marker no longer fits the limit.
func TestErrorAtLimit(t *testing.T) {
	boom := errors.New("boom")
	r := io.MultiReader(strings.NewReader("data: "+strings.Repeat("x", 50)), iotest.ErrReader(boom))
	if _, err := NewReader(r, 64).Next(); err != boom {
		t.Fatalf("err = %v, want boom", err)
	}
}

func TestAllocsPerEvent(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	const n = 2000
	build := func(withIDs bool) *Reader {
		var sb strings.Builder
		names := []string{"values", "updates", "messages", "updates|child:1f0c"}
		for i := range n + 10 {
			fmt.Fprintf(&sb, "event: %s\ndata: {\"i\":%d,\"pad\":%q}\n", names[i%len(names)], i, strings.Repeat("p", i%300))
			if withIDs {
				fmt.Fprintf(&sb, "id: %d\n", i)
			}
			sb.WriteString("\n")
		}
		rd := NewReader(strings.NewReader(sb.String()), 0)
		for range 10 { // warm up buffers and the name cache
			rd.Next()
		}
		return rd
	}
	rd := build(false)
	if a := testing.AllocsPerRun(n-1, func() { rd.Next() }); a > 1 {
		t.Errorf("allocs per event without ids = %v, want <= 1", a)
	}
	rd = build(true)
	if a := testing.AllocsPerRun(n-1, func() { rd.Next() }); a > 2 {
		t.Errorf("allocs per event with changing ids = %v, want <= 2", a)
	}
}

// refParse is a direct, unoptimized transcription of the WHATWG algorithm
// on an in-memory stream, used as an oracle. With atEOF (a clean end) the
// final block is delivered as if a blank line followed (our deviation);
// otherwise (a read error) the stream simply stops, as in the spec: the
// unterminated last line is dropped and the pending event is discarded.
func refParse(in []byte, atEOF bool) result {
	var res result
	s := string(in)
	s = strings.TrimPrefix(s, "\uFEFF")
	var name, data, id, committed string
	dispatch := func() {
		committed = id
		if data == "" {
			name = ""
			return
		}
		res.events = append(res.events, ev{name, strings.TrimSuffix(data, "\n"), id})
		name, data = "", ""
	}
	for len(s) > 0 {
		var line string
		i := strings.IndexAny(s, "\r\n")
		switch {
		case i < 0:
			if !atEOF {
				s = ""
				continue
			}
			line, s = s, ""
		case s[i] == '\r' && strings.HasPrefix(s[i:], "\r\n"):
			line, s = s[:i], s[i+2:]
		default:
			line, s = s[:i], s[i+1:]
		}
		if line == "" {
			dispatch()
			continue
		}
		if line[0] == ':' {
			continue
		}
		field, value, found := strings.Cut(line, ":")
		if found {
			value = strings.TrimPrefix(value, " ")
		}
		switch field {
		case "event":
			name = value
		case "data":
			data += value + "\n"
		case "id":
			if !strings.Contains(value, "\x00") {
				id = value
			}
		case "retry":
			if d, ok := parseDigits([]byte(value)); ok {
				res.retry, res.hasRetry = d, true
			}
		}
	}
	if atEOF {
		dispatch() // deviation: deliver the final block at EOF
	}
	res.lastID = committed
	return res
}
