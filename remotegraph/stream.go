package remotegraph

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strings"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/stream"
	"github.com/langgraph-go/langgraph/runs"
)

// StreamParams are the optional fields of Stream: those of RunParams, with
// the same meaning, and the streaming options.
type StreamParams struct {
	// Config is merged over the graph's default config, then sanitised (see
	// the package documentation); its configurable.thread_id names the remote
	// thread, and its configurable.checkpoint_ns the caller's namespace.
	Config *langgraph.Config
	// Context is the run's static context (LangGraph runtime context), sent
	// apart from the config.
	Context any
	// Command resumes, updates or redirects the thread's run, in place of an
	// input (Stream's input must then be nil).
	Command *langgraph.Command
	// InterruptBefore stops the run before these nodes.
	InterruptBefore langgraph.Nodes
	// InterruptAfter stops the run after these nodes.
	InterruptAfter langgraph.Nodes
	// Metadata is stored with the run.
	Metadata map[string]any
	// MultitaskStrategy says what happens when the thread is busy.
	MultitaskStrategy runs.MultitaskStrategy
	// Durability says when checkpoints are persisted.
	Durability runs.Durability
	// Webhook is called when the run ends.
	Webhook string
	// OnRunCreated is called with the run's ids as soon as the server has
	// accepted the run.
	OnRunCreated func(langgraph.RunRef)

	// StreamMode selects the events; default updates (as LangGraph's
	// RemoteGraph). The modes are sent as they are: StreamMessagesTuple
	// yields "messages" events, StreamMessages the "messages/..." ones.
	StreamMode []runs.StreamMode
	// Subgraphs includes the events of subgraphs; their namespaces are kept
	// in StreamPart.Namespace.
	Subgraphs bool
	// StreamResumable keeps the run's events on the server, so that a broken
	// stream can resume from its last event.
	StreamResumable bool
	// OnDisconnect says what happens to the run if the stream disconnects
	// (server default: it goes on).
	OnDisconnect runs.DisconnectMode
	// FeedbackKeys asks for feedback URLs for these keys.
	FeedbackKeys []string
	// Reconnect says how the stream resumes after its connection breaks.
	Reconnect langgraph.ReconnectPolicy
}

// runParams returns the fields that Invoke has too.
func (p *StreamParams) runParams() RunParams {
	return RunParams{
		Config:            p.Config,
		Context:           p.Context,
		Command:           p.Command,
		InterruptBefore:   p.InterruptBefore,
		InterruptAfter:    p.InterruptAfter,
		Metadata:          p.Metadata,
		MultitaskStrategy: p.MultitaskStrategy,
		Durability:        p.Durability,
		Webhook:           p.Webhook,
		OnRunCreated:      p.OnRunCreated,
	}
}

// Stream runs the graph on input and streams its events, as runs.Service.Stream
// does (same part type, single use, no goroutine left behind; breaking out
// of the loop closes the connection). The run goes on the config's thread
// (created if needed), or is stateless without one.
//
// Namespaces: with Subgraphs, events of remote subgraphs keep their
// namespace. When the call's config holds the caller's own namespace
// (configurable.checkpoint_ns, set when the graph runs nested inside another
// graph), that namespace, split on "|", prefixes every part's Namespace and
// Event, so the remote events nest under the caller's node.
//
// Interrupts: at the top level an interrupt is data (the __interrupt__ of a
// values or updates part). When nested (a caller namespace is set), the
// stream ends after the part that carries the interrupt with an
// *InterruptError, as LangGraph's RemoteGraph raises GraphInterrupt; the run
// can be resumed only when it has a thread id (see Threads in the package
// documentation).
//
// Errors: a remote failure ends the stream with its "error" part yielded
// together with a *RemoteError. Stream also asks the server for the updates
// and tasks modes (dropped from the output unless requested) to see
// interrupts and to name the failing remote node and its namespace in the
// RemoteError, which LangGraph's RemoteException does not.
func (g *RemoteGraph) Stream(ctx context.Context, input any, p StreamParams, opts ...langgraph.Option) iter.Seq2[langgraph.StreamPart, error] {
	ctx = g.traced(ctx)
	rp := p.runParams()
	req, err := g.prepare(input, &rp)
	if err != nil {
		return stream.Fail(err)
	}
	modes := p.StreamMode
	if len(modes) == 0 {
		modes = []runs.StreamMode{runs.StreamUpdates}
	}
	keep := stream.Keep(modes)
	sent := slices.Clone(modes)
	for _, extra := range []runs.StreamMode{runs.StreamUpdates, runs.StreamTasks} {
		if !slices.Contains(sent, extra) {
			sent = append(sent, extra)
		}
	}

	var run langgraph.RunRef
	userCreated := req.params.OnRunCreated
	req.params.OnRunCreated = func(m langgraph.RunRef) {
		run = m
		if userCreated != nil {
			userCreated(m)
		}
	}
	cp := req.params
	sp := runs.StreamParams{
		Input: cp.Input, Command: cp.Command, Config: cp.Config, Context: cp.Context, Metadata: cp.Metadata,
		InterruptBefore: cp.InterruptBefore, InterruptAfter: cp.InterruptAfter, MultitaskStrategy: cp.MultitaskStrategy,
		Durability: cp.Durability, Webhook: cp.Webhook, IfNotExists: cp.IfNotExists, OnRunCreated: cp.OnRunCreated,
		StreamMode: sent, Subgraphs: p.Subgraphs, StreamResumable: p.StreamResumable, OnDisconnect: p.OnDisconnect,
		FeedbackKeys: p.FeedbackKeys, Reconnect: p.Reconnect,
	}

	var seq iter.Seq2[langgraph.StreamPart, error]
	if req.threadID == "" {
		seq = g.client.Runs.StreamStateless(ctx, g.assistantID, sp, opts...)
	} else {
		seq = g.client.Runs.Stream(ctx, req.threadID, g.assistantID, sp, opts...)
	}
	nested := len(req.namespace) > 0
	return func(yield func(langgraph.StreamPart, error) bool) {
		var tasks taskTracker
		for part, err := range seq {
			if err != nil {
				if part.Kind == langgraph.EventError || errors.As(err, new(*langgraph.RunError)) {
					re := g.remoteError(err, req.threadID)
					if e, ok := re.(*RemoteError); ok {
						e.Node, e.Namespace = tasks.failed()
						if nested && e.Namespace != nil {
							e.Namespace = append(slices.Clone(req.namespace), e.Namespace...)
						}
					}
					err = re
				}
				if nested {
					part = prefixed(part, req.namespace)
				}
				yield(part, err)
				return
			}
			if part.Kind == langgraph.EventTasks {
				tasks.see(part)
			}
			var interrupts []langgraph.Interrupt
			if nested && part.Kind == langgraph.EventUpdates && part.Namespace == nil {
				interrupts, _ = part.Interrupts()
			}
			if keep(part.Kind) {
				if nested {
					part = prefixed(part, req.namespace)
				}
				if !yield(part, nil) {
					return
				}
			}
			if len(interrupts) > 0 {
				tid := run.ThreadID
				if tid == "" {
					tid = req.threadID
				}
				yield(langgraph.StreamPart{}, &InterruptError{Graph: g.name, ThreadID: tid, RunID: run.RunID, Interrupts: interrupts})
				return
			}
		}
	}
}

// prefixed puts the caller's namespace before the part's own, in Namespace
// and in Event; events that no stream mode produces (metadata, error, ...)
// belong to the run, not to a graph, and are left alone.
func prefixed(p langgraph.StreamPart, ns []string) langgraph.StreamPart {
	if p.Kind.Mode() == "" {
		return p
	}
	p.Namespace = append(slices.Clone(ns), p.Namespace...)
	p.Event = string(p.Kind) + "|" + strings.Join(p.Namespace, "|")
	return p
}

// taskTracker follows the tasks events to tell which remote node failed.
type taskTracker struct {
	running []taskInfo // started, not finished, in order
	failure *taskInfo  // the first task whose result carries an error
}

type taskInfo struct {
	id   string
	name string
	ns   []string
}

func (t *taskTracker) see(p langgraph.StreamPart) {
	ev, err := p.Task()
	if err != nil || ev.ID == "" {
		return
	}
	ti := taskInfo{id: ev.ID, name: ev.Name, ns: p.Namespace}
	if !ev.IsResult() {
		t.running = append(t.running, ti)
		return
	}
	t.running = slices.DeleteFunc(t.running, func(r taskInfo) bool { return r.id == ev.ID && slices.Equal(r.ns, ti.ns) })
	if ev.Error != nil && t.failure == nil {
		t.failure = &ti
	}
}

// failed returns the failing node and its namespace: the task whose result
// holds the error, else the last task still running.
func (t *taskTracker) failed() (string, []string) {
	switch {
	case t.failure != nil:
		return t.failure.name, t.failure.ns
	case len(t.running) > 0:
		r := t.running[len(t.running)-1]
		return r.name, r.ns
	}
	return "", nil
}
