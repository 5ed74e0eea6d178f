package main

import (
	"context"
	"flag"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/threads"
)

var threadStatuses = []string{"idle", "busy", "interrupted", "error"}

func threadsCommands() []*command {
	return []*command{
		{group: "threads", name: "search", summary: "list the threads you can see (one page, or every page with --all)",
			examples: []string{
				`lg threads search`,
				`lg threads search --metadata '{"topic":"demo"}' --status idle --limit 50`,
				`lg threads search --all --select thread_id,status`,
			}, setup: threadsSearch},
		{group: "threads", name: "count", summary: "count the threads you can see",
			examples: []string{`lg threads count --status interrupted`}, setup: threadsCount},
		{group: "threads", name: "create", summary: "create a thread",
			examples: []string{
				`lg threads create`,
				`lg threads create --id 6f0d3a55-8f3e-4d0e-9d7c-2f3c4e5a6b7c --if-exists do_nothing --metadata '{"topic":"demo"}'`,
			}, setup: threadsCreate},
		{group: "threads", name: "get", args: "THREAD_ID", summary: "print a thread",
			examples: []string{`lg threads get THREAD_ID`}, setup: threadsGet},
		{group: "threads", name: "update", args: "THREAD_ID", summary: "merge metadata into a thread",
			examples: []string{`lg threads update THREAD_ID --metadata '{"topic":"renamed"}'`}, setup: threadsUpdate},
		{group: "threads", name: "delete", args: "THREAD_ID", summary: "delete a thread and its runs (prints nothing)",
			examples: []string{`lg threads delete THREAD_ID`}, setup: threadsDelete},
		{group: "threads", name: "copy", args: "THREAD_ID", summary: "copy a thread, with its state and history, and print the copy",
			examples: []string{`lg threads copy THREAD_ID`}, setup: threadsCopy},
		{group: "threads", name: "state", args: "THREAD_ID", summary: "print a thread's state, latest or at a checkpoint",
			examples: []string{
				`lg threads state THREAD_ID`,
				`lg threads state THREAD_ID --checkpoint-id CHECKPOINT_ID --subgraphs`,
			}, setup: threadsState},
		{group: "threads", name: "update-state", args: "THREAD_ID", summary: "write values to a thread's state, as if by a node",
			examples: []string{
				`lg threads update-state THREAD_ID --values '{"answer":"yes"}' --as-node ask`,
				`lg threads update-state THREAD_ID --values @values.json`,
			}, setup: threadsUpdateState},
		{group: "threads", name: "history", args: "THREAD_ID", summary: "print a thread's past states, newest first",
			examples: []string{
				`lg threads history THREAD_ID --limit 5`,
				`lg threads history THREAD_ID --before CHECKPOINT_ID`,
			}, setup: threadsHistory},
		threadsStreamCommand(),
	}
}

func threadsSearch(fs *flag.FlagSet, in *inputs) action {
	md := jsonVar(fs, in, "metadata", "only threads whose metadata contains these pairs (object)")
	values := jsonVar(fs, in, "values", "only threads whose state contains these pairs (object)")
	ids := listVar(fs, "ids", "only these thread ids (comma-separated or repeated)")
	status := choiceVar(fs, "status", "only threads with this status", threadStatuses...)
	limit := fs.Int("limit", 0, "page size (server default 10)")
	offset := fs.Int("offset", 0, "skip this many threads")
	sortBy := choiceVar(fs, "sort-by", "sort field", "thread_id", "status", "created_at", "updated_at", "state_updated_at")
	sortOrder := choiceVar(fs, "sort-order", "sort order", "asc", "desc")
	sel := listVar(fs, "select", "fields to return, e.g. thread_id,status")
	all := fs.Bool("all", false, "fetch every page (--limit threads per request) and print them as one array")
	return func(ctx context.Context, e *env, _ []string) error {
		if err := nonNegative("limit", *limit); err != nil {
			return err
		}
		if err := nonNegative("offset", *offset); err != nil {
			return err
		}
		p := threads.SearchParams{
			IDs: *ids, Status: langgraph.Status(status.value), Limit: *limit, Offset: *offset,
			SortBy: threads.SortBy(sortBy.value), SortOrder: langgraph.SortOrder(sortOrder.value), Select: *sel,
		}
		var err error
		if p.Metadata, err = md.object(); err != nil {
			return err
		}
		if p.Values, err = values.object(); err != nil {
			return err
		}
		var out []threads.Thread
		if *all {
			out, err = collect(e.c.Threads.SearchAll(ctx, p))
		} else {
			out, err = e.c.Threads.Search(ctx, p)
		}
		if err != nil {
			return err
		}
		return e.print(nonNil(out))
	}
}

func threadsCount(fs *flag.FlagSet, in *inputs) action {
	md := jsonVar(fs, in, "metadata", "only threads whose metadata contains these pairs (object)")
	values := jsonVar(fs, in, "values", "only threads whose state contains these pairs (object)")
	status := choiceVar(fs, "status", "only threads with this status", threadStatuses...)
	return func(ctx context.Context, e *env, _ []string) error {
		p := threads.CountParams{Status: langgraph.Status(status.value)}
		var err error
		if p.Metadata, err = md.object(); err != nil {
			return err
		}
		if p.Values, err = values.object(); err != nil {
			return err
		}
		n, err := e.c.Threads.Count(ctx, p)
		if err != nil {
			return err
		}
		return e.print(n)
	}
}

func threadsCreate(fs *flag.FlagSet, in *inputs) action {
	id := fs.String("id", "", "the new thread's id (default: chosen by the server)")
	md := jsonVar(fs, in, "metadata", "metadata stored with the thread (object)")
	ifExists := choiceVar(fs, "if-exists", "what to do when --id is taken", "raise", "do_nothing")
	graph := fs.String("graph", "", "stored as metadata.graph_id")
	ttl := fs.Duration("ttl", 0, "delete the thread this long after its last update, in whole minutes (e.g. 90m)")
	supersteps := jsonVar(fs, in, "supersteps", `history to seed, e.g. [{"updates":[{"values":{...},"as_node":"agent"}]}]`)
	return func(ctx context.Context, e *env, _ []string) error {
		p := threads.CreateParams{ThreadID: *id, IfExists: langgraph.IfExists(ifExists.value), GraphID: *graph}
		var err error
		if p.Metadata, err = md.object(); err != nil {
			return err
		}
		if err := supersteps.decode(&p.Supersteps); err != nil {
			return err
		}
		if *ttl < 0 || *ttl%time.Minute != 0 {
			return usagef("--ttl: %v is not a whole number of minutes", *ttl)
		}
		p.TTL = *ttl
		t, err := e.c.Threads.Create(ctx, p)
		if err != nil {
			return err
		}
		return e.print(t)
	}
}

func threadsGet(fs *flag.FlagSet, in *inputs) action {
	return func(ctx context.Context, e *env, args []string) error {
		t, err := e.c.Threads.Get(ctx, args[0])
		if err != nil {
			return err
		}
		return e.print(t)
	}
}

func threadsUpdate(fs *flag.FlagSet, in *inputs) action {
	md := jsonVar(fs, in, "metadata", "metadata merged into the thread's (object; required)")
	ttl := fs.Duration("ttl", 0, "replace the thread's time to live, in whole minutes (e.g. 90m)")
	return func(ctx context.Context, e *env, args []string) error {
		if !md.set() && *ttl == 0 {
			return usagef("--metadata is required (or --ttl)")
		}
		m, err := md.object()
		if err != nil {
			return err
		}
		p := threads.UpdateParams{Metadata: m}
		if *ttl < 0 || *ttl%time.Minute != 0 {
			return usagef("--ttl: %v is not a whole number of minutes", *ttl)
		}
		p.TTL = *ttl
		t, err := e.c.Threads.Update(ctx, args[0], p)
		if err != nil {
			return err
		}
		return e.print(t)
	}
}

func threadsDelete(fs *flag.FlagSet, in *inputs) action {
	return func(ctx context.Context, e *env, args []string) error {
		return e.c.Threads.Delete(ctx, args[0])
	}
}

func threadsCopy(fs *flag.FlagSet, in *inputs) action {
	return func(ctx context.Context, e *env, args []string) error {
		t, err := e.c.Threads.Copy(ctx, args[0])
		if err != nil {
			return err
		}
		return e.print(t)
	}
}

func threadsState(fs *flag.FlagSet, in *inputs) action {
	cpID := fs.String("checkpoint-id", "", "the state at this checkpoint (default: the latest)")
	cp := jsonVar(fs, in, "checkpoint", `the state at this checkpoint, e.g. {"checkpoint_id":"...","checkpoint_ns":""}`)
	subgraphs := fs.Bool("subgraphs", false, "include the state of subgraphs")
	return func(ctx context.Context, e *env, args []string) error {
		p := threads.StateParams{CheckpointID: *cpID, Subgraphs: *subgraphs}
		if cp.set() {
			if *cpID != "" {
				return usagef("--checkpoint and --checkpoint-id cannot be combined")
			}
			p.Checkpoint = new(langgraph.Checkpoint)
			if err := cp.decode(p.Checkpoint); err != nil {
				return err
			}
		}
		st, err := e.c.Threads.GetState(ctx, args[0], p)
		if err != nil {
			return err
		}
		return e.print(st)
	}
}

func threadsUpdateState(fs *flag.FlagSet, in *inputs) action {
	values := jsonVar(fs, in, "values", "values written to the state (default null)")
	asNode := fs.String("as-node", "", "the node the update is attributed to")
	cpID := fs.String("checkpoint-id", "", "update the state at this checkpoint (forks history)")
	return func(ctx context.Context, e *env, args []string) error {
		p := threads.UpdateStateParams{Values: values.value(), AsNode: *asNode, CheckpointID: *cpID}
		r, err := e.c.Threads.UpdateState(ctx, args[0], p)
		if err != nil {
			return err
		}
		return e.print(r)
	}
}

func threadsHistory(fs *flag.FlagSet, in *inputs) action {
	limit := fs.Int("limit", 0, "number of states (server default 10)")
	before := fs.String("before", "", "only states older than this checkpoint id")
	md := jsonVar(fs, in, "metadata", "only checkpoints whose metadata contains these pairs (object)")
	return func(ctx context.Context, e *env, args []string) error {
		if err := nonNegative("limit", *limit); err != nil {
			return err
		}
		p := threads.HistoryParams{Limit: *limit}
		if *before != "" {
			p.Before = &langgraph.Checkpoint{CheckpointID: *before}
		}
		var err error
		if p.Metadata, err = md.object(); err != nil {
			return err
		}
		out, err := e.c.Threads.GetHistory(ctx, args[0], p)
		if err != nil {
			return err
		}
		return e.print(nonNil(out))
	}
}
