package main

import (
	"context"
	"flag"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/assistants"
)

func assistantsCommands() []*command {
	return []*command{
		{group: "assistants", name: "search", summary: "list assistants (one page, or every page with --all)",
			examples: []string{
				`lg assistants search`,
				`lg assistants search --graph agent --select assistant_id,name`,
			}, setup: assistantsSearch},
		{group: "assistants", name: "count", summary: "count assistants",
			examples: []string{`lg assistants count --graph agent`}, setup: assistantsCount},
		{group: "assistants", name: "get", args: "ASSISTANT_ID", summary: "print an assistant",
			examples: []string{`lg assistants get ASSISTANT_ID`}, setup: assistantsGet},
		{group: "assistants", name: "graph", args: "ASSISTANT_ID", summary: "print an assistant's graph (nodes and edges)",
			examples: []string{`lg assistants graph ASSISTANT_ID`, `lg assistants graph ASSISTANT_ID --xray`}, setup: assistantsGraph},
		{group: "assistants", name: "schemas", args: "ASSISTANT_ID", summary: "print the JSON schemas of an assistant's input, output, state and config",
			examples: []string{`lg assistants schemas ASSISTANT_ID`}, setup: assistantsSchemas},
		{group: "assistants", name: "versions", args: "ASSISTANT_ID", summary: "list an assistant's versions",
			examples: []string{`lg assistants versions ASSISTANT_ID --limit 5`}, setup: assistantsVersions},
	}
}

func assistantsSearch(fs *flag.FlagSet, in *inputs) action {
	md := jsonVar(fs, in, "metadata", "only assistants whose metadata contains these pairs (object)")
	graph := fs.String("graph", "", "only assistants of this graph")
	name := fs.String("name", "", "only assistants whose name contains this")
	limit := fs.Int("limit", 0, "page size (server default 10)")
	offset := fs.Int("offset", 0, "skip this many assistants")
	sortBy := choiceVar(fs, "sort-by", "sort field", "assistant_id", "graph_id", "name", "created_at", "updated_at")
	sortOrder := choiceVar(fs, "sort-order", "sort order", "asc", "desc")
	sel := listVar(fs, "select", "fields to return, e.g. assistant_id,name")
	all := fs.Bool("all", false, "fetch every page (--limit assistants per request) and print them as one array")
	return func(ctx context.Context, e *env, _ []string) error {
		if err := nonNegative("limit", *limit); err != nil {
			return err
		}
		if err := nonNegative("offset", *offset); err != nil {
			return err
		}
		p := assistants.SearchParams{GraphID: *graph, Name: *name, Limit: *limit, Offset: *offset,
			SortBy: assistants.SortBy(sortBy.value), SortOrder: langgraph.SortOrder(sortOrder.value), Select: *sel}
		var err error
		if p.Metadata, err = md.object(); err != nil {
			return err
		}
		var out []assistants.Assistant
		if *all {
			out, err = collect(e.c.Assistants.SearchAll(ctx, p))
		} else {
			out, err = e.c.Assistants.Search(ctx, p)
		}
		if err != nil {
			return err
		}
		return e.print(nonNil(out))
	}
}

func assistantsCount(fs *flag.FlagSet, in *inputs) action {
	md := jsonVar(fs, in, "metadata", "only assistants whose metadata contains these pairs (object)")
	graph := fs.String("graph", "", "only assistants of this graph")
	name := fs.String("name", "", "only assistants whose name contains this")
	return func(ctx context.Context, e *env, _ []string) error {
		p := assistants.CountParams{GraphID: *graph, Name: *name}
		var err error
		if p.Metadata, err = md.object(); err != nil {
			return err
		}
		n, err := e.c.Assistants.Count(ctx, p)
		if err != nil {
			return err
		}
		return e.print(n)
	}
}

func assistantsGet(fs *flag.FlagSet, in *inputs) action {
	return func(ctx context.Context, e *env, args []string) error {
		a, err := e.c.Assistants.Get(ctx, args[0])
		if err != nil {
			return err
		}
		return e.print(a)
	}
}

func assistantsGraph(fs *flag.FlagSet, in *inputs) action {
	xray := fs.Bool("xray", false, "include the nodes of subgraphs")
	depth := fs.Int("xray-depth", 0, "include subgraphs down to this depth")
	return func(ctx context.Context, e *env, args []string) error {
		if err := nonNegative("xray-depth", *depth); err != nil {
			return err
		}
		g, err := e.c.Assistants.GetGraph(ctx, args[0], assistants.GraphParams{XRay: *xray, XRayDepth: *depth})
		if err != nil {
			return err
		}
		return e.print(g)
	}
}

func assistantsSchemas(fs *flag.FlagSet, in *inputs) action {
	return func(ctx context.Context, e *env, args []string) error {
		s, err := e.c.Assistants.GetSchemas(ctx, args[0])
		if err != nil {
			return err
		}
		return e.print(s)
	}
}

func assistantsVersions(fs *flag.FlagSet, in *inputs) action {
	md := jsonVar(fs, in, "metadata", "only versions whose metadata contains these pairs (object)")
	limit := fs.Int("limit", 0, "page size (server default 10)")
	offset := fs.Int("offset", 0, "skip this many versions")
	return func(ctx context.Context, e *env, args []string) error {
		if err := nonNegative("limit", *limit); err != nil {
			return err
		}
		if err := nonNegative("offset", *offset); err != nil {
			return err
		}
		p := assistants.VersionsParams{Limit: *limit, Offset: *offset}
		var err error
		if p.Metadata, err = md.object(); err != nil {
			return err
		}
		out, err := e.c.Assistants.GetVersions(ctx, args[0], p)
		if err != nil {
			return err
		}
		return e.print(nonNil(out))
	}
}
