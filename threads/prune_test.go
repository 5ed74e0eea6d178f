package threads_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/threads"
)

// The options of the fakes' clients: a bearer token, no retries.
var tok, noRetries = langgraph.WithBearerToken("tok"), langgraph.WithMaxRetries(0)

func TestPrune(t *testing.T) {
	for _, tc := range []struct {
		name     string
		strategy threads.PruneStrategy
		want     string
	}{
		{"delete", threads.PruneDelete, `{"thread_ids":["t1","t2"],"strategy":"delete"}`},
		{"default", "", `{"thread_ids":["t1","t2"],"strategy":"delete"}`},
		{"keep_latest", threads.PruneKeepLatest, `{"thread_ids":["t1","t2"],"strategy":"keep_latest"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, c := fake.NewClient(t, fake.Fixed(200, `{"pruned_count": 2}`), tok, noRetries)
			res, err := c.Threads.Prune(context.Background(), []string{"t1", "t2"}, tc.strategy)
			if err != nil {
				t.Fatal(err)
			}
			if res.PrunedCount != 2 {
				t.Errorf("PrunedCount = %d, want 2", res.PrunedCount)
			}
			r := f.One(t)
			fake.Check(t, r, http.MethodPost, "/threads/prune", "", tc.want)
			if r.BearerToken() != "tok" {
				t.Errorf("headers = %v", r.Header)
			}
		})
	}
}

func TestPruneErrors(t *testing.T) {
	f, c := fake.NewClient(t, fake.Fixed(200, `{"pruned_count": 0}`), tok, noRetries)
	if _, err := c.Threads.Prune(context.Background(), nil, threads.PruneDelete); err == nil {
		t.Error("Prune(no ids) succeeded")
	}
	if f.Count() != 0 {
		t.Errorf("Prune(no ids) sent %d requests", f.Count())
	}

	// The JS server has no such route: a typed 404.
	f, c = fake.NewClient(t, fake.Fixed(404, `{"detail":"Not Found"}`), tok, noRetries)
	_, err := c.Threads.Prune(context.Background(), []string{"t1"}, threads.PruneKeepLatest)
	var apiErr *langgraph.APIError
	if !errors.Is(err, langgraph.ErrNotFound) || !errors.As(err, &apiErr) || apiErr.Message != "Not Found" {
		t.Errorf("Prune on a server without it = %v, want ErrNotFound", err)
	}
	if f.Count() != 1 {
		t.Errorf("%d requests, want 1", f.Count())
	}

	// A body that is not the expected object.
	_, c = fake.NewClient(t, fake.Fixed(200, `[1,2]`), tok, noRetries)
	if _, err := c.Threads.Prune(context.Background(), []string{"t1"}, ""); err == nil {
		t.Error("Prune decoded a list as its result")
	}
}

// The request shapes that differ between the two servers.
func TestStateAndHistoryRequests(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name              string
		call              func(*client.Client) error
		method, path, raw string
		body              string
	}{
		{
			name: "latest",
			call: func(c *client.Client) error {
				_, err := c.Threads.GetState(ctx, "t/1", threads.StateParams{})
				return err
			},
			method: "GET", path: "/threads/t%2F1/state", raw: "subgraphs=false",
		},
		{
			name: "checkpoint id with subgraphs",
			call: func(c *client.Client) error {
				_, err := c.Threads.GetState(ctx, "t1", threads.StateParams{CheckpointID: "c1", Subgraphs: true})
				return err
			},
			method: "GET", path: "/threads/t1/state/c1", raw: "subgraphs=true",
		},
		{
			name: "checkpoint object",
			call: func(c *client.Client) error {
				_, err := c.Threads.GetState(ctx, "t1", threads.StateParams{Checkpoint: &langgraph.Checkpoint{CheckpointNS: "child:x", CheckpointID: "c1"}})
				return err
			},
			method: "POST", path: "/threads/t1/state/checkpoint",
			body: `{"checkpoint":{"checkpoint_ns":"child:x","checkpoint_id":"c1"}}`,
		},
		{
			name: "checkpoint object with subgraphs",
			call: func(c *client.Client) error {
				_, err := c.Threads.GetState(ctx, "t1", threads.StateParams{Checkpoint: &langgraph.Checkpoint{CheckpointNS: "child:x"}, Subgraphs: true})
				return err
			},
			method: "POST", path: "/threads/t1/state/checkpoint",
			body: `{"checkpoint":{"checkpoint_ns":"child:x"},"subgraphs":true}`,
		},
		{
			// A root checkpoint with subgraphs goes through the GET form.
			name: "root checkpoint object with subgraphs",
			call: func(c *client.Client) error {
				_, err := c.Threads.GetState(ctx, "t1", threads.StateParams{Checkpoint: &langgraph.Checkpoint{CheckpointID: "c1"}, Subgraphs: true})
				return err
			},
			method: "GET", path: "/threads/t1/state/c1", raw: "subgraphs=true",
		},
		{
			name: "history before a root checkpoint",
			call: func(c *client.Client) error {
				_, err := c.Threads.GetHistory(ctx, "t1", threads.HistoryParams{Limit: 5, Before: &langgraph.Checkpoint{ThreadID: "t1", CheckpointID: "c1"}, Metadata: map[string]any{"step": 1}})
				return err
			},
			method: "POST", path: "/threads/t1/history",
			body: `{"limit":5,"before":"c1","metadata":{"step":1}}`,
		},
		{
			name: "history before a subgraph checkpoint",
			call: func(c *client.Client) error {
				_, err := c.Threads.GetHistory(ctx, "t1", threads.HistoryParams{Before: &langgraph.Checkpoint{CheckpointNS: "child:x", CheckpointID: "c1"}, Checkpoint: &langgraph.Checkpoint{CheckpointNS: "child:x"}})
				return err
			},
			method: "POST", path: "/threads/t1/history",
			body: `{"before":{"checkpoint_ns":"child:x","checkpoint_id":"c1"},"checkpoint":{"checkpoint_ns":"child:x"}}`,
		},
		{
			name: "history",
			call: func(c *client.Client) error {
				_, err := c.Threads.GetHistory(ctx, "t1", threads.HistoryParams{})
				return err
			},
			method: "POST", path: "/threads/t1/history", body: `{}`,
		},
		{
			name: "update state",
			call: func(c *client.Client) error {
				_, err := c.Threads.UpdateState(ctx, "t1", threads.UpdateStateParams{Values: map[string]any{"a": 1}, AsNode: "n", CheckpointID: "c1"})
				return err
			},
			method: "POST", path: "/threads/t1/state",
			body: `{"values":{"a":1},"as_node":"n","checkpoint_id":"c1"}`,
		},
		{
			name: "update state to null",
			call: func(c *client.Client) error {
				_, err := c.Threads.UpdateState(ctx, "t1", threads.UpdateStateParams{})
				return err
			},
			method: "POST", path: "/threads/t1/state", body: `{"values":null}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"values":{},"next":[],"tasks":[],"checkpoint":null}`
			if tc.path == "/threads/t1/history" {
				body = `[]`
			}
			f, c := fake.NewClient(t, fake.Fixed(200, body), tok, noRetries)
			if err := tc.call(c); err != nil {
				t.Fatal(err)
			}
			r := f.One(t)
			fake.Check(t, r, tc.method, tc.path, tc.raw, tc.body)
		})
	}
}

func TestCreateAndSearchBodies(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, `{"thread_id":"t1","metadata":{}}`), tok, noRetries)
	_, err := c.Threads.Create(ctx, threads.CreateParams{
		ThreadID: "t1",
		Metadata: map[string]any{"a": 1},
		GraphID:  "agent",
		IfExists: langgraph.IfExistsDoNothing,
		TTL:      90 * time.Minute, TTLStrategy: threads.TTLDelete,
		Supersteps: []threads.Superstep{{Updates: []threads.StateUpdate{
			{Values: map[string]any{"x": 1}, AsNode: "n"},
			{Command: &langgraph.Command{Goto: "m"}, AsNode: "n"},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	fake.CheckBody(t, f.One(t), `{"thread_id":"t1","metadata":{"a":1,"graph_id":"agent"},"if_exists":"do_nothing",
		"supersteps":[{"updates":[{"values":{"x":1},"as_node":"n"},{"values":null,"command":{"goto":"m"},"as_node":"n"}]}],
		"ttl":{"ttl":90,"strategy":"delete"}}`)

	f, c = fake.NewClient(t, fake.Fixed(200, `[]`), tok, noRetries)
	_, err = c.Threads.Search(ctx, threads.SearchParams{
		Metadata: map[string]any{"a": 1}, Values: map[string]any{"b": 2}, IDs: []string{"t1"}, Status: langgraph.StatusBusy,
		Limit: 5, Offset: 10, SortBy: threads.SortByUpdatedAt, SortOrder: langgraph.Asc, Select: []string{"thread_id"},
		Extract: map[string]string{"last": "values.messages[-1]"},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := f.One(t)
	if r.Method != "POST" || r.Path != "/threads/search" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	fake.CheckBody(t, r, `{"metadata":{"a":1},"values":{"b":2},"ids":["t1"],"status":"busy","limit":5,"offset":10,
		"sort_by":"updated_at","sort_order":"asc","select":["thread_id"],"extract":{"last":"values.messages[-1]"}}`)

	f, c = fake.NewClient(t, fake.Fixed(200, `{"thread_id":"t1"}`), tok, noRetries)
	if _, err := c.Threads.Update(ctx, "t1", threads.UpdateParams{ReturnMinimal: true}); err != nil {
		t.Fatal(err)
	}
	r = f.One(t)
	if r.Method != "PATCH" || r.Header.Get("Prefer") != "return=minimal" {
		t.Errorf("Update(ReturnMinimal) = %s with Prefer %q", r.Method, r.Header.Get("Prefer"))
	}
	fake.CheckBody(t, r, `{"metadata":{}}`)
}
