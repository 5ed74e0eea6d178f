package langgraph_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/stream"
)

func part(event, data string) langgraph.StreamPart {
	return stream.Part(event, []byte(data), "")
}

func TestStreamPartValuesAndUpdates(t *testing.T) {
	in := `[{"id":"i1","value":{"question":"approve?"}}]`
	v, ints, err := part("values", `{"a":1,"__interrupt__":`+in+`}`).Values()
	if err != nil || string(v) != `{"a":1}` || len(ints) != 1 || ints[0].ID != "i1" || string(ints[0].Value) != `{"question":"approve?"}` {
		t.Errorf("Values = %s %+v %v", v, ints, err)
	}
	v, ints, err = part("values|child:1", `{"b":[1,2]}`).Values()
	if err != nil || string(v) != `{"b":[1,2]}` || ints != nil {
		t.Errorf("Values without interrupts = %s %+v %v", v, ints, err)
	}
	if v, _, err := part("values", `["not","a","map"]`).Values(); err != nil || string(v) != `["not","a","map"]` {
		t.Errorf("Values of a list = %s %v", v, err)
	}
	nodes, ints, err := part("updates", `{"agent":{"x":1},"__interrupt__":`+in+`}`).Updates()
	if err != nil || len(nodes) != 1 || nodes[0].Node != "agent" || string(nodes[0].Update) != `{"x":1}` || len(ints) != 1 {
		t.Errorf("Updates = %v %+v %v", nodes, ints, err)
	}
	if ints, err := part("updates", `{"__interrupt__":`+in+`}`).Interrupts(); err != nil || len(ints) != 1 {
		t.Errorf("Interrupts = %+v %v", ints, err)
	}
	for _, bad := range []langgraph.StreamPart{part("custom", "{}"), part("updates", "{"), part("updates", `{"__interrupt__":5}`), part("values", "")} {
		if _, err := bad.Interrupts(); err == nil {
			t.Errorf("Interrupts of %s %q: no error", bad.Event, bad.Data)
		}
	}
	for _, bad := range []string{"[]", "", "null", `{"a":1`, `{"__interrupt__":{}}`} {
		if _, _, err := part("updates", bad).Updates(); err == nil {
			t.Errorf("Updates of %q: no error", bad)
		}
	}
}

// TestStreamPartInterrupted: a breakpoint stop (an empty __interrupt__ list,
// as the server sends for InterruptBefore/After) is told apart from a step
// that did not stop, as Result.Interrupted does on Wait.
func TestStreamPartInterrupted(t *testing.T) {
	for _, tc := range []struct {
		p    langgraph.StreamPart
		want bool
	}{
		{part("values", `{"__interrupt__":[]}`), true},
		{part("updates", `{"__interrupt__":[]}`), true},
		{part("updates|child:1", ` {"__interrupt__":[]}`), true},
		{part("values", `{"a":1,"__interrupt__":[{"id":"i1","value":"ok?"}]}`), true},
		{part("values", `{"a":1}`), false},
		{part("values", `{"a":"__interrupt__"}`), false},
		{part("values", `{"a":{"__interrupt__":[]}}`), false},
		{part("updates", `{"agent":{}}`), false},
		{part("values", `["__interrupt__"]`), false},
		{part("values", `{"__interrupt__":`), false},
		{part("values", ""), false},
		{part("custom", `{"__interrupt__":[]}`), false},
		{part("metadata", `{"run_id":"r"}`), false},
	} {
		if got := tc.p.Interrupted(); got != tc.want {
			t.Errorf("Interrupted(%s %s) = %v, want %v", tc.p.Event, tc.p.Data, got, tc.want)
		}
	}
	// Values and Updates give no interrupts for a breakpoint.
	if v, ints, err := part("values", `{"__interrupt__":[]}`).Values(); err != nil || string(v) != "{}" || len(ints) != 0 {
		t.Errorf("Values of a breakpoint = %s %+v %v", v, ints, err)
	}
}

func TestStreamPartMessages(t *testing.T) {
	chunk := `[{"content":"Y","id":"run-1","type":"ai","tool_calls":[],"additional_kwargs":{}},` +
		`{"langgraph_node":"agent","langgraph_step":1,"langgraph_triggers":["branch:to:agent"],"run_id":"r1","tags":[]}]`
	m, md, err := part("messages", chunk).MessageChunk()
	if err != nil || m.Text() != "Y" || m.ID != "run-1" || m.Type != "ai" || md.Node != "agent" || md.Step != 1 ||
		md.RunID != "r1" || !slices.Equal(md.Triggers, []string{"branch:to:agent"}) || !strings.Contains(string(m.Raw), "additional_kwargs") ||
		!strings.Contains(string(md.Raw), "langgraph_node") {
		t.Errorf("MessageChunk = %+v %+v %v", m, md, err)
	}
	for _, bad := range []string{`[{"content":"Y"}]`, `{}`, `[1,2]`, `[{"content":"x"},3]`} {
		if _, _, err := part("messages", bad).MessageChunk(); err == nil {
			t.Errorf("MessageChunk(%s): no error", bad)
		}
	}
	if _, _, err := part("values", chunk).MessageChunk(); err == nil {
		t.Error("MessageChunk of a values event: no error")
	}

	ms, err := part("messages/partial", `[{"type":"ai","content":[{"type":"text","text":"Hel"},"lo",{"type":"image_url"}],"tool_calls":[{"id":"c1","name":"search","args":{"q":"x"}}]}]`).Messages()
	if err != nil || len(ms) != 1 || ms[0].Text() != "Hello" || len(ms[0].ToolCalls) != 1 || ms[0].ToolCalls[0].Name != "search" || string(ms[0].ToolCalls[0].Args) != `{"q":"x"}` {
		t.Errorf("Messages = %+v %v", ms, err)
	}
	if _, err := part("messages", "[]").Messages(); err == nil {
		t.Error("Messages of a messages-tuple event: no error")
	}
	md2, err := part("messages/metadata", `{"run-1":{"metadata":{"langgraph_node":"agent"}}}`).MessagesMetadata()
	if err != nil || md2["run-1"].Node != "agent" {
		t.Errorf("MessagesMetadata = %+v %v", md2, err)
	}
}

func TestStreamPartMetadataErrEnd(t *testing.T) {
	md, err := part("metadata", `{"run_id":"r1","attempt":2}`).Metadata()
	if err != nil || md.RunID != "r1" || md.Attempt != 2 {
		t.Errorf("Metadata = %+v %v", md, err)
	}
	if _, err := part("values", "{}").Metadata(); err == nil {
		t.Error("Metadata of a values event: no error")
	}
	for _, tc := range []struct{ data, name, msg string }{
		{`{"error":"CustomError","message":"Boo!"}`, "CustomError", "Boo!"},
		{`"Run not found"`, "", "Run not found"},
		{`{"error":"Error","message":"{\"error\":\"ValueError\",\"message\":\"bad input\"}"}`, "ValueError", "bad input"},
		{`not json`, "", "not json"},
	} {
		err := part("error", tc.data).Err()
		var re *langgraph.RunError
		if !errors.As(err, &re) || re.Name != tc.name || re.Message != tc.msg {
			t.Errorf("Err(%s) = %#v", tc.data, err)
		}
	}
	if part("values", "{}").Err() != nil {
		t.Error("Err of a values event is not nil")
	}
	if !part("end", "null").IsEnd() || part("values", "{}").IsEnd() {
		t.Error("IsEnd")
	}
	var v struct{ Step int }
	if err := part("custom", `{"step":3}`).Decode(&v); err != nil || v.Step != 3 {
		t.Errorf("Decode = %+v %v", v, err)
	}
	if err := part("custom", "").Decode(&v); err == nil {
		t.Error("Decode of empty data: no error")
	}
	if err := part("custom", "{").Decode(&v); err == nil || !strings.Contains(err.Error(), "custom") {
		t.Errorf("Decode of bad JSON: %v", err)
	}
}

func TestStreamError(t *testing.T) {
	cause := errors.New("unexpected EOF")
	e := &langgraph.StreamError{RunID: "r1", ThreadID: "t1", LastEventID: "5", Reason: "the run was not created with StreamResumable", Err: cause}
	if !errors.Is(e, cause) || e.Error() != "langgraph: stream of run r1 stopped after event 5: the run was not created with StreamResumable: unexpected EOF" {
		t.Errorf("StreamError = %q", e.Error())
	}
	var m langgraph.Message
	if err := json.Unmarshal([]byte(`{"type":"human","content":"hi"}`), &m); err != nil || m.Text() != "hi" || string(m.Raw) == "" {
		t.Errorf("Message = %+v %v", m, err)
	}
}

// TestStreamPartKeepsOrder: Updates gives the nodes in the event's order,
// and Values keeps the order of the state's keys when it removes
// __interrupt__.
func TestStreamPartKeepsOrder(t *testing.T) {
	nodes, ints, err := part("updates", `{"zeta":{"n":1},"alpha":null,"__interrupt__":[],"mid":[2]}`).Updates()
	var got []string
	for _, u := range nodes {
		got = append(got, u.Node+"="+string(u.Update))
	}
	if err != nil || !slices.Equal(got, []string{`zeta={"n":1}`, "alpha=null", "mid=[2]"}) || ints == nil || len(ints) != 0 {
		t.Errorf("Updates = %q %+v %v", got, ints, err)
	}
	var n struct{ N int }
	if err := nodes[0].Decode(&n); err != nil || n.N != 1 {
		t.Errorf("NodeUpdate.Decode = %+v %v", n, err)
	}
	if err := nodes[2].Decode(&n); err == nil || !strings.Contains(err.Error(), `"mid"`) {
		t.Errorf("NodeUpdate.Decode of a list into a struct: %v", err)
	}
	v, ints, err := part("values", `{"z":1, "a":{"k":"v"},"__interrupt__":[{"id":"i","value":1}],"m":"x"}`).Values()
	if err != nil || string(v) != `{"z":1,"a":{"k":"v"},"m":"x"}` || len(ints) != 1 {
		t.Errorf("Values = %s %+v %v", v, ints, err)
	}
}

func TestStreamPartFeedback(t *testing.T) {
	fb, err := part("feedback", `{"score":"https://example.com/feedback?token=abc"}`).Feedback()
	if err != nil || fb["score"] != "https://example.com/feedback?token=abc" {
		t.Errorf("Feedback = %v %v", fb, err)
	}
	if _, err := part("values", "{}").Feedback(); err == nil {
		t.Error("Feedback of a values event: no error")
	}
}

// TestRunErrorUnmarshal: the forms servers report a failed run in.
func TestRunErrorUnmarshal(t *testing.T) {
	for _, tc := range []struct{ data, name, msg string }{
		{`{"error":"CustomError","message":"Boo!"}`, "CustomError", "Boo!"},
		{`"Run not found"`, "", "Run not found"},
		{`{"error":"Error","message":"{\"error\":\"ValueError\",\"message\":\"bad input\"}"}`, "ValueError", "bad input"},
		{`{"error":"Error","message":"{not json"}`, "Error", "{not json"},
	} {
		var e langgraph.RunError
		if err := json.Unmarshal([]byte(tc.data), &e); err != nil || e.Name != tc.name || e.Message != tc.msg {
			t.Errorf("RunError from %s = %+v, %v", tc.data, e, err)
		}
	}
	var e langgraph.RunError
	if err := json.Unmarshal([]byte(`{"error":5}`), &e); err == nil {
		t.Error("RunError from a number name: no error")
	}
}
