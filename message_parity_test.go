package langgraph

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// The reference decoding of a messages-tuple event: encoding/json, as the
// SDK decoded it before its one-pass decoder. Both must agree on every
// input: the same error or not, the same values.
type refMessage struct {
	Type       string          `json:"type"`
	ID         string          `json:"id,omitzero"`
	Content    json.RawMessage `json:"content"`
	Name       string          `json:"name,omitzero"`
	ToolCalls  []ToolCall      `json:"tool_calls,omitzero"`
	ToolCallID string          `json:"tool_call_id,omitzero"`
}

type refMetadata struct {
	Node         string   `json:"langgraph_node,omitzero"`
	Step         int      `json:"langgraph_step,omitzero"`
	Triggers     []string `json:"langgraph_triggers,omitzero"`
	CheckpointNS string   `json:"langgraph_checkpoint_ns,omitzero"`
	Tags         []string `json:"tags,omitzero"`
	RunID        string   `json:"run_id,omitzero"`
	ThreadID     string   `json:"thread_id,omitzero"`
}

func refChunk(data []byte) (Message, MessageMetadata, bool) {
	var tuple []json.RawMessage
	if json.Unmarshal(data, &tuple) != nil || len(tuple) != 2 {
		return Message{}, MessageMetadata{}, false
	}
	var m refMessage
	var md refMetadata
	if json.Unmarshal(tuple[0], &m) != nil || json.Unmarshal(tuple[1], &md) != nil {
		return Message{}, MessageMetadata{}, false
	}
	return Message{Type: m.Type, ID: m.ID, Content: m.Content, Name: m.Name, ToolCalls: m.ToolCalls, ToolCallID: m.ToolCallID, Raw: tuple[0]},
		MessageMetadata{Node: md.Node, Step: md.Step, Triggers: md.Triggers, CheckpointNS: md.CheckpointNS, Tags: md.Tags,
			RunID: md.RunID, ThreadID: md.ThreadID, Raw: tuple[1]}, true
}

func refText(content json.RawMessage) string {
	var s string
	if json.Unmarshal(content, &s) == nil {
		return s
	}
	var blocks []json.RawMessage
	if json.Unmarshal(content, &blocks) != nil {
		return ""
	}
	var b strings.Builder
	for _, raw := range blocks {
		var text string
		var block struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}
		switch {
		case json.Unmarshal(raw, &text) == nil:
			b.WriteString(text)
		case json.Unmarshal(raw, &block) == nil && (block.Type == "" || block.Type == "text"):
			b.WriteString(block.Text)
		}
	}
	return b.String()
}

// same compares decoded messages, raw fields by their bytes.
func sameMessage(a, b Message) bool {
	return a.Type == b.Type && a.ID == b.ID && bytes.Equal(a.Content, b.Content) && a.Name == b.Name &&
		reflect.DeepEqual(a.ToolCalls, b.ToolCalls) && a.ToolCallID == b.ToolCallID && bytes.Equal(a.Raw, b.Raw) &&
		(a.Content == nil) == (b.Content == nil)
}

func sameMetadata(a, b MessageMetadata) bool {
	return a.Node == b.Node && a.Step == b.Step && reflect.DeepEqual(a.Triggers, b.Triggers) && a.CheckpointNS == b.CheckpointNS &&
		reflect.DeepEqual(a.Tags, b.Tags) && a.RunID == b.RunID && a.ThreadID == b.ThreadID && bytes.Equal(a.Raw, b.Raw)
}

var chunkSeeds = []string{
	`[{"content":"Y","tool_calls":[],"invalid_tool_calls":[],"tool_call_chunks":[],"additional_kwargs":{},"response_metadata":{},"id":"run-01a2","type":"ai"},{"tags":[],"ls_integration":"langchain_chat_model","owner":"alice","run_attempt":1,"thread_id":"t1","run_id":"r1","langgraph_step":1,"langgraph_node":"agent","langgraph_triggers":["branch:to:agent"],"langgraph_path":["__pregel_pull","agent"],"langgraph_checkpoint_ns":"agent:91aa","versions":{"@langchain/core":"1.4.0"}}]`,
	` [ {"content":"caf\u00e9 \ud83d\ude42 \"q\" \\ \n","type":"AIMessageChunk","name":null,"id":null} , {"langgraph_step":-0,"tags":null} ] `,
	`[{"Content":"fold","TYPE":"ai","Tool_Calls":[{"id":"c1","name":"search","args":{"q":1},"type":"tool_call"}]},{"LangGraph_Node":"n","langgraph_step":2}]`,
	`[null,null]`, `[{},{}]`, `[{"content":[{"type":"text","text":"a"},"b",{"type":"image"}]},{}]`,
	`[{"content":"\xff\xfe bad utf8","id":"\ud800"},{"langgraph_step":2.5}]`,
	`[{"content":1},{"langgraph_step":99999999999999999999}]`, `[{"type":1},{}]`, `[{},{},{}]`, `[{}]`, `[]`, `null`, ``, `{}`,
	`[{"content":"x"},{"tags":["a",1]}]`, `[{"content":"x" "id":"y"},{}]`, `[{"a":[[[[{}]]]]},{"b":{"c":[true,false,null,1e3,-2.5E-3]}}]`,
	`[{"tool_calls":[]},{}]`, `[{"tool_calls":null},{"langgraph_triggers":[]}]`, `[{"content":"\u000"},{}]`, `[{"content":"a\tb"},{}]`,
	"[{\"content\":\"a\x01b\"},{}]", `[{"K":"v","\u212aey":1},{"ſ":1}]`, `[{"type":"ai"},{"langgraph_node":"a"}] x`,
}

// TestMessageChunkParity: the one-pass decoding of a messages-tuple event
// agrees with encoding/json on the seeds (the fuzz test explores more).
func TestMessageChunkParity(t *testing.T) {
	for _, in := range chunkSeeds {
		checkChunkParity(t, []byte(in))
	}
}

func FuzzMessageChunkParity(f *testing.F) {
	for _, in := range chunkSeeds {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) { checkChunkParity(t, in) })
}

func checkChunkParity(t *testing.T, in []byte) {
	t.Helper()
	p := StreamPart{Event: "messages", Kind: EventMessages, Data: in}
	m, md, err := p.MessageChunk()
	rm, rmd, ok := refChunk(in)
	if (err == nil) != ok {
		t.Fatalf("%q: one-pass err %v, encoding/json ok %v", in, err, ok)
	}
	if !ok {
		return
	}
	if !sameMessage(m, rm) {
		t.Fatalf("%q: message\n%+v\nwant %+v", in, m, rm)
	}
	if !sameMetadata(md, rmd) {
		t.Fatalf("%q: metadata\n%+v\nwant %+v", in, md, rmd)
	}
	if got, want := m.Text(), refText(m.Content); got != want {
		t.Fatalf("%q: Text() = %q, want %q", in, got, want)
	}
	// The same values through encoding/json and the UnmarshalJSON methods.
	var tuple []json.RawMessage
	_ = json.Unmarshal(in, &tuple)
	var um Message
	var umd MessageMetadata
	if err := json.Unmarshal(tuple[0], &um); err != nil || !sameMessage(um, rm) {
		t.Fatalf("%q: Message.UnmarshalJSON = %+v, %v", in, um, err)
	}
	if err := json.Unmarshal(tuple[1], &umd); err != nil || !sameMetadata(umd, rmd) {
		t.Fatalf("%q: MessageMetadata.UnmarshalJSON = %+v, %v", in, umd, err)
	}
}
