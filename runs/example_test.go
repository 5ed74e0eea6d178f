package runs_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

// Run a graph on a new thread and wait for its final state. A failing node
// comes back as a *langgraph.RunError. The client takes the deployment's URL
// from LANGGRAPH_API_URL (the package's tests point it at their test server).
func ExampleService_Wait() {
	ctx := context.Background()
	c, err := client.New(langgraph.WithBearerToken("token-alice"))
	if err != nil {
		log.Fatal(err)
	}
	th, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.Runs.Wait(ctx, th.ThreadID, "agent", runs.CreateParams{
		Input: map[string]any{"messages": []any{map[string]any{"role": "human", "content": "hello"}}},
		OnRunCreated: func(m langgraph.RunRef) {
			fmt.Println("run created") // m.RunID identifies it while it goes on
		},
	})
	var runErr *langgraph.RunError
	switch {
	case errors.As(err, &runErr):
		log.Fatalf("the graph failed: %s: %s", runErr.Name, runErr.Message)
	case err != nil:
		log.Fatal(err)
	}
	msgs, err := res.Messages() // the final state's messages
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(msgs[len(msgs)-1].Text())
	// Output:
	// run created
	// You said: hello
}

// Start a run in the background, do something else, then collect its result.
func ExampleService_Join() {
	ctx := context.Background()
	c, err := client.New(langgraph.WithBearerToken("token-alice"))
	if err != nil {
		log.Fatal(err)
	}
	th, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		log.Fatal(err)
	}
	run, err := c.Runs.Create(ctx, th.ThreadID, "agent", runs.CreateParams{
		Input:    map[string]any{"messages": []any{map[string]any{"role": "human", "content": "later"}}},
		Metadata: map[string]any{"source": "batch-job"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("run", run.Status, "from", run.Metadata["source"])

	res, err := c.Runs.Join(ctx, th.ThreadID, run.RunID, runs.JoinParams{})
	if err != nil {
		log.Fatal(err)
	}
	type State struct { // the graph's state, or the part of it you read
		Messages []langgraph.Message `json:"messages"`
	}
	st, err := langgraph.DecodeAs[State](res.Values) // or res.Decode(&st)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Messages[len(st.Messages)-1].Text())
	// Output:
	// run pending from batch-job
	// You said: later
}

// A graph that asks for approval stops at an interrupt; answer it with a
// Command on the same thread.
func ExampleService_Wait_resume() {
	ctx := context.Background()
	c, err := client.New(langgraph.WithBearerToken("token-alice"))
	if err != nil {
		log.Fatal(err)
	}
	th, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.Runs.Wait(ctx, th.ThreadID, "interrupt", runs.CreateParams{Input: map[string]any{}})
	if err != nil {
		log.Fatal(err)
	}
	for res.Interrupted() {
		for _, in := range res.Interrupts {
			var ask struct {
				Question string `json:"question"`
			}
			if err := in.Decode(&ask); err != nil {
				log.Fatal(err)
			}
			fmt.Println("the graph asks:", ask.Question)
		}
		res, err = c.Runs.Wait(ctx, th.ThreadID, "interrupt", runs.CreateParams{
			Command: &langgraph.Command{Resume: "yes"},
		})
		if err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(string(res.Values))
	// Output:
	// the graph asks: approve?
	// {"answer":"yes","done":true}
}
