package stream

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// TestTimeoutSkipsZeroOptions: the per-call timeout is read past zero
// options (on the context and in the call) instead of panicking.
func TestTimeoutSkipsZeroOptions(t *testing.T) {
	ctx := langgraph.ContextWithOptions(context.Background(), langgraph.Option{})
	opts := []langgraph.Option{{}, langgraph.WithTimeout(3 * time.Second), {}}
	b := &transport.Backend{}
	if d := timeout(ctx, b, opts); d != 3*time.Second {
		t.Errorf("timeout = %v, want 3s", d)
	}
	//lint:ignore SA1012 a nil context on purpose
	if d := timeout(nil, b, opts); d != 0 {
		t.Errorf("timeout(nil ctx) = %v, want 0 (the request reports the error)", d)
	}
}

func TestFail(t *testing.T) {
	boom := errors.New("boom")
	n := 0
	for part, err := range Fail(boom) {
		n++
		if err != boom || part.Event != "" {
			t.Errorf("yielded %+v, %v", part, err)
		}
	}
	if n != 1 {
		t.Errorf("%d yields, want 1", n)
	}
}
