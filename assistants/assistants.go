// Package assistants manages the assistants of a LangGraph deployment: a
// graph plus the configuration, context and metadata its runs use, kept in
// versions. Create, read, update, search, count and delete assistants, read
// their graph's structure and JSON schemas, and list or restore their
// versions. Use it through client.Client.Assistants.
//
// Every graph has a system assistant; wherever an assistant id is expected,
// the graph id (e.g. "agent") names that graph's system assistant.
package assistants

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/internal/pager"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// Service is the assistants API. Get one from client.New.
type Service struct {
	b *transport.Backend
}

// NewService returns the assistants service alone, configured by opts as
// client.New configures a client; most programs use client.New and its
// Assistants field instead.
func NewService(opts ...langgraph.Option) (*Service, error) {
	b, err := transport.FromOptions(opts)
	if err != nil {
		return nil, err
	}
	return &Service{b: b}, nil
}

// CreateParams are the fields of Create. GraphID is required.
type CreateParams struct {
	// GraphID is the graph the assistant runs (required).
	GraphID string `json:"graph_id"`
	// AssistantID sets the new assistant's id, which must be a UUID; the
	// server picks one otherwise.
	AssistantID string `json:"assistant_id,omitzero"`
	// Config is the run configuration applied to the assistant's runs.
	Config *langgraph.Config `json:"config,omitzero"`
	// Context is the static runtime context of the assistant's runs (any
	// value that encodes as a JSON object).
	Context any `json:"context,omitzero"`
	// Metadata is stored with the assistant.
	Metadata map[string]any `json:"metadata,omitzero"`
	// IfExists says what to do when AssistantID is taken.
	IfExists langgraph.IfExists `json:"if_exists,omitzero"`
	// Name names the assistant. The JS server names an unnamed assistant
	// "Untitled".
	Name string `json:"name,omitzero"`
	// Description describes the assistant.
	Description string `json:"description,omitzero"`
}

// Create creates an assistant (POST /assistants). A create without
// AssistantID is not retried after a server error, since the assistant may
// exist already; with AssistantID it is, and a retry that finds the id taken
// (409) after an attempt that may have created it returns the assistant.
func (s *Service) Create(ctx context.Context, p CreateParams, opts ...langgraph.Option) (*Assistant, error) {
	if p.GraphID == "" {
		return nil, lgerr.Invalid("graph_id must not be empty")
	}
	var a Assistant
	req := &transport.Request{Method: http.MethodPost, Path: "/assistants", Body: p, Idempotent: p.AssistantID != "", Options: opts, Check: a.check}
	if _, err := s.b.Do(ctx, req, &a); err != nil {
		if p.AssistantID != "" && req.Retried() && errors.Is(err, langgraph.ErrConflict) {
			// An attempt that failed with a 5xx or a broken connection
			// created the assistant.
			return s.Get(ctx, p.AssistantID, opts...)
		}
		return nil, err
	}
	return &a, nil
}

// Get returns an assistant (GET /assistants/{assistant_id}). A graph id in
// place of the assistant id returns that graph's system assistant.
func (s *Service) Get(ctx context.Context, assistantID string, opts ...langgraph.Option) (*Assistant, error) {
	path, err := transport.Path("/assistants/{assistant_id}", assistantID)
	if err != nil {
		return nil, err
	}
	var a Assistant
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, Idempotent: true, Options: opts, Check: a.check}, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// UpdateParams are the fields of Update; only those set are sent, and the
// others keep their values.
type UpdateParams struct {
	// GraphID switches the assistant to another graph.
	GraphID string `json:"graph_id,omitzero"`
	// Config replaces the assistant's run configuration;
	// &langgraph.Config{} clears it.
	Config *langgraph.Config `json:"config,omitzero"`
	// Context replaces the assistant's static runtime context.
	Context any `json:"context,omitzero"`
	// Metadata is merged into the assistant's metadata.
	Metadata map[string]any `json:"metadata,omitzero"`
	// Name renames the assistant.
	Name string `json:"name,omitzero"`
	// Description replaces the assistant's description.
	Description string `json:"description,omitzero"`
}

// Update changes an assistant (PATCH /assistants/{assistant_id}). Every
// update creates a new version, which becomes the latest; the new version
// number is in the returned Assistant.
func (s *Service) Update(ctx context.Context, assistantID string, p UpdateParams, opts ...langgraph.Option) (*Assistant, error) {
	path, err := transport.Path("/assistants/{assistant_id}", assistantID)
	if err != nil {
		return nil, err
	}
	var a Assistant
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPatch, Path: path, Body: p, Idempotent: true, Options: opts, Check: a.check}, &a); err != nil {
		return nil, err
	}
	return &a, nil
}

// DeleteParams are the options of Delete.
type DeleteParams struct {
	// DeleteThreads also deletes the threads whose metadata.assistant_id is
	// the assistant (sent as delete_threads=true).
	DeleteThreads bool
}

// Delete deletes an assistant with all its versions and its runs (DELETE
// /assistants/{assistant_id}).
func (s *Service) Delete(ctx context.Context, assistantID string, p DeleteParams, opts ...langgraph.Option) error {
	path, err := transport.Path("/assistants/{assistant_id}", assistantID)
	if err != nil {
		return err
	}
	var q url.Values
	if p.DeleteThreads {
		q = url.Values{"delete_threads": {"true"}}
	}
	// The JS server answers 200 with the deleted ids, the Python one 204: the
	// body is not needed.
	_, err = s.b.Do(ctx, &transport.Request{Method: http.MethodDelete, Path: path, Query: q, Idempotent: true, Options: opts}, nil)
	return err
}

// SortBy names a field to sort assistants by.
type SortBy string

// Fields assistants can be sorted by.
const (
	SortByAssistantID SortBy = "assistant_id"
	SortByGraphID     SortBy = "graph_id"
	SortByName        SortBy = "name"
	SortByCreatedAt   SortBy = "created_at"
	SortByUpdatedAt   SortBy = "updated_at"
)

// SearchParams filter and page Search. The zero value lists the first page
// (10 assistants, newest first).
type SearchParams struct {
	// Metadata matches assistants whose metadata contains these pairs, e.g.
	// {"created_by": "system"} for the system assistants.
	Metadata map[string]any `json:"metadata,omitzero"`
	// GraphID matches the assistants of this graph.
	GraphID string `json:"graph_id,omitzero"`
	// Name matches assistants whose name contains this text, ignoring case.
	Name string `json:"name,omitzero"`
	// Limit is the page size (server default 10, at most 1000).
	Limit int `json:"limit,omitzero"`
	// Offset skips that many assistants.
	Offset int `json:"offset,omitzero"`
	// SortBy orders the results (the JS server ignores it: newest first).
	SortBy SortBy `json:"sort_by,omitzero"`
	// SortOrder is Asc or Desc (the JS server ignores it).
	SortOrder langgraph.SortOrder `json:"sort_order,omitzero"`
	// Select limits the fields returned: assistant_id, graph_id, name,
	// description, config, context, created_at, updated_at, metadata, version.
	// The others are left zero in the results.
	Select []string `json:"select,omitzero"`
}

// Search returns one page of assistants (POST /assistants/search).
func (s *Service) Search(ctx context.Context, p SearchParams, opts ...langgraph.Option) ([]Assistant, error) {
	if err := pager.Check(p.Limit, p.Offset); err != nil {
		return nil, err
	}
	page, err := s.searchPage(ctx, p, opts)
	return page.Items, err
}

// SearchPage is Search that also returns the paging headers (total, and
// where the next page starts), like the Python SDK's
// response_format="object".
func (s *Service) SearchPage(ctx context.Context, p SearchParams, opts ...langgraph.Option) (*langgraph.Page[Assistant], error) {
	if err := pager.Check(p.Limit, p.Offset); err != nil {
		return nil, err
	}
	page, err := s.searchPage(ctx, p, opts)
	if err != nil {
		return nil, err
	}
	return page.Public(), nil
}

func (s *Service) searchPage(ctx context.Context, p SearchParams, opts []langgraph.Option) (pager.Page[Assistant], error) {
	return pager.Search[Assistant](ctx, s.b, "/assistants/search", p, opts)
}

// SearchAll yields every assistant that matches p, fetching page after page
// (p.Limit per page, 10 when zero) from p.Offset on. It follows the
// X-Pagination-Next header when the server sends one and stops at a short or
// empty page. It stops at the first error, which it yields.
func (s *Service) SearchAll(ctx context.Context, p SearchParams, opts ...langgraph.Option) iter.Seq2[Assistant, error] {
	return pager.Walk(ctx, p.Limit, p.Offset, 10, func(ctx context.Context, limit, offset int) (pager.Page[Assistant], error) {
		q := p
		q.Limit, q.Offset = limit, offset
		return s.searchPage(ctx, q, opts)
	})
}

// CountParams filter Count.
type CountParams struct {
	// Metadata matches assistants whose metadata contains these pairs.
	Metadata map[string]any `json:"metadata,omitzero"`
	// GraphID matches the assistants of this graph.
	GraphID string `json:"graph_id,omitzero"`
	// Name matches assistants whose name contains this text, ignoring case.
	Name string `json:"name,omitzero"`
}

// Count returns the number of assistants that match (POST /assistants/count).
func (s *Service) Count(ctx context.Context, p CountParams, opts ...langgraph.Option) (int, error) {
	var n int
	_, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPost, Path: "/assistants/count", Body: p, Idempotent: true, Options: opts}, &n)
	return n, err
}

// GraphParams are the options of GetGraph.
type GraphParams struct {
	// XRay includes the nodes of subgraphs (sent as xray=true).
	XRay bool
	// XRayDepth, when above zero, includes subgraphs down to that depth (sent
	// as xray=<depth>) and takes precedence over XRay. The JS server reads
	// only xray=1 as true and any other number as false.
	XRayDepth int
}

// GetGraph returns the structure of the assistant's graph (GET
// /assistants/{assistant_id}/graph).
func (s *Service) GetGraph(ctx context.Context, assistantID string, p GraphParams, opts ...langgraph.Option) (*Graph, error) {
	path, err := transport.Path("/assistants/{assistant_id}/graph", assistantID)
	if err != nil {
		return nil, err
	}
	if p.XRayDepth < 0 {
		return nil, lgerr.Invalid("xray depth %d is negative", p.XRayDepth)
	}
	xray := strconv.FormatBool(p.XRay)
	if p.XRayDepth > 0 {
		xray = strconv.Itoa(p.XRayDepth)
	}
	var g Graph
	req := &transport.Request{Method: http.MethodGet, Path: path, Query: url.Values{"xray": {xray}}, Idempotent: true, Options: opts}
	if _, err := s.b.Do(ctx, req, &g); err != nil {
		return nil, err
	}
	return &g, nil
}

// GetSchemas returns the JSON schemas of the assistant's graph: input,
// output, state, config and context (GET /assistants/{assistant_id}/schemas).
func (s *Service) GetSchemas(ctx context.Context, assistantID string, opts ...langgraph.Option) (*GraphSchema, error) {
	path, err := transport.Path("/assistants/{assistant_id}/schemas", assistantID)
	if err != nil {
		return nil, err
	}
	var sc GraphSchema
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, Idempotent: true, Options: opts}, &sc); err != nil {
		return nil, err
	}
	return &sc, nil
}

// SubgraphsParams are the options of GetSubgraphs.
type SubgraphsParams struct {
	// Namespace restricts the result to the subgraph at this namespace (a
	// node name such as "child"); empty means all subgraphs.
	Namespace string
	// Recurse includes the subgraphs of subgraphs, keyed by their
	// "|"-joined namespace.
	Recurse bool
}

// GetSubgraphs returns the schemas of the assistant's subgraphs, in the
// server's order, each with its namespace
// (GET /assistants/{assistant_id}/subgraphs[/{namespace}]). A graph without
// subgraphs gives none.
func (s *Service) GetSubgraphs(ctx context.Context, assistantID string, p SubgraphsParams, opts ...langgraph.Option) ([]Subgraph, error) {
	var path string
	var err error
	if p.Namespace != "" {
		path, err = transport.Path("/assistants/{assistant_id}/subgraphs/{namespace}", assistantID, p.Namespace)
	} else {
		path, err = transport.Path("/assistants/{assistant_id}/subgraphs", assistantID)
	}
	if err != nil {
		return nil, err
	}
	var out subgraphs
	q := url.Values{"recurse": {strconv.FormatBool(p.Recurse)}}
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodGet, Path: path, Query: q, Idempotent: true, Options: opts}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// VersionsParams filter and page GetVersions.
type VersionsParams struct {
	// Metadata matches versions whose metadata contains these pairs.
	Metadata map[string]any `json:"metadata,omitzero"`
	// Limit is the page size (server default 10).
	Limit int `json:"limit,omitzero"`
	// Offset skips that many versions.
	Offset int `json:"offset,omitzero"`
}

// GetVersions returns one page of an assistant's versions, newest first
// (POST /assistants/{assistant_id}/versions). The JS server answers
// langgraph.ErrNotFound when no version matches, also for an Offset past the
// last version. The server sends no paging headers, so there is no
// GetVersionsPage; GetVersionsAll walks every page.
func (s *Service) GetVersions(ctx context.Context, assistantID string, p VersionsParams, opts ...langgraph.Option) ([]AssistantVersion, error) {
	path, err := transport.Path("/assistants/{assistant_id}/versions", assistantID)
	if err != nil {
		return nil, err
	}
	if err := pager.Check(p.Limit, p.Offset); err != nil {
		return nil, err
	}
	return s.versions(ctx, path, p, opts)
}

func (s *Service) versions(ctx context.Context, path string, p VersionsParams, opts []langgraph.Option) ([]AssistantVersion, error) {
	var out []AssistantVersion
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPost, Path: path, Body: p, Idempotent: true, Options: opts}, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// GetVersionsAll yields every version of an assistant that matches p, newest
// first, fetching page after page (p.Limit per page, 10 when zero) from
// p.Offset on, until a page is short or empty. The JS server answers a page
// past the last version with langgraph.ErrNotFound: after a full page, that
// answer ends the sequence without error (the first page's is yielded). It
// stops at the first error, which it yields.
func (s *Service) GetVersionsAll(ctx context.Context, assistantID string, p VersionsParams, opts ...langgraph.Option) iter.Seq2[AssistantVersion, error] {
	path, err := transport.Path("/assistants/{assistant_id}/versions", assistantID)
	if err != nil {
		return pager.Fail[AssistantVersion](err)
	}
	first := p.Offset
	return pager.Walk(ctx, p.Limit, p.Offset, 10, func(ctx context.Context, limit, offset int) (pager.Page[AssistantVersion], error) {
		q := p
		q.Limit, q.Offset = limit, offset
		out, err := s.versions(ctx, path, q, opts)
		if err != nil && offset > first && errors.Is(err, langgraph.ErrNotFound) {
			return pager.Page[AssistantVersion]{}, nil // past the last version
		}
		return pager.Page[AssistantVersion]{Items: out}, err
	})
}

// SetLatest makes an earlier (or later) version the assistant's current one
// and returns the assistant as it now is (POST
// /assistants/{assistant_id}/latest). Versions start at 1. It is not retried
// after a server error.
func (s *Service) SetLatest(ctx context.Context, assistantID string, version int, opts ...langgraph.Option) (*Assistant, error) {
	path, err := transport.Path("/assistants/{assistant_id}/latest", assistantID)
	if err != nil {
		return nil, err
	}
	if version < 1 {
		return nil, lgerr.Invalid("assistant version %d: versions start at 1", version)
	}
	body := struct {
		Version int `json:"version"`
	}{version}
	var a Assistant
	if _, err := s.b.Do(ctx, &transport.Request{Method: http.MethodPost, Path: path, Body: body, Options: opts, Check: a.check}, &a); err != nil {
		return nil, err
	}
	return &a, nil
}
