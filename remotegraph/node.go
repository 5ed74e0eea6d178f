package remotegraph

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/runs"
)

// NodeFunc is a node of a local graph: it takes the graph's state and returns
// an update. It needs no framework; adapters (such as contrib/eino) wrap it.
type NodeFunc func(ctx context.Context, state map[string]any) (map[string]any, error)

// errNilGraph is returned by the node of a nil *RemoteGraph (one whose New
// failed), which would otherwise panic when the host calls it.
var errNilGraph = lgerr.Invalid("remotegraph: the node's *RemoteGraph is nil (check the error of remotegraph.New)")

type nodeCtxKey struct{}

// nodeCall is what a host puts on a node's context.
type nodeCall struct {
	config    *langgraph.Config
	resume    any
	hasResume bool
	// temporary is the thread that a node created for an interrupted run
	// and deletes once the resumed run ends (see InterruptError.Temporary).
	temporary string
}

func nodeCallFrom(ctx context.Context) nodeCall {
	c, _ := ctx.Value(nodeCtxKey{}).(nodeCall)
	return c
}

// ContextWithConfig returns a context whose node calls merge cfg over the
// graph's default config (and over a config already on ctx). A host passes
// per-call settings to a node this way, since a node takes only the state.
func ContextWithConfig(ctx context.Context, cfg *langgraph.Config) context.Context {
	c := nodeCallFrom(ctx)
	merged := mergeConfigs(c.config, cfg)
	c.config = &merged
	return context.WithValue(ctx, nodeCtxKey{}, c)
}

// ContextWithThreadID returns a context whose node calls run on the remote
// thread threadID (configurable.thread_id).
func ContextWithThreadID(ctx context.Context, threadID string) context.Context {
	return ContextWithConfig(ctx, ThreadConfig(threadID))
}

// ContextWithResume returns a context that makes the next node call resume
// the remote run of its thread with Command{Resume: value} instead of sending
// the state as input. The thread comes from the context or the default config;
// InterruptError.ResumeContext sets both.
func ContextWithResume(ctx context.Context, value any) context.Context {
	c := nodeCallFrom(ctx)
	c.resume, c.hasResume = value, true
	return context.WithValue(ctx, nodeCtxKey{}, c)
}

// Node returns the graph as a node function of a local graph: the state is
// the remote run's input and the remote final state is the node's result.
//
// The node runs on the remote thread named by the context
// (ContextWithThreadID, ContextWithConfig) or the default config, and
// leaves that thread in place. Without a thread id it runs on a temporary
// thread (see Temporary threads in the package documentation), so that an
// interrupt can be resumed and nothing is left behind otherwise.
//
// A remote interrupt returns an *InterruptError; the host resumes with its
// ResumeContext, and the node then sends Command{Resume} to the same remote
// thread (the state is not sent again). A remote failure returns a
// *RemoteError. Credentials come from the context
// (langgraph.ContextWithOptions), so one node serves many users.
func (g *RemoteGraph) Node() NodeFunc {
	return func(ctx context.Context, state map[string]any) (map[string]any, error) {
		if g == nil {
			return nil, errNilGraph
		}
		var input any // a nil state sends no input
		if state != nil {
			input = state
		}
		var out map[string]any
		if err := g.runNode(ctx, input, &out); err != nil {
			return nil, err
		}
		return out, nil
	}
}

// TypedNode returns g as a node function over Go types: the input is sent as
// its JSON encoding and the remote final state is decoded into Out (unknown
// fields are ignored). Otherwise it behaves as Node.
func TypedNode[In, Out any](g *RemoteGraph) func(ctx context.Context, in In) (Out, error) {
	return func(ctx context.Context, in In) (Out, error) {
		var out Out
		if g == nil {
			return out, errNilGraph
		}
		raw, err := json.Marshal(in)
		if err != nil {
			return out, fmt.Errorf("remotegraph %q: encoding the node input %T: %w", g.name, in, err)
		}
		if err := g.runNode(ctx, json.RawMessage(raw), &out); err != nil {
			var zero Out
			return zero, err
		}
		return out, nil
	}
}

// runNode runs the graph as a node and decodes the final state into out.
func (g *RemoteGraph) runNode(ctx context.Context, input any, out any) error {
	call := nodeCallFrom(ctx)
	cfg := mergeConfigs(&g.config, call.config)
	tid, err := threadIDOf(cfg.Configurable[KeyThreadID])
	if err != nil {
		return err
	}
	temporary := false
	if call.hasResume {
		if tid == "" {
			return lgerr.Invalid("remotegraph %q: resume needs the interrupted remote thread: use InterruptError.ResumeContext or ContextWithThreadID", g.name)
		}
		input = langgraph.Command{Resume: call.resume}
		temporary = call.temporary == tid
	}
	if tid == "" {
		if tid, err = newThreadID(); err != nil {
			return err
		}
		temporary = true
		cfg = mergeConfigs(&cfg, ThreadConfig(tid))
	}
	// cfg already holds the default config: run with it as the whole config.
	g2 := *g
	g2.config = cfg
	var run langgraph.RunRef
	res, err := g2.Invoke(ctx, input, RunParams{OnRunCreated: func(m langgraph.RunRef) { run = m }})
	if err == nil && res.Interrupted() {
		return &InterruptError{Graph: g.name, ThreadID: tid, RunID: res.Run.RunID, Interrupts: res.Interrupts, Temporary: temporary}
	}
	if temporary {
		var re *RemoteError
		ended := err == nil || errors.As(err, &re) // else the run may still go on
		if derr := g.dropThread(ctx, tid, run.RunID, ended); derr != nil {
			return errors.Join(err, derr)
		}
		if re != nil {
			re.ThreadID = "" // deleted
		}
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(res.Values, out); err != nil {
		return fmt.Errorf("remotegraph %q: decoding the remote state into %T: %w", g.name, out, err)
	}
	return nil
}

// cleanupTimeout bounds the deletion of a temporary thread, which goes on
// when the call's context has ended.
const cleanupTimeout = 10 * time.Second

// dropThread deletes the temporary thread tid. Unless the run has ended,
// it first cancels the run (runID, or every active run of the thread when
// the run's id is unknown) and waits for it to stop, so that the run writes
// nothing after the thread is gone. It uses ctx's values (credentials) but
// not its deadline.
func (g *RemoteGraph) dropThread(ctx context.Context, tid, runID string, ended bool) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	var errs []error
	if !ended {
		ids := []string{runID}
		if runID == "" {
			list, err := g.client.Runs.List(ctx, tid, runs.ListParams{})
			if errors.Is(err, langgraph.ErrNotFound) {
				return nil // the run was refused: no thread was created
			}
			ids = ids[:0]
			errs = append(errs, err)
			for _, r := range list {
				if r.Status == langgraph.StatusPending || r.Status == langgraph.StatusRunning {
					ids = append(ids, r.RunID)
				}
			}
		}
		for _, id := range ids {
			if err := g.client.Runs.Cancel(ctx, tid, id, runs.CancelParams{Wait: true}); !errors.Is(err, langgraph.ErrNotFound) {
				errs = append(errs, err)
			}
		}
	}
	// Delete even when a cancel failed: the thread is what the caller sees.
	if err := g.client.Threads.Delete(ctx, tid); !errors.Is(err, langgraph.ErrNotFound) {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remotegraph %q: deleting the temporary thread %s: %w", g.name, tid, err)
	}
	return nil
}

// newThreadID returns a random (version 4) UUID.
func newThreadID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", errors.New("remotegraph: no randomness for a thread id")
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}
