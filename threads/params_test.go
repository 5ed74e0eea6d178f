package threads_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/threads"
)

// TestTTL: a thread's TTL is a time.Duration, sent as whole minutes with
// its strategy (delete when none is given); a TTL that the server cannot
// take is refused before anything is sent.
func TestTTL(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, `{"thread_id":"t1","metadata":{}}`))
	if _, err := c.Threads.Update(ctx, "t1", threads.UpdateParams{TTL: 2 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "PATCH", "/threads/t1", "", `{"metadata":{},"ttl":{"ttl":120,"strategy":"delete"}}`)

	f, c = fake.NewClient(t, fake.Fixed(200, `{"thread_id":"t1","metadata":{}}`))
	for name, call := range map[string]func() error{
		"Create 90s": func() error {
			_, err := c.Threads.Create(ctx, threads.CreateParams{TTL: 90 * time.Second})
			return err
		},
		"Create negative": func() error {
			_, err := c.Threads.Create(ctx, threads.CreateParams{TTL: -time.Minute})
			return err
		},
		"Create strategy alone": func() error {
			_, err := c.Threads.Create(ctx, threads.CreateParams{TTLStrategy: threads.TTLDelete})
			return err
		},
		"Update 1ns": func() error {
			_, err := c.Threads.Update(ctx, "t1", threads.UpdateParams{TTL: time.Minute + 1})
			return err
		},
	} {
		if err := call(); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("%s: %v, want ErrInvalidArgument", name, err)
		}
	}
	if n := f.Count(); n != 0 {
		t.Errorf("%d requests sent for refused TTLs", n)
	}
}

// TestGetHistoryAllCursor: each page asks for the states before the last
// one received; a server that ignores the cursor ends the walk with a
// *langgraph.ResponseError instead of looping, and bad input is refused
// before anything is sent.
func TestGetHistoryAllCursor(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, `[{"values":{},"checkpoint":{"checkpoint_id":"c9","checkpoint_ns":""}}]`))
	var got []string
	var last error
	for st, err := range c.Threads.GetHistoryAll(ctx, "t1", threads.HistoryParams{Limit: 1}) {
		if err != nil {
			last = err
			break
		}
		got = append(got, st.Checkpoint.CheckpointID)
	}
	var re *langgraph.ResponseError
	if !errors.As(last, &re) || len(got) != 2 {
		t.Errorf("walk = %v, %v; want two states and a *langgraph.ResponseError", got, last)
	}
	reqs := f.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(reqs))
	}
	fake.Check(t, reqs[0], "POST", "/threads/t1/history", "", `{"limit":1}`)
	fake.Check(t, reqs[1], "POST", "/threads/t1/history", "", `{"limit":1,"before":"c9"}`)

	for _, err := range c.Threads.GetHistoryAll(ctx, "t1", threads.HistoryParams{Limit: -1}) {
		if !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("negative limit: %v, want ErrInvalidArgument", err)
		}
	}
	for _, err := range c.Threads.GetHistoryAll(ctx, "..", threads.HistoryParams{}) {
		if !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("thread id ..: %v, want ErrInvalidArgument", err)
		}
	}
	if n := f.Count(); n != 2 {
		t.Errorf("%d requests after refused walks, want 2", n)
	}
}
