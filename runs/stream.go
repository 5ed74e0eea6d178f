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

// StreamParams are the fields of a run that Stream (or StreamStateless)
// starts, and how its stream is read; all are optional. Input and Command
// are mutually exclusive.
//
//	runs.StreamParams{Input: in, StreamMode: []runs.StreamMode{runs.StreamMessagesTuple}}
type StreamParams struct {
	// Input is the graph's input, e.g. map[string]any{"messages": ...}.
	Input any `json:"input,omitzero"`
	// Command resumes, updates or redirects an interrupted thread.
	Command *langgraph.Command `json:"command,omitzero"`
	// StreamMode selects the events the stream carries (default values);
	// see langgraph.StreamPart for the event each mode produces.
	StreamMode []StreamMode `json:"stream_mode,omitzero"`
	// Subgraphs adds the events of subgraphs, named
	// "<mode>|<node>:<task_id>" (StreamPart.Namespace holds the path).
	Subgraphs bool `json:"stream_subgraphs,omitzero"`
	// StreamResumable keeps the run's events on the server, so that the
	// stream resumes after a broken connection from its last event, and
	// JoinStream can replay it from any event id. Without it a stream whose
	// connection breaks ends with a *langgraph.StreamError (see Stream).
	StreamResumable bool `json:"stream_resumable,omitzero"`
	// AllEvents also yields the events of stream modes that were not
	// requested. By default they are dropped: with Subgraphs the JS server
	// sends "checkpoints" events nobody asked for.
	AllEvents bool `json:"-"`
	// Reconnect says how the stream resumes after its connection breaks.
	Reconnect langgraph.ReconnectPolicy `json:"-"`
	// OnDisconnect says what happens to the run when the stream's
	// connection closes before the run ends (a break out of the loop, a
	// cancelled context): DisconnectContinue (the server default) lets it
	// run on, DisconnectCancel cancels it.
	OnDisconnect DisconnectMode `json:"on_disconnect,omitzero"`
	// OnRunCreated, when set, is called with the run's ids as soon as the
	// server has accepted the run (from the response headers or the first
	// event), before the first part is yielded.
	OnRunCreated func(langgraph.RunRef) `json:"-"`
	// FeedbackKeys asks for feedback URLs for these keys, sent in a
	// "feedback" event.
	FeedbackKeys []string `json:"feedback_keys,omitzero"`

	// Config is the run's configuration.
	Config *langgraph.Config `json:"config,omitzero"`
	// Context is the run's static context (LangGraph runtime context).
	Context any `json:"context,omitzero"`
	// Metadata is stored with the run.
	Metadata map[string]any `json:"metadata,omitzero"`
	// Checkpoint starts the run from that checkpoint.
	Checkpoint *langgraph.Checkpoint `json:"checkpoint,omitzero"`
	// CheckpointID starts the run from that checkpoint id.
	CheckpointID string `json:"checkpoint_id,omitzero"`
	// CheckpointDuring persists checkpoints while the run goes on (true) or
	// only when it ends (false).
	//
	// Deprecated: use Durability (true is DurabilityAsync, false
	// DurabilityExit), which servers read in its place.
	CheckpointDuring *bool `json:"checkpoint_during,omitzero"`
	// Durability says when checkpoints are persisted.
	Durability Durability `json:"durability,omitzero"`
	// InterruptBefore stops the run before these nodes (langgraph.AllNodes()
	// for all); the stream then ends normally (see StreamPart.Interrupted).
	InterruptBefore langgraph.Nodes `json:"interrupt_before,omitzero"`
	// InterruptAfter stops the run after these nodes.
	InterruptAfter langgraph.Nodes `json:"interrupt_after,omitzero"`
	// Webhook is called when the run ends.
	Webhook string `json:"webhook,omitzero"`
	// MultitaskStrategy says what to do when the thread is busy.
	MultitaskStrategy MultitaskStrategy `json:"multitask_strategy,omitzero"`
	// IfNotExists says what to do when the thread does not exist.
	IfNotExists IfNotExists `json:"if_not_exists,omitzero"`
	// OnCompletion says what happens to a stateless run's thread
	// (StreamStateless).
	OnCompletion OnCompletion `json:"on_completion,omitzero"`
	// AfterSeconds delays the start of the run; the stream waits for it.
	AfterSeconds int `json:"after_seconds,omitzero"`
	// LangsmithTracer sends the trace to a LangSmith project.
	LangsmithTracer *LangsmithTracer `json:"langsmith_tracer,omitzero"`
}

// Stream starts a run on a thread and streams its events
// (POST /threads/{thread_id}/runs/stream): see Streaming in the package
// documentation for its events, its end and how it resumes.
//
//	for part, err := range c.Runs.Stream(ctx, threadID, "agent", runs.StreamParams{Input: in}) {
//		if err != nil {
//			return err // a *langgraph.RunError when a node failed
//		}
//		fmt.Println(part.Event, string(part.Data))
//	}
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
	if err := checkParams(assistantID, p.Input, p.Command); err != nil {
		return stream.Fail(err)
	}
	path, err := runsPath(threadID, "/stream")
	if err != nil {
		return stream.Fail(err)
	}
	spec := stream.Spec{
		Backend:      s.b,
		Request:      &transport.Request{Method: http.MethodPost, Path: path, Body: streamBody{assistantID, p}, Options: opts},
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
// Create, or a stream to resume. It behaves as Streaming in the package
// documentation says; the run's ids are known, so there is no OnRunCreated. A run that
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
