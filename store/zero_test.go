package store_test

import (
	"testing"

	"github.com/langgraph-go/langgraph/internal/zerotest"
	"github.com/langgraph-go/langgraph/store"
)

// TestZeroValues: no exported method panics on a zero value; a zero
// Service's calls fail instead of sending.
func TestZeroValues(t *testing.T) {
	if n := zerotest.CallAll(t, &store.Service{}, &store.Item{}); n < 10 {
		t.Errorf("only %d methods called", n)
	}
}
