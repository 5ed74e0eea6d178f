package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
)

// command is one lg command, e.g. "threads get".
type command struct {
	group    string // "threads"; empty for a top-level command
	name     string
	args     string // positional arguments, e.g. "THREAD_ID RUN_ID" or "[PREFIX]"
	summary  string
	notes    string // more help, after the summary
	examples []string
	// setup registers the command's flags and returns its action.
	setup func(fs *flag.FlagSet, in *inputs) action
}

// action runs a command with its positional arguments.
type action func(ctx context.Context, e *env, args []string) error

func (c *command) path() string {
	if c.group == "" {
		return c.name
	}
	return c.group + " " + c.name
}

// checkArgs checks the number of positional arguments and that none is empty.
func (c *command) checkArgs(args []string) error {
	var required, optional []string
	for _, a := range strings.Fields(c.args) {
		if strings.HasPrefix(a, "[") {
			optional = append(optional, strings.Trim(a, "[]"))
		} else {
			required = append(required, a)
		}
	}
	if len(args) < len(required) {
		return usagef("missing %s argument", strings.Join(required[len(args):], " and "))
	}
	if len(args) > len(required)+len(optional) {
		return usagef("unexpected argument %q", args[len(required)+len(optional)])
	}
	for i, a := range args {
		if a == "" {
			return usagef("%s argument is empty", append(required, optional...)[i])
		}
	}
	return nil
}

// groups lists the command groups in help order.
var groups = []struct{ name, summary string }{
	{"threads", "threads (conversations) and their state"},
	{"assistants", "assistants (configured graphs)"},
	{"runs", "start, wait for, stream and manage runs"},
	{"store", "the long-term key-value store"},
	{"crons", "scheduled runs"},
}

// commands returns every command, freshly built.
func commands() []*command {
	var all []*command
	all = append(all, infoCommand())
	all = append(all, threadsCommands()...)
	all = append(all, assistantsCommands()...)
	all = append(all, runsCommands()...)
	all = append(all, storeCommands()...)
	all = append(all, cronsCommands()...)
	all = append(all, invokeCommand())
	return all
}

func isGroup(name string) bool {
	return slices.ContainsFunc(groups, func(g struct{ name, summary string }) bool { return g.name == name })
}

func isHelpArg(s string) bool {
	return s == "-h" || s == "--help" || s == "-help" || s == "help"
}

// lookup finds the command named by args and returns the rest of args. When
// it finds none it prints why and returns the exit status.
func lookup(args []string, stdout, stderr io.Writer) (*command, []string, int) {
	all := commands()
	name := args[0]
	if isGroup(name) {
		if len(args) < 2 {
			fmt.Fprintf(stderr, "lg %s: missing subcommand\n\n", name)
			groupHelp(stderr, name, all)
			return nil, nil, exitUsage
		}
		if isHelpArg(args[1]) {
			groupHelp(stdout, name, all)
			return nil, nil, exitOK
		}
		for _, c := range all {
			if c.group == name && c.name == args[1] {
				return c, args[2:], exitOK
			}
		}
		fmt.Fprintf(stderr, "lg %s: unknown subcommand %q\n\n", name, args[1])
		groupHelp(stderr, name, all)
		return nil, nil, exitUsage
	}
	for _, c := range all {
		if c.group == "" && c.name == name {
			return c, args[1:], exitOK
		}
	}
	fmt.Fprintf(stderr, "lg: unknown command %q\nRun 'lg help' for usage.\n", name)
	return nil, nil, exitUsage
}

// help prints the help of lg, of a group or of a command.
func help(args []string, stdout, stderr io.Writer) int {
	all := commands()
	switch {
	case len(args) == 0:
		mainHelp(stdout)
		return exitOK
	case isGroup(args[0]) && len(args) == 1:
		groupHelp(stdout, args[0], all)
		return exitOK
	}
	want := strings.Join(args, " ")
	for _, c := range all {
		if c.path() == want {
			fs := flag.NewFlagSet(c.path(), flag.ContinueOnError)
			c.setup(fs, &inputs{})
			commandHelp(stdout, c, fs)
			return exitOK
		}
	}
	fmt.Fprintf(stderr, "lg help: unknown command %q\nRun 'lg help' for usage.\n", want)
	return exitUsage
}

func mainHelp(w io.Writer) {
	all := commands()
	fmt.Fprint(w, `lg: a command-line client for LangGraph deployments (the LangGraph Server API).

Usage:
  lg [global flags] COMMAND [SUBCOMMAND] [flags] [ARGUMENTS]

Commands:
`)
	fmt.Fprintf(w, "  %-11s %s\n", "info", "the server's version and feature flags")
	for _, g := range groups {
		var names []string
		for _, c := range all {
			if c.group == g.name {
				names = append(names, c.name)
			}
		}
		fmt.Fprintf(w, "  %-11s %s\n", g.name, strings.Join(names, "|"))
	}
	fmt.Fprintf(w, "  %-11s %s\n", "invoke", "run a graph and print its result (the RemoteGraph path)")
	fmt.Fprintf(w, "  %-11s %s\n", "help", "this help; 'lg help COMMAND' or 'lg COMMAND -h' for a command's")
	fmt.Fprint(w, "\n"+globalHelp+`
Input: flags marked JSON take JSON text, @FILE to read a file, or - to read
standard input.
Output: one JSON document on standard output; streams print JSON Lines,
one {"event":...,"id":...,"data":...} object per event (threads stream: the
thread stream protocol's own event objects). With --output text (-o text:
runs stream, runs join-stream, invoke, threads stream) a stream is printed for a
person at a terminal instead: message text token by token as it arrives,
"[node NAME]" as nodes finish, other events as "[EVENT] JSON", errors as
"[error] ...", and at the end "[state]" with the final state or
"[interrupted]" with the pending interrupts.
Exit status: 0 success; 1 bad usage or input; 2 API error (status and message
on standard error) or a failed run; 3 the server cannot be reached, or --timeout
expired; 4 the run stopped at an interrupt or a breakpoint, waiting to be
resumed (runs wait, join, stream, join-stream and invoke print its result or
events first; a stream shows it in a values or updates event, so stream one of
these modes); 130 lg was interrupted (Ctrl-C).

Examples:
  export LANGGRAPH_API_URL=http://localhost:8123 LANGGRAPH_AUTH_TOKEN=token-alice
  lg info
  lg threads create --metadata '{"topic":"demo"}'
  lg runs wait agent --thread THREAD_ID --input '{"messages":[{"role":"human","content":"hi"}]}'
  lg runs stream agent --input @input.json --stream-mode updates,custom
  lg threads stream agent --input '{"messages":[{"role":"human","content":"hi"}]}' --ws
  lg invoke agent --input '{"messages":[{"role":"human","content":"hi"}]}' -o text
  lg --token "$TOKEN" threads search --status interrupted
`)
}

func groupHelp(w io.Writer, group string, all []*command) {
	fmt.Fprintf(w, "Usage: lg %s SUBCOMMAND [flags] [ARGUMENTS]\n\n", group)
	for _, g := range groups {
		if g.name == group {
			fmt.Fprintf(w, "Manage %s.\n\n", g.summary)
		}
	}
	fmt.Fprintln(w, "Subcommands:")
	for _, c := range all {
		if c.group == group {
			fmt.Fprintf(w, "  %-36s %s\n", strings.TrimSpace(c.name+" "+c.args), c.summary)
		}
	}
	fmt.Fprintf(w, "\nRun 'lg %s SUBCOMMAND -h' for its flags and examples.\n", group)
}

func commandHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: lg %s [flags]", c.path())
	if c.args != "" {
		fmt.Fprintf(w, " %s", c.args)
	}
	fmt.Fprintf(w, "\n\n%s.\n", upperFirst(c.summary))
	if c.notes != "" {
		fmt.Fprintf(w, "%s\n", c.notes)
	}
	var lines [][2]string
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		if _, short := f.Value.(shortFlag); f.Usage == "" || short { // a global flag, or -x for --xxx
			return
		}
		kind, usage := flag.UnquoteUsage(f)
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			kind = ""
		}
		switch f.Value.(type) {
		case *jsonFlag:
			kind = "JSON"
		case *listFlag, *choiceList:
			kind = "LIST"
		case *choiceFlag:
			kind = "VALUE"
		}
		name := "--" + f.Name
		if kind != "" {
			name += " " + strings.ToUpper(kind)
		}
		if f.DefValue != "" && f.DefValue != "0" && f.DefValue != "0s" && f.DefValue != "false" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		width = max(width, len(name))
		lines = append(lines, [2]string{name, usage})
	})
	if len(lines) > 0 {
		fmt.Fprintln(w, "\nFlags:")
		for _, l := range lines {
			fmt.Fprintf(w, "  %-*s  %s\n", width, l[0], l[1])
		}
	}
	fmt.Fprintln(w, "\nJSON flags take JSON text, @FILE or - (standard input).")
	fmt.Fprintln(w, "Global flags: --url, --token, --api-key, --header, --timeout, --retries (see 'lg help').")
	if len(c.examples) > 0 {
		fmt.Fprintln(w, "\nExamples:")
		for _, ex := range c.examples {
			fmt.Fprintf(w, "  %s\n", ex)
		}
	}
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// collect gathers every item of a paging iterator.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	out := []T{}
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// nonNil turns a nil slice into an empty one, printed as [].
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// infoCommand is lg info.
func infoCommand() *command {
	return &command{
		name:     "info",
		summary:  "print the server's version and feature flags (GET /info; no credentials needed)",
		examples: []string{"lg info", "lg info --url https://my-deployment.example.com"},
		setup: func(fs *flag.FlagSet, in *inputs) action {
			return func(ctx context.Context, e *env, _ []string) error {
				info, err := e.c.Info(ctx)
				if err != nil {
					return err
				}
				return e.print(info.Raw)
			}
		},
	}
}
