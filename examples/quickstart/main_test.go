package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/testserver"
)

var srv *testserver.Server

func TestMain(m *testing.M) { os.Exit(testserver.Main(m, &srv)) }

// setup resets the server and clears the environment the program reads.
func setup(t *testing.T) context.Context {
	t.Helper()
	ctx := srv.Setup(t)
	for _, k := range []string{"LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY", "LANGGRAPH_AUTH_TOKEN"} {
		t.Setenv(k, "")
	}
	return ctx
}

var threadLine = regexp.MustCompile(`(?m)^thread: (\S+)$`)

// quickstart runs the program as one user and returns its output and the
// thread it created.
func quickstart(t *testing.T, ctx context.Context, args ...string) (string, string) {
	t.Helper()
	var out bytes.Buffer
	if err := run(ctx, append([]string{"-url", srv.URL()}, args...), &out); err != nil {
		t.Fatalf("quickstart %v: %v\n%s", args, err, out.String())
	}
	m := threadLine.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no thread line in:\n%s", out.String())
	}
	return out.String(), m[1]
}

func TestQuickstartAsTwoUsers(t *testing.T) {
	ctx := setup(t)
	outA, threadA := quickstart(t, ctx, "-token", testserver.TokenAlice, "-input", "hello")
	for _, want := range []string{`"content": "You said: hello"`, `"identity": "alice"`, `"github_token": "gh-alice-secret"`, "my threads (1):", "  " + threadA} {
		if !strings.Contains(outA, want) {
			t.Errorf("alice's output lacks %q:\n%s", want, outA)
		}
	}

	// Bob's token comes from the environment this time.
	t.Setenv("LANGGRAPH_AUTH_TOKEN", testserver.TokenBob)
	outB, threadB := quickstart(t, ctx, "-input", "hi")
	if !strings.Contains(outB, `"identity": "bob"`) || !strings.Contains(outB, "my threads (1):\n  "+threadB+"\n") {
		t.Errorf("bob's output:\n%s", outB)
	}
	if strings.Contains(outB, threadA) {
		t.Errorf("bob sees alice's thread %s:\n%s", threadA, outB)
	}
}

func TestQuickstartInterrupt(t *testing.T) {
	ctx := setup(t)
	out, _ := quickstart(t, ctx, "-token", testserver.TokenAlice, "-graph", testserver.GraphInterrupt)
	if !strings.Contains(out, `interrupted: {"question":"approve?"}`) {
		t.Errorf("output:\n%s", out)
	}
}

func TestQuickstartErrors(t *testing.T) {
	ctx := setup(t)
	var out bytes.Buffer
	err := run(ctx, []string{"-url", srv.URL(), "-token", testserver.TokenExpired}, &out)
	if !errors.Is(err, langgraph.ErrUnauthorized) || !strings.Contains(err.Error(), "-token") || strings.Contains(err.Error(), testserver.TokenExpired) {
		t.Errorf("expired token: %v", err)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + l.Addr().String()
	l.Close()
	err = run(ctx, []string{"-url", closed, "-token", testserver.TokenAlice}, &out)
	var conn *langgraph.ConnectionError
	if !errors.As(err, &conn) || !strings.Contains(err.Error(), "is the server running") {
		t.Errorf("no server: %v", err)
	}

	if err := run(ctx, []string{"-url", "ftp://x"}, &out); err == nil || !strings.Contains(err.Error(), "scheme") {
		t.Errorf("bad URL: %v", err)
	}
	if err := run(ctx, []string{"extra"}, &out); err == nil || !strings.Contains(err.Error(), "unexpected arguments") {
		t.Errorf("extra argument: %v", err)
	}
}
