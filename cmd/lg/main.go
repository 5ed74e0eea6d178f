// Command lg is a command-line client for LangGraph deployments (the
// LangGraph Server HTTP API), built on the langgraph-go SDK: threads,
// assistants, runs (waited for or streamed), the store, cron jobs, and
// RemoteGraph invocations, as one user of the deployment.
//
//	go install github.com/langgraph-go/langgraph/cmd/lg@latest
//	export LANGGRAPH_API_URL=http://localhost:8123 LANGGRAPH_AUTH_TOKEN=...
//	lg threads create
//	lg runs wait agent --thread THREAD_ID --input '{"messages":[{"role":"human","content":"hi"}]}'
//	lg runs stream agent --input @input.json --stream-mode updates
//
// Output is one JSON document, or JSON Lines for streams. The exit status is
// 0 on success, 1 for bad usage or input, 2 for an API error or a failed run,
// 3 when the server cannot be reached or the --timeout expires, 4 when the
// run stopped at an interrupt or a breakpoint (its output printed as usual),
// and 130 when lg is interrupted. Run "lg help"
// for the commands and "lg COMMAND -h" for a command's flags and examples.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
