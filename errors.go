package langgraph

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Sentinel errors matched by *APIError through errors.Is, by status code.
//
//	if errors.Is(err, langgraph.ErrNotFound) { ... }
var (
	// ErrBadRequest matches a 400 response.
	ErrBadRequest = errors.New("langgraph: bad request")
	// ErrUnauthorized matches a 401 response: missing, unknown or expired credentials.
	ErrUnauthorized = errors.New("langgraph: unauthorized")
	// ErrForbidden matches a 403 response: the authenticated user may not do this.
	ErrForbidden = errors.New("langgraph: forbidden")
	// ErrNotFound matches a 404 response. With custom auth, a resource owned by
	// another user is reported as not found too.
	ErrNotFound = errors.New("langgraph: not found")
	// ErrConflict matches a 409 response, e.g. a thread id that is taken.
	ErrConflict = errors.New("langgraph: conflict")
	// ErrUnprocessableEntity matches a 422 response, e.g. a run on a busy thread
	// with multitask strategy "reject".
	ErrUnprocessableEntity = errors.New("langgraph: unprocessable entity")
	// ErrRateLimited matches a 429 response.
	ErrRateLimited = errors.New("langgraph: rate limited")
	// ErrServer matches any 5xx response.
	ErrServer = errors.New("langgraph: server error")
)

// ErrInvalidArgument matches every error of a call that was refused before
// anything was sent: an empty or unsafe id, a negative page size, a bad
// option or header value, conflicting parameters. A service can map it to
// its own 400. Such errors never quote a credential.
var ErrInvalidArgument = errors.New("langgraph: invalid argument")

// invalid returns an error that matches ErrInvalidArgument.
func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidArgument, fmt.Sprintf(format, args...))
}

// APIError is a response with status 400 or more. It never holds credentials:
// URL carries no user info and Header is the response's, not the request's.
type APIError struct {
	// StatusCode is the HTTP status, e.g. 404.
	StatusCode int
	// Method and URL identify the request.
	Method string
	// URL is the request URL.
	URL string
	// Message is the server's explanation: the JSON body's message, detail or
	// error field (Python server), the text/plain body (JS server), or the
	// status text when the body says nothing.
	Message string
	// Body is the start of the response body (at most 64 KiB).
	Body []byte
	// RequestID is the response's x-request-id header, if any.
	RequestID string
	// Header holds the response headers (e.g. WWW-Authenticate, Retry-After).
	Header http.Header
}

// Error reports the status, the request and the server's message.
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "langgraph: %s %s: %d %s", e.Method, e.URL, e.StatusCode, http.StatusText(e.StatusCode))
	if e.Message != "" && e.Message != http.StatusText(e.StatusCode) {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	return b.String()
}

// Is reports whether target is the sentinel for the error's status code.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrUnprocessableEntity:
		return e.StatusCode == http.StatusUnprocessableEntity
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// ConnectionError reports an exchange with the server that broke: the
// server could not be reached, the connection failed before a response
// arrived, or the response was cut before its end (after any retries).
//
// Sent says whether the request may have taken effect. When it is false the
// request never left the client (the connection could not be opened) and
// nothing happened on the server. When it is true the server may have done
// the work (created the run, deleted the thread) even though its answer was
// lost: read the resource back before doing it again.
type ConnectionError struct {
	// Method and URL identify the request.
	Method string
	// URL is the request URL.
	URL string
	// Sent reports that the request may have reached the server.
	Sent bool
	// StatusCode is the status of a response whose body was cut; 0 when no
	// response arrived.
	StatusCode int
	// Run identifies the run that the request created, when the server named
	// it (Content-Location) before the answer was cut: the run exists.
	Run RunRef
	// Err is the underlying transport error.
	Err error
}

// Error names the request, says whether it may have taken effect, and gives
// the cause.
func (e *ConnectionError) Error() string {
	var b strings.Builder
	switch {
	case !e.Sent:
		fmt.Fprintf(&b, "langgraph: cannot reach %s %s (is the server running?)", e.Method, e.URL)
	case e.StatusCode != 0:
		fmt.Fprintf(&b, "langgraph: %s %s: the response (status %d) was cut before its end; the request may have taken effect", e.Method, e.URL, e.StatusCode)
	default:
		fmt.Fprintf(&b, "langgraph: %s %s: the connection failed after the request was sent; it may have taken effect", e.Method, e.URL)
	}
	if e.Run.RunID != "" {
		fmt.Fprintf(&b, " (run %s exists)", e.Run.RunID)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the transport error.
func (e *ConnectionError) Unwrap() error { return e.Err }

// ResponseError reports a successful status whose answer cannot be what the
// endpoint promises: an empty body where an object is due, an object without
// its id, JSON that does not decode, or, for a stream, a content type other
// than text/event-stream or a stream that ended before its first event.
type ResponseError struct {
	// Method and URL identify the request.
	Method string
	// URL is the request URL.
	URL string
	// StatusCode is the response's status.
	StatusCode int
	// ContentType is the response's Content-Type.
	ContentType string
	// Reason says what is wrong with the answer.
	Reason string
	// Body is the start of the response body (at most 512 bytes).
	Body []byte
	// Err is the decoding error, if any.
	Err error
}

// Error names the request and what is wrong with its answer.
func (e *ResponseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "langgraph: %s %s: unexpected answer (status %d", e.Method, e.URL, e.StatusCode)
	if e.ContentType != "" {
		fmt.Fprintf(&b, ", %s", e.ContentType)
	}
	b.WriteString("): ")
	b.WriteString(e.Reason)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the decoding error.
func (e *ResponseError) Unwrap() error { return e.Err }

// RedirectError reports a redirect that the client did not follow. A
// redirect to another origin than the base URL's is never followed, so the
// request's credentials and body stay with the deployment; redirects within
// the origin are followed unless the http.Client's CheckRedirect refuses
// them (http.ErrUseLastResponse).
type RedirectError struct {
	// Method and URL identify the request.
	Method string
	// URL is the request URL.
	URL string
	// StatusCode is the redirect's status (301, 302, 303, 307 or 308).
	StatusCode int
	// Location is the redirect's target, without user info or query.
	Location string
}

// Error names the request, the status and the target.
func (e *RedirectError) Error() string {
	return fmt.Sprintf("langgraph: %s %s: redirect (%d) not followed: %s", e.Method, e.URL, e.StatusCode, e.Location)
}

// ErrResponseTooLarge matches (with errors.Is) the error of a response body
// larger than the client's limit (see the client's response size option).
var ErrResponseTooLarge = errors.New("langgraph: response too large")

// ErrNoCredentials matches (with errors.Is) the error of a call that carries
// no credentials of its own on a client that requires per-call credentials;
// nothing was sent.
var ErrNoCredentials = errors.New("langgraph: no credentials for this call")

// RunError is a run that failed on the server: a node raised an error. It
// comes from the __error__ body of a wait or join, or from an error event in a
// stream (StreamPart.Err).
type RunError struct {
	// Name is the remote error's type, e.g. "ValueError" or "GraphRecursionError".
	Name string `json:"error"`
	// Message is the remote error's message.
	Message string `json:"message"`
	// RunID and ThreadID identify the run when known.
	RunID string `json:"-"`
	// ThreadID is the run's thread; empty for stateless runs or when unknown.
	ThreadID string `json:"-"`
}

// Error reports the remote error's name and message, and the run when known.
func (e *RunError) Error() string {
	var b strings.Builder
	b.WriteString("langgraph: run failed")
	if e.RunID != "" {
		fmt.Fprintf(&b, " (run %s)", e.RunID)
	}
	b.WriteString(": ")
	if e.Name != "" {
		b.WriteString(e.Name)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// UnmarshalJSON decodes the forms in which servers report a failed run:
// {"error": name, "message": text}, a bare JSON string (the message), and
// the JS server's form that nests the node's error, as JSON, inside the
// message.
func (e *RunError) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		e.Name, e.Message = "", s
		return nil
	}
	var v struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	e.Name, e.Message = v.Error, v.Message
	if len(v.Message) > 0 && v.Message[0] == '{' {
		var inner struct {
			Error   string `json:"error"`
			Message string `json:"message"`
		}
		if json.Unmarshal([]byte(v.Message), &inner) == nil && inner.Error != "" {
			e.Name, e.Message = inner.Error, inner.Message
		}
	}
	return nil
}

// ErrEventTooLarge matches (with errors.Is) the error that ends a stream when
// one event is larger than the client's limit (langgraph.WithMaxEventSize).
var ErrEventTooLarge = errors.New("langgraph: stream event too large")

// ErrStreamUsed is yielded when a stream is ranged over a second time: a
// stream sends its request once, so that a run is never started twice.
var ErrStreamUsed = errors.New("langgraph: a stream can be ranged over only once")

// ErrStreamClosed matches (with errors.Is) the cause of a reconnect after the
// server closed a stream cleanly without an "end" event. The JS server ends
// every stream that way, so a resumable stream cannot tell its normal end from
// a connection closed early by a proxy: it joins the run once more to check
// that no event was missed, and reconnects with backoff while the run is
// still going.
var ErrStreamClosed = errors.New("langgraph: the server closed the stream")

// ErrStreamIdle matches (with errors.Is) the cause of a connection that the
// stream closed because nothing arrived on it for
// ReconnectPolicy.IdleTimeout.
var ErrStreamIdle = errors.New("langgraph: stream connection idle")

// StreamError reports a stream that stopped before its run ended and could
// not be resumed: the connection broke (or closed before the run finished)
// and either the stream cannot be continued from its last event (the run was
// not created with StreamResumable and the server named no reconnect
// Location) or every reconnect attempt failed. Events may have been lost; the
// run itself may still be going on the server: Runs.Join returns its result.
type StreamError struct {
	// RunID and ThreadID identify the run when known.
	RunID string
	// ThreadID is the run's thread.
	ThreadID string
	// LastEventID is the id of the last event received.
	LastEventID string
	// Attempts is the number of reconnect attempts made in a row.
	Attempts int
	// Reason says why the stream was not (or no longer) resumed.
	Reason string
	// Err is what broke the stream (or failed the last reconnect).
	Err error
}

// Error describes the stream, the reason and the cause.
func (e *StreamError) Error() string {
	var b strings.Builder
	b.WriteString("langgraph: stream")
	if e.RunID != "" {
		fmt.Fprintf(&b, " of run %s", e.RunID)
	}
	b.WriteString(" stopped")
	if e.LastEventID != "" {
		fmt.Fprintf(&b, " after event %s", e.LastEventID)
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *StreamError) Unwrap() error { return e.Err }
