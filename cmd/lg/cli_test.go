package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/langgraph-go/langgraph/internal/testserver"
)

// These tests run the lg binary against the real test server.

type thread struct {
	ThreadID string         `json:"thread_id"`
	Status   string         `json:"status"`
	Metadata map[string]any `json:"metadata"`
}

type runOut struct {
	RunID    string `json:"run_id"`
	ThreadID string `json:"thread_id"`
	Status   string `json:"status"`
}

func newThread(t *testing.T, c call) string {
	t.Helper()
	th := decode[thread](t, c.ok(t, "threads", "create"))
	if th.ThreadID == "" {
		t.Fatal("threads create printed no thread_id")
	}
	return th.ThreadID
}

func TestBinaryScopingTwoUsers(t *testing.T) {
	srv.Setup(t)
	created := decode[thread](t, alice.ok(t, "threads", "create", "--metadata", `{"topic":"demo"}`))
	if created.ThreadID == "" || created.Metadata["topic"] != "demo" || created.Metadata["owner"] != "alice" {
		t.Fatalf("created %+v, want a thread with topic demo owned by alice", created)
	}
	id := created.ThreadID

	got := decode[thread](t, alice.ok(t, "threads", "get", id))
	if got.ThreadID != id {
		t.Errorf("alice threads get: %+v", got)
	}
	bob.fails(t, exitAPI, []string{"404", id}, "threads", "get", id)
	bob.fails(t, exitAPI, []string{"404"}, "threads", "delete", id)
	bob.fails(t, exitAPI, []string{"404"}, "threads", "update", id, "--metadata", `{"topic":"stolen"}`)

	if found := decode[[]thread](t, bob.ok(t, "threads", "search")); len(found) != 0 {
		t.Errorf("bob sees %d threads, want none: %+v", len(found), found)
	}
	if n := decode[int](t, bob.ok(t, "threads", "count")); n != 0 {
		t.Errorf("bob counts %d threads, want 0", n)
	}
	found := decode[[]thread](t, alice.ok(t, "threads", "search", "--metadata", `{"topic":"demo"}`))
	if len(found) != 1 || found[0].ThreadID != id {
		t.Errorf("alice's search: %+v, want her thread", found)
	}

	// API keys are users too.
	carolThread := newThread(t, carol)
	carol.ok(t, "threads", "get", carolThread)
	dave.fails(t, exitAPI, []string{"404"}, "threads", "get", carolThread)
	alice.fails(t, exitAPI, []string{"404"}, "threads", "get", carolThread)

	// Alice's thread survived bob's attempts.
	if th := decode[thread](t, alice.ok(t, "threads", "get", id)); th.Metadata["topic"] != "demo" {
		t.Errorf("alice's thread changed: %+v", th)
	}
}

func TestBinaryStreamJSONLines(t *testing.T) {
	srv.Setup(t)
	id := newThread(t, alice)
	r := alice.ok(t, "runs", "stream", "agent", "--thread", id, "--input", hello("hi"), "--stream-mode", "values,custom")
	ls := lines(t, r)
	if len(ls) < 3 || ls[0].Event != "metadata" {
		t.Fatalf("want metadata, custom and values events; got:\n%s", r.stdout)
	}
	var md struct {
		RunID string `json:"run_id"`
	}
	if err := json.Unmarshal(ls[0].Data, &md); err != nil || md.RunID == "" {
		t.Errorf("metadata event without run_id: %s", ls[0].Data)
	}
	var customs []string
	var lastValues json.RawMessage
	for _, l := range ls {
		switch l.Event {
		case "custom":
			customs = append(customs, string(l.Data))
		case "values":
			lastValues = l.Data
		case "metadata":
		default:
			t.Errorf("unexpected event %q (modes values and custom only)", l.Event)
		}
	}
	if len(customs) != 1 || customs[0] != `{"node":"agent","said":"hi"}` {
		t.Errorf("custom events %q, want the agent's one", customs)
	}
	if lastValues == nil || lastMessage(t, lastValues) != "You said: hi" {
		t.Errorf("last values event %s, want the AI answer", lastValues)
	}

	// The run is on alice's thread, and bob cannot join its stream.
	runs := decode[[]runOut](t, alice.ok(t, "runs", "list", id))
	if len(runs) != 1 || runs[0].RunID != md.RunID || runs[0].Status != "success" {
		t.Errorf("runs list: %+v, want the streamed run %s, successful", runs, md.RunID)
	}
}

func TestBinaryJoinStreamReplaysResumableRun(t *testing.T) {
	srv.Setup(t)
	id := newThread(t, alice)
	created := decode[runOut](t, alice.ok(t, "runs", "create", "slow", "--thread", id,
		"--input", `{"steps":3,"delay_ms":50}`, "--stream-mode", "custom", "--resumable"))
	if created.RunID == "" || created.ThreadID != id {
		t.Fatalf("runs create: %+v", created)
	}
	r := alice.ok(t, "runs", "join-stream", id, created.RunID, "--last-event-id", "-1", "--resumable")
	var steps []string
	for _, l := range lines(t, r) {
		if l.Event == "custom" {
			steps = append(steps, string(l.Data))
			if l.ID == "" {
				t.Errorf("event of a resumable run without id: %+v", l)
			}
		}
	}
	if want := []string{`{"step":1}`, `{"step":2}`, `{"step":3}`}; !slices.Equal(steps, want) {
		t.Errorf("replayed custom events %q, want %q", steps, want)
	}
	if got := decode[runOut](t, alice.ok(t, "runs", "get", id, created.RunID)); got.Status != "success" {
		t.Errorf("run after join-stream: %+v", got)
	}
	bob.fails(t, exitAPI, []string{"404"}, "runs", "get", id, created.RunID)
	// The JS server reports bob's join and a join of an unknown run as an
	// error event, and a join on an unknown thread as an empty stream, which
	// lg checks.
	const unknown = "6f0d3a55-8f3e-4d0e-9d7c-2f3c4e5a6b7c"
	bob.exits(t, exitAPI, []string{"not found"}, "runs", "join-stream", id, created.RunID)
	alice.exits(t, exitAPI, []string{"Run not found"}, "runs", "join-stream", id, unknown)
	alice.fails(t, exitAPI, []string{"404"}, "runs", "join-stream", unknown, unknown)
}

func TestBinaryStreamFailedRun(t *testing.T) {
	srv.Setup(t)
	r := alice.exits(t, exitAPI, []string{"CustomError", "Boo!"}, "runs", "stream", "error", "--input", "{}", "--stream-mode", "updates")
	ls := lines(t, r)
	if last := ls[len(ls)-1]; last.Event != "error" || !strings.Contains(string(last.Data), "Boo!") {
		t.Errorf("the stream does not end with the error event:\n%s", r.stdout)
	}
}

func TestBinaryExitCodes(t *testing.T) {
	srv.Setup(t)
	id := newThread(t, alice)
	t.Run("usage", func(t *testing.T) {
		alice.fails(t, exitUsage, []string{"--limit"}, "threads", "search", "--limit", "many")
		alice.fails(t, exitUsage, []string{"--bogus"}, "threads", "search", "--bogus")
		alice.fails(t, exitUsage, []string{"THREAD_ID"}, "threads", "get")
		alice.fails(t, exitUsage, []string{"--input", "not valid JSON"}, "runs", "wait", "agent", "--input", "{nope")
		alice.fails(t, exitUsage, []string{"--stream-mode", "values"}, "runs", "stream", "agent", "--stream-mode", "everything")
		alice.fails(t, exitUsage, []string{"--metadata", "object"}, "threads", "create", "--metadata", "[1,2]")
		alice.fails(t, exitUsage, []string{"--header"}, "--header", "no colon here", "info")
		alice.fails(t, exitUsage, []string{"unknown command"}, "thread", "list")
		alice.fails(t, exitUsage, []string{"unknown subcommand"}, "threads", "list")
		call{user: &testserver.Alice, noURL: true}.fails(t, exitUsage, []string{"--url"}, "--url", "ftp://example.com", "info")
	})
	t.Run("401", func(t *testing.T) {
		expired := call{user: &testserver.User{Token: expiredToken}}
		expired.fails(t, exitAPI, []string{"401", "Token expired"}, "threads", "search")
		call{}.fails(t, exitAPI, []string{"401", "Missing credentials"}, "threads", "get", id)
		call{user: &testserver.User{APIKey: "key-mallory"}}.fails(t, exitAPI, []string{"401", "Invalid API key"}, "threads", "search")
	})
	t.Run("404", func(t *testing.T) {
		alice.fails(t, exitAPI, []string{"404"}, "threads", "get", "6f0d3a55-8f3e-4d0e-9d7c-2f3c4e5a6b7c")
		alice.fails(t, exitAPI, []string{"404"}, "assistants", "get", "6f0d3a55-8f3e-4d0e-9d7c-2f3c4e5a6b7c")
	})
	t.Run("failed run", func(t *testing.T) {
		alice.fails(t, exitAPI, []string{"CustomError", "Boo!"}, "runs", "wait", "error", "--thread", id, "--input", "{}")
	})
	t.Run("connection refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		c := call{user: &testserver.Alice, noURL: true}
		c.fails(t, exitConnection, []string{"cannot reach", addr}, "--url", "http://"+addr, "--retries", "0", "threads", "get", id)
		c.fails(t, exitConnection, []string{"cannot reach"}, "--url", "http://"+addr, "--retries", "1", "info")
	})
	t.Run("timeout", func(t *testing.T) {
		// The run takes 10 s; lg gives up long before.
		alice.fails(t, exitConnection, []string{"--timeout"}, "runs", "wait", "slow", "--input", `{"steps":100,"delay_ms":100}`,
			"--on-disconnect", "cancel", "--timeout", "300ms")
	})
}

func TestBinaryHeaderReachesGraph(t *testing.T) {
	srv.Setup(t)
	id := newThread(t, alice)
	// Before and after the command.
	r := alice.ok(t, "--header", "x-tenant: acme", "runs", "wait", "agent", "--thread", id, "--input", hello("hi"), "--header", "X-Request-Tag:  t-42 ")
	var res struct {
		Values struct {
			Headers map[string]any `json:"headers"`
			User    map[string]any `json:"user"`
		} `json:"values"`
		Interrupted bool `json:"interrupted"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.Values.Headers["x-tenant"] != "acme" || res.Values.Headers["x-request-tag"] != "t-42" {
		t.Errorf("headers seen by the graph: %v, want x-tenant acme and x-request-tag t-42", res.Values.Headers)
	}
	if res.Values.User["identity"] != "alice" || res.Interrupted {
		t.Errorf("result %s", r.stdout)
	}
}

func TestBinaryInputFromFileAndStdin(t *testing.T) {
	srv.Setup(t)
	id := newThread(t, alice)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "input.json"), []byte(hello("from a file")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	res := decode[resultOut](t, alice.ok(t, "runs", "wait", "agent", "--thread", id, "--input", "@"+filepath.Join(dir, "input.json")))
	if got := lastMessage(t, res.Values); got != "You said: from a file" {
		t.Errorf("@file: %q", got)
	}
	// A relative @file is read from the working directory.
	c := alice
	c.dir = dir
	res = decode[resultOut](t, c.ok(t, "runs", "wait", "agent", "--thread", id, "--input", "@input.json"))
	if got := lastMessage(t, res.Values); got != "You said: from a file" {
		t.Errorf("relative @file: %q", got)
	}

	c = alice
	c.stdin = hello("from stdin")
	res = decode[resultOut](t, c.ok(t, "runs", "wait", "agent", "--thread", id, "--input", "-"))
	if got := lastMessage(t, res.Values); got != "You said: from stdin" {
		t.Errorf("stdin: %q", got)
	}
	if res.RunID == "" || res.ThreadID != id {
		t.Errorf("result ids: %+v", res)
	}

	// Metadata from stdin, on another command.
	c = alice
	c.stdin = `{"source":"stdin"}`
	th := decode[thread](t, c.ok(t, "threads", "update", id, "--metadata", "-"))
	if th.Metadata["source"] != "stdin" {
		t.Errorf("threads update --metadata -: %+v", th)
	}

	alice.fails(t, exitUsage, []string{"--input", "missing.json"}, "runs", "wait", "agent", "--input", "@"+filepath.Join(dir, "missing.json"))
	c.fails(t, exitUsage, []string{"--config", "already read by --input"}, "runs", "wait", "agent", "--input", "-", "--config", "-")
}

func TestBinaryEnvironment(t *testing.T) {
	srv.Setup(t)
	env := call{noURL: true, env: []string{"LANGGRAPH_API_URL=" + srv.URL(), "LANGGRAPH_AUTH_TOKEN=" + testserver.TokenAlice}}
	th := decode[thread](t, env.ok(t, "threads", "create"))
	if th.Metadata["owner"] != "alice" {
		t.Errorf("thread created with LANGGRAPH_AUTH_TOKEN: %+v, want alice's", th)
	}
	// --token wins over the environment.
	env.fails(t, exitAPI, []string{"404"}, "threads", "get", th.ThreadID, "--token", testserver.TokenBob)

	key := call{noURL: true, env: []string{"LANGGRAPH_API_URL=" + srv.URL(), "LANGGRAPH_API_KEY=" + testserver.APIKeyCarol}}
	th = decode[thread](t, key.ok(t, "threads", "create"))
	if th.Metadata["owner"] != "carol" {
		t.Errorf("thread created with LANGGRAPH_API_KEY: %+v, want carol's", th)
	}
	key.fails(t, exitAPI, []string{"404"}, "--api-key", testserver.APIKeyDave, "threads", "get", th.ThreadID)
	bad := call{noURL: true, env: []string{"LANGGRAPH_API_URL=localhost:2024"}}
	bad.fails(t, exitUsage, []string{"LANGGRAPH_API_URL"}, "info")
}

func TestBinaryGlobalFlagsAfterCommand(t *testing.T) {
	srv.Setup(t)
	id := newThread(t, alice)
	c := call{noURL: true}
	c.ok(t, "threads", "get", id, "--url", srv.URL(), "--token", testserver.TokenAlice)
	c.fails(t, exitAPI, []string{"404"}, "threads", "get", "--token", testserver.TokenBob, id, "--url", srv.URL())
	// The last --token wins, wherever it is.
	c.ok(t, "--token", testserver.TokenBob, "--url", srv.URL(), "threads", "get", id, "--token", testserver.TokenAlice)
}

func TestBinaryInvoke(t *testing.T) {
	srv.Setup(t)
	id := newThread(t, alice)
	res := decode[resultOut](t, alice.exits(t, exitRunInterrupted, nil, "invoke", "interrupt", "--thread", id, "--input", "{}"))
	if !res.Interrupted || len(res.Interrupts) != 1 || compact(t, res.Interrupts[0].Value) != `{"question":"approve?"}` {
		t.Fatalf("invoke interrupt: %+v", res)
	}
	res = decode[resultOut](t, alice.ok(t, "invoke", "interrupt", "--thread", id, "--resume", `"yes"`))
	var st struct {
		Answer string `json:"answer"`
		Done   bool   `json:"done"`
	}
	if err := json.Unmarshal(res.Values, &st); err != nil || st.Answer != "yes" || !st.Done || res.Interrupted {
		t.Errorf("resumed: %+v (%v)", res, err)
	}
	bob.fails(t, exitAPI, []string{"404"}, "invoke", "interrupt", "--thread", id, "--resume", `"no"`)

	// Stateless, and streamed.
	res = decode[resultOut](t, alice.ok(t, "invoke", "agent", "--input", hello("remote")))
	if got := lastMessage(t, res.Values); got != "You said: remote" {
		t.Errorf("stateless invoke: %q", got)
	}
	r := alice.ok(t, "invoke", "agent", "--input", hello("streamed"), "--stream", "updates", "--stream", "custom")
	var events []string
	for _, l := range lines(t, r) {
		events = append(events, l.Event)
	}
	if !slices.Contains(events, "updates") || !slices.Contains(events, "custom") || slices.Contains(events, "values") {
		t.Errorf("invoke --stream updates,custom printed events %q", events)
	}
	alice.fails(t, exitAPI, []string{"CustomError", "Boo!"}, "invoke", "error", "--input", "{}")
	alice.fails(t, exitUsage, []string{"--resume", "--thread"}, "invoke", "interrupt", "--resume", `"yes"`)
}

func TestBinaryRunsLifecycle(t *testing.T) {
	srv.Setup(t)
	id := newThread(t, alice)
	created := decode[runOut](t, alice.ok(t, "runs", "create", "agent", "--thread", id, "--input", hello("bg"), "--metadata", `{"n":1}`))
	res := decode[resultOut](t, alice.ok(t, "runs", "join", id, created.RunID))
	if got := lastMessage(t, res.Values); got != "You said: bg" {
		t.Errorf("join: %q", got)
	}
	if got := decode[runOut](t, alice.ok(t, "runs", "get", id, created.RunID)); got.Status != "success" {
		t.Errorf("get: %+v", got)
	}
	slowThread := newThread(t, alice)
	slow := decode[runOut](t, alice.ok(t, "runs", "create", "slow", "--thread", slowThread, "--input", `{"steps":100,"delay_ms":100}`))
	bob.fails(t, exitAPI, []string{"404"}, "runs", "cancel", slowThread, slow.RunID)
	if r := alice.ok(t, "runs", "cancel", slowThread, slow.RunID, "--wait"); r.stdout != "" {
		t.Errorf("cancel printed %q", r.stdout)
	}
	if got := decode[runOut](t, alice.ok(t, "runs", "get", slowThread, slow.RunID)); got.Status == "success" || got.Status == "running" || got.Status == "pending" {
		t.Errorf("cancelled run: %+v", got)
	}

	// Thread state after the runs.
	st := decode[struct {
		Values     json.RawMessage `json:"values"`
		Checkpoint struct {
			CheckpointID string `json:"checkpoint_id"`
		} `json:"checkpoint"`
	}](t, alice.ok(t, "threads", "state", id))
	if got := lastMessage(t, st.Values); got != "You said: bg" || st.Checkpoint.CheckpointID == "" {
		t.Errorf("state: %s", st.Values)
	}
	hist := decode[[]json.RawMessage](t, alice.ok(t, "threads", "history", id, "--limit", "2"))
	if len(hist) != 2 {
		t.Errorf("history --limit 2: %d states", len(hist))
	}
	upd := decode[struct {
		Checkpoint struct {
			CheckpointID string `json:"checkpoint_id"`
		} `json:"checkpoint"`
	}](t, alice.ok(t, "threads", "update-state", id, "--values", `{"messages":[{"role":"human","content":"edited"}]}`, "--as-node", "agent"))
	if upd.Checkpoint.CheckpointID == "" || upd.Checkpoint.CheckpointID == st.Checkpoint.CheckpointID {
		t.Errorf("update-state: %+v", upd)
	}
	old := decode[struct {
		Values json.RawMessage `json:"values"`
	}](t, alice.ok(t, "threads", "state", id, "--checkpoint-id", st.Checkpoint.CheckpointID))
	if got := lastMessage(t, old.Values); got != "You said: bg" {
		t.Errorf("state at the old checkpoint: %q", got)
	}
	cp := decode[thread](t, alice.ok(t, "threads", "copy", id))
	if cp.ThreadID == "" || cp.ThreadID == id {
		t.Errorf("copy: %+v", cp)
	}
	// The JS server refuses to copy another user's thread with 409 "Thread not found".
	bob.fails(t, exitAPI, []string{"not found"}, "threads", "copy", id)
	bob.fails(t, exitAPI, []string{"404"}, "runs", "delete", id, created.RunID)
	alice.ok(t, "runs", "delete", id, created.RunID)
	alice.fails(t, exitAPI, []string{"404"}, "runs", "get", id, created.RunID)
	alice.ok(t, "threads", "delete", id)
	alice.fails(t, exitAPI, []string{"404"}, "threads", "get", id)
	if n := decode[int](t, alice.ok(t, "threads", "count")); n != 2 {
		t.Errorf("count after delete: %d, want 2 (the copy and the slow run's thread)", n)
	}
}

func TestBinaryAssistants(t *testing.T) {
	srv.Setup(t)
	type assistant struct {
		AssistantID string `json:"assistant_id"`
		GraphID     string `json:"graph_id"`
	}
	found := decode[[]assistant](t, alice.ok(t, "assistants", "search", "--graph", "agent"))
	if len(found) != 1 || found[0].GraphID != "agent" {
		t.Fatalf("assistants search --graph agent: %+v", found)
	}
	aid := found[0].AssistantID
	if a := decode[assistant](t, bob.ok(t, "assistants", "get", aid)); a.AssistantID != aid {
		t.Errorf("get: %+v", a)
	}
	if n := decode[int](t, alice.ok(t, "assistants", "count")); n < 5 {
		t.Errorf("count: %d, want one per graph", n)
	}
	g := decode[struct {
		Nodes []struct {
			ID string `json:"id"`
		} `json:"nodes"`
	}](t, alice.ok(t, "assistants", "graph", aid))
	if !slices.ContainsFunc(g.Nodes, func(n struct {
		ID string `json:"id"`
	}) bool {
		return n.ID == "agent"
	}) {
		t.Errorf("graph nodes %+v lack agent", g.Nodes)
	}
	// assistants schemas is tested against a fake server (TestAssistantsSchemas):
	// the JS server spends about 25 s of CPU on its first schema extraction.
	if v := decode[[]assistant](t, alice.ok(t, "assistants", "versions", aid)); len(v) == 0 {
		t.Errorf("versions: none")
	}
	all := decode[[]assistant](t, alice.ok(t, "assistants", "search", "--all", "--limit", "2"))
	if len(all) < 5 {
		t.Errorf("search --all --limit 2: %d assistants", len(all))
	}
}

func TestBinaryStore(t *testing.T) {
	srv.Setup(t)
	alice.ok(t, "store", "put", "alice.notes", "todo", "--value", `{"text":"buy milk","done":false}`)
	alice.ok(t, "store", "put", `["alice","notes"]`, "done", "--value", `{"text":"call bob","done":true}`)
	item := decode[struct {
		Namespace []string       `json:"namespace"`
		Key       string         `json:"key"`
		Value     map[string]any `json:"value"`
	}](t, alice.ok(t, "store", "get", "alice.notes", "todo"))
	if !slices.Equal(item.Namespace, []string{"alice", "notes"}) || item.Key != "todo" || item.Value["text"] != "buy milk" {
		t.Errorf("store get: %+v", item)
	}
	found := decode[[]struct {
		Key string `json:"key"`
	}](t, alice.ok(t, "store", "search", "alice", "--filter", `{"done":true}`))
	if len(found) != 1 || found[0].Key != "done" {
		t.Errorf("search --filter: %+v", found)
	}
	if ns := decode[[][]string](t, alice.ok(t, "store", "namespaces", "--prefix", "alice")); len(ns) != 1 || !slices.Equal(ns[0], []string{"alice", "notes"}) {
		t.Errorf("namespaces: %v", ns)
	}
	bob.fails(t, exitAPI, []string{"403"}, "store", "get", "alice.notes", "todo")
	bob.fails(t, exitAPI, []string{"403"}, "store", "put", "alice.notes", "x", "--value", `{}`)
	alice.ok(t, "store", "delete", "alice.notes", "todo")
	alice.fails(t, exitAPI, []string{"todo"}, "store", "get", "alice.notes", "todo")
	alice.fails(t, exitUsage, []string{"--value", "object"}, "store", "put", "alice.notes", "x", "--value", `[1]`)
}

func TestBinaryCronsOnJSServer(t *testing.T) {
	srv.Setup(t)
	// The JS server does not implement crons: the refusal is an API error.
	r := alice.fails(t, exitAPI, nil, "--retries", "0", "crons", "search")
	if !strings.Contains(r.stderr, "500") && !strings.Contains(r.stderr, "404") {
		t.Errorf("crons search: %s", r.stderr)
	}
}

func TestBinaryHelp(t *testing.T) {
	if lgBin == "" {
		t.Skip("no binary")
	}
	c := call{noURL: true}
	r := c.ok(t, "help")
	for _, g := range []string{"info", "threads", "assistants", "runs", "store", "crons", "invoke", "--url", "--token", "--header", "Exit status"} {
		if !strings.Contains(r.stdout, g) {
			t.Errorf("lg help does not mention %q", g)
		}
	}
	r = c.ok(t, "runs", "stream", "-h")
	for _, want := range []string{"Usage: lg runs stream [flags] ASSISTANT", "--stream-mode", "--input JSON", "Examples:", "lg runs stream agent"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("lg runs stream -h does not mention %q:\n%s", want, r.stdout)
		}
	}
	if r2 := c.ok(t, "help", "runs", "stream"); r2.stdout != r.stdout {
		t.Errorf("lg help runs stream differs from lg runs stream -h")
	}
	if r := c.ok(t, "threads", "--help"); !strings.Contains(r.stdout, "update-state THREAD_ID") {
		t.Errorf("lg threads --help: %s", r.stdout)
	}
	c.fails(t, exitUsage, []string{"missing subcommand"}, "runs")
}

// notifyWriter collects output and closes seen once the output contains
// want.
type notifyWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	once sync.Once
	seen chan struct{}
}

func (w *notifyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

func (w *notifyWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// In-process, under the race detector: a stream prints its events as they
// come, Ctrl-C (a cancelled context) ends it with status 130, and run leaves
// no goroutine behind.
func TestInProcessStreamInterrupted(t *testing.T) {
	srv.Setup(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	noEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &notifyWriter{want: `{"step":2}`, seen: make(chan struct{})}
	go func() {
		<-out.seen
		cancel()
	}()
	var stderr bytes.Buffer
	code := run(ctx, []string{"--url", srv.URL(), "--token", testserver.TokenAlice, "runs", "stream", "slow",
		"--input", `{"steps":1000,"delay_ms":20}`, "--stream-mode", "custom", "--on-disconnect", "cancel"}, nil, out, &stderr)
	if code != exitInterrupted || !strings.Contains(stderr.String(), "interrupted") {
		t.Fatalf("exit %d, stderr %q, want 130 and interrupted", code, stderr.String())
	}
	var steps []string
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var sl streamLine
		if err := json.Unmarshal([]byte(l), &sl); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if sl.Event == "custom" {
			steps = append(steps, string(sl.Data))
		}
	}
	if len(steps) < 2 || steps[0] != `{"step":1}` || steps[1] != `{"step":2}` || len(steps) == 1000 {
		t.Errorf("custom events before the interrupt: %q", steps)
	}
}

// In-process: the whole path of a wait, as bob, under the race detector.
func TestInProcessWait(t *testing.T) {
	srv.Setup(t)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	noEnv(t)
	r := runLG(t, hello("in process"), "--url", srv.URL(), "--token", testserver.TokenBob, "runs", "wait", "agent", "--input", "-")
	if r.code != 0 {
		t.Fatal(r)
	}
	var res resultOut
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if got := lastMessage(t, res.Values); got != "You said: in process" {
		t.Errorf("wait: %q", got)
	}
}

// TestBinaryInterruptedRunExitCode: a run that stops at an interrupt or a
// breakpoint exits with status 4 (after printing its result or events as
// usual), so that scripts can tell it from a run that finished; resuming it
// to its end exits 0.
func TestBinaryInterruptedRunExitCode(t *testing.T) {
	srv.Setup(t)
	want := []string{"stopped at an interrupt or a breakpoint"}

	// interrupt(): wait, join, then resume.
	id := newThread(t, alice)
	res := decode[resultOut](t, alice.exits(t, exitRunInterrupted, want, "runs", "wait", "interrupt", "--thread", id, "--input", "{}"))
	if !res.Interrupted || len(res.Interrupts) != 1 || res.RunID == "" {
		t.Fatalf("runs wait interrupt: %+v", res)
	}
	alice.exits(t, exitRunInterrupted, want, "runs", "join", id, res.RunID)
	res = decode[resultOut](t, alice.ok(t, "runs", "wait", "interrupt", "--thread", id, "--resume", `"yes"`))
	if res.Interrupted {
		t.Errorf("resumed run: %+v", res)
	}

	// Streamed: the last event carries the interrupt.
	id = newThread(t, alice)
	ls := lines(t, alice.exits(t, exitRunInterrupted, want, "runs", "stream", "interrupt", "--thread", id, "--input", "{}", "--stream-mode", "updates"))
	if last := ls[len(ls)-1]; last.Event != "updates" || !strings.Contains(string(last.Data), "__interrupt__") {
		t.Errorf("last event %+v", last)
	}
	alice.ok(t, "runs", "stream", "interrupt", "--thread", id, "--resume", `"yes"`, "--stream-mode", "updates")

	// A breakpoint (no interrupt value), on a thread and stateless.
	id = newThread(t, alice)
	res = decode[resultOut](t, alice.exits(t, exitRunInterrupted, want, "runs", "wait", "agent", "--thread", id, "--input", hello("hi"), "--interrupt-before", "agent"))
	if !res.Interrupted || len(res.Interrupts) != 0 {
		t.Errorf("breakpoint: %+v", res)
	}
	alice.ok(t, "runs", "wait", "agent", "--thread", id)
	alice.exits(t, exitRunInterrupted, want, "runs", "stream", "agent", "--input", hello("hi"), "--interrupt-after", "agent")

	// Through RemoteGraph, streamed or not.
	alice.exits(t, exitRunInterrupted, want, "invoke", "interrupt", "--thread", newThread(t, alice), "--input", "{}", "--stream", "values")
	alice.exits(t, exitRunInterrupted, want, "invoke", "agent", "--input", hello("hi"), "--interrupt-before", "agent")
	alice.ok(t, "invoke", "agent", "--input", hello("hi"), "--stream", "values")

	if h := alice.ok(t, "help"); !strings.Contains(h.stdout, "4 the run stopped at an interrupt or a breakpoint") {
		t.Errorf("lg help does not document exit status 4:\n%s", h.stdout)
	}
}
