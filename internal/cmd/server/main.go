// Command server is what `make server` runs: it starts the real LangGraph
// server of testdata/server (custom auth, deterministic graphs) on
// http://localhost:8123, the SDK's default base URL (client.DefaultBaseURL),
// prints its users' credentials and how to try it, and runs until Ctrl-C.
//
// With it running, lg, examples/quickstart and contrib/eino/examples/eino
// need no URL flag; only the user's token (LANGGRAPH_AUTH_TOKEN). The
// server's state lives in a temporary folder and is gone when it stops.
//
// If the port is taken it exits at once with status 1 and says so; -port
// picks another one (then pass --url, or set LANGGRAPH_API_URL).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/testserver"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// defaultPort is the port of client.DefaultBaseURL.
func defaultPort() string {
	u, err := url.Parse(client.DefaultBaseURL)
	if err != nil || u.Port() == "" {
		panic("client.DefaultBaseURL has no port: " + client.DefaultBaseURL)
	}
	return u.Port()
}

// run starts the server, prints how to use it on stdout and stops it when
// ctx ends.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("server", flag.ContinueOnError)
	port, _ := strconv.Atoi(defaultPort())
	fs.IntVar(&port, "port", port, "loopback port to listen on (the SDK's default base URL uses this one)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fs.Args())
	}

	fmt.Fprintf(stdout, "Starting the LangGraph server of testdata/server on port %d (npm ci on first use)...\n", port)
	startCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	srv, err := testserver.StartOnPort(startCtx, port)
	cancel()
	if errors.Is(err, testserver.ErrPortInUse) {
		return fmt.Errorf("%w\nSomething already listens on port %d (another `make server`? a LangGraph server started by hand?).\n"+
			"Stop it, or run `go run ./internal/cmd/server -port N` and point clients at http://localhost:N (--url or LANGGRAPH_API_URL)", err, port)
	}
	if err != nil {
		return err
	}
	defer func() {
		if err := srv.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "server: stopping:", err)
		}
		fmt.Fprintln(stdout, "Server stopped.")
	}()

	base := fmt.Sprintf("http://localhost:%d", port)
	printUsage(stdout, base, strconv.Itoa(port) == defaultPort())

	select {
	case <-ctx.Done():
		fmt.Fprintln(stdout, "\nStopping the server...")
		return nil
	case <-srv.Exited():
		return fmt.Errorf("the server exited on its own; its log:\n%s", srv.Log())
	}
}

func printUsage(w io.Writer, base string, isDefault bool) {
	fmt.Fprintf(w, "\nLangGraph server up at %s (state is kept until it stops). Ctrl-C stops it.\n\n", base)
	fmt.Fprintln(w, "Users (the server's custom auth scopes threads to each):")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, u := range []testserver.User{testserver.Alice, testserver.Bob, testserver.Carol, testserver.Dave} {
		if u.Token != "" {
			fmt.Fprintf(tw, "  %s\tBearer token\t%s\texport LANGGRAPH_AUTH_TOKEN=%s\n", u.Identity, u.Token, u.Token)
		} else {
			fmt.Fprintf(tw, "  %s\tAPI key (x-api-key)\t%s\texport LANGGRAPH_API_KEY=%s\n", u.Identity, u.APIKey, u.APIKey)
		}
	}
	_ = tw.Flush()
	graphs := []string{testserver.GraphAgent, testserver.GraphInterrupt, testserver.GraphError, testserver.GraphSubgraph, testserver.GraphSlow}
	fmt.Fprintf(w, "Graphs: %s (see testdata/server/README.md)\n\n", strings.Join(graphs, ", "))

	fmt.Fprintln(w, "In another terminal, from the repository:")
	if !isDefault {
		fmt.Fprintf(w, "  export LANGGRAPH_API_URL=%s\n", base)
	}
	fmt.Fprintln(w, "  export LANGGRAPH_AUTH_TOKEN="+testserver.TokenAlice)
	fmt.Fprintln(w, "  go run ./examples/quickstart -input hello")
	fmt.Fprintln(w, "  go run ./cmd/lg threads search")
	fmt.Fprintln(w, `  go run ./cmd/lg runs stream agent --input '{"messages":[{"role":"human","content":"hi"}]}'`)
	fmt.Fprintln(w, "  (cd contrib/eino && go run ./examples/eino -question hello)")
	fmt.Fprintln(w)
}
