package eino_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudwego/eino/compose"
	"go.uber.org/goleak"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	lgeino "github.com/langgraph-go/langgraph/contrib/eino"
	"github.com/langgraph-go/langgraph/contrib/eino/internal/servertest"
	"github.com/langgraph-go/langgraph/remotegraph"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

// serverURL is the test server's base URL; empty with -short.
var serverURL string

func TestMain(m *testing.M) { os.Exit(servertest.Main(m, &serverURL)) }

// Credentials of the test server's users (testdata/server/src/auth.ts).
const (
	tokenAlice = "token-alice"
	tokenBob   = "token-bob"
)

func integration(t *testing.T) context.Context {
	t.Helper()
	if serverURL == "" {
		t.Skip("integration test: no test server (-short or " + servertest.SkipEnv + "=1)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func remote(t *testing.T, graph string) *remotegraph.RemoteGraph {
	t.Helper()
	c, err := client.New(langgraph.WithBaseURL(serverURL), langgraph.WithoutAPIKey())
	if err != nil {
		t.Fatal(err)
	}
	rg, err := remotegraph.New(c, graph, remotegraph.Params{})
	if err != nil {
		t.Fatal(err)
	}
	return rg
}

func asUser(ctx context.Context, token string) context.Context {
	return langgraph.ContextWithOptions(ctx, langgraph.WithBearerToken(token))
}

// echoGraph is START -> prepare (local) -> remote (the agent graph) ->
// report (local) -> END: the local nodes turn a question into the agent's
// input and its final state into a short report.
func echoGraph(t *testing.T, ctx context.Context, rg *remotegraph.RemoteGraph) compose.Runnable[map[string]any, map[string]any] {
	t.Helper()
	g := compose.NewGraph[map[string]any, map[string]any]()
	must(t, g.AddLambdaNode("prepare", compose.InvokableLambda(func(_ context.Context, in map[string]any) (map[string]any, error) {
		return map[string]any{"messages": []any{map[string]any{"role": "human", "content": in["question"]}}}, nil
	})))
	must(t, g.AddLambdaNode("remote", lgeino.InvokableLambda(rg)))
	must(t, g.AddLambdaNode("report", compose.InvokableLambda(func(_ context.Context, state map[string]any) (map[string]any, error) {
		msgs, _ := state["messages"].([]any)
		if len(msgs) == 0 {
			return nil, fmt.Errorf("no messages in %v", state)
		}
		last, _ := msgs[len(msgs)-1].(map[string]any)
		user, _ := state["user"].(map[string]any)
		return map[string]any{"answer": last["content"], "remote_user": user["identity"]}, nil
	})))
	must(t, g.AddEdge(compose.START, "prepare"))
	must(t, g.AddEdge("prepare", "remote"))
	must(t, g.AddEdge("remote", "report"))
	must(t, g.AddEdge("report", compose.END))
	r, err := g.Compile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// threadCount returns the number of threads the user of ctx sees.
func threadCount(t *testing.T, ctx context.Context, rg *remotegraph.RemoteGraph) int {
	t.Helper()
	n, err := rg.Client().Threads.Count(ctx, threads.CountParams{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// An eino graph with a local node and a RemoteGraph node, run with a user's
// token: the remote node sees that user, and leaves no remote thread behind.
func TestEinoGraphWithRemoteNode(t *testing.T) {
	ctx := integration(t)
	rg := remote(t, "agent")
	r := echoGraph(t, ctx, rg)
	alice := asUser(ctx, tokenAlice)
	before := threadCount(t, alice, rg)
	out, err := r.Invoke(alice, map[string]any{"question": "hi eino"})
	if err != nil {
		t.Fatal(err)
	}
	if out["answer"] != "You said: hi eino" || out["remote_user"] != "alice" {
		t.Errorf("output = %v, want alice's echo", out)
	}
	if after := threadCount(t, alice, rg); after != before {
		t.Errorf("alice has %d threads after the run, %d before", after, before)
	}
	// Without credentials the remote node fails, with the server's 401.
	if _, err := r.Invoke(ctx, map[string]any{"question": "x"}); !errors.Is(err, langgraph.ErrUnauthorized) {
		t.Errorf("no credentials: err = %v, want 401", err)
	}
}

// One compiled graph, many users at once: no run borrows another's token.
func TestEinoGraphConcurrentUsers(t *testing.T) {
	ctx := integration(t)
	r := echoGraph(t, ctx, remote(t, "agent"))
	var wg sync.WaitGroup
	errs := make(chan error, 12)
	for i := range 12 {
		token, want := tokenAlice, "alice"
		if i%2 == 1 {
			token, want = tokenBob, "bob"
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := fmt.Sprintf("q%d", i)
			out, err := r.Invoke(asUser(ctx, token), map[string]any{"question": q})
			if err != nil {
				errs <- err
				return
			}
			if out["remote_user"] != want || out["answer"] != "You said: "+q {
				errs <- fmt.Errorf("run %d as %s: %v", i, want, out)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// memStore is an in-memory eino checkpoint store.
type memStore struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (s *memStore) Get(_ context.Context, id string) ([]byte, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.m[id]
	return b, ok, nil
}

func (s *memStore) Set(_ context.Context, id string, b []byte) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string][]byte{}
	}
	s.m[id] = b
	return nil
}

// A remote interrupt interrupts the eino graph; resuming the eino graph with
// ResumeWithData resumes the remote run on the same thread.
func TestEinoInterruptResume(t *testing.T) {
	ctx := integration(t)
	rg := remote(t, "interrupt")
	g := compose.NewGraph[map[string]any, map[string]any]()
	must(t, g.AddLambdaNode("approve", lgeino.InvokableLambda(rg)))
	must(t, g.AddLambdaNode("after", compose.InvokableLambda(func(_ context.Context, s map[string]any) (map[string]any, error) {
		return map[string]any{"answer": s["answer"], "done": s["done"], "checked": true}, nil
	})))
	must(t, g.AddEdge(compose.START, "approve"))
	must(t, g.AddEdge("approve", "after"))
	must(t, g.AddEdge("after", compose.END))
	r, err := g.Compile(ctx, compose.WithCheckPointStore(&memStore{}))
	if err != nil {
		t.Fatal(err)
	}
	alice := asUser(ctx, tokenAlice)
	const cp = "conversation-1"

	_, err = r.Invoke(alice, map[string]any{}, compose.WithCheckPointID(cp))
	info, ok := compose.ExtractInterruptInfo(err)
	if !ok || len(info.InterruptContexts) != 1 {
		t.Fatalf("first run: err = %v, want an eino interrupt", err)
	}
	ic := info.InterruptContexts[0]
	ie := lgeino.RemoteInterrupt(ic)
	if ie == nil || ie.ThreadID == "" || !ie.Temporary || len(ie.Interrupts) != 1 || !strings.Contains(string(ie.Interrupts[0].Value), "approve?") {
		t.Fatalf("interrupt info = %#v", ic.Info)
	}
	// The remote run waits on its thread.
	list, err := rg.Client().Runs.List(alice, ie.ThreadID, runs.ListParams{})
	if err != nil || len(list) != 1 {
		t.Errorf("remote runs = %d, %v; want 1 on thread %s", len(list), err, ie.ThreadID)
	}

	out, err := r.Invoke(compose.ResumeWithData(alice, ic.ID, "approved"), map[string]any{}, compose.WithCheckPointID(cp))
	if err != nil {
		t.Fatalf("resume: %v", err)
	}
	if out["answer"] != "approved" || out["done"] != true || out["checked"] != true {
		t.Errorf("resumed output = %v", out)
	}
	// The remote node ran without a thread id: its temporary thread, kept
	// through the eino checkpoint while interrupted, is gone after the
	// resumed run.
	if _, err := rg.Client().Threads.Get(alice, ie.ThreadID); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("remote thread %s after the resumed run: %v, want not found", ie.ThreadID, err)
	}
}

// A remote failure surfaces through the eino graph as a *RemoteError.
func TestEinoRemoteError(t *testing.T) {
	ctx := integration(t)
	g := compose.NewGraph[map[string]any, map[string]any]()
	must(t, g.AddLambdaNode("fail", lgeino.InvokableLambda(remote(t, "error"))))
	must(t, g.AddEdge(compose.START, "fail"))
	must(t, g.AddEdge("fail", compose.END))
	r, err := g.Compile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Invoke(asUser(ctx, tokenBob), map[string]any{})
	var re *remotegraph.RemoteError
	if !errors.As(err, &re) || re.Name != "CustomError" || re.Message != "Boo!" {
		t.Errorf("err = %v, want the remote CustomError", err)
	}
}

// The typed lambda in a chain of Go types.
func TestEinoTypedLambda(t *testing.T) {
	ctx := integration(t)
	type trail struct {
		Trail string `json:"trail"`
	}
	chain := compose.NewChain[string, string]()
	chain.AppendLambda(compose.InvokableLambda(func(_ context.Context, s string) (trail, error) { return trail{Trail: s}, nil }))
	chain.AppendLambda(lgeino.TypedLambda[trail, trail](remote(t, "subgraph")))
	chain.AppendLambda(compose.InvokableLambda(func(_ context.Context, t trail) (string, error) { return strings.ToUpper(t.Trail), nil }))
	r, err := chain.Compile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.Invoke(asUser(ctx, tokenAlice), "start;")
	if err != nil || got != "START;INNER;OUTER;" {
		t.Errorf("chain = %q, %v", got, err)
	}
}

// The streamable lambda streams the remote parts through eino, with the
// user's credentials.
func TestEinoStreamableLambda(t *testing.T) {
	ctx := integration(t)
	// The lambda's goroutine ends with the stream (idle keep-alive
	// connections excepted).
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent(),
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"))
	g := compose.NewGraph[map[string]any, langgraph.StreamPart]()
	must(t, g.AddLambdaNode("remote", lgeino.StreamableLambda(remote(t, "agent"), remotegraph.StreamParams{
		StreamMode: []runs.StreamMode{runs.StreamValues, runs.StreamCustom},
	})))
	must(t, g.AddEdge(compose.START, "remote"))
	must(t, g.AddEdge("remote", compose.END))
	r, err := g.Compile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sr, err := r.Stream(asUser(ctx, tokenBob), map[string]any{"messages": []any{map[string]any{"role": "human", "content": "streamed"}}})
	if err != nil {
		t.Fatal(err)
	}
	defer sr.Close()
	var parts []langgraph.StreamPart
	for {
		p, err := sr.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, p)
	}
	var sawCustom bool
	var last langgraph.StreamPart
	for _, p := range parts {
		switch p.Kind {
		case "custom":
			sawCustom = strings.Contains(string(p.Data), `"said":"streamed"`)
		case "values":
			last = p
		}
	}
	var st struct {
		User struct {
			Identity string `json:"identity"`
		} `json:"user"`
	}
	if err := last.Decode(&st); err != nil || st.User.Identity != "bob" || !sawCustom {
		t.Errorf("%d parts, custom seen %v, last values %s (%v); want bob's run", len(parts), sawCustom, last.Data, err)
	}

	// Closing the reader early stops the remote stream.
	sr2, err := r.Stream(asUser(ctx, tokenBob), map[string]any{"messages": []any{map[string]any{"role": "human", "content": "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sr2.Recv(); err != nil {
		t.Fatal(err)
	}
	sr2.Close()
}
