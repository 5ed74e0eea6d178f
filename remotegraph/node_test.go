package remotegraph_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/remotegraph"
)

// fakeGraph returns graph "graph-x" (with a default config) of a fake
// deployment that answers its requests with replies in turn (the last one
// repeats): it shows what the real server does not, the exact request body.
func fakeGraph(t *testing.T, replies ...string) (*fake.Server, *remotegraph.RemoteGraph) {
	t.Helper()
	f, c := fake.NewClient(t, fake.Replies(replies...), langgraph.WithMaxRetries(0))
	g, err := remotegraph.New(c, "graph-x",
		remotegraph.Params{Config: &langgraph.Config{Tags: []string{"d"}, Configurable: map[string]any{"model": "m"}}})
	if err != nil {
		t.Fatal(err)
	}
	return f, g
}

func TestInvokeRequestOnThread(t *testing.T) {
	f, g := fakeGraph(t, `{"ok":true}`)
	cfg := &langgraph.Config{RecursionLimit: 7, Configurable: map[string]any{"thread_id": "t-1", "checkpoint_id": "c", "k": "v"}}
	res, err := g.Invoke(context.Background(), map[string]any{"in": 1}, remotegraph.RunParams{Config: cfg, Context: map[string]any{"ctx": true}}, langgraph.WithBearerToken("tok-1"))
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Values) != `{"ok":true}` || res.Run.ThreadID != "t-1" {
		t.Errorf("result = %s %+v", res.Values, res.Run)
	}
	r := f.LastRequest()
	if r.Path != "/threads/t-1/runs/wait" || r.BearerToken() != "tok-1" {
		t.Errorf("request %s with %q", r.Path, r.BearerToken())
	}
	wantJSON(t, "body", fake.Object(t, r), `{
		"assistant_id": "graph-x",
		"input": {"in": 1},
		"context": {"ctx": true},
		"if_not_exists": "create",
		"config": {"tags": ["d"], "recursion_limit": 7, "configurable": {"model": "m", "k": "v"}}
	}`)
}

func TestInvokeRequestStateless(t *testing.T) {
	f, g := fakeGraph(t, `{}`)
	if _, err := g.Invoke(context.Background(), nil, remotegraph.RunParams{Command: &langgraph.Command{Resume: "r"}}); err != nil {
		t.Fatal(err)
	}
	r := f.LastRequest()
	if r.Path != "/runs/wait" {
		t.Errorf("path = %s, want the stateless /runs/wait", r.Path)
	}
	wantJSON(t, "body", fake.Object(t, r), `{"assistant_id": "graph-x", "command": {"resume": "r"}, "config": {"tags": ["d"], "configurable": {"model": "m"}}}`)

	if _, err := g.Invoke(context.Background(), map[string]any{"a": 1}, remotegraph.RunParams{Command: &langgraph.Command{Resume: 1}}); err == nil {
		t.Error("input and command together were accepted")
	}
	if _, err := g.Invoke(context.Background(), nil, remotegraph.RunParams{Config: &langgraph.Config{Configurable: map[string]any{"thread_id": 5}}}); err == nil {
		t.Error("a numeric thread id was accepted")
	}
	if f.Count() != 1 {
		t.Errorf("%d requests, want the bad calls refused before sending", f.Count())
	}
}

var uuidV4 = regexp.MustCompile(`^/threads/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/runs/wait$`)

// Without a thread id, a node runs on a new random thread; an interrupt names
// it, and ResumeContext resumes it with Command{Resume} and no input; the
// thread is deleted once the resumed run has ended.
func TestNodeThreadAndResume(t *testing.T) {
	f, g := fakeGraph(t, `{"__interrupt__":[{"id":"i-1","value":{"q":"ok?"}}],"a":1}`, `{"a":2}`, ``)
	node := g.Node()
	state := map[string]any{"a": 0}
	_, err := node(context.Background(), state)
	var ie *remotegraph.InterruptError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an *InterruptError", err)
	}
	first := f.LastRequest()
	if !uuidV4.MatchString(first.Path) || fake.Object(t, first)["if_not_exists"] != "create" {
		t.Fatalf("first request %s %s, want a new UUID thread created on demand", first.Path, first.Body)
	}
	if f.Count() != 1 {
		t.Errorf("%d requests, want the interrupted thread kept", f.Count())
	}
	if !strings.Contains(first.Path, ie.ThreadID) || !ie.Temporary || !slices.Equal(ie.IDs(), []string{"i-1"}) || string(ie.Interrupts[0].Value) != `{"q":"ok?"}` {
		t.Errorf("interrupt error = %+v", ie)
	}

	out, err := node(ie.ResumeContext(context.Background(), map[string]any{"i-1": "yes"}), state)
	if err != nil || out["a"] != 2.0 {
		t.Fatalf("resumed = %v, %v", out, err)
	}
	if f.Count() < 2 {
		t.Fatalf("%d requests, want the resumed run", f.Count())
	}
	second := f.Requests()[1]
	if second.Path != first.Path {
		t.Errorf("resumed on %s, want the same thread %s", second.Path, first.Path)
	}
	body := fake.Object(t, second)
	if _, hasInput := body["input"]; hasInput {
		t.Errorf("the resume sent the state again: %s", second.Body)
	}
	wantJSON(t, "command", body["command"], `{"resume": {"i-1": "yes"}}`)
	if del := f.LastRequest(); f.Count() != 3 || del.Method != http.MethodDelete || del.Path != "/threads/"+ie.ThreadID {
		t.Errorf("last of %d requests: %s %s, want DELETE /threads/%s", f.Count(), del.Method, del.Path, ie.ThreadID)
	}
}

// A thread the node made is reported when it cannot be deleted: the node
// does not succeed silently with a thread left behind.
func TestNodeReportsThreadLeftBehind(t *testing.T) {
	_, c := fake.NewClient(t, func(_ int, r fake.Request) fake.Reply {
		if r.Method == http.MethodDelete {
			return fake.Reply{Status: http.StatusInternalServerError, ContentType: fake.Text, Body: "storage is down"}
		}
		return fake.Reply{Body: `{"a":1}`}
	}, langgraph.WithMaxRetries(0))
	g, err := remotegraph.New(c, "graph-x", remotegraph.Params{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = g.Node()(context.Background(), map[string]any{})
	var api *langgraph.APIError
	if !errors.As(err, &api) || api.StatusCode != http.StatusInternalServerError || !strings.Contains(err.Error(), "temporary thread") {
		t.Errorf("err = %v, want the failed deletion as an *APIError", err)
	}
}

// The context's config, thread and credentials reach the node's request.
func TestNodeContext(t *testing.T) {
	f, g := fakeGraph(t, `{"done":true}`)
	ctx := remotegraph.ContextWithConfig(context.Background(), &langgraph.Config{Tags: []string{"c1"}, Configurable: map[string]any{"x": 1}})
	ctx = remotegraph.ContextWithThreadID(ctx, "thread-9")
	ctx = remotegraph.ContextWithConfig(ctx, &langgraph.Config{Tags: []string{"c2"}})
	ctx = langgraph.ContextWithOptions(ctx, langgraph.WithBearerToken("user-token"), langgraph.WithHeader("x-trace", "tr"))
	out, err := g.Node()(ctx, nil)
	if err != nil || out["done"] != true {
		t.Fatalf("node = %v, %v", out, err)
	}
	r := f.LastRequest()
	if r.Path != "/threads/thread-9/runs/wait" || r.BearerToken() != "user-token" || r.Header.Get("X-Trace") != "tr" {
		t.Errorf("request %s, token %q, x-trace %q", r.Path, r.BearerToken(), r.Header.Get("X-Trace"))
	}
	body := fake.Object(t, r)
	wantJSON(t, "config", body["config"], `{"tags": ["d", "c1", "c2"], "configurable": {"model": "m", "x": 1}}`)
	if _, ok := body["input"]; ok {
		t.Errorf("a nil state was sent as input: %s", r.Body)
	}
}

func TestTypedNodeErrors(t *testing.T) {
	f, g := fakeGraph(t, `{"n":"not a number"}`)
	type in struct{ C chan int }
	type out struct {
		N int `json:"n"`
	}
	_, err := remotegraph.TypedNode[in, out](g)(context.Background(), in{C: make(chan int)})
	if err == nil || !strings.Contains(err.Error(), "encoding the node input") {
		t.Errorf("unencodable input: err = %v", err)
	}
	if f.Count() != 0 {
		t.Errorf("a request was sent for an unencodable input")
	}
	got, err := remotegraph.TypedNode[struct{}, out](g)(context.Background(), struct{}{})
	if err == nil || !strings.Contains(err.Error(), "decoding the remote state") || got.N != 0 {
		t.Errorf("undecodable state: %+v, %v", got, err)
	}
}

func TestNodeRemoteErrorFromWait(t *testing.T) {
	_, g := fakeGraph(t, `{"__error__":{"error":"ValueError","message":"bad value"}}`)
	_, err := g.Node()(remotegraph.ContextWithThreadID(context.Background(), "t-2"), map[string]any{})
	var re *remotegraph.RemoteError
	if !errors.As(err, &re) || re.Name != "ValueError" || re.Message != "bad value" || re.ThreadID != "t-2" || re.Graph != "graph-x" {
		t.Fatalf("err = %#v", err)
	}
	if got := re.Error(); got != `remotegraph "graph-x": remote run failed: ValueError: bad value (thread t-2)` {
		t.Errorf("Error() = %q", got)
	}
}

func TestErrorStrings(t *testing.T) {
	re := &remotegraph.RemoteError{Graph: "g", Name: "E", Message: "m", Node: "inner", Namespace: []string{"child:1"}, RunID: "r", ThreadID: "t"}
	if got, want := re.Error(), `remotegraph "g": remote run failed in node "inner" of subgraph child:1: E: m (run r, thread t)`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if re.Unwrap() != nil {
		t.Error("Unwrap of a RemoteError without a RunError is not nil")
	}
	ie := &remotegraph.InterruptError{Graph: "g", ThreadID: "t", Interrupts: []langgraph.Interrupt{{ID: "a"}, {ID: "b"}}}
	if got, want := ie.Error(), `remotegraph "g": interrupted on thread t (interrupt ids a, b)`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestNewErrors(t *testing.T) {
	for name, call := range map[string]func() error{
		"nil client": func() error { _, err := remotegraph.New(nil, "a", remotegraph.Params{}); return err },
		"thread id": func() error {
			_, err := remotegraph.New(offline(t), "a", remotegraph.Params{Config: &langgraph.Config{Configurable: map[string]any{"thread_id": 1}}})
			return err
		},
		"assistant id": func() error { _, err := remotegraph.New(offline(t), "", remotegraph.Params{}); return err },
	} {
		if err := call(); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("%s: %v; want ErrInvalidArgument", name, err)
		}
	}
}

// A node cancelled before the server named its run still stops the run and
// deletes its temporary thread: it lists the thread's runs, cancels those
// still going (waiting for them to stop), then deletes the thread, with the
// credentials of the cancelled context.
func TestNodeCancelledBeforeRunKnown(t *testing.T) {
	waiting := make(chan struct{})
	f := fake.NewHandler(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		tid := strings.Split(r.URL.Path, "/")[2]
		switch {
		case strings.HasSuffix(r.URL.Path, "/runs/wait"):
			_, _ = io.Copy(io.Discard, r.Body) // then the server sees the client go
			close(waiting)
			<-r.Context().Done() // no answer, not even headers, before the cancel
			return
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/runs"):
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `[
				{"run_id":"r-done","thread_id":"`+tid+`","assistant_id":"a","status":"success"},
				{"run_id":"r-going","thread_id":"`+tid+`","assistant_id":"a","status":"running"}]`)
		default:
			w.WriteHeader(http.StatusNoContent)
		}
	})
	g, err := remotegraph.New(f.Client(langgraph.WithMaxRetries(0)), "graph-x", remotegraph.Params{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(langgraph.ContextWithOptions(context.Background(), langgraph.WithBearerToken("user-token")))
	go func() {
		<-waiting
		cancel()
	}()
	if _, err := g.Node()(ctx, map[string]any{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var seen []string
	for _, r := range f.Requests() {
		line := r.Method + " " + r.Path
		if len(r.Query) > 0 {
			line += "?" + r.Query.Encode()
		}
		seen = append(seen, line+" "+r.Header.Get("Authorization"))
	}
	if len(seen) != 4 {
		t.Fatalf("requests %q, want wait, list, cancel, delete", seen)
	}
	tid := strings.Split(strings.Fields(seen[0])[1], "/")[2]
	want := []string{
		"POST /threads/" + tid + "/runs/wait Bearer user-token",
		"GET /threads/" + tid + "/runs Bearer user-token",
		"POST /threads/" + tid + "/runs/r-going/cancel?wait=1 Bearer user-token",
		"DELETE /threads/" + tid + " Bearer user-token",
	}
	if !slices.Equal(seen, want) {
		t.Errorf("requests\n%q\nwant\n%q", seen, want)
	}
}
