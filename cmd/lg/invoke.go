package main

import (
	"context"
	"flag"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/remotegraph"
)

// invokeCommand is lg invoke: a graph run through remotegraph.RemoteGraph,
// as a LangGraph program would call a remote graph.
func invokeCommand() *command {
	return &command{
		name: "invoke", args: "GRAPH",
		summary: "run a graph (assistant id or graph name) through RemoteGraph and print its result, or its events with --stream or -o text",
		notes: "With --thread the run goes on that thread, created if needed; without it the run is stateless.\n" +
			"The result is {run_id, thread_id, values, interrupted, interrupts}; resume an interrupted thread with --resume.\n" +
			textOutputHelp,
		examples: []string{
			`lg invoke agent --input ` + inputExample,
			`lg invoke interrupt --thread THREAD_ID --input '{}'`,
			`lg invoke interrupt --thread THREAD_ID --resume '"yes"'`,
			`lg invoke agent --input @input.json --stream updates --stream custom`,
			`lg invoke agent --input ` + inputExample + ` -o text   # tokens as they arrive`,
		},
		setup: invokeSetup,
	}
}

func invokeSetup(fs *flag.FlagSet, in *inputs) action {
	input := jsonVar(fs, in, "input", "the graph's input")
	resume := jsonVar(fs, in, "resume", "resume the interrupted --thread with this value")
	thread := fs.String("thread", "", "run on this thread, created if needed (default: stateless)")
	config := jsonVar(fs, in, "config", "run configuration, merged over the thread's")
	cctx := jsonVar(fs, in, "context", "static context for the graph")
	md := jsonVar(fs, in, "metadata", "metadata of the run (object)")
	before := listVar(fs, "interrupt-before", "stop before these nodes (* for all)")
	after := listVar(fs, "interrupt-after", "stop after these nodes (* for all)")
	modes := choiceListVar(fs, "stream", "stream these modes as JSON Lines instead of printing the result", streamModes...)
	subgraphs := fs.Bool("subgraphs", false, "with --stream or -o text: include the events of subgraphs")
	output := outputFlag(fs)
	return func(ctx context.Context, e *env, args []string) error {
		if input.set() && resume.set() {
			return usagef("--input and --resume cannot be combined")
		}
		if resume.set() && *thread == "" {
			return usagef("--resume needs --thread (the interrupted thread)")
		}
		text := output.value == outputText
		if *subgraphs && len(modes.values) == 0 && !text {
			return usagef("--subgraphs needs --stream or -o text")
		}
		p := remotegraph.RunParams{Context: cctx.value()}
		var err error
		if p.Config, err = decodeConfig(config); err != nil {
			return err
		}
		if p.Metadata, err = md.object(); err != nil {
			return err
		}
		if resume.set() {
			p.Command = &langgraph.Command{Resume: resume.raw}
		}
		if len(*before) > 0 {
			p.InterruptBefore = langgraph.Nodes(*before)
		}
		if len(*after) > 0 {
			p.InterruptAfter = langgraph.Nodes(*after)
		}
		var gp remotegraph.Params
		if *thread != "" {
			gp.Config = remotegraph.ThreadConfig(*thread)
		}
		g, err := remotegraph.New(e.c, args[0], gp)
		if err != nil {
			return err
		}
		if len(modes.values) > 0 || text {
			sp := remotegraph.StreamParams{
				Config: p.Config, Context: p.Context, Command: p.Command, Metadata: p.Metadata,
				InterruptBefore: p.InterruptBefore, InterruptAfter: p.InterruptAfter,
				StreamMode: streamModesOf(modes), Subgraphs: *subgraphs,
			}
			if len(sp.StreamMode) == 0 {
				sp.StreamMode = textStreamModes()
			}
			_, err := printStreamAs(e.stdout, output.value, g.Stream(ctx, input.value(), sp))
			return err
		}
		res, err := g.Invoke(ctx, input.value(), p)
		if err != nil {
			return err
		}
		return printResult(e, res)
	}
}
