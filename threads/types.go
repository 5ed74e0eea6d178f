package threads

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/transport"
	"github.com/langgraph-go/langgraph/internal/values"
)

// Thread is a conversation: a sequence of runs sharing state.
type Thread struct {
	// ThreadID is the thread's id.
	ThreadID string `json:"thread_id"`
	// CreatedAt and UpdatedAt are set by the server.
	CreatedAt time.Time `json:"created_at,omitzero"`
	// UpdatedAt is the time of the last change.
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// StateUpdatedAt is the time of the last state change (Python server).
	StateUpdatedAt time.Time `json:"state_updated_at,omitzero"`
	// Metadata is free-form; deployments with custom auth often stamp an owner here.
	Metadata map[string]any `json:"metadata"`
	// Status is idle, busy, interrupted or error.
	Status langgraph.Status `json:"status"`
	// Values is the thread's latest state, as JSON; absent for a thread that
	// never ran. See Decode and Messages.
	Values json.RawMessage `json:"values,omitzero"`
	// Interrupts maps task ids to the interrupts pending on them.
	Interrupts map[string][]langgraph.Interrupt `json:"interrupts,omitzero"`
	// Config is the configuration of the thread's latest run.
	Config json.RawMessage `json:"config,omitzero"`
	// Extracted holds the values selected with SearchParams.Extract.
	Extracted map[string]json.RawMessage `json:"extracted,omitzero"`
}

// check is the transport's Check of an answer that must be a thread.
func (t *Thread) check() string { return transport.Missing("thread_id", t.ThreadID) }

// State is a thread's state at one checkpoint.
type State struct {
	// Values is the graph state, as JSON. See Decode and Messages.
	Values json.RawMessage `json:"values"`
	// Next names the nodes that run next; empty when the run is done.
	Next []string `json:"next"`
	// Checkpoint identifies this state; nil for a thread that never ran.
	Checkpoint *langgraph.Checkpoint `json:"checkpoint"`
	// Metadata is the checkpoint's metadata (source, step, writes, ...).
	Metadata map[string]any `json:"metadata"`
	// CreatedAt is the checkpoint's time; zero for a thread that never ran
	// (the server sends null).
	CreatedAt time.Time `json:"created_at,omitzero"`
	// ParentCheckpoint is the previous checkpoint, if any.
	ParentCheckpoint *langgraph.Checkpoint `json:"parent_checkpoint"`
	// Tasks are the tasks of the next step, with their interrupts and errors.
	Tasks []Task `json:"tasks"`
	// Interrupts are the pending interrupts of all tasks.
	Interrupts []langgraph.Interrupt `json:"interrupts,omitzero"`
}

// Task is a task of a thread's next step. The fields that the server sends as
// null (Error, Checkpoint, State, Result) are nil then, and encode as null.
type Task struct {
	// ID is the task's id.
	ID string `json:"id"`
	// Name is the node's name.
	Name string `json:"name"`
	// Error is the task's error, if it failed, as JSON (the JS server sends
	// a string holding JSON, e.g. "{\"message\":\"Boo!\",\"name\":\"CustomError\"}").
	Error json.RawMessage `json:"error"`
	// Interrupts are the interrupts the task raised.
	Interrupts []langgraph.Interrupt `json:"interrupts,omitzero"`
	// Path is the task's path in the graph's step, e.g. ["__pregel_pull",
	// "ask"] for a node triggered by its edges; tasks started with Send have
	// numbers and nested lists in it. Numbers decode as float64.
	Path []any `json:"path,omitzero"`
	// Checkpoint is the subgraph's checkpoint, for a task that runs a subgraph.
	Checkpoint *langgraph.Checkpoint `json:"checkpoint"`
	// State is the subgraph's state (with GetState's Subgraphs) or its config.
	State json.RawMessage `json:"state"`
	// Result is the task's output, once it finished.
	Result json.RawMessage `json:"result"`
}

// UnmarshalJSON decodes a task; JSON null leaves Error, State and Result nil.
func (t *Task) UnmarshalJSON(b []byte) error {
	type plain Task
	if err := json.Unmarshal(b, (*plain)(t)); err != nil {
		return err
	}
	t.Error, t.State, t.Result = nilIfNull(t.Error), nilIfNull(t.State), nilIfNull(t.Result)
	return nil
}

// nilIfNull returns nil for the JSON value null, which json.RawMessage keeps.
func nilIfNull(m json.RawMessage) json.RawMessage {
	if string(bytes.TrimSpace(m)) == "null" {
		return nil
	}
	return m
}

// Subgraph decodes the task's subgraph state, present when the state was read
// with Subgraphs set; ok is false otherwise.
func (t Task) Subgraph() (s *State, ok bool) {
	if len(t.State) == 0 {
		return nil, false
	}
	var probe struct {
		Values json.RawMessage `json:"values"`
	}
	if json.Unmarshal(t.State, &probe) != nil || probe.Values == nil {
		return nil, false
	}
	s = new(State)
	if json.Unmarshal(t.State, s) != nil {
		return nil, false
	}
	s.fill()
	return s, true
}

// fill collects the tasks' interrupts when the server did not list them at
// the top level (the JS server does not).
func (s *State) fill() {
	if len(s.Interrupts) > 0 {
		return
	}
	for _, t := range s.Tasks {
		s.Interrupts = append(s.Interrupts, t.Interrupts...)
	}
}

// check is the transport's Check of an answer that must be a state.
func (s *State) check() string {
	if len(s.Values) == 0 {
		return "the answer has no values"
	}
	return ""
}

// Decode unmarshals the state's values into v, e.g. a pointer to the
// graph's state type (see langgraph.DecodeAs).
func (s *State) Decode(v any) error { return values.Decode(s.Values, v) }

// Messages returns the chat messages of the state's values (their
// "messages" key; see langgraph.MessagesOf).
func (s *State) Messages() ([]langgraph.Message, error) { return langgraph.MessagesOf(s.Values) }

// Decode unmarshals the thread's latest state values into v, e.g. a pointer
// to the graph's state type (see langgraph.DecodeAs). A thread that never
// ran has no values: v is left as it is.
func (t *Thread) Decode(v any) error { return values.Decode(t.Values, v) }

// Messages returns the chat messages of the thread's latest state values
// (their "messages" key; see langgraph.MessagesOf); none for a thread that
// never ran.
func (t *Thread) Messages() ([]langgraph.Message, error) { return langgraph.MessagesOf(t.Values) }
