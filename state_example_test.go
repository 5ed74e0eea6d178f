package langgraph_test

import (
	"encoding/json"
	"fmt"

	"github.com/langgraph-go/langgraph"
)

// The final state of a run (runs.Result.Values), a thread's (Thread.Values)
// or a checkpoint's (State.Values) decodes into the graph's state type in
// one call; its messages read without a type of your own.
func ExampleDecodeAs() {
	values := json.RawMessage(`{"topic":"weather","messages":[
		{"type":"human","content":"hi"},
		{"type":"ai","content":[{"type":"text","text":"Hello!"}]}]}`)

	type State struct {
		Topic    string              `json:"topic"`
		Messages []langgraph.Message `json:"messages"`
	}
	st, err := langgraph.DecodeAs[State](values)
	if err != nil {
		panic(err)
	}
	fmt.Println(st.Topic, len(st.Messages))

	msgs, err := langgraph.MessagesOf(values)
	if err != nil {
		panic(err)
	}
	for _, m := range msgs {
		fmt.Printf("%s: %s\n", m.Type, m.Text())
	}
	// Output:
	// weather 2
	// human: hi
	// ai: Hello!
}
