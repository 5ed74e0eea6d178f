package stream

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
)

// TestTimeoutSkipsNilOptions: the per-call timeout is read past nil options
// (on the context and in the call) instead of panicking.
func TestTimeoutSkipsNilOptions(t *testing.T) {
	ctx := langgraph.WithRequestOptions(context.Background(), nil)
	opts := []langgraph.RequestOption{nil, langgraph.WithTimeout(3 * time.Second), nil}
	if d := timeout(ctx, opts); d != 3*time.Second {
		t.Errorf("timeout = %v, want 3s", d)
	}
	if d := timeout(nil, opts); d != 0 { //nolint:staticcheck // a nil context on purpose
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
