package langgraph

import "time"

// ReconnectPolicy says how a stream resumes when its connection breaks or
// closes before the run has ended (see Streaming in package runs for when
// it does). The zero value means the defaults.
type ReconnectPolicy struct {
	// MaxAttempts is the number of reconnect attempts in a row, without an
	// event received in between, before the stream gives up with a
	// *StreamError; 0 means 5, a negative value disables reconnecting
	// (then a connection closed by the server ends the stream unchecked).
	MaxAttempts int
	// MinWait and MaxWait bound the exponential backoff before each attempt
	// (defaults 250ms and 5s). Each wait is drawn at random from the upper
	// half of min(MinWait·2^(attempt-1), MaxWait).
	MinWait, MaxWait time.Duration
	// OnReconnect, when set, is called before each attempt (before the
	// wait), in the goroutine that ranges over the stream: for every request
	// that resumes the stream, including the join sent at once (Wait 0) after
	// a clean close, to check for missed events. On the JS server, which
	// ends every stream by closing it, a resumable stream therefore calls it
	// once more at its normal end, with a Cause matching ErrStreamClosed.
	OnReconnect func(Reconnect)
	// IdleTimeout, when positive, is how long the stream waits for data
	// before it takes its connection for broken: if nothing at all arrives
	// (no event, no comment or heartbeat) for that long, it closes the
	// connection and resumes as after any broken connection, or, when the
	// run cannot be resumed, ends with a *StreamError that says the
	// connection was idle. The cause (Reconnect.Cause, StreamError.Err)
	// matches ErrStreamIdle. This catches half-open connections, which
	// otherwise hang a stream forever (e.g. after a load balancer or a
	// platform rollover drops them silently). Only time spent waiting for
	// the server counts, not time the consumer spends in its loop body. It
	// watches the response body: the wait for a response's headers is
	// bounded by the HTTP client (e.g. http.Transport.ResponseHeaderTimeout).
	//
	// 0, the default, turns it off, because the right value depends on the
	// server: the Python server (LangGraph Platform) sends a heartbeat
	// comment about every 5s, so a few times that (e.g. 20s) is safe there;
	// the JS server sends no heartbeats, so its streams are silent while a
	// node works, possibly for minutes. Each idle reconnect that brings no
	// event counts against MaxAttempts.
	IdleTimeout time.Duration
}

// Reconnect describes one reconnect attempt, for ReconnectPolicy.OnReconnect.
type Reconnect struct {
	// Attempt counts the attempts in a row, from 1.
	Attempt int
	// LastEventID is the id the stream resumes after (sent as Last-Event-ID).
	LastEventID string
	// Wait is the backoff before the attempt.
	Wait time.Duration
	// Cause is what ended the previous connection or attempt.
	Cause error
	// Run identifies the run when known.
	Run RunRef
}
