package langgraph

import (
	"context"
	"net/http"
	"time"

	"github.com/langgraph-go/langgraph/internal/reqopt"
)

// Observer watches the calls of a client, for tracing and metrics: install
// one with WithObserver. Package github.com/langgraph-go/langgraph/contrib/otel
// is an Observer for OpenTelemetry.
//
// A call is one method of a service (Threads.Get, Runs.Wait, one page of a
// search, one Runs.Stream ranged over): StartCall is called once when it
// starts, and the hooks it returns follow it to its end, however many HTTP
// requests it sends (retries, a refreshed token, a stream's reconnects).
// A call that needs another call (a Wait whose connection broke joins the
// run; a stream reads its run's status) makes that one with the context
// StartCall returned, so it nests.
type Observer interface {
	// StartCall is called before the call's first request. The context it
	// returns is used for every request of the call, so what is attached
	// to it (a span) is the parent of what the HTTP client does below (an
	// otelhttp transport's span per attempt), and request hooks see it
	// (see WithRequestHook). The hooks may be nil.
	StartCall(ctx context.Context, call CallInfo) (context.Context, *CallHooks)
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(ctx context.Context, call CallInfo) (context.Context, *CallHooks)

// StartCall calls f; a nil f observes nothing (ctx and no hooks).
func (f ObserverFunc) StartCall(ctx context.Context, call CallInfo) (context.Context, *CallHooks) {
	if f == nil {
		return ctx, nil
	}
	return f(ctx, call)
}

// CallInfo describes a call as it starts. It never holds credentials or
// headers.
type CallInfo struct {
	// Method is the HTTP method of the call's first request, e.g. "POST".
	Method string
	// Route is the route template of the call's first request, e.g.
	// "/threads/{thread_id}/runs/stream"; empty for a route the SDK does not
	// know (Client.Do of a custom route).
	Route string
	// BaseURL is the deployment's URL, without a trailing slash.
	BaseURL string
	// ThreadID, RunID and AssistantID are the ids the call names in its
	// route, and for a call that starts a run, the assistant (or graph) it
	// runs.
	ThreadID, RunID, AssistantID string
	// StartsRun says that the call starts a run (Runs.Create, Wait, Stream
	// and their stateless forms).
	StartsRun bool
	// Stream says that the call streams events (Runs.Stream, JoinStream,
	// Threads.JoinStream).
	Stream bool
}

// CallHooks follow one call; any field may be nil. They are called in the
// order things happen and never concurrently; a stream's hooks run in the
// goroutine that ranges over it. Hooks must not keep the parts they get
// past their return unless they copy them.
type CallHooks struct {
	// Attempt is called after each HTTP request of the call, once its
	// response headers arrived or it failed: the first request, each retry,
	// the request sent again with a refreshed token, each request that
	// resumes a stream.
	Attempt func(Attempt)
	// RunCreated is called once, as soon as the ids of the call's run are
	// known: from the response headers or the stream's metadata event.
	RunCreated func(RunRef)
	// Event is called for each event a stream receives, in order, before
	// the caller gets it: every event the server sent once, those of stream
	// modes the caller does not get included; events a reconnect receives
	// again are skipped.
	Event func(StreamPart)
	// Reconnect is called before each request that resumes a stream, with
	// what ended the connection before it (as ReconnectPolicy.OnReconnect).
	Reconnect func(Reconnect)
	// End is called once, when the call returns or its stream ends.
	End func(CallEnd)
}

// Attempt describes one HTTP request of a call, for CallHooks.Attempt.
type Attempt struct {
	// Number counts the call's requests, from 1.
	Number int
	// Method and Route are the request's (a stream's reconnect may go to
	// another route than the call's first request).
	Method string
	// Route is the route template, empty when unknown (see CallInfo).
	Route string
	// StatusCode is the response status; 0 when no response arrived.
	StatusCode int
	// RequestID is the response's X-Request-Id header, if any.
	RequestID string
	// Err is why no response arrived (a connection error), or nil.
	Err error
	// Retry says that the client sends the request again, after a backoff.
	Retry bool
	// Duration is the time from sending the request to its response
	// headers (or its failure).
	Duration time.Duration
}

// CallEnd describes how a call ended, for CallHooks.End.
type CallEnd struct {
	// Err is the call's error, or the error its stream ended with (a
	// *RunError for a run that failed); nil on success.
	Err error
	// StatusCode is the status of the call's last response; 0 when none
	// arrived.
	StatusCode int
	// RequestID is the X-Request-Id of the call's last response, if any.
	RequestID string
	// Attempts is the number of HTTP requests the call sent.
	Attempts int
	// Run identifies the run the call started or followed, when known.
	Run RunRef
	// Interrupted says that the run stopped at an interrupt or a breakpoint
	// (a Wait's result, or the last values or updates event of a stream).
	Interrupted bool
	// Events is the number of stream events received (see CallHooks.Event).
	Events int
	// Reconnects is the number of requests that resumed the stream.
	Reconnects int
	// Stopped says that the caller stopped ranging over the stream before
	// its end.
	Stopped bool
}

// WithObserver makes o watch every call (see Observer). On a view
// (Client.WithOptions) it watches the view's calls, after the client's own
// observers. Several observers are called in the order given; their
// contexts nest. Client or view.
func WithObserver(o Observer) Option {
	return option("WithObserver", clientOrView, func(s *reqopt.Settings) error {
		if f, isFunc := o.(ObserverFunc); o == nil || (isFunc && f == nil) {
			return invalid("WithObserver: nil observer")
		}
		s.Observers = append(s.Observers, o)
		return nil
	})
}

// WithRequestHook calls hook with each HTTP request to the deployment, just
// before it is sent: every attempt, retry and reconnect. The hook may set
// headers computed from the request's context (req.Context(), the context
// of its call: see Observer), e.g. a trace context. It runs only for
// requests to the base URL's origin, after the credentials were added (it
// sees them; it must not log them); a hook that sends the request elsewhere
// (changes its URL or Host) fails the request. An error from the hook fails
// the request without retry; the call's error wraps it. On a view it runs
// after the client's hooks. Client or view.
func WithRequestHook(hook func(req *http.Request) error) Option {
	return option("WithRequestHook", clientOrView, func(s *reqopt.Settings) error {
		if hook == nil {
			return invalid("WithRequestHook: nil hook")
		}
		s.RequestHooks = append(s.RequestHooks, hook)
		return nil
	})
}
