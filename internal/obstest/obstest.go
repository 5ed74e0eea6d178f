// Package obstest is a langgraph.Observer for tests: it records every call
// it sees, with its hooks' arguments, in order.
package obstest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/langgraph-go/langgraph"
)

// Recorder records calls. Its zero value is ready to use.
type Recorder struct {
	mu    sync.Mutex
	calls []*Call
}

// Call is one recorded call.
type Call struct {
	Info langgraph.CallInfo
	// Parent is the call whose context this call started from, if any.
	Parent *Call
	// Ctx is the context StartCall returned.
	Ctx context.Context

	mu         sync.Mutex
	attempts   []langgraph.Attempt
	runs       []langgraph.RunRef
	events     []langgraph.StreamPart
	reconnects []langgraph.Reconnect
	ends       []langgraph.CallEnd
	log        []string
}

type key struct{}

// FromContext returns the call whose context ctx is (or derives from).
func FromContext(ctx context.Context) *Call {
	c, _ := ctx.Value(key{}).(*Call)
	return c
}

// StartCall records a call.
func (r *Recorder) StartCall(ctx context.Context, info langgraph.CallInfo) (context.Context, *langgraph.CallHooks) {
	c := &Call{Info: info, Parent: FromContext(ctx)}
	c.Ctx = context.WithValue(ctx, key{}, c)
	r.mu.Lock()
	r.calls = append(r.calls, c)
	r.mu.Unlock()
	return c.Ctx, &langgraph.CallHooks{
		Attempt: func(a langgraph.Attempt) {
			c.add(func() { c.attempts = append(c.attempts, a) }, fmt.Sprintf("attempt %d %d retry=%v", a.Number, a.StatusCode, a.Retry))
		},
		RunCreated: func(m langgraph.RunRef) {
			c.add(func() { c.runs = append(c.runs, m) }, "run")
		},
		Event: func(p langgraph.StreamPart) {
			p.Data = slices.Clone(p.Data)
			c.add(func() { c.events = append(c.events, p) }, "event "+p.Event)
		},
		Reconnect: func(rc langgraph.Reconnect) {
			c.add(func() { c.reconnects = append(c.reconnects, rc) }, "reconnect")
		},
		End: func(e langgraph.CallEnd) {
			c.add(func() { c.ends = append(c.ends, e) }, "end")
		},
	}
}

func (c *Call) add(f func(), line string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f()
	c.log = append(c.log, line)
}

// Calls returns the calls recorded so far.
func (r *Recorder) Calls() []*Call {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.calls)
}

// Reset forgets the calls recorded so far.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.calls = nil
	r.mu.Unlock()
}

// Attempts returns the call's attempts.
func (c *Call) Attempts() []langgraph.Attempt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.attempts)
}

// Runs returns the RunCreated calls' arguments.
func (c *Call) Runs() []langgraph.RunRef {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.runs)
}

// Events returns the events seen.
func (c *Call) Events() []langgraph.StreamPart {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.events)
}

// Reconnects returns the reconnects seen.
func (c *Call) Reconnects() []langgraph.Reconnect {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.reconnects)
}

// Ends returns the End calls' arguments (one, for a call that ended).
func (c *Call) Ends() []langgraph.CallEnd {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.ends)
}

// End returns the call's end, or the zero CallEnd and false.
func (c *Call) End() (langgraph.CallEnd, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.ends) == 0 {
		return langgraph.CallEnd{}, false
	}
	return c.ends[0], true
}

// Log returns one line per hook call, in order.
func (c *Call) Log() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.log, "\n")
}

// String names the call.
func (c *Call) String() string { return c.Info.Method + " " + c.Info.Route }
