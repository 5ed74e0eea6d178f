package langgraph

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/langgraph-go/langgraph/internal/reqopt"
)

// RequestOption changes a single call: its credentials, headers, query or
// timeout. Pass options as the last arguments of any method, or attach them to
// a context with WithRequestOptions so that every call made with that context
// uses them. Options given to the method are applied after those of the
// context, and both after the client's defaults; the last one wins. A nil
// option is ignored.
//
// Credentials and headers set here are sent only to the client's base URL
// origin, like the client's own.
type RequestOption func(*reqopt.Options) error

// WithBearerToken sends "Authorization: Bearer <token>" on this call, in place
// of the client's bearer token or token source. Use it to act for one end user
// through a shared client.
func WithBearerToken(token string) RequestOption {
	return func(o *reqopt.Options) error {
		if err := checkHeaderValue("bearer token", token); err != nil {
			return err
		}
		if token == "" {
			return invalid("WithBearerToken: empty token")
		}
		o.SetHeader("Authorization", "Bearer "+token)
		return nil
	}
}

// WithAPIKey sends "x-api-key: <key>" on this call, in place of the client's key.
func WithAPIKey(key string) RequestOption {
	return func(o *reqopt.Options) error {
		if err := checkHeaderValue("API key", key); err != nil {
			return err
		}
		if key == "" {
			return invalid("WithAPIKey: empty key")
		}
		o.SetHeader("X-Api-Key", key)
		return nil
	}
}

// WithHeader sets a header on this call, overriding the client's default for
// that name. An empty value removes the header from the call, e.g.
// WithHeader("x-api-key", "") drops the client's API key.
func WithHeader(name, value string) RequestOption {
	return func(o *reqopt.Options) error {
		if err := CheckHeader(name, value); err != nil {
			return err
		}
		o.SetHeader(name, value)
		return nil
	}
}

// WithQueryParam adds a query parameter to this call.
func WithQueryParam(name, value string) RequestOption {
	return func(o *reqopt.Options) error {
		if name == "" {
			return invalid("WithQueryParam: empty name")
		}
		if o.Query == nil {
			o.Query = make(url.Values)
		}
		o.Query.Add(name, value)
		return nil
	}
}

// WithTimeout bounds this call, retries and backoff included. For streams and
// waits it bounds the whole run, so prefer a context deadline there.
func WithTimeout(d time.Duration) RequestOption {
	return func(o *reqopt.Options) error {
		if d <= 0 {
			return invalid("WithTimeout: %v is not positive", d)
		}
		o.Timeout = d
		return nil
	}
}

type ctxKey struct{}

// WithRequestOptions returns a context whose calls use opts. A service that
// acts for many end users can attach each user's token once, where the request
// comes in, and pass the context down:
//
//	ctx = langgraph.WithRequestOptions(ctx, langgraph.WithBearerToken(userToken))
//	c.Threads.Search(ctx, threads.SearchParams{}) // runs as that user
//
// Options already on ctx are kept; the new ones are applied after them.
func WithRequestOptions(ctx context.Context, opts ...RequestOption) context.Context {
	prev := RequestOptionsFromContext(ctx)
	all := make([]RequestOption, 0, len(prev)+len(opts))
	all = append(append(all, prev...), opts...)
	return context.WithValue(ctx, ctxKey{}, all)
}

// RequestOptionsFromContext returns the options attached by WithRequestOptions.
func RequestOptionsFromContext(ctx context.Context) []RequestOption {
	opts, _ := ctx.Value(ctxKey{}).([]RequestOption)
	return opts
}

// CheckHeader reports whether name and value can be sent as an HTTP header.
func CheckHeader(name, value string) error {
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
// refused.
func WithResponse(dst *Response) RequestOption {
	return func(o *reqopt.Options) error {
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
	}
}
