package otel_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.uber.org/goleak"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	lgotel "github.com/langgraph-go/langgraph/contrib/otel"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/runs"
)

// srv is the LangGraph test server; nil with -short.
var srv *testserver.Server

func TestMain(m *testing.M) { os.Exit(testserver.Main(m, &srv)) }

// telemetry is an in-memory tracer provider (tracetest.SpanRecorder) and
// meter provider (a manual reader).
type telemetry struct {
	rec    *tracetest.SpanRecorder
	tp     *sdktrace.TracerProvider
	reader *sdkmetric.ManualReader
	mp     *sdkmetric.MeterProvider
}

func newTelemetry(t *testing.T) *telemetry {
	rec := tracetest.NewSpanRecorder()
	reader := sdkmetric.NewManualReader()
	tel := &telemetry{rec: rec, tp: sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec)), reader: reader,
		mp: sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))}
	t.Cleanup(func() {
		_ = tel.tp.Shutdown(context.Background())
		_ = tel.mp.Shutdown(context.Background())
	})
	return tel
}

func (tel *telemetry) options() []lgotel.Option {
	return []lgotel.Option{lgotel.WithTracerProvider(tel.tp), lgotel.WithMeterProvider(tel.mp), lgotel.WithPropagator(propagation.TraceContext{})}
}

func (tel *telemetry) instrument() langgraph.Option { return lgotel.Instrument(tel.options()...) }

// spans returns the ended spans of the SDK's scope.
func (tel *telemetry) spans() []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range tel.rec.Ended() {
		if s.InstrumentationScope().Name == lgotel.ScopeName {
			out = append(out, s)
		}
	}
	return out
}

// metrics collects the metrics, by name.
func (tel *telemetry) metrics(t *testing.T) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := tel.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

// sum adds the data points of a counter whose attributes include match.
func sum(t *testing.T, m metricdata.Metrics, match ...attribute.KeyValue) int64 {
	t.Helper()
	d, ok := m.Data.(metricdata.Sum[int64])
	if !ok {
		t.Fatalf("%s is not an int64 sum: %T", m.Name, m.Data)
	}
	var n int64
	for _, dp := range d.DataPoints {
		if hasAll(dp.Attributes, match) {
			n += dp.Value
		}
	}
	return n
}

// count adds the counts of a histogram's data points whose attributes
// include match.
func count(t *testing.T, m metricdata.Metrics, match ...attribute.KeyValue) uint64 {
	t.Helper()
	d, ok := m.Data.(metricdata.Histogram[float64])
	if !ok {
		t.Fatalf("%s is not a float64 histogram: %T", m.Name, m.Data)
	}
	var n uint64
	for _, dp := range d.DataPoints {
		if hasAll(dp.Attributes, match) {
			n += dp.Count
		}
	}
	return n
}

func hasAll(set attribute.Set, match []attribute.KeyValue) bool {
	for _, kv := range match {
		if v, ok := set.Value(kv.Key); !ok || v != kv.Value {
			return false
		}
	}
	return true
}

func attrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	out := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		out[kv.Key] = kv.Value
	}
	return out
}

func eventsNamed(s sdktrace.ReadOnlySpan, name string) []sdktrace.Event {
	var out []sdktrace.Event
	for _, e := range s.Events() {
		if e.Name == name {
			out = append(out, e)
		}
	}
	return out
}

func eventAttr(e sdktrace.Event, key attribute.Key) attribute.Value {
	for _, kv := range e.Attributes {
		if kv.Key == key {
			return kv.Value
		}
	}
	return attribute.Value{}
}

// wantAttrs checks span attributes, by the string form of their values.
func wantAttrs(t *testing.T, s sdktrace.ReadOnlySpan, want map[string]string) {
	t.Helper()
	got := attrs(s)
	for k, v := range want {
		if g, ok := got[attribute.Key(k)]; !ok || g.String() != v {
			t.Errorf("span %q: %s = %q, want %q", s.Name(), k, g.String(), v)
		}
	}
}

// noSecrets fails the test if a secret appears in any span (name,
// attributes, events, status) or metric attribute.
func noSecrets(t *testing.T, tel *telemetry, secrets ...string) {
	t.Helper()
	var b strings.Builder
	for _, s := range tel.rec.Ended() {
		fmt.Fprintf(&b, "%s %v %s\n", s.Name(), s.Attributes(), s.Status().Description)
		for _, e := range s.Events() {
			fmt.Fprintf(&b, "%s %v\n", e.Name, e.Attributes)
		}
	}
	var rm metricdata.ResourceMetrics
	_ = tel.reader.Collect(context.Background(), &rm)
	fmt.Fprintf(&b, "%+v", rm)
	for _, secret := range secrets {
		if strings.Contains(b.String(), secret) {
			t.Errorf("telemetry holds the secret %q", secret)
		}
	}
}

func noLeaks(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

// traceparents lists the traceparent header of each request f received.
func traceparents(f *fake.Server) []string {
	var out []string
	for _, r := range f.Requests() {
		out = append(out, r.Header.Get("Traceparent"))
	}
	return out
}

const (
	secretToken = "tok-secret-123"
	secretKey   = "key-secret-456"
)

func fakeClient(t *testing.T, base string, opts ...langgraph.Option) *client.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	c, err := client.New(append([]langgraph.Option{langgraph.WithBaseURL(base), langgraph.WithAPIKey(secretKey),
		langgraph.WithBearerToken(secretToken), langgraph.WithHTTPClient(&http.Client{Transport: tr}),
		langgraph.WithRetryWait(time.Millisecond, 2*time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func traceparent(sc trace.SpanContext) string {
	return fmt.Sprintf("00-%s-%s-%s", sc.TraceID(), sc.SpanID(), sc.TraceFlags())
}

// TestOneSpanPerCall: a read retried twice is one client span with its
// retries, and each attempt carries that span as its W3C parent.
func TestOneSpanPerCall(t *testing.T) {
	noLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n < 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("X-Request-Id", "req-1")
		_, _ = io.WriteString(w, `{"thread_id":"t1","status":"idle"}`)
	})
	tel := newTelemetry(t)
	c := fakeClient(t, f.URL(), tel.instrument())
	if _, err := c.Threads.Get(context.Background(), "t1"); err != nil {
		t.Fatal(err)
	}
	spans := tel.spans()
	if len(spans) != 1 {
		t.Fatalf("%d spans, want 1", len(spans))
	}
	s := spans[0]
	if s.Name() != "GET /threads/{thread_id}" || s.SpanKind() != trace.SpanKindClient || s.Status().Code != codes.Unset {
		t.Errorf("span %q kind %v status %v", s.Name(), s.SpanKind(), s.Status())
	}
	wantAttrs(t, s, map[string]string{
		"http.request.method": "GET", "url.template": "/threads/{thread_id}", "server.address": "127.0.0.1",
		"http.response.status_code": "200", "http.request.resend_count": "2", "langgraph.call.attempts": "3",
		"http.response.header.x-request-id": `["req-1"]`, "langgraph.thread.id": "t1",
	})
	if _, ok := attrs(s)["server.port"]; !ok {
		t.Error("no server.port")
	}
	if ev := eventsNamed(s, lgotel.RetryEvent); len(ev) != 2 || eventAttr(ev[0], "http.response.status_code").AsInt64() != 503 {
		t.Errorf("retry events: %+v", ev)
	}
	for i, p := range traceparents(f) {
		if p != traceparent(s.SpanContext()) {
			t.Errorf("attempt %d: traceparent %q, want the call's %q", i+1, p, traceparent(s.SpanContext()))
		}
	}

	m := tel.metrics(t)
	if n := count(t, m["langgraph.client.call.duration"], attribute.Int("http.response.status_code", 200), attribute.String("url.template", "/threads/{thread_id}")); n != 1 {
		t.Errorf("duration: %d calls recorded", n)
	}
	if n := sum(t, m["langgraph.client.call.attempts"]); n != 3 {
		t.Errorf("attempts: %d", n)
	}
	if n := sum(t, m["langgraph.client.call.attempts"], attribute.Bool("langgraph.retry", true), attribute.String("error.type", "503")); n != 2 {
		t.Errorf("retried attempts: %d", n)
	}
	noSecrets(t, tel, secretToken, secretKey)
}

// TestFailedCall: a 404 marks the span and counts an error.
func TestFailedCall(t *testing.T) {
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	tel := newTelemetry(t)
	c := fakeClient(t, f.URL(), tel.instrument())
	_, err := c.Assistants.Get(context.Background(), "a1")
	if !errors.Is(err, langgraph.ErrNotFound) {
		t.Fatal(err)
	}
	s := tel.spans()[0]
	if s.Status().Code != codes.Error {
		t.Errorf("status %v", s.Status())
	}
	wantAttrs(t, s, map[string]string{"error.type": "404", "http.response.status_code": "404", "langgraph.assistant.id": "a1"})
	if n := sum(t, tel.metrics(t)["langgraph.client.call.errors"], attribute.String("error.type", "404")); n != 1 {
		t.Errorf("errors: %d", n)
	}
}

// TestStreamCutTwice: a run's stream cut twice (a server that names a
// Location and ends with an "end" event, as the Python server does) is one
// invoke_agent span with two reconnect events and every event counted once.
func TestStreamCutTwice(t *testing.T) {
	noLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		switch n {
		case 0:
			w.Header().Set("Location", "/threads/t1/runs/r1/stream")
			w.Header().Set("Content-Location", "/threads/t1/runs/r1")
			_, _ = io.WriteString(w, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\nevent: messages\ndata: [\"a\",{}]\nid: 1\n\n")
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		case 1:
			_, _ = io.WriteString(w, "event: messages\ndata: [\"a\",{}]\nid: 1\n\nevent: messages\ndata: [\"b\",{}]\nid: 2\n\n")
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		default:
			_, _ = io.WriteString(w, "event: values\ndata: {}\nid: 3\n\nevent: end\ndata: null\nid: 4\n\n")
		}
	})
	tel := newTelemetry(t)
	c := fakeClient(t, f.URL(), tel.instrument())
	p := runs.StreamParams{Reconnect: langgraph.ReconnectPolicy{MinWait: time.Millisecond, MaxWait: time.Millisecond}}
	p.StreamMode = []runs.StreamMode{runs.StreamMessagesTuple}
	got := 0
	for _, err := range c.Runs.Stream(context.Background(), "t1", "agent", p) {
		if err != nil {
			t.Fatal(err)
		}
		got++
	}
	spans := tel.spans()
	if len(spans) != 1 || got != 4 { // the values event is not yielded (not requested)
		t.Fatalf("%d spans, %d parts", len(spans), got)
	}
	s := spans[0]
	if s.Name() != "invoke_agent agent" || s.SpanKind() != trace.SpanKindClient || s.Status().Code != codes.Unset {
		t.Errorf("span %q kind %v status %v", s.Name(), s.SpanKind(), s.Status())
	}
	wantAttrs(t, s, map[string]string{
		"gen_ai.operation.name": "invoke_agent", "gen_ai.provider.name": "langgraph", "gen_ai.agent.id": "agent",
		"gen_ai.conversation.id": "t1", "langgraph.run.id": "r1", "langgraph.stream": "true",
		"langgraph.stream.events": "5", "langgraph.stream.reconnects": "2", "langgraph.call.attempts": "3",
		"http.request.method": "POST", "url.template": "/threads/{thread_id}/runs/stream",
	})
	if ttfe := attrs(s)["langgraph.stream.time_to_first_event"].AsFloat64(); ttfe <= 0 || ttfe > time.Since(s.StartTime()).Seconds() {
		t.Errorf("time to first event %v", ttfe)
	}
	rcs := eventsNamed(s, lgotel.ReconnectEvent)
	if len(rcs) != 2 || eventAttr(rcs[0], "langgraph.stream.last_event_id").AsString() != "1" || eventAttr(rcs[1], "langgraph.stream.last_event_id").AsString() != "2" ||
		eventAttr(rcs[0], "error.type").AsString() != "io.ErrUnexpectedEOF" {
		t.Errorf("reconnect events: %+v", rcs)
	}

	m := tel.metrics(t)
	if n := sum(t, m["langgraph.client.stream.events"]); n != 5 {
		t.Errorf("events: %d", n)
	}
	if n := sum(t, m["langgraph.client.stream.events"], attribute.String("langgraph.stream.event", "messages")); n != 2 {
		t.Errorf("messages events: %d", n)
	}
	if n := sum(t, m["langgraph.client.stream.reconnects"], attribute.String("gen_ai.operation.name", "invoke_agent")); n != 2 {
		t.Errorf("reconnects: %d", n)
	}
	if n := count(t, m["langgraph.client.stream.time_to_first_event"], attribute.String("gen_ai.agent.id", "agent")); n != 1 {
		t.Errorf("time to first event: %d", n)
	}
	// No thread or run id on any metric.
	for name, md := range m {
		for _, set := range pointAttrs(md) {
			for _, kv := range set.ToSlice() {
				if v := kv.Value.String(); v == "t1" || v == "r1" || strings.Contains(string(kv.Key), "thread") || strings.Contains(string(kv.Key), "run.id") || kv.Key == "gen_ai.conversation.id" {
					t.Errorf("metric %s has %s=%s", name, kv.Key, v)
				}
			}
		}
	}
	noSecrets(t, tel, secretToken, secretKey)
}

func pointAttrs(m metricdata.Metrics) []attribute.Set {
	var out []attribute.Set
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		for _, dp := range d.DataPoints {
			out = append(out, dp.Attributes)
		}
	case metricdata.Histogram[float64]:
		for _, dp := range d.DataPoints {
			out = append(out, dp.Attributes)
		}
	}
	return out
}

// TestAttemptSpansNest: with an otelhttp-wrapped http.Client below the SDK,
// each attempt's HTTP span is a child of the call's span, and the server
// gets the attempt's span as its parent.
func TestAttemptSpansNest(t *testing.T) {
	var hits atomic.Int32
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		_, _ = io.WriteString(w, `{"thread_id":"t1"}`)
	})
	tel := newTelemetry(t)
	base := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(base.CloseIdleConnections)
	hc := &http.Client{Transport: otelhttp.NewTransport(base, otelhttp.WithTracerProvider(tel.tp), otelhttp.WithPropagators(propagation.TraceContext{}))}
	c := fakeClient(t, f.URL(), tel.instrument(), langgraph.WithHTTPClient(hc))
	if _, err := c.Threads.Get(context.Background(), "t1"); err != nil {
		t.Fatal(err)
	}
	call := tel.spans()
	if len(call) != 1 {
		t.Fatalf("%d call spans", len(call))
	}
	var attempts []sdktrace.ReadOnlySpan
	for _, s := range tel.rec.Ended() {
		if s.InstrumentationScope().Name != lgotel.ScopeName {
			attempts = append(attempts, s)
		}
	}
	if len(attempts) != 2 {
		t.Fatalf("%d attempt spans, want 2", len(attempts))
	}
	tps := traceparents(f)
	for i, a := range attempts {
		if a.Parent().SpanID() != call[0].SpanContext().SpanID() || a.SpanContext().TraceID() != call[0].SpanContext().TraceID() {
			t.Errorf("attempt span %d is not a child of the call's span", i+1)
		}
		if tps[i] != traceparent(a.SpanContext()) {
			t.Errorf("attempt %d: traceparent %q, want its own span %q", i+1, tps[i], traceparent(a.SpanContext()))
		}
	}
}
