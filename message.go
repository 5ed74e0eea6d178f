package langgraph

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/langgraph-go/langgraph/internal/jsonx"
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

// UnmarshalJSON decodes a message and keeps it whole in Raw (Content shares
// Raw's bytes).
func (m *Message) UnmarshalJSON(b []byte) error {
	var sc jsonx.Scanner
	sc.Reset(bytes.Clone(b))
	*m = Message{}
	if err := decodeMessage(&sc, m); err != nil {
		return err
	}
	return sc.End()
}

// decodeMessage decodes the message at the scanner's position, in one pass,
// as encoding/json decodes it into Message's fields. Raw and Content alias
// the scanner's data.
func decodeMessage(sc *jsonx.Scanner, m *Message) error {
	raw, err := sc.Fields(func(key []byte) error {
		switch messageField(key) {
		case 0:
			return sc.String(&m.Type)
		case 1:
			return sc.String(&m.ID)
		case 2:
			var err error
			m.Content, err = sc.Raw()
			return err
		case 3:
			return sc.String(&m.Name)
		case 4:
			return sc.String(&m.ToolCallID)
		case 5:
			raw, err := sc.Raw()
			if err != nil {
				return err
			}
			return decodeToolCalls(raw, &m.ToolCalls)
		}
		return sc.Skip()
	})
	if err != nil {
		return err
	}
	m.Raw = raw
	return nil
}

var messageFields = []string{"type", "id", "content", "name", "tool_call_id", "tool_calls"}

// messageField returns the index in messageFields of the field a key
// names, matched as encoding/json matches it; -1 for none.
func messageField(key []byte) int {
	switch string(key) {
	case "type":
		return 0
	case "id":
		return 1
	case "content":
		return 2
	case "name":
		return 3
	case "tool_call_id":
		return 4
	case "tool_calls":
		return 5
	}
	return foldField(key, messageFields)
}

// foldField returns the index of the name that key matches without regard
// to case, or -1.
func foldField(key []byte, names []string) int {
	folds := false // only an upper case or non-ASCII letter can fold to a name
	for _, c := range key {
		if ('A' <= c && c <= 'Z') || c >= 0x80 {
			folds = true
			break
		}
	}
	if !folds {
		return -1
	}
	for i, n := range names {
		if jsonx.FoldEqual(key, n) {
			return i
		}
	}
	return -1
}

// decodeToolCalls decodes a tool_calls value: the empty list of a token
// chunk without allocating, any other with encoding/json.
func decodeToolCalls(raw []byte, dst *[]ToolCall) error {
	switch string(raw) {
	case "null":
		return nil
	case "[]":
		if *dst == nil {
			*dst = []ToolCall{}
		}
		*dst = (*dst)[:0]
		return nil
	}
	calls := *dst
	err := json.Unmarshal(raw, &calls) // a local: dst's message stays on the stack
	*dst = calls
	return err
}

// Text returns the message's text: the content when it is a string, else
// the concatenated "text" of its content blocks.
func (m Message) Text() string {
	if c := bytes.TrimLeft(m.Content, " \t\r\n"); len(c) > 0 && c[0] == '"' {
		var sc jsonx.Scanner
		sc.Reset(c)
		var s string
		if sc.String(&s) == nil && sc.End() == nil {
			return s
		}
		return ""
	}
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
	var sc jsonx.Scanner
	sc.Reset(bytes.Clone(b))
	*m = MessageMetadata{}
	if err := decodeMetadata(&sc, m); err != nil {
		return err
	}
	return sc.End()
}

var metadataFields = []string{"langgraph_node", "langgraph_step", "langgraph_triggers", "langgraph_checkpoint_ns", "tags", "run_id", "thread_id"}

// metadataField returns the index in metadataFields of the field a key
// names, matched as encoding/json matches it; -1 for none.
func metadataField(key []byte) int {
	switch string(key) {
	case "langgraph_node":
		return 0
	case "langgraph_step":
		return 1
	case "langgraph_triggers":
		return 2
	case "langgraph_checkpoint_ns":
		return 3
	case "tags":
		return 4
	case "run_id":
		return 5
	case "thread_id":
		return 6
	}
	return foldField(key, metadataFields)
}

// decodeMetadata decodes the metadata object at the scanner's position, in
// one pass, as encoding/json decodes it into MessageMetadata's fields. Raw
// aliases the scanner's data.
func decodeMetadata(sc *jsonx.Scanner, m *MessageMetadata) error {
	raw, err := sc.Fields(func(key []byte) error {
		switch metadataField(key) {
		case 0:
			return sc.String(&m.Node)
		case 1:
			return sc.Int(&m.Step)
		case 2:
			return sc.Strings(&m.Triggers)
		case 3:
			return sc.String(&m.CheckpointNS)
		case 4:
			return sc.Strings(&m.Tags)
		case 5:
			return sc.String(&m.RunID)
		case 6:
			return sc.String(&m.ThreadID)
		}
		return sc.Skip()
	})
	if err != nil {
		return err
	}
	m.Raw = raw
	return nil
}

// MessageChunk decodes a "messages" event (stream mode messages-tuple): one
// chunk of a message being generated (for a model that streams tokens, a
// few characters) and the metadata of the model call. It decodes the event
// in one pass; the message's Content and Raw and the metadata's Raw share
// the part's Data.
func (p StreamPart) MessageChunk() (Message, MessageMetadata, error) {
	if err := p.want(EventMessages); err != nil {
		return Message{}, MessageMetadata{}, err
	}
	var m Message
	var md MessageMetadata
	var sc jsonx.Scanner
	sc.Reset(p.Data)
	n, err := decodeTuple(&sc, &m, &md)
	switch {
	case err != nil:
		return Message{}, MessageMetadata{}, fmt.Errorf("langgraph: decoding a %q event: %w", p.Event, err)
	case n != 2:
		return Message{}, MessageMetadata{}, fmt.Errorf("langgraph: %q event holds %d elements, want [message, metadata]", p.Event, n)
	}
	return m, md, nil
}

// decodeTuple decodes [message, metadata] and returns the number of
// elements of the array (the rest are validated and skipped).
func decodeTuple(sc *jsonx.Scanner, m *Message, md *MessageMetadata) (int, error) {
	if len(bytes.TrimSpace(sc.Data())) == 0 {
		return 0, errors.New("no data")
	}
	ok, err := sc.Array()
	if err != nil || !ok {
		return 0, err
	}
	n := 0
	for first := true; ; first = false {
		more, err := sc.More(first)
		if err != nil {
			return n, err
		}
		if !more {
			break
		}
		switch n {
		case 0:
			err = decodeMessage(sc, m)
		case 1:
			err = decodeMetadata(sc, md)
		default:
			err = sc.Skip()
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, sc.End()
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
