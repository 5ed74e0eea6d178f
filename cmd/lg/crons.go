package main

import (
	"context"
	"flag"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/crons"
	"github.com/langgraph-go/langgraph/runs"
)

func cronsCommands() []*command {
	return []*command{
		{group: "crons", name: "create", args: "ASSISTANT", summary: "schedule runs of an assistant, on a thread or stateless, and print the job",
			examples: []string{
				`lg crons create agent --schedule '0 9 * * 1-5' --timezone Europe/Paris --input ` + inputExample,
				`lg crons create agent --thread THREAD_ID --schedule '*/30 * * * *' --input @input.json --end-time 2030-01-01T00:00:00Z`,
			}, setup: cronsCreate},
		{group: "crons", name: "update", args: "CRON_ID", summary: "change a cron job and print it",
			examples: []string{
				`lg crons update CRON_ID --schedule '0 10 * * *'`,
				`lg crons update CRON_ID --enabled=false --clear-end-time`,
			}, setup: cronsUpdate},
		{group: "crons", name: "delete", args: "CRON_ID", summary: "delete a cron job (prints nothing)",
			examples: []string{`lg crons delete CRON_ID`}, setup: cronsDelete},
		{group: "crons", name: "search", summary: "list cron jobs (one page, or every page with --all)",
			examples: []string{`lg crons search --assistant agent`, `lg crons search --enabled --sort-by next_run_date`}, setup: cronsSearch},
		{group: "crons", name: "count", summary: "count cron jobs",
			examples: []string{`lg crons count --thread THREAD_ID`}, setup: cronsCount},
	}
}

// parseTime reads an RFC 3339 time flag.
func parseTime(name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usagef("--%s %q: want an RFC 3339 time, e.g. 2030-01-01T00:00:00Z", name, s)
	}
	return t, nil
}

// streamModesOf converts the values of a --stream-mode flag.
func streamModesOf(l *choiceList) []runs.StreamMode {
	var out []runs.StreamMode
	for _, m := range l.values {
		out = append(out, runs.StreamMode(m))
	}
	return out
}

// decodeConfig decodes a --config flag; nil when it was not given.
func decodeConfig(f *jsonFlag) (*langgraph.Config, error) {
	if !f.set() {
		return nil, nil
	}
	cfg := new(langgraph.Config)
	if err := f.decode(cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

func cronsCreate(fs *flag.FlagSet, in *inputs) action {
	thread := fs.String("thread", "", "run on this thread (default: a stateless run each time)")
	schedule := fs.String("schedule", "", "cron schedule, e.g. '0 9 * * 1-5' (required)")
	timezone := fs.String("timezone", "", "IANA time zone of the schedule, e.g. Europe/Paris (default UTC)")
	endTime := fs.String("end-time", "", "no runs after this RFC 3339 time")
	enabled := optBoolVar(fs, "enabled", "whether the job runs (default true)")
	onDone := choiceVar(fs, "on-run-completed", "what happens to a stateless run's thread", "delete", "keep")
	input := jsonVar(fs, in, "input", "the graph's input")
	md := jsonVar(fs, in, "metadata", "metadata of the job's runs (object)")
	config := jsonVar(fs, in, "config", "run configuration")
	cctx := jsonVar(fs, in, "context", "static context for the graph")
	before := listVar(fs, "interrupt-before", "stop before these nodes (* for all)")
	after := listVar(fs, "interrupt-after", "stop after these nodes (* for all)")
	webhook := fs.String("webhook", "", "URL called when each run ends")
	multitask := choiceVar(fs, "multitask-strategy", "when the thread is busy", "reject", "interrupt", "rollback", "enqueue")
	durability := choiceVar(fs, "durability", "when checkpoints are saved", "sync", "async", "exit")
	modes := choiceListVar(fs, "stream-mode", "stream modes of the runs", streamModes...)
	subgraphs := fs.Bool("subgraphs", false, "stream the events of subgraphs too")
	resumable := fs.Bool("resumable", false, "make the runs' streams resumable")
	return func(ctx context.Context, e *env, args []string) error {
		if *schedule == "" {
			return usagef("--schedule is required")
		}
		p := crons.CreateParams{
			Schedule: *schedule, Timezone: *timezone, Enabled: enabled.p, OnRunCompleted: runs.OnCompletion(onDone.value),
			Input: input.value(), Context: cctx.value(), Webhook: *webhook,
			MultitaskStrategy: runs.MultitaskStrategy(multitask.value), Durability: runs.Durability(durability.value),
			StreamMode: streamModesOf(modes), Subgraphs: *subgraphs, StreamResumable: *resumable,
		}
		if len(*before) > 0 {
			p.InterruptBefore = langgraph.Nodes(*before)
		}
		if len(*after) > 0 {
			p.InterruptAfter = langgraph.Nodes(*after)
		}
		var err error
		if p.EndTime, err = parseTime("end-time", *endTime); err != nil {
			return err
		}
		if p.Metadata, err = md.object(); err != nil {
			return err
		}
		if p.Config, err = decodeConfig(config); err != nil {
			return err
		}
		var c *crons.Cron
		if *thread != "" {
			if p.OnRunCompleted != "" {
				return usagef("--on-run-completed applies to stateless jobs only (without --thread)")
			}
			c, err = e.c.Crons.CreateForThread(ctx, *thread, args[0], p)
		} else {
			c, err = e.c.Crons.Create(ctx, args[0], p)
		}
		if err != nil {
			return err
		}
		return e.print(c)
	}
}

func cronsUpdate(fs *flag.FlagSet, in *inputs) action {
	schedule := fs.String("schedule", "", "new cron schedule")
	timezone := fs.String("timezone", "", "new IANA time zone")
	endTime := fs.String("end-time", "", "no runs after this RFC 3339 time")
	clearEnd := fs.Bool("clear-end-time", false, "remove the end time")
	enabled := optBoolVar(fs, "enabled", "enable (--enabled) or disable (--enabled=false) the job")
	onDone := choiceVar(fs, "on-run-completed", "what happens to a stateless run's thread", "delete", "keep")
	input := jsonVar(fs, in, "input", "the graph's input")
	md := jsonVar(fs, in, "metadata", "metadata of the job's runs (object)")
	config := jsonVar(fs, in, "config", "run configuration")
	cctx := jsonVar(fs, in, "context", "static context for the graph")
	before := listVar(fs, "interrupt-before", "stop before these nodes (* for all)")
	after := listVar(fs, "interrupt-after", "stop after these nodes (* for all)")
	webhook := fs.String("webhook", "", "URL called when each run ends")
	durability := choiceVar(fs, "durability", "when checkpoints are saved", "sync", "async", "exit")
	modes := choiceListVar(fs, "stream-mode", "stream modes of the runs", streamModes...)
	subgraphs := optBoolVar(fs, "subgraphs", "stream the events of subgraphs too")
	resumable := optBoolVar(fs, "resumable", "make the runs' streams resumable")
	return func(ctx context.Context, e *env, args []string) error {
		p := crons.UpdateParams{
			Schedule: *schedule, Timezone: *timezone, ClearEndTime: *clearEnd, Enabled: enabled.p,
			OnRunCompleted: runs.OnCompletion(onDone.value), Input: input.value(), Context: cctx.value(),
			Webhook: *webhook, Durability: runs.Durability(durability.value), StreamMode: streamModesOf(modes),
			Subgraphs: subgraphs.p, StreamResumable: resumable.p,
		}
		if len(*before) > 0 {
			p.InterruptBefore = langgraph.Nodes(*before)
		}
		if len(*after) > 0 {
			p.InterruptAfter = langgraph.Nodes(*after)
		}
		var err error
		if p.EndTime, err = parseTime("end-time", *endTime); err != nil {
			return err
		}
		if *clearEnd && !p.EndTime.IsZero() {
			return usagef("--end-time and --clear-end-time cannot be combined")
		}
		if p.Metadata, err = md.object(); err != nil {
			return err
		}
		if p.Config, err = decodeConfig(config); err != nil {
			return err
		}
		c, err := e.c.Crons.Update(ctx, args[0], p)
		if err != nil {
			return err
		}
		return e.print(c)
	}
}

func cronsDelete(fs *flag.FlagSet, in *inputs) action {
	return func(ctx context.Context, e *env, args []string) error {
		return e.c.Crons.Delete(ctx, args[0])
	}
}

func cronsSearch(fs *flag.FlagSet, in *inputs) action {
	assistant := fs.String("assistant", "", "only the jobs of this assistant")
	thread := fs.String("thread", "", "only the jobs of this thread")
	enabled := optBoolVar(fs, "enabled", "only enabled (--enabled) or disabled (--enabled=false) jobs")
	md := jsonVar(fs, in, "metadata", "only jobs whose metadata contains these pairs (object)")
	limit := fs.Int("limit", 0, "page size (server default 10)")
	offset := fs.Int("offset", 0, "skip this many jobs")
	sortBy := choiceVar(fs, "sort-by", "sort field", "cron_id", "assistant_id", "thread_id", "created_at", "updated_at", "next_run_date", "end_time")
	sortOrder := choiceVar(fs, "sort-order", "sort order", "asc", "desc")
	sel := listVar(fs, "select", "fields to return, e.g. cron_id,schedule")
	all := fs.Bool("all", false, "fetch every page (--limit jobs per request) and print them as one array")
	return func(ctx context.Context, e *env, _ []string) error {
		if err := nonNegative("limit", *limit); err != nil {
			return err
		}
		if err := nonNegative("offset", *offset); err != nil {
			return err
		}
		p := crons.SearchParams{AssistantID: *assistant, ThreadID: *thread, Enabled: enabled.p, Limit: *limit, Offset: *offset,
			SortBy: crons.SortBy(sortBy.value), SortOrder: langgraph.SortOrder(sortOrder.value), Select: *sel}
		var err error
		if p.Metadata, err = md.object(); err != nil {
			return err
		}
		var out []crons.Cron
		if *all {
			out, err = collect(e.c.Crons.SearchAll(ctx, p))
		} else {
			out, err = e.c.Crons.Search(ctx, p)
		}
		if err != nil {
			return err
		}
		return e.print(nonNil(out))
	}
}

func cronsCount(fs *flag.FlagSet, in *inputs) action {
	assistant := fs.String("assistant", "", "only the jobs of this assistant")
	thread := fs.String("thread", "", "only the jobs of this thread")
	md := jsonVar(fs, in, "metadata", "only jobs whose metadata contains these pairs (object)")
	return func(ctx context.Context, e *env, _ []string) error {
		p := crons.CountParams{AssistantID: *assistant, ThreadID: *thread}
		var err error
		if p.Metadata, err = md.object(); err != nil {
			return err
		}
		n, err := e.c.Crons.Count(ctx, p)
		if err != nil {
			return err
		}
		return e.print(n)
	}
}
