package threads_test

import (
	"context"
	"fmt"
	"log"

	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/threads"
)

// On a deployment with custom auth, a client that carries an end user's
// Bearer token creates threads as that user, and Search returns only that
// user's threads. It needs a running server, so it has no Output.
func Example() {
	ctx := context.Background()
	c, err := client.New(
		client.WithBaseURL("http://localhost:2024"),
		client.WithBearerToken("token-alice"), // the end user's token
	)
	if err != nil {
		log.Fatal(err)
	}

	th, err := c.Threads.Create(ctx, threads.CreateParams{
		GraphID:  "agent",
		Metadata: map[string]any{"topic": "billing"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created", th.ThreadID, "owned by", th.Metadata["owner"])

	mine, err := c.Threads.Search(ctx, threads.SearchParams{
		Metadata:  map[string]any{"topic": "billing"},
		SortBy:    threads.SortByCreatedAt,
		SortOrder: threads.Desc,
		Limit:     20,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range mine {
		fmt.Println(t.ThreadID, t.Status)
	}
}

// SearchAll walks every page of a search; stop whenever you like.
func ExampleService_SearchAll() {
	ctx := context.Background()
	c, err := client.New(client.WithBaseURL("http://localhost:2024"), client.WithBearerToken("token-alice"))
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for t, err := range c.Threads.SearchAll(ctx, threads.SearchParams{Status: threads.StatusInterrupted, Limit: 50}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(t.ThreadID, len(t.Interrupts), "interrupted tasks")
		if n++; n == 200 {
			break
		}
	}
}

// Read a thread's state, edit it as if a node had written it, and look at
// the checkpoint the edit created.
func ExampleService_UpdateState() {
	ctx := context.Background()
	c, err := client.New(client.WithBaseURL("http://localhost:2024"), client.WithBearerToken("token-alice"))
	if err != nil {
		log.Fatal(err)
	}
	threadID := "6f1d2c3e-0000-4000-8000-000000000000"

	st, err := c.Threads.GetState(ctx, threadID, threads.StateParams{})
	if err != nil {
		log.Fatal(err)
	}
	var values map[string]any
	if err := st.Decode(&values); err != nil {
		log.Fatal(err)
	}
	fmt.Println("next:", st.Next, "pending interrupts:", len(st.Interrupts))

	up, err := c.Threads.UpdateState(ctx, threadID, threads.UpdateStateParams{
		Values: map[string]any{"trail": "edited;"},
		AsNode: "child", // the graph continues as if node "child" had returned this
	})
	if err != nil {
		log.Fatal(err)
	}
	after, err := c.Threads.GetState(ctx, threadID, threads.StateParams{CheckpointID: up.Checkpoint.CheckpointID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(after.Values), after.Next)
}
