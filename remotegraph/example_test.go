package remotegraph_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"strings"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/remotegraph"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

// One RemoteGraph serves every end user: each call carries the user's own
// token on its context. The client holds no credentials of its own; without
// langgraph.WithBaseURL the deployment's URL comes from LANGGRAPH_API_URL
// (the package's tests point it at their test server).
func Example() {
	c, err := client.New(langgraph.WithPerCallCredentials())
	if err != nil {
		log.Fatal(err)
	}
	rg, err := remotegraph.New(c, "agent", remotegraph.Params{})
	if err != nil {
		log.Fatal(err)
	}
	for _, token := range []string{"token-alice", "token-bob"} {
		ctx := langgraph.ContextWithOptions(context.Background(), langgraph.WithBearerToken(token))
		res, err := rg.Invoke(ctx, map[string]any{
			"messages": []any{map[string]any{"role": "human", "content": "hello"}},
		}, remotegraph.RunParams{})
		if err != nil {
			log.Fatal(err)
		}
		var state struct {
			User struct {
				Identity string `json:"identity"`
			} `json:"user"`
		}
		if err := res.Decode(&state); err != nil {
			log.Fatal(err)
		}
		fmt.Println("the remote node ran as", state.User.Identity)
	}
	// Output:
	// the remote node ran as alice
	// the remote node ran as bob
}

// A remote graph as a node of a local graph: a remote interrupt stops the
// node, and the host resumes it on the same remote thread.
func ExampleRemoteGraph_Node() {
	c, err := client.New(langgraph.WithPerCallCredentials())
	if err != nil {
		log.Fatal(err)
	}
	rg, err := remotegraph.New(c, "interrupt", remotegraph.Params{})
	if err != nil {
		log.Fatal(err)
	}
	node := rg.Node()
	ctx := langgraph.ContextWithOptions(context.Background(), langgraph.WithBearerToken("token-alice"))
	ctx = remotegraph.ContextWithThreadID(ctx, "6f1c1a0e-3b5d-4c61-9a39-2f4d2b0c9e11") // the host's conversation

	state := map[string]any{}
	out, err := node(ctx, state)
	var ie *remotegraph.InterruptError
	if errors.As(err, &ie) {
		fmt.Printf("the remote graph asks %s\n", ie.Interrupts[0].Value)
		out, err = node(ie.ResumeContext(ctx, "approved"), state) // Command{Resume}, not a new run
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out["answer"], out["done"])
	// Output:
	// the remote graph asks {"question":"approve?"}
	// approved true
}

// Stream a remote graph nested in a caller: the caller's namespace prefixes
// the namespaces of the remote events.
func ExampleRemoteGraph_Stream() {
	c, err := client.New(langgraph.WithPerCallCredentials())
	if err != nil {
		log.Fatal(err)
	}
	rg, err := remotegraph.New(c, "subgraph", remotegraph.Params{})
	if err != nil {
		log.Fatal(err)
	}
	ctx := langgraph.ContextWithOptions(context.Background(), langgraph.WithBearerToken("token-alice"))
	p := remotegraph.StreamParams{
		Config: &langgraph.Config{
			Configurable: map[string]any{remotegraph.KeyCheckpointNS: "host_node:1"},
		},
		StreamMode: []runs.StreamMode{runs.StreamUpdates},
		Subgraphs:  true,
	}
	for part, err := range rg.Stream(ctx, map[string]any{"trail": ""}, p) {
		var re *remotegraph.RemoteError
		if errors.As(err, &re) {
			log.Fatalf("remote node %s failed: %s", re.Node, re.Message)
		}
		if err != nil {
			log.Fatal(err)
		}
		if part.Kind != langgraph.EventUpdates {
			continue // the run's metadata comes first
		}
		// Each namespace element is "node:task id"; print the nodes only,
		// since task ids change from run to run.
		var nodes []string
		for _, ns := range part.Namespace {
			node, _, _ := strings.Cut(ns, ":")
			nodes = append(nodes, node)
		}
		fmt.Println(nodes, string(part.Data))
	}
	// Output:
	// [host_node child] {"inner":{"trail":"inner;"}}
	// [host_node] {"child":{"trail":"inner;"}}
	// [host_node] {"outer":{"trail":"inner;outer;"}}
}

// Read a remote thread's history and fork it: UpdateState at an earlier
// checkpoint starts a new branch, which the thread's next run continues.
func ExampleRemoteGraph_GetStateHistory() {
	c, err := client.New(langgraph.WithPerCallCredentials())
	if err != nil {
		log.Fatal(err)
	}
	rg, err := remotegraph.New(c, "agent", remotegraph.Params{
		Config: remotegraph.ThreadConfig("0b7e4a52-9d1c-4f0e-8a3b-5c6d7e8f9a01"),
	})
	if err != nil {
		log.Fatal(err)
	}
	ctx := langgraph.ContextWithOptions(context.Background(), langgraph.WithBearerToken("token-alice"))
	say := func(text string) map[string]any {
		return map[string]any{"messages": []any{map[string]any{"role": "human", "content": text}}}
	}
	for _, text := range []string{"one", "two"} {
		if _, err := rg.Invoke(ctx, say(text), remotegraph.RunParams{}); err != nil {
			log.Fatal(err)
		}
	}
	// The checkpoints written by the agent node, newest first.
	hist, err := rg.GetStateHistory(ctx, nil, threads.HistoryParams{Metadata: map[string]any{"source": "loop"}})
	if err != nil {
		log.Fatal(err)
	}
	var firstAnswer *threads.State
	for i := range hist {
		if len(hist[i].Next) == 0 {
			firstAnswer = &hist[i] // the oldest end of a run seen so far
		}
	}
	cfg, err := rg.UpdateState(ctx, nil, threads.UpdateStateParams{
		Values:     say("forked"),
		Checkpoint: firstAnswer.Checkpoint,
	})
	if err != nil {
		log.Fatal(err)
	}
	st, err := rg.GetState(ctx, cfg, threads.StateParams{})
	if err != nil {
		log.Fatal(err)
	}
	var state struct {
		Messages []struct {
			Type    string `json:"type"`
			Content string `json:"content"`
		} `json:"messages"`
	}
	if err := st.Decode(&state); err != nil {
		log.Fatal(err)
	}
	for _, m := range state.Messages {
		fmt.Println(m.Type+":", m.Content)
	}
	// Output:
	// human: one
	// ai: You said: one
	// human: forked
}
