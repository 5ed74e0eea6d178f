package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph/contrib/eino/internal/servertest"
)

var serverURL string

func TestMain(m *testing.M) { os.Exit(servertest.Main(m, &serverURL)) }

// The example program runs its eino graph against the real server as the
// user whose token it is given.
func TestRun(t *testing.T) {
	if serverURL == "" {
		t.Skip("integration test: no test server")
	}
	t.Setenv("LANGGRAPH_API_KEY", "") // only the token authenticates
	t.Setenv("LANGSMITH_API_KEY", "")
	t.Setenv("LANGCHAIN_API_KEY", "")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for token, user := range map[string]string{"token-alice": "alice", "token-bob": "bob"} {
		var out bytes.Buffer
		if err := run(ctx, []string{"-url", serverURL, "-token", token, "-question", "hi from " + user}, &out); err != nil {
			t.Fatal(err)
		}
		want := `remote answer: "You said: hi from ` + user + `" (the remote node ran as ` + user + ")"
		if strings.TrimSpace(out.String()) != want {
			t.Errorf("output = %q, want %q", out.String(), want)
		}
	}
	if err := run(ctx, []string{"-url", serverURL, "-token", "wrong"}, new(bytes.Buffer)); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("bad token: err = %v, want the 401", err)
	}
}
