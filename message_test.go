package langgraph_test

import (
	"encoding/json"
	"testing"

	"github.com/langgraph-go/langgraph"
)

// TestToolCallRoundTrip: a tool call as the JS server sends it (in the AI
// message of the tools test graph) comes back whole, its type included.
func TestToolCallRoundTrip(t *testing.T) {
	const wire = `{"name":"lookup","args":{"q":"go"},"id":"call_lookup","type":"tool_call"}`
	var m langgraph.Message
	if err := json.Unmarshal([]byte(`{"type":"ai","content":"","tool_calls":[`+wire+`]}`), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.ToolCalls) != 1 {
		t.Fatalf("tool calls = %+v", m.ToolCalls)
	}
	b, err := json.Marshal(m.ToolCalls[0])
	if err != nil || string(b) != `{"id":"call_lookup","name":"lookup","args":{"q":"go"},"type":"tool_call"}` {
		t.Errorf("tool call encodes as %s (%v), want every field of %s", b, err, wire)
	}
}
