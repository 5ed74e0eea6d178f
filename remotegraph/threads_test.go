package remotegraph_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/remotegraph"
	"github.com/langgraph-go/langgraph/threads"
)

// threadsOf returns the threads u can see.
func threadsOf(t *testing.T, ctx context.Context, g *remotegraph.RemoteGraph, u testserver.User) []threads.Thread {
	t.Helper()
	list, err := g.Client().Threads.Search(as(ctx, u), threads.SearchParams{Limit: 100})
	if err != nil {
		t.Fatalf("threads of %s: %v", u.Identity, err)
	}
	return list
}

// wantThreads fails the test unless u sees exactly n threads now.
func wantThreads(t *testing.T, ctx context.Context, g *remotegraph.RemoteGraph, u testserver.User, n int, what string) {
	t.Helper()
	if list := threadsOf(t, ctx, g, u); len(list) != n {
		ids := make([]string, len(list))
		for i, th := range list {
			ids[i] = th.ThreadID + " (" + string(th.Status) + ")"
		}
		t.Errorf("%s: %s has %d threads %v, want %d", what, u.Identity, len(list), ids, n)
	}
}

// eventuallyNoThreads waits until u sees no thread: the server deletes the
// thread of a stateless run when the run ends, which may be after the call
// returned (a cancelled call).
func eventuallyNoThreads(t *testing.T, ctx context.Context, g *remotegraph.RemoteGraph, u testserver.User, what string) {
	t.Helper()
	for {
		list := threadsOf(t, ctx, g, u)
		if len(list) == 0 {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: %s still has %d threads", what, u.Identity, len(list))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// cancelOnceBusy runs call with a context that is cancelled as soon as u has
// a busy thread (the remote run is under way), and returns call's error.
func cancelOnceBusy(t *testing.T, ctx context.Context, g *remotegraph.RemoteGraph, u testserver.User, call func(context.Context) error) error {
	t.Helper()
	cctx, cancel := context.WithCancel(as(ctx, u))
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- call(cctx) }()
	for {
		select {
		case err := <-done:
			t.Fatalf("the call ended before it was cancelled: %v", err)
		case <-ctx.Done():
			t.Fatal("no busy thread appeared")
		case <-time.After(20 * time.Millisecond):
		}
		busy, err := g.Client().Threads.Search(as(ctx, u), threads.SearchParams{Status: langgraph.StatusBusy})
		if err != nil {
			t.Fatal(err)
		}
		if len(busy) > 0 {
			break
		}
	}
	cancel()
	return <-done
}

// slowInput makes the slow graph run for about two seconds.
var slowInput = map[string]any{"steps": 20, "delay_ms": 100}

// A node without a thread id runs on a thread of its own, which it deletes
// when the run ends without an interrupt: succeeded, failed or cancelled.
func TestIntegrationNodeLeavesNoThread(t *testing.T) {
	ctx := srv.Setup(t)
	u := testserver.Alice
	user := as(ctx, u)
	agent := newGraph(t, testserver.GraphAgent, remotegraph.Params{})
	wantThreads(t, ctx, agent, u, 0, "before")

	out, err := agent.Node()(user, say("hi"))
	if err != nil || decodeAgentMap(t, out).last() != "You said: hi" {
		t.Fatalf("Node = %v, %v", out, err)
	}
	wantThreads(t, ctx, agent, u, 0, "after Node")

	typed := remotegraph.TypedNode[map[string]any, agentState](agent)
	st, err := typed(user, say("typed"))
	if err != nil || st.last() != "You said: typed" {
		t.Fatalf("TypedNode = %+v, %v", st, err)
	}
	wantThreads(t, ctx, agent, u, 0, "after TypedNode")

	failing := newGraph(t, testserver.GraphError, remotegraph.Params{})
	_, err = failing.Node()(user, map[string]any{})
	var re *remotegraph.RemoteError
	if !errors.As(err, &re) {
		t.Fatalf("failing Node: %v, want a *RemoteError", err)
	}
	wantThreads(t, ctx, agent, u, 0, "after a failed Node")
	_, err = remotegraph.TypedNode[struct{}, struct{}](failing)(user, struct{}{})
	if !errors.As(err, &re) {
		t.Fatalf("failing TypedNode: %v, want a *RemoteError", err)
	}
	wantThreads(t, ctx, agent, u, 0, "after a failed TypedNode")

	slow := newGraph(t, testserver.GraphSlow, remotegraph.Params{})
	err = cancelOnceBusy(t, ctx, slow, u, func(ctx context.Context) error {
		_, err := slow.Node()(ctx, slowInput)
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Node: %v, want context.Canceled", err)
	}
	wantThreads(t, ctx, agent, u, 0, "after a cancelled Node")
}

// A node stopped at an interrupt keeps its thread until the resumed run
// ends; then the thread is deleted.
func TestIntegrationNodeInterruptThread(t *testing.T) {
	ctx := srv.Setup(t)
	u := testserver.Bob
	user := as(ctx, u)
	g := newGraph(t, testserver.GraphInterrupt, remotegraph.Params{})
	node := g.Node()

	_, err := node(user, map[string]any{})
	var ie *remotegraph.InterruptError
	if !errors.As(err, &ie) {
		t.Fatalf("Node = %v, want an *InterruptError", err)
	}
	wantThreads(t, ctx, g, u, 1, "while interrupted")
	if list := threadsOf(t, ctx, g, u); len(list) == 1 && list[0].ThreadID != ie.ThreadID {
		t.Errorf("the kept thread is %s, the interrupt names %s", list[0].ThreadID, ie.ThreadID)
	}
	out, err := node(ie.ResumeContext(user, "yes"), map[string]any{})
	if err != nil || out["answer"] != "yes" {
		t.Fatalf("resumed Node = %v, %v", out, err)
	}
	wantThreads(t, ctx, g, u, 0, "after the resumed run")

	// A thread the caller names is the caller's: kept, resumed or not.
	tid := threadID(40)
	_, err = node(remotegraph.ContextWithThreadID(user, tid), map[string]any{})
	if !errors.As(err, &ie) || ie.ThreadID != tid {
		t.Fatalf("Node on %s = %v, want an *InterruptError on it", tid, err)
	}
	if _, err := node(ie.ResumeContext(user, "yes"), map[string]any{}); err != nil {
		t.Fatal(err)
	}
	wantThreads(t, ctx, g, u, 1, "after a run on the caller's thread")
}

// Invoke and Stream without a thread id run stateless: the server's
// temporary thread goes when the run ends, whether it succeeded, failed or
// lost its caller.
func TestIntegrationStatelessLeavesNoThread(t *testing.T) {
	ctx := srv.Setup(t)
	noLeak(t)
	u := testserver.Carol
	user := as(ctx, u)
	agent := newGraph(t, testserver.GraphAgent, remotegraph.Params{})
	failing := newGraph(t, testserver.GraphError, remotegraph.Params{})
	slow := newGraph(t, testserver.GraphSlow, remotegraph.Params{})

	if _, err := agent.Invoke(user, say("hi"), remotegraph.RunParams{}); err != nil {
		t.Fatal(err)
	}
	wantThreads(t, ctx, agent, u, 0, "after Invoke")
	if _, err := collect(t, agent.Stream(user, say("hi"), remotegraph.StreamParams{})); err != nil {
		t.Fatal(err)
	}
	eventuallyNoThreads(t, ctx, agent, u, "after Stream")

	var re *remotegraph.RemoteError
	if _, err := failing.Invoke(user, map[string]any{}, remotegraph.RunParams{}); !errors.As(err, &re) {
		t.Fatalf("failing Invoke: %v", err)
	}
	eventuallyNoThreads(t, ctx, agent, u, "after a failed Invoke")
	if _, err := collect(t, failing.Stream(user, map[string]any{}, remotegraph.StreamParams{})); !errors.As(err, &re) {
		t.Fatalf("failing Stream: %v", err)
	}
	eventuallyNoThreads(t, ctx, agent, u, "after a failed Stream")

	err := cancelOnceBusy(t, ctx, slow, u, func(ctx context.Context) error {
		_, err := slow.Invoke(ctx, slowInput, remotegraph.RunParams{})
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Invoke: %v", err)
	}
	eventuallyNoThreads(t, ctx, agent, u, "after a cancelled Invoke")
	err = cancelOnceBusy(t, ctx, slow, u, func(ctx context.Context) error {
		_, err := collect(t, slow.Stream(ctx, slowInput, remotegraph.StreamParams{}))
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled Stream: %v", err)
	}
	eventuallyNoThreads(t, ctx, agent, u, "after a cancelled Stream")
}

func decodeAgentMap(t *testing.T, m map[string]any) agentState {
	t.Helper()
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return decodeAgent(t, raw)
}
