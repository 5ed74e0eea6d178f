// Package threads manages threads (conversations with persistent state) of a
// LangGraph deployment: create, read, search, copy and delete them, and read
// or update their state and history. Use it through client.Client.Threads.
//
// With custom auth, every call runs as the user whose credentials it carries:
// Search returns only that user's threads and another user's thread is
// reported as langgraph.ErrNotFound.
//
// Service.Session opens a session on a thread over LangGraph's thread
// stream protocol (SSE or WebSocket): start runs, read their events as they
// happen (a reply token by token, tool calls, interrupts, subgraphs), answer
// interrupts and read the state, resuming without loss when the connection
// breaks. See Session.
package threads

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/internal/pager"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// Service is the threads API. Get one from client.New.
type Service struct {
	b *transport.Backend
}

// NewService returns the threads service alone, configured by opts as
// client.New configures a client; most programs use client.New and its
// Threads field instead.
func NewService(opts ...langgraph.Option) (*Service, error) {
	b, err := transport.FromOptions(opts)
	if err != nil {
		return nil, err
	}
	return &Service{b: b}, nil
}

// TTLStrategy says what the server does with a thread whose time to live
// (CreateParams.TTL, UpdateParams.TTL) has run out.
type TTLStrategy string

// Values of TTLStrategy.
const (
	// TTLDelete deletes the thread (the server default).
	TTLDelete TTLStrategy = "delete"
)

// ttlBody is a thread's TTL on the wire: minutes and a strategy.
type ttlBody struct {
	Minutes  int64       `json:"ttl"`
	Strategy TTLStrategy `json:"strategy"`
}

// ttl builds the wire form of a TTL; nil when d is zero.
func ttl(d time.Duration, strategy TTLStrategy) (*ttlBody, error) {
	m, err := transport.Minutes("thread ttl", d)
	if err != nil {
		return nil, err
	}
	if m == 0 {
		if strategy != "" {
			return nil, lgerr.Invalid("TTLStrategy %q needs a TTL", strategy)
		}
		return nil, nil
	}
	if strategy == "" {
		strategy = TTLDelete
	}
	return &ttlBody{Minutes: m, Strategy: strategy}, nil
}

// Superstep is one step of history to write when creating a thread.
type Superstep struct {
	// Updates are applied in one step.
	Updates []StateUpdate `json:"updates"`
}

// StateUpdate is one update of a Superstep.
type StateUpdate struct {
	// Values are written to the state.
	Values any `json:"values"`
	// Command is applied instead of, or along with, Values.
	Command *langgraph.Command `json:"command,omitzero"`
	// AsNode names the node the update is attributed to.
	AsNode string `json:"as_node,omitzero"`
}

// CreateParams are the fields of Create; all are optional.
type CreateParams struct {
	// ThreadID sets the new thread's id; the server picks a UUID otherwise.
	ThreadID string `json:"thread_id,omitzero"`
	// Metadata is stored with the thread.
	Metadata map[string]any `json:"metadata,omitzero"`
	// IfExists says what to do when ThreadID is taken.
	IfExists langgraph.IfExists `json:"if_exists,omitzero"`
	// Supersteps seed the thread's history.
	Supersteps []Superstep `json:"supersteps,omitzero"`
	// GraphID is stored as metadata.graph_id.
	GraphID string `json:"-"`
	// TTL makes the server delete the thread that long after its last
	// update. It is sent in minutes, so it must be a whole number of
	// minutes; zero means the deployment's default (usually no expiry). The
	// JS development server ignores it.
	TTL time.Duration `json:"-"`
	// TTLStrategy says what happens when the TTL runs out; empty means
	// TTLDelete. It needs a TTL.
	TTLStrategy TTLStrategy `json:"-"`
}

// Create creates a thread (POST /threads). A create without ThreadID is not
// retried after a server error, since the thread may exist already; with
// ThreadID it is, and a retry that finds the id taken (409) after an attempt
// that may have created it returns the thread (see Retries in package
// client).
func (s *Service) Create(ctx context.Context, p CreateParams, opts ...langgraph.Option) (*Thread, error) {
	if p.GraphID != "" {
		md := make(map[string]any, len(p.Metadata)+1)
		for k, v := range p.Metadata {
			md[k] = v
		}
		md["graph_id"] = p.GraphID
		p.Metadata = md
	}
	body := struct {
		CreateParams
		TTL *ttlBody `json:"ttl,omitzero"`
	}{CreateParams: p}
	var err error
	if body.TTL, err = ttl(p.TTL, p.TTLStrategy); err != nil {
		return nil, err
	}
	var t Thread
	req := &transport.Request{Method: http.MethodPost, Path: "/threads", Body: body, Idempotent: p.ThreadID != "", Options: opts, Check: t.check}
	if _, err := s.b.Do(ctx, req, &t); err != nil {
		if p.ThreadID != "" && req.Retried() && errors.Is(err, langgraph.ErrConflict) {
			// An attempt that failed with a 5xx or a broken connection
			// created the thread.
			return s.Get(ctx, p.ThreadID, opts...)
		}
		return nil, err
	}
	return &t, nil
}

// Get returns a thread (GET /threads/{thread_id}).
func (s *Service) Get(ctx context.Context, threadID string, opts ...langgraph.Option) (*Thread, error) {
	path, err := transport.Path("/threads/{thread_id}", threadID)
	if err != nil {
		return nil, err
	}
	var t Thread
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, Idempotent: true, Options: opts, Check: t.check}, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// UpdateParams are the fields of Update.
type UpdateParams struct {
	// Metadata is merged into the thread's metadata.
	Metadata map[string]any `json:"metadata"`
	// TTL replaces the thread's time to live (see CreateParams.TTL); zero
	// leaves it.
	TTL time.Duration `json:"-"`
	// TTLStrategy says what happens when the TTL runs out; empty means
	// TTLDelete. It needs a TTL.
	TTLStrategy TTLStrategy `json:"-"`
	// ReturnMinimal asks the server not to return the thread (Prefer:
	// return=minimal); Update then returns nil.
	ReturnMinimal bool `json:"-"`
}

// Update merges metadata into a thread (PATCH /threads/{thread_id}).
func (s *Service) Update(ctx context.Context, threadID string, p UpdateParams, opts ...langgraph.Option) (*Thread, error) {
	path, err := transport.Path("/threads/{thread_id}", threadID)
	if err != nil {
		return nil, err
	}
	if p.Metadata == nil {
		p.Metadata = map[string]any{}
	}
	body := struct {
		UpdateParams
		TTL *ttlBody `json:"ttl,omitzero"`
	}{UpdateParams: p}
	if body.TTL, err = ttl(p.TTL, p.TTLStrategy); err != nil {
		return nil, err
	}
	req := &transport.Request{Method: http.MethodPatch, Path: path, Body: body, Idempotent: true, Options: opts}
	if p.ReturnMinimal {
		req.Header = http.Header{"Prefer": {"return=minimal"}}
		_, err := s.b.Do(ctx, req, nil)
		return nil, err
	}
	var t Thread
	req.Check = t.check
	if _, err := s.b.Do(ctx, req, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// Delete deletes a thread and its runs (DELETE /threads/{thread_id}).
func (s *Service) Delete(ctx context.Context, threadID string, opts ...langgraph.Option) error {
	path, err := transport.Path("/threads/{thread_id}", threadID)
	if err != nil {
		return err
	}
	_, err = s.b.Do(ctx, &transport.Request{Method: http.MethodDelete, Path: path, Idempotent: true, Options: opts}, nil)
	return err
}

// SortBy names a field to sort threads by.
type SortBy string

// Fields threads can be sorted by.
const (
	SortByThreadID       SortBy = "thread_id"
	SortByStatus         SortBy = "status"
	SortByCreatedAt      SortBy = "created_at"
	SortByUpdatedAt      SortBy = "updated_at"
	SortByStateUpdatedAt SortBy = "state_updated_at"
)

// SearchParams filter and page Search. The zero value lists the first page
// (10 threads, newest first on the JS server).
type SearchParams struct {
	// Metadata matches threads whose metadata contains these pairs.
	Metadata map[string]any `json:"metadata,omitzero"`
	// Values matches threads whose state contains these pairs.
	Values map[string]any `json:"values,omitzero"`
	// IDs restricts the search to these thread ids.
	IDs []string `json:"ids,omitzero"`
	// Status matches threads with this status.
	Status langgraph.Status `json:"status,omitzero"`
	// Limit is the page size (server default 10).
	Limit int `json:"limit,omitzero"`
	// Offset skips that many threads.
	Offset int `json:"offset,omitzero"`
	// SortBy and SortOrder order the results.
	SortBy SortBy `json:"sort_by,omitzero"`
	// SortOrder is Asc or Desc.
	SortOrder langgraph.SortOrder `json:"sort_order,omitzero"`
	// Select limits the fields returned (thread_id, values, ...).
	Select []string `json:"select,omitzero"`
	// Extract maps an alias to a JSON path in the thread (e.g.
	// "values.messages[-1]"); results carry Thread.Extracted (Python server).
	Extract map[string]string `json:"extract,omitzero"`
}

// Search returns one page of threads (POST /threads/search).
func (s *Service) Search(ctx context.Context, p SearchParams, opts ...langgraph.Option) ([]Thread, error) {
	if err := pager.Check(p.Limit, p.Offset); err != nil {
		return nil, err
	}
	page, err := s.searchPage(ctx, p, opts)
	return page.Items, err
}

// SearchPage is Search that also returns the paging headers (total, and
// where the next page starts).
func (s *Service) SearchPage(ctx context.Context, p SearchParams, opts ...langgraph.Option) (*langgraph.Page[Thread], error) {
	if err := pager.Check(p.Limit, p.Offset); err != nil {
		return nil, err
	}
	page, err := s.searchPage(ctx, p, opts)
	if err != nil {
		return nil, err
	}
	return page.Public(), nil
}

func (s *Service) searchPage(ctx context.Context, p SearchParams, opts []langgraph.Option) (pager.Page[Thread], error) {
	return pager.SearchWith(ctx, s.b, "/threads/search", p, opts, decodeThreads)
}

// SearchAll yields every thread that matches p, fetching page after page
// (p.Limit per page, 10 when zero) from p.Offset on. It follows the
// X-Pagination-Next header when the server sends one and stops at a short or
// empty page. It stops at the first error, which it yields.
func (s *Service) SearchAll(ctx context.Context, p SearchParams, opts ...langgraph.Option) iter.Seq2[Thread, error] {
	return pager.Walk(ctx, p.Limit, p.Offset, 10, func(ctx context.Context, limit, offset int) (pager.Page[Thread], error) {
		q := p
		q.Limit, q.Offset = limit, offset
		return s.searchPage(ctx, q, opts)
	})
}

// CountParams filter Count.
type CountParams struct {
	// Metadata matches threads whose metadata contains these pairs.
	Metadata map[string]any `json:"metadata,omitzero"`
	// Values matches threads whose state contains these pairs.
	Values map[string]any `json:"values,omitzero"`
	// Status matches threads with this status.
	Status langgraph.Status `json:"status,omitzero"`
}

// Count returns the number of threads that match (POST /threads/count).
func (s *Service) Count(ctx context.Context, p CountParams, opts ...langgraph.Option) (int, error) {
	var n int
	_, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPost, Path: "/threads/count", Body: p, Idempotent: true, Options: opts}, &n)
	return n, err
}

// Copy copies a thread, its state and history, to a new thread (POST
// /threads/{thread_id}/copy) and returns the copy.
func (s *Service) Copy(ctx context.Context, threadID string, opts ...langgraph.Option) (*Thread, error) {
	path, err := transport.Path("/threads/{thread_id}/copy", threadID)
	if err != nil {
		return nil, err
	}
	var t Thread
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPost, Path: path, Body: struct{}{}, Options: opts, Check: t.check}, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

// PruneStrategy says what Prune does with each thread.
type PruneStrategy string

// Prune strategies.
const (
	PruneDelete     PruneStrategy = "delete"      // delete the threads
	PruneKeepLatest PruneStrategy = "keep_latest" // keep only each thread's latest checkpoint
)

// PruneResult reports what Prune did.
type PruneResult struct {
	// PrunedCount is the number of threads pruned.
	PrunedCount int `json:"pruned_count"`
}

// Prune deletes threads, or their old checkpoints (POST /threads/prune); an
// empty strategy means PruneDelete. The JS server does not implement it
// (langgraph.ErrNotFound).
func (s *Service) Prune(ctx context.Context, threadIDs []string, strategy PruneStrategy, opts ...langgraph.Option) (*PruneResult, error) {
	if len(threadIDs) == 0 {
		return nil, lgerr.Invalid("Prune needs at least one thread id")
	}
	if strategy == "" {
		strategy = PruneDelete
	}
	body := struct {
		ThreadIDs []string      `json:"thread_ids"`
		Strategy  PruneStrategy `json:"strategy"`
	}{threadIDs, strategy}
	var r PruneResult
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPost, Path: "/threads/prune", Body: body, Idempotent: true, Options: opts}, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// StateParams select the state GetState returns.
type StateParams struct {
	// CheckpointID reads the state at that checkpoint.
	CheckpointID string
	// Checkpoint reads the state at that checkpoint (it may name a subgraph's
	// namespace); it takes precedence over CheckpointID.
	Checkpoint *langgraph.Checkpoint
	// Subgraphs includes the state of subgraphs in Task.State (read it with
	// Task.Subgraph). With a Checkpoint that names a subgraph namespace, the
	// JS server refuses it (400); with a root checkpoint it works everywhere.
	Subgraphs bool
}

// GetState returns a thread's latest state, or its state at a checkpoint.
func (s *Service) GetState(ctx context.Context, threadID string, p StateParams, opts ...langgraph.Option) (*State, error) {
	var st State
	if c := p.Checkpoint; c != nil && p.Subgraphs && c.CheckpointID != "" && c.CheckpointNS == "" && len(c.CheckpointMap) == 0 {
		// A root checkpoint is read through the GET form, which every
		// server accepts with subgraphs (the JS server refuses a boolean
		// "subgraphs" in the POST body).
		p.CheckpointID, p.Checkpoint = c.CheckpointID, nil
	}
	switch {
	case p.Checkpoint != nil:
		path, err := transport.Path("/threads/{thread_id}/state/checkpoint", threadID)
		if err != nil {
			return nil, err
		}
		body := struct {
			Checkpoint *langgraph.Checkpoint `json:"checkpoint"`
			Subgraphs  bool                  `json:"subgraphs,omitzero"`
		}{p.Checkpoint, p.Subgraphs}
		if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPost, Path: path, Body: body, Idempotent: true, Options: opts, Check: st.check}, &st); err != nil {
			return nil, err
		}
	default:
		var path string
		var err error
		if p.CheckpointID != "" {
			path, err = transport.Path("/threads/{thread_id}/state/{checkpoint_id}", threadID, p.CheckpointID)
		} else {
			path, err = transport.Path("/threads/{thread_id}/state", threadID)
		}
		if err != nil {
			return nil, err
		}
		q := url.Values{"subgraphs": {strconv.FormatBool(p.Subgraphs)}}
		if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, Query: q, Idempotent: true, Options: opts, Check: st.check}, &st); err != nil {
			return nil, err
		}
	}
	st.fill()
	return &st, nil
}

// UpdateStateParams are the fields of UpdateState.
type UpdateStateParams struct {
	// Values are written to the state as if by AsNode (JSON null when nil).
	Values any `json:"values"`
	// AsNode names the node the update is attributed to, which decides what
	// runs next.
	AsNode string `json:"as_node,omitzero"`
	// Checkpoint updates the state at that checkpoint (forking history).
	Checkpoint *langgraph.Checkpoint `json:"checkpoint,omitzero"`
	// CheckpointID updates the state at that checkpoint id.
	CheckpointID string `json:"checkpoint_id,omitzero"`
}

// UpdateStateResult identifies the checkpoint UpdateState wrote.
type UpdateStateResult struct {
	// Checkpoint is the new checkpoint.
	Checkpoint langgraph.Checkpoint `json:"checkpoint"`
}

// UpdateState writes values to a thread's state (POST
// /threads/{thread_id}/state). It is not retried after a server error.
func (s *Service) UpdateState(ctx context.Context, threadID string, p UpdateStateParams, opts ...langgraph.Option) (*UpdateStateResult, error) {
	path, err := transport.Path("/threads/{thread_id}/state", threadID)
	if err != nil {
		return nil, err
	}
	var r UpdateStateResult
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPost, Path: path, Body: p, Options: opts}, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// HistoryParams filter GetHistory.
type HistoryParams struct {
	// Limit is the number of states (server default 10).
	Limit int `json:"limit,omitzero"`
	// Before returns states older than this checkpoint. A checkpoint of the
	// root graph (no namespace, no map) is sent as its id, the form every
	// server accepts; any other as the object (Python server only).
	Before *langgraph.Checkpoint `json:"before,omitzero"`
	// Metadata matches checkpoints whose metadata contains these pairs.
	Metadata map[string]any `json:"metadata,omitzero"`
	// Checkpoint selects a namespace (subgraph) or a checkpoint to start from.
	Checkpoint *langgraph.Checkpoint `json:"checkpoint,omitzero"`
}

// GetHistory returns one page of a thread's past states, newest first (POST
// /threads/{thread_id}/history): p.Limit states (10 when zero) older than
// p.Before. History pages with that cursor, not with offsets, and the server
// sends no paging headers, so there is no GetHistoryPage: the next page is
// the one before the last state's Checkpoint, which GetHistoryAll follows.
func (s *Service) GetHistory(ctx context.Context, threadID string, p HistoryParams, opts ...langgraph.Option) ([]State, error) {
	path, err := transport.Path("/threads/{thread_id}/history", threadID)
	if err != nil {
		return nil, err
	}
	if p.Limit < 0 {
		return nil, lgerr.Invalid("history limit %d is negative", p.Limit)
	}
	body := struct {
		HistoryParams
		Before any `json:"before,omitzero"`
	}{HistoryParams: p}
	if b := p.Before; b != nil {
		body.Before = b
		if b.CheckpointNS == "" && len(b.CheckpointMap) == 0 && b.CheckpointID != "" {
			body.Before = b.CheckpointID
		}
	}
	var out []State
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPost, Path: path, Body: body, Idempotent: true, Options: opts}, &out); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].fill()
	}
	return out, nil
}

// GetHistoryAll yields a thread's past states, newest first, from p.Before
// (or the latest state) back to the first checkpoint, fetching p.Limit
// states per request (10 when zero): each request asks for the states before
// the last one received. It stops at a short or empty page, and at the first
// error, which it yields; breaking out of the loop sends no further request.
func (s *Service) GetHistoryAll(ctx context.Context, threadID string, p HistoryParams, opts ...langgraph.Option) iter.Seq2[State, error] {
	if _, err := transport.Path("/threads/{thread_id}/history", threadID); err != nil {
		return pager.Fail[State](err)
	}
	if err := pager.Check(p.Limit, 0); err != nil {
		return pager.Fail[State](err)
	}
	if p.Limit == 0 {
		p.Limit = 10
	}
	return func(yield func(State, error) bool) {
		for {
			page, err := s.GetHistory(ctx, threadID, p, opts...)
			if err != nil {
				yield(State{}, err)
				return
			}
			for _, st := range page {
				if !yield(st, nil) {
					return
				}
			}
			if len(page) < p.Limit {
				return
			}
			last := page[len(page)-1].Checkpoint
			if last == nil || last.CheckpointID == "" {
				yield(State{}, &langgraph.ResponseError{Method: http.MethodPost, URL: "/threads/" + url.PathEscape(threadID) + "/history",
					Reason: "a state of the history has no checkpoint id, so the page before it cannot be asked for"})
				return
			}
			if b := p.Before; b != nil && b.CheckpointID == last.CheckpointID {
				yield(State{}, &langgraph.ResponseError{Method: http.MethodPost, URL: "/threads/" + url.PathEscape(threadID) + "/history",
					Reason: "the server answered the same page again: it ignored the before cursor"})
				return
			}
			p.Before = last
		}
	}
}
