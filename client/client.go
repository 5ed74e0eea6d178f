// Package client is the entry point of the SDK: New builds a Client for one
// LangGraph deployment (the equivalent of the Python SDK's get_client and of
// the JS SDK's new Client), whose services cover the whole API: Assistants,
// Threads, Runs, Crons and Store.
//
// # Options
//
// One option type, langgraph.Option, configures the client (New), a view of
// it (WithOptions) and each call (the last arguments of every method, or a
// context made with langgraph.ContextWithOptions). Precedence, weakest
// first: the client's, the view's, the context's, the call's.
//
// # Credentials
//
// An API key (x-api-key: langgraph.WithAPIKey, else LANGGRAPH_API_KEY,
// LANGSMITH_API_KEY or LANGCHAIN_API_KEY from the environment unless
// langgraph.WithoutAPIKey), a bearer token (langgraph.WithBearerToken), a
// token source asked per request (langgraph.WithTokenSource), or any header
// (langgraph.WithHeader). They are sent only to the base URL's origin:
// redirects to another origin are not followed, and a stream's reconnect
// Location on another origin is refused.
//
// A service that acts for its end users holds one Client built with
// langgraph.WithPerCallCredentials and passes each user's credentials per
// call, on the request's context, or on a view:
//
//	alice, err := c.WithOptions(langgraph.WithBearerToken(aliceToken))
//	threads, err := alice.Threads.Search(ctx, threads.SearchParams{})
//
// # Retries
//
// Reads and other idempotent calls (GET, PUT, PATCH, DELETE, and the
// read-only POSTs: search, count, history, state at a checkpoint, cancel)
// retry on connection errors and on 429, 500, 502, 503 and 504, with
// exponential backoff and jitter (langgraph.WithRetryWait), honouring
// Retry-After up to a cap (langgraph.WithMaxRetryAfter). Calls that create
// work (create run, wait, stream, create thread or assistant without an id,
// copy, update state, batch) retry only on 429 or when the request provably
// never reached the server, so a run is never started twice.
// langgraph.WithMaxRetries sets the number of retries (default 3) for the
// client or for one call. Every wait ends with the context.
//
// A retry may meet the work of the attempt it repeats, when that attempt
// succeeded but its answer was lost (a 5xx from a proxy, a broken
// connection): a delete retried after such an attempt that gets 404
// succeeds, and a create with an id (Threads.Create with ThreadID,
// Assistants.Create with AssistantID) that gets 409 returns the resource
// with that id.
//
// # Errors
//
// Every error matches something errors.Is or errors.As can test; see the
// package documentation of langgraph.
package client

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/crons"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/internal/transport"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/store"
	"github.com/langgraph-go/langgraph/threads"
)

// DefaultBaseURL is used when neither langgraph.WithBaseURL nor the
// LANGGRAPH_API_URL environment variable names the deployment.
const DefaultBaseURL = "http://localhost:8123"

// Client talks to one LangGraph deployment. It is safe for concurrent use.
// The zero Client sends nothing: its calls fail with an error matching
// langgraph.ErrInvalidArgument.
type Client struct {
	// Assistants manages assistants (configured graphs).
	Assistants assistants.Service
	// Threads manages threads and their state.
	Threads threads.Service
	// Runs creates, waits for, streams and manages runs.
	Runs runs.Service
	// Crons schedules recurring runs.
	Crons crons.Service
	// Store reads and writes the long-term store.
	Store store.Service

	backend *transport.Backend
}

// New builds a Client. The base URL comes from langgraph.WithBaseURL, else
// the LANGGRAPH_API_URL environment variable, else DefaultBaseURL. Options
// are checked here: a malformed URL or a bad option fails New, with an error
// matching langgraph.ErrInvalidArgument.
func New(opts ...langgraph.Option) (*Client, error) {
	b, err := transport.FromOptions(opts)
	if err != nil {
		return nil, err
	}
	return build(b)
}

func build(b *transport.Backend) (*Client, error) {
	shared := transport.Shared(b)
	c := &Client{backend: b}
	a, err := assistants.NewService(shared)
	if err != nil {
		return nil, err
	}
	t, err := threads.NewService(shared)
	if err != nil {
		return nil, err
	}
	r, err := runs.NewService(shared)
	if err != nil {
		return nil, err
	}
	cr, err := crons.NewService(shared)
	if err != nil {
		return nil, err
	}
	st, err := store.NewService(shared)
	if err != nil {
		return nil, err
	}
	c.Assistants, c.Threads, c.Runs, c.Crons, c.Store = *a, *t, *r, *cr, *st
	return c, nil
}

// WithOptions returns a view of c whose calls apply opts before their
// context's and their own: e.g. one end user's credentials, a tenant header,
// a timeout. It shares c's connections. Options that configure a client
// (langgraph.WithBaseURL, ...) are refused.
func (c *Client) WithOptions(opts ...langgraph.Option) (*Client, error) {
	if c == nil || c.backend == nil {
		return nil, lgerr.Invalid("the client was not built by client.New")
	}
	v, err := c.backend.With(opts)
	if err != nil {
		return nil, err
	}
	return build(v)
}

// BaseURL returns the deployment URL the client talks to; "" for the zero
// Client.
func (c *Client) BaseURL() string {
	if c == nil || c.backend == nil {
		return ""
	}
	return c.backend.BaseURL()
}

// Info describes the server (GET /info), which answers without credentials:
// use it as a health check.
type Info struct {
	// Version is the server's version.
	Version string `json:"version"`
	// LangGraphJSVersion is the version of the LangGraph.js library the JS
	// server runs; empty for the Python server.
	LangGraphJSVersion string `json:"langgraph_js_version,omitzero"`
	// Context is "js" for the JS server; empty for the Python one.
	Context string `json:"context,omitzero"`
	// Flags lists the server's feature flags.
	Flags map[string]any `json:"flags,omitzero"`
	// Raw is the whole response.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the answer and keeps it whole in Raw.
func (i *Info) UnmarshalJSON(b []byte) error {
	type plain Info
	var v plain
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*i = Info(v)
	i.Raw = append(json.RawMessage(nil), b...)
	return nil
}

// Info returns the server's version and feature flags (GET /info).
func (c *Client) Info(ctx context.Context, opts ...langgraph.Option) (*Info, error) {
	if c == nil || c.backend == nil {
		return nil, lgerr.Invalid("the client was not built by client.New")
	}
	var info Info
	r := &transport.Request{Method: http.MethodGet, Path: "/info", Idempotent: true, NoAuth: true, Options: opts,
		Check: func() string { return transport.Missing("version", info.Version) }}
	if _, err := c.backend.Do(ctx, r, &info); err != nil {
		return nil, err
	}
	return &info, nil
}
