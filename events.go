package langgraph

import (
	"encoding/json"
	"fmt"
	"time"
)

// This file holds the data of the stream events that report a run's
// progress: tasks, checkpoints, debug, events (LangChain callbacks) and
// tools, and the StreamPart methods that decode them.

// TaskEvent is the data of a "tasks" event, and the payload of a debug event
// of type task or task_result: a task (one node's run in a step) that starts,
// or its result. A start has Input and Triggers; a result has Result, and
// Error when the task failed.
type TaskEvent struct {
	// ID is the task's id.
	ID string `json:"id"`
	// Name is the node's name.
	Name string `json:"name"`
	// Input is the node's input, for a start.
	Input json.RawMessage `json:"input,omitzero"`
	// Triggers are the channels that triggered the node, for a start.
	Triggers []string `json:"triggers,omitzero"`
	// Metadata is the run's metadata, for a start (JS server).
	Metadata map[string]any `json:"metadata,omitzero"`
	// Result is what the task wrote, for a result: an object by channel (JS
	// server) or a list of [channel, value] pairs (Python server).
	Result json.RawMessage `json:"result,omitzero"`
	// Error is the task's error, for a result of a task that failed; nil
	// otherwise.
	Error *TaskError `json:"error,omitzero"`
	// Interrupts are the interrupts the task raised.
	Interrupts []Interrupt `json:"interrupts"`
}

// IsResult reports whether the event is a task's result rather than its
// start.
func (t TaskEvent) IsResult() bool { return t.Input == nil && t.Triggers == nil }

// TaskError is the error a task raised, as tasks, debug and checkpoints
// events report it.
type TaskError struct {
	// Name is the error's type, e.g. "CustomError"; empty when the server
	// sent only a message.
	Name string `json:"name,omitzero"`
	// Message is the error's message (from the Python server, the error's
	// repr, e.g. "ValueError('boom')").
	Message string `json:"message"`
}

// Error reports the error's name and message.
func (e *TaskError) Error() string {
	if e.Name == "" {
		return "langgraph: task failed: " + e.Message
	}
	return "langgraph: task failed: " + e.Name + ": " + e.Message
}

// UnmarshalJSON reads {"name", "message"} (JS server), a string (Python
// server), or a string that holds that object as JSON. Any other JSON value
// becomes the message as it is.
func (e *TaskError) UnmarshalJSON(b []byte) error {
	type plain TaskError
	var v plain
	var s string
	if json.Unmarshal(b, &s) != nil {
		if json.Unmarshal(b, &v) != nil {
			v = plain{Message: string(b)}
		}
		*e = TaskError(v)
		return nil
	}
	if len(s) > 0 && s[0] == '{' && json.Unmarshal([]byte(s), &v) == nil && v.Message != "" {
		*e = TaskError(v)
		return nil
	}
	*e = TaskError{Message: s}
	return nil
}

// CheckpointEvent is the data of a "checkpoints" event, and the payload of a
// debug event of type checkpoint: a checkpoint the run saved. The JS server
// sends Values, Metadata and Next in checkpoints events, and all fields in
// debug events.
type CheckpointEvent struct {
	// Values is the state at the checkpoint, as JSON.
	Values json.RawMessage `json:"values"`
	// Metadata is the checkpoint's metadata (source, step, parents, ...).
	Metadata map[string]any `json:"metadata"`
	// Next names the nodes that run next; empty at the end of the run.
	Next []string `json:"next"`
	// Config is the config of the checkpoint (it holds the thread and
	// checkpoint ids in Configurable). Beware: with custom auth it holds the
	// authenticated user.
	Config *Config `json:"config,omitzero"`
	// ParentConfig is the config of the previous checkpoint; nil for the
	// first.
	ParentConfig *Config `json:"parent_config,omitzero"`
	// Checkpoint identifies the checkpoint.
	Checkpoint *Checkpoint `json:"checkpoint,omitzero"`
	// ParentCheckpoint identifies the previous checkpoint; nil for the
	// first.
	ParentCheckpoint *Checkpoint `json:"parent_checkpoint,omitzero"`
	// Tasks are the tasks of the next step.
	Tasks []CheckpointTask `json:"tasks,omitzero"`
}

// CheckpointTask is a task of the step after a checkpoint.
type CheckpointTask struct {
	// ID is the task's id.
	ID string `json:"id"`
	// Name is the node's name.
	Name string `json:"name"`
	// Path is the task's path in the step, e.g. ["__pregel_pull", "agent"];
	// tasks started with Send have numbers (float64) and lists in it.
	Path []any `json:"path,omitzero"`
	// Interrupts are the interrupts the task raised.
	Interrupts []Interrupt `json:"interrupts"`
	// Error is the task's error, if it failed.
	Error *TaskError `json:"error,omitzero"`
	// Checkpoint is the subgraph's checkpoint, for a task that runs a
	// subgraph (its CheckpointID is empty before the subgraph ran).
	Checkpoint *Checkpoint `json:"checkpoint,omitzero"`
	// State is the subgraph's state or config, for a task that runs a
	// subgraph.
	State json.RawMessage `json:"state,omitzero"`
	// Result is the task's output, once it finished.
	Result json.RawMessage `json:"result,omitzero"`
}

// DebugType is the type of a debug event.
type DebugType string

// Debug event types.
const (
	DebugCheckpoint DebugType = "checkpoint"  // a checkpoint was saved: DebugEvent.Checkpoint
	DebugTask       DebugType = "task"        // a task starts: DebugEvent.Task
	DebugTaskResult DebugType = "task_result" // a task ended: DebugEvent.Task
)

// DebugEvent is the data of a "debug" event: a checkpoint, a task start or a
// task result, with the step and the time.
type DebugEvent struct {
	// Type says what Payload holds.
	Type DebugType `json:"type"`
	// Step is the superstep (-1 for the input checkpoint).
	Step int `json:"step"`
	// Timestamp is when it happened.
	Timestamp time.Time `json:"timestamp"`
	// Payload is the checkpoint or task, as JSON; see Checkpoint and Task.
	Payload json.RawMessage `json:"payload"`
}

// Checkpoint decodes the payload of a debug event of type checkpoint.
func (d DebugEvent) Checkpoint() (CheckpointEvent, error) {
	var c CheckpointEvent
	if d.Type != DebugCheckpoint {
		return c, fmt.Errorf("langgraph: a debug event of type %q holds no checkpoint", d.Type)
	}
	if err := json.Unmarshal(d.Payload, &c); err != nil {
		return CheckpointEvent{}, fmt.Errorf("langgraph: decoding the checkpoint of a debug event: %w", err)
	}
	return c, nil
}

// Task decodes the payload of a debug event of type task or task_result.
func (d DebugEvent) Task() (TaskEvent, error) {
	var t TaskEvent
	if d.Type != DebugTask && d.Type != DebugTaskResult {
		return t, fmt.Errorf("langgraph: a debug event of type %q holds no task", d.Type)
	}
	if err := json.Unmarshal(d.Payload, &t); err != nil {
		return TaskEvent{}, fmt.Errorf("langgraph: decoding the task of a debug event: %w", err)
	}
	return t, nil
}

// CallbackEvent is the data of an "events" event (stream mode events): a
// LangChain callback event, as LangChain's astream_events (version 2) and
// streamEvents produce them.
type CallbackEvent struct {
	// Event names what happened: "on_<what>_<stage>", e.g.
	// "on_chain_start", "on_chat_model_stream", "on_tool_end"; what is
	// chain, chat_model, llm, tool, retriever, prompt or custom, the stage
	// start, stream or end.
	Event string `json:"event"`
	// Name is the name of the runnable (the graph, a node, a model, a tool).
	Name string `json:"name"`
	// RunID is the id of the runnable's run (not the LangGraph run, except
	// for the graph itself).
	RunID string `json:"run_id"`
	// ParentIDs are the run ids of the runnable's parents, root first
	// (Python server).
	ParentIDs []string `json:"parent_ids,omitzero"`
	// Tags are the runnable's tags.
	Tags []string `json:"tags"`
	// Metadata is the runnable's metadata (the run's, plus langgraph_node,
	// langgraph_step, ... for the runnables inside a node).
	Metadata map[string]any `json:"metadata"`
	// Data is what the event carries.
	Data CallbackData `json:"data"`
}

// CallbackData is what a callback event carries, as JSON: Input for start
// events (and end events, with Output), Chunk for stream events (for a chat
// model, a message chunk: decode it into a Message), Error for error events
// (e.g. "on_tool_error").
type CallbackData struct {
	// Input is the runnable's input.
	Input json.RawMessage `json:"input,omitzero"`
	// Output is the runnable's output, for end events.
	Output json.RawMessage `json:"output,omitzero"`
	// Chunk is one streamed piece of output, for stream events.
	Chunk json.RawMessage `json:"chunk,omitzero"`
	// Error is the error, for error events: the JS server sends the error's
	// message and stack trace as a string.
	Error json.RawMessage `json:"error,omitzero"`
}

// ToolEvent is the data of a "tools" event (stream mode tools, JS server):
// a tool call that starts, streams a chunk, ends or fails.
type ToolEvent struct {
	// Event is "on_tool_start" (with Input), "on_tool_event" (with Data, a
	// chunk the tool streamed), "on_tool_end" (with Output, usually a tool
	// message) or "on_tool_error" (with Error).
	Event string `json:"event"`
	// ToolCallID is the id of the tool call, when the tool was invoked with
	// one (ToolCall.ID).
	ToolCallID string `json:"toolCallId,omitzero"`
	// Name is the tool's name.
	Name string `json:"name"`
	// Input is the tool's input.
	Input json.RawMessage `json:"input,omitzero"`
	// Data is a chunk the tool streamed.
	Data json.RawMessage `json:"data,omitzero"`
	// Output is the tool's result.
	Output json.RawMessage `json:"output,omitzero"`
	// Error is the error the tool raised, as the server serialized it (the
	// JS server sends an Error object as {}).
	Error json.RawMessage `json:"error,omitzero"`
}

// Task decodes a "tasks" event: a task that starts or its result.
func (p StreamPart) Task() (TaskEvent, error) {
	var t TaskEvent
	err := p.decodeAs(EventTasks, &t)
	return t, err
}

// Checkpoint decodes a "checkpoints" event.
func (p StreamPart) Checkpoint() (CheckpointEvent, error) {
	var c CheckpointEvent
	err := p.decodeAs(EventCheckpoints, &c)
	return c, err
}

// Debug decodes a "debug" event; its Checkpoint and Task methods decode its
// payload.
func (p StreamPart) Debug() (DebugEvent, error) {
	var d DebugEvent
	err := p.decodeAs(EventDebug, &d)
	return d, err
}

// CallbackEvent decodes an "events" event: a LangChain callback event.
func (p StreamPart) CallbackEvent() (CallbackEvent, error) {
	var e CallbackEvent
	err := p.decodeAs(EventEvents, &e)
	return e, err
}

// Tool decodes a "tools" event.
func (p StreamPart) Tool() (ToolEvent, error) {
	var t ToolEvent
	err := p.decodeAs(EventTools, &t)
	return t, err
}
