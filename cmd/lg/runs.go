package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"iter"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/runs"
)

var (
	streamModes   = []string{"values", "updates", "messages", "messages-tuple", "custom", "events", "debug", "tasks", "checkpoints", "tools"}
	runStatuses   = []string{"pending", "running", "error", "success", "timeout", "interrupted"}
	cancelActions = []string{"interrupt", "rollback"}
)

const inputExample = `'{"messages":[{"role":"human","content":"hi"}]}'`

func runsCommands() []*command {
	return []*command{
		{group: "runs", name: "create", args: "ASSISTANT", summary: "start a run in the background and print it (no --thread: a stateless run)",
			examples: []string{
				`lg runs create agent --thread THREAD_ID --input ` + inputExample,
				`lg runs create agent --thread THREAD_ID --input @input.json --stream-mode updates --resumable`,
			}, setup: runsCreate},
		{group: "runs", name: "wait", args: "ASSISTANT", summary: "start a run, wait for it and print its final state and interrupts",
			examples: []string{
				`lg runs wait agent --thread THREAD_ID --input ` + inputExample,
				`lg runs wait interrupt --thread THREAD_ID --resume '"yes"'`,
				`echo '{}' | lg runs wait error --input -`,
			}, setup: runsWait},
		{group: "runs", name: "stream", args: "ASSISTANT", summary: "start a run and print its events as JSON Lines, or as text with -o text",
			notes: textOutputHelp,
			examples: []string{
				`lg runs stream agent --thread THREAD_ID --input ` + inputExample + ` --stream-mode updates,custom`,
				`lg runs stream agent --input ` + inputExample + ` -o text   # tokens as they arrive`,
				`lg runs stream subgraph --input '{"trail":""}' --stream-mode updates --subgraphs`,
			}, setup: runsStream},
		{group: "runs", name: "list", args: "THREAD_ID", summary: "list a thread's runs",
			examples: []string{`lg runs list THREAD_ID --status success --limit 5`}, setup: runsList},
		{group: "runs", name: "get", args: "THREAD_ID RUN_ID", summary: "print a run",
			examples: []string{`lg runs get THREAD_ID RUN_ID`}, setup: runsGet},
		{group: "runs", name: "join", args: "THREAD_ID RUN_ID", summary: "wait for a run and print its final state and interrupts",
			examples: []string{`lg runs join THREAD_ID RUN_ID`}, setup: runsJoin},
		{group: "runs", name: "join-stream", args: "THREAD_ID RUN_ID", summary: "print the events of a run under way as JSON Lines, or as text with -o text",
			notes: textOutputHelp,
			examples: []string{
				`lg runs join-stream THREAD_ID RUN_ID`,
				`lg runs join-stream THREAD_ID RUN_ID -o text`,
				`lg runs join-stream THREAD_ID RUN_ID --last-event-id -1 --resumable   # replay a resumable run from the start`,
			}, setup: runsJoinStream},
		{group: "runs", name: "cancel", args: "THREAD_ID RUN_ID", summary: "cancel a run (prints nothing)",
			examples: []string{`lg runs cancel THREAD_ID RUN_ID --wait --action rollback`}, setup: runsCancel},
		{group: "runs", name: "delete", args: "THREAD_ID RUN_ID", summary: "delete a run (prints nothing)",
			examples: []string{`lg runs delete THREAD_ID RUN_ID`}, setup: runsDelete},
	}
}

// runFlags are the flags of a new run.
type runFlags struct {
	thread                                             *string
	input, command, resume, config, context, metadata  *jsonFlag
	params                                             *jsonFlag
	checkpointID, webhook                              *string
	interruptBefore, interruptAfter                    *listFlag
	multitask, ifNotExists, onCompletion, onDisconnect *choiceFlag
	durability                                         *choiceFlag
	afterSeconds                                       *int
	streamMode                                         *choiceList
	subgraphs, resumable                               *bool
	streamFlags                                        bool
}

func newRunFlags(fs *flag.FlagSet, in *inputs, stream bool) *runFlags {
	f := &runFlags{streamFlags: stream}
	f.thread = fs.String("thread", "", "run on this thread (default: a stateless run)")
	f.input = jsonVar(fs, in, "input", "the graph's input")
	f.command = jsonVar(fs, in, "command", `a command for an interrupted thread: {"resume":...,"update":...,"goto":...}`)
	f.resume = jsonVar(fs, in, "resume", "resume an interrupted thread with this value (short for --command '{\"resume\":...}')")
	f.config = jsonVar(fs, in, "config", `run configuration: {"configurable":{...},"tags":[...],"recursion_limit":N}`)
	f.context = jsonVar(fs, in, "context", "static context for the graph")
	f.metadata = jsonVar(fs, in, "metadata", "metadata of the run (object)")
	f.checkpointID = fs.String("checkpoint-id", "", "start from this checkpoint of the thread")
	f.interruptBefore = listVar(fs, "interrupt-before", "stop before these nodes (* for all)")
	f.interruptAfter = listVar(fs, "interrupt-after", "stop after these nodes (* for all)")
	f.multitask = choiceVar(fs, "multitask-strategy", "when the thread is busy", "reject", "interrupt", "rollback", "enqueue")
	f.ifNotExists = choiceVar(fs, "if-not-exists", "when --thread does not exist", "create", "reject")
	f.onCompletion = choiceVar(fs, "on-completion", "what happens to a stateless run's thread", "delete", "keep")
	f.onDisconnect = choiceVar(fs, "on-disconnect", "when the client disconnects", "cancel", "continue")
	f.durability = choiceVar(fs, "durability", "when checkpoints are saved", "sync", "async", "exit")
	f.webhook = fs.String("webhook", "", "URL called when the run ends")
	f.afterSeconds = fs.Int("after-seconds", 0, "start the run after this many seconds")
	f.params = jsonVar(fs, in, "params", "any other run parameters, as the API's JSON body (the flags above win)")
	if stream {
		f.streamMode = choiceListVar(fs, "stream-mode", "stream modes, default values", streamModes...)
		f.subgraphs = fs.Bool("subgraphs", false, "stream the events of subgraphs too")
		f.resumable = fs.Bool("resumable", false, "make the run's stream resumable (join-stream --last-event-id)")
	}
	return f
}

// build returns the parameters of the run.
func (f *runFlags) build() (runs.CreateParams, error) {
	var p runs.CreateParams
	if err := f.params.decode(&p); err != nil {
		return p, err
	}
	if f.input.set() {
		p.Input = f.input.raw
	}
	if f.command.set() {
		p.Command = new(langgraph.Command)
		if err := f.command.decode(p.Command); err != nil {
			return p, err
		}
	}
	if f.resume.set() {
		if p.Command == nil {
			p.Command = new(langgraph.Command)
		}
		p.Command.Resume = f.resume.raw
	}
	if p.Input != nil && p.Command != nil {
		return p, usagef("--input cannot be combined with --command or --resume")
	}
	if f.config.set() {
		p.Config = new(langgraph.Config)
		if err := f.config.decode(p.Config); err != nil {
			return p, err
		}
	}
	if f.context.set() {
		p.Context = f.context.raw
	}
	if f.metadata.set() {
		m, err := f.metadata.object()
		if err != nil {
			return p, err
		}
		p.Metadata = m
	}
	if *f.checkpointID != "" {
		p.CheckpointID = *f.checkpointID
	}
	if len(*f.interruptBefore) > 0 {
		p.InterruptBefore = langgraph.Nodes(*f.interruptBefore)
	}
	if len(*f.interruptAfter) > 0 {
		p.InterruptAfter = langgraph.Nodes(*f.interruptAfter)
	}
	setChoice(&p.MultitaskStrategy, f.multitask)
	setChoice(&p.IfNotExists, f.ifNotExists)
	setChoice(&p.OnCompletion, f.onCompletion)
	setChoice(&p.OnDisconnect, f.onDisconnect)
	setChoice(&p.Durability, f.durability)
	if *f.webhook != "" {
		p.Webhook = *f.webhook
	}
	if err := nonNegative("after-seconds", *f.afterSeconds); err != nil {
		return p, err
	}
	if *f.afterSeconds > 0 {
		p.AfterSeconds = *f.afterSeconds
	}
	if f.streamFlags {
		if len(f.streamMode.values) > 0 {
			p.StreamMode = nil
			for _, m := range f.streamMode.values {
				p.StreamMode = append(p.StreamMode, runs.StreamMode(m))
			}
		}
		if *f.subgraphs {
			p.Subgraphs = true
		}
		if *f.resumable {
			p.StreamResumable = true
		}
	}
	return p, nil
}

// setChoice sets *dst when the flag was given.
func setChoice[T ~string](dst *T, f *choiceFlag) {
	if f.value != "" {
		*dst = T(f.value)
	}
}

func runsCreate(fs *flag.FlagSet, in *inputs) action {
	f := newRunFlags(fs, in, true)
	return func(ctx context.Context, e *env, args []string) error {
		p, err := f.build()
		if err != nil {
			return err
		}
		var r *runs.Run
		if *f.thread != "" {
			r, err = e.c.Runs.Create(ctx, *f.thread, args[0], p)
		} else {
			r, err = e.c.Runs.CreateStateless(ctx, args[0], p)
		}
		if err != nil {
			return err
		}
		return e.print(r)
	}
}

// resultOut is how lg prints the result of a run.
type resultOut struct {
	RunID       string                `json:"run_id,omitempty"`
	ThreadID    string                `json:"thread_id,omitempty"`
	Values      json.RawMessage       `json:"values"`
	Interrupted bool                  `json:"interrupted"`
	Interrupts  []langgraph.Interrupt `json:"interrupts,omitempty"`
}

// printResult prints a run's result; it returns errRunInterrupted when the
// run stopped at an interrupt or a breakpoint.
func printResult(e *env, res *runs.Result) error {
	values := res.Values
	if len(bytes.TrimSpace(values)) == 0 {
		values = json.RawMessage("null")
	}
	err := e.print(resultOut{
		RunID: res.Run.RunID, ThreadID: res.Run.ThreadID, Values: values,
		Interrupted: res.Interrupted(), Interrupts: res.Interrupts,
	})
	if err == nil && res.Interrupted() {
		err = errRunInterrupted
	}
	return err
}

func runsWait(fs *flag.FlagSet, in *inputs) action {
	f := newRunFlags(fs, in, false)
	return func(ctx context.Context, e *env, args []string) error {
		p, err := f.build()
		if err != nil {
			return err
		}
		var res *runs.Result
		if *f.thread != "" {
			res, err = e.c.Runs.Wait(ctx, *f.thread, args[0], p)
		} else {
			res, err = e.c.Runs.WaitStateless(ctx, args[0], p)
		}
		if err != nil {
			return err
		}
		return printResult(e, res)
	}
}

func runsStream(fs *flag.FlagSet, in *inputs) action {
	f := newRunFlags(fs, in, true)
	allEvents := fs.Bool("all-events", false, "also print events of modes that were not requested")
	output := outputFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		p, err := f.build()
		if err != nil {
			return err
		}
		if output.value == outputText && len(p.StreamMode) == 0 {
			p.StreamMode = textStreamModes()
		}
		sp, err := streamParams(p)
		if err != nil {
			return err
		}
		sp.AllEvents = *allEvents
		seq := e.c.Runs.StreamStateless(ctx, args[0], sp)
		if *f.thread != "" {
			seq = e.c.Runs.Stream(ctx, *f.thread, args[0], sp)
		}
		_, err = printStreamAs(e.stdout, output.value, seq)
		return err
	}
}

// streamParams carries the fields of a run into the parameters of a stream,
// which has them all under the same JSON names.
func streamParams(p runs.CreateParams) (runs.StreamParams, error) {
	var sp runs.StreamParams
	raw, err := json.Marshal(p)
	if err == nil {
		err = json.Unmarshal(raw, &sp)
	}
	return sp, err
}

// streamLine is one line of lg's stream output.
type streamLine struct {
	Event string          `json:"event"`
	ID    string          `json:"id"`
	Data  json.RawMessage `json:"data"`
}

// printJSONLines prints every event as one JSON line, flushed as it comes,
// and returns the number of events and the stream's error (after printing
// the event that carried it), or errRunInterrupted when a values or updates
// event of the root graph showed that the run stopped at an interrupt or a
// breakpoint.
func printJSONLines(w io.Writer, seq iter.Seq2[langgraph.StreamPart, error]) (int, error) {
	n, stopped := 0, false
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for part, err := range seq {
		if len(part.Namespace) == 0 && part.Interrupted() {
			stopped = true
		}
		if part.Event != "" {
			data := json.RawMessage(bytes.TrimSpace(part.Data))
			switch {
			case len(data) == 0:
				data = json.RawMessage("null")
			case !json.Valid(data):
				data, _ = json.Marshal(string(part.Data))
			}
			if werr := enc.Encode(streamLine{Event: part.Event, ID: part.ID, Data: data}); werr != nil {
				return n, werr
			}
			n++
		}
		if err != nil {
			return n, err
		}
	}
	if stopped {
		return n, errRunInterrupted
	}
	return n, nil
}

func runsList(fs *flag.FlagSet, in *inputs) action {
	limit := fs.Int("limit", 0, "page size (server default 10)")
	offset := fs.Int("offset", 0, "skip this many runs")
	status := choiceVar(fs, "status", "only runs with this status", runStatuses...)
	sel := listVar(fs, "select", "fields to return, e.g. run_id,status")
	return func(ctx context.Context, e *env, args []string) error {
		if err := nonNegative("limit", *limit); err != nil {
			return err
		}
		if err := nonNegative("offset", *offset); err != nil {
			return err
		}
		out, err := e.c.Runs.List(ctx, args[0], runs.ListParams{Limit: *limit, Offset: *offset, Status: langgraph.Status(status.value), Select: *sel})
		if err != nil {
			return err
		}
		return e.print(nonNil(out))
	}
}

func runsGet(fs *flag.FlagSet, in *inputs) action {
	return func(ctx context.Context, e *env, args []string) error {
		r, err := e.c.Runs.Get(ctx, args[0], args[1])
		if err != nil {
			return err
		}
		return e.print(r)
	}
}

func runsJoin(fs *flag.FlagSet, in *inputs) action {
	cancelOnDisconnect := fs.Bool("cancel-on-disconnect", false, "cancel the run if lg stops waiting (Ctrl-C, --timeout)")
	return func(ctx context.Context, e *env, args []string) error {
		res, err := e.c.Runs.Join(ctx, args[0], args[1], runs.JoinParams{CancelOnDisconnect: *cancelOnDisconnect})
		if err != nil {
			return err
		}
		return printResult(e, res)
	}
}

func runsJoinStream(fs *flag.FlagSet, in *inputs) action {
	lastID := fs.String("last-event-id", "", "print the events after this id; -1 replays a resumable run from its first event")
	modes := choiceListVar(fs, "stream-mode", "print only these modes' events (default: all)", streamModes...)
	cancelOnDisconnect := fs.Bool("cancel-on-disconnect", false, "cancel the run if lg stops reading (Ctrl-C, --timeout)")
	resumable := fs.Bool("resumable", false, "the run was created with --resumable: rejoin after a broken connection")
	output := outputFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		p := runs.JoinStreamParams{LastEventID: *lastID, CancelOnDisconnect: *cancelOnDisconnect, Resumable: *resumable}
		for _, m := range modes.values {
			p.StreamMode = append(p.StreamMode, runs.StreamMode(m))
		}
		n, err := printStreamAs(e.stdout, output.value, e.c.Runs.JoinStream(ctx, args[0], args[1], p))
		if err == nil && n == 0 {
			// The JS server answers a join of an unknown run with an empty
			// stream: tell it apart from a run that sent nothing.
			_, err = e.c.Runs.Get(ctx, args[0], args[1])
		}
		return err
	}
}

func runsCancel(fs *flag.FlagSet, in *inputs) action {
	wait := fs.Bool("wait", false, "return once the run has stopped")
	act := choiceVar(fs, "action", "keep the run's progress (interrupt) or drop it (rollback)", cancelActions...)
	return func(ctx context.Context, e *env, args []string) error {
		return e.c.Runs.Cancel(ctx, args[0], args[1], runs.CancelParams{Wait: *wait, Action: runs.CancelAction(act.value)})
	}
}

func runsDelete(fs *flag.FlagSet, in *inputs) action {
	return func(ctx context.Context, e *env, args []string) error {
		return e.c.Runs.Delete(ctx, args[0], args[1])
	}
}
