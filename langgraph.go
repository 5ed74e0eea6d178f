// Package langgraph holds the options, wire types and errors shared by every
// part of the langgraph-go SDK, a Go client for LangGraph deployments (the
// LangGraph Server HTTP API).
//
// Most programs start from package client:
//
//	c, err := client.New(langgraph.WithBaseURL("http://localhost:8123"), langgraph.WithBearerToken(token))
//	threads, err := c.Threads.Search(ctx, threads.SearchParams{})
//
// This package defines what the resource packages (assistants, threads, runs,
// crons, store) and remotegraph have in common: options, run configuration,
// checkpoints, commands, interrupts, stream modes and the typed events of
// streams (StreamMode, StreamPart), chat messages, pages and the error types.
//
// # Options
//
// One type, Option, configures a client (client.New), a view of it
// (client.Client.WithOptions), a service (NewService of each service
// package) and one call (the last arguments of every method, or every call
// made with a context from ContextWithOptions). Each option's doc says where
// it applies; used elsewhere it is an error matching ErrInvalidArgument.
// Precedence, weakest first: the client's, the view's, the context's, the
// call's. Options are checked when applied and return errors; credentials
// they set go only to the base URL's origin.
//
// # Errors
//
// Every error the SDK returns matches something errors.Is or errors.As can
// test: *APIError for a status of 400 or more (with sentinels by status:
// ErrNotFound, ErrUnauthorized, ...), *ConnectionError for an exchange that
// broke (Sent says whether the request may have taken effect),
// *ResponseError for a successful status whose answer cannot be right,
// *RedirectError for a redirect that was not followed, *RunError for a run
// whose node failed, *StreamError for a stream that could not be resumed,
// ErrInvalidArgument for a call refused before anything was sent (it never
// quotes a credential), ErrNoCredentials, ErrResponseTooLarge,
// ErrEventTooLarge, ErrStreamUsed; context errors still match
// context.Canceled and context.DeadlineExceeded.
//
// # Paging
//
// Each paged search has three forms: one page of items (Search), the same
// with the server's paging headers (SearchPage, returning a Page), and an
// iterator over every page (SearchAll, an iter.Seq2 that stops at the first
// error). Where the server's paging does not allow an iterator, the method's
// doc says why.
package langgraph

import (
	"encoding/json"
	"fmt"
)

// Version is the SDK version, sent in the User-Agent header as langgraph-go/<Version>.
const Version = "0.1.0"

// Config is the run configuration sent to the server (a RunnableConfig reduced
// to what the LangGraph API accepts).
type Config struct {
	// Tags label the run.
	Tags []string `json:"tags,omitzero"`
	// RecursionLimit caps the number of supersteps; zero leaves the server default.
	RecursionLimit int `json:"recursion_limit,omitzero"`
	// Configurable holds configurable values read by the graph (thread_id,
	// checkpoint_id and custom keys). The server adds request headers and the
	// authenticated user (langgraph_auth_user) here when the run starts.
	Configurable map[string]any `json:"configurable,omitzero"`
	// Metadata is attached to the run's trace.
	Metadata map[string]any `json:"metadata,omitzero"`
}

// Checkpoint identifies one checkpoint of a thread.
type Checkpoint struct {
	// ThreadID is the thread the checkpoint belongs to.
	ThreadID string `json:"thread_id,omitzero"`
	// CheckpointNS is the namespace of the checkpoint: "" for the root graph,
	// "node:task_id" (joined with "|") for subgraphs.
	CheckpointNS string `json:"checkpoint_ns"`
	// CheckpointID is the checkpoint's id.
	CheckpointID string `json:"checkpoint_id,omitzero"`
	// CheckpointMap maps namespaces to checkpoint ids for nested graphs; nil
	// when the server sends null (it does for root checkpoints).
	CheckpointMap map[string]any `json:"checkpoint_map,omitzero"`
}

// Command drives a run that is already under way: resume it after an
// interrupt, update its state, or send it to other nodes. Nil members are
// left out on the wire.
type Command struct {
	// Resume is the value returned by interrupt() in the node that was interrupted.
	// A map from interrupt id to value resumes several interrupts at once.
	Resume any `json:"resume,omitzero"`
	// Update is applied to the state as if written by the interrupted node.
	Update any `json:"update,omitzero"`
	// Goto names the node(s) to run next: a string, a []string, a Send or a []Send.
	Goto any `json:"goto,omitzero"`
}

// Send asks the graph to run Node with Input as its state (the Send API), for
// use in Command.Goto.
type Send struct {
	// Node is the node to run.
	Node string `json:"node"`
	// Input is the state handed to the node.
	Input any `json:"input"`
}

// Interrupt is a pause requested by a node (interrupt() in the graph). The
// run stops and waits for a Command{Resume: ...}.
type Interrupt struct {
	// ID identifies the interrupt; use it as a key of Command.Resume to resume
	// several interrupts at once.
	ID string `json:"id,omitzero"`
	// Value is the JSON value the node passed to interrupt().
	Value json.RawMessage `json:"value"`
}

// Decode unmarshals the interrupt's value into v.
func (i Interrupt) Decode(v any) error {
	if len(i.Value) == 0 {
		return fmt.Errorf("langgraph: interrupt %q has no value", i.ID)
	}
	return json.Unmarshal(i.Value, v)
}

// Nodes lists node names for interrupt_before / interrupt_after. AllNodes
// means every node.
type Nodes []string

// AllNodes interrupts before (or after) every node; it is sent as "*".
func AllNodes() Nodes { return Nodes{"*"} }

// MarshalJSON sends AllNodes as the string "*" and any other list as an array.
func (n Nodes) MarshalJSON() ([]byte, error) {
	if len(n) == 1 && n[0] == "*" {
		return []byte(`"*"`), nil
	}
	return json.Marshal([]string(n))
}

// UnmarshalJSON accepts "*" or an array of names.
func (n *Nodes) UnmarshalJSON(b []byte) error {
	if string(b) == `"*"` {
		*n = Nodes{"*"}
		return nil
	}
	var s []string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	*n = s
	return nil
}

// RunRef identifies a run by its ids: the run that a call created, as soon as
// the server has accepted it (from the Content-Location response header or
// the stream's metadata event), or the run of an error or a result. It holds
// no metadata; read the run with Runs.Get for that.
type RunRef struct {
	// RunID is the run's id.
	RunID string
	// ThreadID is the run's thread; empty for a stateless run.
	ThreadID string
}

// Page is one page of a search (the SearchPage methods of each service),
// with the paging headers of the server's answer.
type Page[T any] struct {
	// Items are the page's results.
	Items []T
	// Total is the X-Pagination-Total header, or -1 when the server sent
	// none. The JS server adds the offset to the number of matches (and one
	// more when the matches fill the page), so read it as a hint there.
	Total int
	// Next is the X-Pagination-Next header, the offset of the next page, or
	// -1 when the server sent none. The JS server sends it only when the page
	// is full, so -1 does not prove that this is the last page: the All
	// iterators of each service walk every page.
	Next int
}
