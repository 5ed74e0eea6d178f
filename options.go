package langgraph

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/langgraph-go/langgraph/internal/reqopt"
)

// Option configures a client (client.New), a view of one
// (Client.WithOptions), a service (NewService of each service package), or
// one call (the last arguments of every method; or, for every call made
// with a context, ContextWithOptions). Each option says in its doc where it
// applies; one given where it does not apply is an error matching
// ErrInvalidArgument, reported by client.New or by the call. Options are
// checked when applied and return errors; the zero Option does nothing.
//
// Precedence, from weakest to strongest: the client's options, a view's,
// the context's, the call's. Within one list, later options win.
//
// Write your own option by combining others with Options:
//
//	func AsUser(u User) langgraph.Option {
//		return langgraph.Options(langgraph.WithBearerToken(u.Token), langgraph.WithHeader("x-tenant", u.Tenant))
//	}
type Option struct {
	name  string
	scope scope
	apply func(*reqopt.Settings) error
	all   []Option // Options
}

type scope int

const (
	anywhere     scope = iota
	clientOnly         // client.New and NewService
	callOnly           // calls, contexts and views
	clientOrView       // client.New, NewService and views
)

func init() {
	reqopt.Apply = func(o any, s *reqopt.Settings, level reqopt.Level) error { return o.(Option).applyTo(s, level) }
	reqopt.Make = func(name string, f func(*reqopt.Settings) error) any {
		return Option{name: name, scope: clientOnly, apply: f}
	}
}

func (o Option) applyTo(s *reqopt.Settings, level reqopt.Level) error {
	if o.all != nil {
		for _, sub := range o.all {
			if err := sub.applyTo(s, level); err != nil {
				return err
			}
		}
		return nil
	}
	if o.apply == nil {
		return nil
	}
	switch {
	case o.scope == clientOnly && level != reqopt.Client:
		return invalid("%s configures a client: pass it to client.New (or NewService), not to a call, a context or Client.WithOptions", o.name)
	case o.scope == callOnly && level == reqopt.Client:
		return invalid("%s applies to calls: pass it to a call, to ContextWithOptions or to Client.WithOptions, not to client.New", o.name)
	case o.scope == clientOrView && level == reqopt.Call:
		return invalid("%s configures a client or a view: pass it to client.New (or NewService) or to Client.WithOptions, not to a call or a context", o.name)
	}
	return o.apply(s)
}

// Options combines options into one, applied in order.
func Options(opts ...Option) Option {
	return Option{name: "Options", all: append([]Option{}, opts...)}
}

func option(name string, sc scope, f func(*reqopt.Settings) error) Option {
	return Option{name: name, scope: sc, apply: f}
}

// ContextWithOptions returns a context whose calls use opts, after the
// options already on ctx. A service that acts for many end users can attach
// each user's credentials once, where the request comes in, and pass the
// context down:
//
//	ctx = langgraph.ContextWithOptions(ctx, langgraph.WithBearerToken(userToken))
//	c.Threads.Search(ctx, threads.SearchParams{}) // runs as that user
//
// Only options that apply to calls belong here; a client option makes every
// call with this context fail with ErrInvalidArgument.
func ContextWithOptions(ctx context.Context, opts ...Option) context.Context {
	prev, _ := ctx.Value(reqopt.ContextKey{}).([]Option)
	all := make([]Option, 0, len(prev)+len(opts))
	all = append(append(all, prev...), opts...)
	return context.WithValue(ctx, reqopt.ContextKey{}, all)
}

// WithBaseURL sets the deployment URL, e.g. "http://localhost:8123" or
// "https://my-deployment.example.com/prefix": absolute http or https, with
// a host and no user info, query or fragment. Without it the client reads
// LANGGRAPH_API_URL, else uses http://localhost:8123. Client only.
func WithBaseURL(u string) Option {
	return option("WithBaseURL", clientOnly, func(s *reqopt.Settings) error {
		if _, why := reqopt.ParseBaseURL(u); why != "" {
			return invalid("%s", why)
		}
		s.BaseURL = u
		return nil
	})
}

// WithAPIKey sends "x-api-key: <key>" (white space and one pair of quotes
// around the key are removed). On a client it replaces the key from the
// environment (LANGGRAPH_API_KEY, LANGSMITH_API_KEY, LANGCHAIN_API_KEY); on
// a call, the client's key. Anywhere.
func WithAPIKey(key string) Option {
	return option("WithAPIKey", anywhere, func(s *reqopt.Settings) error {
		key := reqopt.CleanKey(key)
		if key == "" {
			return invalid("WithAPIKey: empty key (use WithoutAPIKey to send none)")
		}
		if err := checkHeaderValue("API key", key); err != nil {
			return err
		}
		s.SetHeader("X-Api-Key", key)
		return nil
	})
}

// WithoutAPIKey makes the client read no API key from the environment. It
// conflicts with WithAPIKey on the same client. Client only.
func WithoutAPIKey() Option {
	return option("WithoutAPIKey", clientOnly, func(s *reqopt.Settings) error {
		s.NoAPIKey = true
		return nil
	})
}

// WithBearerToken sends "Authorization: Bearer <token>", the usual
// credential of deployments with custom auth. On a call it replaces the
// client's bearer token or token source. Anywhere.
func WithBearerToken(token string) Option {
	return option("WithBearerToken", anywhere, func(s *reqopt.Settings) error {
		if token == "" {
			return invalid("WithBearerToken: empty token")
		}
		if err := checkHeaderValue("bearer token", token); err != nil {
			return err
		}
		s.SetHeader("Authorization", "Bearer "+token)
		return nil
	})
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

// Token calls f; a nil f gives an error matching ErrInvalidArgument.
func (f TokenSourceFunc) Token(ctx context.Context, rejected string) (string, error) {
	if f == nil {
		return "", invalid("nil TokenSourceFunc")
	}
	return f(ctx, rejected)
}

// WithTokenSource asks ts for the bearer token of every request, and once
// more after a 401 (see TokenSource). It conflicts with a client-wide
// WithBearerToken. Client only.
func WithTokenSource(ts TokenSource) Option {
	return option("WithTokenSource", clientOnly, func(s *reqopt.Settings) error {
		if f, isFunc := ts.(TokenSourceFunc); ts == nil || (isFunc && f == nil) {
			return invalid("WithTokenSource: nil source")
		}
		s.Token = ts.Token
		return nil
	})
}

// WithPerCallCredentials makes a client for a service that acts for its end
// users: the client holds no credentials of its own (no API key is read
// from the environment; client-wide WithAPIKey, WithBearerToken,
// WithTokenSource or an Authorization header conflict with it), and every
// call must carry the end user's: an Authorization or x-api-key set on the
// call, its context or a view (Client.WithOptions). A call without them
// fails before anything is sent with an error matching ErrNoCredentials,
// instead of running as whoever the environment's key belongs to. Reading
// the server's info, which needs no credentials, is exempt. Client only.
func WithPerCallCredentials() Option {
	return option("WithPerCallCredentials", clientOnly, func(s *reqopt.Settings) error {
		s.PerCall = true
		return nil
	})
}

// WithHeader sets a header: on a client, a default sent with every request
// (e.g. a custom credential your auth handler reads; headers whose name
// starts with "x-" reach the graph's config.configurable); on a call, an
// override of the client's. An empty value removes the header, e.g.
// WithHeader("x-api-key", "") on a call drops the client's API key.
// Headers the SDK sets itself (Content-Type, Content-Length, Host,
// Transfer-Encoding, Connection) are refused. Anywhere.
func WithHeader(name, value string) Option {
	return option("WithHeader", anywhere, func(s *reqopt.Settings) error {
		if err := checkHeader(name, value); err != nil {
			return err
		}
		s.SetHeader(name, value)
		return nil
	})
}

// WithHeaders sets several headers (see WithHeader). Anywhere.
func WithHeaders(h map[string]string) Option {
	return option("WithHeaders", anywhere, func(s *reqopt.Settings) error {
		for k, v := range h {
			if err := checkHeader(k, v); err != nil {
				return err
			}
			s.SetHeader(k, v)
		}
		return nil
	})
}

// WithQueryParam adds a query parameter to a call. Calls only.
func WithQueryParam(name, value string) Option {
	return option("WithQueryParam", callOnly, func(s *reqopt.Settings) error {
		if name == "" {
			return invalid("WithQueryParam: empty name")
		}
		if s.Query == nil {
			s.Query = make(url.Values)
		}
		s.Query.Add(name, value)
		return nil
	})
}

// WithTimeout bounds a call, retries and backoff included; on a client, every
// call. For streams and waits it bounds the whole run, so prefer a context
// deadline there; the client sets no timeout by default, since waits and
// streams last as long as their run. Anywhere.
func WithTimeout(d time.Duration) Option {
	return option("WithTimeout", anywhere, func(s *reqopt.Settings) error {
		if d <= 0 {
			return invalid("WithTimeout: %v is not positive", d)
		}
		s.Timeout = d
		return nil
	})
}

// WithMaxRetries sets how many times a failed request may be retried
// (default 3, at most 100; 0 disables retries). Which failures are retried depends on
// the request: see Retries in the package documentation of client.
// Anywhere.
func WithMaxRetries(n int) Option {
	return option("WithMaxRetries", anywhere, func(s *reqopt.Settings) error {
		if n < 0 || n > reqopt.MaxRetriesLimit {
			return invalid("WithMaxRetries: %d is not between 0 and %d", n, reqopt.MaxRetriesLimit)
		}
		s.MaxRetries, s.RetriesSet = n, true
		return nil
	})
}

// WithRetryWait bounds the exponential backoff between retries (defaults
// 500ms and 8s). Each wait is drawn from the upper half of min·2^attempt,
// capped at max. Client only.
func WithRetryWait(minWait, maxWait time.Duration) Option {
	return option("WithRetryWait", clientOnly, func(s *reqopt.Settings) error {
		if minWait <= 0 || maxWait < minWait {
			return invalid("WithRetryWait: need 0 < min <= max, got %v and %v", minWait, maxWait)
		}
		s.MinWait, s.MaxWait = minWait, maxWait
		return nil
	})
}

// WithMaxRetryAfter caps the wait a server may ask for with Retry-After on a
// 429 or 503 (default 30s). Client only.
func WithMaxRetryAfter(d time.Duration) Option {
	return option("WithMaxRetryAfter", clientOnly, func(s *reqopt.Settings) error {
		if d <= 0 {
			return invalid("WithMaxRetryAfter: %v is not positive", d)
		}
		s.MaxRetryAfter = d
		return nil
	})
}

// WithHTTPClient sends requests through a copy of hc (its Transport, proxy,
// TLS settings and redirect policy). Credentials are added below hc's
// Transport, only for the base URL's origin. Leave hc.Timeout at zero: a
// timeout there would cut long waits and streams; use contexts or
// WithTimeout. Client only.
func WithHTTPClient(hc *http.Client) Option {
	return option("WithHTTPClient", clientOnly, func(s *reqopt.Settings) error {
		if hc == nil {
			return invalid("WithHTTPClient: nil client")
		}
		s.HTTPClient = hc
		return nil
	})
}

// WithLogger logs the retry layer's lines (request, retry, failure; method
// and URL only, never headers or credentials) to l at debug and error level.
// Without it the client logs nothing. Client only.
func WithLogger(l *slog.Logger) Option {
	return option("WithLogger", clientOnly, func(s *reqopt.Settings) error {
		if l == nil {
			return invalid("WithLogger: nil logger")
		}
		s.Logger = l
		return nil
	})
}

// WithMaxEventSize sets the largest stream event the client accepts, in bytes
// (default 32 MiB). A larger event ends the stream with an error that
// matches ErrEventTooLarge. LangGraph sends the whole state in one "values"
// event, so raise it for very large states. Client only.
func WithMaxEventSize(n int) Option {
	return option("WithMaxEventSize", clientOnly, func(s *reqopt.Settings) error {
		if n <= 0 {
			return invalid("WithMaxEventSize: %d is not positive", n)
		}
		s.MaxEventSize = n
		return nil
	})
}

// WithMaxResponseSize sets the largest JSON answer the client accepts, in
// bytes (default 128 MiB). A larger answer fails with an error matching
// ErrResponseTooLarge. Client only.
func WithMaxResponseSize(n int64) Option {
	return option("WithMaxResponseSize", clientOnly, func(s *reqopt.Settings) error {
		if n <= 0 {
			return invalid("WithMaxResponseSize: %d is not positive", n)
		}
		s.MaxResponseSize = n
		return nil
	})
}

// checkHeader reports whether name and value can be sent as a header set by
// an option.
func checkHeader(name, value string) error {
	if name == "" {
		return invalid("empty header name")
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("()<>@,;:\\\"/[]?={}", c) >= 0 {
			return invalid("invalid header name %q", name)
		}
	}
	switch http.CanonicalHeaderKey(name) {
	case "Content-Length", "Content-Type", "Host", "Transfer-Encoding", "Connection":
		return invalid("header %q is set by the SDK", name)
	}
	return checkHeaderValue("header "+name, value)
}

// checkHeaderValue refuses control characters; it never echoes the value,
// which may be a secret.
func checkHeaderValue(what, value string) error {
	for i := 0; i < len(value); i++ {
		if c := value[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return invalid("%s contains a control character", what)
		}
	}
	return nil
}

// Response describes the answer to a successful call, for WithResponse.
type Response struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Header holds the response headers: X-Request-Id, Content-Location,
	// X-Pagination-Total, X-Pagination-Next, ...
	Header http.Header
}

// RequestID returns the X-Request-Id header, if any.
func (r *Response) RequestID() string { return r.Header.Get("X-Request-Id") }

// WithResponse fills dst with the status and headers of the call's response
// once it succeeds. For a call that sends several requests (an iterator over
// pages, a stream that reconnects) dst holds the last one's. A nil dst is
// refused. Calls only.
func WithResponse(dst *Response) Option {
	return option("WithResponse", callOnly, func(o *reqopt.Settings) error {
		if dst == nil {
			return invalid("WithResponse: nil destination")
		}
		prev := o.OnResponse
		o.OnResponse = func(status int, h http.Header) {
			if prev != nil {
				prev(status, h)
			}
			dst.StatusCode, dst.Header = status, h
		}
		return nil
	})
}
