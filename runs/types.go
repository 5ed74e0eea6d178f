package runs

import (
	"encoding/json"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/transport"
	"github.com/langgraph-go/langgraph/internal/values"
)

// MultitaskStrategy says what happens when a run is created on a busy thread.
type MultitaskStrategy string

// Multitask strategies.
const (
	MultitaskReject    MultitaskStrategy = "reject"    // refuse the new run (422; the server default)
	MultitaskInterrupt MultitaskStrategy = "interrupt" // interrupt the current run, keep its progress
	MultitaskRollback  MultitaskStrategy = "rollback"  // cancel the current run and drop its progress
	MultitaskEnqueue   MultitaskStrategy = "enqueue"   // run after the current one
)

// IfNotExists says what a run on an unknown thread id does.
type IfNotExists string

// Values of IfNotExists.
const (
	IfNotExistsCreate IfNotExists = "create" // create the thread
	IfNotExistsReject IfNotExists = "reject" // fail (the server default)
)

// OnCompletion says what happens to a stateless run's temporary thread.
type OnCompletion string

// Values of OnCompletion.
const (
	OnCompletionDelete OnCompletion = "delete"
	OnCompletionKeep   OnCompletion = "keep"
)

// DisconnectMode says what happens to a run when the client that waits for it
// or streams it disconnects.
type DisconnectMode string

// Values of DisconnectMode.
const (
	DisconnectCancel   DisconnectMode = "cancel"
	DisconnectContinue DisconnectMode = "continue"
)

// Durability says when checkpoints are persisted.
type Durability string

// Values of Durability.
const (
	DurabilitySync  Durability = "sync"  // before the next step starts
	DurabilityAsync Durability = "async" // while the next step runs
	DurabilityExit  Durability = "exit"  // only when the run ends
)

// CancelAction says how Cancel stops a run.
type CancelAction string

// Cancel actions.
const (
	CancelInterrupt CancelAction = "interrupt" // stop and keep the progress so far
	CancelRollback  CancelAction = "rollback"  // stop and drop the run's progress
)

// StreamMode is a stream mode of a run: langgraph.StreamMode, whose doc
// lists the events each mode produces. The constants below are the run
// modes.
type StreamMode = langgraph.StreamMode

// Stream modes of a run (the same constants as in package langgraph).
const (
	StreamValues        = langgraph.StreamValues        // the whole state after each step
	StreamUpdates       = langgraph.StreamUpdates       // each node's update, after each step
	StreamMessagesTuple = langgraph.StreamMessagesTuple // chat model tokens with the metadata of the model call ("messages" events)
	StreamMessages      = langgraph.StreamMessages      // chat messages, partial and complete ("messages/..." events)
	StreamCustom        = langgraph.StreamCustom        // what nodes write to their stream writer
	StreamEvents        = langgraph.StreamEvents        // LangChain callback events
	StreamDebug         = langgraph.StreamDebug         // checkpoints, task starts and results, with step and time
	StreamTasks         = langgraph.StreamTasks         // task starts and task results
	StreamCheckpoints   = langgraph.StreamCheckpoints   // each checkpoint the run saves
	StreamTools         = langgraph.StreamTools         // tool calls starting, streaming and ending (JS server)
)

// Run is one execution of an assistant's graph.
type Run struct {
	// RunID is the run's id.
	RunID string `json:"run_id"`
	// ThreadID is the run's thread (a temporary one for stateless runs).
	ThreadID string `json:"thread_id"`
	// AssistantID is the assistant that runs.
	AssistantID string `json:"assistant_id"`
	// CreatedAt and UpdatedAt are set by the server.
	CreatedAt time.Time `json:"created_at,omitzero"`
	// UpdatedAt is the time of the last status change.
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Status is pending, running, success, error, timeout or interrupted.
	Status langgraph.Status `json:"status"`
	// Metadata is the run's metadata.
	Metadata map[string]any `json:"metadata"`
	// MultitaskStrategy is the strategy the run was created with.
	MultitaskStrategy MultitaskStrategy `json:"multitask_strategy,omitzero"`
	// Kwargs holds the run's creation parameters as the server stored them.
	// Beware: with custom auth they include the authenticated user.
	Kwargs json.RawMessage `json:"kwargs,omitzero"`
}

// check is the transport's Check of an answer that must be a run.
func (r *Run) check() string { return transport.Missing("run_id", r.RunID) }

// LangsmithTracer sends the run's trace to a LangSmith project.
type LangsmithTracer struct {
	// ProjectName is the LangSmith project.
	ProjectName string `json:"project_name,omitzero"`
	// ExampleID links the trace to a dataset example.
	ExampleID string `json:"example_id,omitzero"`
}

// CreateParams are the fields of a new run, for Create and Wait and their
// stateless forms (Stream takes StreamParams); all are optional. Input and
// Command are mutually exclusive.
type CreateParams struct {
	// Input is the graph's input, e.g. map[string]any{"messages": ...}.
	Input any `json:"input,omitzero"`
	// Command resumes, updates or redirects an interrupted thread.
	Command *langgraph.Command `json:"command,omitzero"`
	// Config is the run's configuration.
	Config *langgraph.Config `json:"config,omitzero"`
	// Context is the run's static context (LangGraph runtime context).
	Context any `json:"context,omitzero"`
	// Metadata is stored with the run.
	Metadata map[string]any `json:"metadata,omitzero"`
	// Checkpoint starts the run from that checkpoint.
	Checkpoint *langgraph.Checkpoint `json:"checkpoint,omitzero"`
	// CheckpointID starts the run from that checkpoint id.
	CheckpointID string `json:"checkpoint_id,omitzero"`
	// CheckpointDuring persists checkpoints while the run goes on (true) or
	// only when it ends (false).
	//
	// Deprecated: use Durability (true is DurabilityAsync, false
	// DurabilityExit), which servers read in its place.
	CheckpointDuring *bool `json:"checkpoint_during,omitzero"`
	// Durability says when checkpoints are persisted.
	Durability Durability `json:"durability,omitzero"`
	// InterruptBefore stops the run before these nodes (langgraph.AllNodes() for all).
	InterruptBefore langgraph.Nodes `json:"interrupt_before,omitzero"`
	// InterruptAfter stops the run after these nodes.
	InterruptAfter langgraph.Nodes `json:"interrupt_after,omitzero"`
	// Webhook is called when the run ends.
	Webhook string `json:"webhook,omitzero"`
	// MultitaskStrategy says what to do when the thread is busy.
	MultitaskStrategy MultitaskStrategy `json:"multitask_strategy,omitzero"`
	// IfNotExists says what to do when the thread does not exist.
	IfNotExists IfNotExists `json:"if_not_exists,omitzero"`
	// OnCompletion says what happens to a stateless run's thread.
	OnCompletion OnCompletion `json:"on_completion,omitzero"`
	// OnDisconnect says what happens to the run if the client that waits for
	// it (Wait) disconnects; Create does not wait, so it does not apply there.
	OnDisconnect DisconnectMode `json:"on_disconnect,omitzero"`
	// AfterSeconds delays the start of the run.
	AfterSeconds int `json:"after_seconds,omitzero"`
	// LangsmithTracer sends the trace to a LangSmith project.
	LangsmithTracer *LangsmithTracer `json:"langsmith_tracer,omitzero"`
	// StreamMode is what a stream of this run carries when it is joined
	// (JoinStream); default values.
	StreamMode []StreamMode `json:"stream_mode,omitzero"`
	// Subgraphs includes the events of subgraphs in that stream.
	Subgraphs bool `json:"stream_subgraphs,omitzero"`
	// StreamResumable keeps the run's events on the server so that its
	// stream can be joined from any event id (JoinStreamParams.LastEventID).
	StreamResumable bool `json:"stream_resumable,omitzero"`
	// FeedbackKeys asks for feedback URLs for these keys.
	FeedbackKeys []string `json:"feedback_keys,omitzero"`
	// OnRunCreated, when set, is called with the run's ids as soon as the
	// server has accepted the run, before the call returns (for Wait, while the
	// run is still going).
	OnRunCreated func(langgraph.RunRef) `json:"-"`
}

// Result is the outcome of a run that ended: its final state or the
// interrupts it stopped at.
type Result struct {
	// Values is the final state as JSON, without the __interrupt__ key; see
	// Decode and Messages. When the run stopped at an interrupt, the JS
	// server sends no state at all (Values is then {}): read it with the
	// thread's state.
	Values json.RawMessage
	// Interrupts are the interrupts the run stopped at; empty when it
	// finished, and also when it stopped at a breakpoint (InterruptBefore or
	// InterruptAfter), which carries no value.
	Interrupts []langgraph.Interrupt
	// Run identifies the run when the server said which it was.
	Run langgraph.RunRef

	stopped bool // the result had an __interrupt__ key
}

// Interrupted reports whether the run stopped at an interrupt or a
// breakpoint, waiting to be resumed.
func (r *Result) Interrupted() bool { return r.stopped || len(r.Interrupts) > 0 }

// Decode unmarshals the final state into v, e.g. a pointer to the graph's
// state type (see langgraph.DecodeAs).
func (r *Result) Decode(v any) error { return values.Decode(r.Values, v) }

// Messages returns the chat messages of the final state (its "messages"
// key; see langgraph.MessagesOf).
func (r *Result) Messages() ([]langgraph.Message, error) { return langgraph.MessagesOf(r.Values) }
