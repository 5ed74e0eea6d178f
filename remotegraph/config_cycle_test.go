package remotegraph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/remotegraph"
)

// TestSanitizeConfigPointerCycle: a value that points to itself through a
// pointer and an interface (var a any; a = &a) is cut like a cyclic map,
// instead of recursing until the stack overflows.
func TestSanitizeConfigPointerCycle(t *testing.T) {
	var a any
	a = &a
	type node struct{ Next any }
	n := &node{}
	n.Next = n
	s, err := remotegraph.SanitizeConfig(&langgraph.Config{Configurable: map[string]any{"loop": &a, "struct": n, "k": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	if s.Config == nil || s.Config.Configurable["k"] != "v" {
		t.Errorf("config = %+v", s.Config)
	}
	if _, ok := s.Config.Configurable["loop"]; ok {
		t.Errorf("loop was kept: %v", s.Config.Configurable["loop"])
	}
}

// TestTwoCommandsRefused: a Command given as the input while
// RunParams.Command is set is refused, as an input with a command is,
// instead of being dropped in silence. Nothing is sent.
func TestTwoCommandsRefused(t *testing.T) {
	g, err := remotegraph.New(offline(t), "agent", remotegraph.Params{})
	if err != nil {
		t.Fatal(err)
	}
	second := &langgraph.Command{Resume: "second"}
	for _, input := range []any{langgraph.Command{Resume: "first"}, &langgraph.Command{Resume: "first"}} {
		_, err := g.Invoke(context.Background(), input, remotegraph.RunParams{Command: second})
		if err == nil || !strings.Contains(err.Error(), "not both") {
			t.Errorf("input %T with RunParams.Command: err = %v, want a refusal", input, err)
		}
	}
}
