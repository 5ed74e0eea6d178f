package eino_test

import (
	"context"
	"strings"
	"testing"

	"github.com/cloudwego/eino/compose"

	lgeino "github.com/langgraph-go/langgraph/contrib/eino"
	"github.com/langgraph-go/langgraph/remotegraph"
)

// TestNilRemoteGraph: a lambda built from a nil *RemoteGraph (New failed and
// its error was ignored) fails its calls with an error; none panics, not
// even the streamable one, whose run happens in a goroutine.
func TestNilRemoteGraph(t *testing.T) {
	ctx := context.Background()
	var rg *remotegraph.RemoteGraph
	for _, tc := range []struct {
		name string
		run  func() error
	}{
		{"invokable", func() error {
			r, err := compose.NewChain[map[string]any, map[string]any]().AppendLambda(lgeino.InvokableLambda(rg)).Compile(ctx)
			if err != nil {
				return nil // a compile error fails the test: it must not pass for it
			}
			_, err = r.Invoke(ctx, map[string]any{"a": 1})
			return err
		}},
		{"typed", func() error {
			r, err := compose.NewChain[map[string]any, map[string]any]().AppendLambda(lgeino.TypedLambda[map[string]any, map[string]any](rg)).Compile(ctx)
			if err != nil {
				return nil // a compile error fails the test: it must not pass for it
			}
			_, err = r.Invoke(ctx, map[string]any{"a": 1})
			return err
		}},
		{"streamable", func() error {
			r, err := compose.NewChain[map[string]any, []any]().
				AppendLambda(lgeino.StreamableLambda(rg, remotegraph.StreamParams{})).
				AppendLambda(compose.InvokableLambda(func(_ context.Context, p any) ([]any, error) { return []any{p}, nil })).
				Compile(ctx)
			if err != nil {
				return nil // a compile error fails the test: it must not pass for it
			}
			sr, err := r.Stream(ctx, map[string]any{"a": 1})
			if err != nil {
				return err
			}
			defer sr.Close()
			for {
				if _, err := sr.Recv(); err != nil {
					return err
				}
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil || !strings.Contains(err.Error(), "RemoteGraph is nil") {
				t.Fatalf("err = %v, want the nil graph named", err)
			}
		})
	}
}
