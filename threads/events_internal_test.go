package threads

import (
	"errors"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/protocol"
)

func event(t *testing.T, raw string) Event {
	t.Helper()
	pe, err := protocol.ParseEvent([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return newEvent(pe)
}

// Envelopes captured from LangGraph.js 1.5.1 (shortened), one per channel.
func TestTypedEvents(t *testing.T) {
	ev := event(t, `{"type":"event","event_id":"8","seq":8,"method":"messages","params":{"namespace":["agent:a3687a53"],"timestamp":1795936534835,"data":{"event":"content-block-delta","index":0,"delta":{"type":"text-delta","text":"Y"},"run_id":"01a22628"}}}`)
	if ev.TextDelta != "Y" || ev.Channel != ChannelMessages || ev.Message.Event != ContentBlockDelta || ev.Message.RunID != "01a22628" ||
		ev.Time.UnixMilli() != 1795936534835 || ev.Namespace[0] != "agent:a3687a53" || ev.IsRoot() {
		t.Fatalf("delta %+v %+v", ev, ev.Message)
	}
	ev = event(t, `{"type":"event","event_id":"26","seq":26,"method":"messages","params":{"namespace":["agent:a"],"timestamp":1,"data":{"event":"content-block-finish","index":0,"content":{"type":"text","text":"You said: hi","extra":1}}}}`)
	if ev.TextDelta != "" || ev.Message.Content.Text != "You said: hi" || string(ev.Message.Content.Raw) != `{"type":"text","text":"You said: hi","extra":1}` {
		t.Fatalf("finish %+v", ev.Message.Content)
	}
	ev = event(t, `{"type":"event","seq":9,"method":"messages","params":{"namespace":[],"data":{"event":"content-block-delta","index":1,"delta":{"type":"reasoning-delta","reasoning":"hm"}}}}`)
	if ev.TextDelta != "" || ev.Message.Delta.Reasoning != "hm" {
		t.Fatalf("reasoning %+v", ev.Message.Delta)
	}
	ev = event(t, `{"type":"event","event_id":"3","seq":3,"method":"input.requested","params":{"namespace":[],"timestamp":1,"data":{"interrupt_id":"82d8add2f091842f60c20834c8067e34","payload":{"question":"approve?"}}}}`)
	if ev.Channel != ChannelInput || ev.Input == nil || ev.Input.InterruptID != "82d8add2f091842f60c20834c8067e34" || string(ev.Input.Payload) != `{"question":"approve?"}` {
		t.Fatalf("input %+v", ev.Input)
	}
	ev = event(t, `{"type":"event","event_id":"6","seq":6,"method":"lifecycle","params":{"namespace":[],"timestamp":1,"data":{"event":"failed","graph_name":"error","error":"{\"error\":\"CustomError\",\"message\":\"Boo!\"}"}}}`)
	if re := ev.Lifecycle.Err(); ev.Lifecycle.Status != LifecycleFailed || !ev.Lifecycle.Status.Terminal() || re == nil || re.Name != "CustomError" || re.Message != "Boo!" {
		t.Fatalf("failed %+v %+v", ev.Lifecycle, re)
	}
	var nilLife *Lifecycle
	if nilLife.Err() != nil || (&Lifecycle{Status: LifecycleCompleted}).Err() != nil {
		t.Fatal("Err of a lifecycle that did not fail")
	}
	ev = event(t, `{"type":"event","seq":5,"method":"tasks","params":{"namespace":[],"data":{"id":"t1","name":"fail","result":{},"interrupts":[{"id":"i1","value":{"q":1}}],"error":{"message":"Boo!","name":"CustomError"}}}}`)
	if ev.Task.Name != "fail" || ev.Task.Error.Name != "CustomError" || ev.Task.Interrupts[0].ID != "i1" {
		t.Fatalf("task %+v", ev.Task)
	}
	ev = event(t, `{"type":"event","seq":2,"method":"checkpoints","params":{"namespace":[],"data":{"id":"c2","parent_id":"c1","step":0,"source":"loop"}}}`)
	if ev.Checkpoint.ID != "c2" || ev.Checkpoint.ParentID != "c1" || ev.Checkpoint.Source != "loop" {
		t.Fatalf("checkpoint %+v", ev.Checkpoint)
	}
	ev = event(t, `{"type":"event","seq":28,"method":"custom","params":{"namespace":[],"data":{"payload":{"node":"agent","said":"hi"}}}}`)
	if ev.Channel != ChannelCustom || ev.Custom.Name != "" || string(ev.Custom.Payload) != `{"node":"agent","said":"hi"}` {
		t.Fatalf("custom %+v", ev.Custom)
	}
	ev = event(t, `{"type":"event","seq":13,"method":"custom","params":{"namespace":["child:a"],"data":{"name":"progress","pct":50}}}`)
	if ev.Channel != CustomChannel("progress") || ev.Custom.Name != "progress" || string(ev.Custom.Payload) != `{"name":"progress","pct":50}` {
		t.Fatalf("named custom %+v %s", ev.Custom, ev.Channel)
	}
	ev = event(t, `{"type":"event","seq":4,"method":"tools","params":{"namespace":[],"data":{"event":"tool-started","tool_call_id":"c1","tool_name":"search","input":{"q":"x"}}}}`)
	if ev.Tool.Event != ToolStarted || ev.Tool.ToolName != "search" || string(ev.Tool.Input) != `{"q":"x"}` {
		t.Fatalf("tool %+v", ev.Tool)
	}
	ev = event(t, `{"type":"event","seq":29,"method":"updates","params":{"namespace":[],"node":"agent","data":{"value":1}}}`)
	var v struct{ Value int }
	if ev.Node != "agent" || ev.Channel != ChannelUpdates || ev.Decode(&v) != nil || v.Value != 1 {
		t.Fatalf("updates %+v", ev)
	}
}

// Unknown channels and fields, and data of an unexpected shape, pass
// through raw and never fail.
func TestUnknownEventsPassThrough(t *testing.T) {
	raw := `{"type":"event","event_id":"x7","seq":7,"method":"agents.spawned","params":{"namespace":["a:1"],"data":{"who":"sub"},"new":true},"extra":1}`
	ev := event(t, raw)
	if ev.Channel != "agents.spawned" || ev.ID != "x7" || string(ev.Raw) != raw || string(ev.Data) != `{"who":"sub"}` ||
		ev.Lifecycle != nil || ev.Message != nil || ev.Custom != nil {
		t.Fatalf("unknown %+v", ev)
	}
	if !(Filter{}).Match(ev) || !(Filter{Channels: []Channel{"agents.spawned"}}).Match(ev) || (Filter{Channels: []Channel{ChannelValues}}).Match(ev) {
		t.Fatal("filters on an unknown channel")
	}
	for _, method := range []string{"lifecycle", "messages", "tools", "input.requested", "checkpoints", "tasks"} {
		ev := event(t, `{"type":"event","seq":1,"method":"`+method+`","params":{"namespace":[],"data":"a string"}}`)
		if ev.Lifecycle != nil || ev.Message != nil || ev.Tool != nil || ev.Input != nil || ev.Checkpoint != nil || ev.Task != nil || string(ev.Data) != `"a string"` {
			t.Fatalf("%s with string data: %+v", method, ev)
		}
	}
	ev = event(t, `{"type":"event","seq":1,"method":"custom","params":{"namespace":[],"data":[1,2]}}`)
	if string(ev.Custom.Payload) != `[1,2]` {
		t.Fatalf("custom list %+v", ev.Custom)
	}
	if err := (Event{Method: "values", ID: "1"}).Decode(new(any)); err == nil {
		t.Fatal("decoding an event without data")
	}
}

func TestChannels(t *testing.T) {
	for _, tc := range []struct {
		method, data string
		want         Channel
	}{
		{"values", `{}`, ChannelValues},
		{"input.requested", `{"interrupt_id":"i"}`, ChannelInput},
		{"input.answered", `{}`, ChannelInput},
		{"custom", `{"payload":1}`, ChannelCustom},
		{"custom", `{"name":"progress","pct":5}`, "custom:progress"},
		{"custom", `{"name":7}`, "custom:7"},
		{"custom", `{"name":null}`, ChannelCustom},
		{"custom", `[1]`, ChannelCustom},
		{"future.channel", `{}`, "future.channel"},
	} {
		ev := event(t, `{"type":"event","seq":1,"method":"`+tc.method+`","params":{"namespace":[],"data":`+tc.data+`}}`)
		if ev.Channel != tc.want {
			t.Errorf("%s %s: channel %q, want %q", tc.method, tc.data, ev.Channel, tc.want)
		}
	}
}

func TestProtocolErrorMatchesItsCode(t *testing.T) {
	err := replyError(&protocol.Reply{ID: 3, Code: "no_such_run", Message: "No active run is bound to this thread."}, "agent.getTree")
	var pe *ProtocolError
	if !errors.Is(err, CodeNoSuchRun) || errors.Is(err, CodeInvalidArgument) || !errors.As(err, &pe) || pe.Command != "agent.getTree" || pe.ID != 3 {
		t.Fatalf("%v", err)
	}
	if errors.Is(err, langgraph.ErrInvalidArgument) {
		t.Fatal("a server's invalid_argument is not a client-side refusal")
	}
	if got := err.Error(); got != "langgraph: agent.getTree: no_such_run: No active run is bound to this thread." {
		t.Fatal(got)
	}
}
