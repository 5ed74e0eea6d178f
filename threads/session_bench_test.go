package threads_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

const benchSteps = 500

// Events per second through a session, and through Runs.Stream on the same
// graph (the slow graph without delay: one custom event per step, plus the
// run's other events), against the test server.
func BenchmarkSessionEvents(b *testing.B) {
	for _, tr := range bothTransports {
		b.Run(tr.String(), func(b *testing.B) {
			ctx, c := benchSetup(b)
			sess, err := c.Threads.Session(ctx, "", "slow", threads.SessionParams{Transport: tr})
			if err != nil {
				b.Fatal(err)
			}
			defer sess.Close()
			n := 0
			start := time.Now()
			for b.Loop() {
				run, err := sess.Start(ctx, threads.RunInput{Input: map[string]any{"steps": benchSteps, "delay_ms": 0}})
				if err != nil {
					b.Fatal(err)
				}
				for _, err := range run.Events(ctx) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "events/s")
		})
	}
}

func BenchmarkRunsStreamEvents(b *testing.B) {
	ctx, c := benchSetup(b)
	th, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		b.Fatal(err)
	}
	var p runs.StreamParams
	p.Input = map[string]any{"steps": benchSteps, "delay_ms": 0}
	p.StreamMode = []runs.StreamMode{runs.StreamValues, runs.StreamUpdates, runs.StreamCustom, runs.StreamTasks, runs.StreamCheckpoints}
	n := 0
	start := time.Now()
	for b.Loop() {
		for _, err := range c.Runs.Stream(ctx, th.ThreadID, "slow", p) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "events/s")
}

func benchSetup(b *testing.B) (context.Context, *client.Client) {
	b.Helper()
	if srv == nil {
		b.Skip("no test server (-short)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	b.Cleanup(cancel)
	c, err := client.New(langgraph.WithBaseURL(srv.URL()), langgraph.WithoutAPIKey(), langgraph.WithBearerToken(testserver.TokenAlice))
	if err != nil {
		b.Fatal(err)
	}
	return ctx, c
}

// The client's own capacity: the same events served at once by a fake
// server, through a session (SSE) and through Runs.Stream.
func BenchmarkClientDispatch(b *testing.B) {
	const n = 2000
	custom := `{"payload":{"step":1,"text":"` + strings.Repeat("x", 100) + `"}}`
	b.Run("session-sse", func(b *testing.B) {
		starts := make(chan struct{}, 1)
		var seq atomic.Int64
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/commands") {
				body, _ := io.ReadAll(r.Body)
				w.Header().Set("Content-Type", "application/json")
				id := strings.TrimSuffix(strings.SplitN(string(body), ",", 2)[0][6:], "")
				if strings.Contains(string(body), "run.start") {
					fmt.Fprintf(w, `{"type":"success","id":%s,"result":{"run_id":"r"},"meta":{"thread_id":"t","applied_through_seq":%d}}`, id, seq.Load())
					starts <- struct{}{}
					return
				}
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/event-stream")
			w.(http.Flusher).Flush()
			bw := bufio.NewWriterSize(w, 64<<10)
			event := func(method, data string) {
				s := seq.Add(1)
				fmt.Fprintf(bw, "event: %s\ndata: {\"type\":\"event\",\"event_id\":\"%d\",\"seq\":%d,\"method\":\"%s\",\"params\":{\"namespace\":[],\"timestamp\":1,\"data\":%s}}\nid: %d\n\n", method, s, s, method, data, s)
			}
			for {
				select {
				case <-r.Context().Done():
					return
				case <-starts:
				}
				event("lifecycle", `{"event":"running","graph_name":"g"}`)
				for range n {
					event("custom", custom)
				}
				event("lifecycle", `{"event":"completed","graph_name":"g"}`)
				bw.Flush()
				w.(http.Flusher).Flush()
			}
		}))
		defer ts.Close()
		c, err := client.New(langgraph.WithBaseURL(ts.URL), langgraph.WithoutAPIKey())
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		sess, err := c.Threads.Session(ctx, "", "g", threads.SessionParams{})
		if err != nil {
			b.Fatal(err)
		}
		defer sess.Close()
		events := 0
		start := time.Now()
		for b.Loop() {
			run, err := sess.Start(ctx, threads.RunInput{})
			if err != nil {
				b.Fatal(err)
			}
			for _, err := range run.Events(ctx) {
				if err != nil {
					b.Fatal(err)
				}
				events++
			}
		}
		b.ReportMetric(float64(events)/time.Since(start).Seconds(), "events/s")
	})
	b.Run("runs-stream", func(b *testing.B) {
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			bw := bufio.NewWriterSize(w, 64<<10)
			fmt.Fprint(bw, "event: metadata\ndata: {\"run_id\":\"r\",\"attempt\":1}\nid: 0\n\n")
			for i := range n {
				fmt.Fprintf(bw, "event: custom\ndata: %s\nid: %d\n\n", custom, i+1)
			}
			bw.Flush()
		}))
		defer ts.Close()
		c, err := client.New(langgraph.WithBaseURL(ts.URL), langgraph.WithoutAPIKey())
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		var p runs.StreamParams
		p.StreamMode = []runs.StreamMode{runs.StreamCustom}
		p.Reconnect.MaxAttempts = -1
		events := 0
		start := time.Now()
		for b.Loop() {
			for _, err := range c.Runs.Stream(ctx, "t", "g", p) {
				if err != nil {
					b.Fatal(err)
				}
				events++
			}
		}
		b.ReportMetric(float64(events)/time.Since(start).Seconds(), "events/s")
	})
}
