// Command quickstart runs a graph on a LangGraph deployment as one end user:
// it creates a thread, runs the graph on it and waits for the result, then
// lists the user's threads.
//
//	go run ./examples/quickstart -url http://localhost:8123 -token token-alice -input hello
//
// Flags fall back to LANGGRAPH_API_URL (else http://localhost:8123, where
// `make server` serves the repository's test server) and
// LANGGRAPH_AUTH_TOKEN; an API key in
// LANGGRAPH_API_KEY (or LANGSMITH_API_KEY, LANGCHAIN_API_KEY) is sent as
// x-api-key. Errors go to stderr with exit status 1.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	url := fs.String("url", os.Getenv("LANGGRAPH_API_URL"), "deployment URL (default $LANGGRAPH_API_URL, else "+client.DefaultBaseURL+")")
	token := fs.String("token", os.Getenv("LANGGRAPH_AUTH_TOKEN"), "the end user's Bearer token (default $LANGGRAPH_AUTH_TOKEN)")
	graph := fs.String("graph", "agent", "assistant id or graph name to run")
	input := fs.String("input", "hello", "the human message to send")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	opts := []langgraph.Option{}
	if *url != "" {
		opts = append(opts, langgraph.WithBaseURL(*url))
	}
	if *token != "" {
		opts = append(opts, langgraph.WithBearerToken(*token))
	}
	c, err := client.New(opts...)
	if err != nil {
		return err
	}

	// Everything below happens as the user whose token the client carries.
	thread, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		return explain(err)
	}
	fmt.Fprintln(stdout, "thread:", thread.ThreadID)

	res, err := c.Runs.Wait(ctx, thread.ThreadID, *graph, runs.CreateParams{
		Input: map[string]any{"messages": []map[string]any{{"role": "human", "content": *input}}},
	})
	if err != nil {
		return explain(err)
	}
	values, err := json.MarshalIndent(res.Values, "", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "values: %s\n", values)
	for _, in := range res.Interrupts {
		fmt.Fprintf(stdout, "interrupted: %s\n", in.Value)
	}

	mine, err := c.Threads.Search(ctx, threads.SearchParams{Limit: 100})
	if err != nil {
		return explain(err)
	}
	fmt.Fprintf(stdout, "my threads (%d):\n", len(mine))
	for _, t := range mine {
		fmt.Fprintln(stdout, " ", t.ThreadID)
	}
	return nil
}

// explain adds a hint to the errors a first run usually meets.
func explain(err error) error {
	var conn *langgraph.ConnectionError
	switch {
	case errors.Is(err, langgraph.ErrUnauthorized):
		return fmt.Errorf("%w (pass the user's token with -token or LANGGRAPH_AUTH_TOKEN)", err)
	case errors.As(err, &conn):
		return fmt.Errorf("%w (is the server running? set -url or LANGGRAPH_API_URL)", err)
	}
	return err
}
