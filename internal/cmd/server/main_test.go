package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph/internal/testserver"
)

// syncBuffer is a bytes.Buffer that run writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The README, lg's help and the examples say make server listens on 8123
// because that is the SDK's default base URL.
func TestDefaultPortIsTheSDKDefault(t *testing.T) {
	if got := defaultPort(); got != "8123" {
		t.Errorf("defaultPort() = %s; the docs say 8123", got)
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestRun starts the server on a given port, checks that it answers there
// and that the users' credentials are printed, then stops it as Ctrl-C does.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts the real server")
	}
	port := freePort(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-port", strconv.Itoa(port)}, &out) }()

	base := fmt.Sprintf("http://localhost:%d", port)
	deadline := time.Now().Add(3 * time.Minute)
	for !strings.Contains(out.String(), "server up at "+base) {
		select {
		case err := <-done:
			t.Fatalf("run returned %v before the server was up:\n%s", err, out.String())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no URL printed:\n%s", out.String())
		}
	}
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := hc.Get(base + "/info")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /info: %s", resp.Status)
	}
	for _, want := range []string{
		testserver.TokenAlice, testserver.TokenBob, testserver.APIKeyCarol, testserver.APIKeyDave,
		"export LANGGRAPH_API_URL=" + base, // not the default port: clients must be told
		"Ctrl-C",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	cancel() // what SIGINT does
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run after Ctrl-C: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("run did not return within a minute of Ctrl-C")
	}
	if !strings.Contains(out.String(), "Server stopped.") {
		t.Errorf("output lacks the stop line:\n%s", out.String())
	}
	if _, err := hc.Get(base + "/info"); err == nil {
		t.Error("the server still answers after Ctrl-C")
	}
}

// TestRunPortTaken: a taken port is refused at once with a message that
// names it and says what to do, instead of the server's CLI hanging.
func TestRunPortTaken(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out syncBuffer
	err = run(ctx, []string{"-port", strconv.Itoa(port)}, &out)
	if !errors.Is(err, testserver.ErrPortInUse) || !strings.Contains(err.Error(), "already listens on port "+strconv.Itoa(port)) {
		t.Errorf("run on a taken port = %v, want ErrPortInUse naming port %d", err, port)
	}
	if ctx.Err() != nil {
		t.Error("run waited for the timeout")
	}
}
