// Package client is the entry point of the SDK: New builds a Client for one
// LangGraph deployment (the equivalent of Python's get_client), whose
// services cover the whole API: Assistants, Threads, Runs, Crons and Store.
//
// Credentials go in options: an API key (x-api-key, read from the environment
// when not given), a bearer token, a token source called per request, or any
// headers. They are sent only to the base URL's origin. Per-call options from
// package langgraph (langgraph.WithBearerToken, langgraph.WithHeader, ...)
// override them for one call, so one Client can act for many end users.
package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/crons"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/internal/transport"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/store"
	"github.com/langgraph-go/langgraph/threads"
)

// DefaultBaseURL is used when neither WithBaseURL nor LANGGRAPH_API_URL is set.
const DefaultBaseURL = "http://localhost:8123"

// Client talks to one LangGraph deployment. It is safe for concurrent use.
type Client struct {
	// Assistants manages assistants (configured graphs).
	Assistants *assistants.Service
	// Threads manages threads and their state.
	Threads *threads.Service
	// Runs creates, waits for and manages runs.
	Runs *runs.Service
	// Crons schedules recurring runs.
	Crons *crons.Service
	// Store reads and writes the long-term store.
	Store *store.Service

	backend *transport.Backend
}

// New builds a Client. The base URL comes from WithBaseURL, else the
// LANGGRAPH_API_URL environment variable, else DefaultBaseURL. The API key
// comes from WithAPIKey, else the first non-empty of LANGGRAPH_API_KEY,
// LANGSMITH_API_KEY and LANGCHAIN_API_KEY, unless WithoutAPIKey is given.
func New(opts ...Option) (*Client, error) {
	s := settings{header: make(http.Header)}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&s); err != nil {
			return nil, err
		}
	}
	raw := s.baseURL
	if raw == "" {
		raw = strings.TrimSpace(os.Getenv("LANGGRAPH_API_URL"))
	}
	if raw == "" {
		raw = DefaultBaseURL
	}
	base, err := ParseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	if s.apiKey != "" && s.noAPIKey {
		return nil, lgerr.Invalid("WithAPIKey and WithoutAPIKey conflict: pass one of them")
	}
	if s.perCall {
		if s.apiKey != "" || s.bearer != "" || s.tokenSource != nil || s.header.Get("Authorization") != "" {
			return nil, lgerr.Invalid("WithPerCallCredentials conflicts with client-wide credentials (WithAPIKey, WithBearerToken, WithTokenSource, an Authorization header)")
		}
		s.noAPIKey = true
	}
	header := s.header.Clone()
	key := s.apiKey
	if key == "" && !s.noAPIKey {
		key = APIKeyFromEnv()
	}
	if key != "" && !s.noAPIKey {
		header.Set("X-Api-Key", key)
	}
	if s.bearer != "" {
		header.Set("Authorization", "Bearer "+s.bearer)
	}
	var token transport.TokenFunc
	if s.tokenSource != nil {
		token = s.tokenSource.Token
	}
	b, err := transport.New(transport.Config{
		BaseURL:            base,
		HTTPClient:         s.httpClient,
		Header:             header,
		Token:              token,
		Logger:             s.logger,
		UserAgent:          "langgraph-go/" + langgraph.Version,
		MaxRetries:         s.maxRetries,
		MinWait:            s.minWait,
		MaxWait:            s.maxWait,
		MaxRetryAfter:      s.maxRetryAfter,
		MaxEventSize:       s.maxEventSize,
		MaxResponseSize:    s.maxResponse,
		PerCallCredentials: s.perCall,
	})
	if err != nil {
		return nil, err
	}
	return &Client{
		Assistants: assistants.NewService(b),
		Threads:    threads.NewService(b),
		Runs:       runs.NewService(b),
		Crons:      crons.NewService(b),
		Store:      store.NewService(b),
		backend:    b,
	}, nil
}

// BaseURL returns the deployment URL the client talks to.
func (c *Client) BaseURL() string { return c.backend.BaseURL() }

// ParseBaseURL checks a deployment URL: absolute http or https, a host, no
// user info, no query or fragment.
func ParseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, lgerr.Wrap(err, "invalid base URL")
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, lgerr.Invalid("base URL %q: scheme must be http or https", u.Redacted())
	case u.Host == "":
		return nil, lgerr.Invalid("base URL %q has no host", u.Redacted())
	case u.User != nil:
		return nil, lgerr.Invalid("the base URL must not contain user info; use WithAPIKey, WithBearerToken or WithHeader")
	case u.RawQuery != "" || u.Fragment != "":
		return nil, lgerr.Invalid("base URL %q must not have a query or fragment", u.Redacted())
	}
	return u, nil
}

// APIKeyFromEnv returns the first non-empty of LANGGRAPH_API_KEY,
// LANGSMITH_API_KEY and LANGCHAIN_API_KEY, trimmed of white space and of one
// pair of surrounding quotes.
func APIKeyFromEnv() string {
	for _, name := range []string{"LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"} {
		if v := cleanKey(os.Getenv(name)); v != "" {
			return v
		}
	}
	return ""
}

func cleanKey(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = strings.TrimSpace(v[1 : len(v)-1])
	}
	return v
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
func (c *Client) Info(ctx context.Context, opts ...langgraph.RequestOption) (*Info, error) {
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
