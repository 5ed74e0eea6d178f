package stream

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/langgraph-go/langgraph"
)

// watchdog wraps a response body and closes it once the engine has been
// waiting in Read for the idle timeout without receiving a byte
// (langgraph.ReconnectPolicy.IdleTimeout).
//
// Only time spent blocked in Read counts: between Reads the consumer holds
// the iterator (or the engine parses), which is not network idleness. Read
// costs two atomic operations and a monotonic clock reading; it never
// touches the timer. The timer runs on its own: each time it fires it
// re-arms itself for the rest of the window, or closes the body if the
// pending Read has waited the whole window. stop ends it on every exit
// path, so nothing outlives the response.
type watchdog struct {
	body    io.ReadCloser
	timeout time.Duration
	start   time.Time    // origin of the clock readings (monotonic)
	waiting atomic.Int64 // when the pending wait for bytes began: now() at the start of the Read; 0 when not waiting
	fired   atomic.Bool  // the body was closed for idleness

	mu      sync.Mutex // guards timer and stopped
	timer   *time.Timer
	stopped bool
}

func watch(body io.ReadCloser, timeout time.Duration) *watchdog {
	w := &watchdog{body: body, timeout: timeout, start: time.Now()}
	w.mu.Lock()
	w.timer = time.AfterFunc(timeout, w.check)
	w.mu.Unlock()
	return w
}

// now returns the time since start in nanoseconds, plus one so that it is
// never 0.
func (w *watchdog) now() int64 { return int64(time.Since(w.start)) + 1 }

// Read reads from the body and records when a wait for bytes begins and
// ends. A wait goes on across Reads that return no byte.
func (w *watchdog) Read(p []byte) (int, error) {
	if w.waiting.Load() == 0 {
		w.waiting.Store(w.now())
	}
	n, err := w.body.Read(p)
	if n > 0 {
		w.waiting.Store(0)
	}
	return n, err
}

// check runs when the timer fires.
func (w *watchdog) check() {
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return
	}
	next := w.timeout
	if since := w.waiting.Load(); since != 0 {
		idle := time.Duration(w.now() - since)
		if idle >= w.timeout {
			w.stopped = true
			w.fired.Store(true)
			w.mu.Unlock()
			// Unblocks the pending Read with an error; the engine then sees
			// fired. Outside the lock: stop need not wait for the transport.
			_ = w.body.Close()
			return
		}
		next = w.timeout - idle
	}
	// Not waiting (the consumer holds the iterator): look again a window
	// later. Waiting, but not for a whole window: look again when it ends.
	w.timer.Reset(next)
	w.mu.Unlock()
}

// stop disarms the watchdog. It reports whether the body was closed for
// idleness.
func (w *watchdog) stop() bool {
	w.mu.Lock()
	w.stopped = true
	w.timer.Stop()
	w.mu.Unlock()
	return w.fired.Load()
}

// idleError is the cause of a connection closed by the watchdog. It matches
// langgraph.ErrStreamIdle.
type idleError struct{ timeout time.Duration }

func (e *idleError) Error() string {
	return fmt.Sprintf("%v: nothing received for %v (ReconnectPolicy.IdleTimeout)", langgraph.ErrStreamIdle, e.timeout)
}

func (e *idleError) Unwrap() error { return langgraph.ErrStreamIdle }

// idleWhy prefixes the reason a stream was not resumed with the idleness
// that broke its connection, if that is what did.
func idleWhy(cause error, why string) string {
	if e, ok := cause.(*idleError); ok {
		return fmt.Sprintf("the connection was idle for %v; %s", e.timeout, why)
	}
	return why
}
