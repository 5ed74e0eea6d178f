package threads

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/protocol"
)

// Channel names a kind of event of a thread's stream (see Session).
type Channel string

// Channels of the thread stream protocol.
const (
	// ChannelLifecycle: a graph or subgraph started, runs, completed,
	// failed or was interrupted (Event.Lifecycle).
	ChannelLifecycle Channel = "lifecycle"
	// ChannelInput: a run asks for input, at an interrupt (Event.Input).
	ChannelInput Channel = "input"
	// ChannelValues: the whole state after each step (Event.Data).
	ChannelValues Channel = "values"
	// ChannelUpdates: what one node returned (Event.Node, Event.Data).
	ChannelUpdates Channel = "updates"
	// ChannelMessages: chat messages as content-block deltas
	// (Event.Message, Event.TextDelta).
	ChannelMessages Channel = "messages"
	// ChannelTools: tool calls starting, streaming, finishing (Event.Tool).
	ChannelTools Channel = "tools"
	// ChannelCustom: what nodes write to the custom stream (Event.Custom);
	// as a filter it also matches the named custom channels.
	ChannelCustom Channel = "custom"
	// ChannelCheckpoints: a checkpoint was written (Event.Checkpoint).
	ChannelCheckpoints Channel = "checkpoints"
	// ChannelTasks: a task started or finished (Event.Task).
	ChannelTasks Channel = "tasks"
)

// CustomChannel returns the channel of the custom events named name
// ("custom:<name>"): those whose payload has a "name" field.
func CustomChannel(name string) Channel { return Channel("custom:" + name) }

// Event is one event of a thread's stream. Data and Raw are always set; the
// field of the event's channel (Lifecycle, Message, ...) is set when the
// data has the shape the protocol defines, and nil otherwise. Events of
// channels this SDK does not know pass through with only the common fields.
// Slices and raw JSON are shared with every consumer of the event: do not
// modify them.
type Event struct {
	// Seq is the server's sequence number of the event (per thread, on the
	// server process; it starts again at 1 after a server restart or a
	// WebSocket reconnect).
	Seq int64
	// ID is the event id the server sent (the SSE id).
	ID string
	// Method is the event's method, e.g. "input.requested".
	Method string
	// Channel is the event's channel ("input" for input.requested,
	// "custom:<name>" for a named custom event); the method when the SDK
	// does not know it.
	Channel Channel
	// Namespace is the path of the subgraph or node that produced the event,
	// e.g. ["child:1f0c2a7e-..."]; empty for the root graph. Nodes that call
	// a chat model have their own namespace ("agent:<task id>").
	Namespace []string
	// Time is the server's time of the event.
	Time time.Time
	// Node is the node an updates event is about.
	Node string
	// Data is the event's data as sent.
	Data json.RawMessage
	// Raw is the whole event envelope as sent.
	Raw json.RawMessage

	// TextDelta is the text a messages event adds to a message: the text of a
	// "text-delta" content-block delta; "" for every other event.
	TextDelta string

	// Lifecycle is the data of a lifecycle event.
	Lifecycle *Lifecycle
	// Message is the data of a messages event.
	Message *MessageEvent
	// Tool is the data of a tools event.
	Tool *ToolEvent
	// Input is the data of an input.requested event (an interrupt).
	Input *InputRequest
	// Checkpoint is the data of a checkpoints event.
	Checkpoint *CheckpointEvent
	// Task is the data of a tasks event.
	Task *TaskEvent
	// Custom is the data of a custom event.
	Custom *CustomEvent
}

// IsRoot reports whether the event comes from the root graph.
func (e Event) IsRoot() bool { return len(e.Namespace) == 0 }

// Decode unmarshals the event's data into v, e.g. a values event into the
// graph's state type.
func (e Event) Decode(v any) error {
	if len(bytes.TrimSpace(e.Data)) == 0 {
		return fmt.Errorf("langgraph: %s event %s has no data", e.Method, e.ID)
	}
	if err := json.Unmarshal(e.Data, v); err != nil {
		return fmt.Errorf("langgraph: decoding %s event %s: %w", e.Method, e.ID, err)
	}
	return nil
}

// LifecycleStatus is the status a lifecycle event reports.
type LifecycleStatus string

// Lifecycle statuses. A run ends with the root graph's completed, failed or
// interrupted; subgraphs and nodes report started and completed.
const (
	LifecycleStarted     LifecycleStatus = "started"
	LifecycleRunning     LifecycleStatus = "running"
	LifecycleCompleted   LifecycleStatus = "completed"
	LifecycleFailed      LifecycleStatus = "failed"
	LifecycleInterrupted LifecycleStatus = "interrupted"
)

// Terminal reports whether the status ends a run (completed, failed,
// interrupted).
func (s LifecycleStatus) Terminal() bool { return protocol.Terminal(string(s)) }

// Lifecycle is the data of a lifecycle event.
type Lifecycle struct {
	// Status is what happened.
	Status LifecycleStatus `json:"event"`
	// GraphName is the graph's id for the root, the node's or subgraph's
	// name otherwise.
	GraphName string `json:"graph_name,omitzero"`
	// Error is a failure's error as sent (the JS server sends a JSON string
	// holding {"error": name, "message": text}); see Err.
	Error string `json:"error,omitzero"`
}

// Err returns the *langgraph.RunError of a failed status, nil otherwise.
func (l *Lifecycle) Err() *langgraph.RunError {
	if l == nil || l.Status != LifecycleFailed {
		return nil
	}
	if l.Error == "" {
		return &langgraph.RunError{Message: "the run failed"}
	}
	e := &langgraph.RunError{}
	if json.Unmarshal([]byte(l.Error), e) != nil || e.Message == "" && e.Name == "" {
		return &langgraph.RunError{Message: l.Error}
	}
	return e
}

// Kinds of messages events (MessageEvent.Event), in the order a message
// streams: message-start, then per content block a start, deltas and a
// finish, then message-finish; error on a failed model call.
const (
	MessageStart       = "message-start"
	ContentBlockStart  = "content-block-start"
	ContentBlockDelta  = "content-block-delta"
	ContentBlockFinish = "content-block-finish"
	MessageFinish      = "message-finish"
	MessageError       = "error"
)

// MessageEvent is the data of a messages event.
type MessageEvent struct {
	// Event is the kind of event (MessageStart, ContentBlockDelta, ...).
	Event string `json:"event"`
	// ID is the message's id (message-start).
	ID string `json:"id,omitzero"`
	// Role is the author's role (message-start), when the server sends it.
	Role string `json:"role,omitzero"`
	// RunID is the model call's run id (not the graph run's).
	RunID string `json:"run_id,omitzero"`
	// Index is the content block's position in the message.
	Index int `json:"index"`
	// Content is the block a content-block-start opens or a
	// content-block-finish completes.
	Content *ContentBlock `json:"content,omitzero"`
	// Delta is a content-block-delta's change.
	Delta *ContentDelta `json:"delta,omitzero"`
	// Reason is why the message finished (message-finish), e.g. "stop".
	Reason string `json:"reason,omitzero"`
	// Usage is the token usage (message-finish), as sent.
	Usage json.RawMessage `json:"usage,omitzero"`
	// Message and Code describe an error event.
	Message string `json:"message,omitzero"`
	// Code is an error event's code.
	Code string `json:"code,omitzero"`
}

// ContentBlock is a content block of a message: text, reasoning, a tool
// call, data, ... Raw holds every field.
type ContentBlock struct {
	// Type is the block's type: "text", "reasoning", "tool_call", ...
	Type string `json:"type"`
	// Text is a text block's text.
	Text string `json:"text,omitzero"`
	// Reasoning is a reasoning block's text.
	Reasoning string `json:"reasoning,omitzero"`
	// ID, Name and Args describe a tool call block.
	ID string `json:"id,omitzero"`
	// Name is a tool call's tool.
	Name string `json:"name,omitzero"`
	// Args are a tool call's arguments (an object, or a string while it
	// streams).
	Args json.RawMessage `json:"args,omitzero"`
	// Raw is the whole block.
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes a block and keeps it whole in Raw.
func (b *ContentBlock) UnmarshalJSON(data []byte) error {
	type plain ContentBlock
	if err := json.Unmarshal(data, (*plain)(b)); err != nil {
		return err
	}
	b.Raw = append(json.RawMessage(nil), data...)
	return nil
}

// ContentDelta is the change a content-block-delta makes to its block.
type ContentDelta struct {
	// Type is "text-delta", "reasoning-delta", "data-delta",
	// "tool-call-delta" or "block-delta"; skip types you do not know.
	Type string `json:"type"`
	// Text is appended to a text block (text-delta).
	Text string `json:"text,omitzero"`
	// Reasoning is appended to a reasoning block (reasoning-delta).
	Reasoning string `json:"reasoning,omitzero"`
	// Data is appended to a data block, base64 (data-delta).
	Data string `json:"data,omitzero"`
	// Args is appended to a tool call's arguments (tool-call-delta).
	Args string `json:"args,omitzero"`
	// Fields are merged into the block (block-delta).
	Fields json.RawMessage `json:"fields,omitzero"`
}

// Kinds of tools events (ToolEvent.Event).
const (
	ToolStarted     = "tool-started"
	ToolOutputDelta = "tool-output-delta"
	ToolFinished    = "tool-finished"
	ToolError       = "tool-error"
)

// ToolEvent is the data of a tools event.
type ToolEvent struct {
	// Event is the kind of event (ToolStarted, ...).
	Event string `json:"event"`
	// ToolCallID is the call's id.
	ToolCallID string `json:"tool_call_id"`
	// ToolName is the tool (tool-started).
	ToolName string `json:"tool_name,omitzero"`
	// Input holds the arguments (tool-started).
	Input json.RawMessage `json:"input,omitzero"`
	// Delta is a piece of streamed output (tool-output-delta).
	Delta string `json:"delta,omitzero"`
	// Output is the result (tool-finished).
	Output json.RawMessage `json:"output,omitzero"`
	// Message and Code describe a failure (tool-error).
	Message string `json:"message,omitzero"`
	// Code is a failure's code.
	Code string `json:"code,omitzero"`
}

// InputRequest is an interrupt: a run asks for input. Answer it with
// Session.Respond.
type InputRequest struct {
	// InterruptID identifies the interrupt.
	InterruptID string `json:"interrupt_id"`
	// Payload is the value the node passed to interrupt().
	Payload json.RawMessage `json:"payload,omitzero"`
	// Namespace is where the interrupt was raised; empty for the root graph.
	Namespace []string `json:"namespace,omitzero"`
}

// Decode unmarshals the payload into v.
func (r InputRequest) Decode(v any) error {
	if len(r.Payload) == 0 {
		return fmt.Errorf("langgraph: interrupt %q has no payload", r.InterruptID)
	}
	return json.Unmarshal(r.Payload, v)
}

// CheckpointEvent is the data of a checkpoints event.
type CheckpointEvent struct {
	// ID is the checkpoint's id.
	ID string `json:"id"`
	// ParentID is the previous checkpoint's id.
	ParentID string `json:"parent_id,omitzero"`
	// Step is the superstep.
	Step int `json:"step"`
	// Source is "input", "loop", "update" or "fork".
	Source string `json:"source,omitzero"`
}

// TaskEvent is the data of a tasks event: a task starting (Input,
// Triggers) or its result (Result, Interrupts, Error).
type TaskEvent struct {
	// ID is the task's id.
	ID string `json:"id"`
	// Name is the node's name.
	Name string `json:"name"`
	// Input is what the task got (start).
	Input json.RawMessage `json:"input,omitzero"`
	// Triggers are the channels that triggered it (start).
	Triggers []string `json:"triggers,omitzero"`
	// Result is what the task wrote (result).
	Result json.RawMessage `json:"result,omitzero"`
	// Interrupts are the interrupts the task raised (result).
	Interrupts []langgraph.Interrupt `json:"interrupts,omitzero"`
	// Error is the task's error, if it failed (result).
	Error *TaskError `json:"error,omitzero"`
	// Metadata is a starting task's metadata (run_id, graph_id, ...).
	Metadata json.RawMessage `json:"metadata,omitzero"`
}

// TaskError is the error of a failed task.
type TaskError struct {
	// Name is the error's type, e.g. "ValueError".
	Name string `json:"name,omitzero"`
	// Message is the error's message.
	Message string `json:"message,omitzero"`
}

// CustomEvent is the data of a custom event.
type CustomEvent struct {
	// Name is the channel name of a named custom event ("" otherwise).
	Name string
	// Payload is what the node wrote.
	Payload json.RawMessage

	named bool
}

// Decode unmarshals the payload into v.
func (c *CustomEvent) Decode(v any) error { return json.Unmarshal(c.Payload, v) }

// newEvent builds the typed event of a protocol event.
func newEvent(pe *protocol.Event) Event {
	e := Event{
		Seq: pe.Seq, ID: pe.ID, Method: pe.Method, Channel: Channel(pe.Method), Namespace: pe.Namespace,
		Node: pe.Node, Data: pe.Data, Raw: pe.Raw,
	}
	if pe.Timestamp > 0 {
		e.Time = time.UnixMilli(pe.Timestamp)
	}
	switch pe.Method {
	case "lifecycle":
		e.Lifecycle = decodeAs[Lifecycle](pe.Data)
	case "messages":
		if m := decodeAs[MessageEvent](pe.Data); m != nil {
			e.Message = m
			if m.Event == ContentBlockDelta && m.Delta != nil && m.Delta.Type == "text-delta" {
				e.TextDelta = m.Delta.Text
			}
		}
	case "tools":
		e.Tool = decodeAs[ToolEvent](pe.Data)
	case "input.requested", "input", "input.answered":
		e.Channel = ChannelInput
		if in := decodeAs[InputRequest](pe.Data); in != nil && in.InterruptID != "" && pe.Method != "input.answered" {
			in.Namespace = pe.Namespace
			e.Input = in
		}
	case "checkpoints":
		e.Checkpoint = decodeAs[CheckpointEvent](pe.Data)
	case "tasks":
		e.Task = decodeAs[TaskEvent](pe.Data)
	case "custom":
		e.Custom = customOf(pe.Data)
		if e.Custom.named {
			e.Channel = CustomChannel(e.Custom.Name)
		}
	}
	return e
}

// decodeAs decodes data leniently: nil when it is not an object of that
// shape.
func decodeAs[T any](data json.RawMessage) *T {
	d := bytes.TrimSpace(data)
	if len(d) == 0 || d[0] != '{' {
		return nil
	}
	v := new(T)
	if json.Unmarshal(d, v) != nil {
		return nil
	}
	return v
}

// customOf reads a custom event: {"payload": x} for the plain custom
// stream; a payload with a "name" field is sent as is, on custom:<name>.
func customOf(data json.RawMessage) *CustomEvent {
	var d struct {
		Name    json.RawMessage `json:"name"`
		Payload json.RawMessage `json:"payload"`
	}
	if t := bytes.TrimSpace(data); len(t) == 0 || t[0] != '{' || json.Unmarshal(t, &d) != nil {
		return &CustomEvent{Payload: data}
	}
	if len(d.Name) > 0 && string(d.Name) != "null" {
		c := &CustomEvent{Payload: data, named: true}
		if json.Unmarshal(d.Name, &c.Name) != nil {
			c.Name = string(d.Name) // the server prints a number or a boolean as is
		}
		return c
	}
	if d.Payload != nil {
		return &CustomEvent{Payload: d.Payload}
	}
	return &CustomEvent{Payload: data}
}
