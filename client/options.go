package client

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
)

// Option configures a Client. Options are checked by New, which returns the
// first error.
type Option func(*settings) error

type settings struct {
	baseURL       string
	apiKey        string
	noAPIKey      bool
	bearer        string
	header        http.Header
	tokenSource   TokenSource
	httpClient    *http.Client
	logger        *slog.Logger
	maxRetries    int
	minWait       time.Duration
	maxWait       time.Duration
	maxRetryAfter time.Duration
	maxEventSize  int
	maxResponse   int64
	perCall       bool
}

// TokenSource supplies the bearer token of each request, for tokens that
// expire. The client calls Token with an empty rejected before every request;
// if the server answers 401, it calls Token once more with the refused token
// in rejected and, if the new token differs, sends the request again once.
// Token must be safe for concurrent use.
type TokenSource interface {
	// Token returns the bearer token for a request; rejected is empty, or
	// the token the server just refused with a 401.
	Token(ctx context.Context, rejected string) (string, error)
}

// TokenSourceFunc adapts a function to TokenSource.
type TokenSourceFunc func(ctx context.Context, rejected string) (string, error)

// Token calls f.
func (f TokenSourceFunc) Token(ctx context.Context, rejected string) (string, error) {
	return f(ctx, rejected)
}

// WithBaseURL sets the deployment URL, e.g. "http://localhost:2024" or
// "https://my-deployment.example.com/prefix". A malformed URL makes New fail.
func WithBaseURL(u string) Option {
	return func(s *settings) error {
		if _, err := ParseBaseURL(u); err != nil {
			return err
		}
		s.baseURL = u
		return nil
	}
}

// WithAPIKey sends key as the x-api-key header of every request, in place of
// the key from the environment.
func WithAPIKey(key string) Option {
	return func(s *settings) error {
		key = cleanKey(key)
		if key == "" {
			return lgerr.Invalid("WithAPIKey: empty key (use WithoutAPIKey to send none)")
		}
		if err := langgraph.CheckHeader("X-Api-Key", key); err != nil {
			return lgerr.Invalid("WithAPIKey: the key contains a control character")
		}
		s.apiKey = key
		return nil
	}
}

// WithoutAPIKey sends no x-api-key: the environment variables are not read.
// It conflicts with WithAPIKey: New reports an error if both are given.
func WithoutAPIKey() Option {
	return func(s *settings) error {
		s.noAPIKey = true
		return nil
	}
}

// WithBearerToken sends "Authorization: Bearer <token>" on every request, the
// usual credential of deployments with custom auth.
func WithBearerToken(token string) Option {
	return func(s *settings) error {
		if token == "" {
			return lgerr.Invalid("WithBearerToken: empty token")
		}
		if strings.ContainsAny(token, "\r\n\x00") {
			return lgerr.Invalid("WithBearerToken: the token contains a control character")
		}
		if s.tokenSource != nil {
			return lgerr.Invalid("WithBearerToken and WithTokenSource cannot be combined")
		}
		s.bearer = token
		return nil
	}
}

// WithTokenSource calls ts for the bearer token of every request, and once
// more after a 401 (see TokenSource).
func WithTokenSource(ts TokenSource) Option {
	return func(s *settings) error {
		if f, isFunc := ts.(TokenSourceFunc); ts == nil || (isFunc && f == nil) {
			return lgerr.Invalid("WithTokenSource: nil source")
		}
		if s.bearer != "" {
			return lgerr.Invalid("WithBearerToken and WithTokenSource cannot be combined")
		}
		s.tokenSource = ts
		return nil
	}
}

// WithHeader adds a default header sent on every request, e.g. a custom
// credential your auth handler reads. Headers whose name starts with "x-"
// reach the graph's config.configurable on the JS server. x-api-key is
// reserved (as in the Python SDK): set it with WithAPIKey, so that the
// environment fallback and WithoutAPIKey stay consistent.
func WithHeader(name, value string) Option {
	return func(s *settings) error {
		if err := langgraph.CheckHeader(name, value); err != nil {
			return err
		}
		if http.CanonicalHeaderKey(strings.TrimSpace(name)) == "X-Api-Key" {
			return lgerr.Invalid("WithHeader: x-api-key is reserved; use WithAPIKey")
		}
		s.header.Set(name, value)
		return nil
	}
}

// WithHeaders adds default headers (see WithHeader).
func WithHeaders(h map[string]string) Option {
	return func(s *settings) error {
		for k, v := range h {
			if err := WithHeader(k, v)(s); err != nil {
				return err
			}
		}
		return nil
	}
}

// WithHTTPClient sends requests through a copy of hc (its Transport, proxy,
// TLS settings and redirect policy). Credentials are added below hc's
// Transport, only for the base URL's origin. Leave hc.Timeout at zero: a
// timeout there would cut long waits and streams; use contexts or
// langgraph.WithTimeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return lgerr.Invalid("WithHTTPClient: nil client")
		}
		s.httpClient = hc
		return nil
	}
}

// WithLogger logs the retry layer's lines (request, retry, failure; method
// and URL only, never headers or credentials) to l at debug and error level.
// Without it the client logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return lgerr.Invalid("WithLogger: nil logger")
		}
		s.logger = l
		return nil
	}
}

// WithMaxRetries sets how many times a failed request may be retried (default
// 3; 0 disables retries). Which failures are retried depends on the request:
// see the package documentation.
func WithMaxRetries(n int) Option {
	return func(s *settings) error {
		if n < 0 {
			return lgerr.Invalid("WithMaxRetries: %d is negative", n)
		}
		s.maxRetries = n
		if n == 0 {
			s.maxRetries = -1
		}
		return nil
	}
}

// WithRetryWait bounds the exponential backoff between retries (defaults
// 500ms and 8s). Each wait is drawn from the upper half of min·2^attempt,
// capped at max.
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return func(s *settings) error {
		if minWait <= 0 || maxWait < minWait {
			return lgerr.Invalid("WithRetryWait: need 0 < min <= max, got %v and %v", minWait, maxWait)
		}
		s.minWait, s.maxWait = minWait, maxWait
		return nil
	}
}

// WithMaxRetryAfter caps the wait a server may ask for with Retry-After on a
// 429 or 503 (default 30s).
func WithMaxRetryAfter(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 0 {
			return lgerr.Invalid("WithMaxRetryAfter: %v is not positive", d)
		}
		s.maxRetryAfter = d
		return nil
	}
}

// WithPerCallCredentials makes a client for a service that acts for its end
// users: the client holds no credentials of its own (no API key is read
// from the environment; WithAPIKey, WithBearerToken and WithTokenSource
// conflict with it), and every call must carry the end user's, with
// langgraph.WithBearerToken or langgraph.WithAPIKey (or an Authorization or
// x-api-key langgraph.WithHeader) on the call or on its context. A call
// without them fails before anything is sent with an error matching
// langgraph.ErrNoCredentials, instead of running as whoever the
// environment's key belongs to. Info, which needs no credentials, is exempt.
func WithPerCallCredentials() Option {
	return func(s *settings) error {
		s.perCall = true
		return nil
	}
}

// WithMaxResponseSize sets the largest JSON answer the client accepts, in
// bytes (default 128 MiB; stream events have their own limit, see
// WithMaxEventSize). A larger answer fails with an error matching
// langgraph.ErrResponseTooLarge.
func WithMaxResponseSize(n int64) Option {
	return func(s *settings) error {
		if n <= 0 {
			return lgerr.Invalid("WithMaxResponseSize: %d is not positive", n)
		}
		s.maxResponse = n
		return nil
	}
}

// WithMaxEventSize sets the largest stream event the client accepts, in bytes
// (default 32 MiB). A larger event ends the stream with an error that
// matches langgraph.ErrEventTooLarge. LangGraph sends the whole state in one
// "values" event, so raise it for very large states.
func WithMaxEventSize(n int) Option {
	return func(s *settings) error {
		if n <= 0 {
			return lgerr.Invalid("WithMaxEventSize: %d is not positive", n)
		}
		s.maxEventSize = n
		return nil
	}
}
