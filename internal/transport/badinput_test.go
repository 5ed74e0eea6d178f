package transport

import (
	"context"
	"testing"

	"github.com/langgraph-go/langgraph"
)

// TestBadInputNoPanic: zero options are skipped, and a nil context or a
// Backend that client.New did not build is an error, not a panic.
func TestBadInputNoPanic(t *testing.T) {
	srv := newRecorder(t)
	b := newBackend(t, srv.URL)
	bg := context.Background()
	for _, tc := range []struct {
		name    string
		b       *Backend
		ctx     context.Context
		opts    []langgraph.Option
		wantErr bool
		wantKey string // the X-Api-Key the server must see
	}{
		{name: "zero call option", b: b, ctx: bg, opts: []langgraph.Option{{}, langgraph.WithAPIKey("k1"), {}}, wantKey: "k1"},
		{name: "zero context option", b: b, ctx: langgraph.ContextWithOptions(bg, langgraph.Option{}, langgraph.WithAPIKey("k2")), wantKey: "k2"},
		{name: "nil context", b: b, ctx: nil, wantErr: true},
		{name: "nil backend", b: nil, ctx: bg, wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := srv.count()
			_, err := tc.b.Do(tc.ctx, get(tc.opts...), nil)
			if tc.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				if srv.count() != before {
					t.Error("a request was sent")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := srv.last(t).Get("X-Api-Key"); got != tc.wantKey {
				t.Errorf("X-Api-Key = %q, want %q", got, tc.wantKey)
			}
		})
	}
	o, err := b.CallOptions(bg, []langgraph.Option{{}})
	if err != nil || o.Header != nil {
		t.Errorf("CallOptions(zero option) = %+v, %v", o, err)
	}
	//lint:ignore SA1012 a nil context on purpose
	if _, err := b.CallOptions(nil, nil); err == nil {
		t.Error("CallOptions(nil context): no error")
	}
}
