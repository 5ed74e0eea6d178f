// Package otel traces and measures the calls of a langgraph-go client with
// OpenTelemetry:
//
//	import lgotel "github.com/langgraph-go/langgraph/contrib/otel"
//
//	c, err := client.New(langgraph.WithBaseURL(url), lgotel.Instrument())
//
// Instrument installs an observer (langgraph.WithObserver) and a request
// hook (langgraph.WithRequestHook) on the client, or on a view of it
// (Client.WithOptions). The providers and the propagator are the global
// ones (go.opentelemetry.io/otel) unless given as options.
//
// # Spans
//
// One span of kind client per call (a method of a service, one page of a
// search, one stream ranged over), whatever its retries and reconnects,
// named "{method} {route}", e.g. "GET /threads/{thread_id}". A call that
// starts a run (Runs.Create, Wait, Stream and their stateless forms, and so
// RemoteGraph's Invoke and Stream) is a GenAI agent invocation instead,
// named "invoke_agent {assistant_id}", with gen_ai.operation.name
// "invoke_agent", gen_ai.provider.name "langgraph", gen_ai.agent.id (the
// assistant or graph) and gen_ai.conversation.id (the thread). Every span
// has the HTTP client attributes http.request.method, url.template,
// server.address, server.port, http.response.status_code (of the last
// response), http.response.header.x-request-id, http.request.resend_count
// (the retries; a span event langgraph.retry for each), error.type and an
// error status when the call failed (a run that failed: error.type
// langgraph.RunError), and the ids the call names: langgraph.thread.id,
// langgraph.run.id, langgraph.assistant.id. Streams add langgraph.stream,
// langgraph.stream.events, langgraph.stream.reconnects (and a span event
// langgraph.stream.reconnect for each, with its cause),
// langgraph.stream.time_to_first_event (seconds) and
// langgraph.stream.stopped when the caller stopped early; a run that
// stopped at an interrupt or a breakpoint has langgraph.run.interrupted.
// Calls a call needs (the join of a Wait whose connection broke, a
// stream's read of its run's status) are child spans, and so are the spans
// of an otelhttp-wrapped http.Client given with langgraph.WithHTTPClient,
// one per attempt. No span holds a header or a credential.
//
// # Metrics
//
// langgraph.client.call.duration (s), langgraph.client.call.attempts,
// langgraph.client.call.errors, langgraph.client.stream.events,
// langgraph.client.stream.reconnects and
// langgraph.client.stream.time_to_first_event (s). Their attributes are
// low-cardinality: http.request.method, url.template, server.address,
// server.port, gen_ai.operation.name and gen_ai.agent.id for runs,
// http.response.status_code and error.type; never a thread or run id.
//
// # Propagation
//
// The request hook writes the context of each request (the call's span,
// or the span of an HTTP instrumentation below it, which then writes its
// own) into its headers with the propagator: W3C traceparent and
// tracestate by default once otel.SetTextMapPropagator has installed them.
// It runs only for requests to the client's base URL.
package otel

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/langgraph-go/langgraph"
)

// ScopeName is the instrumentation scope of the tracer and the meter.
const ScopeName = "github.com/langgraph-go/langgraph/contrib/otel"

// Option configures Instrument, NewObserver and RequestHook.
type Option func(*config)

type config struct {
	tp   trace.TracerProvider
	mp   metric.MeterProvider
	prop propagation.TextMapPropagator
}

// WithTracerProvider sets the tracer provider (default: the global one).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider sets the meter provider (default: the global one).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// WithPropagator sets the propagator of the request hook (default: the
// global one, looked up at each request).
func WithPropagator(p propagation.TextMapPropagator) Option {
	return func(c *config) { c.prop = p }
}

func newConfig(opts []Option) config {
	var c config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.tp == nil {
		c.tp = otel.GetTracerProvider()
	}
	if c.mp == nil {
		c.mp = otel.GetMeterProvider()
	}
	return c
}

// Instrument returns the option that traces and measures every call of a
// client or a view (see the package documentation): an observer and the
// request hook that propagates the trace context.
func Instrument(opts ...Option) langgraph.Option {
	return langgraph.Options(langgraph.WithObserver(NewObserver(opts...)), langgraph.WithRequestHook(RequestHook(opts...)))
}

// RequestHook returns a langgraph.WithRequestHook hook that writes the
// trace context of each request's context into its headers with the
// propagator.
func RequestHook(opts ...Option) func(*http.Request) error {
	c := newConfig(opts)
	return func(req *http.Request) error {
		p := c.prop
		if p == nil {
			p = otel.GetTextMapPropagator()
		}
		p.Inject(req.Context(), propagation.HeaderCarrier(req.Header))
		return nil
	}
}

// Observer is a langgraph.Observer that makes the spans and metrics of the
// package documentation. Build it with NewObserver.
type Observer struct {
	tracer  trace.Tracer
	servers sync.Map // base URL -> []attribute.KeyValue (server.address, server.port)

	duration, ttfe                        metric.Float64Histogram
	attempts, errs, events, reconnectsCnt metric.Int64Counter
}

// buckets (seconds) of the duration histograms: calls and runs take from
// milliseconds to minutes.
var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40, 80, 160, 320}

// NewObserver returns the observer of Instrument.
func NewObserver(opts ...Option) *Observer {
	c := newConfig(opts)
	o := &Observer{tracer: c.tp.Tracer(ScopeName, trace.WithInstrumentationVersion(langgraph.Version), trace.WithSchemaURL(semconv.SchemaURL))}
	m := c.mp.Meter(ScopeName, metric.WithInstrumentationVersion(langgraph.Version), metric.WithSchemaURL(semconv.SchemaURL))
	var err error
	handle := func(e error) {
		if e != nil {
			otel.Handle(e)
		}
	}
	o.duration, err = m.Float64Histogram("langgraph.client.call.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of calls to a LangGraph deployment, retries and stream reconnects included."),
		metric.WithExplicitBucketBoundaries(buckets...))
	handle(err)
	o.ttfe, err = m.Float64Histogram("langgraph.client.stream.time_to_first_event", metric.WithUnit("s"),
		metric.WithDescription("Time from the start of a stream to its first event."),
		metric.WithExplicitBucketBoundaries(buckets...))
	handle(err)
	o.attempts, err = m.Int64Counter("langgraph.client.call.attempts", metric.WithUnit("{attempt}"),
		metric.WithDescription("HTTP requests sent by calls: first attempts, retries, stream reconnects."))
	handle(err)
	o.errs, err = m.Int64Counter("langgraph.client.call.errors", metric.WithUnit("{call}"),
		metric.WithDescription("Calls that failed, by error.type."))
	handle(err)
	o.events, err = m.Int64Counter("langgraph.client.stream.events", metric.WithUnit("{event}"),
		metric.WithDescription("Stream events received, by event kind (langgraph.stream.event)."))
	handle(err)
	o.reconnectsCnt, err = m.Int64Counter("langgraph.client.stream.reconnects", metric.WithUnit("{reconnect}"),
		metric.WithDescription("Requests that resumed a stream, by the error.type of their cause."))
	handle(err)
	return o
}

// Attribute keys of this package (the others are OpenTelemetry semantic
// conventions).
const (
	ThreadIDKey          = attribute.Key("langgraph.thread.id")
	RunIDKey             = attribute.Key("langgraph.run.id")
	AssistantIDKey       = attribute.Key("langgraph.assistant.id")
	StreamKey            = attribute.Key("langgraph.stream")
	EventsKey            = attribute.Key("langgraph.stream.events")
	ReconnectsKey        = attribute.Key("langgraph.stream.reconnects")
	TimeToFirstEventKey  = attribute.Key("langgraph.stream.time_to_first_event")
	StoppedKey           = attribute.Key("langgraph.stream.stopped")
	EventKindKey         = attribute.Key("langgraph.stream.event")
	InterruptedKey       = attribute.Key("langgraph.run.interrupted")
	AttemptsKey          = attribute.Key("langgraph.call.attempts")
	AttemptKey           = attribute.Key("langgraph.attempt")
	RetryKey             = attribute.Key("langgraph.retry")
	LastEventIDKey       = attribute.Key("langgraph.stream.last_event_id")
	ReconnectWaitKey     = attribute.Key("langgraph.stream.reconnect.wait")
	ReconnectCauseKey    = attribute.Key("langgraph.stream.reconnect.cause")
	requestIDHeaderValue = "x-request-id"
)

// Span event names.
const (
	RetryEvent     = "langgraph.retry"
	ReconnectEvent = "langgraph.stream.reconnect"
)

// ProviderName is the gen_ai.provider.name of run calls.
const ProviderName = "langgraph"

// StartCall starts the call's span.
func (o *Observer) StartCall(ctx context.Context, info langgraph.CallInfo) (context.Context, *langgraph.CallHooks) {
	c := &call{o: o, start: time.Now(), run: info.StartsRun}
	c.metricAttrs = make([]attribute.KeyValue, 0, 8)
	c.metricAttrs = append(c.metricAttrs, semconv.HTTPRequestMethodKey.String(info.Method))
	if info.Route != "" {
		c.metricAttrs = append(c.metricAttrs, semconv.URLTemplate(info.Route))
	}
	c.metricAttrs = append(c.metricAttrs, o.server(info.BaseURL)...)
	name := info.Method
	if info.Route != "" {
		name += " " + info.Route
	}
	if info.StartsRun {
		name = "invoke_agent"
		if info.AssistantID != "" {
			name += " " + info.AssistantID
		}
		c.metricAttrs = append(c.metricAttrs, semconv.GenAIOperationNameInvokeAgent)
		if info.AssistantID != "" {
			c.metricAttrs = append(c.metricAttrs, semconv.GenAIAgentID(info.AssistantID))
		}
	}
	attrs := append(make([]attribute.KeyValue, 0, len(c.metricAttrs)+8), c.metricAttrs...)
	if info.StartsRun {
		attrs = append(attrs, semconv.GenAIProviderNameKey.String(ProviderName))
		if info.ThreadID != "" {
			attrs = append(attrs, semconv.GenAIConversationID(info.ThreadID))
		}
	}
	if info.ThreadID != "" {
		attrs = append(attrs, ThreadIDKey.String(info.ThreadID))
	}
	if info.RunID != "" {
		attrs = append(attrs, RunIDKey.String(info.RunID))
	}
	if info.AssistantID != "" {
		attrs = append(attrs, AssistantIDKey.String(info.AssistantID))
	}
	if info.Stream {
		c.stream = true
		attrs = append(attrs, StreamKey.Bool(true))
	}
	c.threadID = info.ThreadID
	ctx, c.span = o.tracer.Start(ctx, name, trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(attrs...), trace.WithTimestamp(c.start))
	c.ctx = ctx
	return ctx, &langgraph.CallHooks{
		Attempt:    c.attempt,
		RunCreated: c.runCreated,
		Event:      c.event,
		Reconnect:  c.reconnect,
		End:        c.end,
	}
}

// server returns server.address and server.port of a base URL.
func (o *Observer) server(base string) []attribute.KeyValue {
	if v, ok := o.servers.Load(base); ok {
		return v.([]attribute.KeyValue)
	}
	var kv []attribute.KeyValue
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		host, port := u.Hostname(), u.Port()
		if port == "" {
			port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
		}
		kv = append(kv, semconv.ServerAddress(host))
		if p, err := strconv.Atoi(port); err == nil {
			kv = append(kv, semconv.ServerPort(p))
		}
	}
	o.servers.Store(base, kv)
	return kv
}

// call is the state of one call's span.
type call struct {
	o           *Observer
	ctx         context.Context
	span        trace.Span
	start       time.Time
	metricAttrs []attribute.KeyValue
	run         bool
	stream      bool
	threadID    string

	retries    int
	firstEvent time.Duration // 0 until the first event
	events     map[string]int64
}

func (c *call) attempt(a langgraph.Attempt) {
	attrs := make([]attribute.KeyValue, 0, len(c.metricAttrs)+3)
	for _, kv := range c.metricAttrs {
		if kv.Key == semconv.URLTemplateKey || kv.Key == semconv.HTTPRequestMethodKey {
			continue // the attempt's own
		}
		attrs = append(attrs, kv)
	}
	attrs = append(attrs, semconv.HTTPRequestMethodKey.String(a.Method))
	if a.Route != "" {
		attrs = append(attrs, semconv.URLTemplate(a.Route))
	}
	if a.StatusCode != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(a.StatusCode))
	}
	if a.Err != nil {
		attrs = append(attrs, semconv.ErrorTypeKey.String(errorType(a.Err)))
	} else if a.StatusCode >= 400 {
		attrs = append(attrs, semconv.ErrorTypeKey.String(strconv.Itoa(a.StatusCode)))
	}
	attrs = append(attrs, RetryKey.Bool(a.Retry))
	c.o.attempts.Add(c.ctx, 1, metric.WithAttributes(attrs...))
	if !a.Retry {
		return
	}
	c.retries++
	ev := []attribute.KeyValue{AttemptKey.Int(a.Number)}
	if a.StatusCode != 0 {
		ev = append(ev, semconv.HTTPResponseStatusCode(a.StatusCode))
	}
	if a.Err != nil {
		ev = append(ev, semconv.ErrorTypeKey.String(errorType(a.Err)))
	}
	c.span.AddEvent(RetryEvent, trace.WithAttributes(ev...))
}

func (c *call) runCreated(run langgraph.RunRef) {
	attrs := []attribute.KeyValue{RunIDKey.String(run.RunID)}
	if run.ThreadID != "" && c.threadID == "" {
		c.threadID = run.ThreadID
		attrs = append(attrs, ThreadIDKey.String(run.ThreadID))
		if c.run {
			attrs = append(attrs, semconv.GenAIConversationID(run.ThreadID))
		}
	}
	c.span.SetAttributes(attrs...)
}

func (c *call) event(p langgraph.StreamPart) {
	if c.events == nil {
		c.firstEvent = max(time.Since(c.start), time.Nanosecond)
		c.events = make(map[string]int64, 4)
	}
	c.events[string(p.Kind)]++
}

func (c *call) reconnect(r langgraph.Reconnect) {
	attrs := []attribute.KeyValue{
		AttemptKey.Int(r.Attempt),
		LastEventIDKey.String(r.LastEventID),
		ReconnectWaitKey.Float64(r.Wait.Seconds()),
	}
	cause := "_OTHER"
	if r.Cause != nil {
		cause = errorType(r.Cause)
		attrs = append(attrs, ReconnectCauseKey.String(r.Cause.Error()))
	}
	attrs = append(attrs, semconv.ErrorTypeKey.String(cause))
	c.span.AddEvent(ReconnectEvent, trace.WithAttributes(attrs...))
	c.o.reconnectsCnt.Add(c.ctx, 1, metric.WithAttributes(append(c.metricAttrs[:len(c.metricAttrs):len(c.metricAttrs)], semconv.ErrorTypeKey.String(cause))...))
}

func (c *call) end(e langgraph.CallEnd) {
	now := time.Now()
	span := make([]attribute.KeyValue, 0, 12)
	mattrs := c.metricAttrs[:len(c.metricAttrs):len(c.metricAttrs)]
	if e.StatusCode != 0 {
		span = append(span, semconv.HTTPResponseStatusCode(e.StatusCode))
		mattrs = append(mattrs, semconv.HTTPResponseStatusCode(e.StatusCode))
	}
	if e.RequestID != "" {
		span = append(span, semconv.HTTPResponseHeader(requestIDHeaderValue, e.RequestID))
	}
	span = append(span, AttemptsKey.Int(e.Attempts))
	if c.retries > 0 {
		span = append(span, semconv.HTTPRequestResendCount(c.retries))
	}
	if e.Run.RunID != "" {
		span = append(span, RunIDKey.String(e.Run.RunID))
	}
	if e.Interrupted {
		span = append(span, InterruptedKey.Bool(true))
	}
	if c.stream {
		span = append(span, EventsKey.Int(e.Events), ReconnectsKey.Int(e.Reconnects))
		if c.firstEvent > 0 {
			span = append(span, TimeToFirstEventKey.Float64(c.firstEvent.Seconds()))
			c.o.ttfe.Record(c.ctx, c.firstEvent.Seconds(), metric.WithAttributes(c.metricAttrs...))
		}
		if e.Stopped {
			span = append(span, StoppedKey.Bool(true))
		}
		for mode, n := range c.events {
			c.o.events.Add(c.ctx, n, metric.WithAttributes(append(c.metricAttrs[:len(c.metricAttrs):len(c.metricAttrs)], EventKindKey.String(mode))...))
		}
	}
	if e.Err != nil {
		et := errorType(e.Err)
		span = append(span, semconv.ErrorTypeKey.String(et))
		mattrs = append(mattrs, semconv.ErrorTypeKey.String(et))
		c.span.SetStatus(codes.Error, e.Err.Error())
		c.span.RecordError(e.Err, trace.WithTimestamp(now))
		c.o.errs.Add(c.ctx, 1, metric.WithAttributes(mattrs...))
	}
	c.span.SetAttributes(span...)
	c.o.duration.Record(c.ctx, now.Sub(c.start).Seconds(), metric.WithAttributes(mattrs...))
	c.span.End(trace.WithTimestamp(now))
}

// errorType is the error.type of an error: the status code of an HTTP
// error, else the SDK's error type or sentinel, else _OTHER.
func errorType(err error) string {
	var (
		se *langgraph.StreamError
		re *langgraph.RunError
		ae *langgraph.APIError
		rd *langgraph.RedirectError
		rs *langgraph.ResponseError
		ce *langgraph.ConnectionError
		ne net.Error
	)
	switch {
	case errors.As(err, &re):
		return "langgraph.RunError"
	case errors.As(err, &se):
		return "langgraph.StreamError"
	case errors.As(err, &ae):
		return strconv.Itoa(ae.StatusCode)
	case errors.As(err, &rd):
		return "langgraph.RedirectError"
	case errors.As(err, &rs):
		return "langgraph.ResponseError"
	case errors.Is(err, context.Canceled):
		return "context.Canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.As(err, &ce):
		return "langgraph.ConnectionError"
	case errors.Is(err, langgraph.ErrNoCredentials):
		return "langgraph.ErrNoCredentials"
	case errors.Is(err, langgraph.ErrInvalidArgument):
		return "langgraph.ErrInvalidArgument"
	case errors.Is(err, langgraph.ErrEventTooLarge), errors.Is(err, langgraph.ErrResponseTooLarge):
		return "langgraph.TooLarge"
	case errors.Is(err, langgraph.ErrStreamClosed):
		return "langgraph.ErrStreamClosed"
	case errors.Is(err, langgraph.ErrStreamIdle):
		return "langgraph.ErrStreamIdle"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "io.ErrUnexpectedEOF"
	case errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.As(err, &ne):
		return "net.Error"
	}
	return "_OTHER"
}
