package stream

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// readAsync starts a Read of w in a goroutine and returns its result
// channel.
func readAsync(w *watchdog) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := w.Read(make([]byte, 16))
		done <- err
	}()
	return done
}

// await returns the result of a Read started by readAsync. The failsafe
// only keeps a broken watchdog from hanging the test; nothing is timed.
func await(t *testing.T, done <-chan error, pw *io.PipeWriter) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		pw.Close()
		<-done
		t.Fatal("the Read was never unblocked")
		return nil
	}
}

// TestWatchdogClosesIdleRead: a Read that waits the whole window is
// unblocked by closing the body.
func TestIdleWatchdogClosesIdleRead(t *testing.T) {
	defer goleak.VerifyNone(t)
	pr, pw := io.Pipe()
	w := watch(pr, 20*time.Millisecond)
	defer w.stop()
	err := await(t, readAsync(w), pw)
	if !errors.Is(err, io.ErrClosedPipe) || !w.fired.Load() {
		t.Errorf("err = %v, fired = %v; want the body closed by the watchdog", err, w.fired.Load())
	}
	if !w.stop() {
		t.Error("stop does not report the idle close")
	}
}

// TestWatchdogBytesKeepAlive: bytes arriving at a fifth of the window keep
// the connection open however long it lasts.
func TestIdleWatchdogBytesKeepAlive(t *testing.T) {
	defer goleak.VerifyNone(t)
	pr, pw := io.Pipe()
	// Beats 20ms apart against a 500ms window: a wide margin, so that a
	// loaded machine's scheduling delays are not idleness.
	w := watch(pr, 500*time.Millisecond)
	defer w.stop()
	const beats = 25
	go func() {
		for range beats {
			time.Sleep(20 * time.Millisecond)
			if _, err := pw.Write([]byte(":")); err != nil {
				return
			}
		}
		pw.Close()
	}()
	n, err := io.Copy(io.Discard, w)
	if err != nil || n != beats || w.fired.Load() {
		t.Errorf("read %d bytes, err %v, fired %v; want %d bytes and EOF", n, err, w.fired.Load(), beats)
	}
}

// TestWatchdogIgnoresConsumerTime: time between Reads (the consumer's loop
// body) is not idleness; the next Read that waits is watched again.
func TestIdleWatchdogIgnoresConsumerTime(t *testing.T) {
	defer goleak.VerifyNone(t)
	pr, pw := io.Pipe()
	w := watch(pr, 20*time.Millisecond)
	defer w.stop()
	go pw.Write([]byte("a"))
	if _, err := w.Read(make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond) // ten windows without a Read
	if w.fired.Load() {
		t.Fatal("the watchdog fired while no Read was waiting")
	}
	go pw.Write([]byte("b"))
	if _, err := w.Read(make([]byte, 1)); err != nil {
		t.Fatalf("the Read after a slow consumer failed: %v", err)
	}
	if err := await(t, readAsync(w), pw); !errors.Is(err, io.ErrClosedPipe) || !w.fired.Load() {
		t.Errorf("err = %v; the next idle Read was not caught", err)
	}
}

// TestWatchdogStop: a stopped watchdog never closes the body.
func TestIdleWatchdogStop(t *testing.T) {
	defer goleak.VerifyNone(t)
	pr, pw := io.Pipe()
	w := watch(pr, 20*time.Millisecond)
	done := readAsync(w)
	if w.stop() {
		t.Fatal("fired at once")
	}
	time.Sleep(200 * time.Millisecond) // ten windows
	pw.Close()
	if err := await(t, done, pw); err != io.EOF || w.fired.Load() {
		t.Errorf("err = %v, fired = %v; want EOF from the writer's close", err, w.fired.Load())
	}
}

// TestWatchdogStoppedOnEveryExit runs the engine against a server that
// sends one event and then hangs, and checks that every watchdog it started
// is stopped when the stream returns, however it ends.
func TestIdleWatchdogStoppedOnEveryExit(t *testing.T) {
	defer goleak.VerifyNone(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "event: values\ndata: 1\nid: 1\n\n")
		if r.URL.Query().Get("end") != "" {
			io.WriteString(w, "event: end\ndata: null\n\n")
			return
		}
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer srv.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()
	base, _ := url.Parse(srv.URL)
	b, err := transport.New(transport.Config{BaseURL: base, HTTPClient: &http.Client{Transport: tr}, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}

	run := func(ctx context.Context, idle time.Duration, query string, body func(langgraph.StreamPart, error) bool) []*watchdog {
		var (
			mu  sync.Mutex
			wds []*watchdog
		)
		st := &state{Spec: Spec{
			Backend: b,
			Request: &transport.Request{Method: http.MethodGet, Path: "/stream", Query: url.Values{query: {"1"}}},
			Policy:  langgraph.ReconnectPolicy{IdleTimeout: idle},
		}}
		st.watched = func(w *watchdog) { mu.Lock(); wds = append(wds, w); mu.Unlock() }
		func() {
			defer func() { _ = recover() }()
			st.stream(ctx, body)
		}()
		mu.Lock()
		defer mu.Unlock()
		for _, w := range wds {
			w.mu.Lock()
			if !w.stopped {
				t.Errorf("%s: a watchdog was left running", query)
			}
			w.mu.Unlock()
		}
		if len(wds) != 1 {
			t.Errorf("%s: %d watchdogs, want 1", query, len(wds))
		}
		return wds
	}

	var last error
	record := func(_ langgraph.StreamPart, err error) bool {
		if err != nil {
			last = err
		}
		return true
	}
	run(context.Background(), time.Hour, "end", record)
	if last != nil {
		t.Errorf("end: %v", last)
	}

	run(context.Background(), time.Hour, "break", func(langgraph.StreamPart, error) bool { return false })

	run(context.Background(), time.Hour, "panic", func(langgraph.StreamPart, error) bool { panic("consumer") })

	ctx, cancel := context.WithCancel(context.Background())
	last = nil
	wds := run(ctx, time.Hour, "cancel", func(p langgraph.StreamPart, err error) bool {
		if err != nil {
			last = err
		} else {
			time.AfterFunc(20*time.Millisecond, cancel) // while the engine waits in Read
		}
		return true
	})
	cancel()
	if !errors.Is(last, context.Canceled) || (len(wds) == 1 && wds[0].fired.Load()) {
		t.Errorf("cancel: %v", last)
	}

	last = nil
	wds = run(context.Background(), 50*time.Millisecond, "idle", record)
	var se *langgraph.StreamError
	if !errors.As(last, &se) || !errors.Is(last, langgraph.ErrStreamIdle) || !strings.Contains(se.Reason, "idle for 50ms") ||
		errors.Is(last, context.Canceled) || (len(wds) == 1 && !wds[0].fired.Load()) {
		t.Errorf("idle: %v", last)
	}
}
