package threads_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

// srv is the package's LangGraph test server; nil with -short, and then the
// integration tests skip.
var srv *testserver.Server

func TestMain(m *testing.M) { os.Exit(testserver.Main(m, &srv)) }

func newUUID(t *testing.T) string {
	t.Helper()
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func object(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, raw)
	}
	return m
}

func ids(ts []threads.Thread) []string {
	out := make([]string, len(ts))
	for i, th := range ts {
		out[i] = th.ThreadID
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}

// wantRefused fails unless err is a 404 or 409 from the server (Copy of a
// thread the caller cannot see answers 409 on the JS server).
func wantRefused(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, langgraph.ErrNotFound) && !errors.Is(err, langgraph.ErrConflict) {
		t.Errorf("%s: err = %v, want ErrNotFound or ErrConflict", what, err)
	}
}

// wantNotFound fails unless err is a 404 from the server.
func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	var apiErr *langgraph.APIError
	if !errors.Is(err, langgraph.ErrNotFound) || !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("%s: err = %v, want a 404 *langgraph.APIError matching ErrNotFound", what, err)
	}
}

func hello(text string) map[string]any {
	return map[string]any{"messages": []any{map[string]any{"role": "human", "content": text}}}
}

// agentState is the agent graph's state.
type agentState struct {
	Messages []struct {
		Type    string `json:"type"`
		Content string `json:"content"`
	} `json:"messages"`
	User    map[string]any `json:"user"`
	Headers map[string]any `json:"headers"`
}

func (s agentState) contents() []string {
	out := make([]string, len(s.Messages))
	for i, m := range s.Messages {
		out[i] = m.Content
	}
	return out
}

func TestIntegrationCreateGetUpdateDelete(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	id := newUUID(t)
	created, err := c.Threads.Create(ctx, threads.CreateParams{
		ThreadID: id,
		Metadata: map[string]any{"topic": "billing", "n": 1},
		GraphID:  testserver.GraphAgent,
	})
	if err != nil {
		t.Fatal(err)
	}
	if created.ThreadID != id || created.Status != langgraph.StatusIdle || created.CreatedAt.IsZero() || created.UpdatedAt.IsZero() {
		t.Errorf("created = %+v", created)
	}
	want := map[string]any{"topic": "billing", "n": float64(1), "graph_id": "agent", "owner": "alice"}
	if !reflect.DeepEqual(created.Metadata, want) {
		t.Errorf("metadata = %v, want %v (graph_id folded in, owner stamped by the auth handler)", created.Metadata, want)
	}

	got, err := c.Threads.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.ThreadID != id || !got.CreatedAt.Equal(created.CreatedAt) || !reflect.DeepEqual(got.Metadata, want) {
		t.Errorf("Get = %+v, want %+v", got, created)
	}

	// The same id again: do_nothing returns the existing thread untouched,
	// the default (raise) is a conflict.
	again, err := c.Threads.Create(ctx, threads.CreateParams{ThreadID: id, IfExists: langgraph.IfExistsDoNothing, Metadata: map[string]any{"topic": "other"}})
	if err != nil {
		t.Fatalf("Create(do_nothing) on an existing id: %v", err)
	}
	if again.ThreadID != id || !again.CreatedAt.Equal(created.CreatedAt) || again.Metadata["topic"] != "billing" {
		t.Errorf("Create(do_nothing) = %+v, want the existing thread", again)
	}
	_, err = c.Threads.Create(ctx, threads.CreateParams{ThreadID: id})
	var apiErr *langgraph.APIError
	if !errors.Is(err, langgraph.ErrConflict) || !errors.As(err, &apiErr) || apiErr.Message != "Thread already exists" {
		t.Errorf("Create(existing id) = %v, want 409 ErrConflict \"Thread already exists\"", err)
	}
	_, err = c.Threads.Create(ctx, threads.CreateParams{ThreadID: id, IfExists: langgraph.IfExistsRaise})
	if !errors.Is(err, langgraph.ErrConflict) {
		t.Errorf("Create(existing id, raise) = %v, want ErrConflict", err)
	}

	// Without an id the server picks one; a TTL is accepted.
	auto, err := c.Threads.Create(ctx, threads.CreateParams{TTL: 30 * time.Minute})
	if err != nil {
		t.Fatalf("Create with TTL: %v", err)
	}
	if auto.ThreadID == "" || auto.ThreadID == id || auto.Metadata["owner"] != "alice" {
		t.Errorf("Create() = %+v, want a new id owned by alice", auto)
	}

	// Update merges metadata.
	updated, err := c.Threads.Update(ctx, id, threads.UpdateParams{Metadata: map[string]any{"topic": "refund", "priority": "high"}})
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]any{"topic": "refund", "priority": "high", "n": float64(1), "graph_id": "agent", "owner": "alice"}
	if updated.ThreadID != id || !reflect.DeepEqual(updated.Metadata, want) {
		t.Errorf("Update = %+v, want metadata %v", updated, want)
	}
	if updated.UpdatedAt.Before(created.UpdatedAt) {
		t.Errorf("updated_at went back: %v < %v", updated.UpdatedAt, created.UpdatedAt)
	}
	minimal, err := c.Threads.Update(ctx, id, threads.UpdateParams{Metadata: map[string]any{"stage": 2}, ReturnMinimal: true})
	if err != nil || minimal != nil {
		t.Errorf("Update(ReturnMinimal) = %+v, %v; want nil, nil", minimal, err)
	}
	got, err = c.Threads.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Metadata["stage"] != float64(2) || got.Metadata["topic"] != "refund" || got.Metadata["owner"] != "alice" {
		t.Errorf("after a minimal update, metadata = %v", got.Metadata)
	}

	if err := c.Threads.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	_, err = c.Threads.Get(ctx, id)
	wantNotFound(t, "Get after Delete", err)
	wantNotFound(t, "Delete twice", c.Threads.Delete(ctx, id))
	_, err = c.Threads.Update(ctx, id, threads.UpdateParams{Metadata: map[string]any{"x": 1}})
	wantNotFound(t, "Update after Delete", err)
	if n, err := c.Threads.Count(ctx, threads.CountParams{}); err != nil || n != 1 {
		t.Errorf("Count after Delete = %d, %v; want 1 (the thread without id)", n, err)
	}

	// Bad ids are refused by the server, never sent as another route.
	_, err = c.Threads.Get(ctx, "not-a-uuid")
	if !errors.Is(err, langgraph.ErrBadRequest) {
		t.Errorf("Get(malformed id) = %v, want ErrBadRequest", err)
	}
	// ".." would reach the collection route above it however it is
	// escaped (the server reads %2E%2E as ".."): it is refused.
	_, err = c.Threads.Get(ctx, "..")
	if !errors.Is(err, langgraph.ErrInvalidArgument) {
		t.Errorf("Get(\"..\") = %v, want ErrInvalidArgument", err)
	}
	if _, err := c.Threads.Get(ctx, ""); err == nil {
		t.Error("Get(\"\") sent a request")
	}
}

func TestIntegrationSupersteps(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	th, err := c.Threads.Create(ctx, threads.CreateParams{
		GraphID: testserver.GraphInterrupt,
		Supersteps: []threads.Superstep{
			{Updates: []threads.StateUpdate{{Values: map[string]any{"answer": "seeded"}, AsNode: "ask"}}},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if v := object(t, th.Values); v["answer"] != "seeded" {
		t.Errorf("created thread values = %s, want answer=seeded", th.Values)
	}
	st, err := c.Threads.GetState(ctx, th.ThreadID, threads.StateParams{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.Next, []string{"finish"}) || st.Checkpoint == nil || st.Metadata["source"] != "update" {
		t.Errorf("state after the superstep as node ask = next %v, checkpoint %v, metadata %v; want next [finish]", st.Next, st.Checkpoint, st.Metadata)
	}
	// Running from there goes through "finish" only.
	res, err := c.Runs.Wait(ctx, th.ThreadID, testserver.GraphInterrupt, runs.CreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	if v := object(t, res.Values); v["answer"] != "seeded" || v["done"] != true || res.Interrupted() {
		t.Errorf("run after supersteps = %s (interrupts %v), want answer=seeded, done=true", res.Values, res.Interrupts)
	}
}

func TestIntegrationSearchAndCount(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	var all []string
	colour := map[string]string{}
	for i := range 6 {
		col := []string{"red", "blue"}[i%2]
		th, err := c.Threads.Create(ctx, threads.CreateParams{Metadata: map[string]any{"colour": col, "i": i}})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, th.ThreadID)
		colour[th.ThreadID] = col
	}
	// One thread stops at an interrupt, another one finishes with values.
	interrupted, finished := all[0], all[1]
	if res, err := c.Runs.Wait(ctx, interrupted, testserver.GraphInterrupt, runs.CreateParams{Input: map[string]any{}}); err != nil || !res.Interrupted() {
		t.Fatalf("interrupt run = %+v, %v", res, err)
	}
	if _, err := c.Runs.Wait(ctx, finished, testserver.GraphInterrupt, runs.CreateParams{Input: map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	if res, err := c.Runs.Wait(ctx, finished, testserver.GraphInterrupt, runs.CreateParams{Command: &langgraph.Command{Resume: "ok"}}); err != nil || res.Interrupted() {
		t.Fatalf("resume = %+v, %v", res, err)
	}

	page, err := c.Threads.Search(ctx, threads.SearchParams{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sorted(ids(page)), sorted(all)) {
		t.Errorf("Search() = %v, want %v", ids(page), all)
	}
	for _, th := range page {
		if th.Metadata["owner"] != "alice" {
			t.Errorf("thread %s metadata = %v, want owner alice", th.ThreadID, th.Metadata)
		}
	}

	red, err := c.Threads.Search(ctx, threads.SearchParams{Metadata: map[string]any{"colour": "red"}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(red) != 3 {
		t.Errorf("Search(colour=red) = %d threads, want 3", len(red))
	}
	for _, th := range red {
		if colour[th.ThreadID] != "red" {
			t.Errorf("Search(colour=red) returned %s (%s)", th.ThreadID, colour[th.ThreadID])
		}
	}

	byStatus, err := c.Threads.Search(ctx, threads.SearchParams{Status: langgraph.StatusInterrupted})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(byStatus), []string{interrupted}) || byStatus[0].Status != langgraph.StatusInterrupted {
		t.Errorf("Search(status interrupted) = %v, want [%s]", ids(byStatus), interrupted)
	}
	if len(byStatus) == 1 {
		ints := byStatus[0].Interrupts
		if len(ints) != 1 {
			t.Errorf("interrupted thread's interrupts = %v, want one task", ints)
		}
		for _, list := range ints {
			var q map[string]string
			if len(list) != 1 || list[0].Decode(&q) != nil || q["question"] != "approve?" {
				t.Errorf("interrupts = %+v", list)
			}
		}
	}

	// The JS server's values filter lets threads that never ran through
	// (they have no values at all), so look among the two that ran.
	byValues, err := c.Threads.Search(ctx, threads.SearchParams{IDs: []string{interrupted, finished}, Values: map[string]any{"answer": "ok", "done": true}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(byValues), []string{finished}) {
		t.Errorf("Search(values answer=ok) = %v, want [%s]", ids(byValues), finished)
	}
	if len(byValues) == 1 && object(t, byValues[0].Values)["done"] != true {
		t.Errorf("values = %s", byValues[0].Values)
	}

	byIDs, err := c.Threads.Search(ctx, threads.SearchParams{IDs: all[2:4]})
	if err != nil || !slices.Equal(sorted(ids(byIDs)), sorted(all[2:4])) {
		t.Errorf("Search(ids) = %v, %v; want %v", ids(byIDs), err, all[2:4])
	}

	// Sorting and paging: by thread id, both ways, two by two.
	asc := sorted(all)
	var paged []string
	for off := 0; off < len(all); off += 2 {
		p, err := c.Threads.Search(ctx, threads.SearchParams{SortBy: threads.SortByThreadID, SortOrder: langgraph.Asc, Limit: 2, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		if len(p) != 2 {
			t.Fatalf("page at offset %d has %d threads, want 2", off, len(p))
		}
		paged = append(paged, ids(p)...)
	}
	if !slices.Equal(paged, asc) {
		t.Errorf("pages sorted by thread_id asc = %v, want %v", paged, asc)
	}
	desc, err := c.Threads.Search(ctx, threads.SearchParams{SortBy: threads.SortByThreadID, SortOrder: langgraph.Desc, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if want := slices.Clone(asc); !slices.Equal(ids(desc), func() []string { slices.Reverse(want); return want }()) {
		t.Errorf("sorted by thread_id desc = %v", ids(desc))
	}
	beyond, err := c.Threads.Search(ctx, threads.SearchParams{Offset: len(all)})
	if err != nil || len(beyond) != 0 {
		t.Errorf("Search past the end = %v, %v; want none", ids(beyond), err)
	}

	// Select limits the fields.
	selected, err := c.Threads.Search(ctx, threads.SearchParams{IDs: []string{finished}, Select: []string{"thread_id", "metadata"}})
	if err != nil || len(selected) != 1 {
		t.Fatalf("Search(select) = %+v, %v", selected, err)
	}
	if s := selected[0]; s.ThreadID != finished || s.Metadata["owner"] != "alice" || s.Status != "" || s.Values != nil || !s.CreatedAt.IsZero() {
		t.Errorf("Search(select thread_id, metadata) = %+v, want only those fields", s)
	}

	for _, tc := range []struct {
		p    threads.CountParams
		want int
	}{
		{threads.CountParams{}, 6},
		{threads.CountParams{Metadata: map[string]any{"colour": "blue"}}, 3},
		{threads.CountParams{Metadata: map[string]any{"colour": "green"}}, 0},
		{threads.CountParams{Status: langgraph.StatusInterrupted}, 1},
		{threads.CountParams{Status: langgraph.StatusIdle}, 5},
		// Values: the 4 threads that never ran match any values (JS server).
		{threads.CountParams{Values: map[string]any{"answer": "ok"}}, 4 + 1},
		{threads.CountParams{Values: map[string]any{"answer": "no"}}, 4},
	} {
		n, err := c.Threads.Count(ctx, tc.p)
		if err != nil || n != tc.want {
			t.Errorf("Count(%+v) = %d, %v; want %d", tc.p, n, err, tc.want)
		}
	}
}

func TestIntegrationSearchAll(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	const n = 23 // more than two pages of 10
	var want []string
	for i := range n {
		th, err := c.Threads.Create(ctx, threads.CreateParams{Metadata: map[string]any{"batch": "all", "i": i}})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, th.ThreadID)
	}
	if _, err := c.Threads.Create(ctx, threads.CreateParams{Metadata: map[string]any{"batch": "other"}}); err != nil {
		t.Fatal(err)
	}

	var got []string
	for th, err := range c.Threads.SearchAll(ctx, threads.SearchParams{Metadata: map[string]any{"batch": "all"}, SortBy: threads.SortByThreadID, SortOrder: langgraph.Asc}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, th.ThreadID)
	}
	if !slices.Equal(got, sorted(want)) {
		t.Errorf("SearchAll = %d threads %v, want %d sorted %v", len(got), got, n, sorted(want))
	}

	// Exact multiple of the page size, and a start offset.
	got = got[:0]
	for th, err := range c.Threads.SearchAll(ctx, threads.SearchParams{Metadata: map[string]any{"batch": "all"}, Limit: 5, Offset: 3, SortBy: threads.SortByThreadID, SortOrder: langgraph.Asc}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, th.ThreadID)
	}
	if !slices.Equal(got, sorted(want)[3:]) {
		t.Errorf("SearchAll(limit 5, offset 3) = %v, want %v", got, sorted(want)[3:])
	}

	// Stopping early.
	count := 0
	for _, err := range c.Threads.SearchAll(ctx, threads.SearchParams{Limit: 4}) {
		if err != nil {
			t.Fatal(err)
		}
		count++
		if count == 6 {
			break
		}
	}
	if count != 6 {
		t.Errorf("stopped after %d threads, want 6", count)
	}

	// An error is yielded once and ends the sequence.
	errs := 0
	for _, err := range c.Threads.SearchAll(ctx, threads.SearchParams{Limit: 5000}) {
		if err == nil {
			t.Fatal("a limit above the server's maximum yielded a thread")
		}
		if !errors.Is(err, langgraph.ErrBadRequest) {
			t.Errorf("SearchAll(limit 5000) error = %v, want ErrBadRequest", err)
		}
		errs++
	}
	if errs != 1 {
		t.Errorf("SearchAll yielded %d errors, want 1", errs)
	}
}

// runAgent creates a thread for the agent graph and runs it once with text.
func runAgent(ctx context.Context, t *testing.T, c *client.Client, text string) string {
	t.Helper()
	th, err := c.Threads.Create(ctx, threads.CreateParams{GraphID: testserver.GraphAgent})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Runs.Wait(ctx, th.ThreadID, testserver.GraphAgent, runs.CreateParams{Input: hello(text)}); err != nil {
		t.Fatal(err)
	}
	return th.ThreadID
}

func TestIntegrationCopy(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	src := runAgent(ctx, t, c, "copy me")
	cp, err := c.Threads.Copy(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if cp.ThreadID == "" || cp.ThreadID == src || cp.Metadata["owner"] != "alice" || cp.Metadata["graph_id"] != "agent" {
		t.Errorf("copy = %+v", cp)
	}
	a, err := c.Threads.GetState(ctx, src, threads.StateParams{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Threads.GetState(ctx, cp.ThreadID, threads.StateParams{})
	if err != nil {
		t.Fatal(err)
	}
	var sa, sb agentState
	if err := a.Decode(&sa); err != nil {
		t.Fatal(err)
	}
	if err := b.Decode(&sb); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sb.contents(), []string{"copy me", "You said: copy me"}) || !slices.Equal(sa.contents(), sb.contents()) {
		t.Errorf("copy's messages = %v, source's %v", sb.contents(), sa.contents())
	}
	if b.Checkpoint == nil || b.Checkpoint.ThreadID != cp.ThreadID {
		t.Errorf("copy's checkpoint = %+v, want one of the copy", b.Checkpoint)
	}
	ha, err := c.Threads.GetHistory(ctx, src, threads.HistoryParams{})
	if err != nil {
		t.Fatal(err)
	}
	hb, err := c.Threads.GetHistory(ctx, cp.ThreadID, threads.HistoryParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(ha) == 0 || len(ha) != len(hb) {
		t.Errorf("history lengths: source %d, copy %d", len(ha), len(hb))
	}
	// The copy is a thread of its own: running it leaves the source alone.
	if _, err := c.Runs.Wait(ctx, cp.ThreadID, testserver.GraphAgent, runs.CreateParams{Input: hello("only the copy")}); err != nil {
		t.Fatal(err)
	}
	a2, err := c.Threads.GetState(ctx, src, threads.StateParams{})
	if err != nil {
		t.Fatal(err)
	}
	if string(a2.Values) != string(a.Values) {
		t.Errorf("running the copy changed the source: %s", a2.Values)
	}
	// The JS server answers 409 "Thread not found" here.
	_, err = c.Threads.Copy(ctx, newUUID(t))
	wantRefused(t, "Copy(unknown)", err)
}

func TestIntegrationGetState(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)

	// A thread that never ran.
	empty, err := c.Threads.Create(ctx, threads.CreateParams{GraphID: testserver.GraphAgent})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Threads.GetState(ctx, empty.ThreadID, threads.StateParams{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Checkpoint != nil || !st.CreatedAt.IsZero() || len(st.Next) != 0 || len(st.Tasks) != 0 || string(st.Values) != "{}" {
		t.Errorf("state of a new thread = %+v", st)
	}

	// The subgraph graph: latest state, then the state at the checkpoint
	// before node "child", by id, by object, with the subgraph's state.
	th, err := c.Threads.Create(ctx, threads.CreateParams{GraphID: testserver.GraphSubgraph})
	if err != nil {
		t.Fatal(err)
	}
	tid := th.ThreadID
	res, err := c.Runs.Wait(ctx, tid, testserver.GraphSubgraph, runs.CreateParams{Input: map[string]any{"trail": "start;"}})
	if err != nil {
		t.Fatal(err)
	}
	if v := object(t, res.Values); v["trail"] != "start;inner;outer;" {
		t.Fatalf("subgraph run = %s", res.Values)
	}
	latest, err := c.Threads.GetState(ctx, tid, threads.StateParams{})
	if err != nil {
		t.Fatal(err)
	}
	if object(t, latest.Values)["trail"] != "start;inner;outer;" || len(latest.Next) != 0 || latest.Checkpoint == nil ||
		latest.Checkpoint.ThreadID != tid || latest.Checkpoint.CheckpointID == "" || latest.ParentCheckpoint == nil || latest.CreatedAt.IsZero() {
		t.Errorf("latest state = %+v", latest)
	}
	if latest.Metadata["source"] != "loop" || latest.Metadata["step"] != float64(2) {
		t.Errorf("latest metadata source/step = %v/%v, want loop/2", latest.Metadata["source"], latest.Metadata["step"])
	}

	history, err := c.Threads.GetHistory(ctx, tid, threads.HistoryParams{})
	if err != nil {
		t.Fatal(err)
	}
	var beforeChild *threads.State
	for i := range history {
		if slices.Equal(history[i].Next, []string{"child"}) {
			beforeChild = &history[i]
		}
	}
	if beforeChild == nil {
		t.Fatalf("no checkpoint before node child in %d states", len(history))
	}
	cpID := beforeChild.Checkpoint.CheckpointID

	byID, err := c.Threads.GetState(ctx, tid, threads.StateParams{CheckpointID: cpID})
	if err != nil {
		t.Fatal(err)
	}
	if byID.Checkpoint == nil || byID.Checkpoint.CheckpointID != cpID || object(t, byID.Values)["trail"] != "start;" || !slices.Equal(byID.Next, []string{"child"}) {
		t.Errorf("state at %s = %+v", cpID, byID)
	}
	if len(byID.Tasks) != 1 || byID.Tasks[0].Name != "child" {
		t.Fatalf("tasks = %+v, want the child task", byID.Tasks)
	}
	if _, ok := byID.Tasks[0].Subgraph(); ok {
		t.Error("Subgraph() reported a state without Subgraphs")
	}
	childNS := byID.Tasks[0].Checkpoint
	if childNS == nil || childNS.CheckpointNS != "child:"+byID.Tasks[0].ID {
		t.Errorf("child task checkpoint = %+v, want namespace child:<task id>", childNS)
	}

	byObject, err := c.Threads.GetState(ctx, tid, threads.StateParams{Checkpoint: &langgraph.Checkpoint{CheckpointID: cpID}})
	if err != nil {
		t.Fatalf("GetState(checkpoint object): %v", err)
	}
	if byObject.Checkpoint == nil || byObject.Checkpoint.CheckpointID != cpID || string(byObject.Values) != string(byID.Values) {
		t.Errorf("state at checkpoint object = %+v, want %+v", byObject, byID)
	}

	for name, p := range map[string]threads.StateParams{
		"id":     {CheckpointID: cpID, Subgraphs: true},
		"object": {Checkpoint: &langgraph.Checkpoint{ThreadID: tid, CheckpointID: cpID}, Subgraphs: true},
	} {
		sub, err := c.Threads.GetState(ctx, tid, p)
		if err != nil {
			t.Fatalf("GetState(%s, subgraphs): %v", name, err)
		}
		if len(sub.Tasks) != 1 {
			t.Fatalf("GetState(%s, subgraphs) tasks = %+v", name, sub.Tasks)
		}
		inner, ok := sub.Tasks[0].Subgraph()
		if !ok {
			t.Fatalf("GetState(%s, subgraphs): no subgraph state in %s", name, sub.Tasks[0].State)
		}
		if object(t, inner.Values)["trail"] != "start;inner;" || inner.Checkpoint == nil || inner.Checkpoint.CheckpointNS != childNS.CheckpointNS {
			t.Errorf("GetState(%s, subgraphs) subgraph state = values %s, checkpoint %+v", name, inner.Values, inner.Checkpoint)
		}
	}

	// The subgraph's own latest state, through its namespace.
	nested, err := c.Threads.GetState(ctx, tid, threads.StateParams{Checkpoint: &langgraph.Checkpoint{CheckpointNS: childNS.CheckpointNS}})
	if err != nil {
		t.Fatalf("GetState(subgraph namespace): %v", err)
	}
	if object(t, nested.Values)["trail"] != "start;inner;" || nested.Checkpoint == nil || nested.Checkpoint.CheckpointNS != childNS.CheckpointNS {
		t.Errorf("subgraph state = %s at %+v", nested.Values, nested.Checkpoint)
	}

	// The subgraph's history, through the same namespace.
	subHistory, err := c.Threads.GetHistory(ctx, tid, threads.HistoryParams{Checkpoint: &langgraph.Checkpoint{CheckpointNS: childNS.CheckpointNS}})
	if err != nil {
		t.Fatalf("GetHistory(subgraph namespace): %v", err)
	}
	if len(subHistory) == 0 || subHistory[0].Checkpoint.CheckpointID != nested.Checkpoint.CheckpointID {
		t.Errorf("subgraph history = %d states, want the subgraph's latest first", len(subHistory))
	}
	for _, s := range subHistory {
		if s.Checkpoint.CheckpointNS != childNS.CheckpointNS {
			t.Errorf("subgraph history state in namespace %q", s.Checkpoint.CheckpointNS)
		}
	}

	// An interrupted thread: the interrupts of its tasks.
	ith, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Runs.Wait(ctx, ith.ThreadID, testserver.GraphInterrupt, runs.CreateParams{Input: map[string]any{}}); err != nil {
		t.Fatal(err)
	}
	ist, err := c.Threads.GetState(ctx, ith.ThreadID, threads.StateParams{})
	if err != nil {
		t.Fatal(err)
	}
	var q struct{ Question string }
	if len(ist.Interrupts) != 1 || ist.Interrupts[0].Decode(&q) != nil || q.Question != "approve?" || ist.Interrupts[0].ID == "" {
		t.Errorf("interrupts = %+v, want one asking approve?", ist.Interrupts)
	}
	if len(ist.Tasks) != 1 || ist.Tasks[0].Name != "ask" || len(ist.Tasks[0].Interrupts) != 1 {
		t.Errorf("tasks = %+v, want task ask with its interrupt", ist.Tasks)
	}

	_, err = c.Threads.GetState(ctx, newUUID(t), threads.StateParams{})
	wantNotFound(t, "GetState(unknown thread)", err)
}

func TestIntegrationUpdateState(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	th, err := c.Threads.Create(ctx, threads.CreateParams{GraphID: testserver.GraphSubgraph})
	if err != nil {
		t.Fatal(err)
	}
	tid := th.ThreadID
	if _, err := c.Runs.Wait(ctx, tid, testserver.GraphSubgraph, runs.CreateParams{Input: map[string]any{"trail": "start;"}}); err != nil {
		t.Fatal(err)
	}
	before, err := c.Threads.GetState(ctx, tid, threads.StateParams{})
	if err != nil {
		t.Fatal(err)
	}

	// As node "child": "outer" runs next.
	up, err := c.Threads.UpdateState(ctx, tid, threads.UpdateStateParams{Values: map[string]any{"trail": "edited;"}, AsNode: "child"})
	if err != nil {
		t.Fatal(err)
	}
	if up.Checkpoint.CheckpointID == "" || up.Checkpoint.ThreadID != tid || up.Checkpoint.CheckpointID == before.Checkpoint.CheckpointID {
		t.Errorf("UpdateState checkpoint = %+v", up.Checkpoint)
	}
	st, err := c.Threads.GetState(ctx, tid, threads.StateParams{})
	if err != nil {
		t.Fatal(err)
	}
	if st.Checkpoint.CheckpointID != up.Checkpoint.CheckpointID || object(t, st.Values)["trail"] != "edited;" || !slices.Equal(st.Next, []string{"outer"}) {
		t.Errorf("state after update = values %s, next %v, checkpoint %+v", st.Values, st.Next, st.Checkpoint)
	}
	if st.Metadata["source"] != "update" || st.ParentCheckpoint == nil || st.ParentCheckpoint.CheckpointID != before.Checkpoint.CheckpointID {
		t.Errorf("update's metadata %v, parent %+v", st.Metadata, st.ParentCheckpoint)
	}
	// Continuing runs "outer" on the edited state.
	res, err := c.Runs.Wait(ctx, tid, testserver.GraphSubgraph, runs.CreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	if v := object(t, res.Values); v["trail"] != "edited;outer;" {
		t.Errorf("run after the update = %s, want trail edited;outer;", res.Values)
	}

	// From an older checkpoint (by id, then by object): a fork whose parent
	// is that checkpoint.
	history, err := c.Threads.GetHistory(ctx, tid, threads.HistoryParams{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var first *threads.State // the state before node child
	for i := range history {
		if slices.Equal(history[i].Next, []string{"child"}) {
			first = &history[i]
		}
	}
	if first == nil {
		t.Fatal("no state before child")
	}
	for name, p := range map[string]threads.UpdateStateParams{
		"id":     {Values: map[string]any{"trail": "fork-id;"}, CheckpointID: first.Checkpoint.CheckpointID},
		"object": {Values: map[string]any{"trail": "fork-object;"}, Checkpoint: &langgraph.Checkpoint{CheckpointID: first.Checkpoint.CheckpointID}},
	} {
		fork, err := c.Threads.UpdateState(ctx, tid, p)
		if err != nil {
			t.Fatalf("UpdateState from a checkpoint %s: %v", name, err)
		}
		fst, err := c.Threads.GetState(ctx, tid, threads.StateParams{CheckpointID: fork.Checkpoint.CheckpointID})
		if err != nil {
			t.Fatal(err)
		}
		want := p.Values.(map[string]any)["trail"]
		if object(t, fst.Values)["trail"] != want || fst.ParentCheckpoint == nil || fst.ParentCheckpoint.CheckpointID != first.Checkpoint.CheckpointID {
			t.Errorf("fork by %s = values %s, parent %+v; want trail %v, parent %s", name, fst.Values, fst.ParentCheckpoint, want, first.Checkpoint.CheckpointID)
		}
		latest, err := c.Threads.GetState(ctx, tid, threads.StateParams{})
		if err != nil {
			t.Fatal(err)
		}
		if latest.Checkpoint.CheckpointID != fork.Checkpoint.CheckpointID {
			t.Errorf("latest checkpoint %s, want the fork %s", latest.Checkpoint.CheckpointID, fork.Checkpoint.CheckpointID)
		}
	}

	// Nil values are sent as null (no change, a new checkpoint).
	same, err := c.Threads.UpdateState(ctx, tid, threads.UpdateStateParams{})
	if err != nil {
		t.Fatalf("UpdateState(nil values): %v", err)
	}
	if same.Checkpoint.CheckpointID == "" {
		t.Error("UpdateState(nil values) gave no checkpoint")
	}

	_, err = c.Threads.UpdateState(ctx, newUUID(t), threads.UpdateStateParams{Values: map[string]any{"trail": "x"}})
	wantNotFound(t, "UpdateState(unknown thread)", err)
}

func TestIntegrationHistory(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := runAgent(ctx, t, c, "one")
	if _, err := c.Runs.Wait(ctx, tid, testserver.GraphAgent, runs.CreateParams{Input: hello("two")}); err != nil {
		t.Fatal(err)
	}
	all, err := c.Threads.GetHistory(ctx, tid, threads.HistoryParams{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	// Two runs of input, agent: (input, loop, loop) each.
	if len(all) != 6 {
		t.Fatalf("history has %d states, want 6", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].Checkpoint == nil || all[i-1].ParentCheckpoint == nil || all[i-1].ParentCheckpoint.CheckpointID != all[i].Checkpoint.CheckpointID {
			t.Errorf("history[%d] is not the parent of history[%d]", i, i-1)
		}
	}
	var last agentState
	if err := all[0].Decode(&last); err != nil || len(last.Messages) != 4 {
		t.Errorf("newest state has %d messages (%v), want 4", len(last.Messages), err)
	}

	def, err := c.Threads.GetHistory(ctx, tid, threads.HistoryParams{Limit: 2})
	if err != nil || len(def) != 2 || def[0].Checkpoint.CheckpointID != all[0].Checkpoint.CheckpointID {
		t.Errorf("GetHistory(limit 2) = %d states, %v", len(def), err)
	}

	older, err := c.Threads.GetHistory(ctx, tid, threads.HistoryParams{Before: all[2].Checkpoint, Limit: 100})
	if err != nil {
		t.Fatalf("GetHistory(before): %v", err)
	}
	if len(older) != 3 || older[0].Checkpoint.CheckpointID != all[3].Checkpoint.CheckpointID {
		t.Errorf("GetHistory(before history[2]) = %d states, want the 3 older ones", len(older))
	}

	// GetHistoryAll walks every page with the before cursor, whatever the
	// page size: 6 is a multiple of 2 and 3, not of 4 or 5.
	for _, limit := range []int{0, 1, 2, 3, 4, 5, 6, 7} {
		var walked []string
		for st, err := range c.Threads.GetHistoryAll(ctx, tid, threads.HistoryParams{Limit: limit}) {
			if err != nil {
				t.Fatalf("GetHistoryAll(limit %d): %v", limit, err)
			}
			walked = append(walked, st.Checkpoint.CheckpointID)
		}
		var want []string
		for _, st := range all {
			want = append(want, st.Checkpoint.CheckpointID)
		}
		if !slices.Equal(walked, want) {
			t.Errorf("GetHistoryAll(limit %d) = %d states, want the %d of the history in order", limit, len(walked), len(want))
		}
	}
	n := 0
	for st, err := range c.Threads.GetHistoryAll(ctx, tid, threads.HistoryParams{Limit: 2, Before: all[1].Checkpoint}) {
		if err != nil || st.Checkpoint.CheckpointID != all[2+n].Checkpoint.CheckpointID {
			t.Fatalf("GetHistoryAll(before history[1]) state %d = %v, %v", n, st.Checkpoint, err)
		}
		n++
	}
	if n != 4 {
		t.Errorf("GetHistoryAll(before history[1]) = %d states, want 4", n)
	}

	inputs, err := c.Threads.GetHistory(ctx, tid, threads.HistoryParams{Metadata: map[string]any{"source": "input"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) != 2 {
		t.Errorf("GetHistory(source=input) = %d states, want 2", len(inputs))
	}
	for _, s := range inputs {
		if s.Metadata["source"] != "input" {
			t.Errorf("filtered state has metadata %v", s.Metadata)
		}
	}

	// A checkpoint id selects that one state.
	at, err := c.Threads.GetHistory(ctx, tid, threads.HistoryParams{Checkpoint: &langgraph.Checkpoint{CheckpointID: all[3].Checkpoint.CheckpointID}, Limit: 100})
	if err != nil {
		t.Fatalf("GetHistory(checkpoint): %v", err)
	}
	if len(at) != 1 || at[0].Checkpoint.CheckpointID != all[3].Checkpoint.CheckpointID {
		t.Errorf("GetHistory(checkpoint history[3]) = %d states, want that one", len(at))
	}

	none, err := c.Threads.GetHistory(ctx, newAgentThread(ctx, t, c), threads.HistoryParams{})
	if err != nil || len(none) != 0 {
		t.Errorf("history of a thread that never ran = %d states, %v", len(none), err)
	}
	_, err = c.Threads.GetHistory(ctx, newUUID(t), threads.HistoryParams{})
	wantNotFound(t, "GetHistory(unknown thread)", err)
}

func newAgentThread(ctx context.Context, t *testing.T, c *client.Client) string {
	t.Helper()
	th, err := c.Threads.Create(ctx, threads.CreateParams{GraphID: testserver.GraphAgent})
	if err != nil {
		t.Fatal(err)
	}
	return th.ThreadID
}

// TestIntegrationScoping checks that threads belong to the user who created
// them, for Bearer and x-api-key users alike.
func TestIntegrationScoping(t *testing.T) {
	srv.Setup(t)
	for _, pair := range [][2]testserver.User{{testserver.Alice, testserver.Bob}, {testserver.Carol, testserver.Dave}, {testserver.Alice, testserver.Carol}} {
		owner, other := pair[0], pair[1]
		t.Run(owner.Identity+"/"+other.Identity, func(t *testing.T) {
			ctx := srv.Setup(t)
			oc, xc := srv.Client(t, owner), srv.Client(t, other)
			var mine []string
			for i := range 3 {
				th, err := oc.Threads.Create(ctx, threads.CreateParams{Metadata: map[string]any{"i": i, "shared": "tag"}, GraphID: testserver.GraphAgent})
				if err != nil {
					t.Fatal(err)
				}
				if th.Metadata["owner"] != owner.Identity {
					t.Errorf("owner = %v, want %s", th.Metadata["owner"], owner.Identity)
				}
				mine = append(mine, th.ThreadID)
			}
			res, err := oc.Runs.Wait(ctx, mine[0], testserver.GraphAgent, runs.CreateParams{Input: hello("private")})
			if err != nil {
				t.Fatal(err)
			}
			var st agentState
			if err := res.Decode(&st); err != nil || st.User["identity"] != owner.Identity {
				t.Errorf("run's user = %v (%v), want %s", st.User, err, owner.Identity)
			}
			theirs, err := xc.Threads.Create(ctx, threads.CreateParams{Metadata: map[string]any{"shared": "tag"}})
			if err != nil {
				t.Fatal(err)
			}

			found, err := oc.Threads.Search(ctx, threads.SearchParams{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(sorted(ids(found)), sorted(mine)) {
				t.Errorf("%s's Search = %v, want only %v", owner.Identity, ids(found), mine)
			}
			found, err = xc.Threads.Search(ctx, threads.SearchParams{Metadata: map[string]any{"shared": "tag"}, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(found), []string{theirs.ThreadID}) {
				t.Errorf("%s's Search = %v, want only their own %s", other.Identity, ids(found), theirs.ThreadID)
			}
			found, err = xc.Threads.Search(ctx, threads.SearchParams{IDs: mine})
			if err != nil || len(found) != 0 {
				t.Errorf("%s's Search(ids of %s) = %v, %v; want none", other.Identity, owner.Identity, ids(found), err)
			}
			found, err = xc.Threads.Search(ctx, threads.SearchParams{Metadata: map[string]any{"owner": owner.Identity}})
			if err != nil || len(found) != 0 {
				t.Errorf("%s's Search(owner %s) = %v, %v; want none", other.Identity, owner.Identity, ids(found), err)
			}
			n, err := xc.Threads.Count(ctx, threads.CountParams{Metadata: map[string]any{"i": 0}})
			if err != nil || n != 0 {
				t.Errorf("%s's Count(i=0) = %d, %v; want 0", other.Identity, n, err)
			}
			if n, err := oc.Threads.Count(ctx, threads.CountParams{}); err != nil || n != 3 {
				t.Errorf("%s's Count = %d, %v; want 3", owner.Identity, n, err)
			}

			id := mine[0]
			_, err = xc.Threads.Get(ctx, id)
			wantNotFound(t, "Get", err)
			_, err = xc.Threads.Update(ctx, id, threads.UpdateParams{Metadata: map[string]any{"stolen": true}})
			wantNotFound(t, "Update", err)
			_, err = xc.Threads.GetState(ctx, id, threads.StateParams{})
			wantNotFound(t, "GetState", err)
			_, err = xc.Threads.UpdateState(ctx, id, threads.UpdateStateParams{Values: map[string]any{"user": nil}})
			wantNotFound(t, "UpdateState", err)
			_, err = xc.Threads.GetHistory(ctx, id, threads.HistoryParams{})
			wantNotFound(t, "GetHistory", err)
			_, err = xc.Threads.Copy(ctx, id)
			wantRefused(t, "Copy", err)
			wantNotFound(t, "Delete", xc.Threads.Delete(ctx, id))
			_, err = xc.Threads.Create(ctx, threads.CreateParams{ThreadID: id, IfExists: langgraph.IfExistsDoNothing})
			if !errors.Is(err, langgraph.ErrConflict) {
				t.Errorf("Create(taken id, do_nothing) by another user = %v, want ErrConflict", err)
			}

			// Nothing changed for the owner.
			got, err := oc.Threads.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if _, stolen := got.Metadata["stolen"]; stolen || got.Metadata["owner"] != owner.Identity {
				t.Errorf("owner's thread metadata = %v", got.Metadata)
			}
			ost, err := oc.Threads.GetState(ctx, id, threads.StateParams{})
			if err != nil {
				t.Fatal(err)
			}
			var after agentState
			if err := ost.Decode(&after); err != nil || after.User["identity"] != owner.Identity || len(after.Messages) != 2 {
				t.Errorf("owner's state = %s (%v)", ost.Values, err)
			}
		})
	}
}
