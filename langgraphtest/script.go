package langgraphtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Run is what one run of a scripted graph does: the events it streams and
// how it ends. The zero Run ends at once, its final state being the thread's
// state with the run's input merged in (the top-level keys of an input object
// replace the state's), as a graph whose nodes write nothing.
//
// A run ends in one of three ways: it succeeds with Values, it stops at
// Interrupts, or it fails with Error. Status refuses the run instead.
type Run struct {
	// Events are streamed in order after the "metadata" event that opens every
	// stream. Events of modes the request did not ask for are dropped (see
	// Event), so one script serves every stream mode.
	Events []Event

	// Values is the run's final state: the result of a wait or a join, the
	// thread's values afterwards, and the last "values" event of a stream
	// when Events holds none. Nil means the data of the last "values" event
	// of Events, else the thread's state with the input merged in. It is
	// encoded as JSON; a json.RawMessage is sent as it is.
	Values any

	// Interrupts, when not empty, stop the run at these interrupts (a node
	// called interrupt()): a stream ends with an "updates" and a "values"
	// event holding {"__interrupt__": [...]}, a wait answers
	// {"__interrupt__": [...]}, and the thread's status becomes
	// "interrupted" until a later run on it ends otherwise.
	Interrupts []Interrupt

	// Error, when set, makes the run fail: a stream ends with an "error"
	// event, a wait or a join answers {"__error__": ...} (with status 200,
	// as the server does), and the thread's status becomes "error".
	Error *RunError

	// Status, when set (and not 200), refuses the request that would start
	// the run with this HTTP status and Message as a text/plain body, as the
	// server refuses runs (e.g. 422 for a busy thread); no run is created.
	Status int
	// Message is the body of a refusal (Status); empty means the status text.
	Message string
}

// Interrupt is one interrupt a run stops at.
type Interrupt struct {
	// ID identifies the interrupt; empty means a random one (32 hex digits,
	// as the server makes them).
	ID string
	// Value is what the node passed to interrupt(), encoded as JSON.
	Value any
	// Node is the node that called interrupt(); empty means "node". It shows
	// in the thread's state (next, tasks).
	Node string
}

// RunError is the error a failed run reports.
type RunError struct {
	// Name is the error's class, e.g. "ValueError"; empty means "Error".
	Name string
	// Message is the error's message.
	Message string
	// Node is the node that failed; empty means "node". It shows in the
	// thread's state (next, tasks).
	Node string
}

// Event is one event of a run's stream. Build them with Values, Updates,
// Custom and MessageChunk, or write one directly for the other modes (e.g.
// Event{Name: "debug", Data: ...}, or "tasks", "checkpoints", "events").
//
// The server streams only the modes a request asks for (stream_mode, default
// ["values"]), and so does the fake: an event is sent when its mode was asked
// for. The mode of an event is its name up to any "|": events named
// "<mode>|<namespace>" are subgraph events (see Subgraph), sent only when
// the request sets stream_subgraphs. A "messages" event (a message chunk with
// its metadata) is sent for mode "messages-tuple"; for mode "messages" the
// fake turns the chunks into the "messages/metadata", "messages/partial"
// and "messages/complete" events the server sends for that mode. With
// stream_subgraphs, the server also sends a short "checkpoints" event before
// every "values" event, asked for or not, and so does the fake.
type Event struct {
	// Name is the event's name, e.g. "values", "updates", "custom",
	// "messages", "updates|child:<task id>".
	Name string
	// Data is the event's data, encoded as compact JSON (a json.RawMessage is
	// sent as it is, compacted).
	Data any

	chunk *chunk // set by MessageChunk: metadata is added per run
}

type chunk struct {
	node, id, content string
}

// Values is a "values" event: the whole state after a step.
func Values(state any) Event { return Event{Name: "values", Data: state} }

// Updates is an "updates" event: what node wrote in a step.
func Updates(node string, update any) Event {
	return Event{Name: "updates", Data: map[string]any{node: update}}
}

// Custom is a "custom" event: data a node sent with its stream writer.
func Custom(data any) Event { return Event{Name: "custom", Data: data} }

// MessageChunk is one token of an AI message written by a chat model in
// node, as the server streams it for mode "messages-tuple": a "messages"
// event holding [chunk, metadata]. The chunks of one message share its id
// (the server's are "run-<uuid>"). The metadata names the node, the run and
// the thread, as the server's does.
func MessageChunk(node, messageID, content string) Event {
	return Event{Name: "messages", chunk: &chunk{node: node, id: messageID, content: content}}
}

// Subgraph returns e as the event of a subgraph: its name becomes
// "<name>|<namespace>", e.g. Subgraph("child:1f2e...", Updates("step", v))
// is named "updates|child:1f2e...". It is sent only to requests that set
// stream_subgraphs.
func Subgraph(namespace string, e Event) Event {
	e.Name += "|" + namespace
	return e
}

// RunRequest is a request that starts a run of a scripted graph, as given to
// the function of ScriptFunc.
type RunRequest struct {
	// Request is the HTTP request as recorded.
	Request
	// AssistantID is the assistant or graph id the request names.
	AssistantID string
	// GraphID is the scripted graph that runs.
	GraphID string
	// ThreadID is the run's thread; empty for a stateless run.
	ThreadID string
	// Input is the run's input, nil when the request has none.
	Input json.RawMessage
	// Command is the run's command (e.g. {"resume": ...}), nil when none.
	Command json.RawMessage
	// State is the thread's values before the run ({} for a new thread or a
	// stateless run).
	State json.RawMessage
}

// DecodeInput unmarshals the run's input into v.
func (r RunRequest) DecodeInput(v any) error {
	if r.Input == nil {
		return fmt.Errorf("langgraphtest: the run has no input")
	}
	return json.Unmarshal(r.Input, v)
}

// Resume returns the command's resume value, nil when the run resumes
// nothing.
func (r RunRequest) Resume() json.RawMessage {
	var c struct {
		Resume json.RawMessage `json:"resume"`
	}
	if r.Command == nil || json.Unmarshal(r.Command, &c) != nil || string(c.Resume) == "null" {
		return nil
	}
	return c.Resume
}

// graph is a scripted graph.
type graph struct {
	id   string
	runs []Run
	fn   func(RunRequest) Run
}

func (g *graph) next(req RunRequest) Run {
	if g.fn != nil {
		return g.fn(req)
	}
	if len(g.runs) == 0 {
		return Run{}
	}
	r := g.runs[0]
	if len(g.runs) > 1 {
		g.runs = g.runs[1:]
	}
	return r
}

// encode renders v as compact JSON, as the server writes it: no HTML
// escaping, raw JSON kept as it is.
func encode(v any) (json.RawMessage, error) {
	switch v := v.(type) {
	case json.RawMessage:
		return compact(v)
	case []byte:
		return compact(v)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

func compact(b []byte) (json.RawMessage, error) {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// check reports what in r cannot be encoded.
func (r Run) check() error {
	for i, e := range r.Events {
		if e.Name == "" {
			return fmt.Errorf("event %d has no name", i)
		}
		if strings.ContainsAny(e.Name, "\r\n") {
			return fmt.Errorf("event %d: name %q holds a line break", i, e.Name)
		}
		if e.chunk != nil {
			continue
		}
		if _, err := encode(e.Data); err != nil {
			return fmt.Errorf("event %d (%s): %w", i, e.Name, err)
		}
	}
	if r.Values != nil {
		if _, err := encode(r.Values); err != nil {
			return fmt.Errorf("values: %w", err)
		}
	}
	for i, in := range r.Interrupts {
		if _, err := encode(in.Value); err != nil {
			return fmt.Errorf("interrupt %d: %w", i, err)
		}
	}
	if r.Status != 0 && (r.Status < 100 || r.Status > 999) {
		return fmt.Errorf("status %d is not an HTTP status", r.Status)
	}
	return nil
}

func (r Run) refused() bool { return r.Status != 0 && r.Status != http.StatusOK }
