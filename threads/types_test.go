package threads_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/threads"
)

// The JS server's state of an interrupted thread: no top-level interrupts,
// they sit in the tasks.
const jsInterruptedState = `{
  "values": {"answer": null},
  "next": ["ask"],
  "tasks": [
    {"id": "task-1", "name": "ask", "error": null,
     "interrupts": [{"id": "i1", "value": {"question": "approve?"}}],
     "path": ["__pregel_pull", "ask"], "checkpoint": null, "state": null, "result": null},
    {"id": "task-2", "name": "other", "error": null,
     "interrupts": [{"id": "i2", "value": "second"}, {"id": "i3", "value": 3}],
     "checkpoint": null, "state": null, "result": null}
  ],
  "metadata": {"source": "loop", "step": 1},
  "created_at": "2026-11-27T03:27:48.685Z",
  "checkpoint": {"thread_id": "t1", "checkpoint_id": "c2", "checkpoint_ns": "", "checkpoint_map": null},
  "parent_checkpoint": {"thread_id": "t1", "checkpoint_id": "c1", "checkpoint_ns": "", "checkpoint_map": null}
}`

func decodeState(t *testing.T, body string) *threads.State {
	t.Helper()
	f, c := fake.NewClient(t, fake.Fixed(200, body), tok, noRetries)
	st, err := c.Threads.GetState(context.Background(), "t1", threads.StateParams{})
	if err != nil {
		t.Fatal(err)
	}
	f.One(t)
	return st
}

func TestStateInterruptsFromTasks(t *testing.T) {
	st := decodeState(t, jsInterruptedState)
	var gotIDs []string
	for _, in := range st.Interrupts {
		gotIDs = append(gotIDs, in.ID)
	}
	if !slices.Equal(gotIDs, []string{"i1", "i2", "i3"}) {
		t.Errorf("interrupts = %v, want those of the tasks in order", gotIDs)
	}
	var q struct{ Question string }
	if err := st.Interrupts[0].Decode(&q); err != nil || q.Question != "approve?" {
		t.Errorf("first interrupt = %+v, %v", q, err)
	}
	var n int
	if err := st.Interrupts[2].Decode(&n); err != nil || n != 3 {
		t.Errorf("third interrupt = %d, %v", n, err)
	}
	if st.Checkpoint == nil || st.Checkpoint.CheckpointID != "c2" || st.ParentCheckpoint.CheckpointID != "c1" || st.CreatedAt.IsZero() {
		t.Errorf("checkpoints = %+v / %+v, created %v", st.Checkpoint, st.ParentCheckpoint, st.CreatedAt)
	}
	if !slices.Equal(st.Next, []string{"ask"}) || len(st.Tasks) != 2 || st.Tasks[0].Name != "ask" || len(st.Tasks[1].Interrupts) != 2 {
		t.Errorf("next %v, tasks %+v", st.Next, st.Tasks)
	}
	if _, ok := st.Tasks[0].Subgraph(); ok {
		t.Error("a task with state null has a subgraph")
	}
	var v map[string]any
	if err := st.Decode(&v); err != nil || len(v) != 1 {
		t.Errorf("Decode = %v, %v", v, err)
	}
}

func TestTaskPathAndNulls(t *testing.T) {
	st := decodeState(t, jsInterruptedState)
	task := st.Tasks[0]
	if !slices.Equal(task.Path, []any{"__pregel_pull", "ask"}) {
		t.Errorf("Path = %#v, want the server's [__pregel_pull ask]", task.Path)
	}
	// The server sends null: nil, not the 4 bytes "null".
	if task.Error != nil || task.State != nil || task.Result != nil || task.Checkpoint != nil {
		t.Errorf("null fields: error %q, state %q, result %q, checkpoint %v", task.Error, task.State, task.Result, task.Checkpoint)
	}
	// They encode as null again, as the server sends them.
	b, err := json.Marshal(task)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"id":"task-1","name":"ask","error":null,"interrupts":[{"id":"i1","value":{"question":"approve?"}}],` +
		`"path":["__pregel_pull","ask"],"checkpoint":null,"state":null,"result":null}`
	if string(b) != want {
		t.Errorf("encoded task = %s\nwant %s", b, want)
	}

	// A failed task keeps its error; a finished one its result.
	st = decodeState(t, `{"values":{},"next":["fail"],"checkpoint":null,"tasks":[
	  {"id":"t1","name":"fail","error":"{\"message\":\"Boo!\",\"name\":\"CustomError\"}","interrupts":[],
	   "path":["__pregel_push",0,false],"checkpoint":null,"state":null,"result":null},
	  {"id":"t2","name":"child","error":null,"interrupts":[],"path":["__pregel_pull","child"],
	   "checkpoint":{"thread_id":"th","checkpoint_ns":"child:t2"},"state":null,"result":{"trail":"x"}}]}`)
	if got := string(st.Tasks[0].Error); got != `"{\"message\":\"Boo!\",\"name\":\"CustomError\"}"` {
		t.Errorf("Error = %s", got)
	}
	if !slices.Equal(st.Tasks[0].Path, []any{"__pregel_push", float64(0), false}) {
		t.Errorf("Path of a pushed task = %#v", st.Tasks[0].Path)
	}
	if string(st.Tasks[1].Result) != `{"trail":"x"}` || st.Tasks[1].Error != nil || st.Tasks[1].Checkpoint.CheckpointNS != "child:t2" {
		t.Errorf("finished task = %+v", st.Tasks[1])
	}
}

func TestStateTopLevelInterrupts(t *testing.T) {
	// The Python server lists them at the top level too: not doubled.
	st := decodeState(t, `{"values":{},"next":["ask"],"checkpoint":null,
		"tasks":[{"id":"task-1","name":"ask","interrupts":[{"id":"i1","value":1}]}],
		"interrupts":[{"id":"i1","value":1}]}`)
	if len(st.Interrupts) != 1 || st.Interrupts[0].ID != "i1" {
		t.Errorf("interrupts = %+v, want one", st.Interrupts)
	}
}

func TestStateOfNewThread(t *testing.T) {
	st := decodeState(t, `{"values":{},"next":[],"tasks":[],"created_at":null,"checkpoint":null,"parent_checkpoint":null}`)
	if st.Checkpoint != nil || st.ParentCheckpoint != nil || !st.CreatedAt.IsZero() || len(st.Interrupts) != 0 || string(st.Values) != "{}" {
		t.Errorf("state = %+v", st)
	}
}

func TestTaskSubgraph(t *testing.T) {
	st := decodeState(t, `{"values":{"trail":"start;"},"next":["child"],"checkpoint":null,"tasks":[
	  {"id":"t-sub","name":"child","interrupts":[],"checkpoint":null,
	   "state":{"values":{"trail":"start;inner;"},"next":["inner"],
	     "tasks":[{"id":"t-in","name":"inner","interrupts":[{"id":"deep","value":{"q":1}}]}],
	     "metadata":{"step":1},"created_at":"2026-11-27T03:27:48.685Z",
	     "checkpoint":{"thread_id":"t1","checkpoint_id":"s1","checkpoint_ns":"child:t-sub","checkpoint_map":{"":"c1","child:t-sub":"s1"}},
	     "parent_checkpoint":null}},
	  {"id":"t-cfg","name":"child","state":{"configurable":{"thread_id":"t1","checkpoint_ns":"child:t-cfg"}}},
	  {"id":"t-bad","name":"child","state":"not an object"},
	  {"id":"t-none","name":"child"}
	]}`)
	sub, ok := st.Tasks[0].Subgraph()
	if !ok {
		t.Fatal("no subgraph state")
	}
	if string(sub.Values) != `{"trail":"start;inner;"}` || !slices.Equal(sub.Next, []string{"inner"}) ||
		sub.Checkpoint.CheckpointNS != "child:t-sub" || sub.Checkpoint.CheckpointMap["child:t-sub"] != "s1" {
		t.Errorf("subgraph state = %+v", sub)
	}
	if len(sub.Interrupts) != 1 || sub.Interrupts[0].ID != "deep" {
		t.Errorf("subgraph interrupts = %+v, want the inner task's", sub.Interrupts)
	}
	// The parent does not collect the subgraph's interrupts: the task has none.
	if len(st.Interrupts) != 0 {
		t.Errorf("parent interrupts = %+v", st.Interrupts)
	}
	for i, name := range []string{"config", "string", "missing"} {
		if s, ok := st.Tasks[i+1].Subgraph(); ok || s != nil {
			t.Errorf("Subgraph() of a task with %s state = %+v, %v", name, s, ok)
		}
	}
}

func TestThreadDecoding(t *testing.T) {
	f, c := fake.NewClient(t, fake.Fixed(200, `{"thread_id":"t1","created_at":"2026-11-27T03:31:02.154Z","updated_at":"2026-11-27T03:31:02.314Z",
	  "metadata":{"owner":"alice"},"status":"interrupted","config":{"configurable":{"k":"v"}},"values":{"a":1},
	  "interrupts":{"task-1":[{"id":"i1","value":{"question":"approve?"}}]},
	  "extracted":{"last":{"content":"hi"}}}`), tok, noRetries)
	th, err := c.Threads.Get(context.Background(), "t1")
	if err != nil {
		t.Fatal(err)
	}
	f.One(t)
	if th.ThreadID != "t1" || th.Status != langgraph.StatusInterrupted || th.Metadata["owner"] != "alice" || th.CreatedAt.IsZero() ||
		!th.UpdatedAt.After(th.CreatedAt) || string(th.Values) != `{"a":1}` {
		t.Errorf("thread = %+v", th)
	}
	if len(th.Interrupts["task-1"]) != 1 || string(th.Interrupts["task-1"][0].Value) != `{"question":"approve?"}` {
		t.Errorf("interrupts = %+v", th.Interrupts)
	}
	var cfg map[string]map[string]string
	if err := json.Unmarshal(th.Config, &cfg); err != nil || cfg["configurable"]["k"] != "v" {
		t.Errorf("config = %s", th.Config)
	}
	if string(th.Extracted["last"]) != `{"content":"hi"}` {
		t.Errorf("extracted = %v", th.Extracted)
	}
}
