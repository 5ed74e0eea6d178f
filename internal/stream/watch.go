package stream

import (
	"io"
	"time"
)

// Watch wraps body so that it is closed once a Read has waited timeout
// without receiving a byte (see langgraph.ReconnectPolicy.IdleTimeout).
// stop disarms it, on every exit path, and reports whether it fired; the
// cause to report then is IdleError(timeout).
func Watch(body io.ReadCloser, timeout time.Duration) (r io.Reader, stop func() bool) {
	w := watch(body, timeout)
	return w, w.stop
}

// IdleError is the cause of a connection closed by Watch: it matches
// langgraph.ErrStreamIdle.
func IdleError(timeout time.Duration) error { return &idleError{timeout: timeout} }
