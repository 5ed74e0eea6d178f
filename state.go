package langgraph

import (
	"encoding/json"
	"fmt"

	"github.com/langgraph-go/langgraph/internal/values"
)

// DecodeAs decodes JSON that the SDK hands over raw (a state's values, a
// store item's value, an assistant's context, a schema) into a new value of
// type T, e.g. the graph's state type:
//
//	type State struct {
//		Messages []langgraph.Message `json:"messages"`
//		Topic    string              `json:"topic"`
//	}
//	st, err := langgraph.DecodeAs[State](res.Values)
//
// Empty input and JSON null give the zero T: a thread that never ran has no
// values. A decoding error is the *json.SyntaxError or
// *json.UnmarshalTypeError of encoding/json. The types that carry state also
// have Decode and Messages methods (runs.Result, threads.Thread,
// threads.State, store.Item).
func DecodeAs[T any](raw json.RawMessage) (T, error) {
	var v T
	err := values.Decode(raw, &v)
	return v, err
}

// MessagesOf returns the chat messages of a state's values: the list under
// the "messages" key, which LangGraph's message state (MessagesState,
// MessagesAnnotation) uses. Read each message's text with Message.Text,
// whether its content is a string or a list of content blocks.
//
//	msgs, err := langgraph.MessagesOf(res.Values)
//	fmt.Println(msgs[len(msgs)-1].Text())
//
// A state without that key (or no state at all) has no messages: nil and no
// error. A state that is not a JSON object, or a "messages" value that is
// not a list of messages, is an error (wrapping encoding/json's).
func MessagesOf(state json.RawMessage) ([]Message, error) {
	if values.IsNull(state) {
		return nil, nil
	}
	var top struct {
		Messages json.RawMessage `json:"messages"`
	}
	if err := json.Unmarshal(state, &top); err != nil {
		return nil, fmt.Errorf("langgraph: state values are not a JSON object: %w", err)
	}
	if values.IsNull(top.Messages) {
		return nil, nil
	}
	var msgs []Message
	if err := json.Unmarshal(top.Messages, &msgs); err != nil {
		return nil, fmt.Errorf("langgraph: the state's messages are not a list of messages: %w", err)
	}
	return msgs, nil
}
