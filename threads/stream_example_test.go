package threads_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/threads"
)

// Follow everything that happens on a thread: the events of its runs and
// their starts and ends. A run that fails shows as a *langgraph.RunError and
// the stream goes on. It needs a server that implements thread streams (the
// Python server; the JS development server does not), so it has no Output.
func ExampleService_JoinStream() {
	ctx := context.Background()
	c, err := client.New(langgraph.WithBaseURL("http://localhost:8123"), langgraph.WithBearerToken("token-alice"))
	if err != nil {
		log.Fatal(err)
	}
	for part, err := range c.Threads.JoinStream(ctx, "my-thread-id", threads.JoinStreamParams{
		StreamMode: []threads.StreamMode{threads.StreamRunModes, threads.StreamLifecycle},
	}) {
		var runErr *langgraph.RunError
		if errors.As(err, &runErr) {
			fmt.Println("a run failed:", runErr.Message)
			continue
		} else if err != nil {
			log.Fatal(err)
		}
		fmt.Println(part.Event, part.ID, string(part.Data))
	}
}
