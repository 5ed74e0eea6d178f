// Package remotegraph runs a graph of a LangGraph deployment as if it were
// local: RemoteGraph is the Go counterpart of LangGraph's RemoteGraph, with
// Invoke, Stream, GetState, UpdateState, GetStateHistory and GetGraph, and it
// can be a node of a local graph (Node, TypedNode; package
// github.com/langgraph-go/langgraph/contrib/eino adapts it to eino).
//
// # One RemoteGraph, many users
//
// A service that serves many end users holds one RemoteGraph and forwards
// each user's own credentials on each call, either as call options or on the
// context:
//
//	ctx = langgraph.ContextWithOptions(ctx, langgraph.WithBearerToken(userToken))
//	res, err := rg.Invoke(ctx, input, remotegraph.RunParams{})
//
// The deployment's auth handler then sees that user, and the remote nodes get
// that user as config.configurable.langgraph_auth_user. Calls never share
// credentials: each request carries only those of its own context and
// options, over the RemoteGraph's defaults.
//
// # Config
//
// A call's config is merged over the RemoteGraph's default config: tags are
// joined without duplicates, metadata and configurable are merged key by key
// (the call's values win), and the call's recursion limit wins when it is
// set. The result is sanitised as LangGraph's RemoteGraph does: only
// recursion_limit, tags, metadata and configurable are sent; values that are
// not JSON values (functions, channels, NaN, nil) are dropped, and structs or
// types with a JSON encoding are sent as that encoding; checkpoint keys and
// the task id are dropped from configurable. configurable.thread_id
// (KeyThreadID) is taken out and names the remote thread. Configs are passed
// as *langgraph.Config everywhere; nil means none.
//
// # Threads
//
// Invoke and Stream run on the remote thread that configurable.thread_id
// names, which the run creates when it does not exist yet, and which stays:
// it is the caller's. Without a thread id they run stateless, as LangGraph's
// RemoteGraph does: the server runs them on a temporary thread of its own
// and deletes it when the run ends, also when the caller went away (a
// cancelled context; the run goes on to its end first). A stateless run
// cannot be resumed after an interrupt (LangGraph.js servers even refuse to
// interrupt one: the run fails with "No checkpointer set"); give a graph
// that interrupts a thread.
//
// Node and TypedNode without a thread id run on a temporary thread that
// they create (with a random id) so that an interrupt can be resumed, and
// delete when the run ends without an interrupt: after a success, a
// failure, or when the call's context ends first (the node then cancels the
// run, waits for it to stop and deletes the thread, within ten seconds after
// the context ended, with the context's credentials). A thread that cannot
// be deleted is reported in the node's error. A run that stops at an
// interrupt keeps its thread (InterruptError.Temporary); resumed with
// InterruptError.ResumeContext, the node deletes the thread once the resumed
// run ends. A host that abandons an interrupted run deletes
// InterruptError.ThreadID itself (Threads.Delete of the client).
//
// # As a node
//
// Node and TypedNode make a node function of a local graph. A remote
// interrupt comes back as an *InterruptError (ids and values) and a remote
// failure as a *RemoteError (the remote error's name and message). When the
// host resumes the node with InterruptError.ResumeContext (or
// ContextWithResume), the remote run continues with Command{Resume} on the
// same remote thread instead of starting over.
package remotegraph

import (
	"context"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

// RemoteGraph is a graph (an assistant) of a LangGraph deployment. It is
// safe for concurrent use; WithConfig returns a copy.
type RemoteGraph struct {
	assistantID string
	name        string
	config      langgraph.Config
	client      *client.Client
	tracing     bool // Params.DistributedTracing
}

// Params are the optional settings of New.
type Params struct {
	// Name is the graph's name, used in errors and as a node name (default:
	// the assistant id).
	Name string
	// Config is merged under every call's config (see Config in the package
	// documentation). A thread_id in it makes every call use that thread.
	Config *langgraph.Config
	// DistributedTracing nests the remote runs under the caller's LangSmith
	// trace, like Python's RemoteGraph(distributed_tracing=True): when the
	// call's context has a LangSmith parent (langsmith.ContextWithParent,
	// langsmith.Middleware), every request of Invoke and Stream (the run,
	// its reconnects and joins) sends langsmith-trace and the
	// langsmith-metadata, langsmith-tags and langsmith-project baggage
	// members, after the call's own baggage (see package langsmith). The
	// graph's client is then a view of c.
	DistributedTracing bool
}

// New returns the remote graph assistantID (an assistant id, or a graph name,
// which the server resolves to the graph's default assistant) of the
// deployment c talks to. Calls go through c: its credentials, retries and
// options, over which each call's options and context apply (see One
// RemoteGraph, many users).
func New(c *client.Client, assistantID string, p Params) (*RemoteGraph, error) {
	if c == nil || c.BaseURL() == "" {
		return nil, lgerr.Invalid("remotegraph: New needs a client built by client.New")
	}
	if assistantID == "" {
		return nil, lgerr.Invalid("remotegraph: empty assistant id")
	}
	g := &RemoteGraph{assistantID: assistantID, name: p.Name, client: c, tracing: p.DistributedTracing}
	if g.tracing {
		v, err := c.WithOptions(langgraph.WithRequestHook(tracingHook))
		if err != nil {
			return nil, err
		}
		g.client = v
	}
	if g.name == "" {
		g.name = assistantID
	}
	if p.Config != nil {
		if _, err := sanitizeConfig(p.Config); err != nil {
			return nil, err
		}
		g.config = mergeConfigs(p.Config)
	}
	return g, nil
}

// AssistantID returns the assistant id or graph name the graph runs.
func (g *RemoteGraph) AssistantID() string { return g.assistantID }

// Name returns the graph's name.
func (g *RemoteGraph) Name() string { return g.name }

// Client returns the client the graph uses.
func (g *RemoteGraph) Client() *client.Client { return g.client }

// Config returns a copy of the default config.
func (g *RemoteGraph) Config() *langgraph.Config {
	c := mergeConfigs(&g.config)
	return &c
}

// WithConfig returns a copy of the graph, sharing its client, whose default
// config is the current one merged with cfg (see Config in the package
// documentation).
func (g *RemoteGraph) WithConfig(cfg *langgraph.Config) *RemoteGraph {
	cp := *g
	cp.config = mergeConfigs(&g.config, cfg)
	return &cp
}

// RunParams are the optional fields of Invoke.
type RunParams struct {
	// Config is merged over the graph's default config, then sanitised (see
	// the package documentation); its configurable.thread_id names the remote
	// thread.
	Config *langgraph.Config
	// Context is the run's static context (LangGraph runtime context), sent
	// apart from the config.
	Context any
	// Command resumes, updates or redirects the thread's run, in place of an
	// input (Invoke's input must then be nil). A langgraph.Command given as
	// the input does the same.
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
}

// prepared is a run request ready to send.
type prepared struct {
	params    runs.CreateParams
	threadID  string
	namespace []string
}

// prepare merges and sanitises the config and fills the run's fields.
func (g *RemoteGraph) prepare(input any, p *RunParams) (prepared, error) {
	merged := mergeConfigs(&g.config, p.Config)
	s, err := sanitizeConfig(&merged)
	if err != nil {
		return prepared{}, err
	}
	cmd := p.Command
	switch in := input.(type) {
	case langgraph.Command:
		if cmd == nil {
			input, cmd = nil, &in
		}
	case *langgraph.Command:
		if in == nil || cmd == nil {
			input = nil
			if cmd == nil {
				cmd = in
			}
		}
	}
	if cmd != nil && input != nil {
		return prepared{}, lgerr.Invalid("remotegraph: a run takes an input or a command, not both")
	}
	cp := runs.CreateParams{
		Input:             input,
		Command:           cmd,
		Config:            s.Config,
		Context:           p.Context,
		Metadata:          p.Metadata,
		InterruptBefore:   p.InterruptBefore,
		InterruptAfter:    p.InterruptAfter,
		MultitaskStrategy: p.MultitaskStrategy,
		Durability:        p.Durability,
		Webhook:           p.Webhook,
		OnRunCreated:      p.OnRunCreated,
	}
	if s.ThreadID != "" {
		cp.IfNotExists = runs.IfNotExistsCreate
	}
	return prepared{params: cp, threadID: s.ThreadID, namespace: s.Namespace}, nil
}

// Invoke runs the graph on input and waits for the end of the run. It returns
// the final state values, and the interrupts when the run stopped at one
// (Result.Interrupted). A run whose remote node failed returns a
// *RemoteError. With a thread id in the config the run goes on that remote
// thread (created if needed); without one it is stateless.
//
// Credentials and headers for this call go in opts or on ctx
// (langgraph.ContextWithOptions).
func (g *RemoteGraph) Invoke(ctx context.Context, input any, p RunParams, opts ...langgraph.Option) (*runs.Result, error) {
	ctx = g.traced(ctx)
	req, err := g.prepare(input, &p)
	if err != nil {
		return nil, err
	}
	var res *runs.Result
	if req.threadID == "" {
		res, err = g.client.Runs.WaitStateless(ctx, g.assistantID, req.params, opts...)
	} else {
		res, err = g.client.Runs.Wait(ctx, req.threadID, g.assistantID, req.params, opts...)
	}
	if err != nil {
		return nil, g.remoteError(err, req.threadID)
	}
	if res.Run.ThreadID == "" {
		res.Run.ThreadID = req.threadID
	}
	return res, nil
}

// threadAndCheckpoint reads the thread id and the checkpoint named by a
// config merged over the default one. checkpoint is nil when the config
// names neither a checkpoint id nor a namespace.
func (g *RemoteGraph) threadAndCheckpoint(cfg *langgraph.Config, what string) (string, *langgraph.Checkpoint, error) {
	merged := mergeConfigs(&g.config, cfg)
	tid, err := threadIDOf(merged.Configurable[KeyThreadID])
	if err != nil {
		return "", nil, err
	}
	if tid == "" {
		return "", nil, lgerr.Invalid("remotegraph: %s needs a thread: set configurable.thread_id in the config (see ThreadConfig)", what)
	}
	return tid, checkpointOf(tid, merged.Configurable), nil
}

func checkpointOf(tid string, conf map[string]any) *langgraph.Checkpoint {
	id, _ := conf[keyCheckpointID].(string)
	ns, _ := conf[KeyCheckpointNS].(string)
	cmap, _ := conf[keyCheckpointMap].(map[string]any)
	if id == "" && ns == "" {
		return nil
	}
	return &langgraph.Checkpoint{ThreadID: tid, CheckpointNS: ns, CheckpointID: id, CheckpointMap: cmap}
}

// ThreadConfig returns a config naming the remote thread threadID, for the
// calls that take a config and for WithConfig.
func ThreadConfig(threadID string) *langgraph.Config {
	return &langgraph.Config{Configurable: map[string]any{KeyThreadID: threadID}}
}

// checkpointConfig returns the config naming a checkpoint, as LangGraph
// builds it from a state snapshot.
func checkpointConfig(cp langgraph.Checkpoint) *langgraph.Config {
	cmap := cp.CheckpointMap
	if cmap == nil {
		cmap = map[string]any{}
	}
	return &langgraph.Config{Configurable: map[string]any{
		KeyThreadID:      cp.ThreadID,
		KeyCheckpointNS:  cp.CheckpointNS,
		keyCheckpointID:  cp.CheckpointID,
		keyCheckpointMap: cmap,
	}}
}

// GetState returns the state of the thread that cfg (merged over the default
// config) names, as Threads.GetState does: the latest state, or the state at
// the checkpoint that p names, else at the one that cfg's
// configurable.checkpoint_id (and checkpoint_ns) name, as in the config that
// UpdateState returns.
func (g *RemoteGraph) GetState(ctx context.Context, cfg *langgraph.Config, p threads.StateParams, opts ...langgraph.Option) (*threads.State, error) {
	tid, cp, err := g.threadAndCheckpoint(cfg, "GetState")
	if err != nil {
		return nil, err
	}
	if p.Checkpoint == nil && p.CheckpointID == "" {
		p.Checkpoint = cp
	}
	return g.client.Threads.GetState(ctx, tid, p, opts...)
}

// UpdateState writes p.Values to the state of the thread that cfg names, as
// Threads.UpdateState does, at the checkpoint that p or else cfg names (see
// GetState), and returns the config of the new checkpoint, which GetState,
// UpdateState and GetStateHistory take.
func (g *RemoteGraph) UpdateState(ctx context.Context, cfg *langgraph.Config, p threads.UpdateStateParams, opts ...langgraph.Option) (*langgraph.Config, error) {
	tid, cp, err := g.threadAndCheckpoint(cfg, "UpdateState")
	if err != nil {
		return nil, err
	}
	if p.Checkpoint == nil && p.CheckpointID == "" {
		p.Checkpoint = cp
	}
	res, err := g.client.Threads.UpdateState(ctx, tid, p, opts...)
	if err != nil {
		return nil, err
	}
	if res.Checkpoint.ThreadID == "" {
		res.Checkpoint.ThreadID = tid
	}
	return checkpointConfig(res.Checkpoint), nil
}

// GetStateHistory returns the past states of the thread that cfg names,
// newest first, as Threads.GetHistory does: p.Limit states (server default
// 10), older than p.Before (a State's Checkpoint), whose metadata contains
// p.Metadata. p.Checkpoint, else the checkpoint namespace in cfg, selects a
// subgraph's history.
func (g *RemoteGraph) GetStateHistory(ctx context.Context, cfg *langgraph.Config, p threads.HistoryParams, opts ...langgraph.Option) ([]threads.State, error) {
	tid, cp, err := g.threadAndCheckpoint(cfg, "GetStateHistory")
	if err != nil {
		return nil, err
	}
	if p.Checkpoint == nil {
		p.Checkpoint = cp
	}
	return g.client.Threads.GetHistory(ctx, tid, p, opts...)
}

// GetGraph returns the structure of the remote graph; p.XRay includes the
// nodes of subgraphs.
func (g *RemoteGraph) GetGraph(ctx context.Context, p assistants.GraphParams, opts ...langgraph.Option) (*assistants.Graph, error) {
	return g.client.Assistants.GetGraph(ctx, g.assistantID, p, opts...)
}
