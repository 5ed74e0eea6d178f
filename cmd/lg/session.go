package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/threads"
)

var protocolChannels = []string{"lifecycle", "input", "values", "updates", "messages", "tools", "custom", "checkpoints", "tasks"}

func threadsStreamCommand() *command {
	return &command{group: "threads", name: "stream", args: "ASSISTANT",
		summary: "open a session on a thread (thread stream protocol), start a run or answer an interrupt, print its events as JSON Lines",
		notes: `Each line is one event as the server sent it: {"type":"event","seq":N,"method":...,"params":{"namespace":[...],"data":...}}.
Text deltas of a model's reply are messages events in the namespace of the node
that called the model (e.g. ["agent:<task id>"]). Without --thread the run gets a
new thread, whose id is written to standard error. The command ends after the
run's root lifecycle event: completed (exit 0), interrupted (exit 4; answer with
--respond), failed (exit 2). Over --ws (WebSocket), a connection that breaks
during the run loses the rest of its events (LangGraph.js 1.5.1 cannot replay
them): the command then exits 3.`,
		examples: []string{
			`lg threads stream agent --input ` + inputExample,
			`lg threads stream agent --input ` + inputExample + ` --ws --channels messages,lifecycle`,
			`lg threads stream interrupt --thread THREAD_ID --input '{}'        # exits 4 at the interrupt`,
			`lg threads stream interrupt --thread THREAD_ID --respond '"yes"'   # answers it; the run resumes`,
			`lg threads stream agent --input ` + inputExample + ` -o text     # the reply, token by token`,
		}, setup: threadsStream}
}

func threadsStream(fs *flag.FlagSet, in *inputs) action {
	thread := fs.String("thread", "", "the thread (default: a new one)")
	input := jsonVar(fs, in, "input", "the run's input (JSON)")
	config := jsonVar(fs, in, "config", `the run's config, e.g. {"configurable":{"user_id":"u1"}} (object)`)
	metadata := jsonVar(fs, in, "metadata", "the run's metadata (object)")
	checkpoint := fs.String("checkpoint-id", "", "start the run from this checkpoint of the thread (a fork)")
	respond := jsonVar(fs, in, "respond", "answer the thread's pending interrupt with this value instead of starting a run (JSON)")
	interruptID := fs.String("interrupt-id", "", "with --respond: the interrupt to answer (default: the only pending one)")
	ws := fs.Bool("ws", false, "use a WebSocket instead of Server-Sent Events")
	channels := choiceListVar(fs, "channels", "print only these channels (the server sends only these, plus lifecycle, input and values)", protocolChannels...)
	var namespace appendValue
	fs.Var(&namespace, "namespace", "print only events under this namespace prefix, segments separated by | (e.g. child; '' is the root graph; repeatable)")
	depth := fs.Int("depth", -1, "with --namespace: at most this many levels below it")
	output := outputFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		if respond.set() && (input.set() || *checkpoint != "" || config.set() || metadata.set()) {
			return usagef("--respond answers an interrupt: it takes no --input, --config, --metadata or --checkpoint-id")
		}
		if *interruptID != "" && !respond.set() {
			return usagef("--interrupt-id needs --respond")
		}
		if *depth >= 0 && len(namespace) == 0 {
			return usagef("--depth needs --namespace")
		}
		var f threads.Filter
		for _, c := range channels.values {
			f.Channels = append(f.Channels, threads.Channel(c))
		}
		for _, ns := range namespace {
			if ns == "" {
				f.Namespaces = append(f.Namespaces, []string{})
			} else {
				f.Namespaces = append(f.Namespaces, strings.Split(ns, "|"))
			}
		}
		if *depth >= 0 {
			f.Depth = threads.Depth(*depth)
		}
		var ri threads.RunInput
		ri.Input, ri.CheckpointID = input.value(), *checkpoint
		if config.set() {
			ri.Config = new(langgraph.Config)
			if err := config.decode(ri.Config); err != nil {
				return err
			}
		}
		var err error
		if ri.Metadata, err = metadata.object(); err != nil {
			return err
		}
		p := threads.SessionParams{Channels: f.Channels}
		if *ws {
			p.Transport = threads.TransportWebSocket
		}
		sess, err := e.c.Threads.Session(ctx, *thread, args[0], p)
		if err != nil {
			return err
		}
		defer sess.Close()
		if *thread == "" {
			fmt.Fprintf(e.stderr, "thread %s\n", sess.ThreadID())
		}
		var run *threads.Run
		if respond.set() {
			run, err = sess.Respond(ctx, *interruptID, respond.value())
		} else {
			run, err = sess.Start(ctx, ri)
		}
		if err != nil {
			return err
		}
		text := &sessionText{w: e.stdout}
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		for ev, err := range run.Events(ctx) {
			if ev.Method != "" && f.Match(ev) {
				if output.value == outputText {
					text.event(ev)
				} else if werr := enc.Encode(ev.Raw); werr != nil {
					return werr
				}
			}
			if err != nil {
				text.end()
				return err
			}
		}
		text.end()
		out, err := run.Output(ctx)
		if err != nil {
			return err
		}
		if output.value == outputText {
			text.output(out)
		}
		if out.Status == threads.LifecycleInterrupted {
			return errRunInterrupted
		}
		return nil
	}
}

// sessionText prints a session's events for a person: the reply's text as
// it arrives, then one line per interrupt and at the end the state.
type sessionText struct {
	w      io.Writer
	inText bool
}

func (p *sessionText) event(ev threads.Event) {
	switch {
	case ev.TextDelta != "":
		fmt.Fprint(p.w, ev.TextDelta)
		p.inText = true
	case ev.Input != nil:
		p.end()
		fmt.Fprintf(p.w, "[interrupt %s] %s\n", ev.Input.InterruptID, ev.Input.Payload)
	case ev.IsRoot() && ev.Lifecycle != nil && ev.Lifecycle.Status == threads.LifecycleFailed:
		p.end()
		fmt.Fprintf(p.w, "[failed] %v\n", ev.Lifecycle.Err())
	}
}

// end ends a line of text.
func (p *sessionText) end() {
	if p.inText {
		fmt.Fprintln(p.w)
		p.inText = false
	}
}

func (p *sessionText) output(out *threads.RunOutput) {
	if out.Status == threads.LifecycleInterrupted {
		ids := make([]string, len(out.Interrupts))
		for i, in := range out.Interrupts {
			ids[i] = in.InterruptID
		}
		slices.Sort(ids)
		fmt.Fprintf(p.w, "[interrupted] waiting for --respond (%s)\n", strings.Join(ids, ", "))
		return
	}
	var v any
	if json.Unmarshal(out.Values, &v) == nil {
		b, _ := json.MarshalIndent(v, "", "  ")
		fmt.Fprintf(p.w, "[state]\n%s\n", b)
	}
}
