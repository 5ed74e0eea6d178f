// Command eino runs an eino compose graph whose middle node is a graph of a
// LangGraph deployment, as one end user:
//
//	prepare (local) -> agent (RemoteGraph) -> report (local)
//
//	go run ./examples/eino -url http://localhost:8123 -token token-alice -question hello
//
// The user's token travels on the context of the eino run, so the remote
// graph's nodes run as that user (the test server's agent graph records it
// in its "user" state field, which the report prints). Flags fall back to
// LANGGRAPH_API_URL (else http://localhost:8123, where `make server` serves
// the repository's test server) and LANGGRAPH_AUTH_TOKEN.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/cloudwego/eino/compose"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	lgeino "github.com/langgraph-go/langgraph/contrib/eino"
	"github.com/langgraph-go/langgraph/remotegraph"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "eino:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("eino", flag.ContinueOnError)
	url := fs.String("url", os.Getenv("LANGGRAPH_API_URL"), "deployment URL (default $LANGGRAPH_API_URL, else http://localhost:8123)")
	token := fs.String("token", os.Getenv("LANGGRAPH_AUTH_TOKEN"), "the end user's Bearer token (default $LANGGRAPH_AUTH_TOKEN)")
	graph := fs.String("graph", "agent", "assistant id or graph name of the remote node")
	question := fs.String("question", "hello", "what the user asks")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	opts := []langgraph.Option{langgraph.WithPerCallCredentials()}
	if *url != "" {
		opts = append(opts, langgraph.WithBaseURL(*url))
	}
	c, err := client.New(opts...)
	if err != nil {
		return err
	}
	rg, err := remotegraph.New(c, *graph, remotegraph.Params{})
	if err != nil {
		return err
	}

	// One compiled graph can serve every user: credentials are per run.
	g := compose.NewGraph[string, string]()
	steps := []error{
		g.AddLambdaNode("prepare", compose.InvokableLambda(func(_ context.Context, q string) (map[string]any, error) {
			return map[string]any{"messages": []any{map[string]any{"role": "human", "content": q}}}, nil
		})),
		g.AddLambdaNode("agent", lgeino.InvokableLambda(rg)),
		g.AddLambdaNode("report", compose.InvokableLambda(report)),
		g.AddEdge(compose.START, "prepare"),
		g.AddEdge("prepare", "agent"),
		g.AddEdge("agent", "report"),
		g.AddEdge("report", compose.END),
	}
	if err := errors.Join(steps...); err != nil {
		return err
	}
	r, err := g.Compile(ctx)
	if err != nil {
		return err
	}

	if *token != "" {
		ctx = langgraph.ContextWithOptions(ctx, langgraph.WithBearerToken(*token))
	}
	out, err := r.Invoke(ctx, *question)
	if err != nil {
		var re *remotegraph.RemoteError
		if errors.As(err, &re) {
			return fmt.Errorf("the remote graph failed: %s: %s", re.Name, re.Message)
		}
		return err
	}
	fmt.Fprintln(stdout, out)
	return nil
}

// report turns the remote graph's final state into one line.
func report(_ context.Context, state map[string]any) (string, error) {
	msgs, _ := state["messages"].([]any)
	if len(msgs) == 0 {
		return "", fmt.Errorf("the remote graph returned no messages: %v", state)
	}
	last, _ := msgs[len(msgs)-1].(map[string]any)
	who := "nobody (the deployment has no custom auth)"
	if user, ok := state["user"].(map[string]any); ok {
		who = fmt.Sprint(user["identity"])
	}
	return fmt.Sprintf("remote answer: %q (the remote node ran as %s)", last["content"], who), nil
}
