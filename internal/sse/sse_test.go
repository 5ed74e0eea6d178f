package sse

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"slices"
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
			// The last block has no blank line after it: it is discarded.
			[]ev{{"", "first event", "1"}, {"", "second event", ""}}, "", -1},
		{"spec empty data", "data\n\ndata\ndata\n\ndata:", []ev{{"", "", ""}, {"", "\n", ""}}, "", -1},
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

		{"trailing block without newline dropped", "data: a\n\ndata: b", []ev{{"", "a", ""}}, "", -1},
		{"trailing block with one newline dropped", "event: e\ndata: b\n", nil, "", -1},
		{"trailing id dropped", "data: a\n\nid: 3", []ev{{"", "a", ""}}, "", -1},
		{"trailing terminated id dropped", "id: 1\ndata: a\n\nid: 3\n", []ev{{"", "a", "1"}}, "1", -1},
		{"trailing terminated retry kept", "data: a\n\nretry: 7\ndata: b\nretry: 9", []ev{{"", "a", ""}}, "", 7 * time.Millisecond},
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
				if ref := refParse([]byte(tc.in)); !sameResult(ref, got) {
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
		"onebyte":       iotest.OneByteReader(bytes.NewReader(raw)),
		"half":          iotest.HalfReader(bytes.NewReader(raw)),
		"crlf":          strings.NewReader(strings.ReplaceAll(s, "\n", "\r\n")),
		"cr":            iotest.OneByteReader(strings.NewReader(strings.ReplaceAll(s, "\n", "\r"))),
		"bom":           strings.NewReader("\xEF\xBB\xBF" + s),
		"data-with-eof": iotest.DataErrReader(bytes.NewReader(raw)),
	}
	for name, r := range variants {
		if v := readAll(t, r, 0); !sameResult(got, v) {
			t.Errorf("%s: differs: %v", name, v.events)
		}
	}

	// Without its final blank line the last (error) event is incomplete: it
	// is dropped and its id does not count.
	cut := readAll(t, strings.NewReader(strings.TrimSuffix(s, "\n")), 0)
	if cut.err != nil || !slices.Equal(cut.events, got.events[:7]) || cut.lastID != "6" {
		t.Errorf("no final blank line: %v, %d events, last id %q", cut.err, len(cut.events), cut.lastID)
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
		if !strings.Contains(err.Error(), "1024 bytes") || !strings.Contains(err.Error(), "langgraph.WithMaxEventSize") {
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
			ref := refParse([]byte(tc.in))
			if fmt.Sprint(ref.events) != fmt.Sprint(got) || ref.lastID != rd.LastEventID() {
				t.Errorf("%s/%s: reference disagrees: %+v", tc.name, mode, ref)
			}
		}
	}
}

// TestCleanEOF checks that a stream closed cleanly in the middle of an
// event (as a server or proxy may do) drops the incomplete event: it is not
// dispatched, its "id" does not move LastEventID, and only its terminated
// "retry" lines take effect. The result must not depend on how the bytes
// arrive, and must equal that of a read error after the same bytes.
func TestCleanEOF(t *testing.T) {
	tests := []struct {
		name, in string
		want     []ev
		lastID   string
		retry    time.Duration // -1: none
	}{
		{"mid data", "id: 1\ndata: a\n\nid: 2\ndata: {\"a\"", []ev{{"", "a", "1"}}, "1", -1},
		{"mid id line", "id: 1\ndata: a\n\nid: 2", []ev{{"", "a", "1"}}, "1", -1},
		{"mid id line after data", "id: 1\ndata: a\n\ndata: b\nid: 2", []ev{{"", "a", "1"}}, "1", -1},
		{"mid id value", "id: 10\ndata: a\n\nid: 1", []ev{{"", "a", "10"}}, "10", -1},
		{"terminated id, no blank line", "id: 1\ndata: a\n\ndata: b\nid: 2\n", []ev{{"", "a", "1"}}, "1", -1},
		{"id reset, no blank line", "id: 1\ndata: a\n\nid\n", []ev{{"", "a", "1"}}, "1", -1},
		{"complete event then partial", "event: values\ndata: 1\nid: 1\n\nevent: values\nda", []ev{{"values", "1", "1"}}, "1", -1},
		{"complete event then partial name", "event: values\ndata: 1\nid: 1\n\nevent: upd", []ev{{"values", "1", "1"}}, "1", -1},
		{"one LF after data", "data: a\n", nil, "", -1},
		{"one LF after data after event", "data: a\n\ndata: b\n", []ev{{"", "a", ""}}, "", -1},
		{"one CR after data", "data: a\r\rdata: b\r", []ev{{"", "a", ""}}, "", -1},
		{"one CRLF after data", "data: a\r\n\r\ndata: b\r\n", []ev{{"", "a", ""}}, "", -1},
		{"LF blank line at EOF", "data: a\n\n", []ev{{"", "a", ""}}, "", -1},
		{"CR blank line at EOF", "data: a\r\r", []ev{{"", "a", ""}}, "", -1},
		{"CRLF blank line at EOF", "data: a\r\n\r\n", []ev{{"", "a", ""}}, "", -1},
		{"CRLF then CR blank line at EOF", "id: 4\ndata: a\r\n\r", []ev{{"", "a", "4"}}, "4", -1},
		{"LF then CR blank line at EOF", "data: a\n\r", []ev{{"", "a", ""}}, "", -1},
		{"CR then CRLF blank line at EOF", "data: a\r\r\n", []ev{{"", "a", ""}}, "", -1},
		{"in-block blank lines then partial", "data: a\n\rid: 3\rdata: b\n\rid: 4\rdata: c\r", []ev{{"", "a", ""}, {"", "b", "3"}}, "3", -1},
		{"only a partial line", "data: a", nil, "", -1},
		{"BOM then partial", "\xEF\xBB\xBFid: 1\ndata: a", nil, "", -1},
		{"retry in partial block", "data: a\n\nretry: 5\nid: 2\ndata: b", []ev{{"", "a", ""}}, "", 5 * time.Millisecond},
		{"retry with CR in partial block", "retry: 5\rid: 2\rdata: b", nil, "", 5 * time.Millisecond},
		{"unterminated retry", "data: a\n\nretry: 5", []ev{{"", "a", ""}}, "", -1},
		{"comment only partial", "data: a\n\n: keep-alive\n", []ev{{"", "a", ""}}, "", -1},
	}
	boom := errors.New("boom")
	modes := map[string]func(string) io.Reader{
		"whole":    func(s string) io.Reader { return strings.NewReader(s) },
		"onebyte":  func(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) },
		"half":     func(s string) io.Reader { return iotest.HalfReader(strings.NewReader(s)) },
		"data+EOF": func(s string) io.Reader { return iotest.DataErrReader(strings.NewReader(s)) },
		"chunk3":   func(s string) io.Reader { return &chunkReader{r: strings.NewReader(s), n: 3} },
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for mode, src := range modes {
				rd := NewReader(src(tc.in), 0)
				var got []ev
				var err error
				for {
					var e Event
					if e, err = rd.Next(); err != nil {
						break
					}
					got = append(got, ev{e.Name, string(e.Data), e.ID})
					if rd.LastEventID() != e.ID {
						t.Errorf("%s: LastEventID %q while event %v is returned", mode, rd.LastEventID(), e)
					}
				}
				if err != io.EOF {
					t.Fatalf("%s: err = %v, want io.EOF", mode, err)
				}
				if _, err := rd.Next(); err != io.EOF {
					t.Errorf("%s: not sticky: %v", mode, err)
				}
				d, ok := rd.Retry()
				if fmt.Sprint(got) != fmt.Sprint(tc.want) || rd.LastEventID() != tc.lastID ||
					ok != (tc.retry >= 0) || (ok && d != tc.retry) {
					t.Errorf("%s: got %v id %q retry %v,%v; want %v id %q retry %v",
						mode, got, rd.LastEventID(), d, ok, tc.want, tc.lastID, tc.retry)
				}
			}
			// A read error after the same bytes gives the same result.
			failed := readAll(t, io.MultiReader(strings.NewReader(tc.in), iotest.ErrReader(boom)), 0)
			if failed.err != boom || fmt.Sprint(failed.events) != fmt.Sprint(tc.want) || failed.lastID != tc.lastID {
				t.Errorf("read error: %+v", failed)
			}
			if ref := refParse([]byte(tc.in)); fmt.Sprint(ref.events) != fmt.Sprint(tc.want) || ref.lastID != tc.lastID {
				t.Errorf("reference disagrees: %+v", ref)
			}
		})
	}
}

// TestCleanEOFPipe checks the case of a network body: a complete event,
// then half of the next one, then a clean close. The first event comes as
// soon as its blank line arrives; the half event never does.
func TestCleanEOFPipe(t *testing.T) {
	pr, pw := io.Pipe()
	rd := NewReader(pr, 0)
	go func() {
		pw.Write([]byte("event: values\ndata: {\"a\":1}\nid: 1\n\n"))
		pw.Write([]byte("event: values\nid: 2\ndata: {\"a\""))
		pw.Close()
	}()
	e, err := rd.Next()
	if err != nil || e.Name != "values" || string(e.Data) != `{"a":1}` || e.ID != "1" {
		t.Fatalf("first: %+v %v", e, err)
	}
	if e, err := rd.Next(); err != io.EOF {
		t.Fatalf("second: %+v %v, want io.EOF", e, err)
	}
	if id := rd.LastEventID(); id != "1" {
		t.Errorf("LastEventID = %q, want 1", id)
	}
}

// TestEOFSizeBoundary checks the size limit on the incomplete block at a
// clean end: up to the limit it is silently dropped, above it the stream
// ends with *EventTooLargeError, as for a complete block.
func TestEOFSizeBoundary(t *testing.T) {
	const limit = 100
	for _, size := range []int{limit, limit + 1} {
		in := "data: a\n\ndata: " + strings.Repeat("x", size-6)
		for _, mode := range []string{"whole", "onebyte"} {
			var r io.Reader = strings.NewReader(in)
			if mode == "onebyte" {
				r = iotest.OneByteReader(r)
			}
			got := readAll(t, r, limit)
			var tl *EventTooLargeError
			if len(got.events) != 1 || got.events[0].Data != "a" ||
				(size <= limit && got.err != nil) || (size > limit && !errors.As(got.err, &tl)) {
				t.Errorf("%d %s: %v, %v", size, mode, got.err, got.events)
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

// TestMarkerInStream checks that the bytes used internally to mark the end
// of the stream are ordinary data inside the stream.
func TestMarkerInStream(t *testing.T) {
	m := string(endMarker)
	in := "data: x" + m + "\n\ndata: " + m + m + "\n\n" + "data: " + m
	want := []ev{{"", "x" + m, ""}, {"", m + m, ""}}
	boom := errors.New("boom")
	for mode, r := range map[string]io.Reader{
		"whole":   strings.NewReader(in),
		"onebyte": iotest.OneByteReader(strings.NewReader(in)),
		// The whole stream comes with io.EOF, or with an error: the
		// complete blocks ending with the marker bytes must still count.
		"data+EOF":   iotest.DataErrReader(strings.NewReader(in)),
		"data+error": &dataErrReader{data: in, err: boom},
	} {
		got := readAll(t, r, 0)
		if (got.err != nil && got.err != boom) || fmt.Sprint(got.events) != fmt.Sprint(want) {
			t.Errorf("%s: got %v %v", mode, got.events, got.err)
		}
	}
}

// dataErrReader returns all its data and err in a single Read.
type dataErrReader struct {
	data string
	err  error
}

func (d *dataErrReader) Read(p []byte) (int, error) {
	n := copy(p, d.data)
	d.data = d.data[n:]
	if d.data == "" {
		return n, d.err
	}
	return n, nil
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
// on an in-memory stream, used as an oracle. At the end of the stream (clean
// or a read error alike) the stream simply stops, as in the spec: the
// unterminated last line is dropped and the pending event is discarded; the
// last event ID is the one committed by the last blank line.
func refParse(in []byte) result {
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
			s = "" // an unterminated line is never processed
			continue
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
	res.lastID = committed
	return res
}

// TestFeederMatchesReference: streams with blocks on both sides of the
// feeder's stand-in threshold (several data lines, comments, ids, a BOM, a
// CR that turns the feeder off mid-stream, an unterminated last block),
// read whole and in small reads, give what the reference transcription of
// the specification gives, and a stand-in's data is the value itself.
func TestFeederMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	for round := range 40 {
		var b strings.Builder
		if round%5 == 0 {
			b.WriteString("\xEF\xBB\xBF")
		}
		for i := range 12 {
			switch k := rng.IntN(7); k {
			case 0:
				fmt.Fprintf(&b, "event: values\ndata: %s\nid: %d\n\n", strings.Repeat("v", detachMin+rng.IntN(3*detachMin)), i)
			case 1:
				fmt.Fprintf(&b, "data:%s\ndata\n: note\ndata: %s\n\n", strings.Repeat("a", detachMin), strings.Repeat("b", 10))
			case 2:
				fmt.Fprintf(&b, "event: messages\ndata: [%d]\nid: %d\n\n", i, i)
			case 3:
				b.WriteString(": heartbeat\n\n\n")
			case 4:
				fmt.Fprintf(&b, "retry: %d\nid\n\n", i)
			case 5:
				if round%3 == 0 {
					fmt.Fprintf(&b, "data: cr %d\r\n\r\n", i) // the feeder turns off
				}
			case 6:
				fmt.Fprintf(&b, "event: big\ndata: %s\n\n", strings.Repeat("w", detachMin-30+rng.IntN(60)))
			}
		}
		if round%4 == 1 {
			b.WriteString("data: " + strings.Repeat("t", detachMin) + "\nid: cut") // unterminated
		}
		in := []byte(b.String())
		want := refParse(in)
		for name, wrap := range map[string]func(io.Reader) io.Reader{
			"whole": func(r io.Reader) io.Reader { return r },
			"4k":    func(r io.Reader) io.Reader { return &chunkReader{r: r, n: 4 << 10} },
			"97":    func(r io.Reader) io.Reader { return &chunkReader{r: r, n: 97} },
		} {
			got := readAll(t, wrap(bytes.NewReader(in)), 0)
			if !sameResult(got, want) {
				for i := range min(len(got.events), len(want.events)) {
					if g, w := got.events[i], want.events[i]; g != w {
						t.Errorf("event %d: %q %d bytes %q; reference %q %d bytes %q", i, g.Name, len(g.Data), g.ID, w.Name, len(w.Data), w.ID)
					}
				}
				t.Fatalf("round %d %s: %d events, err %v, last id %q, retry %v; reference %d events, last id %q, retry %v",
					round, name, len(got.events), got.err, got.lastID, got.retry, len(want.events), want.lastID, want.retry)
			}
		}
	}
}

// TestStandInDataNotCopied: the data of a block handed to r3labs as a
// stand-in is read once, into the buffer that becomes the event's data.
func TestStandInDataNotCopied(t *testing.T) {
	payload := strings.Repeat("x", 4*detachMin)
	in := "event: values\ndata: " + payload + "\nid: 1\n\ndata: small\n\n"
	rd := NewReader(&chunkReader{r: strings.NewReader(in), n: 16 << 10}, 0)
	ev, err := rd.Next()
	if err != nil || string(ev.Data) != payload || ev.Name != "values" || ev.ID != "1" {
		t.Fatalf("Next = %q %d bytes %q, %v", ev.Name, len(ev.Data), ev.ID, err)
	}
	if cap(ev.Data) != len(ev.Data) {
		t.Errorf("data cap %d != len %d: an append would write into the reader's buffer", cap(ev.Data), len(ev.Data))
	}
	next, err := rd.Next()
	if err != nil || string(next.Data) != "small" {
		t.Fatalf("second event: %q, %v", next.Data, err)
	}
	if string(ev.Data) != payload {
		t.Fatal("the first event's data changed after the next read")
	}
}
