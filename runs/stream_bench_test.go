package runs_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
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
