package crons_test

import (
	"testing"

	"github.com/langgraph-go/langgraph/crons"
	"github.com/langgraph-go/langgraph/internal/zerotest"
)

// TestZeroValues: no exported method panics on a zero value; a zero
// Service's calls fail instead of sending.
func TestZeroValues(t *testing.T) {
	if n := zerotest.CallAll(t, &crons.Service{}, &crons.Cron{}); n < 7 {
		t.Errorf("only %d methods called", n)
	}
}
