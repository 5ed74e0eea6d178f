package runs_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/faultproxy"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

func randomUUID(t *testing.T) string {
	t.Helper()
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func mkThread(ctx context.Context, t *testing.T, c *client.Client) string {
	t.Helper()
	th, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	return th.ThreadID
}

func humanInput(text string) map[string]any {
	return map[string]any{"messages": []any{map[string]any{"role": "human", "content": text}}}
}

// agentValues is the agent graph's state.
type agentValues struct {
	Messages []struct {
		Type    string `json:"type"`
		Content string `json:"content"`
	} `json:"messages"`
	User    map[string]any `json:"user"`
	Headers map[string]any `json:"headers"`
}

func (s agentValues) contents() []string {
	out := make([]string, len(s.Messages))
	for i, m := range s.Messages {
		out[i] = m.Content
	}
	return out
}

func agentOf(t *testing.T, res *runs.Result) agentValues {
	t.Helper()
	var st agentValues
	if err := res.Decode(&st); err != nil {
		t.Fatalf("decoding %s: %v", res.Values, err)
	}
	return st
}

func jsonObject(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, raw)
	}
	return m
}

// pollStatus polls a run until its status is one of want.
func pollStatus(ctx context.Context, t *testing.T, c *client.Client, tid, rid string, want ...langgraph.Status) *runs.Run {
	t.Helper()
	for {
		r, err := c.Runs.Get(ctx, tid, rid)
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(want, r.Status) {
			return r
		}
		select {
		case <-ctx.Done():
			t.Fatalf("run %s still %s, want %v", rid, r.Status, want)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func TestIntegrationWait(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := mkThread(ctx, t, c)
	var created []langgraph.RunRef
	res, err := c.Runs.Wait(ctx, tid, testserver.GraphAgent, runs.CreateParams{
		Input:        humanInput("hello"),
		OnRunCreated: func(m langgraph.RunRef) { created = append(created, m) },
	})
	if err != nil {
		t.Fatal(err)
	}
	st := agentOf(t, res)
	if !slices.Equal(st.contents(), []string{"hello", "You said: hello"}) || st.Messages[1].Type != "ai" {
		t.Errorf("messages = %+v", st.Messages)
	}
	if st.User["identity"] != "alice" {
		t.Errorf("user = %v", st.User)
	}
	if res.Interrupted() || len(res.Interrupts) != 0 {
		t.Errorf("interrupts = %+v", res.Interrupts)
	}
	if len(created) != 1 || created[0].ThreadID != tid || created[0].RunID == "" || res.Run != created[0] {
		t.Fatalf("OnRunCreated calls = %+v, result run %+v", created, res.Run)
	}

	run, err := c.Runs.Get(ctx, tid, res.Run.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if run.RunID != res.Run.RunID || run.ThreadID != tid || run.Status != langgraph.StatusSuccess || run.AssistantID == "" ||
		run.CreatedAt.IsZero() || run.Metadata["owner"] != "alice" || run.MultitaskStrategy != runs.MultitaskReject {
		t.Errorf("run = %+v", run)
	}
	list, err := c.Runs.List(ctx, tid, runs.ListParams{})
	if err != nil || len(list) != 1 || list[0].RunID != res.Run.RunID {
		t.Errorf("List = %+v, %v; want the one run", list, err)
	}

	// The thread keeps the conversation.
	res, err = c.Runs.Wait(ctx, tid, testserver.GraphAgent, runs.CreateParams{Input: humanInput("again")})
	if err != nil {
		t.Fatal(err)
	}
	if got := agentOf(t, res).contents(); !slices.Equal(got, []string{"hello", "You said: hello", "again", "You said: again"}) {
		t.Errorf("second run messages = %v", got)
	}
}

func TestIntegrationWaitStateless(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	var meta langgraph.RunRef
	res, err := c.Runs.WaitStateless(ctx, testserver.GraphAgent, runs.CreateParams{
		Input:        humanInput("hello"),
		OnRunCreated: func(m langgraph.RunRef) { meta = m },
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := agentOf(t, res).contents(); !slices.Equal(got, []string{"hello", "You said: hello"}) {
		t.Errorf("messages = %v", got)
	}
	if meta.RunID == "" || meta.ThreadID != "" || res.Run != meta {
		t.Errorf("run metadata = %+v, result %+v; want a run id and no thread", meta, res.Run)
	}
	// The temporary thread is gone.
	if n, err := c.Threads.Count(ctx, threads.CountParams{}); err != nil || n != 0 {
		t.Errorf("threads after a stateless run = %d, %v", n, err)
	}
}

func TestIntegrationCreateJoin(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := mkThread(ctx, t, c)
	var meta langgraph.RunRef
	run, err := c.Runs.Create(ctx, tid, testserver.GraphAgent, runs.CreateParams{
		Input:        humanInput("join me"),
		OnRunCreated: func(m langgraph.RunRef) { meta = m },
	})
	if err != nil {
		t.Fatal(err)
	}
	if run.RunID == "" || run.ThreadID != tid || run.Status != langgraph.StatusPending {
		t.Errorf("created run = %+v", run)
	}
	if meta.RunID != run.RunID || meta.ThreadID != tid {
		t.Errorf("OnRunCreated got %+v, want run %s on %s", meta, run.RunID, tid)
	}
	res, err := c.Runs.Join(ctx, tid, run.RunID, runs.JoinParams{})
	if err != nil {
		t.Fatal(err)
	}
	if got := agentOf(t, res).contents(); !slices.Equal(got, []string{"join me", "You said: join me"}) {
		t.Errorf("joined messages = %v", got)
	}
	if res.Run.RunID != run.RunID || res.Run.ThreadID != tid {
		t.Errorf("joined run = %+v", res.Run)
	}
	if r := pollStatus(ctx, t, c, tid, run.RunID, langgraph.StatusSuccess, langgraph.StatusError); r.Status != langgraph.StatusSuccess {
		t.Errorf("status = %s", r.Status)
	}
	// Joining a run that has ended gives the thread's values.
	again, err := c.Runs.Join(ctx, tid, run.RunID, runs.JoinParams{})
	if err != nil || string(again.Values) != string(res.Values) || again.Interrupted() {
		t.Errorf("second Join = %+v, %v", again, err)
	}

	// Stateless, kept: it gets a thread that can be joined.
	sl, err := c.Runs.CreateStateless(ctx, testserver.GraphAgent, runs.CreateParams{Input: humanInput("no thread"), OnCompletion: runs.OnCompletionKeep})
	if err != nil {
		t.Fatal(err)
	}
	if sl.RunID == "" || sl.ThreadID == "" || sl.ThreadID == tid || sl.Status != langgraph.StatusPending {
		t.Errorf("stateless run = %+v", sl)
	}
	res, err = c.Runs.Join(ctx, sl.ThreadID, sl.RunID, runs.JoinParams{})
	if err != nil {
		t.Fatal(err)
	}
	if got := agentOf(t, res).contents(); !slices.Equal(got, []string{"no thread", "You said: no thread"}) {
		t.Errorf("stateless joined messages = %v", got)
	}
}

func TestIntegrationCreateBatch(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	batch, err := c.Runs.CreateBatch(ctx, []runs.BatchItem{
		{AssistantID: testserver.GraphAgent, Input: humanInput("one"), Metadata: map[string]any{"n": 1}},
		{AssistantID: testserver.GraphSlow, Input: map[string]any{"steps": 1, "delay_ms": 1}, Metadata: map[string]any{"n": 2}, OnCompletion: runs.OnCompletionKeep},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(batch) != 2 || batch[0].RunID == "" || batch[1].RunID == "" || batch[0].RunID == batch[1].RunID {
		t.Fatalf("batch = %+v", batch)
	}
	for i, r := range batch {
		if r.Status != langgraph.StatusPending || r.Metadata["n"] != float64(i+1) || r.ThreadID == "" {
			t.Errorf("batch[%d] = %+v", i, r)
		}
	}
	if batch[0].AssistantID == batch[1].AssistantID {
		t.Errorf("both runs on assistant %s", batch[0].AssistantID)
	}
	res, err := c.Runs.Join(ctx, batch[1].ThreadID, batch[1].RunID, runs.JoinParams{})
	if err != nil {
		t.Fatal(err)
	}
	if v := jsonObject(t, res.Values); v["count"] != float64(1) {
		t.Errorf("slow run of the batch = %s", res.Values)
	}

	if _, err := c.Runs.CreateBatch(ctx, nil); err == nil {
		t.Error("CreateBatch(nil) succeeded")
	}
	_, err = c.Runs.CreateBatch(ctx, []runs.BatchItem{{AssistantID: "agent"}, {}})
	if err == nil || !strings.Contains(err.Error(), "run 1") {
		t.Errorf("CreateBatch with an empty assistant = %v, want an error naming run 1", err)
	}
}

func TestIntegrationInterruptAndResume(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := mkThread(ctx, t, c)
	res, err := c.Runs.Wait(ctx, tid, testserver.GraphInterrupt, runs.CreateParams{Input: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted() || len(res.Interrupts) != 1 {
		t.Fatalf("result = %+v, want one interrupt", res)
	}
	var q struct {
		Question string `json:"question"`
	}
	if err := res.Interrupts[0].Decode(&q); err != nil || q.Question != "approve?" || res.Interrupts[0].ID == "" {
		t.Errorf("interrupt = %+v (%v)", res.Interrupts[0], err)
	}
	if strings.Contains(string(res.Values), "__interrupt__") {
		t.Errorf("values keep the interrupt: %s", res.Values)
	}
	th, err := c.Threads.Get(ctx, tid)
	if err != nil || th.Status != langgraph.StatusInterrupted {
		t.Errorf("thread = %+v, %v; want interrupted", th, err)
	}

	// Joining the interrupted run after the fact still reports the interrupt.
	joined, err := c.Runs.Join(ctx, tid, res.Run.RunID, runs.JoinParams{})
	if err != nil {
		t.Fatal(err)
	}
	if !joined.Interrupted() || len(joined.Interrupts) != 1 || joined.Interrupts[0].ID != res.Interrupts[0].ID {
		t.Errorf("Join of the interrupted run = %+v", joined)
	}

	// Input and Command together are refused before any request.
	_, err = c.Runs.Wait(ctx, tid, testserver.GraphInterrupt, runs.CreateParams{Input: map[string]any{}, Command: &langgraph.Command{Resume: "no"}})
	if err == nil {
		t.Error("Input and Command together were accepted")
	}

	res, err = c.Runs.Wait(ctx, tid, testserver.GraphInterrupt, runs.CreateParams{Command: &langgraph.Command{Resume: "yes"}})
	if err != nil {
		t.Fatal(err)
	}
	if v := jsonObject(t, res.Values); res.Interrupted() || len(v) != 2 || v["answer"] != "yes" || v["done"] != true {
		t.Errorf("resumed = %s (interrupted %v), want {answer: yes, done: true}", res.Values, res.Interrupted())
	}

	// Resume by interrupt id.
	tid2 := mkThread(ctx, t, c)
	res, err = c.Runs.Wait(ctx, tid2, testserver.GraphInterrupt, runs.CreateParams{Input: map[string]any{}})
	if err != nil || len(res.Interrupts) != 1 {
		t.Fatalf("second interrupt = %+v, %v", res, err)
	}
	res, err = c.Runs.Wait(ctx, tid2, testserver.GraphInterrupt, runs.CreateParams{Command: &langgraph.Command{Resume: map[string]any{res.Interrupts[0].ID: map[string]any{"ok": true}}}})
	if err != nil {
		t.Fatal(err)
	}
	if v := jsonObject(t, res.Values); !sameJSON(v["answer"], map[string]any{"ok": true}) || v["done"] != true {
		t.Errorf("resumed by id = %s", res.Values)
	}

	// Stateless runs have no checkpointer: an interrupt is a run error there.
	_, err = c.Runs.WaitStateless(ctx, testserver.GraphInterrupt, runs.CreateParams{Input: map[string]any{}})
	var runErr *langgraph.RunError
	if !errors.As(err, &runErr) || runErr.Name != "GraphValueError" {
		t.Errorf("stateless interrupt = %v, want a GraphValueError run error", err)
	}
}

func sameJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func TestIntegrationRunError(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := mkThread(ctx, t, c)
	var meta langgraph.RunRef
	res, err := c.Runs.Wait(ctx, tid, testserver.GraphError, runs.CreateParams{Input: map[string]any{}, OnRunCreated: func(m langgraph.RunRef) { meta = m }})
	var runErr *langgraph.RunError
	if !errors.As(err, &runErr) {
		t.Fatalf("Wait(error graph) = %+v, %v; want a *langgraph.RunError", res, err)
	}
	if runErr.Name != "CustomError" || runErr.Message != "Boo!" || runErr.RunID != meta.RunID || runErr.ThreadID != tid || meta.RunID == "" {
		t.Errorf("run error = %+v, want CustomError: Boo! of run %s", runErr, meta.RunID)
	}
	if !strings.Contains(err.Error(), "CustomError: Boo!") {
		t.Errorf("message = %q", err)
	}
	if r, err := c.Runs.Get(ctx, tid, meta.RunID); err != nil || r.Status != langgraph.StatusError {
		t.Errorf("run = %+v, %v; want status error", r, err)
	}
	// Joined after the fact: still an error, without the remote details.
	_, err = c.Runs.Join(ctx, tid, meta.RunID, runs.JoinParams{})
	if !errors.As(err, &runErr) || runErr.RunID != meta.RunID {
		t.Errorf("Join of the failed run = %v, want a RunError for %s", err, meta.RunID)
	}

	_, err = c.Runs.WaitStateless(ctx, testserver.GraphError, runs.CreateParams{Input: map[string]any{}})
	if !errors.As(err, &runErr) || runErr.Name != "CustomError" || runErr.Message != "Boo!" || runErr.ThreadID != "" || runErr.RunID == "" {
		t.Errorf("stateless error = %v (%+v)", err, runErr)
	}
}

func TestIntegrationOnRunCreatedDuringRun(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := mkThread(ctx, t, c)
	var seen *runs.Run
	var seenErr error
	res, err := c.Runs.Wait(ctx, tid, testserver.GraphSlow, runs.CreateParams{
		Input: map[string]any{"steps": 10, "delay_ms": 150},
		OnRunCreated: func(m langgraph.RunRef) {
			seen, seenErr = c.Runs.Get(ctx, m.ThreadID, m.RunID)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if seenErr != nil || seen == nil {
		t.Fatalf("Get from OnRunCreated: %v", seenErr)
	}
	if seen.RunID != res.Run.RunID || (seen.Status != langgraph.StatusPending && seen.Status != langgraph.StatusRunning) {
		t.Errorf("from OnRunCreated the run was %+v, want pending or running", seen)
	}
	if jsonObject(t, res.Values)["count"] != float64(10) {
		t.Errorf("result = %s", res.Values)
	}
}

func TestIntegrationListGetDelete(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := mkThread(ctx, t, c)
	var ids []string
	for i := range 3 {
		res, err := c.Runs.Wait(ctx, tid, testserver.GraphAgent, runs.CreateParams{Input: humanInput(fmt.Sprint(i)), Metadata: map[string]any{"i": i}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.Run.RunID)
	}
	runIDs := func(rs []runs.Run) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.RunID)
		}
		return out
	}
	all, err := c.Runs.List(ctx, tid, runs.ListParams{})
	if err != nil {
		t.Fatal(err)
	}
	// The JS server lists oldest first (the Python server newest first).
	if !slices.Equal(runIDs(all), ids) {
		t.Errorf("List = %v, want %v", runIDs(all), ids)
	}
	for i, r := range all {
		if r.Metadata["i"] != float64(i) || r.Status != langgraph.StatusSuccess || len(r.Kwargs) == 0 {
			t.Errorf("run %d = %+v", i, r)
		}
	}
	if got, err := c.Runs.List(ctx, tid, runs.ListParams{Limit: 2}); err != nil || !slices.Equal(runIDs(got), ids[:2]) {
		t.Errorf("List(limit 2) = %v, %v", runIDs(got), err)
	}
	if got, err := c.Runs.List(ctx, tid, runs.ListParams{Offset: 1}); err != nil || !slices.Equal(runIDs(got), ids[1:]) {
		t.Errorf("List(offset 1) = %v, %v", runIDs(got), err)
	}
	// The JS server pages with slice(offset, limit): Limit is where the page
	// ends, not its size (as List's doc says).
	if got, err := c.Runs.List(ctx, tid, runs.ListParams{Limit: 2, Offset: 1}); err != nil || !slices.Equal(runIDs(got), ids[1:2]) {
		t.Errorf("List(limit 2, offset 1) = %v, %v; want run 1 only", runIDs(got), err)
	}
	if got, err := c.Runs.List(ctx, tid, runs.ListParams{Limit: 1, Offset: 1}); err != nil || len(got) != 0 {
		t.Errorf("List(limit 1, offset 1) = %v, %v; want none", runIDs(got), err)
	}
	if got, err := c.Runs.List(ctx, tid, runs.ListParams{Status: langgraph.StatusSuccess}); err != nil || len(got) != 3 {
		t.Errorf("List(success) = %v, %v", runIDs(got), err)
	}
	if got, err := c.Runs.List(ctx, tid, runs.ListParams{Status: langgraph.StatusError}); err != nil || len(got) != 0 {
		t.Errorf("List(error) = %v, %v", runIDs(got), err)
	}
	if _, err := c.Runs.List(ctx, tid, runs.ListParams{Limit: -1}); err == nil {
		t.Error("List(limit -1) succeeded")
	}

	got, err := c.Runs.Get(ctx, tid, ids[1])
	if err != nil || got.RunID != ids[1] || got.Metadata["i"] != float64(1) {
		t.Errorf("Get = %+v, %v", got, err)
	}
	if err := c.Runs.Delete(ctx, tid, ids[1]); err != nil {
		t.Fatal(err)
	}
	_, err = c.Runs.Get(ctx, tid, ids[1])
	if !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("Get after Delete = %v, want ErrNotFound", err)
	}
	if rest, err := c.Runs.List(ctx, tid, runs.ListParams{}); err != nil || !slices.Equal(runIDs(rest), []string{ids[0], ids[2]}) {
		t.Errorf("List after Delete = %v, %v", runIDs(rest), err)
	}
	if err := c.Runs.Delete(ctx, tid, ids[1]); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("Delete twice = %v, want ErrNotFound", err)
	}
	if _, err := c.Runs.Get(ctx, tid, randomUUID(t)); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("Get(unknown run) = %v, want ErrNotFound", err)
	}
}

func TestIntegrationCancelAndMultitask(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := mkThread(ctx, t, c)
	slow := runs.CreateParams{Input: map[string]any{"steps": 200, "delay_ms": 100}}

	// A running run: a second run is refused, then Cancel (interrupt, wait).
	run, err := c.Runs.Create(ctx, tid, testserver.GraphSlow, slow)
	if err != nil {
		t.Fatal(err)
	}
	pollStatus(ctx, t, c, tid, run.RunID, langgraph.StatusRunning)
	_, err = c.Runs.Create(ctx, tid, testserver.GraphAgent, runs.CreateParams{Input: humanInput("busy?")})
	var apiErr *langgraph.APIError
	if !errors.Is(err, langgraph.ErrUnprocessableEntity) || !errors.As(err, &apiErr) || !strings.Contains(apiErr.Message, "already running") {
		t.Errorf("second run on a busy thread = %v, want 422 ErrUnprocessableEntity", err)
	}
	_, err = c.Runs.Wait(ctx, tid, testserver.GraphAgent, runs.CreateParams{Input: humanInput("busy?"), MultitaskStrategy: runs.MultitaskReject})
	if !errors.Is(err, langgraph.ErrUnprocessableEntity) {
		t.Errorf("Wait on a busy thread = %v, want ErrUnprocessableEntity", err)
	}
	if err := c.Runs.Cancel(ctx, tid, run.RunID, runs.CancelParams{Wait: true}); err != nil {
		t.Fatal(err)
	}
	if r, err := c.Runs.Get(ctx, tid, run.RunID); err != nil || r.Status != langgraph.StatusInterrupted {
		t.Errorf("cancelled run = %+v, %v; want interrupted", r, err)
	}
	// The thread is free again.
	res, err := c.Runs.Wait(ctx, tid, testserver.GraphAgent, runs.CreateParams{Input: humanInput("free")})
	if err != nil {
		t.Fatal(err)
	}
	if got := agentOf(t, res).contents(); len(got) == 0 || got[len(got)-1] != "You said: free" {
		t.Errorf("after cancel: %v", got)
	}

	// Rollback of a running run: the JS server keeps it, in status error,
	// and puts the thread in error.
	run, err = c.Runs.Create(ctx, tid, testserver.GraphSlow, slow)
	if err != nil {
		t.Fatal(err)
	}
	pollStatus(ctx, t, c, tid, run.RunID, langgraph.StatusRunning)
	if err := c.Runs.Cancel(ctx, tid, run.RunID, runs.CancelParams{Wait: true, Action: runs.CancelRollback}); err != nil {
		t.Fatal(err)
	}
	if r, err := c.Runs.Get(ctx, tid, run.RunID); err != nil || r.Status != langgraph.StatusError {
		t.Errorf("rolled back running run = %+v, %v; want status error", r, err)
	}

	// Delayed runs stay pending (after_seconds is honoured): interrupt marks
	// them interrupted, rollback deletes them.
	tid2 := mkThread(ctx, t, c)
	delayed := runs.CreateParams{Input: map[string]any{"steps": 1}, AfterSeconds: 600}
	run, err = c.Runs.Create(ctx, tid2, testserver.GraphSlow, delayed)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := c.Runs.Get(ctx, tid2, run.RunID); err != nil || r.Status != langgraph.StatusPending {
		t.Fatalf("delayed run = %+v, %v", r, err)
	}
	if err := c.Runs.Cancel(ctx, tid2, run.RunID, runs.CancelParams{}); err != nil {
		t.Fatal(err)
	}
	if r, err := c.Runs.Get(ctx, tid2, run.RunID); err != nil || r.Status != langgraph.StatusInterrupted {
		t.Errorf("cancelled pending run = %+v, %v; want interrupted", r, err)
	}
	run, err = c.Runs.Create(ctx, tid2, testserver.GraphSlow, delayed)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Runs.Cancel(ctx, tid2, run.RunID, runs.CancelParams{Action: runs.CancelRollback}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Runs.Get(ctx, tid2, run.RunID); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("rolled back pending run: Get = %v, want ErrNotFound", err)
	}

	// Multitask interrupt: the new run stops the running one.
	tid3 := mkThread(ctx, t, c)
	first, err := c.Runs.Create(ctx, tid3, testserver.GraphSlow, slow)
	if err != nil {
		t.Fatal(err)
	}
	pollStatus(ctx, t, c, tid3, first.RunID, langgraph.StatusRunning)
	res, err = c.Runs.Wait(ctx, tid3, testserver.GraphSlow, runs.CreateParams{Input: map[string]any{"steps": 2, "delay_ms": 1}, MultitaskStrategy: runs.MultitaskInterrupt})
	if err != nil {
		t.Fatal(err)
	}
	if jsonObject(t, res.Values)["count"] != float64(2) {
		t.Errorf("interrupting run = %s", res.Values)
	}
	if r, err := c.Runs.Get(ctx, tid3, first.RunID); err != nil || r.Status != langgraph.StatusInterrupted {
		t.Errorf("interrupted first run = %+v, %v", r, err)
	}
}

func TestIntegrationBreakpoints(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)

	// Before node "agent": the run stops with no interrupt value.
	tid := mkThread(ctx, t, c)
	res, err := c.Runs.Wait(ctx, tid, testserver.GraphAgent, runs.CreateParams{Input: humanInput("hello"), InterruptBefore: langgraph.Nodes{"agent"}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted() || len(res.Interrupts) != 0 {
		t.Errorf("breakpoint result = %+v, want interrupted without values", res)
	}
	st, err := c.Threads.GetState(ctx, tid, threads.StateParams{})
	if err != nil || !slices.Equal(st.Next, []string{"agent"}) {
		t.Fatalf("state at the breakpoint: next %v, %v", st.Next, err)
	}
	res, err = c.Runs.Wait(ctx, tid, testserver.GraphAgent, runs.CreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	if got := agentOf(t, res).contents(); !slices.Equal(got, []string{"hello", "You said: hello"}) || res.Interrupted() {
		t.Errorf("after continuing: %v", got)
	}

	// After node "child" of the subgraph graph.
	tid = mkThread(ctx, t, c)
	res, err = c.Runs.Wait(ctx, tid, testserver.GraphSubgraph, runs.CreateParams{Input: map[string]any{"trail": "start;"}, InterruptAfter: langgraph.Nodes{"child"}})
	if err != nil || !res.Interrupted() {
		t.Fatalf("interrupt_after = %+v, %v", res, err)
	}
	st, err = c.Threads.GetState(ctx, tid, threads.StateParams{})
	if err != nil || !slices.Equal(st.Next, []string{"outer"}) || jsonObject(t, st.Values)["trail"] != "start;inner;" {
		t.Errorf("after child: next %v values %s (%v)", st.Next, st.Values, err)
	}

	// Before every node ("*").
	tid = mkThread(ctx, t, c)
	res, err = c.Runs.Wait(ctx, tid, testserver.GraphSubgraph, runs.CreateParams{Input: map[string]any{"trail": "start;"}, InterruptBefore: langgraph.AllNodes()})
	if err != nil || !res.Interrupted() {
		t.Fatalf("interrupt_before * = %+v, %v", res, err)
	}
	st, err = c.Threads.GetState(ctx, tid, threads.StateParams{})
	if err != nil || !slices.Equal(st.Next, []string{"child"}) || jsonObject(t, st.Values)["trail"] != "start;" {
		t.Errorf("before *: next %v values %s (%v)", st.Next, st.Values, err)
	}
}

func TestIntegrationRunFields(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := mkThread(ctx, t, c)

	// A webhook the server calls when the run ends.
	hooks := make(chan map[string]any, 4)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		body["_method"], body["_path"] = r.Method, r.URL.Path
		hooks <- body
	}))
	defer hook.Close()

	// (Not FeedbackKeys: the JS server then calls LangSmith, which fails
	// the run offline with "TypeError: fetch failed" after about 18 s.)
	res, err := c.Runs.Wait(ctx, tid, testserver.GraphAgent, runs.CreateParams{
		Input:    humanInput("fields"),
		Metadata: map[string]any{"purpose": "test"},
		Config: &langgraph.Config{
			Tags:           []string{"tag-1"},
			RecursionLimit: 10,
			Configurable:   map[string]any{"x-flavour": "mint", "model": "small"},
		},
		Context:          map[string]any{"lang": "go"},
		Durability:       runs.DurabilityExit,
		Webhook:          hook.URL + "/hook",
		OnDisconnect:     runs.DisconnectContinue,
		StreamMode:       []runs.StreamMode{runs.StreamValues, runs.StreamUpdates},
		CheckpointDuring: new(bool),
	})
	if err != nil {
		t.Fatal(err)
	}
	st := agentOf(t, res)
	if st.Headers["x-flavour"] != "mint" || st.User["identity"] != "alice" {
		t.Errorf("the graph saw headers %v, user %v; want x-flavour=mint from the configurable", st.Headers, st.User)
	}
	run, err := c.Runs.Get(ctx, tid, res.Run.RunID)
	if err != nil {
		t.Fatal(err)
	}
	if run.Metadata["purpose"] != "test" {
		t.Errorf("run metadata = %v", run.Metadata)
	}
	var kw struct {
		Context map[string]any `json:"context"`
		Config  struct {
			Tags         []string       `json:"tags"`
			Configurable map[string]any `json:"configurable"`
		} `json:"config"`
		Webhook    string   `json:"webhook"`
		StreamMode []string `json:"stream_mode"`
	}
	if err := json.Unmarshal(run.Kwargs, &kw); err != nil {
		t.Fatal(err)
	}
	if kw.Context["lang"] != "go" || kw.Config.Configurable["model"] != "small" || !slices.Equal(kw.Config.Tags, []string{"tag-1"}) ||
		kw.Webhook != hook.URL+"/hook" || !slices.Equal(kw.StreamMode, []string{"values", "updates"}) {
		t.Errorf("kwargs = %s", run.Kwargs)
	}
	select {
	case body := <-hooks:
		if body["_method"] != "POST" || body["_path"] != "/hook" || body["run_id"] != res.Run.RunID || body["status"] != "success" {
			t.Errorf("webhook call = %v", body)
		}
		if v, _ := body["values"].(map[string]any); v == nil || v["user"] == nil {
			t.Errorf("webhook values = %v", body["values"])
		}
	case <-ctx.Done():
		t.Fatal("the webhook was not called")
	}

	// From a checkpoint: the state after the first run, by id and by object.
	if _, err := c.Runs.Wait(ctx, tid, testserver.GraphAgent, runs.CreateParams{Input: humanInput("second")}); err != nil {
		t.Fatal(err)
	}
	history, err := c.Threads.GetHistory(ctx, tid, threads.HistoryParams{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var afterFirst string
	for _, h := range history {
		var hs agentValues
		if err := h.Decode(&hs); err == nil && len(hs.Messages) == 2 && len(h.Next) == 0 {
			afterFirst = h.Checkpoint.CheckpointID
		}
	}
	if afterFirst == "" {
		t.Fatal("no checkpoint after the first run")
	}
	for name, p := range map[string]runs.CreateParams{
		"id":     {Input: humanInput("fork"), CheckpointID: afterFirst},
		"object": {Input: humanInput("fork"), Checkpoint: &langgraph.Checkpoint{CheckpointID: afterFirst}},
	} {
		res, err := c.Runs.Wait(ctx, tid, testserver.GraphAgent, p)
		if err != nil {
			t.Fatal(err)
		}
		if got := agentOf(t, res).contents(); !slices.Equal(got, []string{"fields", "You said: fields", "fork", "You said: fork"}) {
			t.Errorf("run from checkpoint %s: %v", name, got)
		}
	}

	// if_not_exists: create makes the thread, for this user.
	fresh := randomUUID(t)
	res, err = c.Runs.Wait(ctx, fresh, testserver.GraphAgent, runs.CreateParams{Input: humanInput("new"), IfNotExists: runs.IfNotExistsCreate})
	if err != nil {
		t.Fatal(err)
	}
	if res.Run.ThreadID != fresh || !slices.Equal(agentOf(t, res).contents(), []string{"new", "You said: new"}) {
		t.Errorf("if_not_exists run = %+v", res)
	}
	if th, err := c.Threads.Get(ctx, fresh); err != nil || th.Metadata["owner"] != "alice" {
		t.Errorf("created thread = %+v, %v", th, err)
	}
	_, err = c.Runs.Wait(ctx, randomUUID(t), testserver.GraphAgent, runs.CreateParams{Input: humanInput("none"), IfNotExists: runs.IfNotExistsReject})
	if !errors.Is(err, langgraph.ErrUnprocessableEntity) && !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("run on an unknown thread = %v, want 404 or 422", err)
	}

	// A LangSmith tracer is accepted (and goes nowhere: tracing is off).
	if _, err := c.Runs.WaitStateless(ctx, testserver.GraphAgent, runs.CreateParams{Input: humanInput("traced"), LangsmithTracer: &runs.LangsmithTracer{ProjectName: "p"}}); err != nil {
		t.Errorf("run with a tracer: %v", err)
	}
}

// TestIntegrationRunScoping checks that another user cannot see or touch a
// user's runs.
func TestIntegrationRunScoping(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	bob := srv.Client(t, testserver.Bob)
	tid := mkThread(ctx, t, c)
	res, err := c.Runs.Wait(ctx, tid, testserver.GraphAgent, runs.CreateParams{Input: humanInput("mine")})
	if err != nil {
		t.Fatal(err)
	}
	rid := res.Run.RunID
	if _, err := bob.Runs.Get(ctx, tid, rid); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("bob Get = %v", err)
	}
	if _, err := bob.Runs.List(ctx, tid, runs.ListParams{}); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("bob List = %v", err)
	}
	if _, err := bob.Runs.Join(ctx, tid, rid, runs.JoinParams{}); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("bob Join = %v", err)
	}
	if err := bob.Runs.Delete(ctx, tid, rid); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("bob Delete = %v", err)
	}
	if _, err := bob.Runs.Wait(ctx, tid, testserver.GraphAgent, runs.CreateParams{Input: humanInput("theirs")}); err == nil {
		t.Error("bob ran on alice's thread")
	}
	if r, err := c.Runs.Get(ctx, tid, rid); err != nil || r.Status != langgraph.StatusSuccess {
		t.Errorf("alice's run after bob = %+v, %v", r, err)
	}
	if list, err := c.Runs.List(ctx, tid, runs.ListParams{}); err != nil || len(list) != 1 {
		t.Errorf("alice's runs = %d, %v; want 1", len(list), err)
	}
}

// breakWait makes p break the next wait on path after its headers and one
// keep-alive newline, as a connection lost mid-run; with holdJoin, p
// forwards a join only once its run has ended.
func breakWait(p *faultproxy.Proxy, path string, holdJoin bool) {
	nl := "\n"
	p.Add(faultproxy.Fault{Method: http.MethodPost, Path: path, Break: true, Body: &nl})
	if holdJoin {
		p.Add(faultproxy.Fault{Method: http.MethodGet, Times: -1, Hold: func(r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/join") {
				awaitEnd(r)
			}
		}})
	}
}

// awaitEnd polls the run named by a join request until it is no longer
// pending or running.
func awaitEnd(r *http.Request) {
	runURL := srv.URL() + strings.TrimSuffix(r.URL.Path, "/join")
	for r.Context().Err() == nil {
		req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, runURL, nil)
		req.Header.Set("Authorization", r.Header.Get("Authorization"))
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			var run struct{ Status string }
			_ = json.NewDecoder(resp.Body).Decode(&run)
			resp.Body.Close()
			if run.Status != "pending" && run.Status != "running" {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitsAndJoins counts the waits and the joins p received.
func waitsAndJoins(p *faultproxy.Proxy) (waits, joins int) {
	for _, r := range p.Requests() {
		switch {
		case r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/runs/wait"):
			waits++
		case r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/join"):
			joins++
		}
	}
	return waits, joins
}

func TestIntegrationWaitReconnect(t *testing.T) {
	ctx, direct := srv.Setup(t), srv.Client(t, testserver.Alice)

	t.Run("agent", func(t *testing.T) {
		p := faultproxy.New(t, srv.URL())
		c := srv.Client(t, testserver.Alice, langgraph.WithBaseURL(p.URL))
		tid := mkThread(ctx, t, c)
		breakWait(p, "/threads/"+tid+"/runs/wait", false)
		var created []langgraph.RunRef
		res, err := c.Runs.Wait(ctx, tid, testserver.GraphAgent, runs.CreateParams{
			Input:        humanInput("hello"),
			OnRunCreated: func(m langgraph.RunRef) { created = append(created, m) },
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := agentOf(t, res).contents(); !slices.Equal(got, []string{"hello", "You said: hello"}) {
			t.Errorf("result after the reconnect = %v", got)
		}
		if waits, joins := waitsAndJoins(p); waits != 1 || joins != 1 {
			t.Errorf("proxy saw %d waits and %d joins, want 1 and 1", waits, joins)
		}
		list, err := direct.Runs.List(ctx, tid, runs.ListParams{})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || len(created) != 1 || list[0].RunID != created[0].RunID || res.Run.RunID != created[0].RunID {
			t.Errorf("runs on the thread = %d (%v), created %+v, result %+v; want exactly the one", len(list), list, created, res.Run)
		}
	})

	// The run ends before the join arrives: the interrupt and the error are
	// recovered from the thread and the run.
	t.Run("interrupt after the end", func(t *testing.T) {
		p := faultproxy.New(t, srv.URL())
		c := srv.Client(t, testserver.Alice, langgraph.WithBaseURL(p.URL))
		tid := mkThread(ctx, t, c)
		breakWait(p, "/threads/"+tid+"/runs/wait", true)
		res, err := c.Runs.Wait(ctx, tid, testserver.GraphInterrupt, runs.CreateParams{Input: map[string]any{}})
		if err != nil {
			t.Fatal(err)
		}
		var q struct{ Question string }
		if !res.Interrupted() || len(res.Interrupts) != 1 || res.Interrupts[0].Decode(&q) != nil || q.Question != "approve?" {
			t.Errorf("result after the reconnect = %+v", res)
		}
		if waits, joins := waitsAndJoins(p); waits != 1 || joins != 1 {
			t.Errorf("proxy saw %d waits and %d joins", waits, joins)
		}
		if list, err := direct.Runs.List(ctx, tid, runs.ListParams{}); err != nil || len(list) != 1 {
			t.Errorf("runs = %d, %v; want 1", len(list), err)
		}
	})
	t.Run("error after the end", func(t *testing.T) {
		p := faultproxy.New(t, srv.URL())
		c := srv.Client(t, testserver.Alice, langgraph.WithBaseURL(p.URL))
		tid := mkThread(ctx, t, c)
		breakWait(p, "/threads/"+tid+"/runs/wait", true)
		_, err := c.Runs.Wait(ctx, tid, testserver.GraphError, runs.CreateParams{Input: map[string]any{}})
		var runErr *langgraph.RunError
		if !errors.As(err, &runErr) || runErr.ThreadID != tid || runErr.RunID == "" {
			t.Errorf("Wait = %v, want a RunError of the run", err)
		}
		if list, err := direct.Runs.List(ctx, tid, runs.ListParams{}); err != nil || len(list) != 1 {
			t.Errorf("runs = %d, %v; want 1", len(list), err)
		}
	})

	// A stateless wait cannot be joined: the broken connection is an error.
	t.Run("stateless", func(t *testing.T) {
		p := faultproxy.New(t, srv.URL())
		c := srv.Client(t, testserver.Alice, langgraph.WithBaseURL(p.URL))
		breakWait(p, "/runs/wait", false)
		_, err := c.Runs.WaitStateless(ctx, testserver.GraphAgent, runs.CreateParams{Input: humanInput("x")})
		if err == nil {
			t.Fatal("a broken stateless wait succeeded")
		}
		if waits, joins := waitsAndJoins(p); waits != 1 || joins != 0 {
			t.Errorf("proxy saw %d waits and %d joins, want 1 and 0 (no second run)", waits, joins)
		}
	})
}
