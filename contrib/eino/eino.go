// Package eino adapts a remotegraph.RemoteGraph to cloudwego/eino: a graph
// of a LangGraph deployment becomes a node (a compose.Lambda) of an eino
// compose graph or chain.
//
//	c, _ := client.New(langgraph.WithBaseURL(url), langgraph.WithPerCallCredentials())
//	rg, _ := remotegraph.New(c, "agent", remotegraph.Params{})
//	g := compose.NewGraph[map[string]any, map[string]any]()
//	_ = g.AddLambdaNode("remote", eino.InvokableLambda(rg))
//
// Credentials travel on the context given to the eino graph's Invoke or
// Stream (langgraph.ContextWithOptions), so one compiled graph serves many
// end users: each run's remote calls carry that run's user.
//
// Interrupts: when the remote graph stops at an interrupt, the invokable
// lambda interrupts the eino graph (compose.StatefulInterrupt) with a
// *remotegraph.InterruptError as the interrupt's info and the remote thread
// as its state, saved in the eino checkpoint. Resuming the eino graph from
// that checkpoint with compose.ResumeWithData(ctx, interruptID, value)
// resumes the remote run with Command{Resume: value} on the same remote
// thread, instead of starting it over (a temporary remote thread stays until
// then: an eino graph that abandons the interrupt deletes
// InterruptError.ThreadID when InterruptError.Temporary is set). The eino graph needs a checkpoint
// store (compose.WithCheckPointStore) for that, as for any eino interrupt.
//
// This package lives in its own module so that the core SDK does not depend
// on eino.
package eino

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/cloudwego/eino/compose"
	"github.com/cloudwego/eino/schema"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/remotegraph"
)

// InvokableLambda returns rg as an invokable eino Lambda from the local
// state (map[string]any) to the remote final state (map[string]any). It runs
// remotegraph's Node: on the remote thread named by the context
// (remotegraph.ContextWithThreadID) or by rg's default config, else on a
// temporary thread that is deleted when the remote run ends without an
// interrupt, or after the resumed run (see Threads in the remotegraph
// documentation). A remote failure returns a *remotegraph.RemoteError; a
// remote interrupt interrupts the eino graph (see the package
// documentation).
func InvokableLambda(rg *remotegraph.RemoteGraph, opts ...compose.LambdaOpt) *compose.Lambda {
	node := rg.Node()
	return compose.InvokableLambda(func(ctx context.Context, in map[string]any) (map[string]any, error) {
		return runNode(ctx, in, node)
	}, withType(opts)...)
}

// TypedLambda returns rg as an invokable eino Lambda over Go types: the input
// is sent as its JSON encoding and the remote final state decoded into O.
// Otherwise it behaves as InvokableLambda.
func TypedLambda[I, O any](rg *remotegraph.RemoteGraph, opts ...compose.LambdaOpt) *compose.Lambda {
	node := remotegraph.TypedNode[I, O](rg)
	return compose.InvokableLambda(func(ctx context.Context, in I) (O, error) {
		return runNode(ctx, in, node)
	}, withType(opts)...)
}

func withType(opts []compose.LambdaOpt) []compose.LambdaOpt {
	return append([]compose.LambdaOpt{compose.WithLambdaType("RemoteGraph")}, opts...)
}

// runNode runs a remotegraph node inside an eino node, translating remote
// interrupts to eino interrupts and eino resumes to remote resumes. The
// interrupt's state, saved in the eino checkpoint, is the
// *remotegraph.InterruptError as JSON (a string needs no registration with
// eino's serializer).
func runNode[I, O any](ctx context.Context, in I, node func(context.Context, I) (O, error)) (O, error) {
	var zero O
	wasInterrupted, hasState, saved := compose.GetInterruptState[string](ctx)
	if wasInterrupted && hasState {
		var prev remotegraph.InterruptError
		if err := json.Unmarshal([]byte(saved), &prev); err != nil || prev.ThreadID == "" {
			return zero, fmt.Errorf("eino: the checkpoint holds no remote interrupt to resume (%v)", err)
		}
		isResume, _, value := compose.GetResumeContext[any](ctx)
		if !isResume {
			// Another interrupt point is being resumed: stay interrupted.
			return zero, compose.StatefulInterrupt(ctx, &prev, saved)
		}
		ctx = prev.ResumeContext(ctx, value)
	}
	out, err := node(ctx, in)
	var ie *remotegraph.InterruptError
	if errors.As(err, &ie) {
		state, jerr := json.Marshal(ie)
		if jerr != nil {
			return zero, fmt.Errorf("eino: saving the remote interrupt: %w", jerr)
		}
		return zero, compose.StatefulInterrupt(ctx, ie, string(state))
	}
	return out, err
}

// RemoteInterrupt returns the remote interrupt behind an eino interrupt:
// the *remotegraph.InterruptError given as the info of the interrupt point
// id (from compose.ExtractInterruptInfo(err).InterruptContexts), or nil.
func RemoteInterrupt(ic *compose.InterruptCtx) *remotegraph.InterruptError {
	if ic == nil {
		return nil
	}
	ie, _ := ic.Info.(*remotegraph.InterruptError)
	return ie
}

// StreamableLambda returns rg as a streamable eino Lambda: its input is the
// remote run's input and its output the remote run's stream parts
// (remotegraph.RemoteGraph.Stream with p). Downstream nodes read the parts
// as a stream, or as a list once collected. A remote failure ends the stream
// with a *remotegraph.RemoteError. Closing the stream reader closes the
// remote stream's connection.
//
// A streamed run that stops at an interrupt ends normally, with the
// interrupt in its last parts; use InvokableLambda for remote graphs that
// interrupt and must be resumed.
func StreamableLambda(rg *remotegraph.RemoteGraph, p remotegraph.StreamParams, opts ...compose.LambdaOpt) *compose.Lambda {
	return compose.StreamableLambda(func(ctx context.Context, in map[string]any) (*schema.StreamReader[langgraph.StreamPart], error) {
		if rg == nil {
			// Refuse here: a nil graph would panic in the goroutine below,
			// out of reach of eino's recovery.
			return nil, errors.New("eino: StreamableLambda: the *remotegraph.RemoteGraph is nil")
		}
		var input any
		if in != nil {
			input = in
		}
		sr, sw := schema.Pipe[langgraph.StreamPart](1)
		go func() {
			defer sw.Close()
			for part, err := range rg.Stream(ctx, input, p) {
				if closed := sw.Send(part, err); closed || err != nil {
					return
				}
			}
		}()
		return sr, nil
	}, withType(opts)...)
}
