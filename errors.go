package langgraph

import (
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

// ConnectionError reports that the server could not be reached or that the
// connection failed before a response arrived, after any retries.
type ConnectionError struct {
	// Method and URL identify the request.
	Method string
	// URL is the request URL.
	URL string
	// Err is the underlying transport error.
	Err error
}

// Error names the URL and the cause.
func (e *ConnectionError) Error() string {
	return fmt.Sprintf("langgraph: cannot reach %s %s (is the server running?): %v", e.Method, e.URL, e.Err)
}

// Unwrap returns the transport error.
func (e *ConnectionError) Unwrap() error { return e.Err }

// RunError is a run that failed on the server: a node raised an error. It
// comes from the __error__ body of a wait or join, or from an error event in a
// stream.
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
