package wiretest

// The fake deployment of package langgraphtest must answer as the real server
// does: TestFakeWireShapes compares its answers with the recorded ones
// (testdata/wire), key path by key path; TestFakeConformance makes the same
// SDK calls against the fake and the live test server and compares what the
// SDK decodes, ids and times aside.

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/langgraphtest"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/store"
	"github.com/langgraph-go/langgraph/threads"
)

func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// authUser is what the test server's auth handler returns for a user.
func authUser(identity string) any {
	for _, u := range []testserver.User{testserver.Alice, testserver.Bob, testserver.Carol, testserver.Dave} {
		if u.Identity == identity {
			return obj{"identity": u.Identity, "display_name": u.DisplayName, "github_token": u.GitHubToken, "org": u.Org,
				"permissions": []string{}, "is_authenticated": true}
		}
	}
	return nil
}

// state decodes a JSON object (nil for anything else).
func state(b json.RawMessage) obj {
	var m obj
	_ = json.Unmarshal(b, &m)
	if m == nil {
		m = obj{}
	}
	return m
}

func with(m obj, kv ...any) obj {
	out := obj{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// fakeDeployment is a langgraphtest server scripted to play the graphs of
// testdata/server (src/*.ts), with its users.
func fakeDeployment(t *testing.T) *langgraphtest.Server {
	fake := langgraphtest.NewServer(t)
	for _, u := range []testserver.User{testserver.Alice, testserver.Bob, testserver.Carol, testserver.Dave} {
		fake.AddUser(langgraphtest.User{Identity: u.Identity, Token: u.Token, APIKey: u.APIKey,
			Fields: obj{"display_name": u.DisplayName, "github_token": u.GitHubToken, "org": u.Org}})
	}
	// agent: echoes the last human message through a chat model, token by
	// token, emits a custom event and records the user and x-* headers.
	fake.ScriptFunc(testserver.GraphAgent, func(r langgraphtest.RunRequest) langgraphtest.Run {
		var in struct {
			Messages []struct{ Content string } `json:"messages"`
		}
		_ = json.Unmarshal(r.Input, &in)
		st := state(r.State)
		msgs, _ := st["messages"].([]any)
		said := ""
		for _, m := range in.Messages {
			said = m.Content
			msgs = append(msgs, obj{"content": m.Content, "additional_kwargs": obj{}, "response_metadata": obj{}, "id": randomUUID(), "type": "human"})
		}
		headers := obj{}
		for k, v := range r.Header {
			if k = strings.ToLower(k); strings.HasPrefix(k, "x-") && k != "x-api-key" && k != "x-tenant-id" && k != "x-service-key" {
				headers[k] = v[0]
			}
		}
		user := authUser(r.User)
		aiID := "run-" + randomUUID()
		answer := "You said: " + said
		events := []langgraphtest.Event{
			langgraphtest.Values(with(st, "messages", msgs)),
			{Name: "messages/complete", Data: msgs},
		}
		for _, ch := range answer {
			events = append(events, langgraphtest.MessageChunk("agent", aiID, string(ch)))
		}
		ai := obj{"id": aiID, "content": answer, "additional_kwargs": obj{}, "response_metadata": obj{}, "tool_calls": []any{}, "invalid_tool_calls": []any{}, "type": "ai"}
		final := with(st, "messages", append(msgs, ai), "user", user, "headers", headers)
		events = append(events,
			langgraphtest.Custom(obj{"node": "agent", "said": said}),
			langgraphtest.Updates("agent", obj{"messages": []any{with(ai, "tool_call_chunks", []any{})}, "user": user, "headers": headers}),
			langgraphtest.Values(final))
		return langgraphtest.Run{Events: events, Values: final}
	})
	// interrupt: asks "approve?", then stores the answer and sets done.
	fake.ScriptFunc(testserver.GraphInterrupt, func(r langgraphtest.RunRequest) langgraphtest.Run {
		if resume := r.Resume(); resume != nil {
			return langgraphtest.Run{Values: with(state(r.State), "answer", resume, "done", true)}
		}
		return langgraphtest.Run{Interrupts: []langgraphtest.Interrupt{{Value: obj{"question": "approve?"}, Node: "ask"}}}
	})
	// error: node "fail" throws CustomError("Boo!").
	fake.ScriptFunc(testserver.GraphError, func(r langgraphtest.RunRequest) langgraphtest.Run {
		run := langgraphtest.Run{Error: &langgraphtest.RunError{Name: "CustomError", Message: "Boo!", Node: "fail"}}
		if in := state(r.Input); len(in) > 0 {
			run.Events = []langgraphtest.Event{langgraphtest.Values(with(state(r.State), flat(in)...))}
		}
		return run
	})
	// slow: N custom events {"step": i}, then {"count": N}.
	fake.ScriptFunc(testserver.GraphSlow, func(r langgraphtest.RunRequest) langgraphtest.Run {
		in := with(state(r.State), flat(state(r.Input))...)
		var p struct {
			Steps *int `json:"steps"`
		}
		_ = json.Unmarshal(r.Input, &p)
		n := 3
		if p.Steps != nil {
			n = *p.Steps
		}
		events := []langgraphtest.Event{langgraphtest.Values(in)}
		for i := 1; i <= n; i++ {
			events = append(events, langgraphtest.Custom(obj{"step": i}))
		}
		final := with(in, "count", n)
		events = append(events, langgraphtest.Updates("work", obj{"count": n}), langgraphtest.Values(final))
		return langgraphtest.Run{Events: events}
	})
	// subgraph: "child" (a subgraph with node "inner") then "outer" append to
	// the trail.
	fake.ScriptFunc(testserver.GraphSubgraph, func(r langgraphtest.RunRequest) langgraphtest.Run {
		var in struct {
			Trail string `json:"trail"`
		}
		_ = json.Unmarshal(r.Input, &in)
		ns := "child:" + randomUUID()
		t1, t2 := in.Trail+"inner;", in.Trail+"inner;outer;"
		return langgraphtest.Run{Events: []langgraphtest.Event{
			langgraphtest.Values(obj{"trail": in.Trail}),
			langgraphtest.Subgraph(ns, langgraphtest.Values(obj{"trail": in.Trail})),
			langgraphtest.Subgraph(ns, langgraphtest.Custom(obj{"node": "inner", "trail": t1})),
			langgraphtest.Subgraph(ns, langgraphtest.Updates("inner", obj{"trail": t1})),
			langgraphtest.Subgraph(ns, langgraphtest.Values(obj{"trail": t1})),
			langgraphtest.Updates("child", obj{"trail": t1}),
			langgraphtest.Values(obj{"trail": t1}),
			langgraphtest.Updates("outer", obj{"trail": t2}),
			langgraphtest.Values(obj{"trail": t2}),
		}}
	})
	return fake
}

func flat(m obj) []any {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var kv []any
	for _, k := range keys {
		kv = append(kv, k, m[k])
	}
	return kv
}

// fakeAnswers sends to the fake the requests that liveAnswers sends to the
// live server, for the routes the fake serves, and returns its answers by
// case name.
func fakeAnswers(t *testing.T, base string) map[string][]byte {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	r := &recorder{t: t, ctx: ctx, base: base, bodies: map[string][]byte{}, log: func() string { return "" }}
	const get, post = http.MethodGet, http.MethodPost

	r.call("assistants.get", get, "/assistants/agent", nil)
	r.call("assistants.search", post, "/assistants/search", obj{"limit": 100})
	r.call("assistants.count", post, "/assistants/count", obj{})

	r.threadCases()

	tid := r.newThread()
	run := r.call("runs.create", post, "/threads/"+tid+"/runs", obj{
		"assistant_id": "slow", "input": obj{"steps": 2, "delay_ms": 10}, "metadata": obj{"purpose": "wire"},
	})
	rid := r.field(run, "run_id")
	r.call("runs.join", get, "/threads/"+tid+"/runs/"+rid+"/join", nil)
	r.call("runs.get", get, "/threads/"+tid+"/runs/"+rid, nil)
	r.call("runs.list", get, "/threads/"+tid+"/runs", nil)
	r.call("runs.create.stateless", post, "/runs", obj{"assistant_id": "slow", "input": obj{"steps": 1, "delay_ms": 10}})
	r.call("runs.wait.stateless", post, "/runs/wait", obj{
		"assistant_id": "agent",
		"input":        obj{"messages": []obj{{"role": "human", "content": "hello"}}},
	})
	r.call("runs.batch", post, "/runs/batch", []obj{{"assistant_id": "slow", "input": obj{"steps": 1, "delay_ms": 10}}})

	r.call("threads.search", post, "/threads/search", obj{"limit": 100})
	r.call("threads.count", post, "/threads/count", obj{})

	r.do(http.MethodPut, "/store/items", obj{"namespace": []string{"alice", "wire"}, "key": "k", "value": obj{"note": "recorded"}})
	r.call("store.item", get, "/store/items?namespace=alice.wire&key=k", nil)
	r.call("store.item.missing", get, "/store/items?namespace=alice.wire&key=missing", nil)
	r.call("store.search", post, "/store/items/search", obj{"namespace_prefix": []string{"alice"}})
	r.call("store.namespaces", post, "/store/namespaces", obj{})
	return r.bodies
}

// fakeShapeExceptions are the key paths by which the fake's answers may
// differ from the recorded ones: the checkpoint metadata that only the real
// server's runtime writes (versions, host, LangSmith keys).
var fakeShapeExceptions = []struct{ cases, path string }{
	{"threads.state", "metadata."},
	{"threads.history", "[].metadata."},
	// The recording searched assistants after creating one with a config,
	// a context and metadata; the fake has only its graphs' assistants.
	{"assistants.search", "[].config."},
	{"assistants.search", "[].context."},
	{"assistants.search", "[].metadata."},
}

func fakeShapeException(name, path string) bool {
	for _, e := range fakeShapeExceptions {
		if strings.HasPrefix(name, e.cases) && strings.HasPrefix(path, e.path) {
			return true
		}
	}
	return false
}

// TestFakeWireShapes: every answer of the fake has exactly the key paths of
// the real server's recorded answer to the same request.
func TestFakeWireShapes(t *testing.T) {
	fake := fakeDeployment(t)
	answers := fakeAnswers(t, fake.URL())
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range answers {
			if !yield(n) {
				return
			}
		}
	})
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			recorded, err := os.ReadFile(filepath.Join(wireDir, name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			rv, err := decodeGeneric(recorded)
			if err != nil {
				t.Fatal(err)
			}
			fv, err := decodeGeneric(answers[name])
			if err != nil {
				t.Fatal(err)
			}
			real, fakes := map[string]bool{}, map[string]bool{}
			keyPaths(rv, "", real)
			keyPaths(fv, "", fakes)
			for _, p := range slices.Sorted(mapKeys(real)) {
				if !fakes[p] && !fakeShapeException(name, p) {
					t.Errorf("the fake's answer lacks %s", p)
				}
			}
			for _, p := range slices.Sorted(mapKeys(fakes)) {
				if !real[p] && !fakeShapeException(name, p) {
					t.Errorf("the fake's answer has %s, which the real server's lacks", p)
				}
			}
			if t.Failed() {
				t.Logf("fake: %s\nreal: %s", answers[name], recorded)
			}
		})
	}
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// deployment is one side of the conformance test: clients of alice and bob.
type deployment struct {
	name       string
	alice, bob *client.Client
	noAuth     *client.Client
}

// newDeployment returns the clients of the server at base (the live test
// server's clients, pointed there).
func newDeployment(t *testing.T, name, base string) deployment {
	mk := func(u testserver.User) *client.Client {
		return srv.Client(t, u, langgraph.WithBaseURL(base), langgraph.WithMaxRetries(0))
	}
	return deployment{name: name, alice: mk(testserver.Alice), bob: mk(testserver.Bob), noAuth: mk(testserver.User{})}
}

// outcome is what an SDK call gave: its value, or its error.
type outcome struct {
	Name  string
	Value any    `json:",omitempty"`
	Error string `json:",omitempty"`
}

func got[T any](v T, err error) outcome {
	if err != nil {
		return outcome{Error: err.Error()}
	}
	return outcome{Value: v}
}

func parts(seq func(func(langgraph.StreamPart, error) bool)) outcome {
	var out []langgraph.StreamPart
	for p, err := range seq {
		if err != nil {
			return outcome{Value: out, Error: err.Error()}
		}
		out = append(out, p)
	}
	return outcome{Value: out}
}

// scenario makes the SDK calls of the conformance test and returns what each
// gave.
func scenario(ctx context.Context, d deployment) []outcome {
	c := d.alice
	var out []outcome
	add := func(name string, o outcome) {
		o.Name = name
		out = append(out, o)
	}
	hello := map[string]any{"messages": []map[string]any{{"role": "human", "content": "hello"}}}

	th, err := c.Threads.Create(ctx, threads.CreateParams{Metadata: map[string]any{"purpose": "conformance"}})
	add("threads.create", got(th, err))
	if err != nil {
		return out
	}
	tid := th.ThreadID
	add("threads.state.empty", got(c.Threads.GetState(ctx, tid, threads.StateParams{})))
	add("runs.wait", got(c.Runs.Wait(ctx, tid, "agent", runs.CreateParams{Input: hello})))
	add("threads.get", got(c.Threads.Get(ctx, tid)))
	add("threads.state", got(c.Threads.GetState(ctx, tid, threads.StateParams{})))
	sp := runs.StreamParams{}
	sp.Input = map[string]any{"messages": []map[string]any{{"role": "human", "content": "again"}}}
	sp.StreamMode = []runs.StreamMode{runs.StreamValues, runs.StreamUpdates, runs.StreamMessagesTuple, runs.StreamCustom}
	add("runs.stream.agent", parts(c.Runs.Stream(ctx, tid, "agent", sp)))
	sp.StreamMode = []runs.StreamMode{runs.StreamMessages}
	add("runs.stream.messages", parts(c.Runs.Stream(ctx, tid, "agent", sp, langgraph.WithHeader("x-trace", "t1"))))
	add("threads.get.after-stream", got(c.Threads.Get(ctx, tid)))
	add("threads.get.bob", got(d.bob.Threads.Get(ctx, tid)))
	add("threads.get.unknown", got(c.Threads.Get(ctx, "00000000-0000-4000-8000-000000000000")))
	add("threads.get.no-auth", got(d.noAuth.Threads.Get(ctx, tid)))
	add("runs.wait.bob", got(d.bob.Runs.Wait(ctx, tid, "agent", runs.CreateParams{Input: hello})))
	add("runs.wait.unknown-assistant", got(c.Runs.Wait(ctx, tid, "nope", runs.CreateParams{Input: hello})))
	add("runs.wait.unknown-thread", got(c.Runs.Wait(ctx, "00000000-0000-4000-8000-000000000001", "agent", runs.CreateParams{Input: hello})))

	// Interrupt, then resume.
	it, _ := c.Threads.Create(ctx, threads.CreateParams{})
	add("runs.wait.interrupt", got(c.Runs.Wait(ctx, it.ThreadID, "interrupt", runs.CreateParams{Input: map[string]any{}})))
	add("threads.get.interrupted", got(c.Threads.Get(ctx, it.ThreadID)))
	add("threads.state.interrupted", got(c.Threads.GetState(ctx, it.ThreadID, threads.StateParams{})))
	add("runs.wait.resume", got(c.Runs.Wait(ctx, it.ThreadID, "interrupt", runs.CreateParams{Command: &langgraph.Command{Resume: "yes"}})))
	add("threads.get.resumed", got(c.Threads.Get(ctx, it.ThreadID)))
	it2, _ := c.Threads.Create(ctx, threads.CreateParams{})
	sp = runs.StreamParams{}
	sp.Input, sp.StreamMode = map[string]any{}, []runs.StreamMode{runs.StreamValues, runs.StreamUpdates}
	add("runs.stream.interrupt", parts(c.Runs.Stream(ctx, it2.ThreadID, "interrupt", sp)))

	// A failing node.
	et, _ := c.Threads.Create(ctx, threads.CreateParams{})
	add("runs.wait.error", got(c.Runs.Wait(ctx, et.ThreadID, "error", runs.CreateParams{Input: map[string]any{}})))
	sp.Input = map[string]any{"value": 1}
	add("runs.stream.error", parts(c.Runs.Stream(ctx, et.ThreadID, "error", sp)))
	add("threads.get.error", got(c.Threads.Get(ctx, et.ThreadID)))
	add("threads.state.error", got(c.Threads.GetState(ctx, et.ThreadID, threads.StateParams{})))

	// Background runs, joined; a resumable stream; subgraphs.
	st, _ := c.Threads.Create(ctx, threads.CreateParams{})
	slow := map[string]any{"steps": 2, "delay_ms": 1}
	run, err := c.Runs.Create(ctx, st.ThreadID, "slow", runs.CreateParams{Input: slow, StreamMode: []runs.StreamMode{runs.StreamValues, runs.StreamCustom}})
	add("runs.create", got(run, err))
	if err == nil {
		add("runs.join", got(c.Runs.Join(ctx, st.ThreadID, run.RunID, runs.JoinParams{})))
		add("runs.get", got(c.Runs.Get(ctx, st.ThreadID, run.RunID)))
		add("runs.joinstream.after", parts(c.Runs.JoinStream(ctx, st.ThreadID, run.RunID, runs.JoinStreamParams{})))
	}
	sp = runs.StreamParams{}
	sp.Input, sp.StreamMode, sp.StreamResumable = slow, []runs.StreamMode{runs.StreamCustom, runs.StreamUpdates}, true
	var created langgraph.RunRef
	sp.OnRunCreated = func(m langgraph.RunRef) { created = m }
	add("runs.stream.resumable", parts(c.Runs.Stream(ctx, st.ThreadID, "slow", sp)))
	add("runs.joinstream.replay", parts(c.Runs.JoinStream(ctx, st.ThreadID, created.RunID, runs.JoinStreamParams{LastEventID: "-1", Resumable: true})))
	add("runs.joinstream.after-1", parts(c.Runs.JoinStream(ctx, st.ThreadID, created.RunID, runs.JoinStreamParams{LastEventID: "1", Resumable: true})))
	add("runs.list", got(c.Runs.List(ctx, st.ThreadID, runs.ListParams{})))
	add("runs.joinstream.unknown", parts(c.Runs.JoinStream(ctx, st.ThreadID, "00000000-0000-4000-8000-000000000002", runs.JoinStreamParams{})))
	sub, _ := c.Threads.Create(ctx, threads.CreateParams{})
	sp = runs.StreamParams{}
	sp.Input, sp.Subgraphs = map[string]any{"trail": "start;"}, true
	sp.StreamMode = []runs.StreamMode{runs.StreamValues, runs.StreamUpdates, runs.StreamCustom}
	add("runs.stream.subgraphs", parts(c.Runs.Stream(ctx, sub.ThreadID, "subgraph", sp)))

	// Stateless runs.
	add("runs.wait.stateless", got(c.Runs.WaitStateless(ctx, "slow", runs.CreateParams{Input: slow})))
	sp = runs.StreamParams{}
	sp.Input, sp.StreamMode = slow, []runs.StreamMode{runs.StreamValues, runs.StreamCustom}
	add("runs.stream.stateless", parts(c.Runs.StreamStateless(ctx, "slow", sp)))

	// Searches, as alice and as bob.
	add("threads.search", got(c.Threads.Search(ctx, threads.SearchParams{Metadata: map[string]any{"purpose": "conformance"}})))
	add("threads.search.bob", got(d.bob.Threads.Search(ctx, threads.SearchParams{})))
	add("threads.count", got(c.Threads.Count(ctx, threads.CountParams{})))
	add("threads.search.interrupted", got(c.Threads.Search(ctx, threads.SearchParams{Status: langgraph.StatusInterrupted})))
	add("assistants.get", got(c.Assistants.Get(ctx, "agent")))
	add("assistants.search", got(c.Assistants.Search(ctx, assistants.SearchParams{GraphID: "interrupt"})))

	// Store.
	ns := []string{"alice", "notes"}
	add("store.put", got("", c.Store.PutItem(ctx, ns, "n1", map[string]any{"text": "hi", "kind": "note"}, store.PutParams{})))
	add("store.get", got(c.Store.GetItem(ctx, ns, "n1", store.GetParams{})))
	add("store.get.missing", got(c.Store.GetItem(ctx, ns, "n2", store.GetParams{})))
	add("store.search", got(c.Store.SearchItems(ctx, []string{"alice"}, store.SearchParams{Filter: map[string]any{"kind": "note"}})))
	add("store.namespaces", got(c.Store.ListNamespaces(ctx, store.NamespacesParams{Prefix: []string{"alice"}})))
	add("store.delete", got("", c.Store.DeleteItem(ctx, ns, "n1")))

	add("threads.delete", got("", c.Threads.Delete(ctx, tid)))
	add("threads.get.deleted", got(c.Threads.Get(ctx, tid)))
	return out
}

var (
	idRE   = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}`)
	timeRE = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$`)
	urlRE  = regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
)

// normalizer replaces ids by their rank of first appearance, times and the
// server's URL by placeholders, so that two deployments compare equal.
type normalizer struct{ ids map[string]string }

func (n *normalizer) value(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			out[n.str(k)] = n.value(x[k])
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = n.value(e)
		}
		return out
	case string:
		if timeRE.MatchString(x) {
			return "<time>"
		}
		return n.str(x)
	}
	return v
}

func (n *normalizer) str(s string) string {
	s = urlRE.ReplaceAllString(s, "<url>")
	return idRE.ReplaceAllStringFunc(s, func(id string) string {
		if _, ok := n.ids[id]; !ok {
			n.ids[id] = fmt.Sprintf("<id%d>", len(n.ids))
		}
		return n.ids[id]
	})
}

// decoded turns an outcome into plain JSON values, with the data of stream
// parts decoded, without what the fake does not reproduce: the checkpoint
// metadata that the real server's runtime writes (versions, host, LangSmith
// keys), and the same keys in the metadata of message chunks.
func decoded(t *testing.T, o outcome) any {
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatalf("%s: %v", o.Name, err)
	}
	v, err := decodeGeneric(b)
	if err != nil {
		t.Fatal(err)
	}
	m := v.(map[string]any)
	if ps, ok := m["Value"].([]any); ok && (strings.HasPrefix(o.Name, "runs.stream") || strings.HasPrefix(o.Name, "runs.joinstream")) {
		for _, p := range ps {
			p := p.(map[string]any)
			p["Data"] = trimMessageMetadata(p["Data"])
		}
	}
	if strings.HasPrefix(o.Name, "threads.state") {
		if val, ok := m["Value"].(map[string]any); ok {
			delete(val, "metadata")
		}
	}
	return m
}

// chunkMetadataKeys are the keys of a message chunk's metadata that the fake
// sets; the real server's also has its runtime's.
var chunkMetadataKeys = []string{"langgraph_node", "langgraph_step", "langgraph_triggers", "langgraph_path",
	"langgraph_checkpoint_ns", "checkpoint_ns", "run_id", "thread_id", "graph_id", "assistant_id", "run_attempt", "tags", "owner", "created_by"}

func trimMessageMetadata(d any) any {
	keep := func(m map[string]any) {
		for k := range m {
			if !slices.Contains(chunkMetadataKeys, k) {
				delete(m, k)
			}
		}
	}
	switch x := d.(type) {
	case []any: // [chunk, metadata]
		if len(x) == 2 {
			if m, ok := x[1].(map[string]any); ok {
				if _, ok := m["langgraph_node"]; ok {
					keep(m)
				}
			}
		}
	case map[string]any: // messages/metadata: {id: {metadata}}
		for _, v := range x {
			if w, ok := v.(map[string]any); ok {
				if m, ok := w["metadata"].(map[string]any); ok {
					keep(m)
				}
			}
		}
	}
	return d
}

// TestFakeConformance makes the same SDK calls against the fake and the live
// test server: what the SDK decodes must be the same, ids and times aside.
func TestFakeConformance(t *testing.T) {
	ctx := srv.Setup(t)
	fake := fakeDeployment(t)
	realOut := scenario(ctx, newDeployment(t, "real", srv.URL()))
	fakeOut := scenario(ctx, newDeployment(t, "fake", fake.URL()))
	if len(realOut) != len(fakeOut) {
		t.Fatalf("%d steps on the real server, %d on the fake", len(realOut), len(fakeOut))
	}
	rn, fn := &normalizer{ids: map[string]string{}}, &normalizer{ids: map[string]string{}}
	for i := range realOut {
		r, f := rn.value(decoded(t, realOut[i])), fn.value(decoded(t, fakeOut[i]))
		var diffs []string
		diff("", r, f, &diffs)
		if len(diffs) > 0 {
			t.Errorf("step %s: the fake differs from the real server:\n%s", realOut[i].Name, strings.Join(diffs, "\n"))
		}
	}
}

// diff appends to out the paths at which real and fake differ.
func diff(path string, real, fake any, out *[]string) {
	if reflect.DeepEqual(real, fake) {
		return
	}
	rm, ok1 := real.(map[string]any)
	fm, ok2 := fake.(map[string]any)
	if ok1 && ok2 {
		keys := map[string]bool{}
		for k := range rm {
			keys[k] = true
		}
		for k := range fm {
			keys[k] = true
		}
		for _, k := range slices.Sorted(mapKeys(keys)) {
			diff(path+"."+k, rm[k], fm[k], out)
		}
		return
	}
	ra, ok1 := real.([]any)
	fa, ok2 := fake.([]any)
	if ok1 && ok2 && len(ra) == len(fa) {
		for i := range ra {
			diff(fmt.Sprintf("%s[%d]", path, i), ra[i], fa[i], out)
		}
		return
	}
	rb, _ := json.Marshal(real)
	fb, _ := json.Marshal(fake)
	*out = append(*out, fmt.Sprintf("  %s: real %.300s, fake %.300s", path, rb, fb))
}
