package langgraph

import (
	"encoding/json"
	"fmt"
	"strings"
)

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

// ToolCall is one tool call of an AI message, with every field the servers
// send.
type ToolCall struct {
	// ID identifies the call; the tool message that answers it carries it
	// as ToolCallID.
	ID string `json:"id,omitzero"`
	// Name is the tool's name.
	Name string `json:"name"`
	// Args are the call's arguments as a JSON object.
	Args json.RawMessage `json:"args,omitzero"`
	// Type is "tool_call" (LangChain's type of a whole tool call, as opposed
	// to the streamed chunks of one).
	Type string `json:"type,omitzero"`
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
	if err := p.want(EventMessages); err != nil {
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
	if err := p.want(EventMessagesPartial, EventMessagesComplete); err != nil {
		return nil, err
	}
	var ms []Message
	err := p.Decode(&ms)
	return ms, err
}

// MessagesMetadata decodes a "messages/metadata" event: the metadata of the
// model call of each message id that follows in messages/partial events.
func (p StreamPart) MessagesMetadata() (map[string]MessageMetadata, error) {
	if err := p.want(EventMessagesMetadata); err != nil {
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
