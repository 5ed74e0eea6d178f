package transport

import (
	"context"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/langgraph-go/langgraph"
)

// Call is one logical call followed by the client's observers
// (langgraph.Observer). A nil *Call, what Begin returns when the client has
// no observer, ignores every method, so call sites need no checks.
//
// A Call is used by one goroutine at a time (the caller's, or the one that
// ranges over a stream); End may come from another (a response body closed
// elsewhere) and runs once.
type Call struct {
	hooks    []*langgraph.CallHooks
	end      langgraph.CallEnd
	notified bool
	once     sync.Once
}

// Observed reports whether calls of b are observed: only then does Begin do
// anything.
func (b *Backend) Observed() bool { return b != nil && len(b.observers) > 0 }

// Begin starts the call that r is the first request of, when the client has
// observers: it tells them (info completed with r's method, route and the
// ids in its path), attaches the call to r (r.Call) and returns the context
// every request of the call must use. Without observers it returns ctx and
// nil at once.
func (b *Backend) Begin(ctx context.Context, r *Request, info langgraph.CallInfo) (context.Context, *Call) {
	if !b.Observed() {
		return ctx, nil
	}
	route, ids := RouteOf(r.Method, r.Path)
	info.Method, info.Route, info.BaseURL = r.Method, route, b.base
	if info.ThreadID == "" {
		info.ThreadID = ids.ThreadID
	}
	if info.RunID == "" {
		info.RunID = ids.RunID
	}
	if info.AssistantID == "" {
		info.AssistantID = ids.AssistantID
	}
	c := &Call{end: langgraph.CallEnd{Run: langgraph.RunRef{ThreadID: info.ThreadID, RunID: info.RunID}}}
	for _, o := range b.observers {
		octx, h := o.StartCall(ctx, info)
		if octx != nil {
			ctx = octx
		}
		if h != nil {
			c.hooks = append(c.hooks, h)
		}
	}
	r.Call = c
	return ctx, c
}

// End ends the call with err (nil on success) and tells the observers, the
// last started first. Later calls do nothing.
func (c *Call) End(err error) {
	if c == nil {
		return
	}
	c.once.Do(func() {
		c.end.Err = err
		for i := len(c.hooks) - 1; i >= 0; i-- {
			if f := c.hooks[i].End; f != nil {
				f(c.end)
			}
		}
	})
}

// Stop records that the caller stopped ranging over the call's stream.
func (c *Call) Stop() {
	if c != nil {
		c.end.Stopped = true
	}
}

// Run records the call's run and, the first time its run id is known,
// tells the observers.
func (c *Call) Run(run langgraph.RunRef) {
	if c == nil {
		return
	}
	if run.RunID != "" {
		c.end.Run.RunID = run.RunID
	}
	if run.ThreadID != "" {
		c.end.Run.ThreadID = run.ThreadID
	}
	if c.notified || c.end.Run.RunID == "" {
		return
	}
	c.notified = true
	for _, h := range c.hooks {
		if h.RunCreated != nil {
			h.RunCreated(c.end.Run)
		}
	}
}

// Interrupted records whether the call's run stopped at an interrupt or a
// breakpoint.
func (c *Call) Interrupted(stopped bool) {
	if c != nil {
		c.end.Interrupted = stopped
	}
}

// Event tells the observers of a stream event.
func (c *Call) Event(p langgraph.StreamPart) {
	if c == nil {
		return
	}
	c.end.Events++
	for _, h := range c.hooks {
		if h.Event != nil {
			h.Event(p)
		}
	}
}

// Reconnect tells the observers of a request that resumes the stream.
func (c *Call) Reconnect(r langgraph.Reconnect) {
	if c == nil {
		return
	}
	c.end.Reconnects++
	for _, h := range c.hooks {
		if h.Reconnect != nil {
			h.Reconnect(r)
		}
	}
}

// attempt tells the observers of an HTTP request of the call.
func (c *Call) attempt(a langgraph.Attempt) {
	c.end.Attempts++
	a.Number = c.end.Attempts
	if a.StatusCode != 0 {
		c.end.StatusCode, c.end.RequestID = a.StatusCode, a.RequestID
	}
	for _, h := range c.hooks {
		if h.Attempt != nil {
			h.Attempt(a)
		}
	}
}

// observeAttempt reports the attempt that just ended, from the retry
// policy's view of it.
func observeAttempt(st *callState, resp *http.Response, err error, retry bool) {
	a := langgraph.Attempt{Method: st.method, Route: st.route, Err: err, Retry: retry, Duration: time.Since(st.sent)}
	if resp != nil {
		a.StatusCode, a.RequestID = resp.StatusCode, resp.Header.Get("X-Request-Id")
	}
	st.obs.attempt(a)
}

// endBody ends a call when the body of its only response is closed (a
// call made with Open alone).
type endBody struct {
	io.ReadCloser
	call *Call
}

func (e *endBody) Close() error {
	err := e.ReadCloser.Close()
	e.call.End(nil)
	return err
}
