// Package runs creates, waits for, streams, joins, lists and cancels runs:
// executions of an assistant's graph, on a thread or stateless. Use it
// through client.Client.Runs.
//
// Wait and Join return a run's final state (or its interrupts); Stream and
// JoinStream yield its events as they happen. A run created on a thread
// belongs to the thread's owner; with custom auth a run's nodes see the
// calling user as config.configurable.langgraph_auth_user.
//
// # Streaming
//
// Stream, StreamStateless and JoinStream (and threads.Service.JoinStream)
// return a single-use iter.Seq2[langgraph.StreamPart, error]: ranging over
// it sends the request, and ranging again yields langgraph.ErrStreamUsed
// rather than start a second run. Breaking out of the loop or cancelling the
// context closes the connection at once (the run goes on unless
// OnDisconnect is DisconnectCancel); the events are read in the ranging
// goroutine and no goroutine is left behind.
//
// Events: StreamMode selects them (default values; langgraph.StreamMode
// lists the events of each mode and the StreamPart method that decodes
// them); events of modes that were not requested are dropped unless
// AllEvents is set. The "metadata" event comes first; OnRunCreated is called
// with the run's ids as soon as the response headers (Content-Location) or
// that event name them.
//
// Ends and errors: a failed node ends the stream with an "error" event,
// yielded with its *langgraph.RunError. A run that stopped at an interrupt
// or a breakpoint ends it normally (see langgraph.StreamPart.Interrupted).
// A run's stream that ends without any event (the server always sends the
// metadata event) ends with a *langgraph.StreamError wrapping a
// *langgraph.ResponseError, and an answer that is not an event stream is a
// *langgraph.ResponseError.
//
// Resuming: if the connection breaks, or closes before the run has ended,
// the stream continues after the last event received, so that every event
// is yielded exactly once and in order: through the Location header if the
// server sent one (same origin only; the Python server does), else, for a
// run created with StreamResumable (JoinStreamParams.Resumable for a join),
// by joining the run's stream with Last-Event-ID. The request that started
// the run is never sent again. Attempts back off exponentially with jitter
// (see langgraph.ReconnectPolicy). The JS server ends every stream by
// closing it, without an "end" event, so the stream of a resumable run
// checks at its end that nothing was missed: it joins the run once more
// and, if that brings nothing new, reads the run's status (two small
// requests; OnReconnect sees that join, with a Cause matching
// langgraph.ErrStreamClosed). A run that was not created with
// StreamResumable cannot be resumed on the JS server, which sends no
// Location (a rejoin would miss the events in flight): its stream then ends
// with a *langgraph.StreamError, and the run goes on (Join returns its
// result). A Location is followed whatever the run's settings, as the
// Python and JS SDKs do; for a run that was not created resumable the
// server can only join it live there, so create runs with StreamResumable
// when every event matters. A connection that stays open but silent
// (half-open, e.g. after a platform rollover) hangs the stream unless
// ReconnectPolicy.IdleTimeout is set: it is off by default, since the JS
// server sends no heartbeats.
//
// Limits: an event larger than langgraph.WithMaxEventSize (32 MiB by
// default) ends the stream with an error matching langgraph.ErrEventTooLarge;
// memory is bounded by the largest event, not by the stream. A
// langgraph.WithTimeout option bounds the whole stream, reconnects included.
package runs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// Service is the runs API. Get one from client.New.
type Service struct {
	b *transport.Backend
}

// NewService returns the runs service alone, configured by opts as
// client.New configures a client; most programs use client.New and its
// Runs field instead.
func NewService(opts ...langgraph.Option) (*Service, error) {
	b, err := transport.FromOptions(opts)
	if err != nil {
		return nil, err
	}
	return &Service{b: b}, nil
}

// body is a run-create request: the assistant plus the run's fields.
type body struct {
	AssistantID string `json:"assistant_id"`
	CreateParams
}

// streamBody is the request of a streamed run.
type streamBody struct {
	AssistantID string `json:"assistant_id"`
	StreamParams
}

func checkParams(assistantID string, input any, command *langgraph.Command) error {
	if assistantID == "" {
		return lgerr.Invalid("assistant_id must not be empty")
	}
	if input != nil && command != nil {
		return lgerr.Invalid("a run takes Input or Command, not both")
	}
	return nil
}

func runsPath(threadID, suffix string) (string, error) {
	if threadID == "" {
		return "/runs" + suffix, nil
	}
	return transport.Path("/threads/{thread_id}/runs"+suffix, threadID)
}

// Create starts a background run on a thread (POST /threads/{thread_id}/runs)
// and returns it while it is pending. Wait for it with Join. A server error is
// not retried, since the run may have started.
func (s *Service) Create(ctx context.Context, threadID, assistantID string, p CreateParams, opts ...langgraph.Option) (*Run, error) {
	if threadID == "" {
		return nil, lgerr.Invalid("thread_id must not be empty; use CreateStateless for a run without a thread")
	}
	return s.create(ctx, threadID, assistantID, p, opts)
}

// CreateStateless starts a background run without a thread (POST /runs).
func (s *Service) CreateStateless(ctx context.Context, assistantID string, p CreateParams, opts ...langgraph.Option) (*Run, error) {
	return s.create(ctx, "", assistantID, p, opts)
}

func (s *Service) create(ctx context.Context, threadID, assistantID string, p CreateParams, opts []langgraph.Option) (_ *Run, err error) {
	if err := checkParams(assistantID, p.Input, p.Command); err != nil {
		return nil, err
	}
	path, err := runsPath(threadID, "")
	if err != nil {
		return nil, err
	}
	req := &transport.Request{Method: http.MethodPost, Path: path, Body: body{assistantID, p}, Options: opts}
	ctx, call := s.b.Begin(ctx, req, langgraph.CallInfo{AssistantID: assistantID, StartsRun: true})
	defer func() { call.End(err) }()
	resp, err := s.b.Open(ctx, req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	meta := notifyCreated(resp, p.OnRunCreated)
	call.Run(meta)
	data, err := s.b.ReadAll(ctx, http.MethodPost, resp)
	if err != nil {
		return nil, withRun(err, meta)
	}
	var r Run
	if err := transport.DecodeAnswer(http.MethodPost, resp, data, &r); err != nil {
		return nil, err
	}
	if why := r.check(); why != "" {
		return nil, transport.ResponseError(http.MethodPost, resp, data, why)
	}
	call.Run(langgraph.RunRef{RunID: r.RunID, ThreadID: r.ThreadID})
	return &r, nil
}

// withRun names the run that the server created in the *ConnectionError of
// an answer that was cut.
func withRun(err error, meta langgraph.RunRef) error {
	var ce *langgraph.ConnectionError
	if meta.RunID != "" && errors.As(err, &ce) {
		ce.Run = meta
	}
	return err
}

// BatchItem is one run of CreateBatch: the assistant, the thread, and the
// fields of a new background run (see CreateParams; OnRunCreated has no
// counterpart, since the batch's answer names every run).
type BatchItem struct {
	// AssistantID is the assistant or graph id to run (required).
	AssistantID string `json:"assistant_id"`
	// ThreadID puts the run on a thread; empty makes it stateless.
	ThreadID string `json:"thread_id,omitzero"`
	// Input is the graph's input, e.g. map[string]any{"messages": ...}.
	Input any `json:"input,omitzero"`
	// Command resumes, updates or redirects an interrupted thread.
	Command *langgraph.Command `json:"command,omitzero"`
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
	// InterruptBefore stops the run before these nodes (langgraph.AllNodes() for all).
	InterruptBefore langgraph.Nodes `json:"interrupt_before,omitzero"`
	// InterruptAfter stops the run after these nodes.
	InterruptAfter langgraph.Nodes `json:"interrupt_after,omitzero"`
	// Webhook is called when the run ends.
	Webhook string `json:"webhook,omitzero"`
	// MultitaskStrategy says what to do when the thread is busy.
	MultitaskStrategy MultitaskStrategy `json:"multitask_strategy,omitzero"`
	// IfNotExists says what to do when the thread does not exist.
	IfNotExists IfNotExists `json:"if_not_exists,omitzero"`
	// OnCompletion says what happens to a stateless run's thread.
	OnCompletion OnCompletion `json:"on_completion,omitzero"`
	// AfterSeconds delays the start of the run.
	AfterSeconds int `json:"after_seconds,omitzero"`
	// LangsmithTracer sends the trace to a LangSmith project.
	LangsmithTracer *LangsmithTracer `json:"langsmith_tracer,omitzero"`
	// StreamMode is what a stream of this run carries when it is joined
	// (JoinStream); default values.
	StreamMode []StreamMode `json:"stream_mode,omitzero"`
	// Subgraphs includes the events of subgraphs in that stream.
	Subgraphs bool `json:"stream_subgraphs,omitzero"`
	// StreamResumable keeps the run's events on the server so that its
	// stream can be joined from any event id (JoinStreamParams.LastEventID).
	StreamResumable bool `json:"stream_resumable,omitzero"`
	// FeedbackKeys asks for feedback URLs for these keys.
	FeedbackKeys []string `json:"feedback_keys,omitzero"`
}

// CreateBatch starts several background runs in one request (POST /runs/batch)
// and returns them in order.
func (s *Service) CreateBatch(ctx context.Context, items []BatchItem, opts ...langgraph.Option) ([]Run, error) {
	if len(items) == 0 {
		return nil, lgerr.Invalid("CreateBatch needs at least one run")
	}
	for i := range items {
		if err := checkParams(items[i].AssistantID, items[i].Input, items[i].Command); err != nil {
			return nil, fmt.Errorf("run %d: %w", i, err)
		}
	}
	var out []Run
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPost, Path: "/runs/batch", Body: items, Options: opts}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Wait starts a run on a thread and waits for it to end
// (POST /threads/{thread_id}/runs/wait). It returns the final state, or the
// interrupts when the run stopped at one; a run whose node failed returns a
// *langgraph.RunError. If the connection breaks while the run goes on, Wait
// joins the run (GET .../join) instead of starting it again.
//
// The call lasts as long as the run: bound it with the context or
// langgraph.WithTimeout, not with http.Client.Timeout.
func (s *Service) Wait(ctx context.Context, threadID, assistantID string, p CreateParams, opts ...langgraph.Option) (*Result, error) {
	if threadID == "" {
		return nil, lgerr.Invalid("thread_id must not be empty; use WaitStateless for a run without a thread")
	}
	return s.wait(ctx, threadID, assistantID, p, opts)
}

// WaitStateless runs an assistant without a thread and waits for the result
// (POST /runs/wait). See Wait.
func (s *Service) WaitStateless(ctx context.Context, assistantID string, p CreateParams, opts ...langgraph.Option) (*Result, error) {
	return s.wait(ctx, "", assistantID, p, opts)
}

func (s *Service) wait(ctx context.Context, threadID, assistantID string, p CreateParams, opts []langgraph.Option) (res *Result, err error) {
	if err := checkParams(assistantID, p.Input, p.Command); err != nil {
		return nil, err
	}
	path, err := runsPath(threadID, "/wait")
	if err != nil {
		return nil, err
	}
	req := &transport.Request{Method: http.MethodPost, Path: path, Body: body{assistantID, p}, Options: opts}
	ctx, call := s.b.Begin(ctx, req, langgraph.CallInfo{AssistantID: assistantID, StartsRun: true})
	defer func() { endRunCall(call, res, err) }()
	resp, err := s.b.Open(ctx, req)
	if err != nil {
		return nil, err
	}
	meta := notifyCreated(resp, p.OnRunCreated)
	call.Run(meta)
	raw, rerr := s.b.ReadAll(ctx, http.MethodPost, resp)
	resp.Body.Close()
	var ce *langgraph.ConnectionError
	if errors.As(rerr, &ce) && meta.RunID != "" && meta.ThreadID != "" {
		// The run goes on without us: collect its result instead of
		// starting it again.
		return s.Join(ctx, meta.ThreadID, meta.RunID, JoinParams{}, opts...)
	}
	if rerr != nil {
		return nil, withRun(rerr, meta)
	}
	return decodeResult(http.MethodPost, resp, raw, meta)
}

// endRunCall ends the observed call of a wait or a join.
func endRunCall(call *transport.Call, res *Result, err error) {
	if res != nil {
		call.Run(res.Run)
		call.Interrupted(res.Interrupted())
	}
	call.End(err)
}

// notifyCreated reads the run's ids from Content-Location and calls fn.
func notifyCreated(resp *http.Response, fn func(langgraph.RunRef)) langgraph.RunRef {
	meta, ok := transport.RunFromLocation(resp.Header.Get("Content-Location"))
	if ok && fn != nil {
		fn(meta)
	}
	return meta
}

// decodeResult turns a wait or join body into a Result or a *RunError. An
// empty body or one that is not JSON is a *langgraph.ResponseError: a run's
// result is its state, at least {}.
func decodeResult(method string, resp *http.Response, raw []byte, meta langgraph.RunRef) (*Result, error) {
	raw = bytes.TrimSpace(raw) // the JS server writes keep-alive newlines first
	if len(raw) == 0 {
		return nil, transport.ResponseError(method, resp, raw, "empty body where the run's result was expected")
	}
	res := &Result{Values: raw, Run: meta}
	if raw[0] != '{' {
		if !json.Valid(raw) {
			return nil, transport.ResponseError(method, resp, raw, "the run's result is not JSON")
		}
		return res, nil
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, transport.ResponseError(method, resp, raw, "the run's result is not a JSON object: "+err.Error())
	}
	if e, ok := top["__error__"]; ok {
		return nil, runError(e, meta)
	}
	if in, ok := top["__interrupt__"]; ok {
		res.stopped = true
		if err := json.Unmarshal(in, &res.Interrupts); err != nil {
			return nil, transport.ResponseError(method, resp, raw, "the run's interrupts do not decode: "+err.Error())
		}
		delete(top, "__interrupt__")
		v, err := json.Marshal(top)
		if err != nil {
			return nil, err
		}
		res.Values = v
	}
	return res, nil
}

// runError decodes an __error__ value and names the run.
func runError(raw json.RawMessage, meta langgraph.RunRef) error {
	e := &langgraph.RunError{}
	if json.Unmarshal(raw, e) != nil {
		e.Message = string(bytes.TrimSpace(raw))
	}
	e.RunID, e.ThreadID = meta.RunID, meta.ThreadID
	return e
}

// Get returns a run (GET /threads/{thread_id}/runs/{run_id}).
func (s *Service) Get(ctx context.Context, threadID, runID string, opts ...langgraph.Option) (*Run, error) {
	path, err := transport.Path("/threads/{thread_id}/runs/{run_id}", threadID, runID)
	if err != nil {
		return nil, err
	}
	var r Run
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, Idempotent: true, Options: opts, Check: r.check}, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// ListParams filter and page List.
type ListParams struct {
	// Limit is the page size (server default 10).
	Limit int
	// Offset skips that many runs.
	Offset int
	// Status keeps only runs with that status.
	Status langgraph.Status
	// Select names the fields to return.
	Select []string
}

// List returns one page of a thread's runs (GET /threads/{thread_id}/runs).
//
// Order and paging depend on the server. The Python server (LangGraph
// Platform) lists runs newest first and pages as usual: Limit runs after the
// first Offset. The JS server lists them oldest first (in creation order) and
// pages with slice(Offset, Limit): Limit is the index where the page ends,
// not its size, so Offset 10 and Limit 20 give the second page of ten, and an
// Offset not below the Limit (server default 10) gives none.
//
// So there is no ListAll: no walk of pages reads both servers right without
// knowing which one answers. Nor is there a ListPage: the JS server sends no
// paging headers for runs.
func (s *Service) List(ctx context.Context, threadID string, p ListParams, opts ...langgraph.Option) ([]Run, error) {
	path, err := transport.Path("/threads/{thread_id}/runs", threadID)
	if err != nil {
		return nil, err
	}
	if p.Limit < 0 || p.Offset < 0 {
		return nil, lgerr.Invalid("Limit and Offset must not be negative")
	}
	q := url.Values{}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Offset > 0 {
		q.Set("offset", strconv.Itoa(p.Offset))
	}
	if p.Status != "" {
		q.Set("status", string(p.Status))
	}
	for _, f := range p.Select {
		q.Add("select", f)
	}
	var out []Run
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, Query: q, Idempotent: true, Options: opts}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// CancelParams say how Cancel stops a run.
type CancelParams struct {
	// Wait makes the call return only once the run has stopped.
	Wait bool
	// Action is CancelInterrupt (the default) or CancelRollback.
	Action CancelAction
}

// Cancel stops a pending or running run
// (POST /threads/{thread_id}/runs/{run_id}/cancel). Cancelling is idempotent,
// so it is retried like a read.
func (s *Service) Cancel(ctx context.Context, threadID, runID string, p CancelParams, opts ...langgraph.Option) error {
	path, err := transport.Path("/threads/{thread_id}/runs/{run_id}/cancel", threadID, runID)
	if err != nil {
		return err
	}
	// wait is sent only when set: the JS server reads any value, "0"
	// included, as true.
	q := url.Values{}
	if p.Wait {
		q.Set("wait", "1")
	}
	if p.Action != "" {
		q.Set("action", string(p.Action))
	}
	_, err = s.b.Do(ctx, &transport.Request{Method: http.MethodPost, Path: path, Query: q, Idempotent: true, Options: opts}, nil)
	return err
}

// BulkStatus selects runs for CancelMany by status.
type BulkStatus string

// Values of BulkStatus.
const (
	BulkPending BulkStatus = "pending"
	BulkRunning BulkStatus = "running"
	BulkAll     BulkStatus = "all"
)

// CancelManyParams select the runs CancelMany stops: RunIDs on ThreadID, or
// every run with Status.
type CancelManyParams struct {
	// ThreadID is the thread of RunIDs.
	ThreadID string `json:"thread_id,omitzero"`
	// RunIDs are the runs to stop.
	RunIDs []string `json:"run_ids,omitzero"`
	// Status selects runs by status instead of by id.
	Status BulkStatus `json:"status,omitzero"`
	// Action is CancelInterrupt (the default) or CancelRollback.
	Action CancelAction `json:"-"`
}

// CancelMany stops several runs (POST /runs/cancel). The JS development
// server does not implement it (404).
func (s *Service) CancelMany(ctx context.Context, p CancelManyParams, opts ...langgraph.Option) error {
	if len(p.RunIDs) == 0 && p.Status == "" {
		return lgerr.Invalid("CancelMany needs RunIDs or a Status")
	}
	if len(p.RunIDs) > 0 && p.ThreadID == "" {
		return lgerr.Invalid("CancelMany needs the ThreadID of RunIDs")
	}
	var q url.Values
	if p.Action != "" {
		q = url.Values{"action": {string(p.Action)}}
	}
	_, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPost, Path: "/runs/cancel", Query: q, Body: p, Idempotent: true, Options: opts}, nil)
	return err
}

// JoinParams tune Join.
type JoinParams struct {
	// CancelOnDisconnect cancels the run if this call gives up (its context
	// ends or the connection breaks).
	CancelOnDisconnect bool
}

// Join waits for a run to end and returns its result, like Wait
// (GET /threads/{thread_id}/runs/{run_id}/join). The server sends nothing
// until the run ends.
//
// For a run that had already ended, the server answers with the thread's
// current values only; Join then reads the thread (one or two more
// requests) to report the interrupts the run stopped at, or a *langgraph.RunError (without the
// remote error's name and message, which the server no longer has) when
// the run failed.
//
// A run without a thread cannot be joined: the JS server has no join route
// for it (GET /runs/{run_id}/join answers 404), and neither the Python nor
// the JS SDK offers one, so an empty threadID is refused before anything is
// sent. Follow such a run with JoinStream and an empty threadID instead: its
// last "values" event holds the final state.
func (s *Service) Join(ctx context.Context, threadID, runID string, p JoinParams, opts ...langgraph.Option) (res *Result, err error) {
	if threadID == "" {
		return nil, lgerr.Invalid("thread_id must not be empty: a run without a thread cannot be joined; use JoinStream with an empty thread_id")
	}
	path, err := transport.Path("/threads/{thread_id}/runs/{run_id}/join", threadID, runID)
	if err != nil {
		return nil, err
	}
	var q url.Values
	if p.CancelOnDisconnect {
		q = url.Values{"cancel_on_disconnect": {"true"}}
	}
	req := &transport.Request{Method: http.MethodGet, Path: path, Query: q, Idempotent: true, Options: opts}
	ctx, call := s.b.Begin(ctx, req, langgraph.CallInfo{})
	defer func() { endRunCall(call, res, err) }()
	resp, err := s.b.Open(ctx, req)
	if err != nil {
		return nil, err
	}
	raw, rerr := s.b.ReadAll(ctx, http.MethodGet, resp)
	resp.Body.Close()
	if rerr != nil {
		return nil, rerr
	}
	meta := langgraph.RunRef{RunID: runID, ThreadID: threadID}
	res, err = decodeResult(http.MethodGet, resp, raw, meta)
	if err != nil || res.Interrupted() {
		return res, err
	}
	return s.settle(ctx, res, opts)
}

// settle completes the result of a join that carried neither interrupts nor
// an error, which is what the server answers for a run that had already
// ended: the thread's status tells whether it stopped at an interrupt or
// failed.
func (s *Service) settle(ctx context.Context, res *Result, opts []langgraph.Option) (*Result, error) {
	path, err := transport.Path("/threads/{thread_id}", res.Run.ThreadID)
	if err != nil {
		return nil, err
	}
	var th struct {
		Status     string                           `json:"status"`
		Interrupts map[string][]langgraph.Interrupt `json:"interrupts"`
	}
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, Idempotent: true, Options: opts}, &th); err != nil {
		return nil, err
	}
	switch th.Status {
	case "interrupted":
		// The thread may have been interrupted by a later run: the latest
		// checkpoint says which run wrote it.
		mine, err := s.wroteLatestCheckpoint(ctx, res.Run, opts)
		if err != nil {
			return nil, err
		}
		if !mine {
			return res, nil
		}
		res.stopped = true
		tasks := make([]string, 0, len(th.Interrupts))
		for task := range th.Interrupts {
			tasks = append(tasks, task)
		}
		sort.Strings(tasks)
		for _, task := range tasks {
			res.Interrupts = append(res.Interrupts, th.Interrupts[task]...)
		}
	case "error":
		run, err := s.Get(ctx, res.Run.ThreadID, res.Run.RunID, opts...)
		if err != nil {
			return nil, err
		}
		if run.Status == langgraph.StatusError || run.Status == langgraph.StatusTimeout {
			return nil, &langgraph.RunError{
				Message:  fmt.Sprintf("the run ended with status %q before it was joined; the server kept no error details", run.Status),
				RunID:    res.Run.RunID,
				ThreadID: res.Run.ThreadID,
			}
		}
	}
	return res, nil
}

// wroteLatestCheckpoint reports whether the thread's latest checkpoint was
// written by run (its metadata.run_id); a checkpoint without a run id counts
// as the run's.
func (s *Service) wroteLatestCheckpoint(ctx context.Context, run langgraph.RunRef, opts []langgraph.Option) (bool, error) {
	path, err := transport.Path("/threads/{thread_id}/state", run.ThreadID)
	if err != nil {
		return false, err
	}
	var st struct {
		Metadata struct {
			RunID string `json:"run_id"`
		} `json:"metadata"`
	}
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, Idempotent: true, Options: opts}, &st); err != nil {
		return false, err
	}
	return st.Metadata.RunID == "" || st.Metadata.RunID == run.RunID, nil
}

// Delete deletes a run that has ended (DELETE /threads/{thread_id}/runs/{run_id}).
func (s *Service) Delete(ctx context.Context, threadID, runID string, opts ...langgraph.Option) error {
	path, err := transport.Path("/threads/{thread_id}/runs/{run_id}", threadID, runID)
	if err != nil {
		return err
	}
	_, err = s.b.Do(ctx, &transport.Request{Method: http.MethodDelete, Path: path, Idempotent: true, Options: opts}, nil)
	return err
}
