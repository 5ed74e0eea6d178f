// Package protocol speaks LangGraph's thread stream protocol (the Python
// SDK's "v3" thread stream, the JS SDK's "protocol v2"): command and event
// envelopes, the SSE transport (POST /threads/{id}/stream/events, commands
// through POST /threads/{id}/commands) and the WebSocket transport (the same
// path upgraded), and a connection that keeps one event stream of a thread
// going: it reconnects with backoff, resumes with "since", drops the
// duplicates of one server sequence and notices when the server's sequence
// starts again at 1 (a server restart, a WebSocket record dropped).
//
// Package threads builds its Session on it; nothing here is exported by the
// SDK.
package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
)

// Event is one event envelope of the protocol:
//
//	{"type":"event","event_id":"5","seq":5,"method":"updates",
//	 "params":{"namespace":[],"timestamp":1795930627100,"node":"n","data":{...}}}
type Event struct {
	// Seq is the server's sequence number, per thread record, from 1.
	Seq int64
	// ID is the event_id (the server sends String(seq)).
	ID string
	// Method is the event's method ("lifecycle", "input.requested", ...).
	Method string
	// Namespace is params.namespace; empty for the root graph.
	Namespace []string
	// Timestamp is params.timestamp, milliseconds since the epoch.
	Timestamp int64
	// Node is params.node (updates events).
	Node string
	// Data is params.data.
	Data json.RawMessage
	// Raw is the whole envelope as received.
	Raw json.RawMessage
	// Epoch counts the server sequences this connection has seen, from 1: it
	// grows when the server's sequence starts again (a restart, a new
	// WebSocket record), so (Epoch, Seq) identifies an event.
	Epoch int

	fp uint64 // fingerprint of method and params, to recognize a replayed event
}

type envelope struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id"`
	EventID    json.RawMessage `json:"event_id"`
	Seq        *int64          `json:"seq"`
	Method     string          `json:"method"`
	Params     *params         `json:"params"`
	Result     json.RawMessage `json:"result"`
	Error      string          `json:"error"`
	Message    string          `json:"message"`
	Stacktrace string          `json:"stacktrace"`
	Meta       *Meta           `json:"meta"`
}

type params struct {
	Namespace []string        `json:"namespace"`
	Timestamp int64           `json:"timestamp"`
	Node      string          `json:"node"`
	Data      json.RawMessage `json:"data"`
}

// Meta is the meta object of a command reply.
type Meta struct {
	// ThreadID is the thread the reply is about.
	ThreadID string `json:"thread_id"`
	// AppliedThroughSeq is the thread record's highest seq when the server
	// answered; nil when absent.
	AppliedThroughSeq *int64 `json:"applied_through_seq"`
}

// Reply is a success or error reply to a command.
type Reply struct {
	// ID is the command id the reply echoes; -1 for an error with id null.
	ID int64
	// OK is true for a success reply.
	OK bool
	// Result is a success's result.
	Result json.RawMessage
	// Code, Message and Stacktrace are an error's.
	Code, Message, Stacktrace string
	// Meta is the reply's meta, if any.
	Meta *Meta
	// Raw is the whole reply.
	Raw json.RawMessage
}

// ErrMalformed matches a frame that is not a protocol envelope.
var ErrMalformed = errors.New("not a protocol envelope")

// Parse decodes one frame: an event (ev set) or a reply (rep set). The
// results keep raw: the caller must not reuse it.
func Parse(raw []byte) (ev *Event, rep *Reply, err error) {
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if env.Type == "event" && env.Params == nil {
		return nil, nil, fmt.Errorf("%w: an event without params", ErrMalformed)
	}
	switch env.Type {
	case "event":
		e, err := eventOf(&env, raw)
		if err != nil {
			return nil, nil, err
		}
		return e, nil, nil
	case "success", "error":
		r := &Reply{ID: -1, OK: env.Type == "success", Result: env.Result, Code: env.Error, Message: env.Message,
			Stacktrace: env.Stacktrace, Meta: env.Meta, Raw: raw}
		if id := bytes.TrimSpace(env.ID); len(id) > 0 && string(id) != "null" {
			n, err := strconv.ParseInt(string(id), 10, 64)
			if err != nil {
				return nil, nil, fmt.Errorf("%w: reply id %s is not an integer", ErrMalformed, id)
			}
			r.ID = n
		}
		return nil, r, nil
	}
	return nil, nil, fmt.Errorf("%w: type %q", ErrMalformed, env.Type)
}

// ParseEvent decodes an event envelope (an SSE event's data).
func ParseEvent(raw []byte) (*Event, error) {
	ev, _, err := Parse(raw)
	if err != nil {
		return nil, err
	}
	if ev == nil {
		return nil, fmt.Errorf("%w: a reply where an event was expected", ErrMalformed)
	}
	return ev, nil
}

func eventOf(env *envelope, raw []byte) (*Event, error) {
	if env.Seq == nil || *env.Seq < 1 {
		return nil, fmt.Errorf("%w: an event without a positive seq", ErrMalformed)
	}
	if env.Method == "" {
		return nil, fmt.Errorf("%w: an event without a method", ErrMalformed)
	}
	var p params
	if env.Params != nil {
		p = *env.Params
	}
	e := &Event{
		Seq:       *env.Seq,
		Method:    env.Method,
		Namespace: p.Namespace,
		Timestamp: p.Timestamp,
		Node:      p.Node,
		Data:      p.Data,
		Raw:       raw, // the caller's, not reused
	}
	var id string
	if json.Unmarshal(env.EventID, &id) == nil {
		e.ID = id
	} else if len(env.EventID) > 0 {
		e.ID = string(env.EventID)
	}
	if e.ID == "" {
		e.ID = strconv.FormatInt(e.Seq, 10)
	}
	// The server serializes the same stored event each time it sends it,
	// so a replayed event is byte for byte the one first received.
	h := fnv.New64a()
	h.Write(raw)
	e.fp = h.Sum64()
	return e, nil
}

// IsRoot reports whether the event belongs to the root graph.
func (e *Event) IsRoot() bool { return len(e.Namespace) == 0 }

// Lifecycle returns the status of a lifecycle event ("running",
// "completed", ...), or "" for other events.
func (e *Event) Lifecycle() string {
	if e.Method != "lifecycle" {
		return ""
	}
	var d struct {
		Event string `json:"event"`
	}
	_ = json.Unmarshal(e.Data, &d)
	return d.Event
}

// Terminal reports whether a lifecycle status ends a run.
func Terminal(status string) bool {
	return status == "completed" || status == "failed" || status == "interrupted"
}

// Command is a command envelope.
type Command struct {
	ID     int64  `json:"id"`
	Method string `json:"method"`
	Params any    `json:"params,omitempty"`
}
