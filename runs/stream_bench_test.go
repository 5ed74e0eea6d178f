package runs_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"

	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/runs"
)

// BenchmarkStreamEndToEnd streams a recorded run (testdata/agent.sse: 78
// events of the agent graph in six modes, 76 KB), repeated 1 or 50 times,
// with ReconnectPolicy.IdleTimeout off or on (-idle), from a local HTTP server through client.Runs.Stream: request, framing,
// parsing and yielding each part. Allocations include the in-process
// server's.
//
//	go test -short -run '^$' -bench StreamEndToEnd ./runs/
func BenchmarkStreamEndToEnd(b *testing.B) {
	rec, err := os.ReadFile("testdata/agent.sse")
	if err != nil {
		b.Fatal(err)
	}
	const perRecording = 78
	for _, bc := range []struct {
		name string
		reps int
		idle time.Duration
	}{{"run", 1, 0}, {"x50", 50, 0}, {"run-idle", 1, time.Minute}, {"x50-idle", 50, time.Minute}} {
		b.Run(bc.name, func(b *testing.B) {
			body := bytes.Repeat(rec, bc.reps)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				w.Write(body)
			}))
			defer srv.Close()
			c, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithoutAPIKey(), langgraph.WithBearerToken("bench"))
			if err != nil {
				b.Fatal(err)
			}
			p := runs.StreamParams{AllEvents: true, Reconnect: langgraph.ReconnectPolicy{IdleTimeout: bc.idle}}
			p.Input = map[string]any{"messages": []map[string]any{{"role": "human", "content": "hi"}}}
			ctx := context.Background()
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			events := 0
			for b.Loop() {
				for _, err := range c.Runs.Stream(ctx, "01a21b18-0000-7000-8000-000000000001", "agent", p) {
					if err != nil {
						b.Fatal(err)
					}
					events++
				}
			}
			runtime.ReadMemStats(&ms1)
			if events != perRecording*bc.reps*b.N {
				b.Fatalf("%d events, want %d", events, perRecording*bc.reps*b.N)
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(events), "allocs/event")
		})
	}
}

// tokenStream is the body of a run's stream of n LLM tokens in mode
// messages-tuple: the metadata event, then one "messages" event per token
// (each the agent recording's first token event, about 1 KB), then a values
// event.
func tokenStream(b *testing.B, n int) []byte {
	rec, err := os.ReadFile("testdata/agent.sse")
	if err != nil {
		b.Fatal(err)
	}
	var token []byte
	for block := range bytes.SplitSeq(rec, []byte("\n\n")) {
		if bytes.HasPrefix(block, []byte("event: messages\n")) {
			token = block[:bytes.LastIndex(block, []byte("\nid: "))]
			break
		}
	}
	var body bytes.Buffer
	body.WriteString("event: metadata\ndata: {\"run_id\":\"01a21b14-016d-70bb-bc93-bb463054da4c\",\"attempt\":1}\nid: 0\n\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&body, "%s\nid: %d\n\n", token, i)
	}
	fmt.Fprintf(&body, "event: values\ndata: {\"messages\":[]}\nid: %d\n\n", n+1)
	return body.Bytes()
}

// BenchmarkTokenStreamObserver streams one run of 500 tokens (mode
// messages-tuple) from a local HTTP server through client.Runs.Stream, with
// no observer ("off") and with an observer whose every hook is set ("on"):
// what watching a stream costs, beyond what the observer itself does. The
// "interleaved" sub-benchmark streams one run each way per iteration, so
// that both see the same machine load, and reports their times per run and
// the ratio on/off.
//
//	go test -short -run '^$' -bench TokenStreamObserver -count 5 ./runs/
func BenchmarkTokenStreamObserver(b *testing.B) {
	const tokens = 500
	body := tokenStream(b, tokens)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Content-Location", "/threads/01a21b18-0000-7000-8000-000000000001/runs/01a21b14-016d-70bb-bc93-bb463054da4c")
		w.Write(body)
	}))
	defer srv.Close()
	var counted atomic.Int64
	hooks := &langgraph.CallHooks{
		Attempt:    func(langgraph.Attempt) {},
		RunCreated: func(langgraph.RunRef) {},
		Event:      func(langgraph.StreamPart) { counted.Add(1) },
		Reconnect:  func(langgraph.Reconnect) {},
		End:        func(langgraph.CallEnd) {},
	}
	noop := langgraph.ObserverFunc(func(ctx context.Context, _ langgraph.CallInfo) (context.Context, *langgraph.CallHooks) {
		return ctx, hooks
	})
	newClient := func(b *testing.B, opts ...langgraph.Option) *client.Client {
		c, err := client.New(append([]langgraph.Option{langgraph.WithBaseURL(srv.URL), langgraph.WithoutAPIKey(), langgraph.WithBearerToken("bench")}, opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	p := runs.StreamParams{}
	p.Input = map[string]any{"messages": []map[string]any{{"role": "human", "content": "hi"}}}
	p.StreamMode = []runs.StreamMode{runs.StreamMessagesTuple}
	ctx := context.Background()
	run := func(b *testing.B, c *client.Client) {
		events := 0
		for _, err := range c.Runs.Stream(ctx, "01a21b18-0000-7000-8000-000000000001", "agent", p) {
			if err != nil {
				b.Fatal(err)
			}
			events++
		}
		if events != tokens+1 { // the values event is dropped
			b.Fatalf("%d events, want %d", events, tokens+1)
		}
	}
	for _, bc := range []struct {
		name string
		opts []langgraph.Option
	}{{"off", nil}, {"on", []langgraph.Option{langgraph.WithObserver(noop)}}} {
		b.Run(bc.name, func(b *testing.B) {
			c := newClient(b, bc.opts...)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				run(b, c)
			}
			b.ReportMetric(float64((tokens+1)*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
	b.Run("interleaved", func(b *testing.B) {
		off, on := newClient(b), newClient(b, langgraph.WithObserver(noop))
		var tOff, tOn time.Duration
		for b.Loop() {
			t0 := time.Now()
			run(b, off)
			t1 := time.Now()
			run(b, on)
			tOff, tOn = tOff+t1.Sub(t0), tOn+time.Since(t1)
		}
		b.ReportMetric(float64(tOff.Microseconds())/float64(b.N), "off-µs/run")
		b.ReportMetric(float64(tOn.Microseconds())/float64(b.N), "on-µs/run")
		b.ReportMetric(float64(tOn)/float64(tOff), "on/off")
	})
}
