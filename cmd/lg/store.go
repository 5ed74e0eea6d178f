package main

import (
	"context"
	"encoding/json"
	"flag"
	"strings"
	"time"

	"github.com/langgraph-go/langgraph/store"
)

func storeCommands() []*command {
	return []*command{
		{group: "store", name: "put", notes: namespaceHelp, args: "NAMESPACE KEY", summary: "store a JSON object under a namespace and key (prints nothing)",
			examples: []string{
				`lg store put alice.notes todo --value '{"text":"buy milk"}'`,
				`lg store put alice.notes todo --value @note.json --ttl 60m --no-index`,
			}, setup: storePut},
		{group: "store", name: "get", notes: namespaceHelp, args: "NAMESPACE KEY", summary: "print an item (exit status 2 when there is none)",
			examples: []string{`lg store get alice.notes todo`}, setup: storeGet},
		{group: "store", name: "delete", notes: namespaceHelp, args: "NAMESPACE KEY", summary: "delete an item (prints nothing)",
			examples: []string{`lg store delete alice.notes todo`}, setup: storeDelete},
		{group: "store", name: "search", notes: namespaceHelp, args: "[PREFIX]", summary: "list the items under a namespace prefix",
			examples: []string{
				`lg store search alice`,
				`lg store search alice.notes --filter '{"done":false}' --limit 20`,
				`lg store search alice --query "milk" --all`,
			}, setup: storeSearch},
		{group: "store", name: "namespaces", notes: namespaceHelp, summary: "list namespaces",
			examples: []string{`lg store namespaces --prefix alice --max-depth 2`}, setup: storeNamespaces},
	}
}

const namespaceHelp = "A NAMESPACE is dot-separated labels (alice.notes) or a JSON array ([\"alice\",\"notes\"])."

// parseNamespace reads a dotted namespace or a JSON array of labels.
func parseNamespace(what, s string) ([]string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if strings.HasPrefix(s, "[") {
		var ns []string
		if err := json.Unmarshal([]byte(s), &ns); err != nil {
			return nil, usagef("%s: not a JSON array of strings: %v", what, err)
		}
		return ns, nil
	}
	ns := strings.Split(s, ".")
	for _, label := range ns {
		if label == "" {
			return nil, usagef("%s %q: empty label", what, s)
		}
	}
	return ns, nil
}

func storePut(fs *flag.FlagSet, in *inputs) action {
	value := jsonVar(fs, in, "value", "the item, a JSON object (required)")
	index := listVar(fs, "index", "fields to index for --query search (default: the server's)")
	noIndex := fs.Bool("no-index", false, "do not index the item")
	ttl := fs.Duration("ttl", 0, "delete the item after this long, in whole minutes (e.g. 90m)")
	return func(ctx context.Context, e *env, args []string) error {
		ns, err := parseNamespace("NAMESPACE", args[0])
		if err != nil {
			return err
		}
		if !value.set() {
			return usagef("--value is required")
		}
		if value.raw[0] != '{' {
			return usagef("--value: want a JSON object, got %.40s", value.raw)
		}
		if *noIndex && len(*index) > 0 {
			return usagef("--index and --no-index cannot be combined")
		}
		if *ttl < 0 || *ttl%time.Minute != 0 {
			return usagef("--ttl: %v is not a whole number of minutes", *ttl)
		}
		p := store.PutParams{Index: *index, NoIndex: *noIndex, TTL: *ttl}
		return e.c.Store.PutItem(ctx, ns, args[1], value.raw, p)
	}
}

func storeGet(fs *flag.FlagSet, in *inputs) action {
	refresh := optBoolVar(fs, "refresh-ttl", "restart the item's time to live (default: the server's)")
	return func(ctx context.Context, e *env, args []string) error {
		ns, err := parseNamespace("NAMESPACE", args[0])
		if err != nil {
			return err
		}
		it, err := e.c.Store.GetItem(ctx, ns, args[1], store.GetParams{RefreshTTL: refresh.p})
		if err != nil {
			return err
		}
		return e.print(it)
	}
}

func storeDelete(fs *flag.FlagSet, in *inputs) action {
	return func(ctx context.Context, e *env, args []string) error {
		ns, err := parseNamespace("NAMESPACE", args[0])
		if err != nil {
			return err
		}
		return e.c.Store.DeleteItem(ctx, ns, args[1])
	}
}

func storeSearch(fs *flag.FlagSet, in *inputs) action {
	filter := jsonVar(fs, in, "filter", "only items whose value contains these pairs (object)")
	query := fs.String("query", "", "natural-language search (needs an index on the server)")
	limit := fs.Int("limit", 0, "page size (server default 10)")
	offset := fs.Int("offset", 0, "skip this many items")
	refresh := optBoolVar(fs, "refresh-ttl", "restart the time to live of the items returned")
	all := fs.Bool("all", false, "fetch every page (--limit items per request) and print them as one array")
	return func(ctx context.Context, e *env, args []string) error {
		var prefix []string
		if len(args) > 0 {
			var err error
			if prefix, err = parseNamespace("PREFIX", args[0]); err != nil {
				return err
			}
		}
		if err := nonNegative("limit", *limit); err != nil {
			return err
		}
		if err := nonNegative("offset", *offset); err != nil {
			return err
		}
		p := store.SearchParams{Query: *query, Limit: *limit, Offset: *offset, RefreshTTL: refresh.p}
		var err error
		if p.Filter, err = filter.object(); err != nil {
			return err
		}
		var out []store.Item
		if *all {
			out, err = collect(e.c.Store.SearchItemsAll(ctx, prefix, p))
		} else {
			out, err = e.c.Store.SearchItems(ctx, prefix, p)
		}
		if err != nil {
			return err
		}
		return e.print(nonNil(out))
	}
}

func storeNamespaces(fs *flag.FlagSet, in *inputs) action {
	prefix := fs.String("prefix", "", "only namespaces that start with these labels")
	suffix := fs.String("suffix", "", "only namespaces that end with these labels")
	depth := fs.Int("max-depth", 0, "truncate namespaces to this many labels")
	limit := fs.Int("limit", 0, "page size (server default 100)")
	offset := fs.Int("offset", 0, "skip this many namespaces")
	all := fs.Bool("all", false, "fetch every page and print them as one array")
	return func(ctx context.Context, e *env, _ []string) error {
		var p store.NamespacesParams
		var err error
		if p.Prefix, err = parseNamespace("--prefix", *prefix); err != nil {
			return err
		}
		if p.Suffix, err = parseNamespace("--suffix", *suffix); err != nil {
			return err
		}
		for _, f := range []struct {
			name string
			v    int
		}{{"max-depth", *depth}, {"limit", *limit}, {"offset", *offset}} {
			if err := nonNegative(f.name, f.v); err != nil {
				return err
			}
		}
		p.MaxDepth, p.Limit, p.Offset = *depth, *limit, *offset
		var out [][]string
		if *all {
			out, err = collect(e.c.Store.ListNamespacesAll(ctx, p))
		} else {
			out, err = e.c.Store.ListNamespaces(ctx, p)
		}
		if err != nil {
			return err
		}
		return e.print(nonNil(out))
	}
}
