package protocol

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/coder/websocket"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/sse"
	"github.com/langgraph-go/langgraph/internal/stream"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// dial opens a WebSocket on the thread's event path, with the session's
// credentials on the handshake.
func (c *Conn) dial(ctx context.Context) (*websocket.Conn, error) {
	var ws *websocket.Conn
	req := &transport.Request{Method: http.MethodGet, Path: c.path, Idempotent: true, Options: c.cfg.Options}
	err := c.b.Upgrade(ctx, req, func(ctx context.Context, hc *http.Client, u string, h http.Header) (*http.Response, error) {
		conn, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPClient: hc, HTTPHeader: h})
		if err == nil {
			ws = conn
		}
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	limit := c.b.MaxEventSize()
	if limit <= 0 {
		limit = sse.DefaultMaxEventSize
	}
	ws.SetReadLimit(int64(limit))
	return ws, nil
}

// attach makes ws the session's socket and subscribes to the session's
// channels on it. Until the subscription's reply arrives, events are held:
// its meta.applied_through_seq tells which of them are history (the server
// sends a new socket the events it holds, and replays the current run's).
// Commands may use the socket once ready is called.
func (c *Conn) attach(ws *websocket.Conn) error {
	id := c.nextID.Add(1)
	c.mu.Lock()
	c.ws, c.subID, c.subDone, c.held = ws, id, false, nil
	// Every socket has its own numbering: forget the cutoff of a socket
	// that was dropped before it was used.
	c.last, c.lastFP, c.haveFP = 0, 0, false
	c.mu.Unlock()
	frame, err := json.Marshal(Command{ID: id, Method: "subscription.subscribe", Params: map[string]any{"channels": c.cfg.Channels}})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.ctx, c.timeout)
	defer cancel()
	if err := ws.Write(ctx, websocket.MessageText, frame); err != nil {
		return c.wsError("subscription.subscribe", err)
	}
	return nil
}

// ready lets commands use the socket.
func (c *Conn) ready() {
	c.mu.Lock()
	close(c.readyCh)
	c.mu.Unlock()
}

// fresh tells whether a new socket has a new record on the server. Closing
// the previous socket made the server drop the thread's record, but only
// once that record's run session has closed: a socket opened before that
// joins the old record, and once the server drops it, the socket gets no
// replies at all. A command that needs a run session tells them apart: an
// unknown unsubscribe is answered no_such_run by a new record and
// no_such_subscription by one that holds a session. It reads the socket
// itself (the reader is not running yet), holding the events it meets.
func (c *Conn) fresh(ws *websocket.Conn) (bool, error) {
	id := c.nextID.Add(1)
	frame, _ := json.Marshal(Command{ID: id, Method: "subscription.unsubscribe", Params: map[string]any{"subscription_id": "langgraph-go-probe"}})
	// A socket on a record the server has just dropped never answers.
	ctx, cancel := context.WithTimeout(c.ctx, min(c.timeout, probeTimeout))
	defer cancel()
	if err := ws.Write(ctx, websocket.MessageText, frame); err != nil {
		return false, err
	}
	for {
		_, data, err := ws.Read(ctx)
		if err != nil {
			return false, err
		}
		ev, rep, err := Parse(data)
		switch {
		case err != nil:
			return false, err
		case rep != nil && rep.ID == id:
			return rep.Code == "no_such_run", nil
		case rep != nil:
			if err := c.reply(rep); err != nil {
				return false, err
			}
		default:
			c.hold(ev)
		}
	}
}

// detach forgets a broken socket and fails the commands waiting on it.
func (c *Conn) detach(cause error) {
	c.mu.Lock()
	c.ws = nil
	select {
	case <-c.readyCh:
		// Commands wait on the new channel until the next socket is ready.
		c.readyCh = make(chan struct{})
	default:
		// Not ready yet: commands already wait on this one.
	}
	c.held = nil
	pending := c.pending
	c.pending = make(map[int64]chan callResult)
	c.mu.Unlock()
	if cause == nil {
		cause = errors.New("the socket was replaced")
	}
	for _, ch := range pending {
		ch <- callResult{err: c.wsError("", cause)}
	}
}

// wsError describes a socket that failed while a command was in flight.
func (c *Conn) wsError(method string, err error) error {
	u := c.b.BaseURL() + c.path
	if method != "" {
		u += " (" + method + ")"
	}
	return &langgraph.ConnectionError{Method: http.MethodGet, URL: u, Sent: true, Err: fmt.Errorf("WebSocket: %w", err)}
}

// loopWS reads the socket, and opens a new one when it breaks, until the
// context ends or reconnecting fails for good. A new socket always starts a
// new epoch: the server drops a thread's record when a socket closes, so
// the next one numbers its events from 1 again.
func (c *Conn) loopWS(ws *websocket.Conn) {
	defer close(c.done)
	for {
		cause := c.readWS(ws)
		ws.CloseNow()
		c.detach(cause)
		var f *fatal
		if errors.As(cause, &f) {
			c.end(f.err)
			return
		}
		if c.stopping() {
			err := c.ctx.Err()
			if err == nil {
				err = context.Canceled
			}
			c.end(err)
			return
		}
		c.newEpoch(cause)
		if ws = c.redial(cause); ws == nil {
			return
		}
	}
}

// redial waits until no run is left on the thread (a run that was going on
// when the socket broke keeps the old record alive), then opens a new
// socket, with backoff, until one has a new record (see fresh). It returns
// nil after calling end.
func (c *Conn) redial(cause error) *websocket.Conn {
	c.waitIdle()
	deadline := time.Now().Add(oldRecordWait)
	for attempts, old := 1, 0; ; attempts++ {
		if attempts > c.maxAttempts() {
			c.end(c.gaveUp("the thread's WebSocket broke and reconnecting failed", attempts-1, cause))
			return nil
		}
		if !c.wait(attempts+old, cause) {
			c.end(c.ctx.Err())
			return nil
		}
		ws, err := c.dial(c.ctx)
		if err == nil {
			if err = c.attach(ws); err == nil {
				var isNew bool
				isNew, err = c.fresh(ws)
				if err == nil && (isNew || time.Now().After(deadline)) {
					c.ready()
					return ws
				}
				if err == nil || errors.Is(err, context.DeadlineExceeded) && c.ctx.Err() == nil {
					// The old record, or one just dropped: let the server
					// drop it, then try again.
					ws.CloseNow()
					c.detach(nil)
					attempts--
					old = min(old+1, 4)
					continue
				}
			}
			ws.CloseNow()
			c.detach(err)
		}
		if c.ctx.Err() != nil {
			c.end(c.ctx.Err())
			return nil
		}
		if ws == nil && !stream.Transient(err) {
			// The handshake was refused (401, 404, ...).
			c.end(c.gaveUp("reconnecting failed", attempts, err))
			return nil
		}
		cause = err
	}
}

// probeTimeout bounds the wait for the answer of fresh's probe.
const probeTimeout = 3 * time.Second

// oldRecordWait bounds how long redial waits for the server to drop the
// thread's old record (it does so about half a second after the record's
// last run ends); after that a socket on an existing record is kept.
const oldRecordWait = 30 * time.Second

// waitIdle polls the thread (GET /threads/{id}) until it is not busy.
func (c *Conn) waitIdle() {
	path, err := transport.Path("/threads/{thread_id}", c.cfg.ThreadID)
	if err != nil {
		return
	}
	for n := 1; c.ctx.Err() == nil; n++ {
		var t struct {
			Status string `json:"status"`
		}
		_, err := c.b.Do(c.ctx, &transport.Request{Method: http.MethodGet, Path: path, Idempotent: true, Options: c.cfg.Options}, &t)
		if err != nil || t.Status != "busy" || n > 600 {
			return
		}
		tm := time.NewTimer(min(c.backoff(n), time.Second))
		select {
		case <-c.ctx.Done():
			tm.Stop()
			return
		case <-tm.C:
		}
	}
}

// readWS reads frames until the socket fails.
func (c *Conn) readWS(ws *websocket.Conn) error {
	var stopPing func()
	if d := c.cfg.Policy.IdleTimeout; d > 0 {
		stopPing = c.ping(ws, d)
		defer stopPing()
	}
	for {
		_, data, err := ws.Read(c.ctx)
		if err != nil {
			return err
		}
		ev, rep, err := Parse(data)
		if err != nil && truncated(c.ctx, ws) {
			// coder/websocket v1.8.15 hands out a message cut at a frame
			// boundary as if it were whole when the connection drops
			// there (io.EOF from the next read ends the message): the
			// connection is gone, not the server's framing.
			return fmt.Errorf("a WebSocket message was cut by the connection's end: %w", err)
		}
		if err != nil {
			return &fatal{&langgraph.ResponseError{Method: http.MethodGet, URL: c.b.BaseURL() + c.path, StatusCode: http.StatusSwitchingProtocols,
				Reason: "a WebSocket frame is not a protocol envelope", Body: data[:min(len(data), 512)], Err: err}}
		}
		if rep != nil {
			if err := c.reply(rep); err != nil {
				return err
			}
			continue
		}
		c.hold(ev)
	}
}

// hold holds an event until the subscription's reply, or delivers it.
func (c *Conn) hold(ev *Event) {
	c.mu.Lock()
	if !c.subDone {
		c.held = append(c.held, ev)
		c.mu.Unlock()
		return
	}
	c.mu.Unlock()
	c.deliver(ev)
}

func (c *Conn) deliver(ev *Event) {
	anchor := false
	if c.accept(ev, &anchor) == deliver && c.cfg.OnEvent != nil {
		c.cfg.OnEvent(ev)
	}
}

// reply routes a reply to the command waiting for it. The reply to the
// socket's subscription sets the history cutoff and releases the events
// held until then; the server sends it again, with its original id, at
// each later run: those copies, and replies nobody waits for, are dropped.
func (c *Conn) reply(rep *Reply) error {
	c.mu.Lock()
	if rep.ID == c.subID && !c.subDone {
		if !rep.OK {
			c.mu.Unlock()
			return fmt.Errorf("the server refused the subscription: %w", c.cfg.ReplyError(rep, "subscription.subscribe"))
		}
		c.subDone = true
		if rep.Meta != nil && rep.Meta.AppliedThroughSeq != nil {
			c.last = max(c.last, *rep.Meta.AppliedThroughSeq)
		}
		held := c.held
		c.held = nil
		c.mu.Unlock()
		for _, ev := range held {
			c.deliver(ev)
		}
		return nil
	}
	ch := c.pending[rep.ID]
	delete(c.pending, rep.ID)
	c.mu.Unlock()
	if ch != nil {
		ch <- callResult{rep: rep}
	}
	return nil
}

// ping pings the socket every d/2 and closes it when a pong does not come
// within d (ReconnectPolicy.IdleTimeout).
func (c *Conn) ping(ws *websocket.Conn, d time.Duration) (stop func()) {
	ctx, cancel := context.WithCancel(c.ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(d / 2)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			pctx, pcancel := context.WithTimeout(ctx, d)
			err := ws.Ping(pctx)
			pcancel()
			if err != nil && ctx.Err() == nil {
				ws.CloseNow()
				return
			}
		}
	}()
	return func() { cancel(); <-done }
}

// callWS sends a command on the socket and waits for its reply.
func (c *Conn) callWS(ctx context.Context, method string, params any) (*Reply, error) {
	id := c.nextID.Add(1)
	frame, err := json.Marshal(Command{ID: id, Method: method, Params: params})
	if err != nil {
		return nil, fmt.Errorf("%w: encoding %s: %w", langgraph.ErrInvalidArgument, method, err)
	}
	timer := time.NewTimer(c.timeout)
	defer timer.Stop()
	var ws *websocket.Conn
	for ws == nil {
		var ready chan struct{}
		c.mu.Lock()
		ready = c.readyCh
		select {
		case <-ready:
			ws = c.ws
		default:
		}
		c.mu.Unlock()
		if ws != nil {
			break
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("langgraph: %s: %w", method, ctx.Err())
		case <-c.done:
			return nil, c.wsError(method, errors.New("the session's connection has stopped"))
		case <-timer.C:
			return nil, fmt.Errorf("%w: %s: no WebSocket within %v", c.cfg.ErrNoReply, method, c.timeout)
		case <-ready:
		}
	}
	ch := make(chan callResult, 1)
	c.mu.Lock()
	if c.ws != ws {
		c.mu.Unlock()
		return nil, c.wsError(method, errors.New("the socket broke"))
	}
	c.pending[id] = ch
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
	}()
	wctx, cancel := context.WithTimeout(ctx, c.timeout)
	err = ws.Write(wctx, websocket.MessageText, frame)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("langgraph: %s: %w", method, ctx.Err())
		}
		return nil, c.wsError(method, err)
	}
	select {
	case r := <-ch:
		if r.err != nil {
			return nil, r.err
		}
		if !r.rep.OK {
			return nil, c.cfg.ReplyError(r.rep, method)
		}
		return r.rep, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("langgraph: %s: %w", method, ctx.Err())
	case <-timer.C:
		return nil, fmt.Errorf("%w: %s sent no reply within %v over the WebSocket (LangGraph.js 1.5.1 answers nothing when a command fails outside a run: a thread the user cannot see, an unknown assistant, state.get on a thread that does not exist); the command may have taken effect", c.cfg.ErrNoReply, method, c.timeout)
	}
}

// truncated reports whether the socket has failed right after a message that
// does not parse: then the message was cut by the connection's end.
func truncated(ctx context.Context, ws *websocket.Conn) bool {
	ctx, cancel := context.WithTimeout(ctx, 250*time.Millisecond)
	defer cancel()
	_, _, err := ws.Read(ctx)
	return err != nil && !errors.Is(err, context.DeadlineExceeded)
}
