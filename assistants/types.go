package assistants

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/jsonobj"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// Assistant is a graph together with its configuration: what a run executes.
// Every graph of a deployment has a system assistant (metadata
// created_by=system) whose id can be replaced by the graph id in calls.
type Assistant struct {
	// AssistantID is the assistant's id (a UUID).
	AssistantID string `json:"assistant_id"`
	// GraphID is the graph the assistant runs.
	GraphID string `json:"graph_id"`
	// Config is the run configuration the assistant applies to its runs.
	Config langgraph.Config `json:"config"`
	// Context is the static runtime context of the assistant's runs, as JSON;
	// decode it with langgraph.DecodeAs.
	Context json.RawMessage `json:"context,omitzero"`
	// CreatedAt is set by the server.
	CreatedAt time.Time `json:"created_at,omitzero"`
	// UpdatedAt is the time of the last change.
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Metadata is free-form; deployments with custom auth often stamp an owner here.
	Metadata map[string]any `json:"metadata"`
	// Version is the assistant's current version (1 on creation; each Update
	// adds one; SetLatest can go back to an older one).
	Version int `json:"version"`
	// Name is the assistant's name.
	Name string `json:"name"`
	// Description is the assistant's description; empty when it has none
	// (the server sends null).
	Description string `json:"description,omitzero"`
}

// check is the transport's Check of an answer that must be an assistant.
func (a *Assistant) check() string { return transport.Missing("assistant_id", a.AssistantID) }

// AssistantVersion is one version of an assistant, as GetVersions lists it.
type AssistantVersion struct {
	// AssistantID is the assistant's id.
	AssistantID string `json:"assistant_id"`
	// GraphID is the graph this version runs.
	GraphID string `json:"graph_id"`
	// Config is this version's run configuration.
	Config langgraph.Config `json:"config"`
	// Context is this version's static runtime context, as JSON; decode it
	// with langgraph.DecodeAs.
	Context json.RawMessage `json:"context,omitzero"`
	// CreatedAt is the time the version was created.
	CreatedAt time.Time `json:"created_at,omitzero"`
	// Metadata is this version's metadata.
	Metadata map[string]any `json:"metadata"`
	// Version is the version number, from 1.
	Version int `json:"version"`
	// Name is this version's name.
	Name string `json:"name"`
	// Description is this version's description; empty when it has none
	// (the server sends null).
	Description string `json:"description,omitzero"`
}

// Graph is the drawable structure of an assistant's graph (GetGraph).
type Graph struct {
	// Nodes are the graph's nodes, __start__ and __end__ included.
	Nodes []GraphNode `json:"nodes"`
	// Edges connect the nodes.
	Edges []GraphEdge `json:"edges"`
}

// NodeID identifies a node of a Graph. Servers send it as a string (the
// node's name) or, for anonymous nodes, as a number; a number is kept as its
// decimal text.
type NodeID string

// UnmarshalJSON accepts a JSON string or a JSON number.
func (id *NodeID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*id = NodeID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("langgraph: graph node id %s is neither a string nor a number", b)
	}
	*id = NodeID(n)
	return nil
}

// GraphNode is a node of a Graph.
type GraphNode struct {
	// ID is the node's id: its name for named nodes.
	ID NodeID `json:"id"`
	// Type is "runnable" for a node that runs code, "schema" for __start__
	// and __end__ (and "unknown" otherwise).
	Type string `json:"type"`
	// Data describes the node (the runnable's name and class path, or a JSON
	// schema), as JSON.
	Data json.RawMessage `json:"data,omitzero"`
	// Metadata is the node's metadata, if any.
	Metadata map[string]any `json:"metadata,omitzero"`
}

// GraphEdge is an edge of a Graph.
type GraphEdge struct {
	// Source is the id of the node the edge leaves.
	Source NodeID `json:"source"`
	// Target is the id of the node the edge enters.
	Target NodeID `json:"target"`
	// Data is the edge's label, if any, as JSON.
	Data json.RawMessage `json:"data,omitzero"`
	// Conditional reports an edge taken only when a condition holds. It is
	// encoded when false too, as the server sends it.
	Conditional bool `json:"conditional"`
}

// Subgraph is one subgraph of a graph (GetSubgraphs).
type Subgraph struct {
	// Namespace names the subgraph: the node that runs it, e.g. "child";
	// with Recurse, the path of nested subgraphs joined with "|", e.g.
	// "child|inner".
	Namespace string
	// Schema holds the subgraph's schemas.
	Schema GraphSchema
}

// subgraphs decodes the server's object of schemas by namespace, in order.
type subgraphs []Subgraph

func (l *subgraphs) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil
	}
	return jsonobj.Each(b, func(ns string, v json.RawMessage) error {
		var sc GraphSchema
		if err := json.Unmarshal(v, &sc); err != nil {
			return fmt.Errorf("subgraph %q: %w", ns, err)
		}
		*l = append(*l, Subgraph{Namespace: ns, Schema: sc})
		return nil
	})
}

// GraphSchema holds the JSON schemas of a graph (GetSchemas) or of a
// subgraph (GetSubgraphs). A schema the server does not know is empty or
// JSON null.
type GraphSchema struct {
	// GraphID is the graph's id (set by GetSchemas; empty for subgraphs).
	GraphID string `json:"graph_id,omitzero"`
	// InputSchema is the schema of the graph's input.
	InputSchema json.RawMessage `json:"input_schema,omitzero"`
	// OutputSchema is the schema of the graph's output.
	OutputSchema json.RawMessage `json:"output_schema,omitzero"`
	// StateSchema is the schema of the graph's state.
	StateSchema json.RawMessage `json:"state_schema,omitzero"`
	// ConfigSchema is the schema of config.configurable.
	ConfigSchema json.RawMessage `json:"config_schema,omitzero"`
	// ContextSchema is the schema of the runtime context. The JS server sends
	// the config schema here.
	ContextSchema json.RawMessage `json:"context_schema,omitzero"`
}

// UnmarshalJSON reads the Python server's form (input_schema, ...) and the
// JS server's form of subgraph schemas (input, output, state, config).
func (s *GraphSchema) UnmarshalJSON(b []byte) error {
	type plain GraphSchema
	var aux struct {
		plain
		Input   json.RawMessage `json:"input"`
		Output  json.RawMessage `json:"output"`
		State   json.RawMessage `json:"state"`
		Config  json.RawMessage `json:"config"`
		Context json.RawMessage `json:"context"`
	}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	*s = GraphSchema(aux.plain)
	fill := func(dst *json.RawMessage, src json.RawMessage) {
		if len(*dst) == 0 && len(src) > 0 {
			*dst = src
		}
	}
	fill(&s.InputSchema, aux.Input)
	fill(&s.OutputSchema, aux.Output)
	fill(&s.StateSchema, aux.State)
	fill(&s.ConfigSchema, aux.Config)
	fill(&s.ContextSchema, aux.Context)
	return nil
}
