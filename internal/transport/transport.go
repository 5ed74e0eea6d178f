// Package transport sends the SDK's HTTP requests: it builds URLs with escaped
// path parameters, attaches credentials and headers (only for the base URL's
// origin), retries by a per-request policy on go-retryablehttp, and turns
// failures into the typed errors of package langgraph.
package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
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
	Token func(ctx context.Context, rejected string) (string, error)
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
	// MaxResponseSize is the largest accepted JSON answer in bytes; zero
	// means DefaultMaxResponseSize.
	MaxResponseSize int64
	// PerCallCredentials makes every request that needs credentials fail
	// with langgraph.ErrNoCredentials unless its own options or its context
	// set Authorization or x-api-key.
	PerCallCredentials bool
	// Timeout bounds every call that sets none of its own; zero means none.
	Timeout time.Duration
	// Observers watch every call (see Begin).
	Observers []langgraph.Observer
	// RequestHooks are called with each request to the base URL's origin,
	// after the credentials were added.
	RequestHooks []func(*http.Request) error
}

// Defaults of the retry policy.
const (
	DefaultMaxRetries    = 3
	DefaultMinWait       = 500 * time.Millisecond
	DefaultMaxWait       = 8 * time.Second
	DefaultMaxRetryAfter = 30 * time.Second
)

// DefaultMaxResponseSize bounds a JSON answer (or a wait's result): 128 MiB,
// far above any real answer, and four times the default stream event limit.
const DefaultMaxResponseSize = 128 << 20

// Backend sends requests for every resource service of one client.
type Backend struct {
	base      string // scheme://host[:port]/prefix, no trailing slash
	origin    string
	rc        *retryablehttp.Client
	header    http.Header
	token     func(ctx context.Context, rejected string) (string, error)
	userAgent string
	minWait   time.Duration
	maxWait   time.Duration
	maxRA     time.Duration
	maxEvent  int
	maxBody   int64
	perCall   bool
	retries   int                // default retries of a request
	timeout   time.Duration      // default timeout of a call
	view      []langgraph.Option // options of a view (With), applied to every call
	observers []langgraph.Observer
	reqHooks  []func(*http.Request) error
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
		maxBody:   cfg.MaxResponseSize,
		perCall:   cfg.PerCallCredentials,
		retries:   cfg.MaxRetries,
		timeout:   cfg.Timeout,
		observers: slices.Clone(cfg.Observers),
		reqHooks:  slices.Clone(cfg.RequestHooks),
	}
	if cfg.MaxRetries == 0 {
		b.retries = DefaultMaxRetries
	} else if cfg.MaxRetries < 0 {
		b.retries = 0
	}
	if b.maxBody <= 0 {
		b.maxBody = DefaultMaxResponseSize
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
	hc.CheckRedirect = sameOriginRedirects(b.origin, hc.CheckRedirect)

	rc := retryablehttp.NewClient()
	rc.HTTPClient = hc
	rc.Logger = nil // the library logs every URL to stderr by default
	if cfg.Logger != nil {
		rc.Logger = cfg.Logger
	}
	// Each request's own limit is enforced by checkRetry.
	rc.RetryMax = reqopt.MaxRetriesLimit
	rc.RetryWaitMin, rc.RetryWaitMax = b.minWait, b.maxWait
	rc.CheckRetry = checkRetry
	rc.RequestLogHook = countAttempt
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
func (b *Backend) BaseURL() string {
	if b == nil {
		return ""
	}
	return b.base
}

// MaxEventSize returns the configured stream event size limit; zero means
// the default.
func (b *Backend) MaxEventSize() int {
	if b == nil {
		return 0
	}
	return b.maxEvent
}

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
	Options []langgraph.Option
	// NoAuth marks a route that needs no credentials (GET /info): it is
	// sent even when the client requires per-call credentials.
	NoAuth bool
	// Check, when set, is called by Do after a successful decode; a
	// non-empty reason (e.g. "no thread_id") makes the answer a
	// *langgraph.ResponseError.
	Check func() string
	// Decode, when set, decodes a successful answer (not empty) in place of
	// encoding/json into Do's out. data is the caller's: the decoded value
	// may keep slices of it.
	Decode func(data []byte) error
	// Call is the observed call the request belongs to (see Begin). When
	// it is nil and the client has observers, Do and Open begin a call of
	// their own.
	Call *Call
	// NoTimeout exempts the request from the call's timeout
	// (langgraph.WithTimeout): a session's event stream, which lasts as long
	// as its session.
	NoTimeout bool

	retried bool // set by Open: an earlier attempt may have taken effect
}

// Retried reports, after Open or Do, that the request was sent again after
// an attempt that may have taken effect (a 5xx, or a connection that broke
// after the request left). A DELETE answered 404 after such a retry is
// reported as a success by Open: the first attempt deleted the resource.
func (r *Request) Retried() bool { return r.retried }

// Open sends the request and returns the response with its body unread; a
// status of 400 or more becomes an *langgraph.APIError. The caller closes the
// body. A per-call timeout stays in force until the body is closed. A
// request that belongs to no observed call (r.Call) is a call of its own,
// which ends when the body is closed.
func (b *Backend) Open(ctx context.Context, r *Request) (*http.Response, error) {
	if b == nil {
		return nil, lgerr.Invalid("the client was not built by client.New")
	}
	if r.Call != nil || !b.Observed() {
		return b.open0(ctx, r)
	}
	ctx, call := b.Begin(ctx, r, langgraph.CallInfo{})
	resp, err := b.open0(ctx, r)
	if err != nil {
		call.End(err)
		return nil, err
	}
	resp.Body = &endBody{ReadCloser: resp.Body, call: call}
	return resp, nil
}

func (b *Backend) open0(ctx context.Context, r *Request) (*http.Response, error) {
	opts, err := b.CallOptions(ctx, r.Options)
	if err != nil {
		return nil, err
	}
	if opts.Timeout <= 0 || r.NoTimeout {
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

// CallOptions returns the settings of a call: the backend's defaults, then
// the options of its view (With), of ctx (langgraph.ContextWithOptions) and
// opts, in order. It returns the first option error, or an error for a nil
// ctx.
func (b *Backend) CallOptions(ctx context.Context, opts []langgraph.Option) (reqopt.Settings, error) {
	if b == nil {
		return reqopt.Settings{}, lgerr.Invalid("the client was not built by client.New")
	}
	o := reqopt.Settings{Timeout: b.timeout, MaxRetries: b.retries}
	if ctx == nil {
		return o, lgerr.Invalid("nil context (use context.Background())")
	}
	for _, opt := range b.view {
		if err := reqopt.Apply(opt, &o, reqopt.View); err != nil {
			return reqopt.Settings{}, err
		}
	}
	fromCtx, _ := ctx.Value(reqopt.ContextKey{}).([]langgraph.Option)
	for _, list := range [][]langgraph.Option{fromCtx, opts} {
		for _, opt := range list {
			if err := reqopt.Apply(opt, &o, reqopt.Call); err != nil {
				return reqopt.Settings{}, err
			}
		}
	}
	o.Observers, o.RequestHooks = nil, nil // the view's, already in b
	return o, nil
}

// With returns a view of b whose calls apply opts (call-level options)
// before their context's and their own, and whose observers and request
// hooks are b's and those of opts.
func (b *Backend) With(opts []langgraph.Option) (*Backend, error) {
	if b == nil {
		return nil, lgerr.Invalid("the client was not built by client.New")
	}
	var scratch reqopt.Settings
	for _, opt := range opts {
		if err := reqopt.Apply(opt, &scratch, reqopt.View); err != nil {
			return nil, err
		}
	}
	v := *b
	v.view = append(append([]langgraph.Option{}, b.view...), opts...)
	for _, o := range scratch.Observers {
		v.observers = append(slices.Clip(v.observers), o.(langgraph.Observer))
	}
	v.reqHooks = append(slices.Clip(v.reqHooks), scratch.RequestHooks...)
	return &v, nil
}

// requestURL is the URL of r: the base URL, r's path, and r's query with the
// call's query parameters.
func (b *Backend) requestURL(r *Request, opts *reqopt.Settings) (string, error) {
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
		return "", fmt.Errorf("langgraph: bad request URL: %w", err)
	}
	return u, nil
}

func (b *Backend) open(ctx context.Context, r *Request, opts *reqopt.Settings) (*http.Response, error) {
	if err := CheckPath(r.Path); err != nil {
		return nil, err
	}
	u, err := b.requestURL(r, opts)
	if err != nil {
		return nil, err
	}
	var body []byte
	if r.Body != nil {
		var err error
		if body, err = json.Marshal(r.Body); err != nil {
			return nil, lgerr.Wrap(err, "encoding the body of %s %s", r.Method, r.Path)
		}
	}

	creds, token, err := b.credentials(ctx, r, opts)
	if err != nil {
		return nil, err
	}

	call := callState{maxRetries: opts.MaxRetries, obs: r.Call}
	if call.obs != nil {
		call.method = r.Method
		call.route, _ = RouteOf(r.Method, r.Path)
	}
	ctx = context.WithValue(ctx, callKey{}, &call)
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
	r.retried = call.ambiguous
	if err != nil {
		return nil, b.transportError(ctx, r.Method, u, err)
	}
	switch {
	case isRedirect(resp.StatusCode):
		// Only a redirect to another origin comes back (see
		// sameOriginRedirects): the request is not sent there.
		defer drainClose(resp.Body)
		return nil, redirectError(r.Method, u, resp)
	case resp.StatusCode == http.StatusNotFound && r.Method == http.MethodDelete && r.retried:
		// The attempt that failed with a 5xx or a broken connection did the
		// delete: the resource is gone, as asked.
		drainClose(resp.Body)
		return &http.Response{StatusCode: http.StatusNoContent, Header: resp.Header, Body: http.NoBody, Request: resp.Request}, nil
	case resp.StatusCode >= 400:
		defer drainClose(resp.Body)
		return nil, NewAPIError(r.Method, u, resp)
	}
	if opts.OnResponse != nil {
		opts.OnResponse(resp.StatusCode, resp.Header)
	}
	return resp, nil
}

// credentials returns the headers that carry a request's credentials and
// default headers (the client's, then the call's settings), and the bearer
// token drawn from the token source, if any. A client that requires per-call
// credentials refuses a request that carries none.
func (b *Backend) credentials(ctx context.Context, r *Request, opts *reqopt.Settings) (http.Header, string, error) {
	if b.perCall && !r.NoAuth && opts.Header.Get("Authorization") == "" && opts.Header.Get("X-Api-Key") == "" {
		return nil, "", fmt.Errorf("%w: %s %s: the client requires per-call credentials (langgraph.WithPerCallCredentials): "+
			"pass the end user's with langgraph.WithBearerToken or langgraph.WithAPIKey, on the call or on its context", langgraph.ErrNoCredentials, r.Method, r.Path)
	}
	creds := b.header.Clone()
	_, callSetsAuth := opts.Header["Authorization"]
	var token string
	if b.token != nil && !callSetsAuth {
		var err error
		if token, err = b.bearer(ctx, ""); err != nil {
			return nil, "", err
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
	return creds, token, nil
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
	if len(b.reqHooks) > 0 {
		ctx = context.WithValue(ctx, hooksKey{}, b.reqHooks)
	}
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
	var he *hookError
	if errors.As(err, &he) {
		return fmt.Errorf("langgraph: %s %s: %w", method, u, he)
	}
	sent := !neverSent(err)
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &langgraph.ConnectionError{Method: method, URL: u, Sent: sent, Err: err}
}

// Do sends the request and decodes its JSON answer into out. With out nil
// the body is read and dropped. Otherwise the answer must be JSON: an empty
// or malformed body is a *langgraph.ResponseError (so is a failed r.Check),
// a body cut before its end a *langgraph.ConnectionError with Sent set, and
// a body over the size limit an error matching langgraph.ErrResponseTooLarge.
// It returns the response headers.
func (b *Backend) Do(ctx context.Context, r *Request, out any) (_ http.Header, err error) {
	if r.Call == nil && b.Observed() {
		var call *Call
		ctx, call = b.Begin(ctx, r, langgraph.CallInfo{})
		defer func() { call.End(err) }()
	}
	resp, err := b.Open(ctx, r)
	if err != nil {
		return nil, err
	}
	defer drainClose(resp.Body)
	if out == nil {
		return resp.Header, nil
	}
	data, err := b.ReadAll(ctx, r.Method, resp)
	if err != nil {
		return resp.Header, err
	}
	if r.Decode != nil && len(bytes.TrimSpace(data)) > 0 {
		if err := r.Decode(data); err != nil {
			return resp.Header, answerError(r.Method, resp, data, "the body is not the expected JSON", err)
		}
	} else if err := DecodeAnswer(r.Method, resp, data, out); err != nil {
		return resp.Header, err
	}
	if r.Check != nil {
		if why := r.Check(); why != "" {
			return resp.Header, answerError(r.Method, resp, data, why, nil)
		}
	}
	return resp.Header, nil
}

// ReadAll reads a response body whole, up to the client's size limit. A
// body cut before its end is a *langgraph.ConnectionError (Sent, with the
// status); a body over the limit matches langgraph.ErrResponseTooLarge; a
// context that ended is reported as such.
func (b *Backend) ReadAll(ctx context.Context, method string, resp *http.Response) ([]byte, error) {
	var buf bytes.Buffer
	if n := resp.ContentLength; n > 0 && n <= b.maxBody {
		buf.Grow(int(n))
	}
	_, err := buf.ReadFrom(io.LimitReader(resp.Body, b.maxBody+1))
	u := requestURL(resp)
	switch {
	case err != nil:
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			// The caller's context, or the call's timeout, ended the read.
			return nil, fmt.Errorf("langgraph: reading the response of %s %s: %w", method, u, err)
		}
		return nil, &langgraph.ConnectionError{Method: method, URL: u, Sent: true, StatusCode: resp.StatusCode, Err: err}
	case int64(buf.Len()) > b.maxBody:
		return nil, fmt.Errorf("%w: %s %s: the answer exceeds %d bytes (raise the limit with langgraph.WithMaxResponseSize)", langgraph.ErrResponseTooLarge, method, u, b.maxBody)
	}
	return buf.Bytes(), nil
}

// DecodeAnswer decodes the JSON answer data of resp into out. Leading white
// space is skipped (the JS server writes keep-alive newlines before a
// wait's result). An empty or malformed answer is a *langgraph.ResponseError.
func DecodeAnswer(method string, resp *http.Response, data []byte, out any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return answerError(method, resp, data, "empty body where JSON was expected", nil)
	}
	if err := json.Unmarshal(data, out); err != nil {
		return answerError(method, resp, data, "the body is not the expected JSON", err)
	}
	return nil
}

func answerError(method string, resp *http.Response, data []byte, why string, err error) *langgraph.ResponseError {
	return &langgraph.ResponseError{
		Method:      method,
		URL:         requestURL(resp),
		StatusCode:  resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		Reason:      why,
		Body:        bytes.Clone(data[:min(len(data), 512)]),
		Err:         err,
	}
}

// ResponseError builds the *langgraph.ResponseError of an answer that
// cannot be what the endpoint promises.
func ResponseError(method string, resp *http.Response, data []byte, why string) error {
	return answerError(method, resp, data, why, nil)
}

// requestURL is the URL a response answered, without user info.
func requestURL(resp *http.Response) string {
	if resp.Request == nil || resp.Request.URL == nil {
		return ""
	}
	u := *resp.Request.URL
	u.User = nil
	return u.String()
}

// Missing returns the Check reason for an answer that lacks its id field.
func Missing(field string, value string) string {
	if value == "" {
		return "the answer has no " + field
	}
	return ""
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

// hooksKey carries the request hooks (langgraph.WithRequestHook) of the
// request's client.
type hooksKey struct{}

func (t *headerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	creds, _ := req.Context().Value(credsKey{}).(http.Header)
	hooks, _ := req.Context().Value(hooksKey{}).([]func(*http.Request) error)
	if len(creds) == 0 && len(hooks) == 0 || Origin(req.URL) != t.origin {
		return t.base.RoundTrip(req)
	}
	r2 := req.Clone(req.Context())
	for k, vs := range creds {
		r2.Header[k] = vs
	}
	if len(hooks) > 0 {
		host := r2.Host
		for _, h := range hooks {
			if err := h(r2); err != nil {
				closeBody(r2)
				return nil, &hookError{err}
			}
		}
		if Origin(r2.URL) != t.origin || r2.Host != host {
			// The credentials are on it: it goes nowhere else.
			closeBody(r2)
			return nil, &hookError{lgerr.Invalid("the request hook sent the request, with its credentials, to another host")}
		}
	}
	return t.base.RoundTrip(r2)
}

// closeBody closes the body of a request that is not sent, as a
// RoundTripper must.
func closeBody(r *http.Request) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
}

// hookError is the error of a request hook; it is never retried.
type hookError struct{ err error }

func (e *hookError) Error() string { return "request hook: " + e.err.Error() }
func (e *hookError) Unwrap() error { return e.err }

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

// callState records, across the attempts of one request, what a retry must
// know: whether an earlier attempt may have taken effect.
type callState struct {
	attempts   int
	maxRetries int
	ambiguous  bool // an attempt failed after the request may have reached the server

	// For observed calls only.
	obs           *Call
	method, route string
	sent          time.Time // when the current attempt was sent
}

type callKey struct{}

// countAttempt is the retry layer's RequestLogHook: it counts attempts.
func countAttempt(_ retryablehttp.Logger, req *http.Request, _ int) {
	if c, ok := req.Context().Value(callKey{}).(*callState); ok {
		c.attempts++
		if c.obs != nil {
			c.sent = time.Now()
		}
	}
}

// noteRetry records the outcome of an attempt that is about to be retried.
func noteRetry(ctx context.Context, resp *http.Response, err error) {
	c, ok := ctx.Value(callKey{}).(*callState)
	if !ok {
		return
	}
	if err != nil && !neverSent(err) || resp != nil && resp.StatusCode >= 500 {
		c.ambiguous = true
	}
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// sameOriginRedirects follows redirects within origin only (then asks next,
// the caller's own policy, if any). A redirect to another origin is not
// followed: the client gets the redirect itself and reports it as a
// *langgraph.RedirectError, so that neither the request body nor a Referer
// goes there.
func sameOriginRedirects(origin string, next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if Origin(req.URL) != origin {
			return http.ErrUseLastResponse
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

func redirectError(method, u string, resp *http.Response) error {
	var target string
	if loc, err := resp.Location(); err == nil {
		loc.User, loc.RawQuery, loc.ForceQuery, loc.Fragment = nil, "", false, ""
		target = loc.String()
	} else {
		target = "(no valid Location)"
	}
	return &langgraph.RedirectError{Method: method, URL: u, StatusCode: resp.StatusCode, Location: target}
}
