package assistants_test

import (
	"testing"

	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/internal/zerotest"
)

// TestZeroValues: no exported method panics on a zero value; a zero
// Service's calls fail instead of sending.
func TestZeroValues(t *testing.T) {
	if n := zerotest.CallAll(t, &assistants.Service{}, &assistants.Assistant{}, &assistants.AssistantVersion{},
		&assistants.Graph{}, new(assistants.NodeID), &assistants.GraphNode{}, &assistants.GraphEdge{}, &assistants.GraphSchema{},
	); n < 15 {
		t.Errorf("only %d methods called", n)
	}
}
