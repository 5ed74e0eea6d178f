package langgraph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// StreamPart is one event of a run's stream (Runs.Stream, Runs.JoinStream,
// Threads.JoinStream).
//
// The server names each event after the stream mode that produced it:
// "values", "updates", "custom", "debug", "tasks", "checkpoints", "events",
// "messages" (mode messages-tuple), "messages/partial", "messages/complete"
// and "messages/metadata" (mode messages); plus "metadata" (the first event,
// with the run id), "error", "feedback" and, from the Python server, "end".
// Events of subgraphs (with StreamSubgraphs) are named
// "<mode>|<node>:<task_id>[|...]": Mode then holds the mode and Namespace
// the path of the subgraph.
type StreamPart struct {
	// Event is the raw SSE event name, e.g. "updates|child:1f0c2a7e-...".
	Event string
	// Mode is the event name up to its first "|", e.g. "updates".
	Mode string
	// Namespace is the rest of the event name split on "|", e.g.
	// ["child:1f0c2a7e-..."]; nil for events of the root graph.
	Namespace []string
	// Data is the event's data, normally JSON.
	Data json.RawMessage
	// ID is the event id (the SSE last event id in effect), from which a
	// resumable run's stream can be joined again; empty when the server sent
	// none (stateless runs).
	ID string
}

// Event names (StreamPart.Mode) that are not stream modes.
const (
	// EventMetadata is the first event of a run's stream: {"run_id", "attempt"}.
	EventMetadata = "metadata"
	// EventError reports that the run failed; the stream ends after it.
	EventError = "error"
	// EventEnd marks the end of the stream (Python server only).
	EventEnd = "end"
)

// NewStreamPart builds the StreamPart of an SSE event: it splits event into
// Mode and Namespace.
func NewStreamPart(event string, data []byte, id string) StreamPart {
	p := StreamPart{Event: event, Mode: event, Data: data, ID: id}
	if i := strings.IndexByte(event, '|'); i >= 0 {
		p.Mode = event[:i]
		p.Namespace = strings.Split(event[i+1:], "|")
	}
	return p
}

// Decode unmarshals the event's data into v, e.g. a custom event into the
// type the node wrote, or a values event into the graph's state type.
func (p StreamPart) Decode(v any) error {
	if len(bytes.TrimSpace(p.Data)) == 0 {
		return fmt.Errorf("langgraph: %q event has no data", p.Event)
	}
	if err := json.Unmarshal(p.Data, v); err != nil {
		return fmt.Errorf("langgraph: decoding a %q event: %w", p.Event, err)
	}
	return nil
}

func (p StreamPart) want(modes ...string) error {
	for _, m := range modes {
		if p.Mode == m {
			return nil
		}
	}
	return fmt.Errorf("langgraph: %q is not a %s event", p.Event, strings.Join(modes, " or "))
}

// IsEnd reports whether this is the "end" event that closes a stream on the
// Python server.
func (p StreamPart) IsEnd() bool { return p.Mode == EventEnd }

// StreamMetadata is the data of a "metadata" event.
type StreamMetadata struct {
	// RunID is the run's id.
	RunID string `json:"run_id"`
	// Attempt counts the server's attempts at the run, from 1.
	Attempt int `json:"attempt,omitzero"`
}

// Metadata decodes a "metadata" event.
func (p StreamPart) Metadata() (StreamMetadata, error) {
	var m StreamMetadata
	if err := p.want(EventMetadata); err != nil {
		return m, err
	}
	err := p.Decode(&m)
	return m, err
}

// Err returns the *RunError carried by an "error" event, and nil for any
// other event. The stream itself yields that error with the part, with the
// run's ids filled in.
func (p StreamPart) Err() error {
	if p.Mode != EventError {
		return nil
	}
	return DecodeRunError(p.Data)
}

// DecodeRunError decodes the error reported by the server for a failed run:
// the data of an "error" event or the __error__ value of a wait. It accepts
// {"error": name, "message": text}, a bare JSON string, and the JS server's
// form that nests the node's error as JSON inside the message.
func DecodeRunError(raw []byte) *RunError {
	e := &RunError{}
	raw = bytes.TrimSpace(raw)
	if err := json.Unmarshal(raw, e); err != nil {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			e.Message = s
		} else {
			e.Message = string(raw)
		}
		return e
	}
	var inner struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	if len(e.Message) > 0 && e.Message[0] == '{' && json.Unmarshal([]byte(e.Message), &inner) == nil && inner.Error != "" {
		e.Name, e.Message = inner.Error, inner.Message
	}
	return e
}

// Values decodes a "values" event: the whole state after a step, as JSON
// without the __interrupt__ key, and the interrupts the run stopped at (the
// server sends them as the state's __interrupt__ key). A breakpoint stop
// carries no interrupts: Interrupted tells it from a step that did not stop.
func (p StreamPart) Values() (values json.RawMessage, interrupts []Interrupt, err error) {
	if err := p.want("values"); err != nil {
		return nil, nil, err
	}
	return splitInterrupts(p)
}

// Updates decodes an "updates" event: the update each node returned, by
// node name, and the interrupts raised in the step (the server sends them as
// a pseudo-node "__interrupt__", which is removed from the map; see
// Interrupted for breakpoints, which carry none).
func (p StreamPart) Updates() (nodes map[string]json.RawMessage, interrupts []Interrupt, err error) {
	if err := p.want("updates"); err != nil {
		return nil, nil, err
	}
	if err := p.Decode(&nodes); err != nil {
		return nil, nil, err
	}
	if raw, ok := nodes["__interrupt__"]; ok {
		delete(nodes, "__interrupt__")
		if err := json.Unmarshal(raw, &interrupts); err != nil {
			return nil, nil, fmt.Errorf("langgraph: decoding the interrupts of an %q event: %w", p.Event, err)
		}
	}
	return nodes, interrupts, nil
}

// Interrupted reports whether this is a "values" or "updates" event of a run
// that stopped, waiting to be resumed: at an interrupt, or at a breakpoint
// (InterruptBefore or InterruptAfter), whose event carries an empty
// __interrupt__ list and so no Interrupts. It is false for every other event,
// and for data that is not a JSON object.
func (p StreamPart) Interrupted() bool {
	if p.Mode != "values" && p.Mode != "updates" {
		return false
	}
	data := bytes.TrimSpace(p.Data)
	if len(data) == 0 || data[0] != '{' || !bytes.Contains(data, []byte(`"__interrupt__"`)) {
		return false
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return false
	}
	_, ok := top["__interrupt__"]
	return ok
}

// Interrupts returns the interrupts carried by a "values" or "updates"
// event, or nil. A breakpoint carries none: see Interrupted.
func (p StreamPart) Interrupts() ([]Interrupt, error) {
	switch p.Mode {
	case "values":
		_, in, err := p.Values()
		return in, err
	case "updates":
		_, in, err := p.Updates()
		return in, err
	}
	return nil, p.want("values", "updates")
}

// splitInterrupts removes __interrupt__ from a JSON object.
func splitInterrupts(p StreamPart) (json.RawMessage, []Interrupt, error) {
	data := bytes.TrimSpace(p.Data)
	if len(data) == 0 || data[0] != '{' || !bytes.Contains(data, []byte(`"__interrupt__"`)) {
		if len(data) == 0 {
			return nil, nil, p.Decode(new(any))
		}
		return p.Data, nil, nil
	}
	var top map[string]json.RawMessage
	if err := p.Decode(&top); err != nil {
		return nil, nil, err
	}
	raw, ok := top["__interrupt__"]
	if !ok {
		return p.Data, nil, nil
	}
	var in []Interrupt
	if err := json.Unmarshal(raw, &in); err != nil {
		return nil, nil, fmt.Errorf("langgraph: decoding the interrupts of a %q event: %w", p.Event, err)
	}
	delete(top, "__interrupt__")
	values, err := json.Marshal(top)
	if err != nil {
		return nil, nil, err
	}
	return values, in, nil
}

// Message is a chat message as LangChain serializes it in streams and state.
type Message struct {
	// Type is the message type: "human", "ai", "tool", "system", or a chunk
	// type such as "AIMessageChunk".
	Type string `json:"type"`
	// ID is the message id; the chunks of one streamed message share it.
	ID string `json:"id,omitzero"`
	// Content is a JSON string or a list of content blocks; see Text.
	Content json.RawMessage `json:"content"`
	// Name is the optional name of the author.
	Name string `json:"name,omitzero"`
	// ToolCalls are the tools an AI message asks to call.
	ToolCalls []ToolCall `json:"tool_calls,omitzero"`
	// ToolCallID is the call a tool message answers.
	ToolCallID string `json:"tool_call_id,omitzero"`
	// Raw is the whole message as received, with the fields not listed here
	// (additional_kwargs, response_metadata, usage_metadata, ...).
	Raw json.RawMessage `json:"-"`
}

// ToolCall is one tool call of an AI message.
type ToolCall struct {
	// ID identifies the call.
	ID string `json:"id,omitzero"`
	// Name is the tool's name.
	Name string `json:"name"`
	// Args are the call's arguments as a JSON object.
	Args json.RawMessage `json:"args,omitzero"`
}

// UnmarshalJSON decodes a message and keeps it whole in Raw.
func (m *Message) UnmarshalJSON(b []byte) error {
	type plain Message
	var v plain
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*m = Message(v)
	m.Raw = append(json.RawMessage(nil), b...)
	return nil
}

// Text returns the message's text: the content when it is a string, else
// the concatenated "text" of its content blocks.
func (m Message) Text() string {
	var s string
	if json.Unmarshal(m.Content, &s) == nil {
		return s
	}
	var blocks []json.RawMessage
	if json.Unmarshal(m.Content, &blocks) != nil {
		return ""
	}
	var b strings.Builder
	for _, raw := range blocks {
		var text string
		var block struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}
		switch {
		case json.Unmarshal(raw, &text) == nil:
			b.WriteString(text)
		case json.Unmarshal(raw, &block) == nil && (block.Type == "" || block.Type == "text"):
			b.WriteString(block.Text)
		}
	}
	return b.String()
}

// MessageMetadata describes where a streamed message chunk comes from (the
// second element of a "messages" event, and the values of a
// "messages/metadata" event).
type MessageMetadata struct {
	// Node is the graph node that called the model (langgraph_node).
	Node string `json:"langgraph_node,omitzero"`
	// Step is the superstep (langgraph_step).
	Step int `json:"langgraph_step,omitzero"`
	// Triggers are the channels that triggered the node (langgraph_triggers).
	Triggers []string `json:"langgraph_triggers,omitzero"`
	// CheckpointNS is the checkpoint namespace of the node's task.
	CheckpointNS string `json:"langgraph_checkpoint_ns,omitzero"`
	// Tags are the model call's tags.
	Tags []string `json:"tags,omitzero"`
	// RunID and ThreadID identify the run, when the server includes them.
	RunID string `json:"run_id,omitzero"`
	// ThreadID is the run's thread.
	ThreadID string `json:"thread_id,omitzero"`
	// Raw is the whole metadata object (it also holds the assistant, graph
	// and configurable values of the run).
	Raw json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the metadata and keeps it whole in Raw.
func (m *MessageMetadata) UnmarshalJSON(b []byte) error {
	type plain MessageMetadata
	var v plain
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*m = MessageMetadata(v)
	m.Raw = append(json.RawMessage(nil), b...)
	return nil
}

// MessageChunk decodes a "messages" event (stream mode messages-tuple): one
// chunk of a message being generated (for a model that streams tokens, a
// few characters) and the metadata of the model call.
func (p StreamPart) MessageChunk() (Message, MessageMetadata, error) {
	var tuple []json.RawMessage
	if err := p.want("messages"); err != nil {
		return Message{}, MessageMetadata{}, err
	}
	if err := p.Decode(&tuple); err != nil {
		return Message{}, MessageMetadata{}, err
	}
	if len(tuple) != 2 {
		return Message{}, MessageMetadata{}, fmt.Errorf("langgraph: %q event holds %d elements, want [message, metadata]", p.Event, len(tuple))
	}
	var m Message
	var md MessageMetadata
	if err := json.Unmarshal(tuple[0], &m); err != nil {
		return Message{}, MessageMetadata{}, fmt.Errorf("langgraph: decoding the message of a %q event: %w", p.Event, err)
	}
	if err := json.Unmarshal(tuple[1], &md); err != nil {
		return Message{}, MessageMetadata{}, fmt.Errorf("langgraph: decoding the metadata of a %q event: %w", p.Event, err)
	}
	return m, md, nil
}

// Messages decodes a "messages/partial" event (the messages being generated,
// each with its content so far) or a "messages/complete" event (finished
// messages), both of stream mode messages.
func (p StreamPart) Messages() ([]Message, error) {
	if err := p.want("messages/partial", "messages/complete"); err != nil {
		return nil, err
	}
	var ms []Message
	err := p.Decode(&ms)
	return ms, err
}

// MessagesMetadata decodes a "messages/metadata" event: the metadata of the
// model call of each message id that follows in messages/partial events.
func (p StreamPart) MessagesMetadata() (map[string]MessageMetadata, error) {
	if err := p.want("messages/metadata"); err != nil {
		return nil, err
	}
	var raw map[string]struct {
		Metadata MessageMetadata `json:"metadata"`
	}
	if err := p.Decode(&raw); err != nil {
		return nil, err
	}
	out := make(map[string]MessageMetadata, len(raw))
	for id, v := range raw {
		out[id] = v.Metadata
	}
	return out, nil
}

// ErrEventTooLarge matches (with errors.Is) the error that ends a stream when
// one event is larger than the client's limit (langgraph.WithMaxEventSize).
var ErrEventTooLarge = errors.New("langgraph: stream event too large")

// ErrStreamUsed is yielded when a stream is ranged over a second time: a
// stream sends its request once, so that a run is never started twice.
var ErrStreamUsed = errors.New("langgraph: a stream can be ranged over only once")

// ErrStreamClosed matches (with errors.Is) the cause of a reconnect after the
// server closed a stream cleanly without an "end" event. The JS server ends
// every stream that way, so a resumable stream cannot tell its normal end from
// a connection closed early by a proxy: it joins the run once more to check
// that no event was missed, and reconnects with backoff while the run is
// still going.
var ErrStreamClosed = errors.New("langgraph: the server closed the stream")

// ErrStreamIdle matches (with errors.Is) the cause of a connection that the
// stream closed because nothing arrived on it for
// ReconnectPolicy.IdleTimeout.
var ErrStreamIdle = errors.New("langgraph: stream connection idle")

// StreamError reports a stream that stopped before its run ended and could
// not be resumed: the connection broke (or closed before the run finished)
// and either the stream cannot be continued from its last event (the run was
// not created with StreamResumable and the server named no reconnect
// Location) or every reconnect attempt failed. Events may have been lost; the
// run itself may still be going on the server: Runs.Join returns its result.
type StreamError struct {
	// RunID and ThreadID identify the run when known.
	RunID string
	// ThreadID is the run's thread.
	ThreadID string
	// LastEventID is the id of the last event received.
	LastEventID string
	// Attempts is the number of reconnect attempts made in a row.
	Attempts int
	// Reason says why the stream was not (or no longer) resumed.
	Reason string
	// Err is what broke the stream (or failed the last reconnect).
	Err error
}

// Error describes the stream, the reason and the cause.
func (e *StreamError) Error() string {
	var b strings.Builder
	b.WriteString("langgraph: stream")
	if e.RunID != "" {
		fmt.Fprintf(&b, " of run %s", e.RunID)
	}
	b.WriteString(" stopped")
	if e.LastEventID != "" {
		fmt.Fprintf(&b, " after event %s", e.LastEventID)
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *StreamError) Unwrap() error { return e.Err }

// ReconnectPolicy says how a stream resumes when its connection breaks or
// closes before the run has ended. The zero value means the defaults.
type ReconnectPolicy struct {
	// MaxAttempts is the number of reconnect attempts in a row, without an
	// event received in between, before the stream gives up with a
	// *StreamError; 0 means 5, a negative value disables reconnecting
	// (then a connection closed by the server ends the stream unchecked).
	MaxAttempts int
	// MinWait and MaxWait bound the exponential backoff before each attempt
	// (defaults 250ms and 5s). Each wait is drawn at random from the upper
	// half of min(MinWait·2^(attempt-1), MaxWait).
	MinWait, MaxWait time.Duration
	// OnReconnect, when set, is called before each attempt (before the
	// wait), in the goroutine that ranges over the stream: for every request
	// that resumes the stream, including the join sent at once (Wait 0) after
	// a clean close, to check for missed events. On the JS server, which
	// ends every stream by closing it, a resumable stream therefore calls it
	// once more at its normal end, with a Cause matching ErrStreamClosed.
	OnReconnect func(Reconnect)
	// IdleTimeout, when positive, is how long the stream waits for data
	// before it takes its connection for broken: if nothing at all arrives
	// (no event, no comment or heartbeat) for that long, it closes the
	// connection and resumes as after any broken connection, or, when the
	// run cannot be resumed, ends with a *StreamError that says the
	// connection was idle. The cause (Reconnect.Cause, StreamError.Err)
	// matches ErrStreamIdle. This catches half-open connections, which
	// otherwise hang a stream forever (e.g. after a load balancer or a
	// platform rollover drops them silently). Only time spent waiting for
	// the server counts, not time the consumer spends in its loop body. It
	// watches the response body: the wait for a response's headers is
	// bounded by the HTTP client (e.g. http.Transport.ResponseHeaderTimeout).
	//
	// 0, the default, turns it off, because the right value depends on the
	// server: the Python server (LangGraph Platform) sends a heartbeat
	// comment about every 5s, so a few times that (e.g. 20s) is safe there;
	// the JS server sends no heartbeats, so its streams are silent while a
	// node works, possibly for minutes. Each idle reconnect that brings no
	// event counts against MaxAttempts.
	IdleTimeout time.Duration
}

// Reconnect describes one reconnect attempt, for ReconnectPolicy.OnReconnect.
type Reconnect struct {
	// Attempt counts the attempts in a row, from 1.
	Attempt int
	// LastEventID is the id the stream resumes after (sent as Last-Event-ID).
	LastEventID string
	// Wait is the backoff before the attempt.
	Wait time.Duration
	// Cause is what ended the previous connection or attempt.
	Cause error
	// Run identifies the run when known.
	Run RunRef
}
