package runs_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

// recordedDeployment serves, for any run stream, a stream recorded from the
// test server's agent graph (modes messages-tuple and values, input "hi").
func recordedDeployment() *httptest.Server {
	rec, err := os.ReadFile("testdata/example.sse")
	if err != nil {
		log.Fatal(err)
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodPost: // start the run
			w.Header().Set("Content-Type", "text/event-stream")
			w.Header().Set("Content-Location", "/threads/01a21b18-0000-7000-8000-000000000001/runs/01a21b18-0000-7000-8000-000000000002")
			w.Write(rec)
		case strings.HasSuffix(r.URL.Path, "/stream"): // join: no event after the last one
			w.Header().Set("Content-Type", "text/event-stream")
		default: // the run's status
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"run_id":"01a21b18-0000-7000-8000-000000000002","status":"success"}`)
		}
	}))
}

// Stream a chat model's answer token by token (stream mode messages-tuple),
// then read the final state (values). The deployment here replays a
// recorded stream so that the example runs anywhere.
func ExampleService_Stream() {
	dep := recordedDeployment()
	defer dep.Close()
	ctx := context.Background()
	c, err := client.New(langgraph.WithBaseURL(dep.URL), langgraph.WithBearerToken("token-alice"))
	if err != nil {
		log.Fatal(err)
	}

	p := runs.StreamParams{
		Input:           map[string]any{"messages": []map[string]any{{"role": "human", "content": "hi"}}},
		StreamMode:      []runs.StreamMode{runs.StreamMessagesTuple, runs.StreamValues},
		StreamResumable: true, // survive a broken connection
		OnRunCreated:    func(run langgraph.RunRef) { fmt.Println("run", run.RunID) },
	}

	for part, err := range c.Runs.Stream(ctx, "01a21b18-0000-7000-8000-000000000001", "agent", p) {
		var runErr *langgraph.RunError
		if errors.As(err, &runErr) {
			log.Fatalf("the graph failed: %s: %s", runErr.Name, runErr.Message)
		} else if err != nil {
			log.Fatal(err)
		}
		switch part.Kind {
		case langgraph.EventMessages: // mode messages-tuple
			chunk, meta, err := part.MessageChunk()
			if err != nil {
				log.Fatal(err)
			}
			if meta.Node == "agent" {
				fmt.Print(chunk.Text())
			}
		case langgraph.EventValues:
			var state struct {
				Messages []langgraph.Message `json:"messages"`
			}
			if err := part.Decode(&state); err != nil {
				log.Fatal(err)
			}
			fmt.Printf("\n%d messages after event %s\n", len(state.Messages), part.ID)
		}
	}
	// Output:
	// run 01a21b18-0000-7000-8000-000000000002
	//
	// 1 messages after event 1
	// You said: hi
	// 2 messages after event 14
}

// Join the stream of a run started in the background, from its first event
// (the run was created with StreamResumable, so the server replays it). The
// client takes the deployment's URL from LANGGRAPH_API_URL (the package's
// tests point it at their test server).
func ExampleService_JoinStream() {
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
		Input:           map[string]any{"messages": []map[string]any{{"role": "human", "content": "hi"}}},
		StreamMode:      []runs.StreamMode{runs.StreamUpdates},
		StreamResumable: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	for part, err := range c.Runs.JoinStream(ctx, run.ThreadID, run.RunID, runs.JoinStreamParams{
		LastEventID: "-1", // from the start; or the ID of the last part you saw
		Resumable:   true, // rejoin after a broken connection
	}) {
		if err != nil {
			log.Fatal(err)
		}
		if part.Kind == langgraph.EventUpdates {
			updates, interrupts, err := part.Updates()
			if err != nil {
				log.Fatal(err)
			}
			for _, u := range updates {
				fmt.Println(u.Node, "updated the state")
			}
			for _, in := range interrupts {
				fmt.Println("interrupted:", string(in.Value))
			}
		}
	}
	// Output:
	// agent updated the state
}
