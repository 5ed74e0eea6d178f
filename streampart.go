package langgraph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/langgraph-go/langgraph/internal/jsonobj"
)

// StreamPart is one event of a stream (runs.Service.Stream and JoinStream,
// threads.Service.JoinStream, remotegraph.RemoteGraph.Stream).
//
// Kind says what the event holds; the method named for that kind in the
// table of StreamMode decodes it (Values, Updates, MessageChunk, Task,
// Checkpoint, Debug, ...), and Decode unmarshals it into a type of yours.
// Each of those methods refuses an event of another kind. Data keeps the
// event's JSON as the server sent it, so fields that no method decodes stay
// reachable.
//
// Events of subgraphs (with runs.StreamParams.Subgraphs) are named
// "<kind>|<node>:<task_id>[|...]": Kind then holds the kind and Namespace
// the path of the subgraph.
type StreamPart struct {
	// Event is the raw SSE event name, e.g. "updates|child:1f0c2a7e-...".
	Event string
	// Kind is the event name up to its first "|", e.g. EventUpdates; for an
	// event of mode messages-tuple it is EventMessages.
	Kind EventKind
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

// want returns an error unless the part is of one of kinds.
func (p StreamPart) want(kinds ...EventKind) error {
	for _, k := range kinds {
		if p.Kind == k {
			return nil
		}
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	return fmt.Errorf("langgraph: %q is not a %s event", p.Event, strings.Join(names, " or "))
}

// decodeAs decodes the data of an event of kind k into v.
func (p StreamPart) decodeAs(k EventKind, v any) error {
	if err := p.want(k); err != nil {
		return err
	}
	return p.Decode(v)
}

// IsEnd reports whether this is the "end" event that closes a stream on the
// Python server.
func (p StreamPart) IsEnd() bool { return p.Kind == EventEnd }

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
	err := p.decodeAs(EventMetadata, &m)
	return m, err
}

// Err returns the *RunError carried by an "error" event, and nil for any
// other event. The stream itself yields that error with the part, with the
// run's ids filled in. Data that is not JSON becomes the error's message.
func (p StreamPart) Err() error {
	if p.Kind != EventError {
		return nil
	}
	e := &RunError{}
	if err := json.Unmarshal(p.Data, e); err != nil {
		e.Message = string(bytes.TrimSpace(p.Data))
	}
	return e
}

// Feedback decodes a "feedback" event (sent when the run was created with
// feedback keys): the URL that records feedback, by feedback key.
func (p StreamPart) Feedback() (map[string]string, error) {
	var m map[string]string
	err := p.decodeAs(EventFeedback, &m)
	return m, err
}

// interruptKey is the key under which the server sends interrupts, in the
// state of a values event and as a pseudo-node of an updates event.
const interruptKey = "__interrupt__"

// mayHoldInterrupt reports whether data may hold the interrupt key: a quick
// test before the whole state is parsed. It searches for the key without
// its quotes: a search led by '_' runs several times faster over JSON than
// one led by '"', which is everywhere (5 MB of state: 0.5 ms against 3.6).
func mayHoldInterrupt(data []byte) bool {
	return bytes.Contains(data, []byte(interruptKey))
}

// Values decodes a "values" event: the whole state after a step, as JSON
// without the __interrupt__ key (the other keys keep their order), and the
// interrupts the run stopped at (the server sends them as the state's
// __interrupt__ key). A breakpoint stop carries no interrupts: Interrupted
// tells it from a step that did not stop.
func (p StreamPart) Values() (values json.RawMessage, interrupts []Interrupt, err error) {
	if err := p.want(EventValues); err != nil {
		return nil, nil, err
	}
	data := bytes.TrimSpace(p.Data)
	if len(data) == 0 {
		return nil, nil, p.Decode(new(any))
	}
	if data[0] != '{' || !mayHoldInterrupt(data) {
		return p.Data, nil, nil
	}
	var b bytes.Buffer
	b.Grow(len(data))
	b.WriteByte('{')
	found := false
	err = jsonobj.Each(data, func(k string, v json.RawMessage) error {
		if k == interruptKey {
			found = true
			return json.Unmarshal(v, &interrupts)
		}
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		key, _ := json.Marshal(k) // a string always encodes
		b.Write(key)
		b.WriteByte(':')
		b.Write(v)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("langgraph: decoding a %q event: %w", p.Event, err)
	}
	if !found {
		return p.Data, nil, nil
	}
	b.WriteByte('}')
	return b.Bytes(), interrupts, nil
}

// NodeUpdate is what one node returned in a step: one entry of an "updates"
// event.
type NodeUpdate struct {
	// Node is the node's name.
	Node string
	// Update is the node's update, as JSON (null when the node returned
	// nothing).
	Update json.RawMessage
}

// Decode unmarshals the update into v.
func (u NodeUpdate) Decode(v any) error {
	if err := json.Unmarshal(u.Update, v); err != nil {
		return fmt.Errorf("langgraph: decoding the update of node %q: %w", u.Node, err)
	}
	return nil
}

// Updates decodes an "updates" event: the update of each node that ran, in
// the order of the event, and the interrupts raised in the step (the server
// sends them as a pseudo-node "__interrupt__", which is not among the
// updates; see Interrupted for breakpoints, which carry none).
func (p StreamPart) Updates() (updates []NodeUpdate, interrupts []Interrupt, err error) {
	if err := p.want(EventUpdates); err != nil {
		return nil, nil, err
	}
	if len(bytes.TrimSpace(p.Data)) == 0 {
		return nil, nil, p.Decode(new(any))
	}
	err = jsonobj.Each(p.Data, func(k string, v json.RawMessage) error {
		if k == interruptKey {
			if err := json.Unmarshal(v, &interrupts); err != nil {
				return fmt.Errorf("its interrupts: %w", err)
			}
			return nil
		}
		updates = append(updates, NodeUpdate{Node: k, Update: v})
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("langgraph: decoding an %q event: %w", p.Event, err)
	}
	return updates, interrupts, nil
}

// Interrupted reports whether this is a "values" or "updates" event of a run
// that stopped, waiting to be resumed: at an interrupt, or at a breakpoint
// (InterruptBefore or InterruptAfter), whose event carries an empty
// __interrupt__ list and so no Interrupts. It is false for every other event,
// and for data that is not a JSON object.
func (p StreamPart) Interrupted() bool {
	if p.Kind != EventValues && p.Kind != EventUpdates {
		return false
	}
	data := bytes.TrimSpace(p.Data)
	if len(data) == 0 || data[0] != '{' || !mayHoldInterrupt(data) {
		return false
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return false
	}
	_, ok := top[interruptKey]
	return ok
}

// Interrupts returns the interrupts carried by a "values" or "updates"
// event, or nil. A breakpoint carries none: see Interrupted.
func (p StreamPart) Interrupts() ([]Interrupt, error) {
	switch p.Kind {
	case EventValues:
		_, in, err := p.Values()
		return in, err
	case EventUpdates:
		_, in, err := p.Updates()
		return in, err
	}
	return nil, p.want(EventValues, EventUpdates)
}
