package runs_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/runs"
)

// seenRequest is one request received by a recorder.
type seenRequest struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   string
}

// recorder is an httptest server that records requests and answers each
// with the same status, headers and body.
type recorder struct {
	mu     sync.Mutex
	seen   []seenRequest
	status int
	header http.Header
	body   string
}

func newRecorder(t *testing.T, status int, body string) (*recorder, *client.Client) {
	t.Helper()
	rec := &recorder{status: status, body: body, header: http.Header{"Content-Type": {"application/json"}}}
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.seen = append(rec.seen, seenRequest{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone(), string(b)})
		h := rec.header.Clone()
		rec.mu.Unlock()
		for k, v := range h {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status)
		_, _ = io.WriteString(w, rec.body)
	}))
	t.Cleanup(s.Close)
	c, err := client.New(langgraph.WithBaseURL(s.URL), langgraph.WithoutAPIKey(), langgraph.WithBearerToken("tok"), langgraph.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return rec, c
}

func (r *recorder) requests() []seenRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]seenRequest(nil), r.seen...)
}

func (r *recorder) only(t *testing.T) seenRequest {
	t.Helper()
	seen := r.requests()
	if len(seen) != 1 {
		t.Fatalf("%d requests, want 1: %+v", len(seen), seen)
	}
	return seen[0]
}

// sameBody fails unless got is the JSON value want.
func sameBody(t *testing.T, what, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("%s: body %q is not JSON: %v", what, got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Errorf("%s: body = %s\nwant %s", what, gb, wb)
	}
}

func TestCancelMany(t *testing.T) {
	for _, tc := range []struct {
		name  string
		p     runs.CancelManyParams
		query string
		body  string
	}{
		{
			name: "runs of a thread",
			p:    runs.CancelManyParams{ThreadID: "t1", RunIDs: []string{"r1", "r2"}},
			body: `{"thread_id":"t1","run_ids":["r1","r2"]}`,
		},
		{
			name:  "rollback",
			p:     runs.CancelManyParams{ThreadID: "t1", RunIDs: []string{"r1"}, Action: runs.CancelRollback},
			query: "action=rollback",
			body:  `{"thread_id":"t1","run_ids":["r1"]}`,
		},
		{
			name:  "by status",
			p:     runs.CancelManyParams{Status: runs.BulkPending, Action: runs.CancelInterrupt},
			query: "action=interrupt",
			body:  `{"status":"pending"}`,
		},
		{
			name: "all of a thread",
			p:    runs.CancelManyParams{ThreadID: "t1", Status: runs.BulkAll},
			body: `{"thread_id":"t1","status":"all"}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, c := newRecorder(t, http.StatusNoContent, "")
			if err := c.Runs.CancelMany(context.Background(), tc.p); err != nil {
				t.Fatal(err)
			}
			r := rec.only(t)
			if r.Method != http.MethodPost || r.Path != "/runs/cancel" || r.RawQuery != tc.query {
				t.Errorf("request = %s %s?%s, want POST /runs/cancel?%s", r.Method, r.Path, r.RawQuery, tc.query)
			}
			if r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("Content-Type") != "application/json" {
				t.Errorf("headers = %v", r.Header)
			}
			sameBody(t, tc.name, r.Body, tc.body)
		})
	}
}

func TestCancelManyValidation(t *testing.T) {
	rec, c := newRecorder(t, http.StatusNoContent, "")
	for name, p := range map[string]runs.CancelManyParams{
		"nothing":             {},
		"action only":         {Action: runs.CancelRollback},
		"run ids, no thread":  {RunIDs: []string{"r1"}},
		"thread only, no ids": {ThreadID: "t1"},
	} {
		if err := c.Runs.CancelMany(context.Background(), p); err == nil {
			t.Errorf("CancelMany(%s) succeeded", name)
		}
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("invalid calls sent %d requests", n)
	}

	// The JS server has no such route.
	rec, c = newRecorder(t, http.StatusNotFound, "404 Not Found")
	rec.header.Set("Content-Type", "text/plain")
	err := c.Runs.CancelMany(context.Background(), runs.CancelManyParams{Status: runs.BulkRunning})
	if !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("CancelMany on a server without it = %v, want ErrNotFound", err)
	}
}

func TestCancelQuery(t *testing.T) {
	for _, tc := range []struct {
		p     runs.CancelParams
		query string
	}{
		// No wait=0: the JS server reads any value of wait as true.
		{runs.CancelParams{}, ""},
		{runs.CancelParams{Wait: true}, "wait=1"},
		{runs.CancelParams{Action: runs.CancelRollback}, "action=rollback"},
		{runs.CancelParams{Wait: true, Action: runs.CancelInterrupt}, "action=interrupt&wait=1"},
	} {
		rec, c := newRecorder(t, http.StatusAccepted, "")
		if err := c.Runs.Cancel(context.Background(), "t/1", "r1", tc.p); err != nil {
			t.Fatal(err)
		}
		r := rec.only(t)
		if r.Method != http.MethodPost || r.Path != "/threads/t%2F1/runs/r1/cancel" || r.RawQuery != tc.query || r.Body != "" {
			t.Errorf("Cancel(%+v) = %s %s?%s %q, want query %q and no body", tc.p, r.Method, r.Path, r.RawQuery, r.Body, tc.query)
		}
	}
}
