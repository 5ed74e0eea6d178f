package remotegraph_test

import (
	"context"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/remotegraph"
	"github.com/langgraph-go/langgraph/threads"
)

// TestBadInputNoPanic: nil pointers and empty values given to the package
// give errors (or are treated as absent), never panics.
func TestBadInputNoPanic(t *testing.T) {
	var nilGraph *remotegraph.RemoteGraph // what New returns with an error
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		call    func() error
		wantErr bool
	}{
		{"nil Stringer thread id", func() error {
			s, err := remotegraph.SanitizeConfig(&langgraph.Config{Configurable: map[string]any{"thread_id": (*stringer)(nil)}})
			if err == nil && s.ThreadID != "" {
				t.Errorf("thread = %q", s.ThreadID)
			}
			return err
		}, false},
		{"nil config", func() error { _, err := remotegraph.SanitizeConfig(nil); return err }, false},
		{"Node of a nil graph", func() error { _, err := nilGraph.Node()(ctx, map[string]any{"a": 1}); return err }, true},
		{"TypedNode of a nil graph", func() error {
			_, err := remotegraph.TypedNode[map[string]any, map[string]any](nilGraph)(ctx, nil)
			return err
		}, true},
		{"empty assistant id", func() error { _, err := remotegraph.New(offline(t), "", remotegraph.Params{}); return err }, true},
		{"nil client", func() error { _, err := remotegraph.New(nil, "agent", remotegraph.Params{}); return err }, true},
		{"zero client", func() error { _, err := remotegraph.New(&client.Client{}, "agent", remotegraph.Params{}); return err }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); (err != nil) != tc.wantErr {
				t.Errorf("err = %v, want an error: %v", err, tc.wantErr)
			}
		})
	}
}

// TestGraphCallsWithoutThread: the thread methods refuse a config without a
// thread (or with a nil one) and a negative limit, before any request.
func TestGraphCallsWithoutThread(t *testing.T) {
	g, err := remotegraph.New(offline(t), "agent", remotegraph.Params{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := g.GetState(ctx, nil, threads.StateParams{}); err == nil {
		t.Error("GetState without a thread: no error")
	}
	if _, err := g.UpdateState(ctx, nil, threads.UpdateStateParams{Values: map[string]any{}}); err == nil {
		t.Error("UpdateState without a thread: no error")
	}
	if _, err := g.GetStateHistory(ctx, &langgraph.Config{Configurable: map[string]any{"thread_id": (*stringer)(nil)}}, threads.HistoryParams{}); err == nil {
		t.Error("GetStateHistory with a nil thread id: no error")
	}
	if _, err := g.GetStateHistory(ctx, remotegraph.ThreadConfig("t1"), threads.HistoryParams{Limit: -1}); err == nil {
		t.Error("GetStateHistory with a negative limit: no error")
	}
}

// offline returns a client of a server that is not there, with no retries.
func offline(t *testing.T) *client.Client {
	t.Helper()
	c, err := client.New(langgraph.WithBaseURL("http://127.0.0.1:1"), langgraph.WithoutAPIKey(), langgraph.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
