// Package crons schedules recurring runs: a cron job starts a run of an
// assistant on a cron schedule, either on one thread (CreateForThread) or on
// a new thread each time (Create). Create, update, search, count and delete
// cron jobs. Use it through client.Client.Crons.
//
// Cron jobs need a server that supports them: LangGraph Platform (the Python
// server, on licenses that include crons). The JS development server answers
// every cron route with an error (500 "Not implemented", or 404 for update and
// count), which the methods return as a *langgraph.APIError matching
// langgraph.ErrServer or langgraph.ErrNotFound.
package crons

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/internal/pager"
	"github.com/langgraph-go/langgraph/internal/transport"
	"github.com/langgraph-go/langgraph/runs"
)

// Service is the crons API. Get one from client.New.
type Service struct {
	b *transport.Backend
}

// NewService returns the crons service alone, configured by opts as
// client.New configures a client; most programs use client.New and its
// Crons field instead.
func NewService(opts ...langgraph.Option) (*Service, error) {
	b, err := transport.FromOptions(opts)
	if err != nil {
		return nil, err
	}
	return &Service{b: b}, nil
}

// Cron is a scheduled job.
type Cron struct {
	// CronID is the job's id.
	CronID string `json:"cron_id"`
	// AssistantID is the assistant each run uses.
	AssistantID string `json:"assistant_id"`
	// ThreadID is the thread each run goes to; empty for a stateless job,
	// whose runs each get a new thread.
	ThreadID string `json:"thread_id,omitzero"`
	// OnRunCompleted says what happens to a stateless job's thread after each
	// run.
	OnRunCompleted runs.OnCompletion `json:"on_run_completed,omitzero"`
	// EndTime is when the job stops; zero means never.
	EndTime time.Time `json:"end_time,omitzero"`
	// Schedule is the cron expression, e.g. "0 9 * * 1-5".
	Schedule string `json:"schedule"`
	// Timezone is the IANA time zone of the schedule; empty means UTC.
	Timezone string `json:"timezone,omitzero"`
	// CreatedAt is when the job was created.
	CreatedAt time.Time `json:"created_at,omitzero"`
	// UpdatedAt is when the job was last changed.
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Payload holds the run fields each run is created with, as the server
	// stored them.
	Payload json.RawMessage `json:"payload,omitzero"`
	// UserID is the job's owner, when the server has auth.
	UserID string `json:"user_id,omitzero"`
	// NextRunDate is when the next run starts; zero when none is scheduled.
	NextRunDate time.Time `json:"next_run_date,omitzero"`
	// Metadata is the job's metadata.
	Metadata map[string]any `json:"metadata,omitzero"`
	// Enabled reports whether the job starts runs.
	Enabled bool `json:"enabled"`
}

// check is the transport's Check of an answer that must be a cron job.
func (c *Cron) check() string { return transport.Missing("cron_id", c.CronID) }

// CreateParams are the fields of a new cron job: its schedule plus the fields
// of the runs it starts. Schedule is required.
type CreateParams struct {
	// Schedule is a cron expression (five fields), e.g. "27 15 * * *";
	// required.
	Schedule string `json:"schedule"`
	// Timezone is the IANA time zone the schedule is read in, e.g.
	// "Europe/Paris" (for a *time.Location, its String()); empty means UTC.
	Timezone string `json:"timezone,omitzero"`
	// EndTime stops the job at that time; zero means never. It is sent in
	// RFC 3339 form.
	EndTime time.Time `json:"end_time,omitzero"`
	// Enabled, when set, creates the job enabled or disabled; nil leaves the
	// server's default (enabled).
	Enabled *bool `json:"enabled,omitzero"`
	// OnRunCompleted says what happens to each run's new thread: delete it
	// (the server default) or keep it. Only for stateless jobs (Create).
	OnRunCompleted runs.OnCompletion `json:"on_run_completed,omitzero"`

	// Input is each run's graph input.
	Input any `json:"input,omitzero"`
	// Metadata is stored with the job and its runs.
	Metadata map[string]any `json:"metadata,omitzero"`
	// Config is each run's configuration.
	Config *langgraph.Config `json:"config,omitzero"`
	// Context is each run's static runtime context.
	Context any `json:"context,omitzero"`
	// CheckpointDuring persists each run's checkpoints while it goes on
	// (true) or only when it ends (false).
	//
	// Deprecated: use Durability (true is runs.DurabilityAsync, false
	// runs.DurabilityExit), which servers read in its place.
	CheckpointDuring *bool `json:"checkpoint_during,omitzero"`
	// Durability says when each run persists checkpoints.
	Durability runs.Durability `json:"durability,omitzero"`
	// InterruptBefore stops each run before these nodes.
	InterruptBefore langgraph.Nodes `json:"interrupt_before,omitzero"`
	// InterruptAfter stops each run after these nodes.
	InterruptAfter langgraph.Nodes `json:"interrupt_after,omitzero"`
	// Webhook is called when each run ends.
	Webhook string `json:"webhook,omitzero"`
	// MultitaskStrategy says what a run does when the thread is busy.
	MultitaskStrategy runs.MultitaskStrategy `json:"multitask_strategy,omitzero"`
	// StreamMode is what joining a run's stream streams.
	StreamMode []runs.StreamMode `json:"stream_mode,omitzero"`
	// Subgraphs includes subgraph events in that stream.
	Subgraphs bool `json:"stream_subgraphs,omitzero"`
	// StreamResumable keeps each run's events so that its stream can be
	// joined again from any event.
	StreamResumable bool `json:"stream_resumable,omitzero"`
}

type createBody struct {
	AssistantID string `json:"assistant_id"`
	CreateParams
}

func checkCreate(assistantID string, p *CreateParams) error {
	if assistantID == "" {
		return lgerr.Invalid("assistant_id must not be empty")
	}
	if p.Schedule == "" {
		return lgerr.Invalid("cron schedule must not be empty")
	}
	return nil
}

// Create schedules a stateless job (POST /runs/crons): each run gets a new
// thread, deleted after the run unless OnRunCompleted is keep. assistantID
// may be a graph id, meaning the graph's system assistant. A server error is
// not retried, since the job may exist already.
func (s *Service) Create(ctx context.Context, assistantID string, p CreateParams, opts ...langgraph.Option) (*Cron, error) {
	if err := checkCreate(assistantID, &p); err != nil {
		return nil, err
	}
	return s.create(ctx, "/runs/crons", createBody{assistantID, p}, opts)
}

// CreateForThread schedules a job whose runs all go to one thread (POST
// /threads/{thread_id}/runs/crons). OnRunCompleted must be empty.
func (s *Service) CreateForThread(ctx context.Context, threadID, assistantID string, p CreateParams, opts ...langgraph.Option) (*Cron, error) {
	if threadID == "" {
		return nil, lgerr.Invalid("thread_id must not be empty; use Create for a stateless cron job")
	}
	if err := checkCreate(assistantID, &p); err != nil {
		return nil, err
	}
	if p.OnRunCompleted != "" {
		return nil, lgerr.Invalid("OnRunCompleted applies to stateless cron jobs only (Create), not to a thread's")
	}
	path, err := transport.Path("/threads/{thread_id}/runs/crons", threadID)
	if err != nil {
		return nil, err
	}
	return s.create(ctx, path, createBody{assistantID, p}, opts)
}

func (s *Service) create(ctx context.Context, path string, body createBody, opts []langgraph.Option) (*Cron, error) {
	var c Cron
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPost, Path: path, Body: body, Options: opts, Check: c.check}, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// UpdateParams are the fields of Update: only those set are sent, and the
// others keep their values.
//
// EndTime is the one field that can also be cleared: the server reads a JSON
// null as "no end time", so Update needs three states (leave, set, clear).
// Set EndTime to move the end, ClearEndTime to remove it (sent as
// "end_time": null), neither to leave it; setting both is an error. An
// explicit flag was chosen over a generic optional type because it is the
// only nullable field, its zero value is the safe "leave it", and the call
// site says what it does (UpdateParams{ClearEndTime: true}).
type UpdateParams struct {
	// Schedule replaces the cron expression.
	Schedule string
	// Timezone replaces the IANA time zone of the schedule.
	Timezone string
	// EndTime moves the job's end to that time.
	EndTime time.Time
	// ClearEndTime removes the job's end time, so it runs forever.
	ClearEndTime bool
	// Enabled enables or disables the job.
	Enabled *bool
	// OnRunCompleted replaces what happens to a stateless job's threads.
	OnRunCompleted runs.OnCompletion

	// Input replaces each run's graph input.
	Input any
	// Metadata replaces the job's metadata.
	Metadata map[string]any
	// Config replaces each run's configuration.
	Config *langgraph.Config
	// Context replaces each run's static runtime context.
	Context any
	// Durability replaces when each run persists checkpoints.
	Durability runs.Durability
	// InterruptBefore replaces the nodes each run stops before.
	InterruptBefore langgraph.Nodes
	// InterruptAfter replaces the nodes each run stops after.
	InterruptAfter langgraph.Nodes
	// Webhook replaces the URL called when each run ends.
	Webhook string
	// StreamMode replaces what joining a run's stream streams.
	StreamMode []runs.StreamMode
	// Subgraphs, when set, turns subgraph events on or off.
	Subgraphs *bool
	// StreamResumable, when set, turns resumable streams on or off.
	StreamResumable *bool
}

// updateBody is UpdateParams on the wire; EndTime is raw JSON so that it can
// be left out, a timestamp, or null.
type updateBody struct {
	Schedule        string            `json:"schedule,omitzero"`
	Timezone        string            `json:"timezone,omitzero"`
	EndTime         json.RawMessage   `json:"end_time,omitzero"`
	Enabled         *bool             `json:"enabled,omitzero"`
	OnRunCompleted  runs.OnCompletion `json:"on_run_completed,omitzero"`
	Input           any               `json:"input,omitzero"`
	Metadata        map[string]any    `json:"metadata,omitzero"`
	Config          *langgraph.Config `json:"config,omitzero"`
	Context         any               `json:"context,omitzero"`
	Durability      runs.Durability   `json:"durability,omitzero"`
	InterruptBefore langgraph.Nodes   `json:"interrupt_before,omitzero"`
	InterruptAfter  langgraph.Nodes   `json:"interrupt_after,omitzero"`
	Webhook         string            `json:"webhook,omitzero"`
	StreamMode      []runs.StreamMode `json:"stream_mode,omitzero"`
	Subgraphs       *bool             `json:"stream_subgraphs,omitzero"`
	StreamResumable *bool             `json:"stream_resumable,omitzero"`
}

func (p *UpdateParams) body() (*updateBody, error) {
	b := &updateBody{
		Schedule: p.Schedule, Timezone: p.Timezone, Enabled: p.Enabled, OnRunCompleted: p.OnRunCompleted,
		Input: p.Input, Metadata: p.Metadata, Config: p.Config, Context: p.Context, Durability: p.Durability,
		InterruptBefore: p.InterruptBefore, InterruptAfter: p.InterruptAfter, Webhook: p.Webhook,
		StreamMode: p.StreamMode, Subgraphs: p.Subgraphs, StreamResumable: p.StreamResumable,
	}
	switch {
	case p.ClearEndTime && !p.EndTime.IsZero():
		return nil, lgerr.Invalid("UpdateParams.EndTime and UpdateParams.ClearEndTime cannot both be set")
	case p.ClearEndTime:
		b.EndTime = json.RawMessage("null")
	case !p.EndTime.IsZero():
		raw, err := json.Marshal(p.EndTime)
		if err != nil {
			return nil, lgerr.Wrap(err, "cron end time")
		}
		b.EndTime = raw
	}
	return b, nil
}

// Update changes a cron job (PATCH /runs/crons/{cron_id}) and returns it as
// it now is.
func (s *Service) Update(ctx context.Context, cronID string, p UpdateParams, opts ...langgraph.Option) (*Cron, error) {
	path, err := transport.Path("/runs/crons/{cron_id}", cronID)
	if err != nil {
		return nil, err
	}
	body, err := p.body()
	if err != nil {
		return nil, err
	}
	var c Cron
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPatch, Path: path, Body: body, Idempotent: true, Options: opts, Check: c.check}, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// Delete deletes a cron job (DELETE /runs/crons/{cron_id}). Runs it already
// started are not affected.
func (s *Service) Delete(ctx context.Context, cronID string, opts ...langgraph.Option) error {
	path, err := transport.Path("/runs/crons/{cron_id}", cronID)
	if err != nil {
		return err
	}
	_, err = s.b.Do(ctx, &transport.Request{Method: http.MethodDelete, Path: path, Idempotent: true, Options: opts}, nil)
	return err
}

// SortBy names a field to sort cron jobs by.
type SortBy string

// Fields cron jobs can be sorted by.
const (
	SortByCronID      SortBy = "cron_id"
	SortByAssistantID SortBy = "assistant_id"
	SortByThreadID    SortBy = "thread_id"
	SortByCreatedAt   SortBy = "created_at"
	SortByUpdatedAt   SortBy = "updated_at"
	SortByNextRunDate SortBy = "next_run_date"
	SortByEndTime     SortBy = "end_time"
)

// SearchParams filter and page Search. The zero value lists the first page
// (10 jobs).
type SearchParams struct {
	// AssistantID matches the jobs of this assistant.
	AssistantID string `json:"assistant_id,omitzero"`
	// ThreadID matches the jobs of this thread.
	ThreadID string `json:"thread_id,omitzero"`
	// Enabled, when set, matches only enabled (or only disabled) jobs.
	Enabled *bool `json:"enabled,omitzero"`
	// Metadata matches jobs whose metadata contains these pairs; an empty
	// map is not sent.
	Metadata map[string]any `json:"metadata,omitempty"`
	// Limit is the page size (server default 10).
	Limit int `json:"limit,omitzero"`
	// Offset skips that many jobs.
	Offset int `json:"offset,omitzero"`
	// SortBy orders the results.
	SortBy SortBy `json:"sort_by,omitzero"`
	// SortOrder is Asc or Desc.
	SortOrder langgraph.SortOrder `json:"sort_order,omitzero"`
	// Select limits the fields returned: cron_id, assistant_id, thread_id,
	// end_time, schedule, timezone, created_at, updated_at, user_id, payload,
	// next_run_date, metadata, now, on_run_completed, enabled.
	Select []string `json:"select,omitzero"`
}

// Search returns one page of cron jobs (POST /runs/crons/search).
func (s *Service) Search(ctx context.Context, p SearchParams, opts ...langgraph.Option) ([]Cron, error) {
	if err := pager.Check(p.Limit, p.Offset); err != nil {
		return nil, err
	}
	page, err := s.searchPage(ctx, p, opts)
	return page.Items, err
}

// SearchPage is Search that also returns the paging headers (total, and
// where the next page starts).
func (s *Service) SearchPage(ctx context.Context, p SearchParams, opts ...langgraph.Option) (*langgraph.Page[Cron], error) {
	if err := pager.Check(p.Limit, p.Offset); err != nil {
		return nil, err
	}
	page, err := s.searchPage(ctx, p, opts)
	if err != nil {
		return nil, err
	}
	return page.Public(), nil
}

func (s *Service) searchPage(ctx context.Context, p SearchParams, opts []langgraph.Option) (pager.Page[Cron], error) {
	return pager.Search[Cron](ctx, s.b, "/runs/crons/search", p, opts)
}

// SearchAll yields every cron job that matches p, fetching page after page
// (p.Limit per page, 10 when zero) from p.Offset on. It follows the
// X-Pagination-Next header when the server sends one and stops at a short or
// empty page, or when the header stops coming. It stops at the first error,
// which it yields.
func (s *Service) SearchAll(ctx context.Context, p SearchParams, opts ...langgraph.Option) iter.Seq2[Cron, error] {
	return pager.Walk(ctx, p.Limit, p.Offset, 10, func(ctx context.Context, limit, offset int) (pager.Page[Cron], error) {
		q := p
		q.Limit, q.Offset = limit, offset
		return s.searchPage(ctx, q, opts)
	})
}

// CountParams filter Count.
type CountParams struct {
	// AssistantID matches the jobs of this assistant.
	AssistantID string `json:"assistant_id,omitzero"`
	// ThreadID matches the jobs of this thread.
	ThreadID string `json:"thread_id,omitzero"`
	// Metadata matches jobs whose metadata contains these pairs; an empty
	// map is not sent.
	Metadata map[string]any `json:"metadata,omitempty"`
}

// Count returns the number of cron jobs that match (POST /runs/crons/count).
func (s *Service) Count(ctx context.Context, p CountParams, opts ...langgraph.Option) (int, error) {
	var n int
	_, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPost, Path: "/runs/crons/count", Body: p, Idempotent: true, Options: opts}, &n)
	return n, err
}
