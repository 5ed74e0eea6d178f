package protocol

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/sse"
	"github.com/langgraph-go/langgraph/internal/stream"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// probe learns how far the thread record's sequence has gone, so that the
// first SSE connection asks only for what comes next (the server replays
// every event the record holds, of every earlier run, to a connection
// without "since"). state.get answers with meta.applied_through_seq; a
// thread that does not exist (404) has no history.
func (c *Conn) probe(ctx context.Context) error {
	rep, err := c.callHTTP(ctx, "state.get", map[string]any{"keys": []string{}}, true)
	if err != nil {
		if errors.Is(err, langgraph.ErrNotFound) {
			return nil
		}
		return err
	}
	if rep.Meta != nil && rep.Meta.AppliedThroughSeq != nil {
		c.mu.Lock()
		c.last = max(c.last, *rep.Meta.AppliedThroughSeq)
		c.mu.Unlock()
	}
	return nil
}

type filterBody struct {
	Channels []string `json:"channels"`
	Since    *int64   `json:"since,omitempty"`
}

// openSSE opens an SSE connection that resumes after the last event
// received. When that event's fingerprint is known it asks for it again
// (since = last-1) and reports anchor: the first event must be that one,
// else the server's sequence started again.
func (c *Conn) openSSE() (*http.Response, bool, error) {
	c.mu.Lock()
	body := filterBody{Channels: c.cfg.Channels}
	anchor := false
	switch {
	case c.haveFP && c.last > 0:
		since := c.last - 1
		body.Since, anchor = &since, true
	case c.last > 0:
		since := c.last
		body.Since = &since
	}
	ctx, cut := context.WithCancel(c.ctx)
	c.cut = cut
	c.mu.Unlock()
	req := &transport.Request{Method: http.MethodPost, Path: c.path, Body: body, Header: stream.StreamHeader(""),
		Idempotent: true, NoTimeout: true, Options: c.cfg.Options}
	resp, err := c.b.Open(ctx, req)
	if err != nil {
		cut()
		return nil, false, err
	}
	if ct := resp.Header.Get("Content-Type"); !strings.Contains(strings.ToLower(ct), "text/event-stream") {
		// Its body is not read: it may never end.
		_ = resp.Body.Close()
		cut()
		return nil, false, transport.ResponseError(http.MethodPost, resp, nil, "the answer is not an event stream (text/event-stream)")
	}
	return resp, anchor, nil
}

// loopSSE reads the connection, and reconnects when it breaks, until the
// context ends or reconnecting fails for good.
func (c *Conn) loopSSE(resp *http.Response, anchor bool) {
	defer close(c.done)
	attempts := 0
	var cause error
	for {
		if resp != nil {
			progress, err, again := c.readSSE(resp, anchor)
			_ = resp.Body.Close()
			c.endConn()
			if c.ctx.Err() != nil {
				c.end(c.ctx.Err())
				return
			}
			var f *fatal
			if errors.As(err, &f) {
				c.end(f.err)
				return
			}
			if progress {
				attempts = 0
			}
			resp, cause = nil, err
			if again || c.takeRestart() {
				// The server's numbering started again: read the new one
				// from its start, at once.
				c.newEpoch(err)
				attempts = 0
				if resp, anchor, err = c.openSSE(); err == nil {
					continue
				}
				resp, cause = nil, err
			}
		}
		attempts++
		if attempts > c.maxAttempts() {
			c.end(c.gaveUp("the thread's event stream broke and reconnecting failed", attempts-1, cause))
			return
		}
		if !c.wait(attempts, cause) {
			c.end(c.ctx.Err())
			return
		}
		if c.takeRestart() {
			c.newEpoch(cause)
		}
		var err error
		resp, anchor, err = c.openSSE()
		if err != nil {
			resp, cause = nil, err
			switch {
			case c.ctx.Err() != nil:
				c.end(c.ctx.Err())
				return
			case errors.Is(err, context.Canceled):
				// A reply noticed a restart and cut this attempt: try again.
			case !stream.Transient(err):
				c.end(c.gaveUp("reconnecting failed", attempts, err))
				return
			}
		}
	}
}

// readSSE delivers the events of one connection. It returns whether an
// event was delivered, what ended the connection, and whether the server's
// sequence was found to have started again.
func (c *Conn) readSSE(resp *http.Response, anchor bool) (progress bool, cause error, again bool) {
	var body io.Reader = resp.Body
	if d := c.cfg.Policy.IdleTimeout; d > 0 {
		r, stop := stream.Watch(resp.Body, d)
		body = r
		defer func() {
			if stop() && cause != nil {
				cause = stream.IdleError(d)
			}
		}()
	}
	rd := sse.NewReader(body, c.b.MaxEventSize())
	for {
		e, err := rd.Next()
		if err != nil {
			if err == io.EOF {
				err = langgraph.ErrStreamClosed
			}
			var tooBig *sse.EventTooLargeError
			if errors.As(err, &tooBig) {
				err = &fatal{fmt.Errorf("%w: %w", langgraph.ErrEventTooLarge, err)}
			}
			return progress, err, false
		}
		if len(e.Data) == 0 {
			continue
		}
		ev, err := ParseEvent(e.Data)
		if err != nil {
			return progress, &fatal{transport.ResponseError(http.MethodPost, resp, e.Data, "an event of the thread's stream is not a protocol event: "+err.Error())}, false
		}
		switch c.accept(ev, &anchor) {
		case restart:
			return progress, nil, true
		case deliver:
			progress = true
			if c.cfg.OnEvent != nil {
				c.cfg.OnEvent(ev)
			}
		}
	}
}

// fatal marks an error that ends the session instead of a reconnect: an
// answer that cannot be a protocol stream.
type fatal struct{ err error }

func (f *fatal) Error() string { return f.err.Error() }
func (f *fatal) Unwrap() error { return f.err }
