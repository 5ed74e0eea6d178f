package runs_test

// Resume edge cases found in review: the cursor during a replay, an empty
// id field, rejoins answered with an error status.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/runs"
)

// TestStreamReplayBreakDoesNotRewindCursor: a server that replays from an
// earlier id than asked breaks during the replay. The cursor must stay at
// the last event delivered (3), not move back to the replayed 2: else the
// next rejoin asks for the events after 2 and event 3 is yielded twice.
func TestStreamReplayBreakDoesNotRewindCursor(t *testing.T) {
	noLeaks(t)
	rejoins := 0
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost:
			w.Header().Set("Content-Location", "/threads/t1/runs/r1")
			sseHeader(w)
			writeFlush(w, "event: values\ndata: 1\nid: 1\n\nevent: values\ndata: 2\nid: 2\n\nevent: values\ndata: 3\nid: 3\n\n")
			abort()
		case strings.HasSuffix(r.URL.Path, "/stream"):
			rejoins++
			var last int
			fmt.Sscan(r.Header.Get("Last-Event-ID"), &last)
			sseHeader(w)
			if rejoins == 1 {
				// Replays from one event too early, then breaks.
				writeFlush(w, "event: values\ndata: 2\nid: 2\n\n")
				abort()
			}
			for i := last + 1; i <= 4; i++ {
				writeFlush(w, fmt.Sprintf("event: values\ndata: %d\nid: %d\n\n", i, i))
			}
			writeFlush(w, "event: end\ndata: null\n\n")
		default:
			io.WriteString(w, `{"status":"success"}`)
		}
	})
	p := runs.StreamParams{Reconnect: fastReconnect}
	p.StreamResumable = true
	out, err := collect(f.Client(fakeAuth).Runs.Stream(context.Background(), "t1", "agent", p))
	if err != nil {
		t.Fatal(err)
	}
	var data []string
	for _, g := range out {
		data = append(data, g.Data)
	}
	if want := []string{"1", "2", "3", "4", "null"}; !slices.Equal(data, want) {
		t.Errorf("data = %v, want %v", data, want)
	}
	var ids []string
	for _, r := range f.Requests()[1:] {
		ids = append(ids, r.Header.Get("Last-Event-ID"))
	}
	if want := []string{"3", "3"}; !slices.Equal(ids, want) {
		t.Errorf("rejoins sent Last-Event-ID %q, want %q", ids, want)
	}
}

// TestStreamEmptyIDClearsCursor: an empty "id:" field clears the last event
// id (WHATWG). The stream must then not resume with the id in force before
// it, which would make the server send again the events after it: with no
// id left it cannot resume without repeats, and ends with a StreamError.
func TestStreamEmptyIDClearsCursor(t *testing.T) {
	noLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost:
			w.Header().Set("Content-Location", "/threads/t1/runs/r1")
			sseHeader(w)
			writeFlush(w, "event: values\ndata: 1\nid: 1\n\nid:\nevent: values\ndata: 2\n\n")
			abort()
		case strings.HasSuffix(r.URL.Path, "/stream"):
			sseHeader(w)
			writeFlush(w, "event: values\ndata: 2\nid: 2\n\nevent: end\ndata: null\n\n")
		default:
			io.WriteString(w, `{"status":"running"}`)
		}
	})
	p := runs.StreamParams{Reconnect: fastReconnect}
	p.StreamResumable = true
	out, err := collect(f.Client(fakeAuth).Runs.Stream(context.Background(), "t1", "agent", p))
	if want := []got{{"values", "1", "1"}, {"values", "2", ""}}; !slices.Equal(out, want) {
		t.Errorf("parts = %v, want %v", out, want)
	}
	var se *langgraph.StreamError
	if !errors.As(err, &se) || se.LastEventID != "" {
		t.Errorf("err = %v, want a StreamError without a last event id", err)
	}
	if reqs := f.Requests(); len(reqs) != 1 {
		t.Errorf("%d requests, want only the POST: %+v", len(reqs), reqs)
	}
}

// TestStreamRejoinAnsweredWithError: a rejoin answered 404 or 401 ends the
// stream at once with a StreamError matching the API error; a 503 is retried.
func TestStreamRejoinAnsweredWithError(t *testing.T) {
	for _, tc := range []struct {
		status int
		want   error
		joins  int
	}{
		{http.StatusNotFound, langgraph.ErrNotFound, 1},
		{http.StatusUnauthorized, langgraph.ErrUnauthorized, 1},
		{http.StatusServiceUnavailable, langgraph.ErrServer, 3},
	} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			noLeaks(t)
			f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
				switch {
				case r.Method == http.MethodPost:
					w.Header().Set("Content-Location", "/threads/t1/runs/r1")
					sseHeader(w)
					writeFlush(w, "event: values\ndata: 1\nid: 1\n\n")
					abort()
				default:
					w.Header().Set("Content-Type", "application/json")
					w.WriteHeader(tc.status)
					io.WriteString(w, `{"detail":"nope"}`)
				}
			})
			p := runs.StreamParams{Reconnect: langgraph.ReconnectPolicy{MaxAttempts: 3, MinWait: fastReconnect.MinWait, MaxWait: fastReconnect.MaxWait}}
			p.StreamResumable = true
			c := f.Client(fakeAuth, langgraph.WithMaxRetries(0))
			out, err := collect(c.Runs.Stream(context.Background(), "t1", "agent", p))
			var se *langgraph.StreamError
			if len(out) != 1 || !errors.As(err, &se) || !errors.Is(err, tc.want) || se.RunID != "r1" {
				t.Errorf("parts %v, err %v; want one part and a StreamError matching %v", out, err, tc.want)
			}
			if n := len(f.Requests()) - 1; n != tc.joins {
				t.Errorf("%d rejoins, want %d", n, tc.joins)
			}
		})
	}
}

// TestStreamErrorAfterReconnect: a run that fails after a reconnect ends the
// stream with its error event and a *RunError naming the run; nothing more
// is requested.
func TestStreamErrorAfterReconnect(t *testing.T) {
	noLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost:
			w.Header().Set("Content-Location", "/threads/t1/runs/r1")
			sseHeader(w)
			writeFlush(w, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\nevent: values\ndata: 1\nid: 1\n\n")
			abort()
		case strings.HasSuffix(r.URL.Path, "/stream"):
			sseHeader(w)
			writeFlush(w, "event: values\ndata: 2\nid: 2\n\nevent: error\ndata: {\"error\":\"ValueError\",\"message\":\"bad\"}\nid: 3\n\n")
		default:
			io.WriteString(w, `{"status":"error"}`)
		}
	})
	p := runs.StreamParams{Reconnect: fastReconnect}
	p.StreamResumable = true
	created := 0
	p.OnRunCreated = func(langgraph.RunRef) { created++ }
	out, err := collect(f.Client(fakeAuth).Runs.Stream(context.Background(), "t1", "agent", p))
	var re *langgraph.RunError
	if !errors.As(err, &re) || re.Name != "ValueError" || re.Message != "bad" || re.RunID != "r1" || re.ThreadID != "t1" {
		t.Errorf("err = %#v", err)
	}
	if len(out) != 4 || out[3].Event != "error" {
		t.Errorf("parts = %v", out)
	}
	if n := len(f.Requests()); n != 2 || created != 1 {
		t.Errorf("%d requests (want 2), OnRunCreated called %d times (want 1)", n, created)
	}
}
