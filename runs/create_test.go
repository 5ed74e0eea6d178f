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

// fullParams sets every field of CreateParams.
func fullParams(onCreated func(langgraph.RunRef)) runs.CreateParams {
	yes := true
	return runs.CreateParams{
		Input: map[string]any{"a": 1},
		Config: &langgraph.Config{
			Tags:           []string{"t"},
			RecursionLimit: 5,
			Configurable:   map[string]any{"k": "v"},
			Metadata:       map[string]any{"m": 1},
		},
		Context:           map[string]any{"c": 1},
		Metadata:          map[string]any{"md": 1},
		Checkpoint:        &langgraph.Checkpoint{ThreadID: "t1", CheckpointID: "c1", CheckpointMap: map[string]any{"": "c1"}},
		CheckpointID:      "c1",
		CheckpointDuring:  &yes,
		Durability:        runs.DurabilitySync,
		InterruptBefore:   langgraph.AllNodes(),
		InterruptAfter:    langgraph.Nodes{"a", "b"},
		Webhook:           "https://hooks.example.com/done",
		MultitaskStrategy: runs.MultitaskEnqueue,
		IfNotExists:       runs.IfNotExistsCreate,
		OnCompletion:      runs.OnCompletionKeep,
		OnDisconnect:      runs.DisconnectCancel,
		AfterSeconds:      5,
		LangsmithTracer:   &runs.LangsmithTracer{ProjectName: "p", ExampleID: "e"},
		StreamMode:        []runs.StreamMode{runs.StreamValues, runs.StreamMessagesTuple},
		Subgraphs:         true,
		StreamResumable:   true,
		FeedbackKeys:      []string{"score"},
		OnRunCreated:      onCreated,
	}
}

const fullBody = `{
  "assistant_id": "agent",
  "input": {"a": 1},
  "config": {"tags": ["t"], "recursion_limit": 5, "configurable": {"k": "v"}, "metadata": {"m": 1}},
  "context": {"c": 1},
  "metadata": {"md": 1},
  "checkpoint": {"thread_id": "t1", "checkpoint_ns": "", "checkpoint_id": "c1", "checkpoint_map": {"": "c1"}},
  "checkpoint_id": "c1",
  "checkpoint_during": true,
  "durability": "sync",
  "interrupt_before": "*",
  "interrupt_after": ["a", "b"],
  "webhook": "https://hooks.example.com/done",
  "multitask_strategy": "enqueue",
  "if_not_exists": "create",
  "on_completion": "keep",
  "on_disconnect": "cancel",
  "after_seconds": 5,
  "langsmith_tracer": {"project_name": "p", "example_id": "e"},
  "stream_mode": ["values", "messages-tuple"],
  "stream_subgraphs": true,
  "stream_resumable": true,
  "feedback_keys": ["score"]
}`

func TestCreateBody(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name, path, location string
		call                 func(*runs.Service, runs.CreateParams) (langgraph.RunRef, error)
	}{
		{"Create", "/threads/t%2F1/runs", "/threads/t%2F1/runs/r1", func(s *runs.Service, p runs.CreateParams) (langgraph.RunRef, error) {
			r, err := s.Create(ctx, "t/1", "agent", p)
			if err != nil {
				return langgraph.RunRef{}, err
			}
			return langgraph.RunRef{RunID: r.RunID, ThreadID: r.ThreadID}, nil
		}},
		{"CreateStateless", "/runs", "/runs/r1", func(s *runs.Service, p runs.CreateParams) (langgraph.RunRef, error) {
			r, err := s.CreateStateless(ctx, "agent", p)
			if err != nil {
				return langgraph.RunRef{}, err
			}
			return langgraph.RunRef{RunID: r.RunID, ThreadID: r.ThreadID}, nil
		}},
		{"Wait", "/threads/t%2F1/runs/wait", "/threads/t%2F1/runs/r1", func(s *runs.Service, p runs.CreateParams) (langgraph.RunRef, error) {
			r, err := s.Wait(ctx, "t/1", "agent", p)
			if err != nil {
				return langgraph.RunRef{}, err
			}
			return r.Run, nil
		}},
		{"WaitStateless", "/runs/wait", "/runs/r1", func(s *runs.Service, p runs.CreateParams) (langgraph.RunRef, error) {
			r, err := s.WaitStateless(ctx, "agent", p)
			if err != nil {
				return langgraph.RunRef{}, err
			}
			return r.Run, nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, c := fake.NewClient(t, func(int, fake.Request) fake.Reply {
				return fake.Reply{Header: map[string]string{"Content-Location": tc.location}, Body: `{"run_id":"r1","thread_id":"t/1","status":"pending"}`}
			}, tok, noRetries)
			var created []langgraph.RunRef
			got, err := tc.call(&c.Runs, fullParams(func(m langgraph.RunRef) { created = append(created, m) }))
			if err != nil {
				t.Fatal(err)
			}
			fake.Check(t, f.One(t), http.MethodPost, tc.path, "", fullBody)
			want := langgraph.RunRef{RunID: "r1", ThreadID: "t/1"}
			if tc.location == "/runs/r1" {
				want.ThreadID = ""
			}
			if len(created) != 1 || created[0] != want {
				t.Errorf("OnRunCreated calls = %+v, want one with %+v", created, want)
			}
			if tc.name == "Wait" || tc.name == "WaitStateless" {
				if got != want {
					t.Errorf("result run = %+v, want %+v", got, want)
				}
			}
		})
	}
}

func TestCreateBodyMinimalAndCommand(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(http.StatusOK, `{"run_id":"r1"}`), tok, noRetries)
	if _, err := c.Runs.Create(ctx, "t1", "agent", runs.CreateParams{}); err != nil {
		t.Fatal(err)
	}
	fake.CheckBody(t, f.One(t), `{"assistant_id":"agent"}`)

	f, c = fake.NewClient(t, fake.Fixed(http.StatusOK, `{"ok":true}`), tok, noRetries)
	_, err := c.Runs.Wait(ctx, "t1", "agent", runs.CreateParams{Command: &langgraph.Command{
		Resume: "yes",
		Update: map[string]any{"x": 1},
		Goto:   []any{"n1", langgraph.Send{Node: "n2", Input: map[string]any{"y": 2}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	fake.CheckBody(t, f.One(t), `{"assistant_id":"agent","command":{"resume":"yes","update":{"x":1},"goto":["n1",{"node":"n2","input":{"y":2}}]}}`)

	f, c = fake.NewClient(t, fake.Fixed(http.StatusOK, `[{"run_id":"r1"},{"run_id":"r2"}]`), tok, noRetries)
	out, err := c.Runs.CreateBatch(ctx, []runs.BatchItem{
		{ThreadID: "t1", AssistantID: "a", Input: map[string]any{"n": 1}, InterruptBefore: langgraph.AllNodes()},
		{AssistantID: "b"},
	})
	if err != nil || len(out) != 2 || out[1].RunID != "r2" {
		t.Fatalf("CreateBatch = %+v, %v", out, err)
	}
	r := f.One(t)
	if r.Method != http.MethodPost || r.Path != "/runs/batch" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	fake.CheckBody(t, r, `[{"assistant_id":"a","thread_id":"t1","input":{"n":1},"interrupt_before":"*"},{"assistant_id":"b"}]`)
}

func TestCreateRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(http.StatusOK, `{}`), tok, noRetries)
	both := runs.CreateParams{Input: map[string]any{}, Command: &langgraph.Command{Resume: "yes"}}
	calls := map[string]func() error{
		"Create input+command":        func() error { _, err := c.Runs.Create(ctx, "t1", "agent", both); return err },
		"CreateStateless both":        func() error { _, err := c.Runs.CreateStateless(ctx, "agent", both); return err },
		"Wait input+command":          func() error { _, err := c.Runs.Wait(ctx, "t1", "agent", both); return err },
		"WaitStateless input+command": func() error { _, err := c.Runs.WaitStateless(ctx, "agent", both); return err },
		"CreateBatch input+command": func() error {
			_, err := c.Runs.CreateBatch(ctx, []runs.BatchItem{{AssistantID: "a", Input: both.Input, Command: both.Command}})
			return err
		},
		"Create no assistant": func() error { _, err := c.Runs.Create(ctx, "t1", "", runs.CreateParams{}); return err },
		"Create no thread":    func() error { _, err := c.Runs.Create(ctx, "", "agent", runs.CreateParams{}); return err },
		"Wait no thread":      func() error { _, err := c.Runs.Wait(ctx, "", "agent", runs.CreateParams{}); return err },
		"Get no run":          func() error { _, err := c.Runs.Get(ctx, "t1", ""); return err },
		"Join no thread":      func() error { _, err := c.Runs.Join(ctx, "", "r1", runs.JoinParams{}); return err },
		"List negative":       func() error { _, err := c.Runs.List(ctx, "t1", runs.ListParams{Offset: -1}); return err },
		"Delete no run":       func() error { return c.Runs.Delete(ctx, "t1", "") },
		"Cancel no thread":    func() error { return c.Runs.Cancel(ctx, "", "r1", runs.CancelParams{}) },
	}
	for name, call := range calls {
		err := call()
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		var apiErr *langgraph.APIError
		if errors.As(err, &apiErr) {
			t.Errorf("%s: %v came from the server", name, err)
		}
	}
	if n := f.Count(); n != 0 {
		t.Errorf("bad calls sent %d requests", n)
	}
}

func TestListQuery(t *testing.T) {
	f, c := fake.NewClient(t, fake.Fixed(http.StatusOK, `[{"run_id":"r1","status":"success"}]`), tok, noRetries)
	out, err := c.Runs.List(context.Background(), "t1", runs.ListParams{Limit: 5, Offset: 10, Status: langgraph.StatusSuccess, Select: []string{"run_id", "status"}})
	if err != nil || len(out) != 1 || out[0].Status != langgraph.StatusSuccess {
		t.Fatalf("List = %+v, %v", out, err)
	}
	r := f.One(t)
	fake.Check(t, r, http.MethodGet, "/threads/t1/runs", "limit=5&offset=10&select=run_id&select=status&status=success", "")
}
