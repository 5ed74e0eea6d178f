package langgraph_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/langgraph-go/langgraph"
)

type chatState struct {
	Messages []langgraph.Message `json:"messages"`
	Topic    string              `json:"topic"`
}

func TestDecodeAs(t *testing.T) {
	st, err := langgraph.DecodeAs[chatState](json.RawMessage(`{"messages":[{"type":"human","content":"hi"}],"topic":"t"}`))
	if err != nil || st.Topic != "t" || len(st.Messages) != 1 || st.Messages[0].Text() != "hi" {
		t.Errorf("DecodeAs = %+v, %v", st, err)
	}
	for _, raw := range []string{"", " null "} {
		if st, err := langgraph.DecodeAs[chatState](json.RawMessage(raw)); err != nil || !reflect.DeepEqual(st, chatState{}) {
			t.Errorf("DecodeAs(%q) = %+v, %v; want the zero state", raw, st, err)
		}
	}
	var typeErr *json.UnmarshalTypeError
	if _, err := langgraph.DecodeAs[chatState](json.RawMessage(`{"topic":1}`)); !errors.As(err, &typeErr) {
		t.Errorf("DecodeAs of a wrong type: %v, want a *json.UnmarshalTypeError", err)
	}
	if n, err := langgraph.DecodeAs[int](json.RawMessage(`42`)); err != nil || n != 42 {
		t.Errorf("DecodeAs[int] = %d, %v", n, err)
	}
}

func TestMessagesOf(t *testing.T) {
	// A classic run stores content as a string; a run started through the
	// thread protocol stores it as a list of text blocks.
	values := json.RawMessage(`{"messages":[
		{"type":"human","content":"hello","id":"1"},
		{"type":"ai","content":[{"type":"text","text":"You said: "},{"type":"text","text":"hello"}],"id":"2",
		 "tool_calls":[{"id":"c1","name":"search","args":{"q":"x"},"type":"tool_call"}]}
	],"other":1}`)
	msgs, err := langgraph.MessagesOf(values)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("MessagesOf = %+v, %v", msgs, err)
	}
	if msgs[0].Type != "human" || msgs[0].Text() != "hello" || msgs[1].Text() != "You said: hello" || msgs[1].ToolCalls[0].Name != "search" {
		t.Errorf("messages = %+v", msgs)
	}
	for _, raw := range []string{``, `null`, `{}`, `{"messages":null}`, `{"other":[1]}`} {
		if msgs, err := langgraph.MessagesOf(json.RawMessage(raw)); err != nil || msgs != nil {
			t.Errorf("MessagesOf(%s) = %+v, %v; want none", raw, msgs, err)
		}
	}
	for _, raw := range []string{`[1]`, `"text"`, `{"messages":"hi"}`, `{"messages":[1]}`} {
		if _, err := langgraph.MessagesOf(json.RawMessage(raw)); err == nil {
			t.Errorf("MessagesOf(%s): no error", raw)
		}
	}
}
