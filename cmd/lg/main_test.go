package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph/internal/testserver"
)

var (
	// srv is the package's LangGraph test server; nil with -short.
	srv *testserver.Server
	// lgBin is the lg binary, built once by TestMain.
	lgBin string
)

func TestMain(m *testing.M) { os.Exit(testMain(m)) }

func testMain(m *testing.M) int {
	dir, err := os.MkdirTemp("", "lg-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	lgBin = filepath.Join(dir, "lg")
	if runtime.GOOS == "windows" {
		lgBin += ".exe"
	}
	// go test puts its own GOROOT/bin first on the PATH of the test binary.
	goTool, err := exec.LookPath("go")
	if err != nil {
		fmt.Fprintln(os.Stderr, "building lg:", err)
		return 1
	}
	// Without -race: a race-enabled binary starts ten times slower, and the
	// in-process tests run the same code under the race detector.
	build := exec.Command(goTool, "build", "-o", lgBin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building lg: %v\n%s", err, out)
		return 1
	}
	return testserver.Main(m, &srv)
}

// secrets are the credentials of the test users: lg must never print them
// on stderr.
var secrets = []string{testserver.TokenAlice, testserver.TokenBob, testserver.APIKeyCarol, testserver.APIKeyDave, expiredToken}

const expiredToken = "expired-s3cr3t-tok3n"

// result is what one lg process did.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
}

// call describes how to run lg: as which user, with what input and
// environment.
type call struct {
	user  *testserver.User // credentials passed as --token or --api-key; nil for none
	stdin string
	env   []string // added to a clean environment
	noURL bool     // do not pass --url
	dir   string   // working directory
}

// cleanEnv is the test process's environment without LangGraph settings.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "LANGGRAPH_") || strings.HasPrefix(name, "LANGSMITH_") || strings.HasPrefix(name, "LANGCHAIN_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// run runs the lg binary and checks that no credential reached its stderr.
func (c call) run(t *testing.T, args ...string) result {
	t.Helper()
	var pre []string
	if !c.noURL {
		pre = append(pre, "--url", srv.URL())
	}
	if c.user != nil {
		if c.user.Token != "" {
			pre = append(pre, "--token", c.user.Token)
		} else {
			pre = append(pre, "--api-key", c.user.APIKey)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, lgBin, append(pre, args...)...)
	cmd.Env = append(cleanEnv(), c.env...)
	cmd.Dir = c.dir
	cmd.Stdin = strings.NewReader(c.stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		r.code = exitErr.ExitCode()
	default:
		t.Fatalf("lg %q: %v", args, err)
	}
	for _, s := range secrets {
		if strings.Contains(r.stderr, s) {
			t.Errorf("lg %q printed the credential %q on stderr:\n%s", args, s, r.stderr)
		}
	}
	return r
}

// ok runs lg and fails the test unless it exits 0.
func (c call) ok(t *testing.T, args ...string) result {
	t.Helper()
	r := c.run(t, args...)
	if r.code != 0 {
		t.Fatalf("lg %q: %v\n%s", args, r, srv.Log())
	}
	return r
}

// fails runs lg and checks its exit status, that stderr contains every one
// of want, and that nothing was printed on stdout.
func (c call) fails(t *testing.T, code int, want []string, args ...string) result {
	t.Helper()
	r := c.exits(t, code, want, args...)
	if r.stdout != "" {
		t.Errorf("lg %q failed but printed on stdout: %s", args, r.stdout)
	}
	return r
}

// exits runs lg and checks its exit status and that stderr contains every
// one of want.
func (c call) exits(t *testing.T, code int, want []string, args ...string) result {
	t.Helper()
	r := c.run(t, args...)
	if r.code != code {
		t.Fatalf("lg %q: exit %d, want %d\n%v", args, r.code, code, r)
	}
	for _, w := range want {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("lg %q: stderr does not mention %q:\n%s", args, w, r.stderr)
		}
	}
	return r
}

var (
	alice = call{user: &testserver.Alice}
	bob   = call{user: &testserver.Bob}
	carol = call{user: &testserver.Carol}
	dave  = call{user: &testserver.Dave}
)

// decode unmarshals a JSON document printed by lg.
func decode[T any](t *testing.T, r result) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("output is not one JSON document of type %T: %v\n%s", v, err, r.stdout)
	}
	return v
}

// lines decodes JSON Lines printed by lg, each with exactly the keys event,
// id and data.
func lines(t *testing.T, r result) []streamLine {
	t.Helper()
	var out []streamLine
	for i, l := range strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n") {
		var keys map[string]json.RawMessage
		if err := json.Unmarshal([]byte(l), &keys); err != nil {
			t.Fatalf("line %d is not a JSON object: %v: %s", i+1, err, l)
		}
		if len(keys) != 3 || keys["event"] == nil || keys["id"] == nil || keys["data"] == nil {
			t.Fatalf("line %d does not have exactly event, id and data: %s", i+1, l)
		}
		var sl streamLine
		if err := json.Unmarshal([]byte(l), &sl); err != nil {
			t.Fatal(err)
		}
		out = append(out, sl)
	}
	return out
}

// hello is the agent graph's input for one human message.
func hello(text string) string {
	return fmt.Sprintf(`{"messages":[{"role":"human","content":%q}]}`, text)
}

// compact returns raw JSON without insignificant space.
func compact(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		t.Fatalf("not JSON: %v: %s", err, raw)
	}
	return b.String()
}

// lastMessage returns the content of the last message of an agent state.
func lastMessage(t *testing.T, values json.RawMessage) string {
	t.Helper()
	var st struct {
		Messages []struct {
			Content string `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(values, &st); err != nil || len(st.Messages) == 0 {
		t.Fatalf("not an agent state with messages (%v): %s", err, values)
	}
	return st.Messages[len(st.Messages)-1].Content
}
