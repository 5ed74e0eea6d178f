package testserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/threads"
)

var srv *testserver.Server

func TestMain(m *testing.M) { os.Exit(testserver.Main(m, &srv)) }

// needServer skips under -short, where Main starts no server (and CI=true
// refuses -short).
func needServer(t *testing.T) {
	t.Helper()
	if srv == nil {
		t.Skip("-short: no test server")
	}
}

// do sends a request as user (nil: no credentials) and returns status and body.
func do(t *testing.T, s *testserver.Server, user *testserver.User, method, path, body string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.URL()+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if user != nil {
		user.SetAuth(req.Header)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", method, path, err, s.Log())
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(data)
}

func createThread(t *testing.T, s *testserver.Server, user testserver.User) string {
	t.Helper()
	status, body := do(t, s, &user, http.MethodPost, "/threads", `{}`)
	if status != http.StatusOK {
		t.Fatalf("POST /threads: %d %s", status, body)
	}
	var th struct {
		ThreadID string         `json:"thread_id"`
		Metadata map[string]any `json:"metadata"`
	}
	if err := json.Unmarshal([]byte(body), &th); err != nil || th.ThreadID == "" {
		t.Fatalf("POST /threads: bad body %q: %v", body, err)
	}
	if th.Metadata["owner"] != user.Identity {
		t.Errorf("thread owner = %v, want %q", th.Metadata["owner"], user.Identity)
	}
	return th.ThreadID
}

func TestInfo(t *testing.T) {
	needServer(t)
	status, body := do(t, srv, nil, http.MethodGet, "/info", "")
	if status != http.StatusOK {
		t.Fatalf("GET /info: %d %s", status, body)
	}
	var info map[string]any
	if err := json.Unmarshal([]byte(body), &info); err != nil {
		t.Fatalf("GET /info: %v: %s", err, body)
	}
	if _, ok := info["version"]; !ok {
		t.Errorf("GET /info: no version in %s", body)
	}
}

func TestMainSetsAPIURL(t *testing.T) {
	if srv == nil {
		t.Skip("-short: no server")
	}
	if got := os.Getenv(testserver.APIURLEnv); got != srv.URL() {
		t.Errorf("%s = %q, want the server's URL %q", testserver.APIURLEnv, got, srv.URL())
	}
}

func TestAuthRequired(t *testing.T) {
	needServer(t)
	status, body := do(t, srv, nil, http.MethodGet, "/ok", "")
	if status != http.StatusUnauthorized || body != "Missing credentials" {
		t.Errorf("GET /ok without credentials: %d %q, want 401 \"Missing credentials\"", status, body)
	}
	if status, body := do(t, srv, &testserver.Carol, http.MethodGet, "/ok", ""); status != http.StatusOK {
		t.Errorf("GET /ok as carol: %d %s", status, body)
	}
}

func TestResetRemovesThreads(t *testing.T) {
	needServer(t)
	id := createThread(t, srv, testserver.Alice)
	if status, body := do(t, srv, &testserver.Alice, http.MethodGet, "/threads/"+id, ""); status != http.StatusOK {
		t.Fatalf("GET thread as alice: %d %s", status, body)
	}
	if status, _ := do(t, srv, &testserver.Bob, http.MethodGet, "/threads/"+id, ""); status != http.StatusNotFound {
		t.Errorf("GET alice's thread as bob: %d, want 404", status)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Reset(ctx); err != nil {
		t.Fatal(err)
	}

	if status, body := do(t, srv, &testserver.Alice, http.MethodGet, "/threads/"+id, ""); status != http.StatusNotFound {
		t.Errorf("GET thread after Reset: %d %s, want 404", status, body)
	}
	// The system assistants survive a reset.
	if status, body := do(t, srv, &testserver.Bob, http.MethodGet, "/assistants/"+testserver.GraphAgent, ""); status != http.StatusOK {
		t.Errorf("GET /assistants/agent after Reset: %d %s", status, body)
	}
}

// TestServersAreIsolated starts a second server: it must not see the first
// one's threads, and Stop must remove its state.
func TestServersAreIsolated(t *testing.T) {
	needServer(t)
	if testing.Short() {
		t.Skip("starts a second server")
	}
	id := createThread(t, srv, testserver.Alice)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	other, err := testserver.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if other.URL() == srv.URL() {
		t.Fatalf("both servers at %s", srv.URL())
	}
	if status, _ := do(t, other, &testserver.Alice, http.MethodGet, "/threads/"+id, ""); status != http.StatusNotFound {
		t.Errorf("second server has the first one's thread: %d", status)
	}
	if err := other.Stop(); err != nil {
		t.Error(err)
	}
	if err := other.Stop(); err != nil { // idempotent
		t.Error(err)
	}
	if !strings.Contains(other.Log(), "Server running") {
		t.Errorf("Log after Stop lacks the start line:\n%s", other.Log())
	}
	if _, err := http.Get(other.URL() + "/info"); err == nil {
		t.Errorf("second server still answers after Stop")
	}
}

// TestStartOnPortRefusesTakenPort: a port that something listens on, on
// 127.0.0.1 or [::1], is refused at once with ErrPortInUse (the server's
// CLI would hang on it).
func TestStartOnPortRefusesTakenPort(t *testing.T) {
	for _, network := range []string{"tcp4", "tcp6"} {
		l, err := net.Listen(network, map[string]string{"tcp4": "127.0.0.1:0", "tcp6": "[::1]:0"}[network])
		if err != nil {
			if network == "tcp6" {
				t.Logf("no IPv6 loopback here: %v", err)
				continue
			}
			t.Fatal(err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		s, err := testserver.StartOnPort(ctx, port)
		cancel()
		l.Close()
		if s != nil {
			_ = s.Stop()
		}
		if !errors.Is(err, testserver.ErrPortInUse) || !strings.Contains(fmt.Sprint(err), strconv.Itoa(port)) {
			t.Errorf("%s: StartOnPort(%d) = %v, want ErrPortInUse naming the port", network, port, err)
		}
	}
}

// TestSetupAndClient: Setup resets the server; Client authenticates as its
// user, reads no API key from the environment, and takes options after its
// own.
func TestSetupAndClient(t *testing.T) {
	t.Setenv("LANGGRAPH_API_KEY", testserver.APIKeyDave)
	ctx := srv.Setup(t)
	alice := srv.Client(t, testserver.Alice)
	th, err := alice.Threads.Create(ctx, threads.CreateParams{})
	if err != nil || th.Metadata["owner"] != "alice" {
		t.Fatalf("create as alice: %+v %v", th, err)
	}
	if found, err := srv.Client(t, testserver.Carol).Threads.Search(ctx, threads.SearchParams{}); err != nil || len(found) != 0 {
		t.Errorf("carol sees %d threads (%v)", len(found), err)
	}
	if _, err := srv.Client(t, testserver.User{}).Threads.Search(ctx, threads.SearchParams{}); !errors.Is(err, langgraph.ErrUnauthorized) {
		t.Errorf("the zero user: %v, want no credentials (not the environment's key)", err)
	}
	if _, err := srv.Client(t, testserver.User{}, langgraph.WithAPIKey(testserver.APIKeyCarol)).Threads.Search(ctx, threads.SearchParams{}); err != nil {
		t.Errorf("an API key given as an option: %v", err)
	}
	srv.Setup(t)
	if _, err := alice.Threads.Get(ctx, th.ThreadID); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("the thread survived Setup: %v", err)
	}
}
