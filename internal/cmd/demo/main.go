// Command demo is what `make demo` runs: it starts the real LangGraph server of
// testdata/server (custom auth, deterministic graphs) on a free local port,
// runs examples/quickstart against it as two users, alice and bob, and stops
// the server. Each user sees only their own threads.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/langgraph-go/langgraph/internal/testserver"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	tmp, err := os.MkdirTemp("", "langgraph-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "quickstart")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./examples/quickstart")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building examples/quickstart: %w", err)
	}

	fmt.Println("Starting the LangGraph server of testdata/server (npm ci on first use)...")
	startCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	srv, err := testserver.Start(startCtx)
	cancel()
	if err != nil {
		return err
	}
	defer func() {
		if err := srv.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "demo: stopping the server:", err)
		}
		fmt.Println("Server stopped.")
	}()
	fmt.Println("Server up at", srv.URL())

	steps := []struct{ who, token, input string }{
		{"alice", testserver.TokenAlice, "hello"},
		{"bob", testserver.TokenBob, "hi, I am Bob"},
		{"alice", testserver.TokenAlice, "hello again"},
	}
	for _, s := range steps {
		args := []string{"-url", srv.URL(), "-token", s.token, "-input", s.input}
		fmt.Printf("\n== as %s: quickstart %s\n", s.who, strings.Join(quote(args), " "))
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		cmd.Env = withoutKeys(os.Environ())
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("quickstart as %s: %w\nserver log:\n%s", s.who, err, srv.Log())
		}
	}
	fmt.Println("\nalice sees her two threads and bob only his: the server's auth handler scopes threads to the token's user,")
	fmt.Println("and the graph's node saw that user in config.configurable.langgraph_auth_user (\"user\" in the values).")
	return nil
}

// withoutKeys drops API keys from the environment so that only the token
// authenticates the demo's users.
func withoutKeys(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY", "LANGGRAPH_API_URL", "LANGGRAPH_AUTH_TOKEN":
			continue
		}
		out = append(out, kv)
	}
	return out
}

func quote(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if strings.ContainsAny(a, " ,'\"") {
			a = "'" + a + "'"
		}
		out[i] = a
	}
	return out
}
