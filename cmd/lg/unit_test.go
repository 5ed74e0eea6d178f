package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/internal/stream"
)

// These tests call run in-process, without the test server.

// runLG runs lg in-process.
func runLG(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &stdout, &stderr)
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// noEnv clears the variables lg reads, so that a developer's environment
// does not change the requests.
func noEnv(t *testing.T) {
	for _, name := range []string{"LANGGRAPH_API_URL", "LANGGRAPH_AUTH_TOKEN", "LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"} {
		t.Setenv(name, "")
	}
}

// request is one request received by the fake server (see serve).
type request struct {
	Method, Path, Query string
	Header              http.Header
	Body                map[string]any
}

// serve starts a fake server (internal/fake) that answers every request
// with status and body; requests lists what it received, bodies decoded
// with their numbers as written.
func serve(t *testing.T, status int, body string) (string, func() []request) {
	t.Helper()
	f := fake.New(t, fake.Fixed(status, body))
	return f.URL(), func() []request {
		var out []request
		for _, r := range f.Requests() {
			req := request{Method: r.Method, Path: r.Path, Query: r.Query.Encode(), Header: r.Header}
			if r.Body != nil {
				dec := json.NewDecoder(bytes.NewReader(r.Body))
				dec.UseNumber()
				if err := dec.Decode(&req.Body); err != nil {
					t.Errorf("request body is not a JSON object: %v: %s", err, r.Body)
				}
			}
			out = append(out, req)
		}
		return out
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseInterspersed(t *testing.T) {
	for _, tc := range []struct {
		args []string
		pos  []string
		n    int
		all  bool
	}{
		{args: []string{"a", "--n", "3", "b"}, pos: []string{"a", "b"}, n: 3},
		{args: []string{"--all", "a", "--n=4"}, pos: []string{"a"}, n: 4, all: true},
		{args: []string{"a", "--", "--n", "5"}, pos: []string{"a", "--n", "5"}},
		{args: []string{"-", "--n", "1"}, pos: []string{"-"}, n: 1},
		{args: nil},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		n := fs.Int("n", 0, "")
		all := fs.Bool("all", false, "")
		pos, err := parseInterspersed(fs, tc.args)
		if err != nil || !slices.Equal(pos, tc.pos) || *n != tc.n || *all != tc.all {
			t.Errorf("%q: positional %q n %d all %v err %v; want %q %d %v", tc.args, pos, *n, *all, err, tc.pos, tc.n, tc.all)
		}
	}
}

// Every usage error exits 1 before any request and names what is wrong.
func TestUsageErrorsNameTheFlag(t *testing.T) {
	noEnv(t)
	url, requests := serve(t, 200, "{}")
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"threads", "search", "--limit", "x"}, []string{"--limit", `"x"`}},
		{[]string{"threads", "search", "--limit", "-1"}, []string{"--limit", "negative"}},
		{[]string{"threads", "search", "--status", "sleeping"}, []string{"--status", "idle, busy, interrupted, error"}},
		{[]string{"threads", "search", "--all=maybe"}, []string{"--all", "true or false"}},
		{[]string{"threads", "search", "--nope"}, []string{"--nope", "not defined"}},
		{[]string{"threads", "search", "--limit"}, []string{"--limit", "needs an argument"}},
		{[]string{"threads", "get"}, []string{"missing THREAD_ID"}},
		{[]string{"threads", "get", ""}, []string{"THREAD_ID argument is empty"}},
		{[]string{"threads", "get", "a", "b"}, []string{`unexpected argument "b"`}},
		{[]string{"runs", "get", "t"}, []string{"missing RUN_ID"}},
		{[]string{"runs", "get"}, []string{"missing THREAD_ID and RUN_ID"}},
		{[]string{"threads", "create", "--metadata", "[1]"}, []string{"--metadata", "JSON object"}},
		{[]string{"threads", "create", "--metadata", "{"}, []string{"--metadata", "not valid JSON"}},
		{[]string{"threads", "create", "--metadata", ""}, []string{"--metadata", "empty JSON"}},
		{[]string{"threads", "create", "--metadata", "@" + filepath.Join(dir, "nope.json")}, []string{"--metadata", "nope.json", "no such file"}},
		{[]string{"threads", "create", "--supersteps", `[{"updatez":[]}]`}, []string{"--supersteps", "updatez"}},
		{[]string{"threads", "update", "t"}, []string{"--metadata is required"}},
		{[]string{"threads", "state", "t", "--checkpoint", "{}", "--checkpoint-id", "c"}, []string{"--checkpoint", "--checkpoint-id"}},
		{[]string{"runs", "wait", "agent", "--input", "{}", "--resume", "1"}, []string{"--input", "--resume"}},
		{[]string{"runs", "wait", "agent", "--config", `{"configurabl":{}}`}, []string{"--config", "configurabl"}},
		{[]string{"runs", "wait", "agent", "--params", `{"assistant_id":"x"}`}, []string{"--params", "assistant_id"}},
		{[]string{"runs", "stream", "agent", "--stream-mode", "values,nope"}, []string{"--stream-mode", `"nope"`}},
		{[]string{"runs", "create", "agent", "--multitask-strategy", "queue"}, []string{"--multitask-strategy", "enqueue"}},
		{[]string{"runs", "create", "agent", "--after-seconds", "-3"}, []string{"--after-seconds"}},
		{[]string{"runs", "cancel", "t", "r", "--action", "stop"}, []string{"--action", "interrupt, rollback"}},
		{[]string{"store", "put", "alice..notes", "k", "--value", "{}"}, []string{"NAMESPACE", "empty label"}},
		{[]string{"store", "put", "alice", "k"}, []string{"--value is required"}},
		{[]string{"store", "put", "alice", "k", "--value", `"text"`}, []string{"--value", "JSON object"}},
		{[]string{"store", "put", "alice", "k", "--value", "{}", "--ttl", "90s"}, []string{"--ttl", "minutes"}},
		{[]string{"store", "put", "alice", "k", "--value", "{}", "--index", "a", "--no-index"}, []string{"--index", "--no-index"}},
		{[]string{"store", "search", `["alice",1]`}, []string{"PREFIX", "JSON array"}},
		{[]string{"crons", "create", "agent"}, []string{"--schedule is required"}},
		{[]string{"crons", "create", "agent", "--schedule", "* * * * *", "--end-time", "tomorrow"}, []string{"--end-time", "RFC 3339"}},
		{[]string{"crons", "create", "agent", "--schedule", "* * * * *", "--thread", "t", "--on-run-completed", "keep"}, []string{"--on-run-completed", "stateless"}},
		{[]string{"crons", "update", "c", "--end-time", "2030-01-01T00:00:00Z", "--clear-end-time"}, []string{"--end-time", "--clear-end-time"}},
		{[]string{"invoke", "agent", "--resume", `"y"`}, []string{"--resume needs --thread"}},
		{[]string{"invoke", "agent", "--subgraphs"}, []string{"--subgraphs needs --stream"}},
		{[]string{"--header", "x-a", "info"}, []string{"--header", "Name: value"}},
		{[]string{"--header", "bad name: v", "info"}, []string{"--header", "bad name"}},
		{[]string{"--header", "Content-Type: text/plain", "info"}, []string{"--header", "Content-Type"}},
		{[]string{"--header", "x-api-key: key-1", "info"}, []string{"--header x-api-key", "--api-key"}},
		{[]string{"--timeout", "soon", "info"}, []string{"--timeout", "duration"}},
		{[]string{"--timeout", "-1s", "info"}, []string{"--timeout", "positive"}},
		{[]string{"--retries", "-1", "info"}, []string{"--retries", "negative"}},
		{[]string{"--verbose", "info"}, []string{"--verbose"}},
		{[]string{"info", "extra"}, []string{`unexpected argument "extra"`}},
		{[]string{"nope"}, []string{`unknown command "nope"`}},
		{[]string{"runs", "nope"}, []string{`unknown subcommand "nope"`}},
		{[]string{"help", "runs", "nope"}, []string{`unknown command "runs nope"`}},
	} {
		r := runLG(t, "", append([]string{"--url", url}, tc.args...)...)
		if r.code != exitUsage {
			t.Errorf("%q: exit %d, want 1\n%v", tc.args, r.code, r)
			continue
		}
		for _, w := range tc.want {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("%q: stderr does not mention %q: %s", tc.args, w, r.stderr)
			}
		}
		if r.stdout != "" {
			t.Errorf("%q: printed %q on stdout", tc.args, r.stdout)
		}
	}
	if got := requests(); len(got) != 0 {
		t.Errorf("usage errors sent %d requests: %+v", len(got), got)
	}
}

func TestBadURL(t *testing.T) {
	noEnv(t)
	for _, u := range []string{"localhost:2024", "ftp://host", "http://user:pw@host", "http://host/?q=1"} {
		r := runLG(t, "", "--url", u, "info")
		if r.code != exitUsage || !strings.HasPrefix(r.stderr, "lg info: --url: ") || strings.Contains(r.stderr, "pw") {
			t.Errorf("--url %s: %v", u, r)
		}
	}
	t.Setenv("LANGGRAPH_API_URL", "ftp://host")
	if r := runLG(t, "", "info"); r.code != exitUsage || !strings.Contains(r.stderr, "LANGGRAPH_API_URL") {
		t.Errorf("LANGGRAPH_API_URL=ftp://host: %v", r)
	}
}

func TestStdinReadOnce(t *testing.T) {
	noEnv(t)
	url, requests := serve(t, 200, `{"run_id":"r","thread_id":"t","status":"pending"}`)
	r := runLG(t, `{"messages":[]}`, "--url", url, "runs", "create", "agent", "--thread", "t", "--input", "-")
	if r.code != 0 {
		t.Fatal(r)
	}
	if got := jsonOf(t, requests()[0].Body["input"]); got != `{"messages":[]}` {
		t.Errorf("input from stdin: %s", got)
	}
	r = runLG(t, `{}`, "--url", url, "runs", "create", "agent", "--input", "-", "--metadata", "-")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--metadata") || !strings.Contains(r.stderr, "already read by --input") {
		t.Errorf("two flags from stdin: %v", r)
	}
}

func TestRunRequestBody(t *testing.T) {
	noEnv(t)
	url, requests := serve(t, 200, `{"run_id":"r1","thread_id":"t 1","assistant_id":"agent","status":"pending"}`)
	r := runLG(t, "", "--url", url, "--token", "tok-123", "--header", "x-tenant: acme",
		"runs", "create", "agent", "--thread", "t 1",
		"--input", `{"n":12345678901234567890}`,
		"--params", `{"webhook":"http://hook","durability":"sync","feedback_keys":["k"]}`,
		"--durability", "exit", "--interrupt-before", "*", "--interrupt-after", "a,b", "--interrupt-after", "c",
		"--stream-mode", "updates", "--stream-mode", "custom,values", "--resumable", "--subgraphs",
		"--metadata", `{"n":1}`, "--config", `{"configurable":{"k":"v"},"recursion_limit":5}`, "--if-not-exists", "create",
		"--header", "x-other: 1")
	if r.code != 0 {
		t.Fatal(r)
	}
	got := requests()
	if len(got) != 1 {
		t.Fatalf("%d requests", len(got))
	}
	req := got[0]
	if req.Method != "POST" || req.Path != "/threads/t%201/runs" {
		t.Errorf("request %s %s", req.Method, req.Path)
	}
	if req.Header.Get("Authorization") != "Bearer tok-123" || req.Header.Get("X-Tenant") != "acme" || req.Header.Get("X-Other") != "1" {
		t.Errorf("headers %v", req.Header)
	}
	want := map[string]string{
		"assistant_id":     `"agent"`,
		"input":            `{"n":12345678901234567890}`,
		"webhook":          `"http://hook"`,
		"durability":       `"exit"`,
		"feedback_keys":    `["k"]`,
		"interrupt_before": `"*"`,
		"interrupt_after":  `["a","b","c"]`,
		"stream_mode":      `["updates","custom","values"]`,
		"stream_resumable": `true`,
		"stream_subgraphs": `true`,
		"metadata":         `{"n":1}`,
		"config":           `{"configurable":{"k":"v"},"recursion_limit":5}`,
		"if_not_exists":    `"create"`,
	}
	for k, v := range want {
		if g := jsonOf(t, req.Body[k]); g != v {
			t.Errorf("body %s = %s, want %s", k, g, v)
		}
	}
	if len(req.Body) != len(want) {
		t.Errorf("body has %d fields, want %d: %v", len(req.Body), len(want), req.Body)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || out["run_id"] != "r1" {
		t.Errorf("output %s (%v)", r.stdout, err)
	}
	if !strings.Contains(r.stdout, "\n  \"run_id\"") {
		t.Errorf("output is not indented: %s", r.stdout)
	}

	// A resume is a command, and a stateless run goes to /runs/wait.
	url, requests = serve(t, 200, `{"answer":"yes"}`)
	r = runLG(t, "", "--url", url, "runs", "wait", "interrupt", "--resume", `"yes"`)
	if r.code != 0 {
		t.Fatal(r)
	}
	req = requests()[0]
	if req.Path != "/runs/wait" || jsonOf(t, req.Body["command"]) != `{"resume":"yes"}` || req.Body["input"] != nil {
		t.Errorf("wait --resume: %s %v", req.Path, req.Body)
	}
	var res resultOut
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || compact(t, res.Values) != `{"answer":"yes"}` || res.Interrupted {
		t.Errorf("wait output %s", r.stdout)
	}
}

func TestCronsRequests(t *testing.T) {
	noEnv(t)
	cron := `{"cron_id":"c1","assistant_id":"agent","thread_id":"t","schedule":"0 9 * * *","enabled":false}`
	url, requests := serve(t, 200, cron)
	r := runLG(t, "", "--url", url, "crons", "create", "agent", "--thread", "t", "--schedule", "0 9 * * *",
		"--timezone", "Europe/Paris", "--enabled=false", "--input", `{"x":1}`, "--end-time", "2030-01-01T00:00:00Z")
	if r.code != 0 {
		t.Fatal(r)
	}
	req := requests()[0]
	if req.Method != "POST" || req.Path != "/threads/t/runs/crons" {
		t.Errorf("crons create: %s %s", req.Method, req.Path)
	}
	for k, v := range map[string]string{"assistant_id": `"agent"`, "schedule": `"0 9 * * *"`, "timezone": `"Europe/Paris"`,
		"enabled": "false", "input": `{"x":1}`, "end_time": `"2030-01-01T00:00:00Z"`} {
		if g := jsonOf(t, req.Body[k]); g != v {
			t.Errorf("crons create body %s = %s, want %s", k, g, v)
		}
	}
	if !strings.Contains(r.stdout, `"cron_id": "c1"`) {
		t.Errorf("crons create output: %s", r.stdout)
	}

	r = runLG(t, "", "--url", url, "crons", "update", "c1", "--enabled", "--clear-end-time", "--schedule", "0 10 * * *", "--resumable=false")
	if r.code != 0 {
		t.Fatal(r)
	}
	req = requests()[1]
	if req.Method != "PATCH" || req.Path != "/runs/crons/c1" || jsonOf(t, req.Body) != `{"enabled":true,"end_time":null,"schedule":"0 10 * * *","stream_resumable":false}` {
		t.Errorf("crons update: %s %s %s", req.Method, req.Path, jsonOf(t, req.Body))
	}

	url, requests = serve(t, 200, "[]")
	r = runLG(t, "", "--url", url, "crons", "search", "--assistant", "agent", "--enabled=false", "--sort-by", "next_run_date")
	if r.code != 0 || strings.TrimSpace(r.stdout) != "[]" {
		t.Fatal(r)
	}
	if req = requests()[0]; req.Path != "/runs/crons/search" || jsonOf(t, req.Body) != `{"assistant_id":"agent","enabled":false,"sort_by":"next_run_date"}` {
		t.Errorf("crons search: %s %s", req.Path, jsonOf(t, req.Body))
	}
	url, _ = serve(t, 200, "7")
	if r = runLG(t, "", "--url", url, "crons", "count"); r.code != 0 || strings.TrimSpace(r.stdout) != "7" {
		t.Errorf("crons count: %v", r)
	}
	url, requests = serve(t, 204, "")
	if r = runLG(t, "", "--url", url, "crons", "delete", "c/1"); r.code != 0 || r.stdout != "" {
		t.Errorf("crons delete: %v", r)
	}
	if req = requests()[0]; req.Method != "DELETE" || req.Path != "/runs/crons/c%2F1" {
		t.Errorf("crons delete: %s %s", req.Method, req.Path)
	}
}

// A server error reaches stderr with the status and the server's message,
// and the credentials never do, even when the server echoes them.
func TestAPIErrorOnStderr(t *testing.T) {
	noEnv(t)
	url, _ := serve(t, 403, `{"detail":"user with token sekrit-token-1 and key sekrit-key-2 may not"}`)
	r := runLG(t, "", "--url", url, "--token", "sekrit-token-1", "--api-key", "sekrit-key-2", "threads", "get", "t")
	if r.code != exitAPI || !strings.Contains(r.stderr, "403") || !strings.Contains(r.stderr, "may not") {
		t.Errorf("403: %v", r)
	}
	if strings.Contains(r.stderr, "sekrit") {
		t.Errorf("a credential reached stderr: %s", r.stderr)
	}
}

func TestExitCode(t *testing.T) {
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		ctx  context.Context
		err  error
		want int
	}{
		{ctx, usagef("--x: bad"), exitUsage},
		{ctx, errors.New("langgraph: assistant_id must not be empty"), exitUsage},
		{ctx, &langgraph.APIError{StatusCode: 404}, exitAPI},
		{ctx, fmt.Errorf("wrapped: %w", &langgraph.APIError{StatusCode: 500}), exitAPI},
		{ctx, &langgraph.RunError{Name: "ValueError"}, exitAPI},
		{ctx, fmt.Errorf("store: %w", langgraph.ErrNotFound), exitAPI},
		{ctx, &langgraph.ConnectionError{Err: errors.New("refused")}, exitConnection},
		{ctx, &langgraph.StreamError{Reason: "broken"}, exitConnection},
		{ctx, fmt.Errorf("reading: %w", io.ErrUnexpectedEOF), exitConnection},
		{ctx, context.DeadlineExceeded, exitConnection},
		{cancelled, context.Canceled, exitInterrupted},
	} {
		if got := exitCode(tc.ctx, tc.err); got != tc.want {
			t.Errorf("exitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}

func TestRedact(t *testing.T) {
	got := redact("token abcd and abcdef and abc", []string{"abcdef", "abcd", "abc"})
	if got != "token [redacted] and [redacted] and abc" {
		t.Errorf("redact: %q", got)
	}
}

func TestParseNamespace(t *testing.T) {
	for in, want := range map[string][]string{
		"":                   nil,
		"alice":              {"alice"},
		"alice.notes.2024":   {"alice", "notes", "2024"},
		`["alice","a b"]`:    {"alice", "a b"},
		` ["x"] `:            {"x"},
		"alice.notes.todo  ": {"alice", "notes", "todo"},
	} {
		got, err := parseNamespace("NS", in)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("parseNamespace(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{".a", "a.", "a..b", "[1]", "[\"a\""} {
		if _, err := parseNamespace("NS", in); err == nil {
			t.Errorf("parseNamespace(%q) accepted", in)
		}
	}
}

// Every command has a summary, examples and documented flags, and none of
// its flags clashes with a global flag.
func TestEveryCommandHelp(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range commands() {
		if seen[c.path()] {
			t.Errorf("%s is defined twice", c.path())
		}
		seen[c.path()] = true
		fs := flag.NewFlagSet(c.path(), flag.ContinueOnError)
		c.setup(fs, &inputs{})
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s: a flag clashes with a global flag: %v", c.path(), p)
				}
			}()
			var g globals
			g.register(fs)
		}()
		var b strings.Builder
		commandHelp(&b, c, fs)
		h := b.String()
		if c.summary == "" || len(c.examples) == 0 || !strings.Contains(h, "Usage: lg "+c.path()) || !strings.Contains(h, "Examples:\n  lg ") {
			t.Errorf("%s: incomplete help:\n%s", c.path(), h)
		}
		for _, ex := range c.examples {
			if !strings.HasPrefix(ex, "lg "+c.path()) && !strings.HasPrefix(ex, "echo ") {
				t.Errorf("%s: example %q does not run this command", c.path(), ex)
			}
		}
		fs.VisitAll(func(f *flag.Flag) {
			if f.Usage == "" && !slices.Contains([]string{"url", "api-key", "token", "header", "timeout", "retries"}, f.Name) {
				t.Errorf("%s: --%s has no usage", c.path(), f.Name)
			}
		})
		r := runLG(t, "", append(strings.Fields(c.path()), "-h")...)
		if r.code != 0 || r.stdout != h || r.stderr != "" {
			t.Errorf("lg %s -h: %v", c.path(), r)
		}
	}
	for _, want := range []string{"info", "invoke", "threads search", "threads count", "threads create", "threads get", "threads update",
		"threads delete", "threads copy", "threads state", "threads update-state", "threads history",
		"assistants search", "assistants count", "assistants get", "assistants graph", "assistants schemas", "assistants versions",
		"runs create", "runs wait", "runs stream", "runs list", "runs get", "runs join", "runs join-stream", "runs cancel", "runs delete",
		"store put", "store get", "store delete", "store search", "store namespaces",
		"crons create", "crons update", "crons delete", "crons search", "crons count"} {
		if !seen[want] {
			t.Errorf("no command %q", want)
		}
	}
	if r := runLG(t, ""); r.code != exitUsage || !strings.Contains(r.stderr, "Commands:") {
		t.Errorf("lg without arguments: %v", r)
	}
	if r := runLG(t, "", "-h"); r.code != 0 || !strings.Contains(r.stdout, "Global flags") {
		t.Errorf("lg -h: %v", r)
	}
}

func TestStreamOutput(t *testing.T) {
	parts := []langgraph.StreamPart{
		stream.Part("metadata", []byte(`{"run_id": "r"}`), ""),
		stream.Part("custom|child:1", []byte(`{"html":"<b>&</b>"}`), "7"),
		stream.Part("values", []byte("not json"), "8"),
		stream.Part("values", nil, "9"),
	}
	var b bytes.Buffer
	boom := errors.New("boom")
	_, err := printStreamAs(&b, outputJSON, func(yield func(langgraph.StreamPart, error) bool) {
		for _, p := range parts {
			if !yield(p, nil) {
				return
			}
		}
		yield(stream.Part("error", []byte(`{"error":"E","message":"m"}`), "10"), boom)
	})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}
	want := `{"event":"metadata","id":"","data":{"run_id":"r"}}
{"event":"custom|child:1","id":"7","data":{"html":"<b>&</b>"}}
{"event":"values","id":"8","data":"not json"}
{"event":"values","id":"9","data":null}
{"event":"error","id":"10","data":{"error":"E","message":"m"}}
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestFileInput(t *testing.T) {
	noEnv(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "md.json")
	if err := os.WriteFile(path, []byte(" {\"k\": [1, 2]}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	url, requests := serve(t, 200, `{"thread_id":"t"}`)
	if r := runLG(t, "", "threads", "create", "--metadata", "@"+path, "--url", url); r.code != 0 {
		t.Fatal(r)
	}
	if got := jsonOf(t, requests()[0].Body); got != `{"metadata":{"k":[1,2]}}` {
		t.Errorf("body %s", got)
	}
}

func TestAssistantsSchemas(t *testing.T) {
	noEnv(t)
	url, requests := serve(t, 200, `{"graph_id":"agent","input_schema":{"type":"object"},"state_schema":{"type":"object"}}`)
	r := runLG(t, "", "--url", url, "assistants", "schemas", "a/1")
	if r.code != 0 {
		t.Fatal(r)
	}
	if req := requests()[0]; req.Method != "GET" || req.Path != "/assistants/a%2F1/schemas" {
		t.Errorf("request %s %s", req.Method, req.Path)
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || compact(t, out["input_schema"]) != `{"type":"object"}` || string(out["graph_id"]) != `"agent"` {
		t.Errorf("output %s", r.stdout)
	}
}

// Text output of every kind of event, from a scripted stream: message text
// from both message modes (chunks joined on one line per message), subgraph
// labels, other events as compact JSON, and the final state.
func TestTextOutput(t *testing.T) {
	chunk := func(id, text, node string) langgraph.StreamPart {
		return stream.Part("messages", []byte(`[{"type":"AIMessageChunk","id":"`+id+`","content":"`+text+`"},{"langgraph_node":"`+node+`"}]`), "")
	}
	parts := []langgraph.StreamPart{
		stream.Part("metadata", []byte(`{"run_id": "r"}`), ""),
		stream.Part("values", []byte(`{"n": 0}`), ""),
		chunk("m1", "Hel", "agent"), chunk("m1", "lo", "agent"),
		chunk("m2", "Bye", "agent"),
		stream.Part("custom|child:1f0c", []byte(`{"a": [1, 2]}`), ""),
		stream.Part("updates|child:1f0c", []byte(`{"inner": {}}`), ""),
		stream.Part("updates", []byte(`{"b": {}, "a": {}}`), ""),
		stream.Part("messages/complete", []byte(`[{"type":"human","id":"h","content":"hi"}]`), ""),
		stream.Part("messages/metadata", []byte(`{"m3":{"metadata":{"langgraph_node":"writer"}}}`), ""),
		stream.Part("messages/partial", []byte(`[{"type":"ai","id":"m3","content":"ab"}]`), ""),
		stream.Part("messages/partial", []byte(`[{"type":"ai","id":"m3","content":"abc"}]`), ""),
		stream.Part("messages/complete", []byte(`[{"type":"ai","id":"m3","content":"abcd"}]`), ""),
		stream.Part("tasks", []byte("not json"), ""),
		stream.Part("values", []byte(`{"n": 1}`), ""),
	}
	var b bytes.Buffer
	n, err := printStreamAs(&b, outputText, func(yield func(langgraph.StreamPart, error) bool) {
		for _, p := range parts {
			if !yield(p, nil) {
				return
			}
		}
	})
	if err != nil || n != len(parts) {
		t.Errorf("n, err = %d, %v", n, err)
	}
	want := `agent: Hello
agent: Bye
[custom child] {"a":[1,2]}
[node child/inner]
[node b]
[node a]
human: hi
writer: abcd
[tasks] "not json"
[state]
{
  "n": 1
}
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}

	// A failed run: the error on its own line, after the text so far; no
	// summary.
	b.Reset()
	boom := errors.New("boom")
	_, err = printStreamAs(&b, outputText, func(yield func(langgraph.StreamPart, error) bool) {
		if yield(chunk("m1", "Hal", "agent"), nil) {
			yield(stream.Part("error", []byte(`{"error":"CustomError","message":"Boo!"}`), ""), boom)
		}
	})
	if want := "agent: Hal\n[error] CustomError: Boo!\n"; !errors.Is(err, boom) || b.String() != want {
		t.Errorf("failed run: %v,\n%s\nwant\n%s", err, b.String(), want)
	}

	// A stop at a breakpoint, and at an interrupt.
	for _, tc := range []struct{ data, want string }{
		{`{"__interrupt__": []}`, "[interrupted] at a breakpoint, waiting to be resumed\n"},
		{`{"__interrupt__": [{"id": "i1", "value": {"q": "ok?"}}]}`, "[interrupted] waiting to be resumed\n  i1: {\"q\":\"ok?\"}\n"},
	} {
		b.Reset()
		_, err = printStreamAs(&b, outputText, func(yield func(langgraph.StreamPart, error) bool) {
			yield(stream.Part("updates", []byte(tc.data), ""), nil)
		})
		if !errors.Is(err, errRunInterrupted) || b.String() != tc.want {
			t.Errorf("%s: %v,\n%s\nwant\n%s", tc.data, err, b.String(), tc.want)
		}
	}
}
