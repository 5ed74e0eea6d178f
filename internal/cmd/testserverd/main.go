// Command testserverd runs the test server of internal/testserver for test
// packages that cannot import it: the nested modules (contrib/eino), whose
// tests build and start this command from the root module.
//
// It starts a server, prints its base URL as one line
//
//	LANGGRAPH_TEST_SERVER_URL=http://127.0.0.1:41234
//
// on standard output, and runs until its standard input closes (or it gets
// SIGINT or SIGTERM); then it stops the server and exits. A test binary that
// dies closes the pipe, so the server never outlives it.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/langgraph-go/langgraph/internal/testserver"
)

// URLPrefix starts the line that carries the server's URL.
const URLPrefix = "LANGGRAPH_TEST_SERVER_URL="

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "testserverd:", err)
		os.Exit(1)
	}
}

func run() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	srv, err := testserver.Start(ctx)
	cancel()
	if err != nil {
		return err
	}
	fmt.Println(URLPrefix + srv.URL())

	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin) // returns when stdin closes
		close(done)
	}()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	select {
	case <-done:
	case <-sigs:
	}
	signal.Stop(sigs)
	if err := srv.Stop(); err != nil {
		return err
	}
	return nil
}
