// Package reqopt holds the settings that langgraph.Option values fill in,
// for client.New (client level) and for each call (call level), and the
// bridge through which the transport applies them.
package reqopt

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// MaxRetriesLimit is the largest value langgraph.WithMaxRetries accepts.
const MaxRetriesLimit = 100

// Level says where an option is applied.
type Level int

// Levels.
const (
	// Client is client.New, or a service's NewService.
	Client Level = iota
	// Call is a call's options, or its context's.
	Call
	// View is a view's (Client.WithOptions): it accepts the options of
	// calls, and those of clients that may also configure a view.
	View
)

// Settings are what options set. Fields marked "client" are set only at the
// client level; the others at both.
type Settings struct {
	// Header holds header overrides; an empty value removes the header.
	Header http.Header
	// Query adds query parameters (call).
	Query url.Values
	// Timeout bounds a call (retries included); zero means none.
	Timeout time.Duration
	// MaxRetries, when RetriesSet, is the number of retries after the first
	// attempt.
	MaxRetries int
	RetriesSet bool
	// OnResponse is called with the status and headers of each successful
	// response of the call (call).
	OnResponse func(status int, h http.Header)
	// Observers (langgraph.Observer values) and RequestHooks are set at
	// the client and view levels.
	Observers    []any
	RequestHooks []func(*http.Request) error

	// Client-level settings.
	BaseURL          string
	NoAPIKey         bool
	PerCall          bool
	Token            func(ctx context.Context, rejected string) (string, error)
	HTTPClient       *http.Client
	Logger           *slog.Logger
	MinWait, MaxWait time.Duration
	MaxRetryAfter    time.Duration
	MaxEventSize     int
	MaxResponseSize  int64
	// Shared, set only by package client: a prebuilt transport backend
	// (*transport.Backend) that services share.
	Shared any
}

// SetHeader records a header override.
func (s *Settings) SetHeader(name, value string) {
	if s.Header == nil {
		s.Header = make(http.Header)
	}
	s.Header[http.CanonicalHeaderKey(name)] = []string{value}
}

// Bridge to package langgraph, which sets these in its init: they let the
// transport apply a langgraph.Option, whose fields are unexported, and let
// package client build one.
var (
	// Apply applies opt (a langgraph.Option) to s at level.
	Apply func(opt any, s *Settings, level Level) error
	// Make builds a langgraph.Option that runs f at the client level.
	Make func(name string, f func(*Settings) error) any
)

// ContextKey is the context key under which langgraph.ContextWithOptions
// stores a []langgraph.Option.
type ContextKey struct{}

// ParseBaseURL parses a deployment URL: absolute http or https, with a
// host and no user info, query or fragment. It returns why not otherwise.
func ParseBaseURL(raw string) (*url.URL, string) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, "base URL: " + err.Error()
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Sprintf("base URL %q: scheme must be http or https", u.Redacted())
	case u.Host == "":
		return nil, fmt.Sprintf("base URL %q has no host", u.Redacted())
	case u.User != nil:
		return nil, "the base URL must not contain user info; use WithAPIKey, WithBearerToken or WithHeader"
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Sprintf("base URL %q must not have a query or fragment", u.Redacted())
	}
	return u, ""
}

// CleanKey trims white space and one pair of surrounding quotes from an API
// key, as the Python and JS SDKs do with the keys they read from the
// environment.
func CleanKey(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		v = strings.TrimSpace(v[1 : len(v)-1])
	}
	return v
}
