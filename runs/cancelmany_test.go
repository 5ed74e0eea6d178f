package runs_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/runs"
)

// The options of the fakes' clients: a bearer token, no retries.
var tok, noRetries = langgraph.WithBearerToken("tok"), langgraph.WithMaxRetries(0)

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
			f, c := fake.NewClient(t, fake.Fixed(http.StatusNoContent, ""), tok, noRetries)
			if err := c.Runs.CancelMany(context.Background(), tc.p); err != nil {
				t.Fatal(err)
			}
			r := f.One(t)
			fake.Check(t, r, http.MethodPost, "/runs/cancel", tc.query, tc.body)
			if r.BearerToken() != "tok" {
				t.Errorf("headers = %v", r.Header)
			}
		})
	}
}

func TestCancelManyValidation(t *testing.T) {
	f, c := fake.NewClient(t, fake.Fixed(http.StatusNoContent, ""), tok, noRetries)
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
	if n := f.Count(); n != 0 {
		t.Errorf("invalid calls sent %d requests", n)
	}

	// The JS server has no such route.
	_, c = fake.NewClient(t, func(int, fake.Request) fake.Reply {
		return fake.Reply{Status: http.StatusNotFound, ContentType: "text/plain", Body: "404 Not Found"}
	}, tok, noRetries)
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
		f, c := fake.NewClient(t, fake.Fixed(http.StatusAccepted, ""), tok, noRetries)
		if err := c.Runs.Cancel(context.Background(), "t/1", "r1", tc.p); err != nil {
			t.Fatal(err)
		}
		fake.Check(t, f.One(t), http.MethodPost, "/threads/t%2F1/runs/r1/cancel", tc.query, "")
	}
}
