package threads_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/threads"
)

// TestBadInputIsAnError: bad arguments are refused with an error before any
// request, never with a panic.
func TestBadInputIsAnError(t *testing.T) {
	f, c := fake.NewClient(t, fake.Fixed(200, `[]`), tok, noRetries)
	ctx := context.Background()
	s := c.Threads
	firstErr := func(seq func(func(threads.Thread, error) bool)) error {
		for _, err := range seq {
			return err
		}
		return nil
	}
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"Search negative limit", func() error { _, err := s.Search(ctx, threads.SearchParams{Limit: -1}); return err }},
		{"Search negative offset", func() error { _, err := s.Search(ctx, threads.SearchParams{Offset: -3}); return err }},
		{"SearchAll negative limit", func() error { return firstErr(s.SearchAll(ctx, threads.SearchParams{Limit: -1})) }},
		{"SearchAll negative offset", func() error { return firstErr(s.SearchAll(ctx, threads.SearchParams{Offset: -1})) }},
		{"GetHistory negative limit", func() error {
			_, err := s.GetHistory(ctx, "t1", threads.HistoryParams{Limit: -1})
			return err
		}},
		{"Get empty id", func() error { _, err := s.Get(ctx, ""); return err }},
		{"GetState empty id", func() error { _, err := s.GetState(ctx, "", threads.StateParams{}); return err }},
		{"Prune no ids", func() error { _, err := s.Prune(ctx, nil, ""); return err }},
		{"JoinStream empty id", func() error {
			for _, err := range s.JoinStream(ctx, "", threads.JoinStreamParams{}) {
				return err
			}
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); err == nil {
				t.Fatal("no error")
			}
		})
	}
	if n := f.Count(); n != 0 {
		t.Errorf("%d requests sent for bad input", n)
	}
}

// TestUnsetTimesLeftOut: a state of a thread that never ran, and a thread
// whose timestamps a Select left out, print no "0001-01-01" time.
func TestUnsetTimesLeftOut(t *testing.T) {
	for _, v := range []any{threads.State{}, threads.Thread{ThreadID: "t1"}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "0001-01-01") || strings.Contains(string(b), "created_at") {
			t.Errorf("%T encodes an unset time: %s", v, b)
		}
	}
}
