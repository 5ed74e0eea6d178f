// Package stream runs the SSE streams of runs and threads: it sends the
// request, reads the events with package sse, drops the events of modes that
// were not requested, and, when the connection breaks or closes before the
// run has ended, resumes from the last event id without losing or repeating
// an event.
//
// A stream is an iter.Seq2 consumed in the caller's goroutine: it starts no
// goroutine (with ReconnectPolicy.IdleTimeout, a timer watches each response
// and is stopped when the response is done with), and stopping the iteration
// (break, or the context ending) closes the response body at once.
package stream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/internal/sse"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// Defaults of langgraph.ReconnectPolicy.
const (
	DefaultMaxAttempts = 5
	DefaultMinWait     = 250 * time.Millisecond
	DefaultMaxWait     = 5 * time.Second
)

// Spec describes one stream.
type Spec struct {
	// Backend sends the requests.
	Backend *transport.Backend
	// Request is the first request; Seq adds the stream headers (Accept,
	// Cache-Control, Last-Event-ID).
	Request *transport.Request
	// Run holds the ids known before the request (a thread, or a joined run).
	Run langgraph.RunRef
	// LastEventID is the Last-Event-ID of the first request, if any: a
	// reconnect before the first event resumes after it.
	LastEventID string
	// OnRunCreated is called once, as soon as the run id is known.
	OnRunCreated func(langgraph.RunRef)
	// Keep reports whether events of a kind are yielded; nil keeps all.
	// Events of kinds that no stream mode produces (metadata, error, end,
	// feedback, and kinds the SDK does not know) are always yielded.
	Keep func(kind langgraph.EventKind) bool
	// Rejoin returns the request that continues the run's stream after
	// lastID ("-1" means from the start), or the reason why the stream
	// cannot be continued that way. Nil means never.
	Rejoin func(run langgraph.RunRef, lastID string) (*transport.Request, string)
	// Active reports whether the run is still pending or running. It tells a
	// connection closed before the run ended from the normal end of a stream
	// (the JS server sends no "end" event): after a clean close the stream is
	// resumed at once, to get any event the connection missed, and if that
	// brings nothing new, Active decides whether to keep reconnecting. Nil
	// means a clean close ends the stream.
	Active func(ctx context.Context, run langgraph.RunRef) (bool, error)
	// Policy is the reconnect policy.
	Policy langgraph.ReconnectPolicy
	// FirstEvent says that the server sends an event first whatever happens
	// (the metadata event of a new run's stream): a stream that ends
	// cleanly without any event is then an error, not an empty success.
	FirstEvent bool
	// MultiRun marks a stream that carries the events of several runs (a
	// thread's stream): its metadata events do not name the stream's run, and
	// error events are yielded without ending it.
	MultiRun bool
	// Sleep waits between attempts; nil means a timer. For tests.
	Sleep func(ctx context.Context, d time.Duration) error
	// Info tells observers what the stream is: AssistantID and StartsRun
	// for the stream of a new run (see transport.Backend.Begin).
	Info langgraph.CallInfo
}

// Keep returns a Spec.Keep for the requested stream modes: it keeps the
// events of the kinds that the modes produce (langgraph.StreamMode.Events)
// and drops those of other modes, e.g. the "checkpoints" events that the JS
// server sends with StreamSubgraphs although nobody asked for them. No modes
// means values, the server's default.
func Keep(modes []langgraph.StreamMode) func(langgraph.EventKind) bool {
	if len(modes) == 0 {
		modes = []langgraph.StreamMode{langgraph.StreamValues}
	}
	keep := make(map[langgraph.EventKind]bool, len(modes))
	for _, m := range modes {
		for _, k := range m.Events() {
			keep[k] = true
		}
	}
	return func(k langgraph.EventKind) bool {
		return keep[k] || k.Mode() == ""
	}
}

// Part returns the StreamPart of an SSE event: it splits the event's name
// into the kind and the namespace.
func Part(event string, data []byte, id string) langgraph.StreamPart {
	p := langgraph.StreamPart{Event: event, Kind: langgraph.EventKind(event), Data: data, ID: id}
	if i := strings.IndexByte(event, '|'); i >= 0 {
		p.Kind = langgraph.EventKind(event[:i])
		p.Namespace = strings.Split(event[i+1:], "|")
	}
	return p
}

// Seq returns the stream as a single-use sequence: ranging over it sends the
// request; ranging again yields langgraph.ErrStreamUsed.
func Seq(ctx context.Context, s Spec) iter.Seq2[langgraph.StreamPart, error] {
	var used atomic.Bool
	return func(yield func(langgraph.StreamPart, error) bool) {
		if used.Swap(true) {
			yield(langgraph.StreamPart{}, langgraph.ErrStreamUsed)
			return
		}
		if s.Backend == nil {
			yield(langgraph.StreamPart{}, lgerr.Invalid("the client was not built by client.New"))
			return
		}
		st := &state{Spec: s, run: s.Run, cursor: s.LastEventID}
		if s.Backend.Observed() {
			st.observedStream(ctx, yield)
			return
		}
		st.stream(ctx, yield)
	}
}

// Fail returns a stream that yields err once, for a call refused before any
// request is sent.
func Fail(err error) iter.Seq2[langgraph.StreamPart, error] {
	return func(yield func(langgraph.StreamPart, error) bool) {
		yield(langgraph.StreamPart{}, err)
	}
}

type state struct {
	Spec
	run      langgraph.RunRef
	notified bool

	cursor    string // last event id received
	delivered int    // events received (after dedup), kept or not

	location    *transport.Request // reconnect request from a Location header
	locationWhy string             // why a Location header was refused

	first *http.Response // the first response (its body closed), for errors

	watched func(*watchdog) // for tests: called with each watchdog started

	call    *transport.Call // the observed call; nil without observers
	lastErr error           // the error of the last part yielded
}

// observedStream runs the stream as a call told to the client's observers
// (apart from stream, so that a stream without observers costs nothing).
func (st *state) observedStream(ctx context.Context, yield func(langgraph.StreamPart, error) bool) {
	info := st.Info
	info.Stream = true
	ctx, st.call = st.Backend.Begin(ctx, st.Request, info)
	defer st.endCall()
	st.stream(ctx, st.observed(yield))
}

// observed wraps yield to note what the call ends with.
func (st *state) observed(yield func(langgraph.StreamPart, error) bool) func(langgraph.StreamPart, error) bool {
	return func(p langgraph.StreamPart, err error) bool {
		st.lastErr = err
		if !yield(p, err) {
			st.call.Stop()
			return false
		}
		return true
	}
}

func (st *state) endCall() { st.call.End(st.lastErr) }

// observe tells the observers of an event received.
func (st *state) observe(p langgraph.StreamPart) {
	if !st.MultiRun && len(p.Namespace) == 0 && (p.Kind == langgraph.EventValues || p.Kind == langgraph.EventUpdates) {
		st.call.Interrupted(p.Interrupted())
	}
	st.call.Event(p)
}

// reconnecting tells the policy's OnReconnect and the observers of a
// request that resumes the stream.
func (st *state) reconnecting(r langgraph.Reconnect) {
	if fn := st.Policy.OnReconnect; fn != nil {
		fn(r)
	}
	st.call.Reconnect(r)
}

var errClosedEarly = fmt.Errorf("%w before the run ended", langgraph.ErrStreamClosed)

type outcome int

const (
	closed   outcome = iota // clean EOF
	broken                  // read error
	stopped                 // the consumer stopped
	finished                // an end or error event
)

func (st *state) stream(ctx context.Context, yield func(langgraph.StreamPart, error) bool) {
	if d := timeout(ctx, st.Backend, st.Request.Options); d > 0 {
		// The per-call timeout bounds the whole stream, reconnects included.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	first := *st.Request
	first.Header = streamHeader(st.Request.Header, st.LastEventID)
	resp, err := st.open(ctx, &first)
	if err != nil {
		yield(langgraph.StreamPart{}, err)
		return
	}
	st.first = resp
	st.response(resp)
	attempts := 0
	skipThrough, resumed := "", false
	for {
		out, progress, cause := st.consume(resp, resumed, skipThrough, yield)
		if out == stopped || out == finished {
			return
		}
		if err := ctx.Err(); err != nil {
			yield(langgraph.StreamPart{}, st.ctxError(err))
			return
		}
		var tooLarge *sse.EventTooLargeError
		if errors.As(cause, &tooLarge) {
			yield(langgraph.StreamPart{}, fmt.Errorf("%w: %w", langgraph.ErrEventTooLarge, cause))
			return
		}
		if progress {
			attempts = 0
		}
		req, why := st.resume()
		if req == nil {
			if cause != nil {
				yield(langgraph.StreamPart{}, st.streamError(idleWhy(cause, why), attempts, cause))
				return
			}
			st.end(yield, attempts) // a clean end, or a stream that cannot be resumed anyway
			return
		}
		if cause == nil {
			// A clean close without an end event: the normal end on the JS
			// server, or a close before the run ended.
			if st.Active == nil || st.maxAttempts() == 0 {
				st.end(yield, attempts)
				return
			}
			if progress || !resumed {
				// Check at once for events the connection did not deliver:
				// the server replays them, or closes if there are none.
				attempts++
				st.reconnecting(langgraph.Reconnect{Attempt: attempts, LastEventID: st.cursor, Cause: langgraph.ErrStreamClosed, Run: st.run})
				if resp, err = st.open(ctx, req); err == nil {
					st.response(resp)
					skipThrough, resumed = st.cursor, true
					continue
				}
				if ferr := st.fatal(ctx, attempts, err); ferr != nil {
					yield(langgraph.StreamPart{}, ferr)
					return
				}
				cause = err
			} else {
				// A reconnect delivered nothing new: is the run over?
				active, err := st.Active(ctx, st.run)
				if err != nil {
					if ctx.Err() != nil {
						err = st.ctxError(ctx.Err())
					}
					yield(langgraph.StreamPart{}, st.streamError("the stream closed and the run's status could not be read", attempts, err))
					return
				}
				if !active {
					st.end(yield, attempts)
					return
				}
				cause = errClosedEarly
			}
		}
		// Reconnect, with backoff, until a response arrives.
		for {
			attempts++
			if max := st.maxAttempts(); attempts > max {
				why := fmt.Sprintf("gave up after %d reconnect attempts", max)
				if max == 0 {
					why = idleWhy(cause, "reconnecting is disabled")
				}
				yield(langgraph.StreamPart{}, st.streamError(why, attempts-1, cause))
				return
			}
			wait := st.backoff(attempts)
			st.reconnecting(langgraph.Reconnect{Attempt: attempts, LastEventID: st.cursor, Wait: wait, Cause: cause, Run: st.run})
			if err := st.sleep(ctx, wait); err != nil {
				yield(langgraph.StreamPart{}, st.ctxError(err))
				return
			}
			req, _ = st.resume()
			resp, err = st.open(ctx, req)
			if err == nil {
				break
			}
			if ferr := st.fatal(ctx, attempts, err); ferr != nil {
				yield(langgraph.StreamPart{}, ferr)
				return
			}
			cause = err
		}
		st.response(resp)
		skipThrough, resumed = st.cursor, true
	}
}

// consume yields the events of one response. After a reconnect (resumed),
// events up to skipThrough that the server sends again are skipped.
// It closes the response body when it returns (or the consumer panics).
func (st *state) consume(resp *http.Response, resumed bool, skipThrough string, yield func(langgraph.StreamPart, error) bool) (out outcome, progress bool, cause error) {
	defer resp.Body.Close()
	var body io.Reader = resp.Body
	var wd *watchdog
	if d := st.Policy.IdleTimeout; d > 0 {
		wd = watch(resp.Body, d)
		defer wd.stop() // before the body is closed
		if st.watched != nil {
			st.watched(wd)
		}
		body = wd
	}
	rd := sse.NewReader(body, st.Backend.MaxEventSize())
	skipping := resumed && skipThrough != ""
	readerID, cleared := "", false
	for {
		ev, err := rd.Next()
		switch id := rd.LastEventID(); {
		case id != "" && !(skipping && notAfter(id, skipThrough)):
			// Ids the server sends again while it replays do not move the
			// cursor back: the events after them were delivered already.
			st.cursor, cleared = id, false
		case id == "" && readerID != "":
			// An empty id field cleared the last event id.
			st.cursor, cleared = "", true
		}
		readerID = rd.LastEventID()
		if err != nil && wd != nil && wd.fired.Load() {
			// Closed by the watchdog: whatever the read returned, the
			// connection broke (and not because of the context).
			return broken, progress, &idleError{wd.timeout}
		}
		if err == io.EOF {
			return closed, progress, nil
		}
		if err != nil {
			return broken, progress, err
		}
		id := ev.ID
		if skipping && id != "" && notAfter(id, skipThrough) {
			continue
		}
		skipping = false
		if id == "" && resumed && !cleared {
			id = skipThrough // the id persists across reconnects
		}
		progress = true
		st.delivered++
		part := Part(ev.Name, ev.Data, id)
		if st.call != nil {
			st.observe(part)
		}
		switch part.Kind {
		case langgraph.EventMetadata:
			if len(part.Namespace) == 0 && !st.MultiRun {
				if md, err := part.Metadata(); err == nil && md.RunID != "" && st.run.RunID == "" {
					st.run.RunID = md.RunID
					st.notify()
				}
			}
		case langgraph.EventError:
			e := part.Err().(*langgraph.RunError)
			e.RunID, e.ThreadID = st.run.RunID, st.run.ThreadID
			if st.MultiRun {
				if !yield(part, e) {
					return stopped, progress, nil
				}
				continue
			}
			yield(part, e)
			return finished, progress, nil
		case langgraph.EventEnd:
			if len(part.Namespace) == 0 {
				yield(part, nil)
				return finished, progress, nil
			}
		}
		if st.Keep != nil && !st.Keep(part.Kind) {
			continue
		}
		if !yield(part, nil) {
			return stopped, progress, nil
		}
	}
}

// open sends a request and checks that the answer is an event stream.
func (st *state) open(ctx context.Context, r *transport.Request) (*http.Response, error) {
	r.Call = st.call
	resp, err := st.Backend.Open(ctx, r)
	if err != nil {
		return nil, err
	}
	ct := resp.Header.Get("Content-Type")
	if !strings.Contains(strings.ToLower(ct), "text/event-stream") {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		_ = resp.Body.Close()
		e := st.responseError(resp, r, "the answer is not an event stream (text/event-stream)")
		e.Body = body
		return nil, e
	}
	return resp, nil
}

// responseError describes a response that cannot be what the stream's
// endpoint promises.
func (st *state) responseError(resp *http.Response, r *transport.Request, reason string) *langgraph.ResponseError {
	e := &langgraph.ResponseError{Method: r.Method, StatusCode: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Reason: reason}
	if resp.Request != nil && resp.Request.URL != nil {
		u := *resp.Request.URL
		u.User = nil
		e.URL = u.String()
	} else {
		e.URL = st.Backend.BaseURL() + r.Path
	}
	return e
}

// end ends a stream that closed cleanly: an error when it brought no event
// although the server always sends one first.
func (st *state) end(yield func(langgraph.StreamPart, error) bool, attempts int) {
	if !st.FirstEvent || st.delivered > 0 || st.first == nil {
		return
	}
	re := st.responseError(st.first, st.Request, "the stream ended before its first event (a run's stream starts with a metadata event)")
	yield(langgraph.StreamPart{}, st.streamError("no event arrived", attempts, re))
}

// response reads the run's ids and the reconnect Location of a response.
func (st *state) response(resp *http.Response) {
	if meta, ok := transport.RunFromLocation(resp.Header.Get("Content-Location")); ok {
		if st.run.RunID == "" {
			st.run.RunID = meta.RunID
		}
		if st.run.ThreadID == "" {
			st.run.ThreadID = meta.ThreadID
		}
		st.notify()
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		st.location, st.locationWhy = st.locationRequest(resp, loc)
	}
}

func (st *state) notify() {
	st.call.Run(st.run)
	if st.notified || st.run.RunID == "" {
		return
	}
	st.notified = true
	if st.OnRunCreated != nil {
		st.OnRunCreated(st.run)
	}
}

// locationRequest turns a Location header into the GET that resumes the
// stream. A path ("/threads/...") is taken relative to the base URL, as the
// Python SDK does; a URL must be under the base URL. Another origin is
// refused: credentials never go there.
func (st *state) locationRequest(resp *http.Response, loc string) (*transport.Request, string) {
	u, err := url.Parse(loc)
	if err != nil {
		return nil, "the server's reconnect Location is not a valid URL"
	}
	base, err := url.Parse(st.Backend.BaseURL())
	if err != nil {
		return nil, "bad base URL"
	}
	basePath := strings.TrimRight(base.EscapedPath(), "/")
	var path string
	if u.Scheme == "" && u.Host == "" && strings.HasPrefix(u.Path, "/") {
		path = u.EscapedPath()
		if basePath != "" && strings.HasPrefix(path, basePath+"/") {
			path = path[len(basePath):]
		}
	} else {
		ref := base
		if resp.Request != nil && resp.Request.URL != nil {
			ref = resp.Request.URL
		}
		abs := ref.ResolveReference(u)
		if !st.Backend.SameOrigin(abs) {
			return nil, fmt.Sprintf("the server's reconnect Location is on another origin (%s://%s), where credentials are never sent", abs.Scheme, abs.Host)
		}
		path = abs.EscapedPath()
		if basePath != "" {
			if !strings.HasPrefix(path, basePath+"/") {
				return nil, "the server's reconnect Location is outside the base URL"
			}
			path = path[len(basePath):]
		}
	}
	if path == "" {
		path = "/"
	}
	if transport.CheckPath(path) != nil {
		return nil, "the server's reconnect Location has a segment made only of dots, which would leave its route"
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, "the server's reconnect Location has a bad query"
	}
	return &transport.Request{Method: http.MethodGet, Path: path, Query: q, Idempotent: true, Options: st.Request.Options}, ""
}

// resume returns the request that continues the stream after st.cursor, or
// why there is none.
func (st *state) resume() (*transport.Request, string) {
	if st.cursor == "" && st.delivered > 0 {
		return nil, "the server sent events without ids, so the stream cannot resume without repeating them"
	}
	if st.location != nil {
		r := *st.location
		r.Header = streamHeader(nil, st.cursor)
		return &r, ""
	}
	why := "the server named no reconnect Location"
	if st.locationWhy != "" {
		why = st.locationWhy
	}
	if st.Rejoin == nil {
		return nil, why
	}
	last := st.cursor
	if last == "" {
		last = "-1" // replay from the start
	}
	r, rwhy := st.Rejoin(st.run, last)
	if r == nil {
		return nil, why + " and " + rwhy
	}
	return r, ""
}

func streamHeader(h http.Header, lastID string) http.Header {
	out := h.Clone()
	if out == nil {
		out = make(http.Header)
	}
	out.Set("Accept", "text/event-stream")
	out.Set("Cache-Control", "no-store")
	if lastID != "" {
		out.Set("Last-Event-ID", lastID)
	}
	return out
}

// StreamHeader returns the headers of a stream request that resumes after
// lastID (none when empty).
func StreamHeader(lastID string) http.Header { return streamHeader(nil, lastID) }

func (st *state) streamError(why string, attempts int, cause error) error {
	return &langgraph.StreamError{
		RunID:       st.run.RunID,
		ThreadID:    st.run.ThreadID,
		LastEventID: st.cursor,
		Attempts:    attempts,
		Reason:      why,
		Err:         cause,
	}
}

func (st *state) ctxError(err error) error {
	if st.run.RunID != "" {
		return fmt.Errorf("langgraph: stream of run %s: %w", st.run.RunID, err)
	}
	return fmt.Errorf("langgraph: stream: %w", err)
}

func (st *state) maxAttempts() int {
	switch n := st.Policy.MaxAttempts; {
	case n < 0:
		return 0
	case n == 0:
		return DefaultMaxAttempts
	default:
		return n
	}
}

// backoff returns the wait before attempt n (from 1): a random duration in
// the upper half of min(MinWait·2^(n-1), MaxWait).
func (st *state) backoff(n int) time.Duration {
	lo, hi := st.Policy.MinWait, st.Policy.MaxWait
	if lo <= 0 {
		lo = DefaultMinWait
	}
	if hi <= 0 {
		hi = max(DefaultMaxWait, lo)
	}
	return transport.Backoff(lo, hi, n-1)
}

func (st *state) sleep(ctx context.Context, d time.Duration) error {
	if st.Sleep != nil {
		return st.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// fatal returns the error that ends the stream after a reconnect request
// failed with err, or nil when another attempt may help.
func (st *state) fatal(ctx context.Context, attempts int, err error) error {
	if ctx.Err() != nil {
		return st.ctxError(ctx.Err())
	}
	if !Transient(err) {
		return st.streamError("reconnecting failed", attempts, err)
	}
	return nil
}

// Transient reports errors worth another reconnect attempt: the server could
// not be reached, or answered 408, 429 or 5xx.
func Transient(err error) bool {
	var ce *langgraph.ConnectionError
	if errors.As(err, &ce) {
		return true
	}
	var ae *langgraph.APIError
	if errors.As(err, &ae) {
		return ae.StatusCode >= 500 || ae.StatusCode == http.StatusTooManyRequests || ae.StatusCode == http.StatusRequestTimeout
	}
	return false
}

// timeout returns the per-call timeout set by the call's options; a bad
// option is reported by the first request.
func timeout(ctx context.Context, b *transport.Backend, opts []langgraph.Option) time.Duration {
	o, err := b.CallOptions(ctx, opts)
	if err != nil {
		return 0
	}
	return o.Timeout
}

// notAfter reports whether event id a comes at or before b. Ids made of one
// or two dash-separated numbers (the JS server's "12", Redis stream
// ids "1700000000000-3") are compared as numbers; others only for equality.
func notAfter(a, b string) bool {
	if x, ok := parseID(a); ok {
		if y, ok := parseID(b); ok {
			if x[0] != y[0] {
				return x[0] < y[0]
			}
			return x[1] <= y[1]
		}
	}
	return a == b
}

func parseID(s string) ([2]uint64, bool) {
	head, tail, two := strings.Cut(s, "-")
	x, err := strconv.ParseUint(head, 10, 64)
	if err != nil {
		return [2]uint64{}, false
	}
	var y uint64
	if two {
		if y, err = strconv.ParseUint(tail, 10, 64); err != nil {
			return [2]uint64{}, false
		}
	}
	return [2]uint64{x, y}, true
}
