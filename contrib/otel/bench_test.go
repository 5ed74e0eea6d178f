package otel_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	lgotel "github.com/langgraph-go/langgraph/contrib/otel"
	"github.com/langgraph-go/langgraph/runs"
)

// BenchmarkTokenStream streams one run of 500 tokens (mode
// messages-tuple, about 1 KB per event) from a local HTTP server, without
// instrumentation ("off") and with Instrument on the OpenTelemetry SDK
// (spans recorded and dropped, metrics to a manual reader: "otel");
// "interleaved" streams one run each way per iteration and reports the
// ratio otel/off.
//
//	cd contrib/otel && go test -short -run '^$' -bench TokenStream -count 5 .
func BenchmarkTokenStream(b *testing.B) {
	const tokens = 500
	token := `[{"content":"x","tool_calls":[],"invalid_tool_calls":[],"tool_call_chunks":[],"additional_kwargs":{},"response_metadata":{},"id":"run-01a21b14-016d-70bb-bc93-bb463054da4c","type":"AIMessageChunk"},{"langgraph_step":1,"langgraph_node":"agent","langgraph_triggers":["branch:to:agent"],"langgraph_path":["__pregel_pull","agent"],"langgraph_checkpoint_ns":"agent:ec3d6ab5-7f37-5c80-bb81-f1ecc5cd4df8","checkpoint_ns":"agent:ec3d6ab5-7f37-5c80-bb81-f1ecc5cd4df8","ls_provider":"fake","ls_model_type":"chat"}]`
	var body strings.Builder
	body.WriteString("event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\n")
	for i := 1; i <= tokens; i++ {
		fmt.Fprintf(&body, "event: messages\ndata: %s\nid: %d\n\n", token, i)
	}
	data := body.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("Content-Location", "/threads/t1/runs/r1")
		_, _ = w.Write([]byte(data))
	}))
	defer srv.Close()
	tp := sdktrace.NewTracerProvider() // spans recorded, then dropped at End
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	defer tp.Shutdown(context.Background())
	defer mp.Shutdown(context.Background())
	newClient := func(b *testing.B, opts ...langgraph.Option) *client.Client {
		c, err := client.New(append([]langgraph.Option{langgraph.WithBaseURL(srv.URL), langgraph.WithoutAPIKey(), langgraph.WithBearerToken("bench")}, opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	instrumented := lgotel.Instrument(lgotel.WithTracerProvider(tp), lgotel.WithMeterProvider(mp), lgotel.WithPropagator(propagation.TraceContext{}))
	p := runs.StreamParams{}
	p.StreamMode = []runs.StreamMode{runs.StreamMessagesTuple}
	run := func(b *testing.B, c *client.Client) {
		n := 0
		for _, err := range c.Runs.Stream(context.Background(), "t1", "agent", p) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != tokens+1 {
			b.Fatalf("%d events", n)
		}
	}
	for _, bc := range []struct {
		name string
		opts []langgraph.Option
	}{{"off", nil}, {"otel", []langgraph.Option{instrumented}}} {
		b.Run(bc.name, func(b *testing.B) {
			c := newClient(b, bc.opts...)
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				run(b, c)
			}
		})
	}
	b.Run("interleaved", func(b *testing.B) {
		off, on := newClient(b), newClient(b, instrumented)
		var tOff, tOn time.Duration
		for b.Loop() {
			t0 := time.Now()
			run(b, off)
			t1 := time.Now()
			run(b, on)
			tOff, tOn = tOff+t1.Sub(t0), tOn+time.Since(t1)
		}
		b.ReportMetric(float64(tOff.Microseconds())/float64(b.N), "off-µs/run")
		b.ReportMetric(float64(tOn.Microseconds())/float64(b.N), "otel-µs/run")
		b.ReportMetric(float64(tOn)/float64(tOff), "otel/off")
	})
}
