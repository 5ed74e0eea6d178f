package threads_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/threads"
)

// TestTTL: a thread's TTL is a time.Duration, sent as whole minutes with
// its strategy (delete when none is given); a TTL that the server cannot
// take is refused before anything is sent.
func TestTTL(t *testing.T) {
	ctx := context.Background()
	f, c := newFake(t, 200, `{"thread_id":"t1","metadata":{}}`)
	if _, err := c.Threads.Update(ctx, "t1", threads.UpdateParams{TTL: 2 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	jsonEqual(t, "Update", f.only(t).Body, `{"metadata":{},"ttl":{"ttl":120,"strategy":"delete"}}`)

	f, c = newFake(t, 200, `{"thread_id":"t1","metadata":{}}`)
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
	if n := f.count(); n != 0 {
		t.Errorf("%d requests sent for refused TTLs", n)
	}
}
