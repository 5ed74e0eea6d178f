package threads_test

import (
	"testing"

	"github.com/langgraph-go/langgraph/internal/zerotest"
	"github.com/langgraph-go/langgraph/threads"
)

// TestZeroValues: no exported method panics on a zero value; a zero
// Service's calls fail instead of sending.
func TestZeroValues(t *testing.T) {
	if n := zerotest.CallAll(t, &threads.Service{}, &threads.Thread{}, &threads.State{}, &threads.Task{},
		&threads.PruneResult{}, &threads.UpdateStateResult{},
	); n < 20 {
		t.Errorf("only %d methods called", n)
	}
}
