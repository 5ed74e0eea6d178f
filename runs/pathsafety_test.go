package runs_test

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

// TestStreamDotLocation: a reconnect Location (or a Content-Location) naming
// a dot segment, in any encoding, is never requested: the stream falls back
// to joining the run on its own route when the run is resumable, and fails
// with a StreamError saying why when it is not.
func TestStreamDotLocation(t *testing.T) {
	noLeaks(t)
	for _, loc := range []string{
		"/api/threads/t1/runs/%2E%2E/stream",
		"/api/../reconnect",
		"/api/threads/t1/runs/r1/%2e/stream",
		"%2e%2e/%2e%2e/reconnect",
		"{origin}/api/threads/%252e%252e/reconnect",
		"{origin}/api/..%2F..%2Freconnect",
	} {
		for _, resumable := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/resumable=%v", loc, resumable), func(t *testing.T) {
				var f *fake.Server
				f = fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
					switch {
					case n == 0 && r.Method == http.MethodPost:
						w.Header().Set("Location", strings.ReplaceAll(loc, "{origin}", f.URL()))
						w.Header().Set("Content-Location", "/api/threads/t1/runs/r1")
						sseHeader(w)
						writeFlush(w, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\nevent: values\ndata: 1\nid: 1\n\n")
						abort()
					case r.URL.Path == "/api/threads/t1/runs/r1/stream":
						sseHeader(w)
						writeFlush(w, "event: values\ndata: 2\nid: 2\n\n")
					case r.URL.Path == "/api/threads/t1/runs/r1":
						io.WriteString(w, `{"run_id":"r1","thread_id":"t1","status":"success"}`)
					default:
						http.NotFound(w, r)
					}
				})
				c := f.Client(fakeAuth, langgraph.WithBaseURL(f.URL()+"/api"))
				p := runs.StreamParams{Reconnect: fastReconnect}
				p.StreamResumable = resumable
				out, err := collect(c.Runs.Stream(context.Background(), "t1", "agent", p))
				for _, r := range f.Requests() {
					if !slices.Contains([]string{"/api/threads/t1/runs/stream", "/api/threads/t1/runs/r1/stream", "/api/threads/t1/runs/r1"}, r.Path) {
						t.Errorf("request to %s %s", r.Method, r.Path)
					}
				}
				if !resumable {
					var se *langgraph.StreamError
					if !errors.As(err, &se) || !strings.Contains(err.Error(), "dots") || se.RunID != "r1" {
						t.Errorf("err = %v, want a StreamError saying the Location has dots", err)
					}
					return
				}
				want := []got{{"metadata", `{"run_id":"r1"}`, "0"}, {"values", "1", "1"}, {"values", "2", "2"}}
				if err != nil || !slices.Equal(out, want) {
					t.Errorf("got %v, %v; want %v", out, err, want)
				}
			})
		}
	}
}

// TestStreamDotContentLocation: run ids read from a Content-Location are
// never dot segments, so a rejoin cannot be sent to another route.
func TestStreamDotContentLocation(t *testing.T) {
	noLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 0 {
			w.Header().Set("Content-Location", "/threads/%2E%2E/runs/%2e")
			sseHeader(w)
			writeFlush(w, "event: values\ndata: 1\nid: 1\n\n")
			abort()
		}
		http.NotFound(w, r)
	})
	c := f.Client(fakeAuth)
	var created []langgraph.RunRef
	p := runs.StreamParams{Reconnect: fastReconnect}
	p.StreamResumable = true
	p.OnRunCreated = func(m langgraph.RunRef) { created = append(created, m) }
	_, err := collect(c.Runs.Stream(context.Background(), "t1", "agent", p))
	if err == nil {
		t.Fatal("no error after a cut stream with no usable run id")
	}
	if len(created) != 0 {
		t.Errorf("OnRunCreated(%+v) from a dotted Content-Location", created)
	}
	if reqs := f.Requests(); len(reqs) != 1 {
		t.Errorf("requests = %+v, want only the POST", reqs)
	}
}
