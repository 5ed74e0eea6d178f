package langgraphtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/langgraphtest"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

// A run's result, and what the code under test sent.
func ExampleNewServer() {
	srv := langgraphtest.NewServer(nil) // in a test: NewServer(t), closed when the test ends
	defer srv.Close()
	srv.Script("agent", langgraphtest.Run{Values: map[string]any{"answer": 42}})

	// The code under test builds its client from the deployment's URL.
	c, err := client.New(langgraph.WithBaseURL(srv.URL()), langgraph.WithoutAPIKey(), langgraph.WithBearerToken("user-token"))
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.Runs.WaitStateless(context.Background(), "agent", runs.CreateParams{Input: map[string]any{"question": "?"}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(res.Values))

	last := srv.LastRequest()
	var body struct {
		Input map[string]any `json:"input"`
	}
	if err := last.DecodeBody(&body); err != nil {
		log.Fatal(err)
	}
	fmt.Println(last.Method, last.Path, last.BearerToken(), body.Input)
	// Output:
	// {"answer":42}
	// POST /runs/wait user-token map[question:?]
}

// A chat model's tokens, streamed as the server streams them.
func ExampleMessageChunk() {
	srv := langgraphtest.NewServer(nil)
	defer srv.Close()
	srv.Script("agent", langgraphtest.Run{
		Events: []langgraphtest.Event{
			langgraphtest.MessageChunk("agent", "run-1", "Hel"),
			langgraphtest.MessageChunk("agent", "run-1", "lo!"),
			langgraphtest.Custom(map[string]any{"progress": 1}),
		},
		Values: map[string]any{"messages": []any{map[string]any{"type": "ai", "content": "Hello!"}}},
	})

	c := srv.Client()
	p := runs.StreamParams{
		Input:      map[string]any{"messages": []any{map[string]any{"role": "human", "content": "hi"}}},
		StreamMode: []runs.StreamMode{runs.StreamMessagesTuple, runs.StreamCustom},
	}
	for part, err := range c.Runs.StreamStateless(context.Background(), "agent", p) {
		if err != nil {
			log.Fatal(err)
		}
		switch part.Event {
		case "metadata":
			fmt.Println("run started")
		case "messages":
			var tuple []json.RawMessage // [chunk, metadata]
			var chunk langgraph.Message
			if err := json.Unmarshal(part.Data, &tuple); err != nil || json.Unmarshal(tuple[0], &chunk) != nil {
				log.Fatal("not a message chunk")
			}
			fmt.Printf("token %q\n", chunk.Text())
		default:
			fmt.Println(part.Event, string(part.Data))
		}
	}
	// Output:
	// run started
	// token "Hel"
	// token "lo!"
	// custom {"progress":1}
}

// A graph that asks for approval, and the run that resumes it.
func ExampleServer_ScriptFunc() {
	srv := langgraphtest.NewServer(nil)
	defer srv.Close()
	srv.ScriptFunc("approval", func(r langgraphtest.RunRequest) langgraphtest.Run {
		if answer := r.Resume(); answer != nil {
			return langgraphtest.Run{Values: map[string]any{"approved": answer}}
		}
		return langgraphtest.Run{Interrupts: []langgraphtest.Interrupt{{Value: "Send the mail?", Node: "review"}}}
	})

	ctx := context.Background()
	c := srv.Client()
	t, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.Runs.Wait(ctx, t.ThreadID, "approval", runs.CreateParams{Input: map[string]any{}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Interrupted(), string(res.Interrupts[0].Value))
	t, _ = c.Threads.Get(ctx, t.ThreadID)
	fmt.Println(t.Status)

	res, err = c.Runs.Wait(ctx, t.ThreadID, "approval", runs.CreateParams{Command: &langgraph.Command{Resume: true}})
	if err != nil {
		log.Fatal(err)
	}
	t, _ = c.Threads.Get(ctx, t.ThreadID)
	fmt.Println(string(res.Values), t.Status)
	// Output:
	// true "Send the mail?"
	// interrupted
	// {"approved":true} idle
}

// Users, each seeing only their own threads.
func ExampleServer_AddUser() {
	srv := langgraphtest.NewServer(nil)
	defer srv.Close()
	srv.AddUser(langgraphtest.User{Identity: "alice", Token: "token-alice"})
	srv.AddUser(langgraphtest.User{Identity: "bob", APIKey: "key-bob"})

	ctx := context.Background()
	c := srv.Client() // no credentials of its own
	t, err := c.Threads.Create(ctx, threads.CreateParams{}, langgraph.WithBearerToken("token-alice"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Metadata["owner"])

	_, err = c.Threads.Get(ctx, t.ThreadID, langgraph.WithAPIKey("key-bob"))
	fmt.Println(errors.Is(err, langgraph.ErrNotFound), srv.LastRequest().User)

	_, err = c.Threads.Get(ctx, t.ThreadID)
	fmt.Println(errors.Is(err, langgraph.ErrUnauthorized))
	// Output:
	// alice
	// true bob
	// true
}

// A server error that the client's retry gets past.
func ExampleServer_Fail() {
	srv := langgraphtest.NewServer(nil)
	defer srv.Close()
	srv.Fail("POST /threads/search", 1, 503, "overloaded")

	found, err := srv.Client().Threads.Search(context.Background(), threads.SearchParams{})
	fmt.Println(len(found), err, len(srv.Requests()))
	// Output:
	// 0 <nil> 2
}

// A run whose node fails.
func ExampleRunError() {
	srv := langgraphtest.NewServer(nil)
	defer srv.Close()
	srv.Script("agent", langgraphtest.Run{Error: &langgraphtest.RunError{Name: "ValueError", Message: "no tools"}})

	_, err := srv.Client().Runs.WaitStateless(context.Background(), "agent", runs.CreateParams{})
	var re *langgraph.RunError
	fmt.Println(errors.As(err, &re), re.Name, re.Message)
	// Output:
	// true ValueError no tools
}
