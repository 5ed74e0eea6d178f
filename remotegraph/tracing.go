package remotegraph

import (
	"context"
	"net/http"

	"github.com/langgraph-go/langgraph/langsmith"
)

// tracingKey marks the context of a call of Invoke or Stream, holding the
// LangSmith parent its requests send (Params.DistributedTracing).
type tracingKey struct{}

// traced returns the context of a run call: with DistributedTracing and a
// LangSmith parent on ctx, its requests send that parent's headers.
func (g *RemoteGraph) traced(ctx context.Context) context.Context {
	if !g.tracing {
		return ctx
	}
	if p, ok := langsmith.ParentFromContext(ctx); ok {
		return context.WithValue(ctx, tracingKey{}, p)
	}
	return ctx
}

// tracingHook is the request hook of a graph with DistributedTracing: it
// sets langsmith-trace and the baggage on the requests of run calls.
func tracingHook(req *http.Request) error {
	p, ok := req.Context().Value(tracingKey{}).(langsmith.Parent)
	if !ok {
		return nil
	}
	return p.SetHeaders(req.Header)
}
