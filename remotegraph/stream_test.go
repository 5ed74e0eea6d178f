package remotegraph_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/remotegraph"
	"github.com/langgraph-go/langgraph/runs"
)

// noLeak fails the test if it leaves goroutines behind (idle keep-alive
// connections of the shared client excepted).
func noLeak(t *testing.T) {
	t.Helper()
	opts := []goleak.Option{
		goleak.IgnoreCurrent(),
		goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
		goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
		goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"),
	}
	t.Cleanup(func() { goleak.VerifyNone(t, opts...) })
}

// collect ranges over a stream and returns its parts and final error.
func collect(t *testing.T, seq func(func(langgraph.StreamPart, error) bool)) ([]langgraph.StreamPart, error) {
	t.Helper()
	var parts []langgraph.StreamPart
	for p, err := range seq {
		if err != nil {
			if p.Event != "" {
				parts = append(parts, p)
			}
			return parts, err
		}
		parts = append(parts, p)
	}
	return parts, nil
}

func modesOf(parts []langgraph.StreamPart) []string {
	var ms []string
	for _, p := range parts {
		if !slices.Contains(ms, string(p.Kind)) {
			ms = append(ms, string(p.Kind))
		}
	}
	slices.Sort(ms)
	return ms
}

func TestIntegrationStreamOneMode(t *testing.T) {
	ctx := srv.Setup(t)
	noLeak(t)
	g := newGraph(t, testserver.GraphAgent, remotegraph.Params{})
	parts, err := collect(t, g.Stream(as(ctx, testserver.Alice), say("stream"), remotegraph.StreamParams{StreamMode: []runs.StreamMode{runs.StreamValues}}))
	if err != nil {
		t.Fatal(err)
	}
	if got := modesOf(parts); !slices.Equal(got, []string{"metadata", "values"}) {
		t.Errorf("modes = %v, want metadata and values only (updates and tasks are asked for but hidden)", got)
	}
	last := decodeAgent(t, parts[len(parts)-1].Data)
	if last.last() != "You said: stream" || last.identity() != "alice" {
		t.Errorf("last values = %s", parts[len(parts)-1].Data)
	}
}

// The default mode is updates, as in LangGraph's RemoteGraph.
func TestIntegrationStreamDefaultMode(t *testing.T) {
	ctx := srv.Setup(t)
	g := newGraph(t, testserver.GraphAgent, remotegraph.Params{})
	parts, err := collect(t, g.Stream(as(ctx, testserver.Bob), say("upd"), remotegraph.StreamParams{}))
	if err != nil {
		t.Fatal(err)
	}
	if got := modesOf(parts); !slices.Equal(got, []string{"metadata", "updates"}) {
		t.Fatalf("modes = %v, want metadata and updates", got)
	}
	nodes, _, err := parts[len(parts)-1].Updates()
	if err != nil || len(nodes) != 1 || nodes[0].Node != "agent" {
		t.Errorf("updates = %v, %v; want node agent", nodes, err)
	}
}

func TestIntegrationStreamSeveralModes(t *testing.T) {
	ctx := srv.Setup(t)
	noLeak(t)
	g := newGraph(t, testserver.GraphAgent, remotegraph.Params{})
	parts, err := collect(t, g.Stream(as(ctx, testserver.Carol), say("abc"), remotegraph.StreamParams{
		StreamMode: []runs.StreamMode{runs.StreamUpdates, runs.StreamCustom, runs.StreamMessagesTuple, runs.StreamTasks},
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := modesOf(parts); !slices.Equal(got, []string{"custom", "messages", "metadata", "tasks", "updates"}) {
		t.Errorf("modes = %v", got)
	}
	var text strings.Builder
	var custom struct {
		Node string `json:"node"`
		Said string `json:"said"`
	}
	for _, p := range parts {
		switch p.Kind {
		case "messages":
			m, md, err := p.MessageChunk()
			if err != nil {
				t.Fatal(err)
			}
			if md.Node == "agent" && m.Type != "human" {
				text.WriteString(m.Text())
			}
		case "custom":
			if err := p.Decode(&custom); err != nil {
				t.Fatal(err)
			}
		}
	}
	if text.String() != "You said: abc" || custom.Node != "agent" || custom.Said != "abc" {
		t.Errorf("messages %q, custom %+v", text.String(), custom)
	}
}

// Namespaces of subgraph events are kept.
func TestIntegrationStreamSubgraphs(t *testing.T) {
	ctx := srv.Setup(t)
	g := newGraph(t, testserver.GraphSubgraph, remotegraph.Params{})
	parts, err := collect(t, g.Stream(as(ctx, testserver.Alice), map[string]any{"trail": "s;"}, remotegraph.StreamParams{
		StreamMode: []runs.StreamMode{runs.StreamUpdates, runs.StreamCustom},
		Subgraphs:  true,
	}))
	if err != nil {
		t.Fatal(err)
	}
	var inner, root []string
	for _, p := range parts {
		if p.Kind != "updates" {
			continue
		}
		switch {
		case len(p.Namespace) == 1 && strings.HasPrefix(p.Namespace[0], "child:"):
			if p.Event != "updates|"+p.Namespace[0] {
				t.Errorf("event %q does not match namespace %q", p.Event, p.Namespace)
			}
			inner = append(inner, string(p.Data))
		case p.Namespace == nil:
			root = append(root, string(p.Data))
		default:
			t.Errorf("unexpected namespace %q", p.Namespace)
		}
	}
	if len(inner) != 1 || !strings.Contains(inner[0], `"inner"`) || len(root) != 2 {
		t.Errorf("inner updates %v, root updates %v", inner, root)
	}
}

// Nested in a caller (configurable.checkpoint_ns), every event's namespace
// starts with the caller's: langchain-ai/langgraph#6604.
func TestIntegrationStreamNestedNamespace(t *testing.T) {
	ctx := srv.Setup(t)
	g := newGraph(t, testserver.GraphSubgraph, remotegraph.Params{})
	cfg := &langgraph.Config{Configurable: map[string]any{"checkpoint_ns": "host:1|remote:2"}}
	parts, err := collect(t, g.Stream(as(ctx, testserver.Alice), map[string]any{"trail": ""}, remotegraph.StreamParams{
		Config:     cfg,
		StreamMode: []runs.StreamMode{runs.StreamValues, runs.StreamUpdates},
		Subgraphs:  true,
	}))
	if err != nil {
		t.Fatal(err)
	}
	var sawChild bool
	for _, p := range parts {
		if p.Kind == "metadata" {
			if p.Namespace != nil || p.Event != "metadata" {
				t.Errorf("metadata part was prefixed: %+v", p)
			}
			continue
		}
		if len(p.Namespace) < 2 || p.Namespace[0] != "host:1" || p.Namespace[1] != "remote:2" {
			t.Errorf("%q: namespace %q, want the caller's first", p.Event, p.Namespace)
			continue
		}
		if want := string(p.Kind) + "|" + strings.Join(p.Namespace, "|"); p.Event != want {
			t.Errorf("event %q, want %q", p.Event, want)
		}
		if len(p.Namespace) == 3 && strings.HasPrefix(p.Namespace[2], "child:") {
			sawChild = true
		}
	}
	if !sawChild {
		t.Errorf("no event of the remote subgraph under the caller's namespace")
	}
}

// At the top level an interrupt is data; nested, the stream ends with an
// *InterruptError.
func TestIntegrationStreamInterrupt(t *testing.T) {
	ctx := srv.Setup(t)
	alice := as(ctx, testserver.Alice)
	g := newGraph(t, testserver.GraphInterrupt, remotegraph.Params{})

	top := &langgraph.Config{Configurable: map[string]any{"thread_id": threadID(20)}}
	parts, err := collect(t, g.Stream(alice, map[string]any{}, remotegraph.StreamParams{Config: top}))
	if err != nil {
		t.Fatalf("top-level interrupt: %v", err)
	}
	in, err := parts[len(parts)-1].Interrupts()
	if err != nil || len(in) != 1 {
		t.Errorf("last part %q %s: interrupts %v, %v", parts[len(parts)-1].Event, parts[len(parts)-1].Data, in, err)
	}

	nested := &langgraph.Config{Configurable: map[string]any{"thread_id": threadID(21), "checkpoint_ns": "host:1"}}
	parts, err = collect(t, g.Stream(alice, map[string]any{}, remotegraph.StreamParams{
		Config:     nested,
		StreamMode: []runs.StreamMode{runs.StreamValues},
	}))
	var ie *remotegraph.InterruptError
	if !errors.As(err, &ie) {
		t.Fatalf("nested interrupt: parts %d, err %v; want an *InterruptError", len(parts), err)
	}
	if ie.ThreadID != threadID(21) || ie.RunID == "" || len(ie.Interrupts) != 1 || ie.Interrupts[0].ID == "" {
		t.Errorf("interrupt error = %+v", ie)
	}
	// Resume the nested run on its thread.
	parts, err = collect(t, g.Stream(alice, langgraph.Command{Resume: "go"}, remotegraph.StreamParams{
		Config:     nested,
		StreamMode: []runs.StreamMode{runs.StreamValues},
	}))
	if err != nil {
		t.Fatal(err)
	}
	if d := string(parts[len(parts)-1].Data); !strings.Contains(d, `"answer":"go"`) || !strings.Contains(d, `"done":true`) {
		t.Errorf("resumed stream ends with %s", d)
	}
}

// A remote failure ends the stream with a *RemoteError naming the node.
func TestIntegrationStreamRemoteError(t *testing.T) {
	ctx := srv.Setup(t)
	noLeak(t)
	g := newGraph(t, testserver.GraphError, remotegraph.Params{})
	tid := threadID(30)
	parts, err := collect(t, g.Stream(as(ctx, testserver.Dave), map[string]any{}, remotegraph.StreamParams{
		Config:     &langgraph.Config{Configurable: map[string]any{"thread_id": tid}},
		StreamMode: []runs.StreamMode{runs.StreamValues},
	}))
	var re *remotegraph.RemoteError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v (%T), want a *RemoteError", err, err)
	}
	if re.Name != "CustomError" || re.Message != "Boo!" || re.Node != "fail" || re.Namespace != nil || re.ThreadID != tid || re.RunID == "" {
		t.Errorf("remote error = %+v", re)
	}
	if !strings.Contains(re.Error(), `node "fail"`) {
		t.Errorf("Error() = %q, want the node", re.Error())
	}
	if len(parts) == 0 || parts[len(parts)-1].Kind != langgraph.EventError {
		t.Errorf("the error part was not yielded with the error: %v", modesOf(parts))
	}
}

// Streams of several users on one graph at once; breaking out early leaves
// nothing behind.
func TestIntegrationStreamUsers(t *testing.T) {
	ctx := srv.Setup(t)
	noLeak(t)
	g := newGraph(t, testserver.GraphAgent, remotegraph.Params{})
	users := []testserver.User{testserver.Alice, testserver.Bob, testserver.Carol, testserver.Dave}
	var wg sync.WaitGroup
	errs := make(chan error, 2*len(users))
	for i := range 2 * len(users) {
		u := users[i%len(users)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			var last langgraph.StreamPart
			for p, err := range g.Stream(ctx, say(u.Identity), remotegraph.StreamParams{StreamMode: []runs.StreamMode{runs.StreamValues}}, u.Option()) {
				if err != nil {
					errs <- err
					return
				}
				last = p
			}
			var st agentState
			if err := last.Decode(&st); err != nil || st.identity() != u.Identity {
				errs <- fmt.Errorf("%s's stream ended with user %q (%v)", u.Identity, st.identity(), err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}

	for p, err := range g.Stream(as(ctx, testserver.Alice), say("x"), remotegraph.StreamParams{}) {
		if err != nil || p.Kind != "metadata" {
			t.Errorf("first part = %q, %v", p.Event, err)
		}
		break
	}
}
