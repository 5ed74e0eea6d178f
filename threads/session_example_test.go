package threads_test

import (
	"context"
	"fmt"
	"log"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/threads"
)

// A session streams a reply token by token. Over a WebSocket, pass
// threads.SessionParams{Transport: threads.TransportWebSocket}.
func ExampleService_Session() {
	ctx := context.Background()
	c, err := client.New(langgraph.WithBearerToken("token-alice")) // the end user's token
	if err != nil {
		log.Fatal(err)
	}
	// An empty thread id starts a new thread; give each user their own.
	sess, err := c.Threads.Session(ctx, "", "agent", threads.SessionParams{})
	if err != nil {
		log.Fatal(err)
	}
	defer sess.Close()

	run, err := sess.Start(ctx, threads.RunInput{
		Input: map[string]any{"messages": []map[string]any{{"role": "user", "content": "hi"}}},
	})
	if err != nil {
		log.Fatal(err)
	}
	for ev, err := range run.Events(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(ev.TextDelta) // "" for every event but a text delta
	}
	fmt.Println()
	out, err := run.Output(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Status)
	// Output:
	// You said: hi
	// completed
}

// A run stops at an interrupt; the session answers it and the run resumes.
func ExampleSession_Respond() {
	ctx := context.Background()
	c, err := client.New(langgraph.WithBearerToken("token-alice"))
	if err != nil {
		log.Fatal(err)
	}
	sess, err := c.Threads.Session(ctx, "", "interrupt", threads.SessionParams{})
	if err != nil {
		log.Fatal(err)
	}
	defer sess.Close()

	run, err := sess.Start(ctx, threads.RunInput{Input: map[string]any{}})
	if err != nil {
		log.Fatal(err)
	}
	for ev, err := range run.Events(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		if ev.Input != nil { // the run asks for input
			fmt.Println("asked:", string(ev.Input.Payload))
		}
	}
	out, err := run.Output(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Status)

	resumed, err := sess.Respond(ctx, out.Interrupts[0].InterruptID, "yes")
	if err != nil {
		log.Fatal(err)
	}
	out, err = resumed.Output(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Status, string(out.Values))
	// Output:
	// asked: {"question":"approve?"}
	// interrupted
	// completed {"answer":"yes","done":true}
}
