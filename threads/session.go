package threads

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/internal/protocol"
	"github.com/langgraph-go/langgraph/internal/reqopt"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// Transport selects how a Session talks to the server.
type Transport int

// Transports.
const (
	// TransportSSE reads events from POST /threads/{id}/stream/events (Server-Sent
	// Events) and sends commands to POST /threads/{id}/commands. It resumes
	// a broken stream without loss. The default.
	TransportSSE Transport = iota
	// TransportWebSocket sends commands and reads events over one WebSocket
	// (GET /threads/{id}/stream/events, upgraded). LangGraph.js 1.5.1 cannot
	// replay a run on a new socket: see Session.
	TransportWebSocket
)

// String returns "sse" or "websocket".
func (t Transport) String() string {
	if t == TransportWebSocket {
		return "websocket"
	}
	return "sse"
}

// SessionParams configure a Session; the zero value is an SSE session that
// receives every channel.
type SessionParams struct {
	// Transport is TransportSSE (the default) or TransportWebSocket.
	Transport Transport
	// Channels narrows what the server sends the session; empty means every
	// channel. Lifecycle, input and values are always added: the session
	// needs them to end runs, report interrupts and return outputs.
	Channels []Channel
	// Reconnect says how the session reconnects when its connection breaks
	// (MaxAttempts in a row, backoff MinWait to MaxWait, OnReconnect called
	// from the session's goroutine, IdleTimeout: an SSE connection silent
	// that long, or a WebSocket that does not answer a ping within it, is
	// taken for broken). The zero value means 5 attempts, 250ms to 5s.
	Reconnect langgraph.ReconnectPolicy
	// ReplyTimeout bounds the wait for a command's reply over a WebSocket
	// (default 20s); see ErrNoReply.
	ReplyTimeout time.Duration
}

// Session opens a session on a thread with an assistant: one event stream
// of the thread (see Session for the protocol and its transports), on which
// runs are started and interrupts answered. An empty threadID mints a new
// thread id (a random UUID); the thread is created by the first run.
//
// The session runs as the user of ctx and opts: those options (credentials,
// headers, timeouts) apply to every request it sends, the WebSocket
// handshake included, and the options of the contexts passed to its
// methods do not. The session ends when ctx ends or Close is called.
//
// Opening fails with the server's answer: a *langgraph.APIError for a
// refused request (401 for bad credentials; 404 from a server without the
// thread stream protocol), a *langgraph.ConnectionError when the server
// cannot be reached.
func (s *Service) Session(ctx context.Context, threadID, assistantID string, p SessionParams, opts ...langgraph.Option) (*Session, error) {
	if s == nil || s.b == nil {
		return nil, lgerr.Invalid("the client was not built by client.New")
	}
	if ctx == nil {
		return nil, lgerr.Invalid("nil context (use context.Background())")
	}
	if assistantID == "" {
		return nil, lgerr.Invalid("assistant_id must not be empty")
	}
	if threadID == "" {
		threadID = newUUID()
	}
	if err := transport.CheckID("thread_id", threadID); err != nil {
		return nil, err
	}
	if p.Transport != TransportSSE && p.Transport != TransportWebSocket {
		return nil, lgerr.Invalid("unknown transport %d", p.Transport)
	}
	own, _ := ctx.Value(reqopt.ContextKey{}).([]langgraph.Option)
	all := append(slices.Clone(own), opts...)
	if _, err := s.b.CallOptions(protocol.Strip(ctx), all); err != nil {
		return nil, err
	}
	channels := []string{"lifecycle", "input", "values"}
	if len(p.Channels) == 0 {
		channels = protocol.Channels
	} else {
		for _, c := range p.Channels {
			if c == "" {
				return nil, lgerr.Invalid("SessionParams.Channels has an empty channel")
			}
			if !slices.Contains(channels, string(c)) {
				channels = append(channels, string(c))
			}
		}
	}
	sess := &Session{
		svc: s, b: s.b, threadID: threadID, assistantID: assistantID, opts: all, transport: p.Transport,
		ended: make(chan struct{}), subs: make(map[*subscription]struct{}),
	}
	conn, err := protocol.Open(ctx, protocol.Config{
		Backend: s.b, ThreadID: threadID, Options: all, WebSocket: p.Transport == TransportWebSocket,
		Channels: channels, Policy: p.Reconnect, ReplyTimeout: p.ReplyTimeout,
		OnEvent: sess.onEvent, OnEpoch: sess.onEpoch, OnEnd: sess.onEnd,
		ReplyError: replyError, ErrNoReply: ErrNoReply,
	})
	if err != nil {
		return nil, err
	}
	sess.conn = conn
	return sess, nil
}

// Session is a session on one thread with one assistant, over LangGraph's
// thread stream protocol (the Python SDK's client.threads.stream, the JS
// SDK's "protocol v2"; served by LangGraph.js 1.5 and later): start runs,
// read their events as they happen, answer interrupts, read the state. Get
// one from Service.Session; it is safe for concurrent use.
//
//	sess, err := c.Threads.Session(ctx, "", "agent", threads.SessionParams{})
//	defer sess.Close()
//	run, err := sess.Start(ctx, threads.RunInput{Input: in})
//	for ev, err := range run.Events(ctx) {
//		if err != nil {
//			return err
//		}
//		fmt.Print(ev.TextDelta) // the reply, token by token
//	}
//	out, err := run.Output(ctx) // the final values, or the interrupts to answer
//
// # Events
//
// The session holds one event stream of the thread, over one connection,
// and hands each event once, in order, to the run it belongs to (Run.Events)
// and to every subscription whose filter it matches (Subscribe). A run's
// events go from the root graph's "running" to its terminal lifecycle
// event (completed, failed or interrupted); events of subgraphs and nodes,
// also their "completed", belong to the run and never end it. Events are
// typed by channel (Event.Lifecycle, Event.Message, Event.Input, ...; a
// text delta is Event.TextDelta); unknown channels and fields pass through
// as raw JSON. The session skips what the thread's record on the server
// held before it opened.
//
// # One run at a time
//
// Start and Respond refuse, with an error matching ErrRunActive, while a
// run the session started has not ended: LangGraph.js 1.5.1 would start the
// new run and silently stop streaming the old one (a run started elsewhere
// on the same thread has the same effect: the session's run then ends with
// a *langgraph.StreamError).
//
// # Reconnecting
//
// When the connection breaks, the session reconnects with backoff
// (SessionParams.Reconnect). Over SSE it resumes after the last event it
// received ("since"), drops what it has already handed out, and notices a
// server whose event numbering started again (after a restart): it then
// reads the new numbering from its start, so no new event is taken for a
// duplicate. Over a WebSocket, LangGraph.js 1.5.1 cannot resume: closing a
// socket drops the thread's event record on the server, and a new socket
// starts a new record numbered from 1. A run that was going on when the
// socket broke therefore loses the rest of its events: its Events ends with
// a *langgraph.StreamError, and its Output waits for the run through the
// REST API and returns the thread's state then. The session waits for that
// run to end before it opens the new socket (a socket opened earlier would
// join the record the server is about to drop, and get no replies), then
// goes on with the next runs as usual.
//
// # Credentials
//
// Every command, event request and WebSocket handshake carries the
// session's credentials, like every other call of the client, and only to
// the base URL's origin. LangGraph.js 1.5.1 keeps, for each thread, the
// credentials of the first request that touched it on the server process
// and runs every later run of that thread as that user; give each user
// their own thread ids.
//
// # Errors
//
// A protocol error reply is a *ProtocolError (errors.Is(err,
// threads.CodeInvalidArgument)); an HTTP failure a *langgraph.APIError; a
// WebSocket command without a reply matches ErrNoReply; a connection that
// could not be resumed ends the session with a *langgraph.StreamError; a
// failed run's *langgraph.RunError comes with its last event and from
// Output.
type Session struct {
	svc         *Service
	b           *transport.Backend
	threadID    string
	assistantID string
	opts        []langgraph.Option
	transport   Transport
	conn        *protocol.Conn

	mu      sync.Mutex
	closing bool
	endErr  error         // why the session ended
	ended   chan struct{} // closed when it ended
	pending *Run          // started, waiting for its root "running"
	active  *Run          // running
	last    *Run          // the last run that ended
	subs    map[*subscription]struct{}
}

// ThreadID returns the session's thread id.
func (s *Session) ThreadID() string { return s.threadID }

// AssistantID returns the session's assistant.
func (s *Session) AssistantID() string { return s.assistantID }

// Transport returns the transport the session uses: SSE or WebSocket.
func (s *Session) Transport() Transport { return s.transport }

// Close ends the session: it closes the connection (a WebSocket with a
// normal closure, which makes LangGraph.js drop the thread's event record)
// and waits for the session's goroutine. Iterators and waits still going
// end with ErrSessionClosed. Runs go on on the server. Close is idempotent.
func (s *Session) Close() error {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	s.conn.Close()
	return nil
}

// Done is closed when the session has ended (Close, the context of
// Service.Session, or a connection that could not be resumed); Err then
// says why.
func (s *Session) Done() <-chan struct{} { return s.ended }

// Err returns why the session ended: ErrSessionClosed after Close, the
// context's error, or the error that stopped the connection; nil while the
// session goes on.
func (s *Session) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.endErr
}

// RunInput is what Start sends.
type RunInput struct {
	// Input is the graph's input. While the thread waits at an interrupt, a
	// run started with an input resumes the interrupt with that input as
	// its value (the server's behaviour); use Respond to answer by id.
	Input any `json:"input,omitzero"`
	// Config is the run's configuration. LangGraph.js 1.5.1 does not copy
	// x-* request headers into the configurable of these runs, as it does
	// for runs created through the REST API: pass such values here.
	Config *langgraph.Config `json:"config,omitzero"`
	// Metadata is attached to the run.
	Metadata map[string]any `json:"metadata,omitzero"`
	// CheckpointID starts the run from this checkpoint of the thread (a
	// fork) instead of its latest state.
	CheckpointID string `json:"-"`
}

// Start starts a run of the session's assistant on the thread (command
// run.start) and returns it; its events follow on Run.Events. It is refused
// with ErrRunActive while a run of this session has not ended. The command
// is not retried once it may have reached the server.
func (s *Session) Start(ctx context.Context, in RunInput) (*Run, error) {
	params := map[string]any{"assistant_id": s.assistantID}
	if in.Input != nil {
		params["input"] = in.Input
	}
	if in.Config != nil || in.CheckpointID != "" {
		cfg := langgraph.Config{}
		if in.Config != nil {
			cfg = *in.Config
		}
		if in.CheckpointID != "" {
			conf := make(map[string]any, len(cfg.Configurable)+1)
			for k, v := range cfg.Configurable {
				conf[k] = v
			}
			conf["checkpoint_id"] = in.CheckpointID
			cfg.Configurable = conf
		}
		params["config"] = cfg
	}
	if in.Metadata != nil {
		params["metadata"] = in.Metadata
	}
	return s.begin(ctx, "run.start", params)
}

// Respond answers an interrupt (command input.respond): the run that
// stopped there resumes, and Respond returns it as a new Run. interruptID is
// the InputRequest's id; empty means the only pending interrupt. The id is
// checked against the thread's pending interrupts (the last run's, else the
// thread's state), since the server would pass a wrong id's {id: value} map
// to the node as its answer. While several interrupts wait, answer them
// together with RespondAll.
func (s *Session) Respond(ctx context.Context, interruptID string, response any) (*Run, error) {
	pending, err := s.pendingInterrupts(ctx)
	if err != nil {
		return nil, err
	}
	if interruptID == "" {
		switch len(pending) {
		case 0:
			return nil, lgerr.Invalid("no interrupt is pending on thread %s", s.threadID)
		case 1:
			interruptID = pending[0].InterruptID
		default:
			return nil, lgerr.Invalid("%d interrupts are pending on thread %s (%s): pass one id, or answer them together with RespondAll", len(pending), s.threadID, ids(pending))
		}
	}
	return s.respond(ctx, pending, map[string]any{interruptID: response})
}

// RespondAll answers several interrupts at once, by id (they resume in one
// run); see Respond.
func (s *Session) RespondAll(ctx context.Context, responses map[string]any) (*Run, error) {
	if len(responses) == 0 {
		return nil, lgerr.Invalid("RespondAll needs at least one response")
	}
	pending, err := s.pendingInterrupts(ctx)
	if err != nil {
		return nil, err
	}
	return s.respond(ctx, pending, responses)
}

func (s *Session) respond(ctx context.Context, pending []InputRequest, responses map[string]any) (*Run, error) {
	entries := make([]map[string]any, 0, len(responses))
	keys := make([]string, 0, len(responses))
	for id := range responses {
		keys = append(keys, id)
	}
	slices.Sort(keys)
	for _, id := range keys {
		i := slices.IndexFunc(pending, func(r InputRequest) bool { return r.InterruptID == id })
		if i < 0 {
			if len(pending) == 0 {
				return nil, lgerr.Invalid("no interrupt is pending on thread %s (asked to answer %q)", s.threadID, id)
			}
			return nil, lgerr.Invalid("interrupt %q is not pending on thread %s (pending: %s)", id, s.threadID, ids(pending))
		}
		ns := pending[i].Namespace
		if ns == nil {
			ns = []string{}
		}
		entries = append(entries, map[string]any{"interrupt_id": id, "response": responses[id], "namespace": ns})
	}
	var params map[string]any
	if len(entries) == 1 {
		params = entries[0]
	} else {
		params = map[string]any{"responses": entries}
	}
	run, err := s.begin(ctx, "input.respond", params)
	if errors.Is(err, CodeNoSuchRun) {
		// The server's record of the thread has never seen a run.start (a
		// new server process, or a new WebSocket): it refuses input.respond
		// although the thread waits at these interrupts. A run.start whose
		// input is the {interrupt id: response} map resumes them the same
		// way.
		run, err = s.begin(ctx, "run.start", map[string]any{"assistant_id": s.assistantID, "input": responses})
	}
	return run, err
}

func ids(rs []InputRequest) string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.InterruptID
	}
	return strings.Join(out, ", ")
}

// pendingInterrupts returns the thread's pending interrupts: those of the
// session's last run if it stopped at them, else those of the thread's
// state (GET /threads/{id}/state).
func (s *Session) pendingInterrupts(ctx context.Context) ([]InputRequest, error) {
	s.mu.Lock()
	last := s.last
	var known []InputRequest
	if last != nil && last.status == LifecycleInterrupted && len(last.interrupts) > 0 {
		known = slices.Clone(last.interrupts)
	}
	s.mu.Unlock()
	if known != nil {
		return known, nil
	}
	st, err := s.svc.GetState(protocol.Strip(ctx), s.threadID, StateParams{}, s.opts...)
	if err != nil {
		if errors.Is(err, langgraph.ErrNotFound) {
			return nil, nil
		}
		return nil, err
	}
	out := make([]InputRequest, 0, len(st.Interrupts))
	for _, in := range st.Interrupts {
		if in.ID != "" {
			out = append(out, InputRequest{InterruptID: in.ID, Payload: in.Value})
		}
	}
	return out, nil
}

// begin sends a command that starts a run and returns that run.
func (s *Session) begin(ctx context.Context, method string, params map[string]any) (*Run, error) {
	r := &Run{s: s, notify: make(chan struct{}, 1), done: make(chan struct{})}
	s.mu.Lock()
	switch {
	case s.endErr != nil:
		err := s.endErr
		s.mu.Unlock()
		return nil, err
	case s.closing:
		s.mu.Unlock()
		return nil, ErrSessionClosed
	case s.pending != nil || s.active != nil:
		s.mu.Unlock()
		return nil, fmt.Errorf("%w: wait for it to end (Run.Output) before starting another on thread %s", ErrRunActive, s.threadID)
	}
	s.pending = r
	s.mu.Unlock()
	rep, err := s.conn.Call(ctx, method, params, false)
	var res struct {
		RunID string `json:"run_id"`
	}
	if err == nil {
		_ = json.Unmarshal(rep.Result, &res)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// Unless the run's root "running" has already claimed it, it stays
	// pending: the events can come before or after the reply.
	claimed := s.pending != r
	if err != nil {
		if claimed {
			// The reply was lost, but the run's events show that it started.
			return r, nil
		}
		s.pending = nil
		return nil, err
	}
	if res.RunID != "" {
		r.id = res.RunID
	}
	return r, nil
}

// onEvent hands an event to its run and to the matching subscriptions.
func (s *Session) onEvent(pe *protocol.Event) {
	ev := newEvent(pe)
	s.mu.Lock()
	defer s.mu.Unlock()
	if ev.IsRoot() && ev.Lifecycle != nil && ev.Lifecycle.Status == LifecycleRunning {
		if s.active != nil {
			// Another run started on the thread: the server streams only
			// the newest run, so the rest of this one will never come.
			s.active.lose(&langgraph.StreamError{RunID: s.active.id, ThreadID: s.threadID, LastEventID: s.active.lastID,
				Reason: "another run started on the thread, and the server streams only the newest run"})
			s.active = nil
		}
		if s.pending != nil {
			s.active, s.pending = s.pending, nil
		}
	}
	if r := s.active; r != nil {
		r.add(ev)
		if ev.IsRoot() && ev.Lifecycle != nil && ev.Lifecycle.Status.Terminal() {
			r.finish(ev.Lifecycle)
			s.last, s.active = r, nil
		}
	}
	for sub := range s.subs {
		if sub.filter.Match(ev) {
			sub.push(ev, nil)
		}
	}
}

// onEpoch reacts to a new server sequence.
func (s *Session) onEpoch(epoch int, lost bool, cause error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !lost {
		return
	}
	why := "the connection broke while the run was going on, and the server cannot send its remaining events again"
	if s.transport == TransportWebSocket {
		why = "the WebSocket broke while the run was going on, and LangGraph.js 1.5.1 cannot replay a run on a new socket (closing a socket drops the thread's event record); Run.Output still returns the run's result"
	}
	se := &langgraph.StreamError{ThreadID: s.threadID, Reason: why, Err: cause}
	if r := s.active; r != nil {
		e := *se
		e.RunID, e.LastEventID = r.id, r.lastID
		r.lose(&e)
		s.active = nil
	}
	for sub := range s.subs {
		sub.push(Event{}, se)
	}
}

// onEnd ends the session.
func (s *Session) onEnd(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closing:
		err = ErrSessionClosed
	case err == nil:
		err = ErrSessionClosed
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		err = fmt.Errorf("langgraph: session on thread %s ended: %w", s.threadID, err)
	}
	s.endErr = err
	for _, r := range []*Run{s.pending, s.active} {
		if r != nil {
			r.end(err)
		}
	}
	s.pending, s.active = nil, nil
	for sub := range s.subs {
		sub.wake()
	}
	close(s.ended)
}

// Run is a run started by a session (Start, Respond).
type Run struct {
	s *Session

	// Under s.mu.
	id         string
	lastID     string
	queue      []Event
	head       int
	discard    bool // the events consumer is gone
	finished   bool
	status     LifecycleStatus
	values     json.RawMessage // the last root values
	interrupts []InputRequest
	err        error // *RunError (failed), *StreamError (lost), or the session's end
	lost       bool

	used   atomic.Bool
	notify chan struct{}
	done   chan struct{}
}

func (r *Run) signal() {
	select {
	case r.notify <- struct{}{}:
	default:
	}
}

// add queues an event of the run (under s.mu).
func (r *Run) add(ev Event) {
	r.lastID = ev.ID
	switch {
	case ev.IsRoot() && ev.Channel == ChannelValues:
		r.values = ev.Data
	case ev.Input != nil:
		if !slices.ContainsFunc(r.interrupts, func(x InputRequest) bool { return x.InterruptID == ev.Input.InterruptID }) {
			r.interrupts = append(r.interrupts, *ev.Input)
		}
	case r.id == "" && ev.Task != nil && len(ev.Task.Metadata) > 0:
		var md struct {
			RunID string `json:"run_id"`
		}
		if json.Unmarshal(ev.Task.Metadata, &md) == nil {
			r.id = md.RunID
		}
	}
	if r.discard {
		return
	}
	r.queue = append(r.queue, ev)
	r.signal()
}

// finish ends the run at its root terminal lifecycle (under s.mu).
func (r *Run) finish(l *Lifecycle) {
	r.status = l.Status
	if l.Status == LifecycleFailed {
		e := l.Err()
		e.RunID, e.ThreadID = r.id, r.s.threadID
		r.err = e
	}
	r.close()
}

// lose ends the run whose remaining events cannot come (under s.mu).
func (r *Run) lose(err error) {
	r.lost, r.err = true, err
	r.close()
}

// end ends the run with the session (under s.mu).
func (r *Run) end(err error) {
	r.err = err
	r.close()
}

func (r *Run) close() {
	if r.finished {
		return
	}
	r.finished = true
	close(r.done)
	r.signal()
}

// ID returns the run's id: from run.start's reply, or, for a run started by
// Respond (whose reply names none), from its first task event; "" until
// known.
func (r *Run) ID() string {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return r.id
}

// Done is closed when the run has ended, or its events can no longer
// arrive.
func (r *Run) Done() <-chan struct{} { return r.done }

// Interrupts returns the interrupts the run has raised so far.
func (r *Run) Interrupts() []InputRequest {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	return slices.Clone(r.interrupts)
}

// Events returns the run's events, from the root graph's "running" to its
// terminal lifecycle event: completed, interrupted, or failed (yielded
// together with the run's *langgraph.RunError). The run keeps its events
// from its start until they are read, so ranging late loses nothing. It is
// single-use (a second range yields langgraph.ErrStreamUsed); breaking out
// of the loop or ending ctx stops it (the run goes on). When the run's
// remaining events cannot arrive, it ends with a *langgraph.StreamError; when
// the session ends, with the session's error.
func (r *Run) Events(ctx context.Context) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		if !r.used.CompareAndSwap(false, true) {
			yield(Event{}, langgraph.ErrStreamUsed)
			return
		}
		s := r.s
		defer func() {
			s.mu.Lock()
			r.discard, r.queue, r.head = true, nil, 0
			s.mu.Unlock()
		}()
		for {
			s.mu.Lock()
			if r.head < len(r.queue) {
				ev := r.queue[r.head]
				r.queue[r.head] = Event{}
				r.head++
				if r.head == len(r.queue) {
					r.queue, r.head = r.queue[:0], 0
				}
				var err error
				last := ev.IsRoot() && ev.Lifecycle != nil && ev.Lifecycle.Status.Terminal()
				if last && ev.Lifecycle.Status == LifecycleFailed {
					err = r.err
				}
				s.mu.Unlock()
				if !yield(ev, err) || last {
					return
				}
				continue
			}
			finished, err := r.finished, r.err
			s.mu.Unlock()
			if finished {
				if err != nil && (r.lost || r.status == "") {
					yield(Event{}, err)
				}
				return
			}
			select {
			case <-r.notify:
			case <-ctx.Done():
				yield(Event{}, fmt.Errorf("langgraph: events of run %s: %w", r.ID(), ctx.Err()))
				return
			}
		}
	}
}

// RunOutput is how a run ended.
type RunOutput struct {
	// Status is completed, failed or interrupted.
	Status LifecycleStatus
	// Values is the thread's state when the run ended: the root graph's last
	// values event, or, for a run that sent none, the state the server
	// holds (state.get).
	Values json.RawMessage
	// Interrupts are the interrupts the run stopped at (Status
	// interrupted); answer them with Session.Respond.
	Interrupts []InputRequest
}

// Decode unmarshals the values into v.
func (o *RunOutput) Decode(v any) error { return json.Unmarshal(o.Values, v) }

// Output waits for the run to end and returns its output. A failed run
// returns its output with its *langgraph.RunError. When the run's events
// could not all arrive (a WebSocket that broke during the run), Output
// waits for the run through the REST API (joining it, or while its id is
// unknown, until the thread is no longer busy) and returns the thread's
// state then.
func (r *Run) Output(ctx context.Context) (*RunOutput, error) {
	select {
	case <-r.done:
	case <-ctx.Done():
		return nil, fmt.Errorf("langgraph: output of run %s: %w", r.ID(), ctx.Err())
	}
	s := r.s
	s.mu.Lock()
	out := &RunOutput{Status: r.status, Values: r.values, Interrupts: slices.Clone(r.interrupts)}
	err, lost, id := r.err, r.lost, r.id
	s.mu.Unlock()
	if lost {
		return r.recover(ctx, id, err)
	}
	if out.Status == "" {
		return nil, err
	}
	if out.Values == nil {
		st, serr := s.State(ctx)
		if serr != nil {
			return nil, serr
		}
		out.Values = st.Values
	}
	return out, err
}

// recover returns the output of a run whose events were lost, through the
// REST API: it waits for the run's end (joining it when its id is known,
// else until the thread is no longer busy), then reads the run's status
// (or the thread's) and the thread's state.
func (r *Run) recover(ctx context.Context, id string, lost error) (*RunOutput, error) {
	s := r.s
	ctx = protocol.Strip(ctx)
	var status string
	if id != "" {
		runPath, err := transport.Path("/threads/{thread_id}/runs/{run_id}", s.threadID, id)
		if err != nil {
			return nil, err
		}
		if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodGet, Path: runPath + "/join", Idempotent: true, Options: s.opts}, nil); err != nil {
			return nil, fmt.Errorf("langgraph: run %s lost its events (%w) and joining it failed: %w", id, lost, err)
		}
		var run struct {
			Status string `json:"status"`
		}
		if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodGet, Path: runPath, Idempotent: true, Options: s.opts}, &run); err != nil {
			return nil, err
		}
		status = run.Status
	} else {
		for wait := 50 * time.Millisecond; ; wait = min(2*wait, time.Second) {
			th, err := s.svc.Get(ctx, s.threadID, s.opts...)
			if err != nil {
				return nil, fmt.Errorf("langgraph: a run lost its events (%w) and reading its thread failed: %w", lost, err)
			}
			if th.Status != langgraph.StatusBusy {
				status = map[langgraph.Status]string{langgraph.StatusIdle: "success", langgraph.StatusInterrupted: "interrupted", langgraph.StatusError: "error"}[th.Status]
				break
			}
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, fmt.Errorf("langgraph: waiting for a run that lost its events: %w", ctx.Err())
			case <-t.C:
			}
		}
	}
	st, err := s.svc.GetState(ctx, s.threadID, StateParams{}, s.opts...)
	if err != nil {
		return nil, err
	}
	out := &RunOutput{Values: st.Values}
	for _, in := range st.Interrupts {
		out.Interrupts = append(out.Interrupts, InputRequest{InterruptID: in.ID, Payload: in.Value})
	}
	switch status {
	case "success":
		out.Status = LifecycleCompleted
	case "interrupted":
		out.Status = LifecycleInterrupted
	case "error", "timeout":
		out.Status = LifecycleFailed
		return out, &langgraph.RunError{RunID: id, ThreadID: s.threadID, Message: "the run failed (its error was among the events lost: " + lost.Error() + ")"}
	default:
		return nil, fmt.Errorf("langgraph: run %s lost its events (%w) and has status %q after it ended", id, lost, status)
	}
	return out, nil
}

// Cancel asks the server to cancel the run (REST POST
// /threads/{id}/runs/{run_id}/cancel; the protocol has no cancel command).
// The run then ends with the status interrupted. It needs the run's id (see
// ID).
func (r *Run) Cancel(ctx context.Context) error {
	id := r.ID()
	if id == "" {
		return lgerr.Invalid("the run's id is not known yet")
	}
	path, err := transport.Path("/threads/{thread_id}/runs/{run_id}/cancel", r.s.threadID, id)
	if err != nil {
		return err
	}
	_, err = r.s.b.Do(protocol.Strip(ctx), &transport.Request{Method: http.MethodPost, Path: path, Idempotent: true, Options: r.s.opts}, nil)
	return err
}

// StateSnapshot is the thread's state as the protocol's state.get returns
// it: the values as the server stores them (messages in their raw form, not
// normalized like the values events').
type StateSnapshot struct {
	// Values is the state.
	Values json.RawMessage `json:"values"`
	// Checkpoint identifies the state; nil for a thread that has none.
	Checkpoint *CheckpointRef `json:"checkpoint,omitzero"`
}

// CheckpointRef identifies a checkpoint.
type CheckpointRef struct {
	// ID is the checkpoint's id.
	ID string `json:"id"`
	// NS is its namespace ("" for the root graph).
	NS string `json:"ns,omitzero"`
}

// State reads the thread's state (command state.get); keys, when given,
// select the values to return.
func (s *Session) State(ctx context.Context, keys ...string) (*StateSnapshot, error) {
	params := map[string]any{}
	if keys != nil {
		params["keys"] = keys
	}
	var st StateSnapshot
	if err := s.call(ctx, "state.get", params, &st); err != nil {
		return nil, err
	}
	if st.Values == nil {
		st.Values = json.RawMessage("{}")
	}
	return &st, nil
}

// AgentTree is the tree of graphs and subgraphs of the current run.
type AgentTree struct {
	// Namespace is the graph's namespace; empty for the root.
	Namespace []string `json:"namespace"`
	// Status is its last lifecycle status.
	Status LifecycleStatus `json:"status"`
	// GraphName is its graph's (or node's) name.
	GraphName string `json:"graph_name,omitzero"`
	// Children are the graphs it started.
	Children []AgentTree `json:"children,omitzero"`
}

// Tree returns the tree of graphs of the thread's current (or last) run
// (command agent.getTree). Before any run the server answers with an error
// matching CodeNoSuchRun.
func (s *Session) Tree(ctx context.Context) (*AgentTree, error) {
	var res struct {
		Tree AgentTree `json:"tree"`
	}
	if err := s.call(ctx, "agent.getTree", map[string]any{}, &res); err != nil {
		return nil, err
	}
	return &res.Tree, nil
}

// call sends a read-only command and decodes its result.
func (s *Session) call(ctx context.Context, method string, params any, out any) error {
	s.mu.Lock()
	err := s.endErr
	if err == nil && s.closing {
		err = ErrSessionClosed
	}
	s.mu.Unlock()
	if err != nil {
		return err
	}
	rep, err := s.conn.Call(ctx, method, params, true)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(rep.Result, out); err != nil {
		return &langgraph.ResponseError{Method: http.MethodPost, URL: s.b.BaseURL(), StatusCode: http.StatusOK,
			Reason: "the result of " + method + " does not decode", Body: rep.Raw[:min(len(rep.Raw), 512)], Err: err}
	}
	return nil
}

// Filter selects events of a thread's stream, with the server's rules. The
// zero Filter selects every event.
type Filter struct {
	// Channels lists the channels to receive; empty means all. ChannelCustom
	// also matches the named custom channels.
	Channels []Channel
	// Namespaces lists namespace prefixes; empty means any namespace. []string{}
	// is the root graph. A prefix segment without ":" matches a segment with
	// any task id ("child" matches "child:1f0c2a7e-...").
	Namespaces [][]string
	// Depth, when set, bounds how many levels below a prefix an event may
	// be: Depth(0) is the prefix's own events. Needs Namespaces.
	Depth *int
}

// Depth returns a pointer to n, for Filter.Depth.
func Depth(n int) *int { return &n }

func (f Filter) compile() protocol.Filter {
	pf := protocol.Filter{Namespaces: f.Namespaces}
	for _, c := range f.Channels {
		pf.Channels = append(pf.Channels, string(c))
	}
	if f.Depth != nil {
		pf.Depth, pf.HasDepth = *f.Depth, true
	}
	return pf
}

// Match reports whether ev passes the filter.
func (f Filter) Match(ev Event) bool {
	pf := f.compile()
	return pf.Match(string(ev.Channel), ev.Method, ev.Namespace)
}

type subscription struct {
	filter compiledFilter
	mu     sync.Mutex // guards queue; taken under s.mu or alone
	queue  []item
	notify chan struct{}
	used   atomic.Bool
}

type compiledFilter struct{ protocol.Filter }

func (f compiledFilter) Match(ev Event) bool {
	return f.Filter.Match(string(ev.Channel), ev.Method, ev.Namespace)
}

type item struct {
	ev  Event
	err error
}

func (sub *subscription) push(ev Event, err error) {
	sub.mu.Lock()
	sub.queue = append(sub.queue, item{ev, err})
	sub.mu.Unlock()
	sub.wake()
}

func (sub *subscription) wake() {
	select {
	case sub.notify <- struct{}{}:
	default:
	}
}

func (sub *subscription) pop() (item, bool) {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if len(sub.queue) == 0 {
		return item{}, false
	}
	it := sub.queue[0]
	sub.queue[0] = item{}
	sub.queue = sub.queue[1:]
	return it, true
}

// Subscribe returns the session's events that pass f, from the time of the
// call, whichever run they belong to (runs started elsewhere on the thread
// too): subscribe before Start to miss nothing of a run. Events wait in the
// subscription until ranged over. A gap (a WebSocket that broke during a
// run) is yielded as a *langgraph.StreamError, and the events go on after
// it. The sequence ends when ctx ends (with its error), or when the session
// ends (with Session.Err: ErrSessionClosed after Close); ending ctx also
// drops a subscription that is never ranged over. It is single-use.
func (s *Session) Subscribe(ctx context.Context, f Filter) iter.Seq2[Event, error] {
	if f.Depth != nil && *f.Depth < 0 {
		return fail(lgerr.Invalid("Filter.Depth %d is negative", *f.Depth))
	}
	sub := &subscription{filter: compiledFilter{f.compile()}, notify: make(chan struct{}, 1)}
	s.mu.Lock()
	if err := s.endErr; err != nil {
		s.mu.Unlock()
		return fail(err)
	}
	s.subs[sub] = struct{}{}
	s.mu.Unlock()
	remove := func() {
		s.mu.Lock()
		delete(s.subs, sub)
		s.mu.Unlock()
		sub.wake()
	}
	stop := context.AfterFunc(ctx, remove)
	return func(yield func(Event, error) bool) {
		if !sub.used.CompareAndSwap(false, true) {
			yield(Event{}, langgraph.ErrStreamUsed)
			return
		}
		defer func() {
			stop()
			remove()
		}()
		for {
			if it, ok := sub.pop(); ok {
				if !yield(it.ev, it.err) {
					return
				}
				continue
			}
			if err := ctx.Err(); err != nil {
				yield(Event{}, fmt.Errorf("langgraph: subscription on thread %s: %w", s.threadID, err))
				return
			}
			select {
			case <-s.ended:
				if it, ok := sub.pop(); ok { // delivered just before the end
					if !yield(it.ev, it.err) {
						return
					}
					continue
				}
				yield(Event{}, s.Err())
				return
			default:
			}
			select {
			case <-sub.notify:
			case <-s.ended:
			case <-ctx.Done():
			}
		}
	}
}

func fail(err error) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) { yield(Event{}, err) }
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
