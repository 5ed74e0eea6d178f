package runs_test

// Tests of ReconnectPolicy.IdleTimeout against httptest fakes: the real
// server cannot be made to hang a connection half-open.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/runs"
)

const idleTimeout = 100 * time.Millisecond

// idleRun is a fake whose POST sends the run's first events and then
// behaves as hang says: it keeps the connection open, silent (a half-open
// connection as seen from the client), until the client closes it. The
// rejoin replays the events after Last-Event-ID and ends the stream. closed
// receives a value each time the client closes a hanging connection.
func idleRun(t *testing.T, first string, hang func(w http.ResponseWriter, r *http.Request)) (f *fake.Server, closed chan struct{}) {
	t.Helper()
	closed = make(chan struct{}, 10)
	events := []string{
		"event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\n",
		"event: values\ndata: 1\nid: 1\n\n",
		"event: values\ndata: 2\nid: 2\n\n",
		"event: values\ndata: 3\nid: 3\n\n",
		"event: end\ndata: null\n\n",
	}
	f = fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/threads/t1/runs/stream":
			w.Header().Set("Content-Location", "/threads/t1/runs/r1")
			sseHeader(w)
			writeFlush(w, first)
			hang(w, r)
			select {
			case <-r.Context().Done():
				closed <- struct{}{}
			case <-time.After(time.Minute): // a failsafe: the client must close first
			}
		case r.Method == http.MethodGet && r.URL.Path == "/threads/t1/runs/r1/stream":
			var last int
			fmt.Sscan(r.Header.Get("Last-Event-ID"), &last)
			sseHeader(w)
			for _, e := range events[min(last+1, len(events)):] {
				writeFlush(w, e)
			}
		default:
			http.NotFound(w, r)
		}
	})
	return f, closed
}

func silent(http.ResponseWriter, *http.Request) {}

var idleWant = []got{{"metadata", `{"run_id":"r1"}`, "0"}, {"values", "1", "1"}, {"values", "2", "2"}, {"values", "3", "3"}, {"end", "null", "3"}}

// TestStreamIdleRejoins: the server sends events 0 and 1 and then nothing,
// never closing: the stream closes the connection after IdleTimeout and
// joins the resumable run again after event 1, getting the rest once.
func TestStreamIdleRejoins(t *testing.T) {
	noLeaks(t)
	f, closed := idleRun(t, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\nevent: values\ndata: 1\nid: 1\n\n", silent)
	var causes []error
	p := runs.StreamParams{Reconnect: langgraph.ReconnectPolicy{MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond,
		IdleTimeout: idleTimeout, OnReconnect: func(r langgraph.Reconnect) { causes = append(causes, r.Cause) }}}
	p.StreamResumable = true
	out, err := collect(f.Client(fakeAuth).Runs.Stream(context.Background(), "t1", "agent", p))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out, idleWant) {
		t.Errorf("parts = %v, want %v", out, idleWant)
	}
	<-closed // the client closed the silent connection
	reqs := f.Requests()
	if len(reqs) != 2 || reqs[1].Method != "GET" || reqs[1].Path != "/threads/t1/runs/r1/stream" || reqs[1].Header.Get("Last-Event-ID") != "1" {
		t.Errorf("requests = %+v, want the POST and one rejoin after event 1", reqs)
	}
	if len(causes) != 1 || !errors.Is(causes[0], langgraph.ErrStreamIdle) || !strings.Contains(causes[0].Error(), "100ms") {
		t.Errorf("OnReconnect causes = %v, want one idle connection", causes)
	}
}

// TestStreamIdleHeartbeats: heartbeat comments every 20ms for half a second
// (five windows) keep a slow stream alive: no reconnect.
func TestStreamIdleHeartbeats(t *testing.T) {
	noLeaks(t)
	for _, comment := range []string{":\n\n", ": heartbeat\n\n"} {
		t.Run(strings.TrimSpace(comment), func(t *testing.T) {
			f, _ := idleRun(t, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\n", func(w http.ResponseWriter, r *http.Request) {
				for range 25 {
					select {
					case <-r.Context().Done():
						return
					case <-time.After(20 * time.Millisecond):
					}
					writeFlush(w, comment)
				}
				writeFlush(w, "event: values\ndata: 1\nid: 1\n\nevent: values\ndata: 2\nid: 2\n\nevent: values\ndata: 3\nid: 3\n\nevent: end\ndata: null\n\n")
			})
			reconnects := 0
			// Beats 20ms apart against a 500ms window: a wide margin, so
			// that a loaded machine's scheduling delays are not idleness.
			p := runs.StreamParams{Reconnect: langgraph.ReconnectPolicy{MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond,
				IdleTimeout: 5 * idleTimeout, OnReconnect: func(langgraph.Reconnect) { reconnects++ }}}
			p.StreamResumable = true
			out, err := collect(f.Client(fakeAuth).Runs.Stream(context.Background(), "t1", "agent", p))
			if err != nil || !slices.Equal(out, idleWant) {
				t.Fatalf("got %v, %v; want %v", out, err, idleWant)
			}
			if n := len(f.Requests()); n != 1 || reconnects != 0 {
				t.Errorf("%d requests, %d reconnects; want the POST only", n, reconnects)
			}
		})
	}
}

// TestStreamIdleSlowConsumer: a consumer that spends five windows on each
// event is not network idleness, although no byte is read meanwhile: the
// events, sent 20ms apart, arrive while the consumer sleeps.
func TestStreamIdleSlowConsumer(t *testing.T) {
	noLeaks(t)
	f, _ := idleRun(t, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\n", func(w http.ResponseWriter, r *http.Request) {
		for _, e := range []string{"event: values\ndata: 1\nid: 1\n\n", "event: values\ndata: 2\nid: 2\n\n",
			"event: values\ndata: 3\nid: 3\n\n", "event: end\ndata: null\n\n"} {
			time.Sleep(20 * time.Millisecond)
			writeFlush(w, e)
		}
	})
	reconnects := 0
	p := runs.StreamParams{Reconnect: langgraph.ReconnectPolicy{MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond,
		IdleTimeout: idleTimeout, OnReconnect: func(langgraph.Reconnect) { reconnects++ }}}
	p.StreamResumable = true
	var out []got
	for part, err := range f.Client(fakeAuth).Runs.Stream(context.Background(), "t1", "agent", p) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, got{part.Event, string(part.Data), part.ID})
		time.Sleep(5 * idleTimeout)
	}
	if !slices.Equal(out, idleWant) {
		t.Errorf("parts = %v, want %v", out, idleWant)
	}
	if n := len(f.Requests()); n != 1 || reconnects != 0 {
		t.Errorf("%d requests, %d reconnects; want the POST only", n, reconnects)
	}
}

// TestStreamIdleNotResumable: a run that cannot be resumed ends with a
// StreamError that says the connection was idle, not with a context error,
// also when a per-call timeout puts a context on the request.
func TestStreamIdleNotResumable(t *testing.T) {
	noLeaks(t)
	for _, opts := range [][]langgraph.Option{nil, {langgraph.WithTimeout(time.Minute)}} {
		t.Run(fmt.Sprint("options=", len(opts)), func(t *testing.T) {
			f, closed := idleRun(t, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\nevent: values\ndata: 1\nid: 1\n\n", silent)
			p := runs.StreamParams{Reconnect: langgraph.ReconnectPolicy{IdleTimeout: idleTimeout}}
			out, err := collect(f.Client(fakeAuth).Runs.Stream(context.Background(), "t1", "agent", p, opts...))
			var se *langgraph.StreamError
			if !errors.As(err, &se) || !errors.Is(err, langgraph.ErrStreamIdle) || !strings.Contains(se.Reason, "idle for 100ms") ||
				!strings.Contains(se.Reason, "StreamResumable") || se.RunID != "r1" || se.LastEventID != "1" {
				t.Fatalf("err = %v, want a StreamError saying the connection was idle", err)
			}
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v: reported as a context error", err)
			}
			if !slices.Equal(out, idleWant[:2]) || len(f.Requests()) != 1 {
				t.Errorf("parts %v, requests %+v", out, f.Requests())
			}
			<-closed
		})
	}
}

// TestStreamIdleStops: break and a cancelled context while the connection
// is silent close it and leave no goroutine behind (noLeaks); the watchdog
// does not turn a cancellation into a reconnect.
func TestStreamIdleStops(t *testing.T) {
	noLeaks(t)
	f, closed := idleRun(t, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\nevent: values\ndata: 1\nid: 1\n\n", silent)
	c := f.Client(fakeAuth)
	p := runs.StreamParams{Reconnect: langgraph.ReconnectPolicy{IdleTimeout: idleTimeout}}
	p.StreamResumable = true

	t.Run("break", func(t *testing.T) {
		before := len(f.Requests())
		for part, err := range c.Runs.Stream(context.Background(), "t1", "agent", p) {
			if err != nil {
				t.Fatal(err)
			}
			if part.ID == "1" {
				time.Sleep(2 * idleTimeout) // the connection is silent meanwhile
				break
			}
		}
		<-closed
		if n := len(f.Requests()) - before; n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
	t.Run("cancel while waiting", func(t *testing.T) {
		before := len(f.Requests())
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		q := p
		q.Reconnect.IdleTimeout = 10 * idleTimeout // armed when the context ends
		var last error
		for part, err := range c.Runs.Stream(ctx, "t1", "agent", q) {
			if err != nil {
				last = err
				break
			}
			if part.ID == "1" {
				time.AfterFunc(20*time.Millisecond, cancel) // while the engine waits in Read
			}
		}
		if !errors.Is(last, context.Canceled) || errors.Is(last, langgraph.ErrStreamIdle) {
			t.Errorf("err = %v, want context.Canceled", last)
		}
		<-closed
		if n := len(f.Requests()) - before; n != 1 {
			t.Errorf("%d requests, want 1", n)
		}
	})
}
