package transport

import (
	"net/url"
	"strings"
)

// routes are the route templates of the API, by method, for observers
// (langgraph.CallInfo.Route): a request's escaped path is matched back to
// its template, so that no call site has to name it twice.
var routes = compileRoutes(map[string][]string{
	"GET": {
		"/info",
		"/assistants/{assistant_id}",
		"/assistants/{assistant_id}/graph",
		"/assistants/{assistant_id}/schemas",
		"/assistants/{assistant_id}/subgraphs",
		"/assistants/{assistant_id}/subgraphs/{namespace}",
		"/threads/{thread_id}",
		"/threads/{thread_id}/state",
		"/threads/{thread_id}/state/{checkpoint_id}",
		"/threads/{thread_id}/history",
		"/threads/{thread_id}/stream",
		"/threads/{thread_id}/runs",
		"/threads/{thread_id}/runs/{run_id}",
		"/threads/{thread_id}/runs/{run_id}/join",
		"/threads/{thread_id}/runs/{run_id}/stream",
		"/runs/{run_id}",
		"/runs/{run_id}/stream",
		"/store/items",
		"/ok",
	},
	"POST": {
		"/assistants",
		"/assistants/search",
		"/assistants/count",
		"/assistants/{assistant_id}/versions",
		"/assistants/{assistant_id}/latest",
		"/threads",
		"/threads/search",
		"/threads/count",
		"/threads/prune",
		"/threads/{thread_id}/copy",
		"/threads/{thread_id}/state",
		"/threads/{thread_id}/state/checkpoint",
		"/threads/{thread_id}/history",
		"/threads/{thread_id}/runs",
		"/threads/{thread_id}/runs/stream",
		"/threads/{thread_id}/runs/wait",
		"/threads/{thread_id}/runs/crons",
		"/threads/{thread_id}/runs/{run_id}/cancel",
		"/runs",
		"/runs/stream",
		"/runs/wait",
		"/runs/batch",
		"/runs/cancel",
		"/runs/crons",
		"/runs/crons/search",
		"/runs/crons/count",
		"/store/items/search",
		"/store/namespaces",
	},
	"PATCH": {
		"/assistants/{assistant_id}",
		"/threads/{thread_id}",
		"/runs/crons/{cron_id}",
	},
	"PUT": {
		"/store/items",
	},
	"DELETE": {
		"/assistants/{assistant_id}",
		"/threads/{thread_id}",
		"/threads/{thread_id}/runs/{run_id}",
		"/runs/crons/{cron_id}",
		"/store/items",
	},
})

type route struct {
	template string
	segs     []string // a segment "{name}" matches any non-empty segment
	score    uint     // one bit per literal segment, the first segment highest
}

func compileRoutes(m map[string][]string) map[string][]route {
	out := make(map[string][]route, len(m))
	for method, tmpls := range m {
		for _, t := range tmpls {
			segs := strings.Split(t[1:], "/")
			var score uint
			for i, s := range segs {
				if !strings.HasPrefix(s, "{") {
					score |= 1 << (15 - i)
				}
			}
			out[method] = append(out[method], route{template: t, segs: segs, score: score})
		}
	}
	return out
}

// RouteIDs are the ids a path names.
type RouteIDs struct {
	ThreadID, RunID, AssistantID string
}

// RouteOf returns the route template of an escaped path sent with method
// ("" when the API has no such route) and the ids it names. A literal
// segment of a template wins over a placeholder: POST /threads/search is the
// search, not a thread named "search".
func RouteOf(method, path string) (string, RouteIDs) {
	if path == "" || path[0] != '/' {
		return "", RouteIDs{}
	}
	segs := strings.Split(path[1:], "/")
	var best *route
	for i := range routes[method] {
		r := &routes[method][i]
		if len(r.segs) != len(segs) || (best != nil && r.score <= best.score) {
			continue
		}
		ok := true
		for j, s := range r.segs {
			if segs[j] == "" || (s[0] != '{' && s != segs[j]) {
				ok = false
				break
			}
		}
		if ok {
			best = r
		}
	}
	if best == nil {
		return "", RouteIDs{}
	}
	var ids RouteIDs
	for j, s := range best.segs {
		var dst *string
		switch s {
		case "{thread_id}":
			dst = &ids.ThreadID
		case "{run_id}":
			dst = &ids.RunID
		case "{assistant_id}":
			dst = &ids.AssistantID
		default:
			continue
		}
		if v, err := url.PathUnescape(segs[j]); err == nil {
			*dst = v
		}
	}
	return best.template, ids
}
