package runs_test

// Stream tests against httptest fakes: what the real JS server cannot do
// (a Location header, injected faults, huge events, byte-at-a-time writes).

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/runs"
)

const fakeToken = "fake-secret-token"

// noLeaks checks, when the test ends, that the goroutines running at its
// start are the only ones left (after the fakes and idle connections are
// closed). Call it first, so that its cleanup runs last.
func noLeaks(t *testing.T) {
	t.Helper()
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

// fakeAuth is the credentials of the fakes' clients.
var fakeAuth = langgraph.WithBearerToken(fakeToken)

func sseHeader(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
}

func writeFlush(w http.ResponseWriter, s string) {
	io.WriteString(w, s)
	w.(http.Flusher).Flush()
}

// abort cuts the response: the client sees an incomplete chunked body.
func abort() { panic(http.ErrAbortHandler) }

// got is a comparable form of a StreamPart.
type got struct{ Event, Data, ID string }

func collect(seq func(func(langgraph.StreamPart, error) bool)) ([]got, error) {
	var out []got
	for p, err := range seq {
		if err != nil {
			if p.Event != "" {
				out = append(out, got{p.Event, string(p.Data), p.ID})
			}
			return out, err
		}
		out = append(out, got{p.Event, string(p.Data), p.ID})
	}
	return out, nil
}

var fastReconnect = langgraph.ReconnectPolicy{MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}

// TestStreamLocationReconnect follows the Python SDK's reconnect test: the
// POST answers with a Location and breaks after event 1; the client sends
// exactly one GET to the Location, with Last-Event-ID: 1 and no body.
func TestStreamLocationReconnect(t *testing.T) {
	noLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/threads/t1/runs/stream":
			w.Header().Set("Location", "/reconnect")
			sseHeader(w)
			writeFlush(w, "event: values\ndata: {\"step\": 1}\nid: 1\n\n")
			abort()
		case r.Method == http.MethodGet && r.URL.Path == "/reconnect":
			sseHeader(w)
			writeFlush(w, "event: values\ndata: {\"step\": 2}\nid: 2\n\nevent: end\ndata: null\n\n")
		default:
			http.NotFound(w, r)
		}
	})
	c := f.Client(fakeAuth)
	out, err := collect(c.Runs.Stream(context.Background(), "t1", "agent", runs.StreamParams{Reconnect: fastReconnect}))
	if err != nil {
		t.Fatal(err)
	}
	want := []got{{"values", `{"step": 1}`, "1"}, {"values", `{"step": 2}`, "2"}, {"end", "null", "2"}}
	if !slices.Equal(out, want) {
		t.Errorf("parts = %v, want %v", out, want)
	}
	reqs := f.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2: %+v", len(reqs), reqs)
	}
	if r := reqs[0]; r.Method != "POST" || r.Header.Get("Last-Event-ID") != "" || r.Header.Get("Authorization") != "Bearer "+fakeToken || !strings.Contains(string(r.Body), `"assistant_id":"agent"`) {
		t.Errorf("first request = %+v", r)
	}
	if r := reqs[1]; r.Method != "GET" || r.Path != "/reconnect" || r.Header.Get("Last-Event-ID") != "1" || r.Body != nil || r.Header.Get("Authorization") != "Bearer "+fakeToken {
		t.Errorf("reconnect request = %+v", r)
	}
}

// TestStreamLocationResolution checks which URL a Location header leads to,
// with a base URL that has a path prefix.
func TestStreamLocationResolution(t *testing.T) {
	noLeaks(t)
	for _, tc := range []struct {
		name, location, want string
	}{
		{"path relative to the base URL", "/reconnect?x=1", "/api/reconnect"},
		{"path under the base URL", "/api/reconnect?x=1", "/api/reconnect"},
		{"same-origin URL", "{origin}/api/reconnect?x=1", "/api/reconnect"},
		{"relative reference", "reconnect?x=1", "/api/threads/t1/runs/reconnect"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var f *fake.Server
			f = fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
				if n == 0 {
					w.Header().Set("Location", strings.ReplaceAll(tc.location, "{origin}", f.URL()))
					sseHeader(w)
					writeFlush(w, "event: values\ndata: 1\nid: 7\n\n")
					abort()
				}
				sseHeader(w)
				writeFlush(w, "event: values\ndata: 2\nid: 8\n\nevent: end\ndata: null\n\n")
			})
			c := f.Client(fakeAuth, langgraph.WithBaseURL(f.URL()+"/api"))
			out, err := collect(c.Runs.Stream(context.Background(), "t1", "agent", runs.StreamParams{Reconnect: fastReconnect}))
			if err != nil || len(out) != 3 {
				t.Fatalf("got %v, %v", out, err)
			}
			reqs := f.Requests()
			if len(reqs) != 2 || reqs[1].Path != tc.want || reqs[1].Query.Encode() != "x=1" || reqs[1].Header.Get("Last-Event-ID") != "7" || reqs[1].Header.Get("Authorization") != "Bearer "+fakeToken {
				t.Errorf("requests = %+v, want a GET of %s?x=1", reqs, tc.want)
			}
		})
	}
}

// TestStreamForeignLocation: a Location on another origin is never
// contacted; the stream falls back to joining the run on the client's own
// origin when the run is resumable, and fails clearly when it is not.
func TestStreamForeignLocation(t *testing.T) {
	noLeaks(t)
	foreign := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		sseHeader(w)
		writeFlush(w, "event: values\ndata: 2\nid: 2\n\n")
	})
	for _, resumable := range []bool{false, true} {
		t.Run(fmt.Sprint("resumable=", resumable), func(t *testing.T) {
			f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
				switch {
				case r.Method == http.MethodPost:
					w.Header().Set("Location", foreign.URL()+"/reconnect")
					w.Header().Set("Content-Location", "/threads/t1/runs/r1")
					sseHeader(w)
					writeFlush(w, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\nevent: values\ndata: 1\nid: 1\n\n")
					abort()
				case r.URL.Path == "/threads/t1/runs/r1/stream":
					sseHeader(w)
					if r.Header.Get("Last-Event-ID") == "1" {
						writeFlush(w, "event: values\ndata: 2\nid: 2\n\n")
					}
				case r.URL.Path == "/threads/t1/runs/r1":
					io.WriteString(w, `{"run_id":"r1","thread_id":"t1","status":"success"}`)
				default:
					http.NotFound(w, r)
				}
			})
			c := f.Client(fakeAuth)
			p := runs.StreamParams{Reconnect: fastReconnect}
			p.StreamResumable = resumable
			out, err := collect(c.Runs.Stream(context.Background(), "t1", "agent", p))
			if len(foreign.Requests()) != 0 {
				t.Fatalf("the foreign origin got %+v", foreign.Requests())
			}
			if !resumable {
				var se *langgraph.StreamError
				if !errors.As(err, &se) || !strings.Contains(err.Error(), "another origin") || se.RunID != "r1" || se.LastEventID != "1" {
					t.Fatalf("err = %v, want a StreamError naming the foreign Location", err)
				}
				if strings.Contains(err.Error(), fakeToken) {
					t.Error("the error shows the token")
				}
				if len(out) != 2 || len(f.Requests()) != 1 {
					t.Errorf("out %v, requests %+v", out, f.Requests())
				}
				return
			}
			want := []got{{"metadata", `{"run_id":"r1"}`, "0"}, {"values", "1", "1"}, {"values", "2", "2"}}
			if err != nil || !slices.Equal(out, want) {
				t.Fatalf("got %v, %v; want %v", out, err, want)
			}
			reqs := f.Requests()
			if reqs[1].Path != "/threads/t1/runs/r1/stream" || reqs[1].Header.Get("Last-Event-ID") != "1" || reqs[1].Header.Get("Authorization") != "Bearer "+fakeToken {
				t.Errorf("rejoin = %+v", reqs[1])
			}
		})
	}
}

// TestStreamReconnectBudget: attempts without progress are capped, and the
// count starts again after each event received.
func TestStreamReconnectBudget(t *testing.T) {
	noLeaks(t)
	const events = 8
	var progressing atomic.Bool
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost:
			w.Header().Set("Content-Location", "/threads/t1/runs/r1")
			sseHeader(w)
			writeFlush(w, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\n")
			abort()
		case r.URL.Path == "/threads/t1/runs/r1/stream":
			if !progressing.Load() {
				abort() // before any header: a connection error
			}
			var last int
			fmt.Sscan(r.Header.Get("Last-Event-ID"), &last)
			sseHeader(w)
			if last < events {
				writeFlush(w, fmt.Sprintf("event: custom\ndata: %d\nid: %d\n\n", last+1, last+1))
				abort()
			}
		case r.URL.Path == "/threads/t1/runs/r1":
			io.WriteString(w, `{"run_id":"r1","thread_id":"t1","status":"success"}`)
		}
	})
	c := f.Client(fakeAuth, langgraph.WithMaxRetries(0))

	var calls []langgraph.Reconnect
	p := runs.StreamParams{Reconnect: langgraph.ReconnectPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond,
		OnReconnect: func(r langgraph.Reconnect) { calls = append(calls, r) }}}
	p.StreamResumable = true
	p.StreamMode = []runs.StreamMode{runs.StreamCustom}
	out, err := collect(c.Runs.Stream(context.Background(), "t1", "agent", p))
	var se *langgraph.StreamError
	if !errors.As(err, &se) || se.Attempts != 3 || se.LastEventID != "0" || se.RunID != "r1" || se.ThreadID != "t1" || len(out) != 1 {
		t.Fatalf("got %v, %v; want a StreamError after 3 attempts", out, err)
	}
	var ce *langgraph.ConnectionError
	if !errors.As(err, &ce) {
		t.Errorf("the StreamError does not wrap the last attempt's error: %v", err)
	}
	if len(calls) != 3 || calls[0].Attempt != 1 || calls[2].Attempt != 3 || calls[0].LastEventID != "0" || calls[0].Run.RunID != "r1" || calls[0].Cause == nil {
		t.Errorf("OnReconnect calls = %+v", calls)
	}
	for _, c := range calls {
		if c.Wait < 0 || c.Wait > 2*time.Millisecond {
			t.Errorf("wait %v outside the policy", c.Wait)
		}
	}

	// One event per connection: eight reconnects with a budget of one.
	progressing.Store(true)
	p.Reconnect = langgraph.ReconnectPolicy{MaxAttempts: 1, MinWait: time.Millisecond, MaxWait: time.Millisecond}
	out, err = collect(c.Runs.Stream(context.Background(), "t1", "agent", p))
	if err != nil {
		t.Fatal(err)
	}
	var want []got
	want = append(want, got{"metadata", `{"run_id":"r1"}`, "0"})
	for i := 1; i <= events; i++ {
		want = append(want, got{"custom", fmt.Sprint(i), fmt.Sprint(i)})
	}
	if !slices.Equal(out, want) {
		t.Errorf("got %v, want %v", out, want)
	}

	// Reconnecting disabled.
	before := len(f.Requests())
	p.Reconnect = langgraph.ReconnectPolicy{MaxAttempts: -1}
	out, err = collect(c.Runs.Stream(context.Background(), "t1", "agent", p))
	if !errors.As(err, &se) || se.Reason != "reconnecting is disabled" || se.Attempts != 0 || len(out) != 1 || len(f.Requests()) != before+1 {
		t.Errorf("disabled: got %v, %v", out, err)
	}
}

// TestStreamDeduplicates: events a rejoin sends again are skipped, so the
// consumer sees each once, in order.
func TestStreamDeduplicates(t *testing.T) {
	noLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost:
			w.Header().Set("Content-Location", "/threads/t1/runs/r1")
			sseHeader(w)
			writeFlush(w, "event: values\ndata: 1\nid: 1\n\nevent: values\ndata: 2\nid: 2\n\nevent: values\ndata: 3\nid: 3\n\n")
			abort()
		case strings.HasSuffix(r.URL.Path, "/stream"):
			// A server that replays from an earlier id than asked.
			sseHeader(w)
			writeFlush(w, "event: values\ndata: 2\nid: 2\n\nevent: values\ndata: 3\nid: 3\n\nevent: values\ndata: 4\nid: 4\n\n")
			if r.Header.Get("Last-Event-ID") == "3" {
				writeFlush(w, "event: values\ndata: 5\nid: 5\n\n")
			}
		default:
			io.WriteString(w, `{"run_id":"r1","thread_id":"t1","status":"success"}`)
		}
	})
	p := runs.StreamParams{Reconnect: fastReconnect}
	p.StreamResumable = true
	out, err := collect(f.Client(fakeAuth).Runs.Stream(context.Background(), "t1", "agent", p))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, g := range out {
		ids = append(ids, g.ID)
	}
	if want := []string{"1", "2", "3", "4", "5"}; !slices.Equal(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}
}

// TestStreamEventSize: a 10 MiB event passes with the default limit; with a
// smaller limit the first oversized event ends the stream with an error
// that names the option, and nothing is retried.
func TestStreamEventSize(t *testing.T) {
	noLeaks(t)
	big := `{"blob":"` + strings.Repeat("0123456789abcdef", 10<<20/16) + `"}`
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "/reconnect")
		w.Header().Set("Content-Location", "/threads/t1/runs/r1")
		sseHeader(w)
		writeFlush(w, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\n")
		writeFlush(w, "event: values\ndata: "+big+"\nid: 1\n\n")
		writeFlush(w, "event: values\ndata: {}\nid: 2\n\nevent: end\ndata: null\n\n")
	})
	out, err := collect(f.Client(fakeAuth).Runs.Stream(context.Background(), "t1", "agent", runs.StreamParams{}))
	if err != nil || len(out) != 4 || out[1].Data != big || out[2].Data != "{}" {
		t.Fatalf("default limit: %d parts, %v", len(out), err)
	}

	c := f.Client(fakeAuth, langgraph.WithMaxEventSize(1<<20))
	out, err = collect(c.Runs.Stream(context.Background(), "t1", "agent", runs.StreamParams{Reconnect: fastReconnect}))
	if !errors.Is(err, langgraph.ErrEventTooLarge) || !errors.Is(err, bufio.ErrTooLong) || !strings.Contains(err.Error(), "WithMaxEventSize") {
		t.Fatalf("1 MiB limit: err = %v", err)
	}
	if len(out) != 1 || out[0].Event != "metadata" {
		t.Errorf("1 MiB limit: parts before the error = %v", out)
	}
	if n := len(f.Requests()); n != 2 {
		t.Errorf("%d requests, want 2 (no reconnect after an oversized event)", n)
	}
	if _, err := client.New(langgraph.WithMaxEventSize(0)); err == nil {
		t.Error("WithMaxEventSize(0) accepted")
	}
}

// TestStreamByteAtATime: a recorded stream written one byte per flush gives
// the same parts as written at once.
func TestStreamByteAtATime(t *testing.T) {
	noLeaks(t)
	rec, err := os.ReadFile("testdata/agent.sse")
	if err != nil {
		t.Fatal(err)
	}
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		sseHeader(w)
		if r.URL.Query().Get("whole") != "" {
			w.Write(rec)
			return
		}
		for i := range rec {
			w.Write(rec[i : i+1])
			w.(http.Flusher).Flush()
		}
	})
	c := f.Client(fakeAuth)
	all := runs.StreamParams{AllEvents: true}
	whole, err := collect(c.Runs.Stream(context.Background(), "t1", "agent", all, langgraph.WithQueryParam("whole", "1")))
	if err != nil {
		t.Fatal(err)
	}
	bytewise, err := collect(c.Runs.Stream(context.Background(), "t1", "agent", all))
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) != 78 || !slices.Equal(whole, bytewise) {
		t.Errorf("byte at a time: %d parts, whole: %d parts", len(bytewise), len(whole))
	}
	for i, g := range whole {
		if g.ID != fmt.Sprint(i) || !json.Valid([]byte(g.Data)) {
			t.Fatalf("part %d = %+v", i, g)
		}
	}
}

// TestStreamSingleUse: ranging twice yields ErrStreamUsed and sends nothing.
func TestStreamSingleUse(t *testing.T) {
	noLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		sseHeader(w)
		writeFlush(w, "event: metadata\ndata: {\"run_id\":\"r1\"}\n\n")
	})
	seq := f.Client(fakeAuth).Runs.StreamStateless(context.Background(), "agent", runs.StreamParams{})
	if _, err := collect(seq); err != nil {
		t.Fatal(err)
	}
	if _, err := collect(seq); !errors.Is(err, langgraph.ErrStreamUsed) {
		t.Errorf("second range: %v", err)
	}
	if n := len(f.Requests()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestStreamStopsCleanly: break, a cancelled context (while reading and
// while waiting to reconnect) and errors close the connection and leave no
// goroutine behind.
func TestStreamStopsCleanly(t *testing.T) {
	noLeaks(t)
	closed := make(chan struct{}, 10)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/threads/t1/runs/stream":
			w.Header().Set("Content-Location", "/threads/t1/runs/r1")
			sseHeader(w)
			for i := 0; ; i++ {
				if i == 3 && r.URL.Query().Get("cut") != "" {
					abort()
				}
				select {
				case <-r.Context().Done():
					closed <- struct{}{}
					return
				case <-time.After(time.Millisecond):
				}
				writeFlush(w, fmt.Sprintf("event: values\ndata: %d\nid: %d\n\n", i, i))
			}
		case r.URL.Path == "/bad":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"not":"a stream"}`)
		default:
			abort()
		}
	})
	c := f.Client(fakeAuth)
	p := runs.StreamParams{}
	p.StreamResumable = true

	t.Run("break", func(t *testing.T) {
		n := 0
		for _, err := range c.Runs.Stream(context.Background(), "t1", "agent", p) {
			if err != nil {
				t.Fatal(err)
			}
			if n++; n == 2 {
				break
			}
		}
		<-closed // the server saw the connection close
	})
	t.Run("cancel while reading", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		n := 0
		var last error
		for _, err := range c.Runs.Stream(ctx, "t1", "agent", p) {
			if err != nil {
				last = err
				break
			}
			if n++; n == 2 {
				cancel()
			}
		}
		if !errors.Is(last, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", last)
		}
		<-closed
	})
	t.Run("cancel while waiting to reconnect", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		q := p
		q.Reconnect = langgraph.ReconnectPolicy{MinWait: time.Hour, MaxWait: time.Hour,
			OnReconnect: func(langgraph.Reconnect) { cancel() }}
		_, err := collect(c.Runs.Stream(ctx, "t1", "agent", q, langgraph.WithQueryParam("cut", "1")))
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("connection error", func(t *testing.T) {
		_, err := collect(c.Runs.JoinStream(context.Background(), "t1", "r1", runs.JoinStreamParams{}, langgraph.WithTimeout(5*time.Second)))
		var ce *langgraph.ConnectionError
		if !errors.As(err, &ce) {
			t.Fatalf("err = %v, want a ConnectionError", err)
		}
	})
	t.Run("bad params", func(t *testing.T) {
		bad := runs.StreamParams{}
		bad.Input, bad.Command = map[string]any{}, &langgraph.Command{Resume: true}
		for _, seq := range []func(func(langgraph.StreamPart, error) bool){
			c.Runs.Stream(context.Background(), "", "agent", runs.StreamParams{}),
			c.Runs.Stream(context.Background(), "t1", "", runs.StreamParams{}),
			c.Runs.Stream(context.Background(), "t1", "agent", bad),
			c.Runs.JoinStream(context.Background(), "t1", "", runs.JoinStreamParams{}),
		} {
			if _, err := collect(seq); err == nil {
				t.Error("bad parameters accepted")
			}
		}
	})
}

// TestStreamNotAnEventStream: a 200 that is not text/event-stream is an
// error, and an HTTP error keeps its type.
func TestStreamNotAnEventStream(t *testing.T) {
	noLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/threads/busy") {
			http.Error(w, "Thread is busy", http.StatusUnprocessableEntity)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"oops":true}`)
	})
	c := f.Client(fakeAuth)
	_, err := collect(c.Runs.Stream(context.Background(), "t1", "agent", runs.StreamParams{}))
	var re *langgraph.ResponseError
	if !errors.As(err, &re) || re.Method != http.MethodPost || !strings.HasSuffix(re.URL, "/threads/t1/runs/stream") ||
		re.StatusCode != http.StatusOK || re.ContentType != "application/json" || string(re.Body) != `{"oops":true}` ||
		!strings.Contains(err.Error(), "event stream") {
		t.Errorf("err = %#v, want a *langgraph.ResponseError", err)
	}
	_, err = collect(c.Runs.Stream(context.Background(), "busy", "agent", runs.StreamParams{}))
	if !errors.Is(err, langgraph.ErrUnprocessableEntity) {
		t.Errorf("err = %v, want ErrUnprocessableEntity", err)
	}
}

// TestStreamJoinRequest checks the join request and its Last-Event-ID,
// cancel_on_disconnect and stream_mode.
func TestStreamJoinRequest(t *testing.T) {
	noLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		sseHeader(w)
		writeFlush(w, "event: values\ndata: {}\nid: 5\n\nevent: custom\ndata: 1\nid: 6\n\nevent: checkpoints\ndata: {}\nid: 7\n\n")
	})
	out, err := collect(f.Client(fakeAuth).Runs.JoinStream(context.Background(), "t 1", "r/1", runs.JoinStreamParams{
		LastEventID: "4", CancelOnDisconnect: true, StreamMode: []runs.StreamMode{runs.StreamValues, runs.StreamCustom}}))
	if err != nil {
		t.Fatal(err)
	}
	if want := []got{{"values", "{}", "5"}, {"custom", "1", "6"}}; !slices.Equal(out, want) {
		t.Errorf("parts = %v, want %v", out, want)
	}
	r := f.Requests()[0]
	if r.Method != "GET" || r.Path != "/threads/t%201/runs/r%2F1/stream" || r.Header.Get("Last-Event-ID") != "4" ||
		r.Query.Encode() != "cancel_on_disconnect=true&stream_mode=values&stream_mode=custom" {
		t.Errorf("request = %+v", r)
	}
	if !bytes.Contains([]byte(f.Requests()[0].Header.Get("Authorization")), []byte(fakeToken)) {
		t.Error("no credentials")
	}

	// No thread: the stateless route, as the JS SDK joins a run without a thread.
	if _, err := collect(f.Client(fakeAuth).Runs.JoinStream(context.Background(), "", "r/1", runs.JoinStreamParams{LastEventID: "-1"})); err != nil {
		t.Fatal(err)
	}
	if r := f.Requests()[1]; r.Method != "GET" || r.Path != "/runs/r%2F1/stream" || r.Header.Get("Last-Event-ID") != "-1" || r.Query.Encode() != "" {
		t.Errorf("stateless join request = %+v", r)
	}
}

// TestStreamCleanCloseMidEvent: the server (or a proxy) closes the
// connection cleanly in the middle of event 2. The half event is not
// yielded and does not move the cursor: the rejoin asks for the events
// after 1, and the consumer sees events 1 and 2 exactly once and whole.
func TestStreamCleanCloseMidEvent(t *testing.T) {
	noLeaks(t)
	events := []string{
		"event: values\ndata: {\"a\":1}\nid: 1\n\n",
		"event: values\nid: 2\ndata: {\"a\":2}\n\n",
		"event: end\ndata: null\n\n",
	}
	for _, cut := range []string{
		"id: 2\ndata: {\"a\"",
		"event: values\nid: 2\ndata: {\"a\"",
		"event: values\nid: 2\n",
		"event: values\ni",
		"event: values\ndata: {\"a\":2}\nid: 2",
		"event: values\nid: 2\ndata: {\"a\":2}\n",
		"event: values\r\nid: 2\r\ndata: {\"a\":2}\r\n",
		"event: values\rid: 2\rdata: {\"a\":2}\r",
	} {
		for _, bytewise := range []bool{false, true} {
			t.Run(fmt.Sprintf("%q/bytewise=%v", cut, bytewise), func(t *testing.T) {
				f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
					switch {
					case r.Method == http.MethodPost && r.URL.Path == "/threads/t1/runs/stream":
						w.Header().Set("Content-Location", "/threads/t1/runs/r1")
						sseHeader(w)
						all := events[0] + cut
						if !bytewise {
							writeFlush(w, all)
						}
						for i := 0; bytewise && i < len(all); i++ {
							writeFlush(w, all[i:i+1])
						}
						// Returning ends the chunked body cleanly: no read error.
					case r.Method == http.MethodGet && r.URL.Path == "/threads/t1/runs/r1/stream":
						// Replay the events after Last-Event-ID, as the server does.
						var last int
						fmt.Sscan(r.Header.Get("Last-Event-ID"), &last)
						sseHeader(w)
						for _, e := range events[min(last, len(events)):] {
							writeFlush(w, e)
						}
					case r.Method == http.MethodGet && r.URL.Path == "/threads/t1/runs/r1":
						io.WriteString(w, `{"run_id":"r1","thread_id":"t1","status":"running"}`)
					default:
						http.NotFound(w, r)
					}
				})
				p := runs.StreamParams{Reconnect: fastReconnect}
				p.StreamResumable = true
				out, err := collect(f.Client(fakeAuth).Runs.Stream(context.Background(), "t1", "agent", p))
				if err != nil {
					t.Fatal(err)
				}
				want := []got{{"values", `{"a":1}`, "1"}, {"values", `{"a":2}`, "2"}, {"end", "null", "2"}}
				if !slices.Equal(out, want) {
					t.Errorf("parts = %v, want %v", out, want)
				}
				reqs := f.Requests()
				var rejoins []string
				for _, r := range reqs[1:] {
					if r.Path == "/threads/t1/runs/r1/stream" {
						rejoins = append(rejoins, r.Header.Get("Last-Event-ID"))
					}
				}
				if !slices.Equal(rejoins, []string{"1"}) {
					t.Errorf("rejoins with Last-Event-ID %q, want one with 1; requests %+v", rejoins, reqs)
				}
			})
		}
	}
}

// TestStreamEmptyIsAnError: the stream of a new run starts with a metadata
// event, so one that ends cleanly without any event cannot be right: it is a
// *langgraph.StreamError (naming the run when the server did) wrapping a
// *langgraph.ResponseError, not a silent success. A join of a run that has
// ended may legitimately bring nothing: no error there.
func TestStreamEmptyIsAnError(t *testing.T) {
	noLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/threads/t1/runs/stream":
			w.Header().Set("Content-Location", "/threads/t1/runs/r1")
		case "/runs/stream":
			w.Header().Set("Content-Location", "/runs/r2")
		}
		sseHeader(w)
		writeFlush(w, ": a comment is not an event\n\n")
	})
	c := f.Client(fakeAuth)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		seq  func(func(langgraph.StreamPart, error) bool)
		path string
		run  langgraph.RunRef
	}{
		{"thread", c.Runs.Stream(ctx, "t1", "agent", runs.StreamParams{Reconnect: fastReconnect}), "/threads/t1/runs/stream", langgraph.RunRef{RunID: "r1", ThreadID: "t1"}},
		{"stateless", c.Runs.StreamStateless(ctx, "agent", runs.StreamParams{Reconnect: fastReconnect}), "/runs/stream", langgraph.RunRef{RunID: "r2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := len(f.Requests())
			out, err := collect(tc.seq)
			var se *langgraph.StreamError
			var re *langgraph.ResponseError
			if !errors.As(err, &se) || !errors.As(err, &re) {
				t.Fatalf("got %v, %v; want a StreamError wrapping a ResponseError", out, err)
			}
			if se.RunID != tc.run.RunID || se.ThreadID != tc.run.ThreadID || se.Reason != "no event arrived" || !strings.Contains(re.Reason, "before its first event") {
				t.Errorf("StreamError = %+v", se)
			}
			if re.Method != http.MethodPost || !strings.HasSuffix(re.URL, tc.path) || re.StatusCode != http.StatusOK || re.ContentType != "text/event-stream" {
				t.Errorf("ResponseError = %+v", re)
			}
			if len(out) != 0 || len(f.Requests()) != before+1 {
				t.Errorf("parts %v, requests %+v", out, f.Requests()[before:])
			}
		})
	}
	out, err := collect(c.Runs.JoinStream(ctx, "t1", "r1", runs.JoinStreamParams{}))
	if err != nil || len(out) != 0 {
		t.Errorf("join of an ended run: %v, %v; want nothing and no error", out, err)
	}
}

// TestJoinStatelessRefused: the server has no stateless join route, so Join
// refuses an empty thread id before sending anything.
func TestJoinStatelessRefused(t *testing.T) {
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	_, err := f.Client(fakeAuth).Runs.Join(context.Background(), "", "r1", runs.JoinParams{})
	if !errors.Is(err, langgraph.ErrInvalidArgument) || !strings.Contains(err.Error(), "JoinStream") {
		t.Errorf("err = %v, want ErrInvalidArgument pointing to JoinStream", err)
	}
	if n := len(f.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestStreamErrorsAreTyped: whatever goes wrong, a stream yields an error
// that errors.Is or errors.As can identify, never a raw one.
func TestStreamErrorsAreTyped(t *testing.T) {
	noLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		c := r.URL.Query().Get("case")
		if r.Method == http.MethodGet && r.URL.Path == "/threads/t1/runs/r1" {
			io.WriteString(w, `{"run_id":"r1","thread_id":"t1","status":"running"}`)
			return
		}
		if r.Method == http.MethodGet { // a rejoin
			switch c {
			case "rejoin-500":
				http.Error(w, "boom", http.StatusInternalServerError)
			case "rejoin-404":
				http.Error(w, "Run not found", http.StatusNotFound)
			case "rejoin-html":
				w.Header().Set("Content-Type", "text/html")
				io.WriteString(w, "<html>login</html>")
			case "rejoin-cut":
				sseHeader(w)
				writeFlush(w, "event: values\ndata: {\"half\"")
				abort()
			}
			return
		}
		w.Header().Set("Content-Location", "/threads/t1/runs/r1")
		switch c {
		case "content-type":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html>proxy</html>")
		case "status":
			http.Error(w, "Thread is busy", http.StatusUnprocessableEntity)
		case "empty":
			sseHeader(w)
		case "run-error":
			sseHeader(w)
			writeFlush(w, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\nevent: error\ndata: {\"error\":\"E\",\"message\":\"m\"}\nid: 1\n\n")
		case "too-large":
			sseHeader(w)
			writeFlush(w, "event: values\ndata: \""+strings.Repeat("x", 2<<10)+"\"\nid: 0\n\n")
		default: // cut after the first event
			sseHeader(w)
			writeFlush(w, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\n")
			abort()
		}
	})
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	c := f.Client(fakeAuth, langgraph.WithMaxRetries(0), langgraph.WithMaxEventSize(1<<10))
	down := f.Client(fakeAuth, langgraph.WithBaseURL(closed.URL), langgraph.WithMaxRetries(0))
	var (
		se *langgraph.StreamError
		re *langgraph.ResponseError
		ae *langgraph.APIError
		ce *langgraph.ConnectionError
		ru *langgraph.RunError
	)
	is := func(target any) func(error) bool { return func(err error) bool { return errors.As(err, target) } }
	both := func(a, b func(error) bool) func(error) bool { return func(err error) bool { return a(err) && b(err) } }
	for _, tc := range []struct {
		name      string
		c         *client.Client
		resumable bool
		want      func(error) bool
	}{
		{"content-type", c, false, is(&re)},
		{"status", c, false, is(&ae)},
		{"empty", c, false, both(is(&se), is(&re))},
		{"run-error", c, false, is(&ru)},
		{"too-large", c, false, func(err error) bool { return errors.Is(err, langgraph.ErrEventTooLarge) }},
		{"cut", c, false, is(&se)},
		{"rejoin-500", c, true, both(is(&se), is(&ae))},
		{"rejoin-404", c, true, both(is(&se), is(&ae))},
		{"rejoin-html", c, true, both(is(&se), is(&re))},
		{"rejoin-cut", c, true, is(&se)},
		{"unreachable", down, false, is(&ce)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := runs.StreamParams{Reconnect: langgraph.ReconnectPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}}
			p.StreamResumable = tc.resumable
			_, err := collect(tc.c.Runs.Stream(context.Background(), "t1", "agent", p, langgraph.WithQueryParam("case", tc.name)))
			if err == nil || !tc.want(err) {
				t.Errorf("err = %T %v", err, err)
			}
		})
	}
}
