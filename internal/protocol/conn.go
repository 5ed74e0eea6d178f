package protocol

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/reqopt"
	"github.com/langgraph-go/langgraph/internal/stream"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// DefaultReplyTimeout bounds the wait for a WebSocket reply.
const DefaultReplyTimeout = 20 * time.Second

// Config configures a Conn.
type Config struct {
	// Backend sends the requests.
	Backend *transport.Backend
	// ThreadID is the thread.
	ThreadID string
	// Options are the session's options; they apply to every request, and
	// the options of the contexts of later calls do not (see Strip).
	Options []langgraph.Option
	// WebSocket selects the WebSocket transport; SSE otherwise.
	WebSocket bool
	// Channels are the channels the connection asks the server for.
	Channels []string
	// Policy says how the connection reconnects.
	Policy langgraph.ReconnectPolicy
	// ReplyTimeout bounds the wait for a WebSocket reply; 0 means
	// DefaultReplyTimeout.
	ReplyTimeout time.Duration

	// OnEvent receives each event once, in order. It is called from the
	// connection's goroutine and must not block for long.
	OnEvent func(*Event)
	// OnEpoch is called, from the same goroutine, when a new server
	// sequence begins: epoch is its number (from 2), lost says that the
	// connection broke while a run was active and the rest of that run's
	// events cannot be had, cause is what broke it.
	OnEpoch func(epoch int, lost bool, cause error)
	// OnEnd is called once, from the same goroutine, when the connection
	// stops: with ctx's error after Close or when the context of Open ends,
	// else with the error that made it give up.
	OnEnd func(err error)

	// ReplyError builds the error of an error reply to method.
	ReplyError func(rep *Reply, method string) error
	// ErrNoReply is wrapped by the error of a WebSocket command that got no
	// reply in time.
	ErrNoReply error
}

// Strip returns ctx without the options set by
// langgraph.ContextWithOptions: a session's requests carry the session's
// options only, whatever the context of the call.
func Strip(ctx context.Context) context.Context {
	return context.WithValue(ctx, reqopt.ContextKey{}, []langgraph.Option(nil))
}

// Conn is the event connection and command channel of one session.
type Conn struct {
	cfg     Config
	b       *transport.Backend
	path    string // /threads/{id}/stream/events
	cmdPath string // /threads/{id}/commands
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}
	nextID  atomic.Int64
	timeout time.Duration

	mu         sync.Mutex
	epoch      int
	last       int64  // the highest seq received in this epoch, or the history cutoff
	lastFP     uint64 // fingerprint of the event last, when haveFP
	haveFP     bool
	rootActive bool // a root "running" was received and no root terminal since
	restart    bool // a reply showed that the server's sequence started again
	cut        context.CancelFunc
	closing    bool

	// WebSocket state, under mu.
	ws      *websocket.Conn
	readyCh chan struct{} // closed while ws is usable
	pending map[int64]chan callResult
	subID   int64
	subDone bool
	held    []*Event
}

type callResult struct {
	rep *Reply
	err error
}

// Open opens the session's event connection on ctx, which bounds the
// connection's life. The first connection is opened before Open returns,
// so a refused one (401, 404, no server) is Open's error.
func Open(ctx context.Context, cfg Config) (*Conn, error) {
	path, err := transport.Path("/threads/{thread_id}/stream/events", cfg.ThreadID)
	if err != nil {
		return nil, err
	}
	cmdPath, _ := transport.Path("/threads/{thread_id}/commands", cfg.ThreadID)
	ctx, cancel := context.WithCancel(Strip(ctx))
	c := &Conn{
		cfg: cfg, b: cfg.Backend, path: path, cmdPath: cmdPath, ctx: ctx, cancel: cancel,
		done: make(chan struct{}), epoch: 1, timeout: cfg.ReplyTimeout,
		readyCh: make(chan struct{}), pending: make(map[int64]chan callResult),
	}
	if c.timeout <= 0 {
		c.timeout = DefaultReplyTimeout
	}
	if cfg.WebSocket {
		ws, err := c.dial(ctx)
		if err != nil {
			cancel()
			return nil, err
		}
		if err := c.attach(ws); err != nil {
			ws.CloseNow()
			cancel()
			return nil, err
		}
		c.ready()
		go c.loopWS(ws)
		return c, nil
	}
	if err := c.probe(ctx); err != nil {
		cancel()
		return nil, err
	}
	resp, anchor, err := c.openSSE()
	if err != nil {
		cancel()
		return nil, err
	}
	go c.loopSSE(resp, anchor)
	return c, nil
}

// Close stops the connection and waits for its goroutine. A WebSocket is
// closed with a normal closure.
func (c *Conn) Close() {
	c.mu.Lock()
	c.closing = true
	ws := c.ws
	c.mu.Unlock()
	if ws != nil {
		// The reader goroutine is still reading: it receives the server's
		// close frame, which completes the handshake.
		_ = ws.Close(websocket.StatusNormalClosure, "")
	}
	c.cancel()
	<-c.done
}

// stopping reports that Close was called or the context ended.
func (c *Conn) stopping() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closing || c.ctx.Err() != nil
}

// Done is closed when the connection has stopped.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Last returns the current epoch and the highest seq received in it.
func (c *Conn) Last() (epoch int, seq int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch, c.last
}

// verdict is what accept decides for an event.
type verdict int

const (
	deliver verdict = iota
	drop
	restart
)

// accept decides what to do with an event received on the connection.
// With anchor set, the event is the first one after a reconnect that asked
// for the last event seen again (since = last-1): if it is that event, the
// server's sequence goes on and it is dropped; anything else means the
// sequence started again (another event at that seq, or a later seq while
// the record keeps every event).
func (c *Conn) accept(ev *Event, anchor *bool) verdict {
	c.mu.Lock()
	defer c.mu.Unlock()
	if *anchor {
		*anchor = false
		if ev.Seq == c.last && ev.fp == c.lastFP {
			return drop
		}
		return restart
	}
	if ev.Seq <= c.last {
		return drop
	}
	c.last, c.lastFP, c.haveFP = ev.Seq, ev.fp, true
	ev.Epoch = c.epoch
	if ev.Method == "lifecycle" && ev.IsRoot() {
		switch st := ev.Lifecycle(); {
		case st == "running":
			c.rootActive = true
		case Terminal(st):
			c.rootActive = false
		}
	}
	return deliver
}

// newEpoch starts a new server sequence: nothing of the old one is kept.
func (c *Conn) newEpoch(cause error) {
	c.mu.Lock()
	c.epoch++
	epoch, lost := c.epoch, c.rootActive
	c.last, c.lastFP, c.haveFP, c.rootActive, c.restart = 0, 0, false, false, false
	c.mu.Unlock()
	if c.cfg.OnEpoch != nil {
		c.cfg.OnEpoch(epoch, lost, cause)
	}
}

// noteApplied checks a reply's applied_through_seq against the last seq
// received before the command was sent, in the same epoch: a smaller value
// means that the server's sequence started again (a restart), so that the
// connection's "since" would hide the new sequence's first events.
func (c *Conn) noteApplied(meta *Meta, epoch int, last int64) {
	if meta == nil || meta.AppliedThroughSeq == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epoch != epoch || *meta.AppliedThroughSeq >= last {
		return
	}
	c.restart = true
	if c.cut != nil {
		c.cut()
	}
}

// endConn releases the context of the SSE connection that just ended.
func (c *Conn) endConn() {
	c.mu.Lock()
	if c.cut != nil {
		c.cut()
	}
	c.mu.Unlock()
}

func (c *Conn) takeRestart() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	r := c.restart
	c.restart = false
	return r
}

// end reports the connection's end once and fails the commands waiting.
func (c *Conn) end(err error) {
	c.mu.Lock()
	pending := c.pending
	c.pending = make(map[int64]chan callResult)
	c.mu.Unlock()
	for _, ch := range pending {
		ch <- callResult{err: err}
	}
	if c.cfg.OnEnd != nil {
		c.cfg.OnEnd(err)
	}
}

func (c *Conn) maxAttempts() int {
	switch n := c.cfg.Policy.MaxAttempts; {
	case n < 0:
		return 0
	case n == 0:
		return stream.DefaultMaxAttempts
	default:
		return n
	}
}

func (c *Conn) backoff(n int) time.Duration {
	lo, hi := c.cfg.Policy.MinWait, c.cfg.Policy.MaxWait
	if lo <= 0 {
		lo = stream.DefaultMinWait
	}
	if hi <= 0 {
		hi = max(stream.DefaultMaxWait, lo)
	}
	return transport.Backoff(lo, hi, n-1)
}

// wait sleeps before reconnect attempt n, after calling OnReconnect; false
// when the connection's context ended.
func (c *Conn) wait(n int, cause error) bool {
	d := c.backoff(n)
	if f := c.cfg.Policy.OnReconnect; f != nil {
		_, last := c.Last()
		f(langgraph.Reconnect{Attempt: n, LastEventID: strconv.FormatInt(last, 10), Wait: d, Cause: cause,
			Run: langgraph.RunRef{ThreadID: c.cfg.ThreadID}})
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-c.ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// gaveUp is the error of a connection that could not be resumed.
func (c *Conn) gaveUp(why string, attempts int, cause error) error {
	_, last := c.Last()
	e := &langgraph.StreamError{ThreadID: c.cfg.ThreadID, Attempts: attempts, Reason: why, Err: cause}
	if last > 0 {
		e.LastEventID = strconv.FormatInt(last, 10)
	}
	return e
}

// Call sends a command and returns its success reply. An error reply is
// returned as cfg.ReplyError builds it. Over SSE the command is a POST
// /threads/{id}/commands, retried as the transport's policy allows
// (idempotent says it may be repeated); over WebSocket it is a frame on the
// socket, and a reply that does not come within the reply timeout is an
// error wrapping cfg.ErrNoReply.
func (c *Conn) Call(ctx context.Context, method string, params any, idempotent bool) (*Reply, error) {
	ctx = Strip(ctx)
	if c.cfg.WebSocket {
		return c.callWS(ctx, method, params)
	}
	return c.callHTTP(ctx, method, params, idempotent)
}

func (c *Conn) callHTTP(ctx context.Context, method string, params any, idempotent bool) (*Reply, error) {
	id := c.nextID.Add(1)
	epoch, last := c.Last()
	var raw json.RawMessage
	req := &transport.Request{Method: http.MethodPost, Path: c.cmdPath, Body: Command{ID: id, Method: method, Params: params},
		Idempotent: idempotent, Options: c.cfg.Options}
	if _, err := c.b.Do(ctx, req, &raw); err != nil {
		return nil, err
	}
	ev, rep, err := Parse(raw)
	switch {
	case err != nil:
		return nil, c.badReply(method, raw, "the answer is not a protocol reply", err)
	case ev != nil:
		return nil, c.badReply(method, raw, "the answer is an event, not a reply", nil)
	case rep.ID != id:
		return nil, c.badReply(method, raw, fmt.Sprintf("the reply is for command %d, not %d", rep.ID, id), nil)
	}
	c.noteApplied(rep.Meta, epoch, last)
	if !rep.OK {
		return nil, c.cfg.ReplyError(rep, method)
	}
	return rep, nil
}

func (c *Conn) badReply(method string, raw []byte, why string, err error) error {
	return &langgraph.ResponseError{Method: http.MethodPost, URL: c.b.BaseURL() + c.cmdPath, StatusCode: http.StatusOK,
		ContentType: "application/json", Reason: why + " (" + method + ")", Body: raw[:min(len(raw), 512)], Err: err}
}
