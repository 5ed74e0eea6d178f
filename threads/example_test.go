package threads_test

import (
	"context"
	"fmt"
	"log"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

// On a deployment with custom auth, a client that carries an end user's
// Bearer token creates threads as that user, and Search returns only that
// user's threads. The client takes the deployment's URL from
// LANGGRAPH_API_URL (the package's tests point it at their test server).
func Example() {
	ctx := context.Background()
	alice, err := client.New(langgraph.WithBearerToken("token-alice")) // the end user's token
	if err != nil {
		log.Fatal(err)
	}

	th, err := alice.Threads.Create(ctx, threads.CreateParams{
		GraphID:  "agent",
		Metadata: map[string]any{"topic": "billing"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer alice.Threads.Delete(ctx, th.ThreadID)
	fmt.Println("created a thread owned by", th.Metadata["owner"])

	search := threads.SearchParams{
		Metadata:  map[string]any{"topic": "billing"},
		SortBy:    threads.SortByCreatedAt,
		SortOrder: langgraph.Desc,
		Limit:     20,
	}
	mine, err := alice.Threads.Search(ctx, search)
	if err != nil {
		log.Fatal(err)
	}
	for _, t := range mine {
		fmt.Println("alice sees a thread of", t.Metadata["owner"], "status", t.Status)
	}

	bob, err := client.New(langgraph.WithBearerToken("token-bob"))
	if err != nil {
		log.Fatal(err)
	}
	theirs, err := bob.Threads.Search(ctx, search)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("bob sees", len(theirs), "threads")
	// Output:
	// created a thread owned by alice
	// alice sees a thread of alice status idle
	// bob sees 0 threads
}

// SearchAll walks every page of a search, here two threads a page; stop
// whenever you like.
func ExampleService_SearchAll() {
	ctx := context.Background()
	c, err := client.New(langgraph.WithBearerToken("token-alice"))
	if err != nil {
		log.Fatal(err)
	}
	for i := range 5 {
		th, err := c.Threads.Create(ctx, threads.CreateParams{Metadata: map[string]any{"batch": "import-42", "n": i}})
		if err != nil {
			log.Fatal(err)
		}
		defer c.Threads.Delete(ctx, th.ThreadID)
	}

	seen := 0
	for t, err := range c.Threads.SearchAll(ctx, threads.SearchParams{
		Metadata:  map[string]any{"batch": "import-42"},
		SortBy:    threads.SortByCreatedAt,
		SortOrder: langgraph.Asc,
		Limit:     2, // threads per request
	}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("thread", t.Metadata["n"])
		if seen++; seen == 3 {
			break // no further page is fetched
		}
	}
	// Output:
	// thread 0
	// thread 1
	// thread 2
}

// Read a thread's state, edit it as if a node had written it, and let the
// graph go on from there.
func ExampleService_UpdateState() {
	ctx := context.Background()
	c, err := client.New(langgraph.WithBearerToken("token-alice"))
	if err != nil {
		log.Fatal(err)
	}
	th, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		log.Fatal(err)
	}
	// Graph "subgraph" runs node "child", then node "outer".
	if _, err := c.Runs.Wait(ctx, th.ThreadID, "subgraph", runs.CreateParams{Input: map[string]any{"trail": "start;"}}); err != nil {
		log.Fatal(err)
	}

	st, err := c.Threads.GetState(ctx, th.ThreadID, threads.StateParams{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(st.Values), "next:", st.Next)

	up, err := c.Threads.UpdateState(ctx, th.ThreadID, threads.UpdateStateParams{
		Values: map[string]any{"trail": "edited;"},
		AsNode: "child", // the graph continues as if node "child" had returned this
	})
	if err != nil {
		log.Fatal(err)
	}
	after, err := c.Threads.GetState(ctx, th.ThreadID, threads.StateParams{CheckpointID: up.Checkpoint.CheckpointID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(after.Values), "next:", after.Next)

	// A run without input goes on from the edited state.
	res, err := c.Runs.Wait(ctx, th.ThreadID, "subgraph", runs.CreateParams{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(res.Values))
	// Output:
	// {"trail":"start;inner;outer;"} next: []
	// {"trail":"edited;"} next: [outer]
	// {"trail":"edited;outer;"}
}
