package threads

import (
	"context"
	"iter"
	"net/http"
	"net/url"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/stream"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// StreamMode is a stream mode of a thread's stream: langgraph.StreamMode.
// The constants below are the thread modes.
type StreamMode = langgraph.StreamMode

// Stream modes of a thread's stream (the same constants as in package
// langgraph).
const (
	StreamRunModes    = langgraph.StreamRunModes    // the events of the thread's runs, in their own stream modes (the server's default)
	StreamLifecycle   = langgraph.StreamLifecycle   // runs starting and ending
	StreamStateUpdate = langgraph.StreamStateUpdate // changes of the thread's state
)

// JoinStreamParams say how JoinStream joins a thread's stream.
type JoinStreamParams struct {
	// LastEventID, sent as Last-Event-ID, asks for the events after that id.
	LastEventID string
	// StreamMode selects the events (server default: run_modes).
	StreamMode []StreamMode
	// Reconnect says how the stream resumes after its connection breaks.
	Reconnect langgraph.ReconnectPolicy
}

// JoinStream streams the events of a thread: those of every run on it, and
// its lifecycle and state changes (GET /threads/{thread_id}/stream). The
// sequence is single-use: ranging sends the request, breaking out of the loop
// or cancelling ctx closes the connection and leaves no goroutine behind.
//
// An "error" event (a run that failed) is yielded with its
// *langgraph.RunError and the stream goes on with the thread's next events.
//
// If the connection breaks, the stream is joined again with Last-Event-ID
// set to the last event id received (or through the Location header the
// server sent, same origin only), with exponential backoff; events the
// server sends again are skipped. A clean close ends the sequence. If the
// server sent no event ids, a broken stream ends with a
// *langgraph.StreamError.
//
// The JS development server does not implement this endpoint
// (langgraph.ErrNotFound).
func (s *Service) JoinStream(ctx context.Context, threadID string, p JoinStreamParams, opts ...langgraph.Option) iter.Seq2[langgraph.StreamPart, error] {
	path, err := transport.Path("/threads/{thread_id}/stream", threadID)
	if err != nil {
		return stream.Fail(err)
	}
	q := url.Values{}
	for _, m := range p.StreamMode {
		q.Add("stream_mode", string(m))
	}
	request := func(lastID string) *transport.Request {
		return &transport.Request{Method: http.MethodGet, Path: path, Query: q, Header: stream.StreamHeader(lastID), Idempotent: true, Options: opts}
	}
	return stream.Seq(ctx, stream.Spec{
		Backend:     s.b,
		Request:     request(""),
		Run:         langgraph.RunRef{ThreadID: threadID},
		LastEventID: p.LastEventID,
		Policy:      p.Reconnect,
		MultiRun:    true,
		Rejoin: func(_ langgraph.RunRef, lastID string) (*transport.Request, string) {
			if lastID == "-1" {
				lastID = "" // nothing received yet: join from now on
			}
			return request(lastID), ""
		},
	})
}
