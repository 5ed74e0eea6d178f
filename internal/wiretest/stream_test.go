package wiretest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/jsonobj"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/runs"
)

// allModes are the stream modes the JS server accepts for a run.
var allModes = []langgraph.StreamMode{
	langgraph.StreamValues, langgraph.StreamUpdates, langgraph.StreamMessagesTuple, langgraph.StreamMessages,
	langgraph.StreamCustom, langgraph.StreamEvents, langgraph.StreamDebug, langgraph.StreamTasks,
	langgraph.StreamCheckpoints, langgraph.StreamTools,
}

// A streamCase is one recorded run stream: testdata/wire/<name>.sse holds
// the server's answer to POST /threads/{thread_id}/runs/stream of graph with
// input and every stream mode, with stream_subgraphs for the subgraph graph
// only (with it the JS server sends no messages/complete events).
type streamCase struct {
	name      string
	graph     string
	input     any
	subgraphs bool
}

var streamCases = []streamCase{
	{"stream.agent", testserver.GraphAgent, obj{"messages": []obj{{"role": "human", "content": "hi"}}}, false},
	{"stream.interrupt", testserver.GraphInterrupt, obj{}, false},
	{"stream.error", testserver.GraphError, obj{}, false},
	{"stream.subgraph", testserver.GraphSubgraph, obj{"trail": "start;"}, true},
	{"stream.tools", testserver.GraphTools, obj{}, false},
}

// mustSee are the event kinds (and debug types) that the recordings together
// must hold, so that each typed accessor is checked on real events.
var mustSee = []string{
	"metadata", "values", "updates", "messages", "messages/partial", "messages/complete", "messages/metadata",
	"custom", "events", "debug", "debug checkpoint", "debug task", "debug task_result", "tasks", "checkpoints",
	"tools", "error",
}

// TestWireStreamRecorded reads every recorded stream through the SDK and
// decodes each event with the accessor of its kind: every field the server
// sent must come back from the typed result with its value (the types that
// keep unknown fields in Raw must decode their fields correctly), and every
// kind the server sends must have an accessor.
func TestWireStreamRecorded(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(wireDir, "*.sse"))
	if err != nil {
		t.Fatal(err)
	}
	var onDisk, want []string
	for _, f := range files {
		onDisk = append(onDisk, strings.TrimSuffix(filepath.Base(f), ".sse"))
	}
	for _, sc := range streamCases {
		want = append(want, sc.name)
	}
	sort.Strings(onDisk)
	sort.Strings(want)
	if !slices.Equal(onDisk, want) {
		t.Errorf("stream files in %s = %v\nwant one per case: %v", wireDir, onDisk, want)
	}
	seen := map[string]bool{}
	for _, sc := range streamCases {
		t.Run(sc.name, func(t *testing.T) {
			body, err := os.ReadFile(filepath.Join(wireDir, sc.name+".sse"))
			if err != nil {
				t.Fatal(err)
			}
			checkStream(t, sc.name, body, seen)
		})
	}
	for _, k := range mustSee {
		if !seen[k] {
			t.Errorf("no recorded stream holds a %q event", k)
		}
	}
}

// replayStream returns a client whose server answers every request with
// the event stream body.
func replayStream(t *testing.T, body []byte) *client.Client {
	return replayAs(t, body, "text/event-stream")
}

// checkStream streams body through runs.Service.Stream and checks each part
// with checkPart; seen collects the kinds met.
func checkStream(t *testing.T, name string, body []byte, seen map[string]bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p := runs.StreamParams{AllEvents: true}
	p.StreamMode = allModes
	n := 0
	for part, err := range replayStream(t, body).Runs.Stream(ctx, "t", "a", p) {
		var re *langgraph.RunError
		if err != nil && !(part.Kind == langgraph.EventError && errors.As(err, &re)) {
			t.Fatalf("the SDK refused the stream after %d events: %v", n, err)
		}
		n++
		seen[string(part.Kind)] = true
		checkPart(t, name, part, seen)
	}
	if n == 0 {
		t.Error("no event")
	}
}

// checkPart decodes part with the accessor of its kind and compares the
// result with the event's data.
func checkPart(t *testing.T, name string, part langgraph.StreamPart, seen map[string]bool) {
	t.Helper()
	where := part.Event + " " + part.ID
	in, err := decodeGeneric(part.Data)
	if err != nil {
		t.Errorf("%s: the data is not JSON: %v", where, err)
		return
	}
	var out any
	// raw, for the types that keep unknown fields in Raw: pairs of (typed
	// value, the JSON it came from), checked the other way round.
	var raw [][2]any
	switch part.Kind {
	case langgraph.EventMetadata:
		out, err = part.Metadata()
	case langgraph.EventValues:
		out, err = valuesWire(part)
	case langgraph.EventUpdates:
		out, err = updatesWire(part)
	case langgraph.EventMessages:
		var m langgraph.Message
		var md langgraph.MessageMetadata
		m, md, err = part.MessageChunk()
		var tuple []json.RawMessage
		_ = json.Unmarshal(part.Data, &tuple)
		if err == nil && len(tuple) == 2 {
			raw = [][2]any{{m, tuple[0]}, {md, tuple[1]}}
			checkRaw(t, where, m.Raw, tuple[0])
			checkRaw(t, where, md.Raw, tuple[1])
		}
		out = in
	case langgraph.EventMessagesPartial, langgraph.EventMessagesComplete:
		var ms []langgraph.Message
		ms, err = part.Messages()
		var list []json.RawMessage
		_ = json.Unmarshal(part.Data, &list)
		if err == nil && len(ms) == len(list) {
			for i := range ms {
				raw = append(raw, [2]any{ms[i], list[i]})
				checkRaw(t, where, ms[i].Raw, list[i])
			}
		}
		out = in
	case langgraph.EventMessagesMetadata:
		var md map[string]langgraph.MessageMetadata
		md, err = part.MessagesMetadata()
		var byID map[string]struct {
			Metadata json.RawMessage `json:"metadata"`
		}
		_ = json.Unmarshal(part.Data, &byID)
		if err == nil && len(md) == len(byID) {
			for id, m := range md {
				raw = append(raw, [2]any{m, byID[id].Metadata})
				checkRaw(t, where, m.Raw, byID[id].Metadata)
			}
		}
		out = in
	case langgraph.EventCustom:
		var v any
		err = part.Decode(&v)
		out = v
	case langgraph.EventEvents:
		out, err = part.CallbackEvent()
	case langgraph.EventTools:
		out, err = part.Tool()
	case langgraph.EventTasks:
		out, err = part.Task()
	case langgraph.EventCheckpoints:
		out, err = part.Checkpoint()
	case langgraph.EventDebug:
		out, err = debugWire(part, seen)
	case langgraph.EventError:
		var re *langgraph.RunError
		if !errors.As(part.Err(), &re) {
			t.Errorf("%s: Err() = %v", where, part.Err())
			return
		}
		out = map[string]any{"error": re.Name, "message": re.Message}
	default:
		t.Errorf("%s: the server sends %q events, which no accessor decodes", where, part.Kind)
		return
	}
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return
	}
	var lost []string
	compare(name, "", "", in, roundTrip(t, out), &lost)
	for _, r := range raw {
		// Every field the type decodes must hold the server's value.
		rv, err := decodeGeneric(r[1].(json.RawMessage))
		if err != nil {
			t.Fatal(err)
		}
		compare(name, "", "", roundTrip(t, r[0]), rv, &lost)
	}
	for _, l := range lost {
		t.Errorf("%s: %s", where, l)
	}
}

// roundTrip encodes v and decodes it generically.
func roundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encoding %T: %v", v, err)
	}
	g, err := decodeGeneric(b)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// checkRaw requires a type's Raw to hold exactly the JSON it came from.
func checkRaw(t *testing.T, where string, raw, want json.RawMessage) {
	t.Helper()
	if !bytes.Equal(raw, want) {
		t.Errorf("%s: Raw = %.80s, want %.80s", where, raw, want)
	}
}

// valuesWire gives a values event back in its wire form from Values:
// the state with __interrupt__ when the run stopped.
func valuesWire(p langgraph.StreamPart) (any, error) {
	values, interrupts, err := p.Values()
	if err != nil {
		return nil, err
	}
	if !p.Interrupted() {
		return values, nil
	}
	m := map[string]any{}
	if err := json.Unmarshal(values, &m); err != nil {
		return nil, err
	}
	m["__interrupt__"] = nonNil(interrupts)
	return m, nil
}

// updatesWire gives an updates event back in its wire form from Updates,
// and checks that the nodes come in the event's order.
func updatesWire(p langgraph.StreamPart) (any, error) {
	updates, interrupts, err := p.Updates()
	if err != nil {
		return nil, err
	}
	var order, got []string
	if err := jsonobj.Each(p.Data, func(k string, _ json.RawMessage) error {
		if k != "__interrupt__" {
			order = append(order, k)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	m := map[string]any{}
	for _, u := range updates {
		got = append(got, u.Node)
		m[u.Node] = u.Update
	}
	if !slices.Equal(got, order) {
		return nil, fmt.Errorf("Updates gives the nodes %q, the event has %q", got, order)
	}
	if p.Interrupted() {
		m["__interrupt__"] = nonNil(interrupts)
	}
	return m, nil
}

func nonNil(in []langgraph.Interrupt) []langgraph.Interrupt {
	if in == nil {
		return []langgraph.Interrupt{}
	}
	return in
}

// debugWire gives a debug event back in its wire form, its payload decoded
// by the method of its type.
func debugWire(p langgraph.StreamPart, seen map[string]bool) (any, error) {
	d, err := p.Debug()
	if err != nil {
		return nil, err
	}
	seen["debug "+string(d.Type)] = true
	var payload any
	switch d.Type {
	case langgraph.DebugCheckpoint:
		payload, err = d.Checkpoint()
	case langgraph.DebugTask, langgraph.DebugTaskResult:
		var tk langgraph.TaskEvent
		tk, err = d.Task()
		if err == nil && tk.IsResult() != (d.Type == langgraph.DebugTaskResult) {
			err = fmt.Errorf("debug %s: IsResult() = %v", d.Type, tk.IsResult())
		}
		payload = tk
	default:
		return nil, fmt.Errorf("debug events of type %q have no accessor", d.Type)
	}
	if err != nil {
		return nil, err
	}
	return map[string]any{"type": d.Type, "step": d.Step, "timestamp": d.Timestamp, "payload": payload}, nil
}

// TestWireStreamLive records the streams of the live test server and checks
// them as TestWireStreamRecorded checks the files; every key path of a live
// event must also be in the recorded file's events of its kind (else the
// server changed: record again with -record, which writes the files).
func TestWireStreamLive(t *testing.T) {
	if srv == nil {
		if *record {
			t.Fatal("-record needs the test server (not -short, not " + testserver.SkipEnv + "=1)")
		}
		t.Skip("integration test: no test server (-short or " + testserver.SkipEnv + "=1)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := srv.Reset(ctx); err != nil {
		t.Fatalf("reset: %v\n%s", err, srv.Log())
	}
	r := &recorder{t: t, ctx: ctx, base: srv.URL(), bodies: map[string][]byte{}, log: srv.Log}
	seen := map[string]bool{}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, sc := range streamCases {
		t.Run(sc.name, func(t *testing.T) {
			r.t = t
			body := r.do(http.MethodPost, "/threads/"+r.newThread()+"/runs/stream", obj{
				"assistant_id": sc.graph, "input": sc.input, "stream_mode": allModes, "stream_subgraphs": sc.subgraphs,
			})
			body = append(body, '\n', '\n') // do trims the blank line that ends the last event
			// Stack traces in events name the graph files: keep this
			// machine's paths out of the recordings.
			body = bytes.ReplaceAll(body, []byte(root), []byte("/repo"))
			checkStream(t, sc.name, body, seen)
			file := filepath.Join(wireDir, sc.name+".sse")
			if *record {
				if err := os.WriteFile(file, body, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			recorded, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (record the files with -record)", err)
			}
			have, now := streamPaths(t, recorded), streamPaths(t, body)
			var added []string
			for p := range now {
				if !have[p] {
					added = append(added, p)
				}
			}
			sort.Strings(added)
			for _, p := range added {
				t.Errorf("the live server sends %s, which %s.sse lacks: record again (-record) and check the SDK's types", p, sc.name)
			}
		})
	}
	for _, k := range mustSee {
		if !seen[k] {
			t.Errorf("no live stream holds a %q event", k)
		}
	}
}

// streamPaths returns the key paths of the events of an SSE body, each
// prefixed with its kind (and, for debug events, type).
func streamPaths(t *testing.T, body []byte) map[string]bool {
	t.Helper()
	set := map[string]bool{}
	p := runs.StreamParams{AllEvents: true}
	for part, err := range replayStream(t, body).Runs.Stream(context.Background(), "t", "a", p) {
		if err != nil && part.Kind != langgraph.EventError {
			t.Fatal(err)
		}
		prefix := string(part.Kind)
		if d, err := part.Debug(); err == nil {
			prefix += " " + string(d.Type)
		}
		set[prefix] = true
		v, err := decodeGeneric(part.Data)
		if err != nil {
			t.Fatal(err)
		}
		keyPaths(v, prefix, set)
	}
	return set
}
