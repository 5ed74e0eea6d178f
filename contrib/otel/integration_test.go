package otel_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/langgraph-go/langgraph"
	lgotel "github.com/langgraph-go/langgraph/contrib/otel"
	"github.com/langgraph-go/langgraph/internal/faultproxy"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/remotegraph"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

var fast = langgraph.ReconnectPolicy{MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}

func newThread(t *testing.T, ctx context.Context, c interface {
	Create(context.Context, threads.CreateParams, ...langgraph.Option) (*threads.Thread, error)
}) string {
	t.Helper()
	th, err := c.Create(ctx, threads.CreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	return th.ThreadID
}

// invokeSpans returns the ended invoke_agent spans.
func invokeSpans(tel *telemetry) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range tel.spans() {
		if strings.HasPrefix(s.Name(), "invoke_agent") {
			out = append(out, s)
		}
	}
	return out
}

// TestRunSpans: against the real server, a failed run and an interrupted
// run mark their invoke_agent spans, for Wait and Stream; a stream cut
// twice by a proxy is one span with its reconnects and the events it
// received; every request of a call carries the call's trace.
func TestRunSpans(t *testing.T) {
	noLeaks(t)
	ctx := srv.Setup(t)
	proxy := faultproxy.New(t, srv.URL())
	tel := newTelemetry(t)
	c := srv.Client(t, testserver.Alice, langgraph.WithBaseURL(proxy.URL), tel.instrument())
	in := map[string]any{"messages": []map[string]any{{"role": "human", "content": "hi"}}}

	t.Run("failed", func(t *testing.T) {
		tid := newThread(t, ctx, &c.Threads)
		_, werr := c.Runs.Wait(ctx, tid, "error", runs.CreateParams{Input: map[string]any{}})
		var serr error
		for _, err := range c.Runs.Stream(ctx, tid, "error", runs.StreamParams{Input: map[string]any{}, Reconnect: fast}) {
			serr = err
		}
		var re *langgraph.RunError
		if !errors.As(werr, &re) || !errors.As(serr, &re) {
			t.Fatalf("errors %v, %v", werr, serr)
		}
		spans := invokeSpans(tel)
		if len(spans) != 2 {
			t.Fatalf("%d invoke spans", len(spans))
		}
		for _, s := range spans {
			if s.Name() != "invoke_agent error" || s.Status().Code != codes.Error || !strings.Contains(s.Status().Description, "Boo!") {
				t.Errorf("span %q status %+v", s.Name(), s.Status())
			}
			wantAttrs(t, s, map[string]string{"error.type": "langgraph.RunError", "gen_ai.conversation.id": tid, "gen_ai.agent.id": "error"})
			if attrs(s)["langgraph.run.id"].AsString() == "" {
				t.Errorf("span %q has no run id", s.Name())
			}
		}
	})

	t.Run("interrupted", func(t *testing.T) {
		tel.rec.Reset()
		tid := newThread(t, ctx, &c.Threads)
		res, err := c.Runs.Wait(ctx, tid, "interrupt", runs.CreateParams{Input: map[string]any{}})
		if err != nil || !res.Interrupted() {
			t.Fatalf("%v %v", res, err)
		}
		tid2 := newThread(t, ctx, &c.Threads)
		for _, err := range c.Runs.Stream(ctx, tid2, "interrupt", runs.StreamParams{Input: map[string]any{}, Reconnect: fast}) {
			if err != nil {
				t.Fatal(err)
			}
		}
		spans := invokeSpans(tel)
		if len(spans) != 2 {
			t.Fatalf("%d invoke spans", len(spans))
		}
		for _, s := range spans {
			wantAttrs(t, s, map[string]string{"langgraph.run.interrupted": "true"})
			if s.Status().Code == codes.Error {
				t.Errorf("an interrupted run's span %q is an error", s.Name())
			}
		}
	})

	t.Run("cut twice", func(t *testing.T) {
		tid := newThread(t, ctx, &c.Threads)
		tel.rec.Reset()
		before := len(proxy.Requests())
		proxy.AddStreamCuts(faultproxy.StreamCut{After: 3, MidEvent: true}, faultproxy.StreamCut{After: 2})
		p := runs.StreamParams{AllEvents: true, Reconnect: fast}
		p.Input, p.StreamResumable = in, true
		p.StreamMode = []runs.StreamMode{runs.StreamValues, runs.StreamMessagesTuple}
		parts := 0
		for _, err := range c.Runs.Stream(ctx, tid, "agent", p) {
			if err != nil {
				t.Fatal(err)
			}
			parts++
		}
		spans := invokeSpans(tel)
		if len(spans) != 1 {
			t.Fatalf("%d invoke spans", len(spans))
		}
		s := spans[0]
		// Two reconnects after the cuts, and the JS server's end check (a
		// clean close is checked with one more join).
		rcs := eventsNamed(s, lgotel.ReconnectEvent)
		if len(rcs) != 3 || eventAttr(rcs[2], "error.type").AsString() != "langgraph.ErrStreamClosed" {
			t.Errorf("reconnect events: %+v", rcs)
		}
		for _, e := range rcs[:2] {
			if et := eventAttr(e, "error.type").AsString(); et == "langgraph.ErrStreamClosed" || et == "" {
				t.Errorf("a cut's reconnect has cause %q", et)
			}
		}
		wantAttrs(t, s, map[string]string{"langgraph.stream.reconnects": "3", "gen_ai.conversation.id": tid, "langgraph.stream": "true"})
		if n := attrs(s)["langgraph.stream.events"].AsInt64(); int(n) != parts || parts < 10 {
			t.Errorf("span counts %d events, the caller got %d", n, parts)
		}
		// The stream's reads of its run's status are its children.
		for _, o := range tel.spans() {
			if o != s && o.Parent().SpanID() != s.SpanContext().SpanID() {
				t.Errorf("span %q is not a child of the stream's", o.Name())
			}
		}
		// Every request of the stream (the POST, its rejoins) carries the
		// stream's trace; the status reads carry their own spans of it.
		reqs := proxy.Requests()[before:]
		if len(reqs) < 4 {
			t.Fatalf("%d requests", len(reqs))
		}
		for _, r := range reqs {
			tp := r.Header.Get("Traceparent")
			if !strings.Contains(tp, s.SpanContext().TraceID().String()) {
				t.Errorf("%s %s: traceparent %q not of the stream's trace", r.Method, r.Path, tp)
			}
			if strings.HasSuffix(r.Path, "/stream") && tp != traceparent(s.SpanContext()) {
				t.Errorf("%s %s: traceparent %q, want the stream span's", r.Method, r.Path, tp)
			}
		}
	})
	noSecrets(t, tel, testserver.TokenAlice)
}

// TestServiceEndToEnd: a Go service, instrumented with otelhttp, that calls
// a deployment through a RemoteGraph on behalf of its caller: the caller's
// trace goes through the service's span to the invoke_agent span, and on
// to the deployment in traceparent.
func TestServiceEndToEnd(t *testing.T) {
	noLeaks(t)
	ctx := srv.Setup(t)
	proxy := faultproxy.New(t, srv.URL())
	tel := newTelemetry(t)
	prop := propagation.TraceContext{}
	c := srv.Client(t, testserver.User{}, langgraph.WithBaseURL(proxy.URL), langgraph.WithPerCallCredentials(), tel.instrument())
	rg, err := remotegraph.New(c, "agent", remotegraph.Params{})
	if err != nil {
		t.Fatal(err)
	}
	service := otelhttp.NewHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := langgraph.ContextWithOptions(r.Context(), langgraph.WithBearerToken(strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")))
		res, err := rg.Invoke(ctx, map[string]any{"messages": []map[string]any{{"role": "human", "content": "hi"}}}, remotegraph.RunParams{})
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		_, _ = w.Write(res.Values)
	}), "chat", otelhttp.WithTracerProvider(tel.tp), otelhttp.WithPropagators(prop))
	front := httptest.NewServer(service)
	defer front.Close()

	// The caller's own span, sent in traceparent.
	callerCtx, caller := tel.tp.Tracer("caller").Start(ctx, "caller")
	req, _ := http.NewRequestWithContext(callerCtx, http.MethodPost, front.URL+"/chat", nil)
	prop.Inject(callerCtx, propagation.HeaderCarrier(req.Header))
	req.Header.Set("Authorization", "Bearer "+testserver.TokenAlice)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	caller.End()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "You said: hi") {
		t.Fatalf("%s: %s", resp.Status, body)
	}

	var handler sdktrace.ReadOnlySpan
	for _, s := range tel.rec.Ended() {
		if s.SpanKind() == trace.SpanKindServer {
			handler = s
		}
	}
	spans := invokeSpans(tel)
	if handler == nil || len(spans) != 1 {
		t.Fatalf("handler span %v, %d invoke spans", handler, len(spans))
	}
	inv := spans[0]
	if handler.Parent().SpanID() != caller.SpanContext().SpanID() || inv.Parent().SpanID() != handler.SpanContext().SpanID() ||
		inv.SpanContext().TraceID() != caller.SpanContext().TraceID() {
		t.Error("caller -> service -> invoke_agent is not one trace")
	}
	wantAttrs(t, inv, map[string]string{"gen_ai.agent.id": "agent", "url.template": "/runs/wait", "http.response.status_code": "200"})
	reqs := proxy.Requests()
	if len(reqs) == 0 || reqs[len(reqs)-1].Header.Get("Traceparent") != traceparent(inv.SpanContext()) {
		t.Errorf("the deployment got traceparent %q, want the invoke_agent span's", reqs[len(reqs)-1].Header.Get("Traceparent"))
	}
	noSecrets(t, tel, testserver.TokenAlice)
}
