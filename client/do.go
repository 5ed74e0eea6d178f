package client

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// Do calls a route of the deployment that the SDK has no method for (GET
// /ok, a custom route, a route added by a newer server), through the same
// transport as every other call: credentials, retries by method, typed
// errors, size limits.
//
// path is the route under the base URL, with its id segments already
// escaped (url.PathEscape), optionally followed by "?query"; it must start
// with "/" and holds no scheme, host, fragment, empty or dot segment. body,
// when not nil, is sent as JSON. out, when not nil, receives the JSON answer
// (an empty answer is then a *langgraph.ResponseError); with out nil the
// answer is dropped. GET, HEAD, PUT, PATCH, DELETE and OPTIONS are retried
// like reads; other methods (POST) only when the server surely did nothing.
func (c *Client) Do(ctx context.Context, method, path string, body, out any, opts ...langgraph.Option) error {
	if c == nil || c.backend == nil {
		return lgerr.Invalid("the client was not built by client.New")
	}
	if !validMethod(method) {
		return lgerr.Invalid("Do: %q is not an HTTP method", method)
	}
	p, q, err := routePath(path)
	if err != nil {
		return err
	}
	r := &transport.Request{Method: method, Path: p, Query: q, Body: body, Options: opts}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		r.Idempotent = true
	}
	_, err = c.backend.Do(ctx, r, out)
	return err
}

func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		if c := m[i]; c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}

// routePath checks a route for Do and splits off its query.
func routePath(path string) (string, url.Values, error) {
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return "", nil, lgerr.Invalid("Do: path %q must start with a single /", clip(path))
	}
	if strings.ContainsAny(path, "\x00\r\n\t #\\") {
		return "", nil, lgerr.Invalid("Do: path %q holds a space, a control character, a backslash or a fragment", clip(path))
	}
	raw, rawQuery, _ := strings.Cut(path, "?")
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "", nil, lgerr.Invalid("Do: path %q is not a route", clip(path))
	}
	segs := strings.Split(raw[1:], "/")
	for i, seg := range segs {
		if seg == "" && (i < len(segs)-1 || i == 0) {
			return "", nil, lgerr.Invalid("Do: path %q has an empty segment", clip(path))
		}
	}
	if err := transport.CheckPath(raw); err != nil {
		return "", nil, err
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", nil, lgerr.Invalid("Do: bad query in %q", clip(path))
	}
	if len(q) == 0 {
		q = nil
	}
	return raw, q, nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
