package remotegraph_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/remotegraph"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

// srv is the package's LangGraph test server; nil with -short or when
// LANGGRAPH_SKIP_INTEGRATION=1, and then the integration tests skip.
var srv *testserver.Server

// TestMain starts the package's test server (the only TestMain of package
// remotegraph_test).
func TestMain(m *testing.M) { os.Exit(testserver.Main(m, &srv)) }

// newGraph returns a RemoteGraph of the test server with no credentials of
// its own (and none from the environment): each call brings its user's.
func newGraph(t *testing.T, graph string, p remotegraph.Params) *remotegraph.RemoteGraph {
	t.Helper()
	g, err := remotegraph.New(srv.Client(t, testserver.User{}), graph, p)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// as returns ctx carrying u's credentials.
func as(ctx context.Context, u testserver.User) context.Context {
	return langgraph.ContextWithOptions(ctx, u.Option())
}

func say(text string) map[string]any {
	return map[string]any{"messages": []any{map[string]any{"role": "human", "content": text}}}
}

// agentState is the agent graph's state.
type agentState struct {
	Messages []struct {
		Type    string `json:"type"`
		Content string `json:"content"`
	} `json:"messages"`
	User *struct {
		Identity string `json:"identity"`
		Org      string `json:"org"`
	} `json:"user"`
	Headers map[string]any `json:"headers"`
}

func (s agentState) last() string {
	if len(s.Messages) == 0 {
		return ""
	}
	return s.Messages[len(s.Messages)-1].Content
}

func (s agentState) identity() string {
	if s.User == nil {
		return ""
	}
	return s.User.Identity
}

func decodeAgent(t *testing.T, raw json.RawMessage) agentState {
	t.Helper()
	var s agentState
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("agent state %s: %v", raw, err)
	}
	return s
}

// threadID returns a fresh thread id (the JS server wants UUIDs).
func threadID(n int) string { return fmt.Sprintf("7a1d3c4e-0000-4000-8000-%012d", n) }

func TestIntegrationInvokeStateless(t *testing.T) {
	ctx := srv.Setup(t)
	g := newGraph(t, testserver.GraphAgent, remotegraph.Params{})
	res, err := g.Invoke(as(ctx, testserver.Alice), say("hello"), remotegraph.RunParams{})
	if err != nil {
		t.Fatal(err)
	}
	st := decodeAgent(t, res.Values)
	if st.last() != "You said: hello" || st.identity() != "alice" || res.Interrupted() {
		t.Errorf("Invoke = %s, want the echo, alice and no interrupt", res.Values)
	}
	// Stateless: no thread left behind for alice.
	n, err := g.Client().Threads.Count(as(ctx, testserver.Alice), threads.CountParams{})
	if err != nil || n != 0 {
		t.Errorf("alice has %d threads (%v) after a stateless invoke, want 0", n, err)
	}
}

// The thread id leaves configurable and names the remote thread, which is
// created on demand; checkpoint keys are not sent.
func TestIntegrationInvokeThreadSanitising(t *testing.T) {
	ctx := srv.Setup(t)
	alice := as(ctx, testserver.Alice)
	tid := threadID(1)
	g := newGraph(t, testserver.GraphAgent, remotegraph.Params{Config: &langgraph.Config{Tags: []string{"default"}}})
	cfg := &langgraph.Config{
		Tags: []string{"call"},
		Configurable: map[string]any{
			"thread_id": tid, "checkpoint_id": "not-a-checkpoint", "checkpoint_ns": "caller:1",
			"checkpoint_map": map[string]any{"x": "y"}, "__pregel_task_id": "task", "x-tenant": "t1", "fn": func() {},
		},
	}
	res, err := g.Invoke(alice, say("one"), remotegraph.RunParams{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if res.Run.ThreadID != tid {
		t.Errorf("run thread = %q, want %q", res.Run.ThreadID, tid)
	}
	st := decodeAgent(t, res.Values)
	if st.Headers["x-tenant"] != "t1" {
		t.Errorf("the graph saw configurable %v, want x-tenant=t1", st.Headers)
	}
	// The same thread again: the state accumulates.
	res, err = g.Invoke(alice, say("two"), remotegraph.RunParams{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if st := decodeAgent(t, res.Values); len(st.Messages) != 4 || st.last() != "You said: two" {
		t.Errorf("second invoke on the thread = %s, want 4 messages", res.Values)
	}
	th, err := g.Client().Threads.Get(alice, tid)
	if err != nil || th.Metadata["owner"] != "alice" {
		t.Fatalf("thread %s: %+v, %v; want alice's", tid, th, err)
	}
	list, err := g.Client().Runs.List(alice, tid, runs.ListParams{})
	if err != nil || len(list) != 2 {
		t.Fatalf("runs = %d, %v; want 2", len(list), err)
	}
	var kw struct {
		Config struct {
			Tags         []string       `json:"tags"`
			Configurable map[string]any `json:"configurable"`
		} `json:"config"`
	}
	if err := json.Unmarshal(list[0].Kwargs, &kw); err != nil {
		t.Fatal(err)
	}
	conf := kw.Config.Configurable
	for _, k := range []string{"checkpoint_id", "checkpoint_ns", "checkpoint_map", "__pregel_task_id", "fn"} {
		if _, ok := conf[k]; ok {
			t.Errorf("configurable %s reached the server: %v", k, conf[k])
		}
	}
	if conf["x-tenant"] != "t1" || conf["thread_id"] != tid {
		t.Errorf("configurable = %v, want x-tenant and the server's thread_id", conf)
	}
	if !slices.Contains(kw.Config.Tags, "default") || !slices.Contains(kw.Config.Tags, "call") {
		t.Errorf("tags = %v, want the default and the call's", kw.Config.Tags)
	}
}

func TestIntegrationStateUpdateHistoryGraph(t *testing.T) {
	ctx := srv.Setup(t)
	alice := as(ctx, testserver.Alice)
	tid := threadID(2)
	g := newGraph(t, testserver.GraphAgent, remotegraph.Params{}).WithConfig(remotegraph.ThreadConfig(tid))
	if _, err := g.Invoke(alice, say("first"), remotegraph.RunParams{}); err != nil {
		t.Fatal(err)
	}

	latest, err := g.GetState(alice, nil, threads.StateParams{})
	if err != nil {
		t.Fatal(err)
	}
	if s := decodeAgent(t, latest.Values); len(s.Messages) != 2 || latest.Checkpoint == nil || latest.Checkpoint.CheckpointID == "" || len(latest.Next) != 0 {
		t.Fatalf("latest state = %+v (%s)", latest, latest.Values)
	}
	at, err := g.GetState(alice, nil, threads.StateParams{Checkpoint: latest.Checkpoint})
	if err != nil || at.Checkpoint.CheckpointID != latest.Checkpoint.CheckpointID || string(at.Values) != string(latest.Values) {
		t.Errorf("state at checkpoint = %+v, %v; want the latest", at, err)
	}

	newCfg, err := g.UpdateState(alice, nil, threads.UpdateStateParams{
		Values: map[string]any{"messages": []any{map[string]any{"role": "ai", "content": "edited"}}},
		AsNode: "agent",
	})
	if err != nil {
		t.Fatal(err)
	}
	newID, _ := newCfg.Configurable["checkpoint_id"].(string)
	if newID == "" || newID == latest.Checkpoint.CheckpointID || newCfg.Configurable[remotegraph.KeyThreadID] != tid {
		t.Errorf("UpdateState config = %+v, want a new checkpoint of %s", newCfg, tid)
	}
	updated, err := g.GetState(alice, newCfg, threads.StateParams{})
	if err != nil {
		t.Fatal(err)
	}
	if s := decodeAgent(t, updated.Values); len(s.Messages) != 3 || s.last() != "edited" || updated.Checkpoint.CheckpointID != newID {
		t.Errorf("state after update = %s at %+v", updated.Values, updated.Checkpoint)
	}

	hist, err := g.GetStateHistory(alice, nil, threads.HistoryParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) < 3 || hist[0].Checkpoint.CheckpointID != newID {
		t.Fatalf("history = %d states, newest %+v; want the update first", len(hist), hist[0].Checkpoint)
	}
	two, err := g.GetStateHistory(alice, nil, threads.HistoryParams{Limit: 2})
	if err != nil || len(two) != 2 {
		t.Errorf("history limit 2 = %d, %v", len(two), err)
	}
	before, err := g.GetStateHistory(alice, nil, threads.HistoryParams{Before: updated.Checkpoint})
	if err != nil || len(before) != len(hist)-1 || before[0].Checkpoint.CheckpointID != hist[1].Checkpoint.CheckpointID {
		t.Errorf("history before the update = %d states (%v), want %d starting at %s", len(before), err, len(hist)-1, hist[1].Checkpoint.CheckpointID)
	}
	updates, err := g.GetStateHistory(alice, nil, threads.HistoryParams{Metadata: map[string]any{"source": "update"}})
	if err != nil || len(updates) != 1 || updates[0].Checkpoint.CheckpointID != newID {
		t.Errorf("history filtered on source=update = %d states, %v; want the update only", len(updates), err)
	}

	// Another user does not see alice's thread through the same graph.
	if _, err := g.GetState(as(ctx, testserver.Bob), nil, threads.StateParams{}); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("bob's GetState of alice's thread: err = %v, want not found", err)
	}
	if _, err := newGraph(t, testserver.GraphAgent, remotegraph.Params{}).GetState(alice, nil, threads.StateParams{}); err == nil || !strings.Contains(err.Error(), "thread") {
		t.Errorf("GetState without a thread: err = %v, want a clear error", err)
	}

	graph, err := g.GetGraph(alice, assistants.GraphParams{})
	if err != nil {
		t.Fatal(err)
	}
	if !hasNode(graph, "agent") {
		t.Errorf("agent graph nodes = %+v", graph.Nodes)
	}
	// The JS server does not expand subgraphs with xray (child stays one
	// node; the Python server adds child:inner): check the call and the
	// parent's nodes.
	xray, err := newGraph(t, testserver.GraphSubgraph, remotegraph.Params{}).GetGraph(alice, assistants.GraphParams{XRay: true})
	if err != nil {
		t.Fatal(err)
	}
	if !hasNode(xray, "outer") || !(hasNode(xray, "child") || hasNode(xray, "child:inner")) {
		t.Errorf("subgraph nodes with xray = %v", nodeIDs(xray))
	}
}

func nodeIDs(g *assistants.Graph) []string {
	var ids []string
	for _, n := range g.Nodes {
		ids = append(ids, string(n.ID))
	}
	return ids
}

func hasNode(g *assistants.Graph, id string) bool { return slices.Contains(nodeIDs(g), id) }

func TestIntegrationInvokeInterruptIsData(t *testing.T) {
	ctx := srv.Setup(t)
	alice := as(ctx, testserver.Alice)
	g := newGraph(t, testserver.GraphInterrupt, remotegraph.Params{}).WithConfig(remotegraph.ThreadConfig(threadID(3)))
	res, err := g.Invoke(alice, map[string]any{}, remotegraph.RunParams{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Interrupted() || res.Interrupts[0].ID == "" {
		t.Fatalf("Invoke = %+v, want the interrupt as data", res)
	}
	res, err = g.Invoke(alice, langgraph.Command{Resume: "ok"}, remotegraph.RunParams{})
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Answer string `json:"answer"`
		Done   bool   `json:"done"`
	}
	if err := res.Decode(&st); err != nil || st.Answer != "ok" || !st.Done || res.Interrupted() {
		t.Errorf("resumed = %s, %v; want answer ok and done", res.Values, err)
	}
}

// A node stopped at a remote interrupt returns an *InterruptError; resumed
// with its ResumeContext, the remote run continues on the same thread with
// Command{Resume} and the interrupt does not fire again.
func TestIntegrationNodeInterruptResume(t *testing.T) {
	ctx := srv.Setup(t)
	alice := as(ctx, testserver.Alice)
	g := newGraph(t, testserver.GraphInterrupt, remotegraph.Params{Name: "approval"})
	node := g.Node()
	state := map[string]any{}

	out, err := node(alice, state)
	var ie *remotegraph.InterruptError
	if !errors.As(err, &ie) {
		t.Fatalf("node = %v, %v; want an *InterruptError", out, err)
	}
	if ie.Graph != "approval" || ie.ThreadID == "" || ie.RunID == "" || len(ie.Interrupts) != 1 || ie.IDs()[0] == "" {
		t.Fatalf("interrupt error = %+v", ie)
	}
	var q struct {
		Question string `json:"question"`
	}
	if err := ie.Interrupts[0].Decode(&q); err != nil || q.Question != "approve?" {
		t.Errorf("interrupt value = %s, %v", ie.Interrupts[0].Value, err)
	}
	if !strings.Contains(ie.Error(), ie.IDs()[0]) || !strings.Contains(ie.Error(), ie.ThreadID) {
		t.Errorf("Error() = %q, want the thread and interrupt id", ie.Error())
	}

	// The remote thread waits at node ask.
	st, err := g.WithConfig(remotegraph.ThreadConfig(ie.ThreadID)).GetState(alice, nil, threads.StateParams{})
	if err != nil || !slices.Equal(st.Next, []string{"ask"}) {
		t.Fatalf("remote state = %+v, %v; want next [ask]", st, err)
	}

	out, err = node(ie.ResumeContext(alice, "approved"), state)
	if err != nil {
		t.Fatalf("resumed node: %v", err)
	}
	if out["answer"] != "approved" || out["done"] != true {
		t.Errorf("resumed node = %v, want answer approved and done", out)
	}
	// The node's temporary thread is gone with its two runs.
	if _, err := g.Client().Threads.Get(alice, ie.ThreadID); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("the temporary thread after the resumed run: %v, want not found", err)
	}

	// A resume without a thread is refused clearly.
	if _, err := node(remotegraph.ContextWithResume(alice, "x"), state); err == nil || !strings.Contains(err.Error(), "thread") {
		t.Errorf("resume without a thread: err = %v", err)
	}
}

// The typed node round-trips Go structs; the host's thread is used.
func TestIntegrationTypedNode(t *testing.T) {
	ctx := srv.Setup(t)
	type in struct {
		Trail string `json:"trail"`
	}
	type out struct {
		Trail string `json:"trail"`
	}
	g := newGraph(t, testserver.GraphSubgraph, remotegraph.Params{})
	node := remotegraph.TypedNode[in, out](g)
	tid := threadID(4)
	got, err := node(remotegraph.ContextWithThreadID(as(ctx, testserver.Bob), tid), in{Trail: "start;"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Trail != "start;inner;outer;" {
		t.Errorf("typed node = %+v", got)
	}
	if th, err := g.Client().Threads.Get(as(ctx, testserver.Bob), tid); err != nil || th.Metadata["owner"] != "bob" {
		t.Errorf("thread %s = %+v, %v; want bob's", tid, th, err)
	}

	type resumeOut struct {
		Answer string `json:"answer"`
		Done   bool   `json:"done"`
	}
	inode := remotegraph.TypedNode[struct{}, resumeOut](newGraph(t, testserver.GraphInterrupt, remotegraph.Params{}))
	_, err = inode(as(ctx, testserver.Carol), struct{}{})
	var ie *remotegraph.InterruptError
	if !errors.As(err, &ie) {
		t.Fatalf("typed interrupt node: %v", err)
	}
	r, err := inode(ie.ResumeContext(as(ctx, testserver.Carol), "yes"), struct{}{})
	if err != nil || r.Answer != "yes" || !r.Done {
		t.Errorf("typed resume = %+v, %v", r, err)
	}
}

func TestIntegrationRemoteError(t *testing.T) {
	ctx := srv.Setup(t)
	alice := as(ctx, testserver.Alice)
	g := newGraph(t, testserver.GraphError, remotegraph.Params{})
	check := func(what string, err error, wantThread string) {
		t.Helper()
		var re *remotegraph.RemoteError
		if !errors.As(err, &re) {
			t.Fatalf("%s: err = %v (%T), want a *RemoteError", what, err, err)
		}
		if re.Name != "CustomError" || re.Message != "Boo!" || re.Graph != testserver.GraphError || re.RunID == "" || re.ThreadID != wantThread {
			t.Errorf("%s: %+v", what, re)
		}
		var run *langgraph.RunError
		if !errors.As(err, &run) || run.Name != "CustomError" {
			t.Errorf("%s: errors.As *langgraph.RunError = %v", what, run)
		}
		if !strings.Contains(err.Error(), "CustomError: Boo!") {
			t.Errorf("%s: Error() = %q", what, err)
		}
	}
	_, err := g.Invoke(alice, map[string]any{}, remotegraph.RunParams{})
	check("stateless Invoke", err, "")
	tid := threadID(5)
	_, err = g.Invoke(alice, map[string]any{}, remotegraph.RunParams{Config: &langgraph.Config{Configurable: map[string]any{"thread_id": tid}}})
	check("Invoke on a thread", err, tid)
	_, err = g.Node()(remotegraph.ContextWithThreadID(alice, threadID(6)), map[string]any{})
	check("Node", err, threadID(6))
}

// One RemoteGraph without credentials serves four users at once; each call
// carries its own user's credentials (on the context or as options), and the
// remote node sees that user.
func TestIntegrationConcurrentUsers(t *testing.T) {
	ctx := srv.Setup(t)
	g := newGraph(t, testserver.GraphAgent, remotegraph.Params{})
	node := g.Node()
	users := []testserver.User{testserver.Alice, testserver.Bob, testserver.Carol, testserver.Dave}
	const perUser = 6
	var wg sync.WaitGroup
	errs := make(chan error, len(users)*perUser)
	for i := range len(users) * perUser {
		u := users[i%len(users)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			text := fmt.Sprintf("%s-%d", u.Identity, i)
			var raw json.RawMessage
			switch i % 3 {
			case 0: // credentials on the context
				res, err := g.Invoke(as(ctx, u), say(text), remotegraph.RunParams{})
				if err != nil {
					errs <- fmt.Errorf("%s: %w", text, err)
					return
				}
				raw = res.Values
			case 1: // credentials as call options, stateful
				res, err := g.Invoke(ctx, say(text), remotegraph.RunParams{Config: &langgraph.Config{Configurable: map[string]any{"thread_id": threadID(100 + i)}}}, u.Option())
				if err != nil {
					errs <- fmt.Errorf("%s: %w", text, err)
					return
				}
				raw = res.Values
			default: // as a node, credentials on the context
				out, err := node(as(ctx, u), say(text))
				if err != nil {
					errs <- fmt.Errorf("%s: %w", text, err)
					return
				}
				raw, _ = json.Marshal(out)
			}
			var st agentState
			if err := json.Unmarshal(raw, &st); err != nil {
				errs <- err
				return
			}
			if st.identity() != u.Identity || st.last() != "You said: "+text {
				errs <- fmt.Errorf("%s: the remote node saw user %q and said %q", text, st.identity(), st.last())
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Each user owns only the threads made with their own credentials.
	for _, u := range users {
		list, err := g.Client().Threads.Search(as(ctx, u), threads.SearchParams{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, th := range list {
			if th.Metadata["owner"] != u.Identity {
				t.Errorf("%s sees thread %s of %v", u.Identity, th.ThreadID, th.Metadata["owner"])
			}
		}
		if len(list) == 0 {
			t.Errorf("%s owns no thread", u.Identity)
		}
	}
	// The graph itself has no credentials.
	if _, err := g.Invoke(ctx, say("nobody"), remotegraph.RunParams{}); !errors.Is(err, langgraph.ErrUnauthorized) {
		t.Errorf("a call without credentials: err = %v, want 401", err)
	}
}

// Without langgraph.WithoutAPIKey, the API key comes from the environment
// (LangGraph's RemoteGraph loses it: langchain-ai/langgraph#9011).
func TestIntegrationAPIKeyFromEnv(t *testing.T) {
	ctx := srv.Setup(t)
	t.Setenv("LANGGRAPH_API_KEY", testserver.APIKeyCarol)
	c, err := client.New(langgraph.WithBaseURL(srv.URL()))
	if err != nil {
		t.Fatal(err)
	}
	g, err := remotegraph.New(c, testserver.GraphAgent, remotegraph.Params{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := g.Invoke(ctx, say("env"), remotegraph.RunParams{})
	if err != nil {
		t.Fatal(err)
	}
	if id := decodeAgent(t, res.Values).identity(); id != "carol" {
		t.Errorf("user = %q, want carol from LANGGRAPH_API_KEY", id)
	}
	// A per-call token wins over the environment's key.
	res, err = g.Invoke(ctx, say("env"), remotegraph.RunParams{}, langgraph.WithBearerToken(testserver.TokenBob))
	if err != nil || decodeAgent(t, res.Values).identity() != "bob" {
		t.Errorf("per-call token over the env key: %v", err)
	}
}

// With langgraph.WithPerCallCredentials, a RemoteGraph in a service that holds
// its own key in the environment never runs as that key's user: a call
// without the end user's credentials fails before anything is sent.
func TestIntegrationPerCallCredentials(t *testing.T) {
	ctx := srv.Setup(t)
	t.Setenv("LANGGRAPH_API_KEY", testserver.APIKeyCarol)
	c, err := client.New(langgraph.WithBaseURL(srv.URL()), langgraph.WithPerCallCredentials())
	if err != nil {
		t.Fatal(err)
	}
	g, err := remotegraph.New(c, testserver.GraphAgent, remotegraph.Params{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Invoke(ctx, say("anyone"), remotegraph.RunParams{}); !errors.Is(err, langgraph.ErrNoCredentials) {
		t.Fatalf("Invoke without credentials = %v; want ErrNoCredentials", err)
	}
	for _, err := range g.Stream(ctx, say("anyone"), remotegraph.StreamParams{}) {
		if !errors.Is(err, langgraph.ErrNoCredentials) {
			t.Fatalf("Stream without credentials = %v; want ErrNoCredentials", err)
		}
	}
	res, err := g.Invoke(as(ctx, testserver.Bob), say("me"), remotegraph.RunParams{})
	if err != nil || decodeAgent(t, res.Values).identity() != "bob" {
		t.Errorf("Invoke as bob: %v", err)
	}
}

// A RemoteGraph built on an existing client shares its credentials.
func TestIntegrationWithClient(t *testing.T) {
	ctx := srv.Setup(t)
	c := srv.Client(t, testserver.Bob)
	g, err := remotegraph.New(c, testserver.GraphAgent, remotegraph.Params{Name: "echo"})
	if err != nil {
		t.Fatal(err)
	}
	if g.Client() != c || g.Name() != "echo" || g.AssistantID() != testserver.GraphAgent {
		t.Errorf("graph = %+v", g)
	}
	res, err := g.Invoke(ctx, say("hi"), remotegraph.RunParams{})
	if err != nil || decodeAgent(t, res.Values).identity() != "bob" {
		t.Errorf("invoke through bob's client: %v", err)
	}
}
