package stream

import (
	"slices"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
)

func TestNotAfter(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"1", "2", true}, {"2", "2", true}, {"3", "2", false}, {"10", "9", false},
		{"1700000000000-3", "1700000000000-5", true}, {"1700000000001-0", "1700000000000-5", false},
		{"1700000000000-5", "1700000000000-5", true},
		{"abc", "abc", true}, {"abc", "abd", false}, {"5", "-1", false}, {"x-1", "x-2", false},
	} {
		if got := notAfter(tc.a, tc.b); got != tc.want {
			t.Errorf("notAfter(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

func TestKeep(t *testing.T) {
	keep := Keep([]langgraph.StreamMode{langgraph.StreamMessagesTuple, langgraph.StreamUpdates})
	for kind, want := range map[langgraph.EventKind]bool{"messages": true, "updates": true, "values": false, "checkpoints": false,
		"messages/partial": false, "tools": false, "metadata": true, "error": true, "end": true, "feedback": true, "something-new": true} {
		if keep(kind) != want {
			t.Errorf("Keep(messages-tuple, updates)(%q) = %v", kind, !want)
		}
	}
	keep = Keep(nil) // the server's default: values
	if !keep("values") || keep("updates") {
		t.Error("Keep(nil) does not mean values")
	}
	keep = Keep([]langgraph.StreamMode{langgraph.StreamMessages})
	if !keep("messages/partial") || !keep("messages/complete") || !keep("messages/metadata") || keep("messages") {
		t.Error("Keep(messages)")
	}
	keep = Keep([]langgraph.StreamMode{langgraph.StreamTasks, langgraph.StreamCheckpoints, langgraph.StreamDebug, langgraph.StreamEvents, langgraph.StreamTools, langgraph.StreamCustom})
	for _, k := range []langgraph.EventKind{"tasks", "checkpoints", "debug", "events", "tools", "custom"} {
		if !keep(k) {
			t.Errorf("Keep(%s) drops its own events", k)
		}
	}
}

func TestPart(t *testing.T) {
	for _, tc := range []struct {
		event string
		kind  langgraph.EventKind
		ns    []string
	}{
		{"values", langgraph.EventValues, nil},
		{"updates|sub:abc", langgraph.EventUpdates, []string{"sub:abc"}},
		{"custom|parent:1|child:123", langgraph.EventCustom, []string{"parent:1", "child:123"}},
		{"messages/partial", langgraph.EventMessagesPartial, nil},
		{"", "", nil},
	} {
		p := Part(tc.event, []byte("null"), "7")
		if p.Event != tc.event || p.Kind != tc.kind || !slices.Equal(p.Namespace, tc.ns) || p.ID != "7" || string(p.Data) != "null" {
			t.Errorf("Part(%q) = %+v", tc.event, p)
		}
	}
}

func TestBackoff(t *testing.T) {
	st := &state{Spec: Spec{Policy: langgraph.ReconnectPolicy{MinWait: 100 * time.Millisecond, MaxWait: time.Second}}}
	for n, hi := range map[int]time.Duration{1: 100 * time.Millisecond, 2: 200 * time.Millisecond, 3: 400 * time.Millisecond,
		4: 800 * time.Millisecond, 5: time.Second, 40: time.Second} {
		for range 50 {
			if d := st.backoff(n); d < hi/2 || d > hi {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", n, d, hi/2, hi)
			}
		}
	}
	st = &state{}
	if d := st.backoff(1); d < DefaultMinWait/2 || d > DefaultMinWait {
		t.Errorf("default backoff(1) = %v", d)
	}
	if st.maxAttempts() != DefaultMaxAttempts {
		t.Error("default MaxAttempts")
	}
	st.Policy.MaxAttempts = -1
	if st.maxAttempts() != 0 {
		t.Error("negative MaxAttempts does not disable reconnecting")
	}
}
