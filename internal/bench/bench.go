// Package bench measures the SDK's stream and search paths against
// baselines that handle the same recorded bytes: "raw" scans the SSE lines
// without decoding, "json" also decodes every event's data with
// encoding/json into any (the least a typed SDK pays). The bytes are built
// from answers recorded from the real LangGraph server (testdata/wire) and
// served from memory in reads of 16 KiB, like a socket, so that only the
// client's work is measured.
//
// The benchmarks run with go test -bench (bench_test.go); make bench runs
// internal/cmd/benchreport, which prints the SDK's time as a ratio of the
// baselines' and its allocations per event.
package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

// Scenario is a workload: a stream to read, or a search answer to fetch.
type Scenario struct {
	// Name identifies it: tokens, mixed, values100k, values5m, search.
	Name string
	// About says what it is.
	About string
	// Events is the number of events of the stream (or requests, for a
	// search) per operation.
	Events int
	// Body is the answer served for each operation.
	Body []byte
	// Search is true for a search answer (JSON), false for a stream (SSE).
	Search bool
	// Modes are the stream modes the SDK asks for.
	Modes []langgraph.StreamMode
	// Want is the number of threads a search answers.
	Want int
}

// recorded returns the data lines of the events of one kind in a recorded
// stream of testdata/wire.
func recorded(file, kind string) [][]byte {
	raw, err := os.ReadFile(filepath.Join(wireDir(), file))
	if err != nil {
		panic(err)
	}
	var out [][]byte
	var name string
	for _, line := range bytes.Split(raw, []byte("\n")) {
		switch {
		case bytes.HasPrefix(line, []byte("event: ")):
			name = string(line[len("event: "):])
		case bytes.HasPrefix(line, []byte("data: ")) && name == kind:
			out = append(out, bytes.Clone(line[len("data: "):]))
		}
	}
	if len(out) == 0 {
		panic(fmt.Sprintf("bench: no %q event in %s", kind, file))
	}
	return out
}

func wireDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "wire")
}

// stream frames events as the JS server does: a metadata event first, then
// "event:", "data:" and "id:" lines and a blank line per event.
type stream struct {
	bytes.Buffer
	id int
}

func newStream() *stream {
	s := &stream{}
	s.event("metadata", []byte(`{"run_id":"01a22637-48bc-72bc-8508-49c1ee79be5b","attempt":1}`))
	return s
}

func (s *stream) event(name string, data []byte) {
	s.WriteString("event: ")
	s.WriteString(name)
	s.WriteString("\ndata: ")
	s.Write(data)
	s.WriteString("\nid: ")
	s.WriteString(strconv.Itoa(s.id))
	s.WriteString("\n\n")
	s.id++
}

// token returns the recorded token chunk with its content replaced by a
// word of the i-th token.
func token(tmpl []byte, i int) []byte {
	words := []string{" the", " graph", " streams", " tokens", ",", " and", " a", " node", " answers", ".", `\n`, " résumé"}
	const key = `"content":"`
	at := bytes.Index(tmpl, []byte(key)) + len(key)
	end := at + bytes.IndexByte(tmpl[at:], '"')
	out := make([]byte, 0, len(tmpl)+8)
	out = append(out, tmpl[:at]...)
	out = append(out, words[i%len(words)]...)
	return append(out, tmpl[end:]...)
}

// values returns a recorded values event grown to about size bytes: its
// messages list repeated.
func values(tmpl []byte, size int) []byte {
	var state struct {
		Messages []json.RawMessage `json:"messages"`
	}
	if err := json.Unmarshal(tmpl, &state); err != nil || len(state.Messages) == 0 {
		panic(fmt.Sprintf("bench: values template: %v", err))
	}
	var b bytes.Buffer
	b.WriteString(`{"messages":[`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(state.Messages[i%len(state.Messages)])
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// Scenarios returns the workloads, built from the recordings; with small,
// a few events of each, to check that they run.
func Scenarios(small bool) []Scenario {
	n := func(full, few int) int {
		if small {
			return few
		}
		return full
	}
	tok := recorded("stream.agent.sse", "messages")[0]
	upd := recorded("stream.agent.sse", "updates")[0]
	val := recorded("stream.agent.sse", "values")
	last := val[len(val)-1]

	tokens := newStream()
	for i := range n(20000, 50) {
		tokens.event("messages", token(tok, i))
	}
	mixed := newStream()
	v20 := values(last, 20<<10)
	for i := range n(2000, 20) {
		switch i % 10 {
		case 8:
			mixed.event("updates", upd)
		case 9:
			mixed.event("values", v20)
		default:
			mixed.event("messages", token(tok, i))
		}
	}
	v100 := newStream()
	big := values(last, 100<<10)
	for range n(100, 2) {
		v100.event("values", big)
	}
	v5m := newStream()
	huge := values(last, n(5<<20, 300<<10))
	for range n(4, 1) {
		v5m.event("values", huge)
	}
	search, err := os.ReadFile(filepath.Join(wireDir(), "threads.search.json"))
	if err != nil {
		panic(err)
	}
	var threads []json.RawMessage
	if err := json.Unmarshal(search, &threads); err != nil || len(threads) == 0 {
		panic(fmt.Sprintf("bench: search recording: %v", err))
	}
	var fifty bytes.Buffer
	fifty.WriteByte('[')
	for i := range 50 {
		if i > 0 {
			fifty.WriteByte(',')
		}
		var compact bytes.Buffer
		_ = json.Compact(&compact, threads[i%len(threads)])
		fifty.Write(compact.Bytes())
	}
	fifty.WriteByte(']')

	var one bytes.Buffer
	one.WriteByte('[')
	_ = json.Compact(&one, threads[0])
	one.WriteByte(']')

	mt := []langgraph.StreamMode{langgraph.StreamMessagesTuple}
	return []Scenario{
		{Name: "tokens", About: "20k messages-tuple token chunks (recorded, ~1 KB each), MessageChunk + Text", Events: tokens.id, Body: tokens.Bytes(), Modes: mt},
		{Name: "mixed", About: "2k events: 8 token chunks : 1 updates : 1 values (20 KB)", Events: mixed.id, Body: mixed.Bytes(),
			Modes: []langgraph.StreamMode{langgraph.StreamMessagesTuple, langgraph.StreamUpdates, langgraph.StreamValues}},
		{Name: "values100k", About: "100 values events of ~100 KB, Values + json.Unmarshal into map", Events: v100.id, Body: v100.Bytes(), Modes: []langgraph.StreamMode{langgraph.StreamValues}},
		{Name: "values5m", About: "4 values events of ~5 MB, Values + json.Unmarshal into map", Events: v5m.id, Body: v5m.Bytes(), Modes: []langgraph.StreamMode{langgraph.StreamValues}},
		{Name: "search", About: "Threads.Search answering 50 threads (recorded, ~" + strconv.Itoa(fifty.Len()>>10) + " KB)", Events: 1, Body: fifty.Bytes(), Search: true, Want: 50},
		{Name: "search1", About: "Threads.Search answering 1 thread: the cost of a request", Events: 1, Body: one.Bytes(), Search: true, Want: 1},
	}
}

// memoryTransport answers every request with body, in reads of 16 KiB.
type memoryTransport struct {
	body  []byte
	ctype string
}

func (t memoryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	h := http.Header{"Content-Type": {t.ctype}}
	if t.ctype == "text/event-stream" {
		h.Set("Content-Location", "/threads/t1/runs/01a22637-48bc-72bc-8508-49c1ee79be5b")
	}
	return &http.Response{StatusCode: http.StatusOK, Header: h, Body: &socket{r: bytes.NewReader(t.body)},
		ContentLength: -1, Request: r}, nil
}

// socket reads at most 16 KiB at a time, as a TCP connection does.
type socket struct{ r *bytes.Reader }

func (s *socket) Read(p []byte) (int, error) {
	if len(p) > 16<<10 {
		p = p[:16<<10]
	}
	return s.r.Read(p)
}

func (s *socket) Close() error { return nil }

func (sc Scenario) transport() memoryTransport {
	if sc.Search {
		return memoryTransport{body: sc.Body, ctype: "application/json"}
	}
	return memoryTransport{body: sc.Body, ctype: "text/event-stream"}
}

// SDK runs the scenario through the SDK, decoding every part as an
// application does.
func SDK(sc Scenario) func(b *testing.B) {
	return func(b *testing.B) {
		c, err := sc.client()
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(sc.Body)))
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if err := sc.SDKOnce(c); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*sc.Events), "ns/event")
	}
}

func (sc Scenario) client() (*client.Client, error) {
	return client.New(langgraph.WithBaseURL("http://bench.invalid"), langgraph.WithoutAPIKey(),
		langgraph.WithHTTPClient(&http.Client{Transport: sc.transport()}))
}

// SDKOnce runs the scenario once through c.
func (sc Scenario) SDKOnce(c *client.Client) error {
	ctx := context.Background()
	if sc.Search {
		ts, err := c.Threads.Search(ctx, threads.SearchParams{Limit: sc.Want})
		if err != nil || len(ts) != sc.Want {
			return fmt.Errorf("search: %d threads, %v", len(ts), err)
		}
		return nil
	}
	n := 0
	var p runs.StreamParams
	p.StreamMode = sc.Modes
	for part, err := range c.Runs.Stream(ctx, "t1", "agent", p) {
		if err != nil {
			return err
		}
		if err := use(part); err != nil {
			return err
		}
		n++
	}
	if n != sc.Events {
		return fmt.Errorf("%d events, want %d", n, sc.Events)
	}
	return nil
}

// use decodes a part as an application would.
func use(part langgraph.StreamPart) error {
	switch part.Kind {
	case langgraph.EventMessages:
		m, md, err := part.MessageChunk()
		if err != nil {
			return err
		}
		if m.Text() == "" || md.Node == "" {
			return fmt.Errorf("empty chunk %s", part.Data)
		}
	case langgraph.EventValues:
		raw, _, err := part.Values()
		if err != nil {
			return err
		}
		var state map[string]any
		return json.Unmarshal(raw, &state)
	case langgraph.EventUpdates:
		ups, _, err := part.Updates()
		if err != nil {
			return err
		}
		for _, u := range ups {
			var v any
			if err := json.Unmarshal(u.Update, &v); err != nil {
				return err
			}
		}
	case langgraph.EventMetadata:
		_, err := part.Metadata()
		return err
	}
	return nil
}

// Baseline reads the scenario with net/http and a line scan; with decode,
// it also decodes every event's data (or the search answer) into any.
func Baseline(sc Scenario, decode bool) func(b *testing.B) {
	return func(b *testing.B) {
		hc := &http.Client{Transport: sc.transport()}
		b.SetBytes(int64(len(sc.Body)))
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if err := sc.BaselineOnce(hc, decode); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*sc.Events), "ns/event")
	}
}

// BaselineOnce runs the scenario once with hc and a line scan, decoding
// into any when decode is set.
func (sc Scenario) BaselineOnce(hc *http.Client, decode bool) error {
	method, path := http.MethodPost, "http://bench.invalid/threads/t1/runs/stream"
	if sc.Search {
		path = "http://bench.invalid/threads/search"
	}
	req, _ := http.NewRequestWithContext(context.Background(), method, path, strings.NewReader(`{"assistant_id":"agent"}`))
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if sc.Search {
		data, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if decode {
			var v []map[string]any
			if err := json.Unmarshal(data, &v); err != nil || len(v) != sc.Want {
				return fmt.Errorf("search: %d threads, %v", len(v), err)
			}
		}
		return nil
	}
	n := 0
	br := bufio.NewReaderSize(resp.Body, 64<<10)
	var data []byte
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			data = append(data[:0], line...)
			for err == bufio.ErrBufferFull {
				line, err = br.ReadSlice('\n')
				data = append(data, line...)
			}
			line = data
		}
		if err != nil {
			break
		}
		switch {
		case len(line) == 1:
			n++
		case bytes.HasPrefix(line, []byte("data: ")) && decode:
			var v any
			if err := json.Unmarshal(line[len("data: "):], &v); err != nil {
				return err
			}
		}
	}
	if n != sc.Events {
		return fmt.Errorf("%d events, want %d", n, sc.Events)
	}
	return nil
}
