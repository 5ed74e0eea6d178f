// Package reqopt holds the per-call settings that langgraph.RequestOption
// functions fill in and the transport reads.
package reqopt

import (
	"net/http"
	"net/url"
	"time"
)

// Options are the per-call settings.
type Options struct {
	// Header overrides the client's default headers for one call; an empty
	// value removes the header.
	Header http.Header
	// Query adds query parameters.
	Query url.Values
	// Timeout bounds the call (retries included); zero means none.
	Timeout time.Duration
	// OnResponse, when set, is called with the status and headers of the
	// call's successful response (of each, for a call that sends several).
	OnResponse func(status int, h http.Header)
}

// SetHeader records a header override.
func (o *Options) SetHeader(name, value string) {
	if o.Header == nil {
		o.Header = make(http.Header)
	}
	o.Header[http.CanonicalHeaderKey(name)] = []string{value}
}
