package threads_test

import (
	"slices"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

// texts returns the text of each message.
func texts(msgs []langgraph.Message) []string {
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = m.Text()
	}
	return out
}

// TestIntegrationReadingState: the state of a run, a thread and a
// checkpoint decodes into the caller's type in one call, and its messages
// read without a helper type, on the real server.
func TestIntegrationReadingState(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	th, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	// A thread that never ran has no values: nothing to decode, no messages.
	var empty agentState
	if err := th.Decode(&empty); err != nil || empty.Messages != nil {
		t.Errorf("Decode of a new thread = %+v, %v", empty, err)
	}
	if msgs, err := th.Messages(); err != nil || msgs != nil {
		t.Errorf("Messages of a new thread = %+v, %v", msgs, err)
	}

	res, err := c.Runs.Wait(ctx, th.ThreadID, testserver.GraphAgent, runs.CreateParams{Input: hello("hi")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"hi", "You said: hi"}
	msgs, err := res.Messages()
	if err != nil || !slices.Equal(texts(msgs), want) || msgs[0].Type != "human" || msgs[1].Type != "ai" || msgs[1].ID == "" {
		t.Errorf("Result.Messages = %+v, %v", msgs, err)
	}
	st, err := langgraph.DecodeAs[agentState](res.Values)
	if err != nil || !slices.Equal(st.contents(), want) || st.User["identity"] != "alice" {
		t.Errorf("DecodeAs(Result.Values) = %+v, %v", st, err)
	}

	got, err := c.Threads.Get(ctx, th.ThreadID)
	if err != nil {
		t.Fatal(err)
	}
	var ts agentState
	if err := got.Decode(&ts); err != nil || !slices.Equal(ts.contents(), want) {
		t.Errorf("Thread.Decode = %+v, %v", ts, err)
	}
	if msgs, err := got.Messages(); err != nil || !slices.Equal(texts(msgs), want) {
		t.Errorf("Thread.Messages = %q, %v", texts(msgs), err)
	}

	state, err := c.Threads.GetState(ctx, th.ThreadID, threads.StateParams{})
	if err != nil {
		t.Fatal(err)
	}
	var ss agentState
	if err := state.Decode(&ss); err != nil || !slices.Equal(ss.contents(), want) {
		t.Errorf("State.Decode = %+v, %v", ss, err)
	}
	if msgs, err := state.Messages(); err != nil || !slices.Equal(texts(msgs), want) {
		t.Errorf("State.Messages = %q, %v", texts(msgs), err)
	}
}
