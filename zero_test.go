package langgraph_test

import (
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/zerotest"
)

// TestZeroValues: no exported method panics on a zero value.
func TestZeroValues(t *testing.T) {
	n := zerotest.CallAll(t,
		&langgraph.APIError{}, &langgraph.ConnectionError{}, &langgraph.RedirectError{}, &langgraph.ResponseError{},
		&langgraph.RunError{}, &langgraph.StreamError{}, &langgraph.Interrupt{}, &langgraph.Message{},
		&langgraph.MessageMetadata{}, new(langgraph.Nodes), &langgraph.Option{}, &langgraph.Response{},
		&langgraph.StreamPart{}, new(langgraph.TokenSourceFunc), &langgraph.Page[int]{}, &langgraph.Config{},
		&langgraph.Checkpoint{}, &langgraph.Command{}, &langgraph.Send{}, &langgraph.RunRef{}, &langgraph.ReconnectPolicy{},
		&langgraph.Reconnect{}, &langgraph.StreamMetadata{}, &langgraph.ToolCall{},
		&langgraph.TaskError{}, &langgraph.DebugEvent{}, &langgraph.NodeUpdate{}, &langgraph.TaskEvent{},
		new(langgraph.StreamMode), new(langgraph.EventKind), new(langgraph.ObserverFunc), &langgraph.CallHooks{},
		&langgraph.CallInfo{}, &langgraph.CallEnd{}, &langgraph.Attempt{}, &langgraph.CheckpointEvent{},
		&langgraph.ToolEvent{}, &langgraph.CallbackEvent{}, new(langgraph.Status), new(langgraph.SortOrder), new(langgraph.IfExists),
	)
	if n < 25 {
		t.Errorf("only %d methods called", n)
	}
}
