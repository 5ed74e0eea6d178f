package wiretest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/crons"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/store"
	"github.com/langgraph-go/langgraph/threads"
)

// srv is the package's LangGraph test server; nil with -short or when
// LANGGRAPH_SKIP_INTEGRATION=1.
var srv *testserver.Server

var record = flag.Bool("record", false, "write the live server's answers to testdata/wire (TestWireLive)")

func TestMain(m *testing.M) { os.Exit(testserver.Main(m, &srv)) }

// wireDir holds the recorded answers, one file per case.
const wireDir = "../../testdata/wire"

// A wireCase is one recorded answer and the SDK call that reads it.
type wireCase struct {
	// name is the file's name without ".json".
	name string
	// decode makes the SDK call that reads this answer, on a client whose
	// server answers every request with the recorded body, and returns what
	// the SDK gives in a form whose JSON encoding is the wire form.
	decode func(ctx context.Context, c *client.Client) (any, error)
	// normalize applies to the server's answer the differences the SDK's
	// docs announce (renamed keys, unwrapped errors); nil for none.
	normalize func(any) any
	// discards, when set, says why the SDK keeps nothing of this answer; the
	// call must still succeed.
	discards string
}

// v turns an SDK call's two results into decode's.
func v[T any](x T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return x, nil
}

// result gives a run's result in the wire form of a wait or join body: the
// values with __interrupt__ when the run stopped, or __error__.
func result(res *runs.Result, err error) (any, error) {
	var re *langgraph.RunError
	if errors.As(err, &re) {
		return map[string]any{"__error__": map[string]any{"error": re.Name, "message": re.Message}}, nil
	}
	if err != nil {
		return nil, err
	}
	if !res.Interrupted() {
		return res.Values, nil
	}
	var values map[string]any
	if err := json.Unmarshal(res.Values, &values); err != nil {
		return nil, fmt.Errorf("values of an interrupted result: %w", err)
	}
	if values == nil {
		values = map[string]any{}
	}
	in := res.Interrupts
	if in == nil {
		in = []langgraph.Interrupt{}
	}
	values["__interrupt__"] = in
	return values, nil
}

func getThread(ctx context.Context, c *client.Client) (any, error) { return v(c.Threads.Get(ctx, "t")) }

func getState(p threads.StateParams) func(context.Context, *client.Client) (any, error) {
	return func(ctx context.Context, c *client.Client) (any, error) { return v(c.Threads.GetState(ctx, "t", p)) }
}

// subgraphStates decodes the state, then each task's subgraph state with
// Task.Subgraph, so that nested states are checked as States too.
func subgraphStates(p threads.StateParams) func(context.Context, *client.Client) (any, error) {
	return func(ctx context.Context, c *client.Client) (any, error) {
		st, err := c.Threads.GetState(ctx, "t", p)
		if err != nil {
			return nil, err
		}
		for i, tk := range st.Tasks {
			if tk.State == nil {
				continue
			}
			sub, ok := tk.Subgraph()
			if !ok {
				return nil, fmt.Errorf("task %s: Subgraph() refuses its state %s", tk.ID, tk.State)
			}
			b, err := json.Marshal(sub)
			if err != nil {
				return nil, err
			}
			st.Tasks[i].State = b
		}
		return st, nil
	}
}

func wait(ctx context.Context, c *client.Client) (any, error) {
	return result(c.Runs.Wait(ctx, "t", "a", runs.CreateParams{}))
}

var cases = []wireCase{
	{name: "info", decode: func(ctx context.Context, c *client.Client) (any, error) { return v(c.Info(ctx)) }},

	{name: "assistants.get", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Assistants.Get(ctx, "a"))
	}},
	{name: "assistants.create", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Assistants.Create(ctx, assistants.CreateParams{GraphID: "agent"}))
	}},
	{name: "assistants.update", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Assistants.Update(ctx, "a", assistants.UpdateParams{Name: "n"}))
	}},
	{name: "assistants.versions", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Assistants.GetVersions(ctx, "a", assistants.VersionsParams{}))
	}},
	{name: "assistants.latest", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Assistants.SetLatest(ctx, "a", 1))
	}},
	{name: "assistants.search", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Assistants.Search(ctx, assistants.SearchParams{}))
	}},
	{name: "assistants.count", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Assistants.Count(ctx, assistants.CountParams{}))
	}},
	{name: "assistants.graph", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Assistants.GetGraph(ctx, "a", assistants.GraphParams{}))
	}},
	{name: "assistants.graph.xray", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Assistants.GetGraph(ctx, "a", assistants.GraphParams{XRay: true}))
	}},
	{name: "assistants.schemas", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Assistants.GetSchemas(ctx, "a"))
	}},
	{name: "assistants.subgraphs", normalize: jsSubgraphSchemas, decode: func(ctx context.Context, c *client.Client) (any, error) {
		subs, err := c.Assistants.GetSubgraphs(ctx, "a", assistants.SubgraphsParams{Recurse: true})
		byNS := map[string]assistants.GraphSchema{}
		for _, s := range subs {
			byNS[s.Namespace] = s.Schema
		}
		return v(byNS, err)
	}},
	{name: "assistants.delete", discards: "Assistants.Delete returns only an error, as the Python SDK's delete returns None",
		decode: func(ctx context.Context, c *client.Client) (any, error) {
			return nil, c.Assistants.Delete(ctx, "a", assistants.DeleteParams{})
		}},

	{name: "threads.create", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Threads.Create(ctx, threads.CreateParams{}))
	}},
	{name: "threads.get", decode: getThread},
	{name: "threads.get.interrupted", decode: getThread},
	{name: "threads.get.error", decode: getThread},
	{name: "threads.update", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Threads.Update(ctx, "t", threads.UpdateParams{Metadata: map[string]any{"k": 1}}))
	}},
	{name: "threads.copy", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Threads.Copy(ctx, "t"))
	}},
	{name: "threads.search", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Threads.Search(ctx, threads.SearchParams{}))
	}},
	{name: "threads.count", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Threads.Count(ctx, threads.CountParams{}))
	}},
	{name: "threads.state.empty", decode: getState(threads.StateParams{})},
	{name: "threads.state", decode: getState(threads.StateParams{})},
	{name: "threads.state.interrupted", decode: getState(threads.StateParams{})},
	{name: "threads.state.error", decode: getState(threads.StateParams{})},
	{name: "threads.state.breakpoint", decode: getState(threads.StateParams{})},
	{name: "threads.state.subgraphs", decode: subgraphStates(threads.StateParams{Subgraphs: true})},
	{name: "threads.state.checkpoint", decode: getState(threads.StateParams{CheckpointID: "c"})},
	{name: "threads.state.checkpoint.subgraphs", decode: subgraphStates(threads.StateParams{CheckpointID: "c", Subgraphs: true})},
	{name: "threads.state.checkpoint.post", decode: getState(threads.StateParams{Checkpoint: &langgraph.Checkpoint{CheckpointID: "c"}})},
	{name: "threads.history", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Threads.GetHistory(ctx, "t", threads.HistoryParams{}))
	}},
	{name: "threads.update-state", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Threads.UpdateState(ctx, "t", threads.UpdateStateParams{Values: map[string]any{"answer": "edited"}, AsNode: "ask"}))
	}},

	{name: "runs.create", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Runs.Create(ctx, "t", "a", runs.CreateParams{}))
	}},
	{name: "runs.create.stateless", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Runs.CreateStateless(ctx, "a", runs.CreateParams{}))
	}},
	{name: "runs.batch", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Runs.CreateBatch(ctx, []runs.BatchItem{{AssistantID: "a"}}))
	}},
	{name: "runs.get", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Runs.Get(ctx, "t", "r"))
	}},
	{name: "runs.list", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Runs.List(ctx, "t", runs.ListParams{}))
	}},
	{name: "runs.wait", decode: wait},
	{name: "runs.wait.interrupt", decode: wait},
	{name: "runs.wait.breakpoint", decode: wait},
	{name: "runs.wait.subgraph", decode: wait},
	{name: "runs.wait.error", decode: wait, normalize: jsRunError},
	{name: "runs.wait.stateless", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return result(c.Runs.WaitStateless(ctx, "a", runs.CreateParams{}))
	}},
	{name: "runs.join", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return result(c.Runs.Join(ctx, "t", "r", runs.JoinParams{}))
	}},

	{name: "store.item", decode: func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Store.GetItem(ctx, []string{"alice", "wire"}, "k", store.GetParams{}))
	}},
	{name: "store.item.missing", decode: func(ctx context.Context, c *client.Client) (any, error) {
		// A missing item is an error that matches ErrNotFound; the server's
		// answer is null.
		it, err := c.Store.GetItem(ctx, []string{"alice", "wire"}, "missing", store.GetParams{})
		if errors.Is(err, langgraph.ErrNotFound) {
			return nil, nil
		}
		return v(it, err)
	}},
	{name: "store.search", decode: func(ctx context.Context, c *client.Client) (any, error) {
		items, err := c.Store.SearchItems(ctx, []string{"alice"}, store.SearchParams{})
		return v(map[string]any{"items": items}, err)
	}},
	{name: "store.namespaces", decode: func(ctx context.Context, c *client.Client) (any, error) {
		ns, err := c.Store.ListNamespaces(ctx, store.NamespacesParams{})
		return v(map[string]any{"namespaces": ns}, err)
	}},
}

// jsSubgraphSchemas renames the keys of the JS server's subgraph schemas
// (input, output, state, config, context) to the names GraphSchema reads
// them as (input_schema, ...), as its UnmarshalJSON documents.
func jsSubgraphSchemas(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		return v
	}
	for _, s := range m {
		s, ok := s.(map[string]any)
		if !ok {
			continue
		}
		for _, k := range []string{"input", "output", "state", "config", "context"} {
			if x, ok := s[k]; ok {
				delete(s, k)
				s[k+"_schema"] = x
			}
		}
	}
	return m
}

// jsRunError unwraps the node's error that the JS server nests as JSON in
// the message of its __error__, as langgraph.RunError.UnmarshalJSON documents.
func jsRunError(v any) any {
	m, _ := v.(map[string]any)
	e, _ := m["__error__"].(map[string]any)
	msg, _ := e["message"].(string)
	var inner struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if strings.HasPrefix(msg, "{") && json.Unmarshal([]byte(msg), &inner) == nil && inner.Error != "" {
		e["error"], e["message"] = inner.Error, inner.Message
	}
	return v
}

// nullAsAbsent lists the fields that the SDK may leave out when the server
// sent null, each documented on its type: a case-name prefix ("" for all
// cases) and a key path ("[]" for any index), matched at the end of the
// field's path.
var nullAsAbsent = []struct{ cases, path string }{
	{"", "checkpoint_map"},          // langgraph.Checkpoint.CheckpointMap
	{"assistants.", "description"},  // assistants.Assistant.Description
	{"threads.state", "created_at"}, // threads.State.CreatedAt: a thread that never ran
	// Stream events: langgraph.TaskEvent.Error, CheckpointTask.Error,
	// CheckpointEvent.ParentCheckpoint, and the checkpoint id of a subgraph
	// task that has not run yet (langgraph.Checkpoint.CheckpointID).
	{"stream.", "error"},
	{"stream.", "parent_checkpoint"},
	{"stream.", "tasks[].checkpoint.checkpoint_id"},
	// crons.Cron, for the Python server's nullable fields.
	{"python.crons", "thread_id"},
	{"python.crons", "on_run_completed"},
	{"python.crons", "end_time"},
	{"python.crons", "timezone"},
	{"python.crons", "user_id"},
	{"python.crons", "next_run_date"},
}

func mayDropNull(name, path string) bool {
	for _, n := range nullAsAbsent {
		if strings.HasPrefix(name, n.cases) && (path == n.path || strings.HasSuffix(path, "."+n.path)) {
			return true
		}
	}
	return false
}

// replay returns a client whose server answers every request with body.
func replay(t *testing.T, body []byte) *client.Client {
	return replayAs(t, body, "application/json")
}

// replayAs returns a client whose server answers every request with body,
// of content type ctype.
func replayAs(t *testing.T, body []byte, ctype string) *client.Client {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", ctype)
		_, _ = w.Write(body)
	}))
	t.Cleanup(ts.Close)
	c, err := client.New(langgraph.WithBaseURL(ts.URL), langgraph.WithoutAPIKey(), langgraph.WithBearerToken("replay"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkRoundTrip decodes body with the case's SDK call, encodes the result
// and reports every field of body that did not come back with its value.
func checkRoundTrip(t *testing.T, wc wireCase, body []byte) {
	t.Helper()
	in, err := decodeGeneric(body)
	if err != nil {
		t.Fatalf("the answer is not JSON: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := wc.decode(ctx, replay(t, body))
	if err != nil {
		t.Fatalf("the SDK refused the answer: %v", err)
	}
	if wc.discards != "" {
		return
	}
	enc, err := json.Marshal(got)
	if err != nil {
		t.Fatalf("encoding %T: %v", got, err)
	}
	out, err := decodeGeneric(enc)
	if err != nil {
		t.Fatal(err)
	}
	if wc.normalize != nil {
		in = wc.normalize(in)
	}
	var lost []string
	compare(wc.name, "", "", in, out, &lost)
	for _, l := range lost {
		t.Errorf("%s", l)
	}
	if len(lost) > 0 {
		t.Logf("decoded into %T and encoded again: %s", got, enc)
	}
}

func decodeGeneric(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, errors.New("more than one JSON value")
	}
	return v, nil
}

// compare appends to lost every key path of in that out lacks or holds with
// another value. path names the place ("tasks[0].error"), shape the same with
// any index ("tasks[].error").
func compare(name, path, shape string, in, out any, lost *[]string) {
	where := path
	if where == "" {
		where = "the answer"
	}
	switch x := in.(type) {
	case map[string]any:
		y, ok := out.(map[string]any)
		if !ok {
			*lost = append(*lost, fmt.Sprintf("%s: sent an object, got back %s", where, brief(out)))
			return
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p, s := join(path, k), join(shape, k)
			oy, ok := y[k]
			if !ok {
				if x[k] == nil && mayDropNull(name, s) {
					continue
				}
				*lost = append(*lost, fmt.Sprintf("%s: dropped (the server sent %s)", p, brief(x[k])))
				continue
			}
			compare(name, p, s, x[k], oy, lost)
		}
	case []any:
		y, ok := out.([]any)
		if !ok || len(y) != len(x) {
			*lost = append(*lost, fmt.Sprintf("%s: sent %s, got back %s", where, brief(in), brief(out)))
			return
		}
		for i := range x {
			compare(name, fmt.Sprintf("%s[%d]", path, i), shape+"[]", x[i], y[i], lost)
		}
	default:
		if !sameScalar(in, out) {
			*lost = append(*lost, fmt.Sprintf("%s: sent %s, got back %s", where, brief(in), brief(out)))
		}
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// sameScalar compares JSON scalars: numbers by value, timestamps by instant
// (time.Time writes .820Z as .82Z), the rest exactly.
func sameScalar(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		fx, _, ex := big.ParseFloat(string(x), 10, 256, big.ToNearestEven)
		fy, _, ey := big.ParseFloat(string(y), 10, 256, big.ToNearestEven)
		return ex == nil && ey == nil && fx.Cmp(fy) == 0
	case string:
		y, ok := b.(string)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		tx, ex := time.Parse(time.RFC3339Nano, x)
		ty, ey := time.Parse(time.RFC3339Nano, y)
		return ex == nil && ey == nil && tx.Equal(ty)
	default:
		return a == b
	}
}

func brief(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 80 {
		return string(b[:77]) + "..."
	}
	return string(b)
}

// idInKey matches the ids that servers use as object keys (task ids in
// Thread.Interrupts, checkpoint namespaces in checkpoint_map).
var idInKey = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}`)

// keyPaths adds to set every key path of v, with "[]" for any index and
// "<id>" for ids inside keys.
func keyPaths(v any, path string, set map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := join(path, idInKey.ReplaceAllString(k, "<id>"))
			set[p] = true
			keyPaths(e, p, set)
		}
	case []any:
		for _, e := range x {
			keyPaths(e, path+"[]", set)
		}
	}
}

func caseNames() []string {
	names := make([]string, len(cases))
	for i, c := range cases {
		names[i] = c.name
	}
	return names
}

// TestWireRecorded decodes every recorded answer with the SDK and requires
// every field to survive; the files and the cases must match one to one.
func TestWireRecorded(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(wireDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var onDisk []string
	for _, f := range files {
		onDisk = append(onDisk, strings.TrimSuffix(filepath.Base(f), ".json"))
	}
	want := caseNames()
	sort.Strings(want)
	sort.Strings(onDisk)
	if !slices.Equal(onDisk, want) {
		t.Errorf("files in %s = %v\nwant one per case: %v", wireDir, onDisk, want)
	}
	for _, wc := range cases {
		t.Run(wc.name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(wireDir, wc.name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			checkRoundTrip(t, wc, body)
		})
	}
}

// TestWireLive records the answers of the live test server and checks them as
// TestWireRecorded checks the files; every key path of a live answer must
// also be in its recorded file (else the server changed: record again with
// -record, which writes the files).
func TestWireLive(t *testing.T) {
	if srv == nil {
		if *record {
			t.Fatal("-record needs the test server (not -short, not " + testserver.SkipEnv + "=1)")
		}
		t.Skip("integration test: no test server (-short or " + testserver.SkipEnv + "=1)")
	}
	live := liveAnswers(t)
	var got []string
	for name := range live {
		got = append(got, name)
	}
	want := caseNames()
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Fatalf("recorded answers %v\nwant one per case: %v", got, want)
	}
	if *record {
		if err := os.MkdirAll(wireDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, body := range live {
			var buf bytes.Buffer
			if err := json.Indent(&buf, body, "", "  "); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			buf.WriteByte('\n')
			if err := os.WriteFile(filepath.Join(wireDir, name+".json"), buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("wrote %d files to %s", len(live), wireDir)
	}
	for _, wc := range cases {
		t.Run(wc.name, func(t *testing.T) {
			body := live[wc.name]
			checkRoundTrip(t, wc, body)
			recorded, err := os.ReadFile(filepath.Join(wireDir, wc.name+".json"))
			if err != nil {
				t.Fatalf("%v (record the files with -record)", err)
			}
			rv, err := decodeGeneric(recorded)
			if err != nil {
				t.Fatal(err)
			}
			lv, err := decodeGeneric(body)
			if err != nil {
				t.Fatal(err)
			}
			have, now := map[string]bool{}, map[string]bool{}
			keyPaths(rv, "", have)
			keyPaths(lv, "", now)
			var added []string
			for p := range now {
				if !have[p] {
					added = append(added, p)
				}
			}
			sort.Strings(added)
			for _, p := range added {
				t.Errorf("the live server sends %s, which %s.json lacks: record again (-record) and check the SDK's types", p, wc.name)
			}
		})
	}
}

// recorder sends requests to the live server as alice and keeps answers.
type recorder struct {
	t      *testing.T
	ctx    context.Context
	base   string
	bodies map[string][]byte
	log    func() string // the server's log, for failures
}

// do sends a request and returns the answer's body (without the JS
// server's keep-alive newlines) and headers; anything but 2xx fails the test.
func (r *recorder) do(method, path string, body any) []byte {
	r.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			r.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(r.ctx, method, r.base+path, rd)
	if err != nil {
		r.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	testserver.Alice.SetAuth(req.Header)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		r.t.Fatalf("%s %s: %v", method, path, err)
	}
	if resp.StatusCode/100 != 2 {
		r.t.Fatalf("%s %s: %s: %s\n%s", method, path, resp.Status, b, r.log())
	}
	return bytes.TrimSpace(b)
}

// keep records body as the answer of case name.
func (r *recorder) keep(name string, body []byte) []byte {
	r.t.Helper()
	if _, dup := r.bodies[name]; dup {
		r.t.Fatalf("case %s recorded twice", name)
	}
	if !json.Valid(body) {
		r.t.Fatalf("%s: the answer is not JSON: %q", name, body)
	}
	r.bodies[name] = body
	return body
}

// call sends a request and records its answer as case name.
func (r *recorder) call(name, method, path string, body any) []byte {
	r.t.Helper()
	return r.keep(name, r.do(method, path, body))
}

// field returns the string at key in the JSON object b.
func (r *recorder) field(b []byte, key string) string {
	r.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		r.t.Fatal(err)
	}
	s, _ := m[key].(string)
	if s == "" {
		r.t.Fatalf("no %s in %s", key, b)
	}
	return s
}

func (r *recorder) newThread() string {
	r.t.Helper()
	return r.field(r.do(http.MethodPost, "/threads", map[string]any{}), "thread_id")
}

type obj = map[string]any

// liveAnswers runs the deterministic graphs on the live server and returns
// one answer of every endpoint it implements, by case name.
func liveAnswers(t *testing.T) map[string][]byte {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	if err := srv.Reset(ctx); err != nil {
		t.Fatalf("reset: %v\n%s", err, srv.Log())
	}
	r := &recorder{t: t, ctx: ctx, base: srv.URL(), bodies: map[string][]byte{}, log: srv.Log}
	const get, post, patch, del = http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete

	r.call("info", get, "/info", nil)

	// Assistants: a system one, and one created, updated, rolled back, deleted.
	r.call("assistants.get", get, "/assistants/agent", nil)
	aid := r.field(r.call("assistants.create", post, "/assistants", obj{
		"graph_id":    "agent",
		"name":        "wire",
		"description": "recorded by internal/wiretest",
		"config":      obj{"tags": []string{"wire"}, "recursion_limit": 7, "configurable": obj{"model": "fake"}},
		"context":     obj{"tone": "dry"},
		"metadata":    obj{"purpose": "wire"},
	}), "assistant_id")
	r.call("assistants.update", patch, "/assistants/"+aid, obj{"name": "wire v2", "metadata": obj{"revision": 2}})
	r.call("assistants.versions", post, "/assistants/"+aid+"/versions", obj{})
	r.call("assistants.latest", post, "/assistants/"+aid+"/latest", obj{"version": 1})
	r.call("assistants.search", post, "/assistants/search", obj{"limit": 100})
	r.call("assistants.count", post, "/assistants/count", obj{})
	r.call("assistants.graph", get, "/assistants/subgraph/graph", nil)
	r.call("assistants.graph.xray", get, "/assistants/subgraph/graph?xray=true", nil)
	r.call("assistants.schemas", get, "/assistants/subgraph/schemas", nil)
	r.call("assistants.subgraphs", get, "/assistants/subgraph/subgraphs?recurse=true", nil)
	r.call("assistants.delete", del, "/assistants/"+aid, nil)

	tid := r.threadCases()
	r.call("threads.state.subgraphs", get, "/threads/"+tid+"/state?subgraphs=true", nil)
	var history []struct {
		Next       []string             `json:"next"`
		Checkpoint langgraph.Checkpoint `json:"checkpoint"`
	}
	if err := json.Unmarshal(r.do(post, "/threads/"+tid+"/history", obj{"limit": 10}), &history); err != nil {
		t.Fatal(err)
	}
	var cp string
	for _, h := range history {
		if slices.Equal(h.Next, []string{"child"}) {
			cp = h.Checkpoint.CheckpointID
		}
	}
	if cp == "" {
		t.Fatalf("no checkpoint before node child in %+v", history)
	}
	r.call("threads.state.checkpoint", get, "/threads/"+tid+"/state/"+cp, nil)
	r.call("threads.state.checkpoint.subgraphs", get, "/threads/"+tid+"/state/"+cp+"?subgraphs=true", nil)
	r.call("threads.state.checkpoint.post", post, "/threads/"+tid+"/state/checkpoint", obj{"checkpoint": obj{"checkpoint_id": cp}})

	// A thread stopped at a breakpoint.
	tid = r.newThread()
	r.call("runs.wait.breakpoint", post, "/threads/"+tid+"/runs/wait", obj{
		"assistant_id": "subgraph", "input": obj{"trail": "start;"}, "interrupt_before": []string{"outer"},
	})
	r.call("threads.state.breakpoint", get, "/threads/"+tid+"/state", nil)

	// A background run, joined. (The slow graph's join body is its final
	// state whether the join comes before or after the run ends.)
	tid = r.newThread()
	rid := r.field(r.call("runs.create", post, "/threads/"+tid+"/runs", obj{
		"assistant_id": "slow", "input": obj{"steps": 2, "delay_ms": 10}, "metadata": obj{"purpose": "wire"},
	}), "run_id")
	r.call("runs.join", get, "/threads/"+tid+"/runs/"+rid+"/join", nil)
	r.call("runs.get", get, "/threads/"+tid+"/runs/"+rid, nil)
	r.call("runs.list", get, "/threads/"+tid+"/runs", nil)

	r.call("threads.search", post, "/threads/search", obj{"limit": 100})
	r.call("threads.count", post, "/threads/count", obj{})

	// The store.
	r.do(http.MethodPut, "/store/items", obj{"namespace": []string{"alice", "wire"}, "key": "k", "value": obj{"note": "recorded"}})
	r.call("store.item", get, "/store/items?namespace=alice.wire&key=k", nil)
	r.call("store.item.missing", get, "/store/items?namespace=alice.wire&key=missing", nil)
	r.call("store.search", post, "/store/items/search", obj{"namespace_prefix": []string{"alice"}})
	r.call("store.namespaces", post, "/store/namespaces", obj{"prefix": []string{"alice"}})

	// Stateless runs last: they leave no thread that the searches above see.
	r.call("runs.wait.stateless", post, "/runs/wait", obj{
		"assistant_id": "agent",
		"input":        obj{"messages": []obj{{"role": "human", "content": "hello"}}},
	})
	r.call("runs.create.stateless", post, "/runs", obj{"assistant_id": "slow", "input": obj{"steps": 1, "delay_ms": 1}})
	r.call("runs.batch", post, "/runs/batch", []obj{{"assistant_id": "slow", "input": obj{"steps": 1, "delay_ms": 1}}})
	return r.bodies
}

// pythonCron is a cron job as the Python server sends it: every field of the
// Python SDK's Cron record (the JS server does not implement crons).
const pythonCron = `{
  "cron_id": "9d1c7c52-4f4e-4a57-9d43-2f0e6f5f0a11",
  "assistant_id": "fe096781-5601-53d2-b2f6-0d3403f7e9ca",
  "thread_id": "01a22616-0b4b-70aa-a099-fe65f8dfe31c",
  "on_run_completed": "keep",
  "end_time": "2027-01-01T00:00:00+00:00",
  "schedule": "0 9 * * 1-5",
  "timezone": "Europe/Paris",
  "created_at": "2026-11-29T06:55:08.720000+00:00",
  "updated_at": "2026-11-29T06:55:08.720000+00:00",
  "payload": {"assistant_id": "agent", "input": {"messages": []}, "config": {"configurable": {}}},
  "user_id": "alice",
  "next_run_date": "2026-11-30T08:00:00+00:00",
  "metadata": {"owner": "alice"},
  "enabled": true
}`

// pythonStatelessCron has null in every field the Python SDK types as
// optional.
const pythonStatelessCron = `{
  "cron_id": "9d1c7c52-4f4e-4a57-9d43-2f0e6f5f0a12",
  "assistant_id": "fe096781-5601-53d2-b2f6-0d3403f7e9ca",
  "thread_id": null,
  "on_run_completed": null,
  "end_time": null,
  "schedule": "*/5 * * * *",
  "timezone": null,
  "created_at": "2026-11-29T06:55:08.720000+00:00",
  "updated_at": "2026-11-29T06:55:08.720000+00:00",
  "payload": {},
  "user_id": null,
  "next_run_date": null,
  "metadata": {},
  "enabled": false
}`

// TestWirePythonCrons checks crons.Cron against the Python SDK's documented
// Cron record, as TestWireRecorded checks the recorded answers.
func TestWirePythonCrons(t *testing.T) {
	create := func(ctx context.Context, c *client.Client) (any, error) {
		return v(c.Crons.Create(ctx, "a", crons.CreateParams{Schedule: "* * * * *"}))
	}
	for _, tc := range []struct {
		wc   wireCase
		body string
	}{
		{wireCase{name: "python.crons.create", decode: create}, pythonCron},
		{wireCase{name: "python.crons.create.stateless", decode: create}, pythonStatelessCron},
		{wireCase{name: "python.crons.update", decode: func(ctx context.Context, c *client.Client) (any, error) {
			return v(c.Crons.Update(ctx, "c", crons.UpdateParams{Schedule: "* * * * *"}))
		}}, pythonCron},
		{wireCase{name: "python.crons.search", decode: func(ctx context.Context, c *client.Client) (any, error) {
			return v(c.Crons.Search(ctx, crons.SearchParams{}))
		}}, "[" + pythonCron + "," + pythonStatelessCron + "]"},
	} {
		t.Run(tc.wc.name, func(t *testing.T) { checkRoundTrip(t, tc.wc, []byte(tc.body)) })
	}
}

// threadCases sends the thread and wait cases that the live recording and
// the fake's answers share, and returns the thread that ran the subgraph.
func (r *recorder) threadCases() string {
	const get, post, patch = http.MethodGet, http.MethodPost, http.MethodPatch
	// A thread that ran the agent graph.
	tid := r.field(r.call("threads.create", post, "/threads", obj{"metadata": obj{"purpose": "wire"}}), "thread_id")
	r.call("threads.state.empty", get, "/threads/"+tid+"/state", nil)
	r.call("runs.wait", post, "/threads/"+tid+"/runs/wait", obj{
		"assistant_id": "agent",
		"input":        obj{"messages": []obj{{"role": "human", "content": "hello"}}},
	})
	r.call("threads.state", get, "/threads/"+tid+"/state", nil)
	r.call("threads.history", post, "/threads/"+tid+"/history", obj{"limit": 10})
	r.call("threads.get", get, "/threads/"+tid, nil)
	r.call("threads.update", patch, "/threads/"+tid, obj{"metadata": obj{"reviewed": true}})
	r.call("threads.copy", post, "/threads/"+tid+"/copy", obj{})

	// A thread stopped at an interrupt, then edited.
	tid = r.newThread()
	r.call("runs.wait.interrupt", post, "/threads/"+tid+"/runs/wait", obj{"assistant_id": "interrupt", "input": obj{}})
	r.call("threads.state.interrupted", get, "/threads/"+tid+"/state", nil)
	r.call("threads.get.interrupted", get, "/threads/"+tid, nil)
	r.call("threads.update-state", post, "/threads/"+tid+"/state", obj{"values": obj{"answer": "edited"}, "as_node": "ask"})

	// A thread whose node failed.
	tid = r.newThread()
	r.call("runs.wait.error", post, "/threads/"+tid+"/runs/wait", obj{"assistant_id": "error", "input": obj{}})
	r.call("threads.state.error", get, "/threads/"+tid+"/state", nil)
	r.call("threads.get.error", get, "/threads/"+tid, nil)

	// A thread that ran the subgraph, read at the checkpoint before its
	// subgraph node (where subgraphs=true shows the subgraph's state).
	tid = r.newThread()
	r.call("runs.wait.subgraph", post, "/threads/"+tid+"/runs/wait", obj{"assistant_id": "subgraph", "input": obj{"trail": "start;"}})
	return tid
}
