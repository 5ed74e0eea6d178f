package runs_test

// Stream tests against the real LangGraph server (internal/testserver): the
// exact event sequences of the deterministic graphs in testdata/server/src.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

func newThreadID(t *testing.T, ctx context.Context, c *client.Client) string {
	t.Helper()
	th, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	return th.ThreadID
}

func chatInput(text string) map[string]any {
	return map[string]any{"messages": []map[string]any{{"role": "human", "content": text}}}
}

var taskID = regexp.MustCompile(`:[0-9a-f-]{36}`)

// summary renders a part in a few words, through the typed accessors, with
// task ids in event names replaced by "*".
func summary(t *testing.T, p langgraph.StreamPart) string {
	t.Helper()
	name := taskID.ReplaceAllString(p.Event, ":*")
	var s string
	var err error
	switch p.Kind {
	case "metadata":
		var md langgraph.StreamMetadata
		md, err = p.Metadata()
		if md.RunID == "" || md.Attempt != 1 {
			t.Errorf("metadata = %+v", md)
		}
	case "values":
		var v json.RawMessage
		var in []langgraph.Interrupt
		v, in, err = p.Values()
		s = valuesSummary(t, v) + interruptsSummary(in)
	case "updates":
		var nodes []langgraph.NodeUpdate
		var in []langgraph.Interrupt
		nodes, in, err = p.Updates()
		var parts []string
		for _, n := range nodes {
			parts = append(parts, n.Node+":"+valuesSummary(t, n.Update))
		}
		s = strings.Join(parts, " ") + interruptsSummary(in)
	case "messages":
		var m langgraph.Message
		var md langgraph.MessageMetadata
		m, md, err = p.MessageChunk()
		s = fmt.Sprintf("%s %s %q", md.Node, m.Type, m.Text())
	case "messages/partial", "messages/complete":
		var ms []langgraph.Message
		ms, err = p.Messages()
		s = messagesSummary(ms)
	case "messages/metadata":
		var md map[string]langgraph.MessageMetadata
		md, err = p.MessagesMetadata()
		for _, m := range md {
			s += m.Node
		}
	case "debug":
		var d langgraph.DebugEvent
		d, err = p.Debug()
		var name string
		switch d.Type {
		case langgraph.DebugCheckpoint:
			var c langgraph.CheckpointEvent
			if c, err = d.Checkpoint(); err == nil && (c.Checkpoint == nil || c.Config == nil || c.Metadata["step"] != float64(d.Step)) {
				t.Errorf("debug checkpoint without its checkpoint, config or step: %s", p.Data)
			}
		case langgraph.DebugTask, langgraph.DebugTaskResult:
			var tk langgraph.TaskEvent
			tk, err = d.Task()
			name = tk.Name
			if tk.IsResult() != (d.Type == langgraph.DebugTaskResult) {
				t.Errorf("debug %s: IsResult = %v", d.Type, tk.IsResult())
			}
		}
		if d.Timestamp.IsZero() {
			t.Errorf("debug event without a time: %s", p.Data)
		}
		s = strings.TrimSpace(fmt.Sprintf("%d %s %s", d.Step, d.Type, name))
	case "tasks":
		var tk langgraph.TaskEvent
		tk, err = p.Task()
		switch {
		case !tk.IsResult():
			s = tk.Name + " start " + string(tk.Input)
		case tk.Error != nil:
			s = tk.Name + " error " + tk.Error.Name + ": " + tk.Error.Message
		default:
			s = tk.Name + " result " + string(tk.Result)
		}
	case "checkpoints":
		var c langgraph.CheckpointEvent
		c, err = p.Checkpoint()
		s = fmt.Sprintf("%v %v %s", c.Metadata["step"], c.Next, c.Values)
	case "events":
		var e langgraph.CallbackEvent
		e, err = p.CallbackEvent()
		if e.RunID == "" || e.Metadata == nil {
			t.Errorf("events event without a run id or metadata: %s", p.Data)
		}
		s = e.Event + " " + e.Name
	case "error":
		var e *langgraph.RunError
		if !errors.As(p.Err(), &e) {
			t.Errorf("error part without a RunError: %s", p.Data)
		} else {
			s = e.Name + ": " + e.Message
		}
	default:
		s = string(p.Data)
	}
	if err != nil {
		t.Errorf("%s: %v", p.Event, err)
	}
	return strings.TrimSpace(name + " " + strings.TrimSpace(s))
}

// valuesSummary shows a state: its messages as type:text, else the JSON.
func valuesSummary(t *testing.T, v json.RawMessage) string {
	var st struct {
		Messages []langgraph.Message `json:"messages"`
	}
	if json.Unmarshal(v, &st) == nil && len(st.Messages) > 0 {
		return messagesSummary(st.Messages)
	}
	return string(v)
}

func messagesSummary(ms []langgraph.Message) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, m.Type+":"+m.Text())
	}
	return "[" + strings.Join(parts, " | ") + "]"
}

func interruptsSummary(in []langgraph.Interrupt) string {
	var s string
	for _, i := range in {
		if i.ID == "" {
			s += " interrupt without id"
		}
		s += " interrupt " + string(i.Value)
	}
	return s
}

// streamAll collects a stream's parts, failing the test on an error.
func streamAll(t *testing.T, seq func(func(langgraph.StreamPart, error) bool)) []langgraph.StreamPart {
	t.Helper()
	var out []langgraph.StreamPart
	for p, err := range seq {
		if err != nil {
			t.Fatalf("after %d parts: %v", len(out), err)
		}
		out = append(out, p)
	}
	return out
}

func summaries(t *testing.T, parts []langgraph.StreamPart) []string {
	var out []string
	for _, p := range parts {
		out = append(out, summary(t, p))
	}
	return out
}

func chars(prefix string, s string) []string {
	var out []string
	for _, r := range s {
		out = append(out, fmt.Sprintf("%s%q", prefix, string(r)))
	}
	return out
}

func partials(s string) []string {
	var out []string
	for i := 1; i <= len(s); i++ {
		out = append(out, "messages/partial [ai:"+s[:i]+"]")
	}
	return out
}

func cat(parts ...[]string) []string { return slices.Concat(parts...) }

var (
	agentIn  = chatInput("hi")
	agentOut = "You said: hi"
	trailIn  = map[string]any{"trail": "start;"}
)

// TestStreamModes checks each stream mode's exact event sequence.
func TestStreamModes(t *testing.T) {
	for _, tc := range []struct {
		name      string
		graph     string
		input     any
		modes     []runs.StreamMode
		subgraphs bool
		want      []string
	}{
		{"default values", "agent", agentIn, nil, false, []string{"metadata",
			"values [human:hi]", "values [human:hi | ai:You said: hi]"}},
		{"updates", "agent", agentIn, []runs.StreamMode{runs.StreamUpdates}, false, []string{"metadata",
			`updates agent:[ai:You said: hi]`}},
		{"messages-tuple", "agent", agentIn, []runs.StreamMode{runs.StreamMessagesTuple}, false,
			cat([]string{"metadata"}, chars("messages agent ai ", agentOut))},
		{"messages", "agent", agentIn, []runs.StreamMode{runs.StreamMessages}, false, cat(
			[]string{"metadata", "messages/complete [human:hi]", "messages/metadata agent"},
			partials(agentOut), []string{"messages/complete [ai:You said: hi]"})},
		{"custom", "agent", agentIn, []runs.StreamMode{runs.StreamCustom}, false, []string{"metadata",
			`custom {"node":"agent","said":"hi"}`}},
		{"custom steps", "slow", map[string]any{"steps": 3, "delay_ms": 1}, []runs.StreamMode{runs.StreamCustom}, false, []string{"metadata",
			`custom {"step":1}`, `custom {"step":2}`, `custom {"step":3}`}},
		{"debug", "subgraph", trailIn, []runs.StreamMode{runs.StreamDebug}, false, []string{"metadata",
			"debug -1 checkpoint", "debug 0 checkpoint", "debug 1 task child", "debug 1 task_result child",
			"debug 1 checkpoint", "debug 2 task outer", "debug 2 task_result outer", "debug 2 checkpoint"}},
		{"tasks", "subgraph", trailIn, []runs.StreamMode{runs.StreamTasks}, false, []string{"metadata",
			`tasks child start {"trail":"start;"}`, `tasks child result {"trail":"start;inner;"}`,
			`tasks outer start {"trail":"start;inner;"}`, `tasks outer result {"trail":"start;inner;outer;"}`}},
		{"checkpoints", "subgraph", trailIn, []runs.StreamMode{runs.StreamCheckpoints}, false, []string{"metadata",
			"checkpoints -1 [__start__] {}", `checkpoints 0 [child] {"trail":"start;"}`,
			`checkpoints 1 [outer] {"trail":"start;inner;"}`, `checkpoints 2 [] {"trail":"start;inner;outer;"}`}},
		{"events", "subgraph", trailIn, []runs.StreamMode{runs.StreamEvents}, false, []string{"metadata",
			"events on_chain_start LangGraph", "events on_chain_start child", "events on_chain_start LangGraph",
			"events on_chain_start inner", "events on_chain_end inner", "events on_chain_end LangGraph",
			"events on_chain_end child", "events on_chain_start outer", "events on_chain_end outer", "events on_chain_end LangGraph"}},
		{"several modes", "agent", agentIn, []runs.StreamMode{runs.StreamValues, runs.StreamUpdates, runs.StreamMessagesTuple, runs.StreamCustom}, false, cat(
			[]string{"metadata", "values [human:hi]"}, chars("messages agent ai ", agentOut),
			[]string{`custom {"node":"agent","said":"hi"}`, "updates agent:[ai:You said: hi]", "values [human:hi | ai:You said: hi]"})},
		{"subgraphs", "subgraph", trailIn, []runs.StreamMode{runs.StreamValues, runs.StreamUpdates, runs.StreamCustom}, true, []string{"metadata",
			`values {"trail":"start;"}`,
			`values|child:* {"trail":"start;"}`,
			`custom|child:* {"node":"inner","trail":"start;inner;"}`,
			`updates|child:* inner:{"trail":"start;inner;"}`,
			`values|child:* {"trail":"start;inner;"}`,
			`updates child:{"trail":"start;inner;"}`,
			`values {"trail":"start;inner;"}`,
			`updates outer:{"trail":"start;inner;outer;"}`,
			`values {"trail":"start;inner;outer;"}`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
			tid := newThreadID(t, ctx, c)
			var created []langgraph.RunRef
			var events int
			p := runs.StreamParams{}
			p.Input, p.StreamMode, p.Subgraphs = tc.input, tc.modes, tc.subgraphs
			p.OnRunCreated = func(m langgraph.RunRef) {
				if events > 0 {
					t.Error("OnRunCreated called after the first event")
				}
				created = append(created, m)
			}
			var parts []langgraph.StreamPart
			for part, err := range c.Runs.Stream(ctx, tid, tc.graph, p) {
				if err != nil {
					t.Fatal(err)
				}
				events++
				parts = append(parts, part)
			}
			if got := summaries(t, parts); !slices.Equal(got, tc.want) {
				t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			md, _ := parts[0].Metadata()
			if len(created) != 1 || created[0].RunID != md.RunID || created[0].ThreadID != tid {
				t.Errorf("OnRunCreated calls = %+v, metadata %+v", created, md)
			}
			// Ids count from 0 in the server's order; dropped events leave gaps.
			prev := -1
			for _, part := range parts {
				var id int
				if _, err := fmt.Sscan(part.ID, &id); err != nil || id <= prev {
					t.Errorf("id %q after %d", part.ID, prev)
				}
				prev = id
			}
			if tc.subgraphs {
				var ns []string
				for _, part := range parts {
					if len(part.Namespace) > 0 {
						if len(part.Namespace) != 1 || !strings.HasPrefix(part.Namespace[0], "child:") || string(part.Kind)+"|"+part.Namespace[0] != part.Event {
							t.Errorf("namespace of %q = %q", part.Event, part.Namespace)
						}
						ns = append(ns, part.Namespace[0])
					}
				}
				if len(ns) != 4 || ns[0] != ns[3] {
					t.Errorf("subgraph namespaces = %v, want one task", ns)
				}
			}
		})
	}
}

// TestStreamAllEvents: with subgraphs the JS server adds checkpoints events
// that were not requested; AllEvents keeps them.
func TestStreamAllEvents(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	p := runs.StreamParams{AllEvents: true}
	p.Input, p.StreamMode, p.Subgraphs = trailIn, []runs.StreamMode{runs.StreamValues}, true
	var names []string
	for _, part := range streamAll(t, c.Runs.Stream(ctx, newThreadID(t, ctx, c), "subgraph", p)) {
		names = append(names, taskID.ReplaceAllString(part.Event, ":*"))
	}
	want := []string{"metadata", "checkpoints", "values", "checkpoints|child:*", "values|child:*", "checkpoints|child:*",
		"values|child:*", "checkpoints", "values", "checkpoints", "values"}
	if !slices.Equal(names, want) {
		t.Errorf("events = %v\nwant %v", names, want)
	}
}

// TestStreamInterruptAndResume: the interrupt shows in the stream, then a
// Command resumes the thread to completion.
func TestStreamInterruptAndResume(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := newThreadID(t, ctx, c)
	p := runs.StreamParams{}
	p.Input, p.StreamMode = map[string]any{}, []runs.StreamMode{runs.StreamValues, runs.StreamUpdates}
	parts := streamAll(t, c.Runs.Stream(ctx, tid, "interrupt", p))
	want := []string{"metadata", `updates interrupt {"question":"approve?"}`, `values {} interrupt {"question":"approve?"}`}
	if got := summaries(t, parts); !slices.Equal(got, want) {
		t.Fatalf("events = %q, want %q", got, want)
	}
	in, err := parts[1].Interrupts()
	in2, err2 := parts[2].Interrupts()
	if err != nil || err2 != nil || len(in) != 1 || len(in2) != 1 || in[0].ID == "" || in[0].ID != in2[0].ID {
		t.Fatalf("interrupts %+v %+v (%v %v)", in, in2, err, err2)
	}
	var q struct{ Question string }
	if err := in[0].Decode(&q); err != nil || q.Question != "approve?" {
		t.Errorf("interrupt value %+v, %v", q, err)
	}

	p = runs.StreamParams{}
	p.Command, p.StreamMode = &langgraph.Command{Resume: "yes"}, []runs.StreamMode{runs.StreamValues, runs.StreamUpdates}
	want = []string{"metadata", "values {}", `updates ask:{"answer":"yes"}`, `values {"answer":"yes"}`,
		`updates finish:{"done":true}`, `values {"answer":"yes","done":true}`}
	if got := summaries(t, streamAll(t, c.Runs.Stream(ctx, tid, "interrupt", p))); !slices.Equal(got, want) {
		t.Errorf("resumed events = %q, want %q", got, want)
	}
}

// TestStreamRunError: a failing node's error event ends the stream as a
// *langgraph.RunError.
func TestStreamRunError(t *testing.T) {
	noLeaks(t)
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := newThreadID(t, ctx, c)
	var runID string
	p := runs.StreamParams{}
	p.Input = map[string]any{}
	p.OnRunCreated = func(m langgraph.RunRef) { runID = m.RunID }
	var names []string
	var final error
	for part, err := range c.Runs.Stream(ctx, tid, "error", p) {
		names = append(names, part.Event)
		if err != nil {
			final = err
		}
	}
	var re *langgraph.RunError
	if !errors.As(final, &re) || re.Name != "CustomError" || re.Message != "Boo!" || re.RunID != runID || re.ThreadID != tid {
		t.Fatalf("error = %#v", final)
	}
	if !slices.Equal(names, []string{"metadata", "error"}) {
		t.Errorf("events = %v", names)
	}
}

// TestStreamStateless streams a run without a thread: no event ids, and
// OnRunCreated gets the run id only.
func TestStreamStateless(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	var created []langgraph.RunRef
	p := runs.StreamParams{}
	p.Input, p.StreamMode, p.Subgraphs = trailIn, []runs.StreamMode{runs.StreamUpdates, runs.StreamCustom}, true
	p.OnRunCreated = func(m langgraph.RunRef) { created = append(created, m) }
	parts := streamAll(t, c.Runs.StreamStateless(ctx, "subgraph", p))
	want := []string{"metadata", `custom|child:* {"node":"inner","trail":"start;inner;"}`, `updates|child:* inner:{"trail":"start;inner;"}`,
		`updates child:{"trail":"start;inner;"}`, `updates outer:{"trail":"start;inner;outer;"}`}
	if got := summaries(t, parts); !slices.Equal(got, want) {
		t.Errorf("events = %q, want %q", got, want)
	}
	for _, part := range parts {
		if part.ID != "" {
			t.Errorf("stateless event %s has id %q", part.Event, part.ID)
		}
	}
	md, _ := parts[0].Metadata()
	if len(created) != 1 || created[0].RunID != md.RunID || created[0].ThreadID != "" {
		t.Errorf("OnRunCreated calls = %+v", created)
	}
}

var slowIn = map[string]any{"steps": 4, "delay_ms": 20}

func slowWant(steps int) []string {
	want := []string{"metadata", fmt.Sprintf(`values {"steps":%d,"delay_ms":20}`, steps)}
	for i := 1; i <= steps; i++ {
		want = append(want, fmt.Sprintf(`custom {"step":%d}`, i))
	}
	return append(want, fmt.Sprintf(`values {"steps":%d,"delay_ms":20,"count":%d}`, steps, steps))
}

// TestStreamJoinBackgroundRun joins the stream of a run started by Create.
func TestStreamJoinBackgroundRun(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := newThreadID(t, ctx, c)
	cp := runs.CreateParams{Input: slowIn, StreamMode: []runs.StreamMode{runs.StreamValues, runs.StreamCustom}}
	run, err := c.Runs.Create(ctx, tid, "slow", cp)
	if err != nil {
		t.Fatal(err)
	}
	// The first joiner of a run that is not resumable gets its buffered events.
	parts := streamAll(t, c.Runs.JoinStream(ctx, tid, run.RunID, runs.JoinStreamParams{}))
	if got := summaries(t, parts); !slices.Equal(got, slowWant(4)) {
		t.Errorf("joined events = %q, want %q", got, slowWant(4))
	}
	// Modes filter the joined events on the client.
	cp.StreamResumable = true
	run, err = c.Runs.Create(ctx, tid, "slow", cp)
	if err != nil {
		t.Fatal(err)
	}
	parts = streamAll(t, c.Runs.JoinStream(ctx, tid, run.RunID, runs.JoinStreamParams{LastEventID: "-1", Resumable: true,
		StreamMode: []runs.StreamMode{runs.StreamCustom}}))
	var want []string
	for _, s := range slowWant(4) {
		if strings.HasPrefix(s, "custom") || s == "metadata" {
			want = append(want, s)
		}
	}
	if got := summaries(t, parts); !slices.Equal(got, want) {
		t.Errorf("joined custom events = %q, want %q", got, want)
	}
	// Another user's join is an error event.
	bob := srv.Client(t, testserver.Bob)
	_, err = collect(bob.Runs.JoinStream(ctx, tid, run.RunID, runs.JoinStreamParams{LastEventID: "-1"}))
	var re *langgraph.RunError
	if !errors.As(err, &re) || !strings.Contains(re.Message, "404") || re.RunID != run.RunID {
		t.Errorf("bob's join: %v", err)
	}
}

// TestStreamJoinStateless joins runs without a thread through
// GET /runs/{run_id}/stream, while they run and after they ended, as the JS
// SDK does for a null thread id. What the JS server answers: a resumable run
// is replayed from its first event with Last-Event-ID -1, also after it
// ended (its temporary thread is gone by then); the first joiner of a run
// that is not resumable gets its buffered events, and later joins of the
// ended run get nothing.
func TestStreamJoinStateless(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	in := map[string]any{"steps": 4, "delay_ms": 20}
	cp := runs.CreateParams{Input: in, StreamMode: []runs.StreamMode{runs.StreamValues, runs.StreamCustom}, StreamResumable: true}
	run, err := c.Runs.CreateStateless(ctx, "slow", cp)
	if err != nil {
		t.Fatal(err)
	}
	replay := runs.JoinStreamParams{LastEventID: "-1", Resumable: true}
	live := streamAll(t, c.Runs.JoinStream(ctx, "", run.RunID, replay))
	if got := summaries(t, live); !slices.Equal(got, slowWant(4)) {
		t.Fatalf("joined events = %q, want %q", got, slowWant(4))
	}
	for i, p := range live {
		if p.ID != fmt.Sprint(i) {
			t.Errorf("event %d has id %q", i, p.ID)
		}
	}
	if md, _ := live[0].Metadata(); md.RunID != run.RunID {
		t.Errorf("metadata names run %q, want %q", md.RunID, run.RunID)
	}
	ended := streamAll(t, c.Runs.JoinStream(ctx, "", run.RunID, replay))
	if !equalParts(live, ended) {
		t.Errorf("replay after the end = %q", summaries(t, ended))
	}
	// From an id: the events after it.
	tail := streamAll(t, c.Runs.JoinStream(ctx, "", run.RunID, runs.JoinStreamParams{LastEventID: "4"}))
	if !equalParts(live[5:], tail) {
		t.Errorf("join after 4 = %q", summaries(t, tail))
	}

	cp.StreamResumable = false
	run, err = c.Runs.CreateStateless(ctx, "slow", cp)
	if err != nil {
		t.Fatal(err)
	}
	first := streamAll(t, c.Runs.JoinStream(ctx, "", run.RunID, runs.JoinStreamParams{}))
	if got := summaries(t, first); !slices.Equal(got, slowWant(4)) {
		t.Errorf("first join = %q, want %q", got, slowWant(4))
	}
	if again := streamAll(t, c.Runs.JoinStream(ctx, "", run.RunID, runs.JoinStreamParams{LastEventID: "-1"})); len(again) != 0 {
		t.Errorf("join of the ended run = %q, want nothing", summaries(t, again))
	}

	// The server has no stateless route for Join.
	if _, err := c.Runs.Join(ctx, "", run.RunID, runs.JoinParams{}); !errors.Is(err, langgraph.ErrInvalidArgument) {
		t.Errorf("Join without a thread = %v, want ErrInvalidArgument", err)
	}
}

// TestStreamBreakpoint: a breakpoint stop (InterruptBefore) arrives as
// {"__interrupt__":[]}; StreamPart.Interrupted tells it from a step that did
// not stop, as Result.Interrupted does for Wait.
func TestStreamBreakpoint(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := newThreadID(t, ctx, c)
	p := runs.StreamParams{}
	p.Input, p.InterruptBefore = agentIn, langgraph.Nodes{"agent"}
	p.StreamMode = []runs.StreamMode{runs.StreamValues, runs.StreamUpdates}
	parts := streamAll(t, c.Runs.Stream(ctx, tid, "agent", p))
	var stops []string
	for _, part := range parts {
		if part.Interrupted() {
			stops = append(stops, part.Event)
		}
		if in, err := part.Interrupts(); part.Kind != "metadata" && (err != nil || len(in) != 0) {
			t.Errorf("%s part: interrupts %+v, %v; want none", part.Event, in, err)
		}
	}
	if want := []string{"updates", "values"}; !slices.Equal(stops, want) || len(parts) != 4 {
		t.Fatalf("interrupted parts %q of %d, want %q of 4", stops, len(parts), want)
	}

	// Continuing runs to the end: no part stops.
	p = runs.StreamParams{}
	p.StreamMode = []runs.StreamMode{runs.StreamValues, runs.StreamUpdates}
	for _, part := range streamAll(t, c.Runs.Stream(ctx, tid, "agent", p)) {
		if part.Interrupted() {
			t.Errorf("%s part of the continued run is interrupted: %s", part.Event, part.Data)
		}
	}

	// An interrupt() carries its value.
	p.Input = map[string]any{}
	parts = streamAll(t, c.Runs.Stream(ctx, newThreadID(t, ctx, c), "interrupt", p))
	last := parts[len(parts)-1]
	if in, err := last.Interrupts(); !last.Interrupted() || err != nil || len(in) != 1 {
		t.Errorf("interrupt: last part %s %s", last.Event, last.Data)
	}
}

// TestStreamResumableReplay: joining a resumable run with Last-Event-ID -1
// replays exactly the original stream, ids included.
func TestStreamResumableReplay(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := newThreadID(t, ctx, c)
	var run langgraph.RunRef
	p := runs.StreamParams{}
	p.Input, p.StreamResumable = agentIn, true
	p.StreamMode = []runs.StreamMode{runs.StreamValues, runs.StreamMessagesTuple, runs.StreamUpdates, runs.StreamCustom}
	p.OnRunCreated = func(m langgraph.RunRef) { run = m }
	original := streamAll(t, c.Runs.Stream(ctx, tid, "agent", p))
	replay := streamAll(t, c.Runs.JoinStream(ctx, tid, run.RunID, runs.JoinStreamParams{LastEventID: "-1"}))
	if len(original) != 17 || !equalParts(original, replay) {
		t.Errorf("replay differs: %d vs %d events", len(original), len(replay))
	}
	// From an id: the events after it.
	tail := streamAll(t, c.Runs.JoinStream(ctx, tid, run.RunID, runs.JoinStreamParams{LastEventID: "13"}))
	if !equalParts(original[14:], tail) {
		t.Errorf("join after 13: %d events", len(tail))
	}
}

func equalParts(a, b []langgraph.StreamPart) bool {
	return slices.EqualFunc(a, b, func(x, y langgraph.StreamPart) bool {
		return x.Event == y.Event && x.ID == y.ID && string(x.Data) == string(y.Data)
	})
}

// TestStreamStopsCleanlyRealServer: break, cancel and an error leave no
// goroutine behind, and a stream cannot be ranged twice.
func TestStreamStopsCleanlyRealServer(t *testing.T) {
	noLeaks(t)
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	tid := newThreadID(t, ctx, c)
	p := runs.StreamParams{}
	p.Input, p.StreamMode = map[string]any{"steps": 50, "delay_ms": 20}, []runs.StreamMode{runs.StreamCustom}
	p.MultitaskStrategy = runs.MultitaskInterrupt

	seq := c.Runs.Stream(ctx, tid, "slow", p)
	n := 0
	for _, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 2 {
			break
		}
	}
	if _, err := collect(seq); !errors.Is(err, langgraph.ErrStreamUsed) {
		t.Errorf("second range: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	var last error
	n = 0
	for _, err := range c.Runs.Stream(cctx, tid, "slow", p) {
		if err != nil {
			last = err
			break
		}
		if n++; n == 2 {
			cancel()
		}
	}
	cancel()
	if !errors.Is(last, context.Canceled) {
		t.Errorf("after cancel: %v", last)
	}
	if _, err := collect(c.Runs.Stream(ctx, tid, "no-such-graph", p)); err == nil {
		t.Error("unknown graph: no error")
	}
	list, err := c.Runs.List(ctx, tid, runs.ListParams{Limit: 10})
	if err != nil || len(list) != 2 {
		t.Errorf("%d runs on the thread (%v), want 2: a stream starts one run", len(list), err)
	}
	for _, r := range list {
		c.Runs.Cancel(ctx, tid, r.RunID, runs.CancelParams{Wait: true})
	}
}
