package main

import (
	"context"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/langgraph-go/langgraph/internal/testserver"
)

// wantLines fails the test unless out holds each of want, in order.
func wantLines(t *testing.T, what, out string, want ...string) {
	t.Helper()
	rest := out
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Errorf("%s: %q missing or out of order in\n%s", what, w, out)
			return
		}
		rest = rest[i+len(w):]
	}
}

// Text output against the real server: message text, nodes, custom events,
// the final state, interrupts and errors, with the usual exit statuses.
func TestBinaryTextOutput(t *testing.T) {
	srv.Setup(t)
	r := alice.ok(t, "runs", "stream", "agent", "--input", hello("hi there"), "-o", "text")
	if !strings.HasPrefix(r.stdout, "agent: You said: hi there\n") {
		t.Errorf("runs stream -o text does not start with the agent's message:\n%s", r.stdout)
	}
	wantLines(t, "runs stream -o text", r.stdout,
		`[custom] {"node":"agent","said":"hi there"}`+"\n", "[node agent]\n", "[state]\n{\n", `"content": "You said: hi there"`)
	if strings.Contains(r.stdout, `"event"`) {
		t.Errorf("text output holds JSON Lines:\n%s", r.stdout)
	}

	// Modes named by the caller: messages (partial and complete).
	r = alice.ok(t, "runs", "stream", "agent", "--input", hello("yo"), "--output", "text", "--stream-mode", "messages")
	if r.stdout != "human: yo\nagent: You said: yo\n" {
		t.Errorf("--stream-mode messages -o text:\n%s", r.stdout)
	}

	// Through RemoteGraph: an interrupt (exit 4), then the resumed run.
	id := newThread(t, alice)
	r = alice.exits(t, exitRunInterrupted, []string{"waiting to be resumed"}, "invoke", "interrupt", "--thread", id, "--input", "{}", "-o", "text")
	wantLines(t, "invoke interrupt -o text", r.stdout, "[interrupted] waiting to be resumed\n", `: {"question":"approve?"}`+"\n")
	r = alice.ok(t, "invoke", "interrupt", "--thread", id, "--resume", `"yes"`, "-o", "text")
	wantLines(t, "resumed -o text", r.stdout, "[node ask]\n", "[node finish]\n", "[state]\n", `"answer": "yes"`, `"done": true`)

	// Subgraphs, labelled parent/node.
	r = alice.ok(t, "invoke", "subgraph", "--input", `{"trail":""}`, "--subgraphs", "-o", "text")
	wantLines(t, "invoke subgraph -o text", r.stdout, `[custom child] {"node":"inner","trail":"inner;"}`, "[node child/inner]\n", "[node child]\n", "[node outer]\n", `"trail": "inner;outer;"`)

	// A failed run: the error on stdout, then on stderr, exit 2.
	r = alice.exits(t, exitAPI, []string{"CustomError", "Boo!"}, "runs", "stream", "error", "--input", "{}", "-o", "text")
	if r.stdout != "[error] CustomError: Boo!\n" {
		t.Errorf("failed run -o text:\n%s", r.stdout)
	}
	// A breakpoint, stateless.
	r = alice.exits(t, exitRunInterrupted, nil, "runs", "stream", "agent", "--input", hello("hi"), "--interrupt-before", "agent", "-o", "text")
	if r.stdout != "[interrupted] at a breakpoint, waiting to be resumed\n" {
		t.Errorf("breakpoint -o text:\n%s", r.stdout)
	}

	// join-stream of a resumable run, replayed.
	id = newThread(t, alice)
	run := decode[runOut](t, alice.ok(t, "runs", "create", "agent", "--thread", id, "--input", hello("later"), "--resumable", "--stream-mode", "messages-tuple,updates"))
	r = alice.ok(t, "runs", "join-stream", id, run.RunID, "--last-event-id", "-1", "--resumable", "-o", "text")
	wantLines(t, "join-stream -o text", r.stdout, "agent: You said: later\n", "[node agent]\n")

	alice.fails(t, exitUsage, []string{`-o "yaml"`, "json, text"}, "runs", "stream", "agent", "-o", "yaml")
	alice.fails(t, exitUsage, []string{`--output "yaml"`, "json, text"}, "runs", "stream", "agent", "--output", "yaml")
	if h := alice.ok(t, "help"); !strings.Contains(h.stdout, "--output text") {
		t.Errorf("lg help does not document --output text:\n%s", h.stdout)
	}
	if h := alice.ok(t, "runs", "stream", "-h"); !strings.Contains(h.stdout, "--output VALUE") || !strings.Contains(h.stdout, "-o text") {
		t.Errorf("lg runs stream -h does not document --output:\n%s", h.stdout)
	}
}

// writesRecorder keeps every write separately.
type writesRecorder struct {
	mu     sync.Mutex
	writes []string
}

func (w *writesRecorder) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes = append(w.writes, string(p))
	return len(p), nil
}

// In-process: text output writes each token as it arrives (one write per
// chunk from the server), not the message once it is complete.
func TestInProcessTextTokens(t *testing.T) {
	srv.Setup(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	noEnv(t)
	var out, stderr writesRecorder
	code := run(context.Background(), []string{"--url", srv.URL(), "--token", testserver.TokenAlice,
		"invoke", "agent", "--input", hello("tokens"), "-o", "text"}, nil, &out, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr.writes)
	}
	var text []string
	for _, w := range out.writes {
		if strings.HasPrefix(w, "[") {
			break
		}
		text = append(text, w)
	}
	if got := strings.Join(text, ""); got != "agent: You said: tokens\n" || len(text) < len("You said: tokens") {
		t.Errorf("message written in %d writes %q, want one write per token", len(text), text)
	}
}
