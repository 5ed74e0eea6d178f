package remotegraph_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/faultproxy"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/langsmith"
	"github.com/langgraph-go/langgraph/remotegraph"
	"github.com/langgraph-go/langgraph/threads"
)

// TestDistributedTracing: with Params.DistributedTracing, every request of
// Invoke and Stream (the runs, a cut stream's rejoins, a node's run) sends
// the caller's LangSmith parent, after the call's own baggage; the
// server's answers are unchanged (the JS server ignores these headers), the
// other methods send nothing, and nothing is sent without the switch or
// without a parent. A recording proxy in front of the real server sees the
// headers.
func TestDistributedTracing(t *testing.T) {
	ctx := srv.Setup(t)
	proxy := faultproxy.New(t, srv.URL())
	c := srv.Client(t, testserver.User{}, langgraph.WithBaseURL(proxy.URL))
	parent := langsmith.Parent{
		DottedOrder: "20240101T123456789012Z0190c5b4-1a2b-7c3d-8e4f-0123456789ab",
		Metadata:    map[string]any{"user_id": "alice"},
		Tags:        []string{"prod", "beta"},
		Project:     "my-project",
	}
	const wantBaggage = "userId=alice,langsmith-metadata=%7B%22user_id%22%3A%22alice%22%7D,langsmith-tags=prod%2Cbeta,langsmith-project=my-project"
	ctx = langsmith.ContextWithParent(as(ctx, testserver.Alice), parent)
	// The caller's own baggage, on the context: it comes first.
	ctx = langgraph.ContextWithOptions(ctx, langgraph.WithHeader("baggage", "userId=alice"))

	g, err := remotegraph.New(c, "agent", remotegraph.Params{DistributedTracing: true})
	if err != nil {
		t.Fatal(err)
	}
	tid := threadID(900)
	cfg := remotegraph.ThreadConfig(tid)

	res, err := g.Invoke(ctx, say("hi"), remotegraph.RunParams{Config: cfg})
	if err != nil || decodeAgent(t, res.Values).last() != "You said: hi" {
		t.Fatalf("Invoke: %v, %v", res, err)
	}
	if _, err := g.GetState(ctx, cfg, threads.StateParams{}); err != nil {
		t.Fatal(err)
	}
	// A stream cut twice: its rejoins send the headers too.
	proxy.AddStreamCuts(faultproxy.StreamCut{After: 2}, faultproxy.StreamCut{After: 1, MidEvent: true})
	sp := remotegraph.StreamParams{Config: cfg, StreamResumable: true,
		Reconnect: langgraph.ReconnectPolicy{MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}}
	for _, err := range g.Stream(ctx, say("again"), sp) {
		if err != nil {
			t.Fatal(err)
		}
	}
	// As a node, on a temporary thread.
	if _, err := g.Node()(ctx, say("node")); err != nil {
		t.Fatal(err)
	}

	runCalls, rejoins := 0, 0
	for _, r := range proxy.Requests() {
		isRun := strings.Contains(r.Path, "/runs")
		trace, bag := r.Header.Get("Langsmith-Trace"), r.Header.Get("Baggage")
		switch {
		case isRun && r.Method == http.MethodPost || strings.HasSuffix(r.Path, "/stream"):
			runCalls++
			if r.Method == http.MethodGet {
				rejoins++
			}
			if trace != parent.DottedOrder || bag != wantBaggage || len(r.Header.Values("Baggage")) != 1 {
				t.Errorf("%s %s: langsmith-trace %q, baggage %q", r.Method, r.Path, trace, bag)
			}
		case r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/state") || r.Method == http.MethodDelete:
			// GetState and the node's thread cleanup are not runs.
			if trace != "" || bag != "userId=alice" {
				t.Errorf("%s %s sent langsmith-trace %q, baggage %q", r.Method, r.Path, trace, bag)
			}
		}
	}
	if runCalls < 5 || rejoins < 2 {
		t.Errorf("%d run requests (%d rejoins) seen", runCalls, rejoins)
	}

	// Without the switch, or without a parent: nothing.
	before := len(proxy.Requests())
	plain, err := remotegraph.New(c, "agent", remotegraph.Params{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plain.Invoke(ctx, say("x"), remotegraph.RunParams{Config: cfg}); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Invoke(as(srv.Setup(t), testserver.Alice), say("y"), remotegraph.RunParams{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range proxy.Requests()[before:] {
		if r.Header.Get("Langsmith-Trace") != "" || strings.Contains(r.Header.Get("Baggage"), "langsmith") {
			t.Errorf("%s %s sent LangSmith headers", r.Method, r.Path)
		}
	}

	// A malformed parent fails the call before anything is sent.
	before = len(proxy.Requests())
	bad := langsmith.ContextWithParent(as(ctx, testserver.Alice), langsmith.Parent{DottedOrder: "garbage"})
	if _, err := g.Invoke(bad, say("z"), remotegraph.RunParams{}); !errors.Is(err, langgraph.ErrInvalidArgument) {
		t.Errorf("a malformed parent: %v", err)
	}
	if n := len(proxy.Requests()) - before; n != 0 {
		t.Errorf("%d requests sent with a malformed parent", n)
	}
}
