package runs

import (
	"context"
	"iter"
	"net/http"
	"net/url"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/internal/stream"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// StreamParams are the fields of a streamed run: those of a new run (with
// StreamMode, StreamSubgraphs, StreamResumable, FeedbackKeys, OnDisconnect
// and OnRunCreated) plus how the stream is read.
type StreamParams struct {
	CreateParams
	// AllEvents also yields the events of stream modes that were not
	// requested. By default they are dropped: with StreamSubgraphs the JS
	// server sends "checkpoints" events nobody asked for.
	AllEvents bool
	// Reconnect says how the stream resumes after its connection breaks.
	Reconnect langgraph.ReconnectPolicy
}

// Stream starts a run on a thread and streams its events
// (POST /threads/{thread_id}/runs/stream). Ranging over the result sends the
// request; the sequence ends after the run's last event. It is single-use:
// ranging again yields langgraph.ErrStreamUsed rather than start a second
// run.
//
//	for part, err := range c.Runs.Stream(ctx, threadID, "agent", runs.StreamParams{...}) {
//		if err != nil {
//			return err // a *langgraph.RunError when a node failed
//		}
//		fmt.Println(part.Event, string(part.Data))
//	}
//
// Breaking out of the loop or cancelling ctx closes the connection at once
// (the run goes on unless OnDisconnect is DisconnectCancel). The events are
// read in the ranging goroutine; no goroutine is left behind.
//
// Events: StreamMode selects them (default values; the doc of
// langgraph.StreamMode lists the events of each mode and the StreamPart
// method that decodes them); events of modes that were not requested are
// dropped unless AllEvents is set. The "metadata"
// event comes first; OnRunCreated is called with the run's ids as soon as
// the response headers (Content-Location) or that event name them. A failed
// node ends the stream with an "error" event, yielded together with its
// *langgraph.RunError. Since the server always sends the metadata event, a
// stream that ends without any event is not a success: it ends with a
// *langgraph.StreamError (naming the run when the server did) that wraps a
// *langgraph.ResponseError; so does an answer that is not an event stream
// (then the *langgraph.ResponseError alone). A run that stopped at an
// interrupt or a breakpoint ends the stream normally: see
// langgraph.StreamPart.Interrupted.
//
// Resuming: if the connection breaks, or closes before the run has ended,
// the stream continues after the last event received, so that every event is
// yielded exactly once and in order: through the Location header if the
// server sent one (same origin only; the Python server does), else, for a
// run created with StreamResumable, by joining the run's stream with
// Last-Event-ID. The request that started the run is never sent again.
// Attempts back off exponentially with jitter (see Reconnect). Since the JS
// server ends every stream by closing it, without an "end" event, the stream
// of a resumable run checks at its end that nothing was missed: it joins the
// run once more after the last event and, if that brings nothing new, reads
// the run's status (two small requests; Reconnect.OnReconnect sees that join,
// with a Cause matching langgraph.ErrStreamClosed). A run that was
// not created with StreamResumable cannot be resumed on the JS server, which
// sends no Location (a rejoin would miss the events in flight): its stream
// then ends with a *langgraph.StreamError, and the run goes on; Join returns
// its result. A Location is followed whatever the run's settings, as the
// Python and JS SDKs do; for a run that was not created resumable the server can only
// join it live there, so events sent during the gap may be missing: create
// runs with StreamResumable when every event matters. A connection that stays open but silent (half-open, e.g.
// after a platform rollover) hangs the stream unless Reconnect.IdleTimeout
// is set: off by default, since the JS server sends no heartbeats.
//
// Limits: an event larger than langgraph.WithMaxEventSize (32 MiB by default)
// ends the stream with an error matching langgraph.ErrEventTooLarge. A
// langgraph.WithTimeout option bounds the whole stream, reconnects included.
func (s *Service) Stream(ctx context.Context, threadID, assistantID string, p StreamParams, opts ...langgraph.Option) iter.Seq2[langgraph.StreamPart, error] {
	if threadID == "" {
		return stream.Fail(lgerr.Invalid("thread_id must not be empty; use StreamStateless for a run without a thread"))
	}
	return s.stream(ctx, threadID, assistantID, p, opts)
}

// StreamStateless runs an assistant without a thread and streams its events
// (POST /runs/stream). See Stream. The JS server sends no event ids on this
// stream, so once events have arrived a broken stateless stream cannot be
// resumed without repeating them (unless the server names a Location); a
// stream of a run created with StreamResumable that closes before its first
// event is replayed from the start through GET /runs/{run_id}/stream.
func (s *Service) StreamStateless(ctx context.Context, assistantID string, p StreamParams, opts ...langgraph.Option) iter.Seq2[langgraph.StreamPart, error] {
	return s.stream(ctx, "", assistantID, p, opts)
}

func (s *Service) stream(ctx context.Context, threadID, assistantID string, p StreamParams, opts []langgraph.Option) iter.Seq2[langgraph.StreamPart, error] {
	if err := checkParams(assistantID, &p.CreateParams); err != nil {
		return stream.Fail(err)
	}
	path, err := runsPath(threadID, "/stream")
	if err != nil {
		return stream.Fail(err)
	}
	spec := stream.Spec{
		Backend:      s.b,
		Request:      &transport.Request{Method: http.MethodPost, Path: path, Body: body{assistantID, p.CreateParams}, Options: opts},
		Run:          langgraph.RunRef{ThreadID: threadID},
		OnRunCreated: p.OnRunCreated,
		Policy:       p.Reconnect,
		Active:       s.active(opts),
		FirstEvent:   true,
		Info:         langgraph.CallInfo{AssistantID: assistantID, StartsRun: true},
	}
	if !p.AllEvents {
		spec.Keep = stream.Keep(p.StreamMode)
	}
	cancelOnDisconnect := p.OnDisconnect == DisconnectCancel
	spec.Rejoin = func(run langgraph.RunRef, lastID string) (*transport.Request, string) {
		switch {
		case !p.StreamResumable:
			return nil, "the run was not created with StreamResumable, so its stream cannot be replayed from the last event"
		case run.RunID == "":
			return nil, "the run's id is not known yet"
		}
		r, err := s.joinRequest(run, lastID, cancelOnDisconnect, nil, opts)
		if err != nil {
			return nil, err.Error()
		}
		return r, ""
	}
	return stream.Seq(ctx, spec)
}

// JoinStreamParams say how JoinStream joins a run's stream.
type JoinStreamParams struct {
	// LastEventID, sent as Last-Event-ID, asks for the events after that id;
	// "-1" replays the run's stream from its first event. The server honours
	// it only for runs created with StreamResumable; without it a live join
	// gets the events from now on.
	LastEventID string
	// CancelOnDisconnect cancels the run when this stream's connection
	// closes (also when the loop breaks or ctx ends).
	CancelOnDisconnect bool
	// StreamMode keeps only the events of these modes (the server streams the
	// modes the run was created with); empty keeps all.
	StreamMode []StreamMode
	// Resumable says that the run was created with StreamResumable: a stream
	// whose connection breaks, or closes before the run has ended, is then
	// joined again after its last event (and, as with Stream, its end is
	// checked with one more join and a read of the run's status). Without it
	// (and without a Location header from the server) a broken stream ends
	// with a *langgraph.StreamError.
	Resumable bool
	// Reconnect says how the stream resumes after its connection breaks.
	Reconnect langgraph.ReconnectPolicy
}

// JoinStream streams the events of a run that is already under way or has
// ended (GET /threads/{thread_id}/runs/{run_id}/stream), e.g. one started by
// Create, or a stream to resume. The sequence is single-use and behaves like
// Stream's; the run's ids are known, so there is no OnRunCreated. A run that
// is not found (or belongs to another user) is reported by the JS server as
// an "error" event, yielded with a *langgraph.RunError.
//
// An empty threadID joins a run without a thread (one created by
// CreateStateless) through GET /runs/{run_id}/stream, as the JS SDK does. The
// JS server offers that route (a server without it answers 404,
// langgraph.ErrNotFound) and answers an unknown run there with an empty
// stream instead of an error event.
//
// What a join of a run that has ended yields, as the JS server answers: with
// LastEventID "-1", a run created with StreamResumable is replayed from its
// first event; a run that is not resumable gives its buffered events to its
// first joiner only. A join that finds nothing to send ends without any
// event and without error: for a run that has ended, that is a valid answer.
func (s *Service) JoinStream(ctx context.Context, threadID, runID string, p JoinStreamParams, opts ...langgraph.Option) iter.Seq2[langgraph.StreamPart, error] {
	run := langgraph.RunRef{ThreadID: threadID, RunID: runID}
	first, err := s.joinRequest(run, "", p.CancelOnDisconnect, p.StreamMode, opts)
	if err != nil {
		return stream.Fail(err)
	}
	spec := stream.Spec{
		Backend:     s.b,
		Request:     first,
		Run:         run,
		LastEventID: p.LastEventID,
		Policy:      p.Reconnect,
		Active:      s.active(opts),
	}
	if len(p.StreamMode) > 0 {
		spec.Keep = stream.Keep(p.StreamMode)
	}
	if p.Resumable {
		spec.Rejoin = func(run langgraph.RunRef, lastID string) (*transport.Request, string) {
			r, err := s.joinRequest(run, lastID, p.CancelOnDisconnect, nil, opts)
			if err != nil {
				return nil, err.Error()
			}
			return r, ""
		}
	} else {
		spec.Rejoin = func(langgraph.RunRef, string) (*transport.Request, string) {
			return nil, "JoinStreamParams.Resumable is not set"
		}
	}
	return stream.Seq(ctx, spec)
}

// joinRequest builds GET /threads/{thread_id}/runs/{run_id}/stream, or
// GET /runs/{run_id}/stream for a run without a thread. The stream modes are
// not sent on reconnects: a server that filters by them may drop subgraph
// events (langchain-ai/langgraph#7778); the client filters.
func (s *Service) joinRequest(run langgraph.RunRef, lastID string, cancelOnDisconnect bool, modes []StreamMode, opts []langgraph.Option) (*transport.Request, error) {
	var path string
	var err error
	if run.ThreadID == "" {
		path, err = transport.Path("/runs/{run_id}/stream", run.RunID)
	} else {
		path, err = transport.Path("/threads/{thread_id}/runs/{run_id}/stream", run.ThreadID, run.RunID)
	}
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if cancelOnDisconnect {
		q.Set("cancel_on_disconnect", "true")
	}
	for _, m := range modes {
		q.Add("stream_mode", string(m))
	}
	return &transport.Request{Method: http.MethodGet, Path: path, Query: q, Header: stream.StreamHeader(lastID), Idempotent: true, Options: opts}, nil
}

// active reports whether a run is still pending or running.
func (s *Service) active(opts []langgraph.Option) func(context.Context, langgraph.RunRef) (bool, error) {
	return func(ctx context.Context, run langgraph.RunRef) (bool, error) {
		if run.ThreadID == "" || run.RunID == "" {
			return false, nil
		}
		r, err := s.Get(ctx, run.ThreadID, run.RunID, opts...)
		if err != nil {
			return false, err
		}
		return r.Status == langgraph.StatusPending || r.Status == langgraph.StatusRunning, nil
	}
}
