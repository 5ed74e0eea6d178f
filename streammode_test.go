package langgraph_test

import (
	"slices"
	"testing"

	"github.com/langgraph-go/langgraph"
)

// TestStreamModeEvents: each run mode's events map back to the mode, so
// that an event can be matched against the mode that was asked for (mode
// messages-tuple produces events named "messages").
func TestStreamModeEvents(t *testing.T) {
	for mode, want := range map[langgraph.StreamMode][]langgraph.EventKind{
		langgraph.StreamValues:        {"values"},
		langgraph.StreamUpdates:       {"updates"},
		langgraph.StreamMessagesTuple: {"messages"},
		langgraph.StreamMessages:      {"messages/metadata", "messages/partial", "messages/complete"},
		langgraph.StreamCustom:        {"custom"},
		langgraph.StreamEvents:        {"events"},
		langgraph.StreamDebug:         {"debug"},
		langgraph.StreamTasks:         {"tasks"},
		langgraph.StreamCheckpoints:   {"checkpoints"},
		langgraph.StreamTools:         {"tools"},
	} {
		got := mode.Events()
		if !slices.Equal(got, want) {
			t.Errorf("%s.Events() = %q, want %q", mode, got, want)
		}
		for _, k := range got {
			if k.Mode() != mode {
				t.Errorf("%s.Mode() = %q, want %q", k, k.Mode(), mode)
			}
		}
	}
	if langgraph.EventMessages.Mode() != langgraph.StreamMessagesTuple {
		t.Error("a messages event does not come from mode messages-tuple")
	}
	for _, k := range []langgraph.EventKind{langgraph.EventMetadata, langgraph.EventError, langgraph.EventFeedback, langgraph.EventEnd, "lifecycle", "new-kind", ""} {
		if m := k.Mode(); m != "" {
			t.Errorf("%q.Mode() = %q, want none", k, m)
		}
	}
	if got := langgraph.StreamRunModes.Events(); got != nil {
		t.Errorf("run_modes.Events() = %q, want nil (any kind)", got)
	}
	if got := langgraph.StreamMode("").Events(); got != nil {
		t.Errorf(`"".Events() = %q`, got)
	}
	if got := langgraph.StreamMode("future").Events(); !slices.Equal(got, []langgraph.EventKind{"future"}) {
		t.Errorf("future.Events() = %q", got)
	}
}
