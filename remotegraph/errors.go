package remotegraph

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/langgraph-go/langgraph"
)

// InterruptError reports that the remote graph stopped at one or more
// interrupts (interrupt() in a remote node) while it ran as a node of a local
// graph. The remote run waits on ThreadID for a Command{Resume: ...}: resume
// the node with ResumeContext.
//
// Invoke and Stream do not return it: at the top level an interrupt is data
// (Result.Interrupts, the stream's parts), as in LangGraph.
type InterruptError struct {
	// Graph is the RemoteGraph's name.
	Graph string
	// ThreadID is the remote thread that waits to be resumed.
	ThreadID string
	// RunID is the remote run that stopped, when known.
	RunID string
	// Interrupts are the pending interrupts, with their ids and values.
	Interrupts []langgraph.Interrupt
	// Temporary reports that ThreadID is a temporary thread of the node (it
	// ran without a thread id): resumed with ResumeContext, the node deletes
	// it once the resumed run ends; a host that does not resume deletes it
	// itself (see Threads in the package documentation).
	Temporary bool
}

// Error names the graph, the thread and the interrupt ids.
func (e *InterruptError) Error() string {
	return fmt.Sprintf("remotegraph %q: interrupted on thread %s (interrupt ids %s)",
		e.Graph, e.ThreadID, strings.Join(e.IDs(), ", "))
}

// IDs returns the ids of the pending interrupts, in order.
func (e *InterruptError) IDs() []string {
	ids := make([]string, len(e.Interrupts))
	for i, in := range e.Interrupts {
		ids[i] = in.ID
	}
	return ids
}

// ResumeContext returns a context that makes the node resume this remote run
// with Command{Resume: value} on e.ThreadID, instead of starting over from
// its input. value is what interrupt() returns in the remote node; to resume
// several interrupts at once, pass a map from interrupt id to value.
//
//	out, err := node(ctx, state)
//	var ie *remotegraph.InterruptError
//	if errors.As(err, &ie) {
//		out, err = node(ie.ResumeContext(ctx, "approved"), state)
//	}
func (e *InterruptError) ResumeContext(ctx context.Context, value any) context.Context {
	ctx = ContextWithResume(ContextWithThreadID(ctx, e.ThreadID), value)
	if e.Temporary {
		c := nodeCallFrom(ctx)
		c.temporary = e.ThreadID
		ctx = context.WithValue(ctx, nodeCtxKey{}, c)
	}
	return ctx
}

// RemoteError is a remote run that failed: a remote node raised an error
// (an __error__ result, or an error event in a stream). It wraps the
// *langgraph.RunError, so errors.As works with either type.
type RemoteError struct {
	// Graph is the RemoteGraph's name.
	Graph string
	// Name is the remote error's type, e.g. "ValueError" or "CustomError".
	Name string
	// Message is the remote error's message.
	Message string
	// ThreadID is the remote thread of the run, when known and kept: empty
	// for a stateless run and for the temporary thread of a node, which is
	// deleted.
	ThreadID string
	// RunID is the remote run's id, when known.
	RunID string
	// Node is the remote node that failed, when known: Stream names it (from
	// the tasks events); Invoke and Node do not.
	Node string
	// Namespace is the path of the remote subgraph in which Node ran, prefixed
	// with the caller's namespace; nil for the root graph.
	Namespace []string
	// Err is the run error as the runs API reported it.
	Err *langgraph.RunError
}

// Error names the graph, the remote error and where it happened.
func (e *RemoteError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "remotegraph %q: remote run failed", e.Graph)
	if e.Node != "" {
		fmt.Fprintf(&b, " in node %q", e.Node)
		if len(e.Namespace) > 0 {
			fmt.Fprintf(&b, " of subgraph %s", strings.Join(e.Namespace, "|"))
		}
	}
	b.WriteString(": ")
	if e.Name != "" {
		b.WriteString(e.Name)
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	var where []string
	if e.RunID != "" {
		where = append(where, "run "+e.RunID)
	}
	if e.ThreadID != "" {
		where = append(where, "thread "+e.ThreadID)
	}
	if len(where) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(where, ", "))
	}
	return b.String()
}

// Unwrap returns the *langgraph.RunError.
func (e *RemoteError) Unwrap() error {
	if e.Err == nil {
		return nil
	}
	return e.Err
}

// remoteError wraps a *langgraph.RunError found in err; other errors are
// returned as they are.
func (g *RemoteGraph) remoteError(err error, threadID string) error {
	var re *langgraph.RunError
	if err == nil || !errors.As(err, &re) {
		return err
	}
	tid := re.ThreadID
	if tid == "" {
		tid = threadID
	}
	return &RemoteError{Graph: g.name, Name: re.Name, Message: re.Message, ThreadID: tid, RunID: re.RunID, Err: re}
}
