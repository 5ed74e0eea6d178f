// Package transport sends the SDK's HTTP requests: it builds URLs with escaped
// path parameters, attaches credentials and headers (only for the base URL's
// origin), retries by a per-request policy on go-retryablehttp, and turns
// failures into the typed errors of package langgraph.
package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/internal/reqopt"
)

// TokenFunc returns a bearer token for a request. rejected is empty for a
// normal request; after a 401 it holds the token the server refused.
type TokenFunc func(ctx context.Context, rejected string) (string, error)

// Config configures a Backend. Zero durations and counts take the defaults.
type Config struct {
	// BaseURL is the deployment's URL; it must not hold user info.
	BaseURL *url.URL
	// HTTPClient is copied; its Transport is wrapped. Nil means a pooled default.
	HTTPClient *http.Client
	// Header holds the default headers, credentials included.
	Header http.Header
	// Token, when set, supplies the bearer token of every request.
	Token TokenFunc
	// Logger receives the retry layer's debug lines; nil means no logging.
	Logger *slog.Logger
	// UserAgent is sent on every request.
	UserAgent string
	// MaxRetries is the number of retries after the first attempt; negative means none.
	MaxRetries int
	// MinWait and MaxWait bound the exponential backoff.
	MinWait, MaxWait time.Duration
	// MaxRetryAfter caps a server's Retry-After.
	MaxRetryAfter time.Duration
	// MaxEventSize is the largest accepted stream event in bytes; zero means
	// the default of package sse (32 MiB).
	MaxEventSize int
}

// Defaults of the retry policy.
const (
	DefaultMaxRetries    = 3
	DefaultMinWait       = 500 * time.Millisecond
	DefaultMaxWait       = 8 * time.Second
	DefaultMaxRetryAfter = 30 * time.Second
)

// Backend sends requests for every resource service of one client.
type Backend struct {
	base      string // scheme://host[:port]/prefix, no trailing slash
	origin    string
	rc        *retryablehttp.Client
	header    http.Header
	token     TokenFunc
	userAgent string
	minWait   time.Duration
	maxWait   time.Duration
	maxRA     time.Duration
	maxEvent  int
}

// New builds a Backend.
func New(cfg Config) (*Backend, error) {
	if cfg.BaseURL == nil {
		return nil, errors.New("langgraph: no base URL")
	}
	if cfg.BaseURL.User != nil {
		return nil, errors.New("langgraph: the base URL must not contain user info; use an API key, a bearer token or headers")
	}
	b := &Backend{
		base:      strings.TrimRight(cfg.BaseURL.String(), "/"),
		origin:    Origin(cfg.BaseURL),
		header:    cfg.Header.Clone(),
		token:     cfg.Token,
		userAgent: cfg.UserAgent,
		minWait:   orDefault(cfg.MinWait, DefaultMinWait),
		maxWait:   orDefault(cfg.MaxWait, DefaultMaxWait),
		maxRA:     orDefault(cfg.MaxRetryAfter, DefaultMaxRetryAfter),
		maxEvent:  cfg.MaxEventSize,
	}
	if b.header == nil {
		b.header = make(http.Header)
	}
	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		*hc = *cfg.HTTPClient
	}
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	hc.Transport = &headerTransport{base: base, origin: b.origin}

	rc := retryablehttp.NewClient()
	rc.HTTPClient = hc
	rc.Logger = nil // the library logs every URL to stderr by default
	if cfg.Logger != nil {
		rc.Logger = cfg.Logger
	}
	rc.RetryMax = cfg.MaxRetries
	if cfg.MaxRetries == 0 {
		rc.RetryMax = DefaultMaxRetries
	} else if cfg.MaxRetries < 0 {
		rc.RetryMax = 0
	}
	rc.RetryWaitMin, rc.RetryWaitMax = b.minWait, b.maxWait
	rc.CheckRetry = checkRetry
	rc.Backoff = b.backoff
	rc.ErrorHandler = retryablehttp.PassthroughErrorHandler
	b.rc = rc
	return b, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// BaseURL returns the base URL without a trailing slash.
func (b *Backend) BaseURL() string { return b.base }

// MaxEventSize returns the configured stream event size limit; zero means
// the default.
func (b *Backend) MaxEventSize() int { return b.maxEvent }

// Request describes one API call.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the escaped path (see Path), starting with "/"; a path with a
	// segment made only of dots is refused (see CheckPath).
	Path string
	// Query holds query parameters.
	Query url.Values
	// Body is encoded as JSON; nil sends no body unless SendNull is set.
	Body any
	// Header holds non-secret request headers (Accept, Prefer, Last-Event-ID).
	Header http.Header
	// Idempotent selects the retry policy: idempotent requests retry on
	// connection errors and 429/500/502/503/504; the others only on 429 and on
	// errors that prove the request never reached the server.
	Idempotent bool
	// Options are the call's own options, applied after those on the context.
	Options []langgraph.RequestOption
}

// Open sends the request and returns the response with its body unread; a
// status of 400 or more becomes an *langgraph.APIError. The caller closes the
// body. A per-call timeout stays in force until the body is closed.
func (b *Backend) Open(ctx context.Context, r *Request) (*http.Response, error) {
	if b == nil {
		return nil, lgerr.Invalid("the client was not built by client.New")
	}
	opts, err := CallOptions(ctx, r.Options)
	if err != nil {
		return nil, err
	}
	if opts.Timeout <= 0 {
		return b.open(ctx, r, &opts)
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	resp, err := b.open(ctx, r, &opts)
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelBody{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// CallOptions applies the options on ctx (langgraph.WithRequestOptions), then
// opts, in order; nil options are skipped. It returns the first option error,
// or an error for a nil ctx.
func CallOptions(ctx context.Context, opts []langgraph.RequestOption) (reqopt.Options, error) {
	var o reqopt.Options
	if ctx == nil {
		return o, lgerr.Invalid("nil context (use context.Background())")
	}
	for _, list := range [][]langgraph.RequestOption{langgraph.RequestOptionsFromContext(ctx), opts} {
		for _, f := range list {
			if f == nil {
				continue
			}
			if err := f(&o); err != nil {
				return reqopt.Options{}, err
			}
		}
	}
	return o, nil
}

func (b *Backend) open(ctx context.Context, r *Request, opts *reqopt.Options) (*http.Response, error) {
	if err := CheckPath(r.Path); err != nil {
		return nil, err
	}
	u := b.base + r.Path
	q := r.Query
	if len(opts.Query) > 0 {
		q = cloneValues(q)
		for k, vs := range opts.Query {
			q[k] = append(q[k], vs...)
		}
	}
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	if _, err := url.Parse(u); err != nil {
		return nil, fmt.Errorf("langgraph: bad request URL: %w", err)
	}
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = json.Marshal(r.Body); err != nil {
			return nil, lgerr.Wrap(err, "encoding the body of %s %s", r.Method, r.Path)
		}
	}

	creds := b.header.Clone()
	_, callSetsAuth := opts.Header["Authorization"]
	var token string
	if b.token != nil && !callSetsAuth {
		var err error
		if token, err = b.bearer(ctx, ""); err != nil {
			return nil, err
		}
		creds.Set("Authorization", "Bearer "+token)
	}
	for k, vs := range opts.Header {
		if len(vs) == 0 || vs[0] == "" {
			delete(creds, k)
		} else {
			creds[k] = vs
		}
	}

	resp, err := b.send(ctx, r, u, body, creds)
	if err == nil && resp.StatusCode == http.StatusUnauthorized && token != "" {
		// One refresh and retry: the token may have expired since it was issued.
		fresh, terr := b.bearer(ctx, token)
		if terr == nil && fresh != token {
			drainClose(resp.Body)
			creds.Set("Authorization", "Bearer "+fresh)
			resp, err = b.send(ctx, r, u, body, creds)
		}
	}
	if err != nil {
		return nil, b.transportError(ctx, r.Method, u, err)
	}
	if resp.StatusCode >= 400 {
		defer drainClose(resp.Body)
		return nil, NewAPIError(r.Method, u, resp)
	}
	return resp, nil
}

func (b *Backend) bearer(ctx context.Context, rejected string) (string, error) {
	t, err := b.token(ctx, rejected)
	if err != nil {
		return "", fmt.Errorf("langgraph: token source: %w", err)
	}
	if t == "" {
		return "", lgerr.Invalid("token source returned an empty token")
	}
	if strings.ContainsAny(t, "\r\n\x00") {
		return "", lgerr.Invalid("token source returned a token with a control character")
	}
	return t, nil
}

func (b *Backend) send(ctx context.Context, r *Request, u string, body []byte, creds http.Header) (*http.Response, error) {
	ctx = context.WithValue(ctx, credsKey{}, creds)
	ctx = context.WithValue(ctx, policyKey{}, r.Idempotent)
	var raw any // an untyped nil when there is no body
	if body != nil {
		raw = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.Method, u, raw)
	if err != nil {
		return nil, fmt.Errorf("langgraph: building request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if b.userAgent != "" {
		req.Header.Set("User-Agent", b.userAgent)
	}
	for k, vs := range r.Header {
		req.Header[k] = vs
	}
	resp, err := b.rc.Do(req)
	if err != nil && resp != nil {
		// The retry layer hands back the response with a context error when
		// the context ended after the response arrived: release it.
		_ = resp.Body.Close()
		resp = nil
	}
	return resp, err
}

func (b *Backend) transportError(ctx context.Context, method, u string, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		// Keep errors.Is(err, context.Canceled / DeadlineExceeded) working.
		return fmt.Errorf("langgraph: %s %s: %w", method, u, ctxErr)
	}
	sent := !neverSent(err)
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &langgraph.ConnectionError{Method: method, URL: u, Sent: sent, Err: err}
}

// Do sends the request and decodes a JSON response into out (when out is not
// nil and the body is not empty). It returns the response headers.
func (b *Backend) Do(ctx context.Context, r *Request, out any) (http.Header, error) {
	resp, err := b.Open(ctx, r)
	if err != nil {
		return nil, err
	}
	defer drainClose(resp.Body)
	if out == nil {
		return resp.Header, nil
	}
	if err := DecodeJSON(resp.Body, out); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		return resp.Header, fmt.Errorf("langgraph: reading the response of %s %s: %w", r.Method, r.Path, err)
	}
	return resp.Header, nil
}

// DecodeJSON decodes one JSON value from r into out; an empty body (such as a
// 204) leaves out untouched. Leading whitespace is skipped, so the JS server's
// keep-alive newlines before a wait's result are fine.
func DecodeJSON(r io.Reader, out any) error {
	err := json.NewDecoder(r).Decode(out)
	if err == io.EOF {
		return nil
	}
	return err
}

type cancelBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelBody) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

func drainClose(rc io.ReadCloser) {
	_, _ = io.CopyN(io.Discard, rc, 64<<10)
	_ = rc.Close()
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// headerTransport adds the credentials carried by the request's context, but
// only when the request goes to the base URL's origin: redirects and
// reconnects to another origin never see them. It clones the request, so
// http.Client's redirect logic, which copies the original request's headers,
// never copies credentials either.
type headerTransport struct {
	base   http.RoundTripper
	origin string
}

type credsKey struct{}

func (t *headerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	creds, _ := req.Context().Value(credsKey{}).(http.Header)
	if len(creds) == 0 || Origin(req.URL) != t.origin {
		return t.base.RoundTrip(req)
	}
	r2 := req.Clone(req.Context())
	for k, vs := range creds {
		r2.Header[k] = vs
	}
	return t.base.RoundTrip(r2)
}

// Origin returns scheme://host:port with the default port made explicit.
func Origin(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return scheme + "://" + strings.ToLower(u.Hostname()) + ":" + port
}

// SameOrigin reports whether target, resolved against the base URL, has the
// base URL's origin.
func (b *Backend) SameOrigin(target *url.URL) bool { return Origin(target) == b.origin }
