package langgraphtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/langgraphtest"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/store"
	"github.com/langgraph-go/langgraph/threads"
)

// noLeaks checks at the end of the test that no goroutine was left behind.
// Call it first, so that its cleanup runs last.
func noLeaks(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

// post sends a JSON body and returns the answer's status, headers and body.
func post(t *testing.T, srv *langgraphtest.Server, path, body string, header ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

func get(t *testing.T, srv *langgraphtest.Server, path string, header ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL()+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, http.Header, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

var (
	uuidRE  = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	hexIDRE = regexp.MustCompile(`"[0-9a-f]{32}"`)
)

// ids replaces uuids by <uuid> and interrupt ids by <hex>.
func ids(s string) string {
	return hexIDRE.ReplaceAllString(uuidRE.ReplaceAllString(s, "<uuid>"), `"<hex>"`)
}

func newThread(t *testing.T, srv *langgraphtest.Server) string {
	t.Helper()
	status, _, body := post(t, srv, "/threads", `{}`)
	var th struct {
		ThreadID string `json:"thread_id"`
	}
	if status != 200 || json.Unmarshal([]byte(body), &th) != nil {
		t.Fatalf("POST /threads: %d %s", status, body)
	}
	return th.ThreadID
}

// TestStreamFraming: the bytes of a stream, as the JS server frames them:
// metadata first, one data line, ids from 0 on a thread and none for a
// stateless run, Content-Location naming the run.
func TestStreamFraming(t *testing.T) {
	srv := langgraphtest.NewServer(t)
	srv.Script("g", langgraphtest.Run{Events: []langgraphtest.Event{
		langgraphtest.Values(map[string]any{"a": "<b>"}),
		langgraphtest.Updates("n", map[string]any{"a": 1}),
		langgraphtest.Custom("line\nbreak"),
	}})
	tid := newThread(t, srv)
	status, h, body := post(t, srv, "/threads/"+tid+"/runs/stream", `{"assistant_id":"g","stream_mode":["values","custom"]}`)
	want := "event: metadata\ndata: {\"run_id\":\"<uuid>\",\"attempt\":1}\nid: 0\n\n" +
		"event: values\ndata: {\"a\":\"<b>\"}\nid: 1\n\n" +
		"event: custom\ndata: \"line\\nbreak\"\nid: 2\n\n"
	if status != 200 || h.Get("Content-Type") != "text/event-stream" || ids(body) != want {
		t.Errorf("%d %s\n%s\nwant\n%s", status, h.Get("Content-Type"), body, want)
	}
	if loc := h.Get("Content-Location"); !regexp.MustCompile(`^/threads/` + tid + `/runs/` + uuidRE.String() + `$`).MatchString(loc) {
		t.Errorf("Content-Location %q", loc)
	}

	status, h, body = post(t, srv, "/runs/stream", `{"assistant_id":"g","stream_mode":"updates"}`)
	want = "event: metadata\ndata: {\"run_id\":\"<uuid>\",\"attempt\":1}\n\n" +
		"event: updates\ndata: {\"n\":{\"a\":1}}\n\n"
	if status != 200 || ids(body) != want || !strings.HasPrefix(h.Get("Content-Location"), "/runs/") {
		t.Errorf("stateless: %d %s %s\nwant\n%s", status, h.Get("Content-Location"), body, want)
	}
}

// TestStreamModes: one script serves every mode: unrequested events are
// dropped, subgraph events need stream_subgraphs, message chunks become
// messages/* events for mode "messages", and a run without a values event
// ends with one holding its final state.
func TestStreamModes(t *testing.T) {
	noLeaks(t)
	srv := langgraphtest.NewServer(t)
	srv.Script("g", langgraphtest.Run{
		Events: []langgraphtest.Event{
			langgraphtest.MessageChunk("model", "m1", "a"),
			langgraphtest.MessageChunk("model", "m1", "b"),
			langgraphtest.Subgraph("child:1", langgraphtest.Custom(1)),
			langgraphtest.Custom(2),
			{Name: "debug", Data: map[string]any{"step": 1}},
		},
		Values: map[string]any{"done": true},
	})
	c := srv.Client()
	ctx := context.Background()
	stream := func(subgraphs bool, modes ...runs.StreamMode) []string {
		t.Helper()
		p := runs.StreamParams{AllEvents: true}
		p.StreamMode, p.Subgraphs = modes, subgraphs
		var out []string
		for part, err := range c.Runs.StreamStateless(ctx, "g", p) {
			if err != nil {
				t.Fatal(err)
			}
			if part.Event != "metadata" {
				out = append(out, part.Event+" "+ids(string(part.Data)))
			}
		}
		return out
	}
	if got, want := stream(false, runs.StreamCustom), []string{"custom 2"}; !slices.Equal(got, want) {
		t.Errorf("custom: %q, want %q", got, want)
	}
	if got, want := stream(true, runs.StreamCustom, runs.StreamValues), []string{"custom|child:1 1", "custom 2", `values {"done":true}`}; !slices.Equal(got, want) {
		t.Errorf("subgraphs: %q, want %q", got, want)
	}
	got := stream(false, runs.StreamMessages)
	names := []string{}
	for _, g := range got {
		names = append(names, strings.Fields(g)[0])
	}
	if want := []string{"messages/metadata", "messages/partial", "messages/partial", "messages/complete"}; !slices.Equal(names, want) {
		t.Fatalf("messages: %q", got)
	}
	if !strings.Contains(got[2], `"content":"ab"`) || !strings.Contains(got[3], `"content":"ab"`) || !strings.Contains(got[0], `"langgraph_node":"model"`) {
		t.Errorf("messages: %q", got)
	}
	tuple := stream(false, runs.StreamMessagesTuple)
	if len(tuple) != 2 || !strings.HasPrefix(tuple[1], `messages [{"content":"b",`) || !strings.Contains(tuple[1], `"langgraph_node":"model"`) {
		t.Errorf("messages-tuple: %q", tuple)
	}
	if got := stream(false, runs.StreamDebug); len(got) != 1 || got[0] != `debug {"step":1}` {
		t.Errorf("debug: %q", got)
	}
}

// TestRunOutcomes: the wait, join and stream answers of an interrupt, an
// error and a refusal, and what they leave on the thread.
func TestRunOutcomes(t *testing.T) {
	srv := langgraphtest.NewServer(t)
	srv.Script("ask", langgraphtest.Run{Interrupts: []langgraphtest.Interrupt{{ID: "i1", Value: map[string]any{"q": "?"}, Node: "human"}}})
	srv.Script("fail", langgraphtest.Run{Error: &langgraphtest.RunError{Name: "ValueError", Message: "boom", Node: "tool"}})
	srv.Script("busy", langgraphtest.Run{Status: 422, Message: "Thread is busy"})

	tid := newThread(t, srv)
	_, h, body := post(t, srv, "/threads/"+tid+"/runs/wait", `{"assistant_id":"ask","input":{}}`)
	if body != `{"__interrupt__":[{"id":"i1","value":{"q":"?"}}]}` || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Errorf("wait at an interrupt: %s %s", h.Get("Content-Type"), body)
	}
	_, _, body = get(t, srv, "/threads/"+tid)
	if !strings.Contains(body, `"status":"interrupted"`) || !strings.Contains(ids(body), `"interrupts":{"<uuid>":[{"id":"i1","value":{"q":"?"}}]}`) {
		t.Errorf("thread: %s", body)
	}
	_, _, body = get(t, srv, "/threads/"+tid+"/state")
	if !strings.Contains(body, `"next":["human"]`) || !strings.Contains(ids(body), `"tasks":[{"id":"<uuid>","name":"human","error":null,"interrupts":[{"id":"i1","value":{"q":"?"}}]`) {
		t.Errorf("state: %s", body)
	}
	_, _, body = post(t, srv, "/threads/"+tid+"/runs/stream", `{"assistant_id":"ask","stream_mode":["updates","values"]}`)
	if !strings.HasSuffix(body, "event: updates\ndata: {\"__interrupt__\":[{\"id\":\"i1\",\"value\":{\"q\":\"?\"}}]}\nid: 1\n\n"+
		"event: values\ndata: {\"__interrupt__\":[{\"id\":\"i1\",\"value\":{\"q\":\"?\"}}]}\nid: 2\n\n") {
		t.Errorf("stream at an interrupt: %s", body)
	}

	tid = newThread(t, srv)
	status, _, body := post(t, srv, "/threads/"+tid+"/runs/wait", `{"assistant_id":"fail"}`)
	if status != 200 || body != `{"__error__":{"error":"Error","message":"{\"error\":\"ValueError\",\"message\":\"boom\"}"}}` {
		t.Errorf("wait of a failing run: %d %s", status, body)
	}
	_, _, body = post(t, srv, "/threads/"+tid+"/runs/stream", `{"assistant_id":"fail"}`)
	if !strings.HasSuffix(body, "event: error\ndata: {\"error\":\"ValueError\",\"message\":\"boom\"}\nid: 1\n\n") {
		t.Errorf("stream of a failing run: %s", body)
	}
	_, _, body = get(t, srv, "/threads/"+tid+"/state")
	if !strings.Contains(body, `"error":"{\"message\":\"boom\",\"name\":\"ValueError\"}"`) {
		t.Errorf("state after a failure: %s", body)
	}

	status, h, body = post(t, srv, "/threads/"+tid+"/runs", `{"assistant_id":"busy"}`)
	if status != 422 || body != "Thread is busy" || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Errorf("refused run: %d %s %s", status, h.Get("Content-Type"), body)
	}
	status, _, body = post(t, srv, "/threads/"+tid+"/runs/wait", `{"assistant_id":"nope"}`)
	if status != 404 || !strings.HasPrefix(body, `No assistant found for "nope"`) {
		t.Errorf("unknown assistant: %d %s", status, body)
	}
	status, _, _ = post(t, srv, "/threads/not-a-uuid/runs/wait", `{"assistant_id":"ask"}`)
	if status != 400 {
		t.Errorf("bad thread id: %d", status)
	}
}

// TestScriptTurns: the runs of Script are played in turn and the last
// repeats; the zero Run merges the input into the thread's state.
func TestScriptTurns(t *testing.T) {
	srv := langgraphtest.NewServer(t)
	srv.Script("g", langgraphtest.Run{Values: map[string]any{"n": 1}}, langgraphtest.Run{Values: map[string]any{"n": 2}})
	srv.Script("echo")
	c, ctx := srv.Client(), context.Background()
	var got []string
	for range 3 {
		res, err := c.Runs.WaitStateless(ctx, "g", runs.CreateParams{})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(res.Values))
	}
	if want := []string{`{"n":1}`, `{"n":2}`, `{"n":2}`}; !slices.Equal(got, want) {
		t.Errorf("results %q, want %q", got, want)
	}
	th, _ := c.Threads.Create(ctx, threads.CreateParams{})
	for _, in := range []map[string]any{{"a": 1}, {"b": 2}} {
		if _, err := c.Runs.Wait(ctx, th.ThreadID, "echo", runs.CreateParams{Input: in}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := c.Threads.GetState(ctx, th.ThreadID, threads.StateParams{})
	if err != nil || string(st.Values) != `{"a":1,"b":2}` {
		t.Errorf("state %s, %v", st.Values, err)
	}
	hist, err := c.Threads.GetHistory(ctx, th.ThreadID, threads.HistoryParams{})
	if err != nil || len(hist) != 4 || hist[0].Checkpoint.CheckpointID != st.Checkpoint.CheckpointID {
		t.Errorf("history: %d states, %v", len(hist), err)
	}
}

// TestJoin: a background run's events go to its first joiner; a resumable
// run's stream replays after Last-Event-ID; Join returns the result.
func TestJoin(t *testing.T) {
	noLeaks(t)
	srv := langgraphtest.NewServer(t)
	srv.Script("g", langgraphtest.Run{Events: []langgraphtest.Event{langgraphtest.Custom(1), langgraphtest.Custom(2)}, Values: map[string]any{"ok": true}})
	c, ctx := srv.Client(), context.Background()
	th, _ := c.Threads.Create(ctx, threads.CreateParams{})
	count := func(seq func(func(langgraph.StreamPart, error) bool)) int {
		n := 0
		for _, err := range seq {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		return n
	}
	run, err := c.Runs.Create(ctx, th.ThreadID, "g", runs.CreateParams{StreamMode: []runs.StreamMode{runs.StreamCustom}})
	if err != nil || run.Status != langgraph.StatusPending {
		t.Fatalf("%+v %v", run, err)
	}
	if n := count(c.Runs.JoinStream(ctx, th.ThreadID, run.RunID, runs.JoinStreamParams{})); n != 3 {
		t.Errorf("first join: %d events, want 3", n)
	}
	if n := count(c.Runs.JoinStream(ctx, th.ThreadID, run.RunID, runs.JoinStreamParams{})); n != 0 {
		t.Errorf("second join: %d events, want 0", n)
	}
	res, err := c.Runs.Join(ctx, th.ThreadID, run.RunID, runs.JoinParams{})
	if err != nil || string(res.Values) != `{"ok":true}` {
		t.Errorf("join: %v %v", res, err)
	}
	got, err := c.Runs.Get(ctx, th.ThreadID, run.RunID)
	if err != nil || got.Status != langgraph.StatusSuccess {
		t.Errorf("get: %+v %v", got, err)
	}

	p := runs.StreamParams{}
	p.StreamMode, p.StreamResumable = []runs.StreamMode{runs.StreamCustom}, true
	var id langgraph.RunRef
	p.OnRunCreated = func(m langgraph.RunRef) { id = m }
	if n := count(c.Runs.Stream(ctx, th.ThreadID, "g", p)); n != 3 {
		t.Errorf("resumable stream: %d events", n)
	}
	if n := count(c.Runs.JoinStream(ctx, th.ThreadID, id.RunID, runs.JoinStreamParams{LastEventID: "1", Resumable: true})); n != 1 {
		t.Errorf("join after event 1: %d events, want 1", n)
	}
	list, err := c.Runs.List(ctx, th.ThreadID, runs.ListParams{})
	if err != nil || len(list) != 2 || list[0].RunID != run.RunID {
		t.Errorf("list: %v %v", list, err)
	}
}

// TestUsers: authentication and per-user threads.
func TestUsers(t *testing.T) {
	srv := langgraphtest.NewServer(t)
	srv.AddUser(langgraphtest.User{Identity: "alice", Token: "ta", Fields: map[string]any{"org": "acme"}})
	srv.AddUser(langgraphtest.User{Identity: "carol", APIKey: "kc"})
	srv.ScriptFunc("who", func(r langgraphtest.RunRequest) langgraphtest.Run {
		return langgraphtest.Run{Values: map[string]string{"user": r.User}}
	})
	for _, tc := range []struct {
		header []string
		status int
		body   string
	}{
		{nil, 401, "Missing credentials"},
		{[]string{"Authorization", "Bearer nope"}, 401, "Invalid token"},
		{[]string{"X-Api-Key", "nope"}, 401, "Invalid API key"},
		{[]string{"Authorization", "Bearer ta", "X-Api-Key", "nope"}, 200, "[]"},
	} {
		status, h, body := post(t, srv, "/threads/search", `{}`, tc.header...)
		if status != tc.status || body != tc.body {
			t.Errorf("%q: %d %s, want %d %s", tc.header, status, body, tc.status, tc.body)
		}
		if tc.header == nil && h.Get("WWW-Authenticate") != "Bearer" {
			t.Errorf("no WWW-Authenticate on a request without credentials")
		}
	}
	if status, _, _ := get(t, srv, "/info"); status != 200 {
		t.Errorf("GET /info: %d", status)
	}

	ctx := context.Background()
	alice, carol := srv.Client(langgraph.WithBearerToken("ta")), srv.Client(langgraph.WithAPIKey("kc"))
	th, err := alice.Threads.Create(ctx, threads.CreateParams{Metadata: map[string]any{"k": "v"}})
	if err != nil || th.Metadata["owner"] != "alice" {
		t.Fatalf("%+v %v", th, err)
	}
	if _, err := carol.Threads.Get(ctx, th.ThreadID); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("carol reads alice's thread: %v", err)
	}
	if _, err := carol.Threads.Create(ctx, threads.CreateParams{ThreadID: th.ThreadID}); !errors.Is(err, langgraph.ErrConflict) {
		t.Errorf("carol takes alice's thread id: %v", err)
	}
	if _, err := carol.Runs.Wait(ctx, th.ThreadID, "who", runs.CreateParams{}); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("carol runs on alice's thread: %v", err)
	}
	if found, err := carol.Threads.Search(ctx, threads.SearchParams{}); err != nil || len(found) != 0 {
		t.Errorf("carol's search: %v %v", found, err)
	}
	res, err := alice.Runs.Wait(ctx, th.ThreadID, "who", runs.CreateParams{})
	if err != nil || string(res.Values) != `{"user":"alice"}` {
		t.Errorf("alice's run: %v %v", res, err)
	}
	th, _ = alice.Threads.Get(ctx, th.ThreadID)
	var conf struct {
		Configurable struct {
			User map[string]any `json:"langgraph_auth_user"`
		} `json:"configurable"`
	}
	if err := json.Unmarshal(th.Config, &conf); err != nil || conf.Configurable.User["identity"] != "alice" || conf.Configurable.User["org"] != "acme" {
		t.Errorf("auth user in the thread's config: %s", th.Config)
	}
	last := srv.LastRequest()
	if last.User != "alice" || last.BearerToken() != "ta" || last.APIKey() != "" {
		t.Errorf("last request: %+v", last)
	}

	// Client reads no key from the environment, and serves per-call credentials.
	t.Setenv("LANGGRAPH_API_KEY", "env-key")
	pc := srv.Client(langgraph.WithPerCallCredentials())
	if _, err := pc.Threads.Search(ctx, threads.SearchParams{}); !errors.Is(err, langgraph.ErrNoCredentials) {
		t.Errorf("per-call client without credentials: %v", err)
	}
	if _, err := pc.Threads.Search(ctx, threads.SearchParams{}, langgraph.WithAPIKey("kc")); err != nil {
		t.Error(err)
	}
	if last := srv.LastRequest(); last.User != "carol" || last.APIKey() != "kc" {
		t.Errorf("last request: %+v", last)
	}
	if _, err := srv.Client().Threads.Search(ctx, threads.SearchParams{}); !errors.Is(err, langgraph.ErrUnauthorized) {
		t.Errorf("a client without credentials: %v", err)
	}
	if key := srv.LastRequest().APIKey(); key != "" {
		t.Errorf("Client sent the environment's key %q", key)
	}
}

// TestHandleFail: replaced answers, counted failures, recorded requests.
func TestHandleFail(t *testing.T) {
	srv := langgraphtest.NewServer(t)
	srv.Handle("GET /threads/{thread_id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"thread_id":"`+r.PathValue("thread_id")+`","status":"busy","metadata":{},"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}`)
	}))
	srv.Fail("POST /threads", 2, 502, "")
	c, ctx := srv.Client(langgraph.WithMaxRetries(1)), context.Background()
	id := "00000000-0000-4000-8000-000000000001"
	th, err := c.Threads.Get(ctx, id)
	if err != nil || th.Status != langgraph.StatusBusy {
		t.Errorf("handled: %+v %v", th, err)
	}
	_, err = c.Threads.Create(ctx, threads.CreateParams{ThreadID: id})
	var ae *langgraph.APIError
	if !errors.As(err, &ae) || ae.StatusCode != 502 || ae.Message != "Bad Gateway" {
		t.Errorf("failed twice: %v", err)
	}
	if _, err := c.Threads.Create(ctx, threads.CreateParams{ThreadID: id}); err != nil {
		t.Errorf("after the failures: %v", err)
	}
	var paths []string
	for _, r := range srv.Requests() {
		paths = append(paths, r.Method+" "+r.Path)
	}
	if want := []string{"GET /threads/" + id, "POST /threads", "POST /threads", "POST /threads"}; !slices.Equal(paths, want) {
		t.Errorf("requests %q, want %q", paths, want)
	}
	if status, _, body := get(t, srv, "/runs/crons"); status != 404 || body != "404 Not Found" {
		t.Errorf("unserved route: %d %s", status, body)
	}
}

// TestStoreAndSearch: store items and thread searches.
func TestStoreAndSearch(t *testing.T) {
	srv := langgraphtest.NewServer(t)
	c, ctx := srv.Client(), context.Background()
	ns := []string{"u", "notes"}
	if err := c.Store.PutItem(ctx, ns, "k1", map[string]any{"kind": "a"}, store.PutParams{}); err != nil {
		t.Fatal(err)
	}
	if err := c.Store.PutItem(ctx, ns, "k2", map[string]any{"kind": "b"}, store.PutParams{}); err != nil {
		t.Fatal(err)
	}
	it, err := c.Store.GetItem(ctx, ns, "k1", store.GetParams{})
	if err != nil || string(it.Value) != `{"kind":"a"}` {
		t.Errorf("get: %+v %v", it, err)
	}
	if _, err := c.Store.GetItem(ctx, ns, "k3", store.GetParams{}); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("missing item: %v", err)
	}
	items, err := c.Store.SearchItems(ctx, []string{"u"}, store.SearchParams{Filter: map[string]any{"kind": "b"}})
	if err != nil || len(items) != 1 || items[0].Key != "k2" {
		t.Errorf("search: %+v %v", items, err)
	}
	if err := c.Store.DeleteItem(ctx, ns, "k1"); err != nil {
		t.Error(err)
	}
	if nss, err := c.Store.ListNamespaces(ctx, store.NamespacesParams{}); err != nil || len(nss) != 1 {
		t.Errorf("namespaces: %v %v", nss, err)
	}

	for i := range 3 {
		if _, err := c.Threads.Create(ctx, threads.CreateParams{Metadata: map[string]any{"i": i, "even": i%2 == 0}}); err != nil {
			t.Fatal(err)
		}
	}
	found, err := c.Threads.Search(ctx, threads.SearchParams{Metadata: map[string]any{"even": true}})
	if err != nil || len(found) != 2 {
		t.Errorf("search: %d threads, %v", len(found), err)
	}
	page, err := c.Threads.SearchPage(ctx, threads.SearchParams{Limit: 2})
	if err != nil || len(page.Items) != 2 || page.Total != 3 {
		t.Errorf("page: %+v %v", page, err)
	}
	if n, err := c.Threads.Count(ctx, threads.CountParams{}); err != nil || n != 3 {
		t.Errorf("count: %d %v", n, err)
	}
}

// TestConcurrentRuns: runs from many goroutines, with the race detector.
func TestConcurrentRuns(t *testing.T) {
	noLeaks(t)
	srv := langgraphtest.NewServer(t)
	srv.ScriptFunc("g", func(r langgraphtest.RunRequest) langgraphtest.Run {
		return langgraphtest.Run{Events: []langgraphtest.Event{langgraphtest.Custom(r.ThreadID)}}
	})
	c, ctx := srv.Client(), context.Background()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			th, err := c.Threads.Create(ctx, threads.CreateParams{})
			if err != nil {
				t.Error(err)
				return
			}
			p := runs.StreamParams{}
			p.StreamMode = []runs.StreamMode{runs.StreamCustom}
			for part, err := range c.Runs.Stream(ctx, th.ThreadID, "g", p) {
				if err != nil {
					t.Error(err)
				}
				if part.Event == "custom" && string(part.Data) != `"`+th.ThreadID+`"` {
					t.Errorf("custom event %s on thread %s", part.Data, th.ThreadID)
				}
			}
		}()
	}
	wg.Wait()
	if n := len(srv.Requests()); n != 16 {
		t.Errorf("%d requests, want 16", n)
	}
}
