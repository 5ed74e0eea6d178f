package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/crons"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/remotegraph"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/store"
	"github.com/langgraph-go/langgraph/threads"
)

// hop is one request seen by the recording proxy.
type hop struct {
	Method string
	// Raw is the path as sent (RequestURI without the query).
	Raw string
	// Decoded is the path after percent-decoding (Go's url.URL.Path).
	Decoded string
	// Forwarded is the escaped path the proxy sent on to the server.
	Forwarded string
	// Query is the decoded query.
	Query url.Values
}

// recorder is a reverse proxy in front of the test server that records
// every request, so a test sees the route each call takes.
type recorder struct {
	URL  string
	mu   sync.Mutex
	hops []hop
}

func newRecorder(t *testing.T) *recorder {
	t.Helper()
	target, err := url.Parse(live.URL())
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			raw, _, _ := strings.Cut(pr.In.RequestURI, "?")
			rec.mu.Lock()
			rec.hops = append(rec.hops, hop{
				Method:    pr.In.Method,
				Raw:       raw,
				Decoded:   pr.In.URL.Path,
				Forwarded: pr.Out.URL.EscapedPath(),
				Query:     pr.In.URL.Query(),
			})
			rec.mu.Unlock()
		},
		FlushInterval: -1,
		ErrorLog:      log.New(io.Discard, "", 0), // streams closed early
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	rec.URL = srv.URL
	return rec
}

// take returns the hops recorded since the last take and forgets them.
func (r *recorder) take() []hop {
	r.mu.Lock()
	defer r.mu.Unlock()
	h := r.hops
	r.hops = nil
	return h
}

// whatwgPath removes dot segments from an escaped path as a WHATWG URL
// parser (Node's, the JS server's) does: ".", "%2e" and "..", ".%2e",
// "%2e.", "%2e%2e" (any case) are dot segments.
func whatwgPath(p string) string {
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	var out []string
	for i, s := range segs {
		last := i == len(segs)-1
		switch strings.ToLower(strings.ReplaceAll(strings.ToLower(s), "%2e", ".")) {
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		case ".":
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	return "/" + strings.Join(out, "/")
}

func firstErr(seq iter.Seq2[langgraph.StreamPart, error]) error {
	for _, err := range seq {
		if err != nil {
			return err
		}
	}
	return nil
}

// outcome sums up a call's answer: "ok", "status 404", the message of a
// 400, or the error.
func outcome(err error) string {
	var apiErr *langgraph.APIError
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest:
		// The validation message names the parameter, not its value.
		return fmt.Sprintf("status 400: %s", apiErr.Message)
	case errors.As(err, &apiErr):
		return fmt.Sprintf("status %d", apiErr.StatusCode)
	case errors.Is(err, langgraph.ErrNotFound):
		return "not found"
	}
	return "error: " + err.Error()
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300] + fmt.Sprintf("... (%d bytes)", len(s))
	}
	return s
}

// TestIntegrationPathSafety calls every method that puts an id in a URL
// path (or a store key in a query) with hostile ids, through a recording
// proxy in front of the real server. Each call is either refused before
// anything is sent, or reaches the intended route with the id inside its
// own segment and gets the answer that route gives to an ordinary unknown
// id.
func TestIntegrationPathSafety(t *testing.T) {
	ctx := live.Setup(t)
	direct := live.Client(t, testserver.Alice)
	th, err := direct.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	run, err := direct.Runs.Create(ctx, th.ThreadID, testserver.GraphAgent, runs.CreateParams{Input: chat("hi")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := direct.Runs.Join(ctx, th.ThreadID, run.RunID, runs.JoinParams{}); err != nil {
		t.Fatal(err)
	}
	tid, rid, aid := th.ThreadID, run.RunID, testserver.GraphAgent

	rec := newRecorder(t)
	c, err := client.New(langgraph.WithBaseURL(rec.URL), langgraph.WithoutAPIKey(),
		langgraph.WithBearerToken(testserver.TokenAlice), langgraph.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	graph := func(id string) *remotegraph.RemoteGraph {
		g, err := remotegraph.New(c, id, remotegraph.Params{})
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	cfg := remotegraph.ThreadConfig
	input := runs.CreateParams{Input: chat("hi")}

	// route is the intended method and path; {id} stands for the escaped
	// hostile id. param is the name the refusal must give. query, when
	// set, names the query parameter that must carry the id instead.
	type method struct {
		name, route, param, query string
		call                      func(ctx context.Context, id string) error
	}
	methods := []method{
		// threads
		{"Threads.Get", "GET /threads/{id}", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := c.Threads.Get(ctx, id)
			return err
		}},
		{"Threads.Update", "PATCH /threads/{id}", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := c.Threads.Update(ctx, id, threads.UpdateParams{Metadata: map[string]any{"k": "v"}})
			return err
		}},
		{"Threads.Delete", "DELETE /threads/{id}", "thread_id", "", func(ctx context.Context, id string) error {
			return c.Threads.Delete(ctx, id)
		}},
		{"Threads.Copy", "POST /threads/{id}/copy", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := c.Threads.Copy(ctx, id)
			return err
		}},
		{"Threads.GetState", "GET /threads/{id}/state", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := c.Threads.GetState(ctx, id, threads.StateParams{})
			return err
		}},
		{"Threads.GetState/checkpoint", "POST /threads/{id}/state/checkpoint", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := c.Threads.GetState(ctx, id, threads.StateParams{Checkpoint: &langgraph.Checkpoint{CheckpointNS: "ns"}})
			return err
		}},
		{"Threads.GetState/checkpoint_id", "GET /threads/" + tid + "/state/{id}", "checkpoint_id", "", func(ctx context.Context, id string) error {
			_, err := c.Threads.GetState(ctx, tid, threads.StateParams{CheckpointID: id})
			return err
		}},
		{"Threads.UpdateState", "POST /threads/{id}/state", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := c.Threads.UpdateState(ctx, id, threads.UpdateStateParams{Values: map[string]any{}})
			return err
		}},
		{"Threads.GetHistory", "POST /threads/{id}/history", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := c.Threads.GetHistory(ctx, id, threads.HistoryParams{})
			return err
		}},
		{"Threads.JoinStream", "GET /threads/{id}/stream", "thread_id", "", func(ctx context.Context, id string) error {
			return firstErr(c.Threads.JoinStream(ctx, id, threads.JoinStreamParams{}))
		}},
		// runs
		{"Runs.Create", "POST /threads/{id}/runs", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := c.Runs.Create(ctx, id, aid, input)
			return err
		}},
		{"Runs.Wait", "POST /threads/{id}/runs/wait", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := c.Runs.Wait(ctx, id, aid, input)
			return err
		}},
		{"Runs.Stream", "POST /threads/{id}/runs/stream", "thread_id", "", func(ctx context.Context, id string) error {
			return firstErr(c.Runs.Stream(ctx, id, aid, runs.StreamParams{Input: input.Input}))
		}},
		{"Runs.List", "GET /threads/{id}/runs", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := c.Runs.List(ctx, id, runs.ListParams{})
			return err
		}},
		{"Runs.Get/thread", "GET /threads/{id}/runs/" + rid, "thread_id", "", func(ctx context.Context, id string) error {
			_, err := c.Runs.Get(ctx, id, rid)
			return err
		}},
		{"Runs.Get/run", "GET /threads/" + tid + "/runs/{id}", "run_id", "", func(ctx context.Context, id string) error {
			_, err := c.Runs.Get(ctx, tid, id)
			return err
		}},
		{"Runs.Cancel/thread", "POST /threads/{id}/runs/" + rid + "/cancel", "thread_id", "", func(ctx context.Context, id string) error {
			return c.Runs.Cancel(ctx, id, rid, runs.CancelParams{})
		}},
		{"Runs.Cancel/run", "POST /threads/" + tid + "/runs/{id}/cancel", "run_id", "", func(ctx context.Context, id string) error {
			return c.Runs.Cancel(ctx, tid, id, runs.CancelParams{})
		}},
		{"Runs.Join/thread", "GET /threads/{id}/runs/" + rid + "/join", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := c.Runs.Join(ctx, id, rid, runs.JoinParams{})
			return err
		}},
		{"Runs.Join/run", "GET /threads/" + tid + "/runs/{id}/join", "run_id", "", func(ctx context.Context, id string) error {
			_, err := c.Runs.Join(ctx, tid, id, runs.JoinParams{})
			return err
		}},
		{"Runs.JoinStream/thread", "GET /threads/{id}/runs/" + rid + "/stream", "thread_id", "", func(ctx context.Context, id string) error {
			return firstErr(c.Runs.JoinStream(ctx, id, rid, runs.JoinStreamParams{}))
		}},
		{"Runs.JoinStream/run", "GET /threads/" + tid + "/runs/{id}/stream", "run_id", "", func(ctx context.Context, id string) error {
			return firstErr(c.Runs.JoinStream(ctx, tid, id, runs.JoinStreamParams{}))
		}},
		{"Runs.JoinStream/stateless", "GET /runs/{id}/stream", "run_id", "", func(ctx context.Context, id string) error {
			return firstErr(c.Runs.JoinStream(ctx, "", id, runs.JoinStreamParams{}))
		}},
		{"Runs.Delete/thread", "DELETE /threads/{id}/runs/" + rid, "thread_id", "", func(ctx context.Context, id string) error {
			return c.Runs.Delete(ctx, id, rid)
		}},
		{"Runs.Delete/run", "DELETE /threads/" + tid + "/runs/{id}", "run_id", "", func(ctx context.Context, id string) error {
			return c.Runs.Delete(ctx, tid, id)
		}},
		// assistants
		{"Assistants.Get", "GET /assistants/{id}", "assistant_id", "", func(ctx context.Context, id string) error {
			_, err := c.Assistants.Get(ctx, id)
			return err
		}},
		{"Assistants.Update", "PATCH /assistants/{id}", "assistant_id", "", func(ctx context.Context, id string) error {
			_, err := c.Assistants.Update(ctx, id, assistants.UpdateParams{Metadata: map[string]any{"k": "v"}})
			return err
		}},
		{"Assistants.Delete", "DELETE /assistants/{id}", "assistant_id", "", func(ctx context.Context, id string) error {
			return c.Assistants.Delete(ctx, id, assistants.DeleteParams{})
		}},
		{"Assistants.GetGraph", "GET /assistants/{id}/graph", "assistant_id", "", func(ctx context.Context, id string) error {
			_, err := c.Assistants.GetGraph(ctx, id, assistants.GraphParams{})
			return err
		}},
		{"Assistants.GetSchemas", "GET /assistants/{id}/schemas", "assistant_id", "", func(ctx context.Context, id string) error {
			_, err := c.Assistants.GetSchemas(ctx, id)
			return err
		}},
		{"Assistants.GetSubgraphs", "GET /assistants/{id}/subgraphs", "assistant_id", "", func(ctx context.Context, id string) error {
			_, err := c.Assistants.GetSubgraphs(ctx, id, assistants.SubgraphsParams{})
			return err
		}},
		{"Assistants.GetSubgraphs/namespace", "GET /assistants/" + testserver.GraphSubgraph + "/subgraphs/{id}", "namespace", "", func(ctx context.Context, id string) error {
			_, err := c.Assistants.GetSubgraphs(ctx, testserver.GraphSubgraph, assistants.SubgraphsParams{Namespace: id})
			return err
		}},
		{"Assistants.GetVersions", "POST /assistants/{id}/versions", "assistant_id", "", func(ctx context.Context, id string) error {
			_, err := c.Assistants.GetVersions(ctx, id, assistants.VersionsParams{})
			return err
		}},
		{"Assistants.SetLatest", "POST /assistants/{id}/latest", "assistant_id", "", func(ctx context.Context, id string) error {
			_, err := c.Assistants.SetLatest(ctx, id, 1)
			return err
		}},
		// crons
		{"Crons.CreateForThread", "POST /threads/{id}/runs/crons", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := c.Crons.CreateForThread(ctx, id, aid, crons.CreateParams{Schedule: "27 15 * * *"})
			return err
		}},
		{"Crons.Update", "PATCH /runs/crons/{id}", "cron_id", "", func(ctx context.Context, id string) error {
			_, err := c.Crons.Update(ctx, id, crons.UpdateParams{Schedule: "27 15 * * *"})
			return err
		}},
		{"Crons.Delete", "DELETE /runs/crons/{id}", "cron_id", "", func(ctx context.Context, id string) error {
			return c.Crons.Delete(ctx, id)
		}},
		// store: the key goes in the query or the body, never in the path
		{"Store.GetItem", "GET /store/items", "", "key", func(ctx context.Context, id string) error {
			_, err := c.Store.GetItem(ctx, []string{testserver.Alice.Identity, "pathsafety"}, id, store.GetParams{})
			return err
		}},
		{"Store.PutItem", "PUT /store/items", "", "", func(ctx context.Context, id string) error {
			return c.Store.PutItem(ctx, []string{testserver.Alice.Identity, "pathsafety"}, id, map[string]any{"v": 1}, store.PutParams{})
		}},
		{"Store.DeleteItem", "DELETE /store/items", "", "", func(ctx context.Context, id string) error {
			return c.Store.DeleteItem(ctx, []string{testserver.Alice.Identity, "pathsafety"}, id)
		}},
		// remotegraph
		{"RemoteGraph.Invoke", "POST /threads/{id}/runs/wait", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := graph(aid).WithConfig(cfg(id)).Invoke(ctx, chat("hi"), remotegraph.RunParams{})
			return err
		}},
		{"RemoteGraph.Stream", "POST /threads/{id}/runs/stream", "thread_id", "", func(ctx context.Context, id string) error {
			return firstErr(graph(aid).WithConfig(cfg(id)).Stream(ctx, chat("hi"), remotegraph.StreamParams{}))
		}},
		{"RemoteGraph.GetState", "GET /threads/{id}/state", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := graph(aid).GetState(ctx, cfg(id), threads.StateParams{})
			return err
		}},
		{"RemoteGraph.UpdateState", "POST /threads/{id}/state", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := graph(aid).UpdateState(ctx, cfg(id), threads.UpdateStateParams{Values: map[string]any{}})
			return err
		}},
		{"RemoteGraph.GetStateHistory", "POST /threads/{id}/history", "thread_id", "", func(ctx context.Context, id string) error {
			_, err := graph(aid).GetStateHistory(ctx, cfg(id), threads.HistoryParams{})
			return err
		}},
		{"RemoteGraph.GetGraph", "GET /assistants/{id}/graph", "assistant_id", "", func(ctx context.Context, id string) error {
			_, err := graph(id).GetGraph(ctx, assistants.GraphParams{})
			return err
		}},
	}

	// refused ids are empty or only dots once percent-decoded, any number
	// of times; every other id must reach its route intact.
	hostile := []struct {
		name, id string
		refused  bool
	}{
		{"dot", ".", true},
		{"dotdot", "..", true},
		{"three dots", "...", true},
		{"%2e%2e", "%2e%2e", true},
		{"%2E", "%2E", true},
		{".%2e", ".%2e", true},
		{"%2E.", "%2E.", true},
		{"%252e%252E", "%252e%252E", true},
		{"10 KB of dots", strings.Repeat(".", 10<<10), true},
		{"a/b", "a/b", false},
		// Dot parts behind a "/" are refused too: a proxy that decodes
		// %2F before resolving dot segments (nginx) would climb.
		{"../..", "../..", true},
		{"..%2F..", "..%2F..", true},
		{`..\..`, `..\..`, true},
		{"dots and tab", ".\t.", true},
		{"a?b#c", "a?b#c", false},
		{"a%2Fb", "a%2Fb", false},
		{"%", "%", false},
		{"dots and spaces", " .. ", false},
		{"U+2028", "a\u2028b", false},
		{"NUL", "a\x00b", false},
		{"CRLF", "a\r\nb", false},
		{"10 KB", strings.Repeat("a", 10<<10), false},
		{"unicode", "é 日本", false},
	}

	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			verb, tmpl, _ := strings.Cut(m.route, " ")
			// The answer the intended route gives to an ordinary unknown id.
			rec.take()
			want := outcome(m.call(ctx, "no-such-id"))
			if hops := rec.take(); len(hops) == 0 {
				t.Fatalf("control call sent nothing: %s", want)
			}
			for _, h := range hostile {
				err := m.call(ctx, h.id)
				hops := rec.take()
				if h.refused && strings.Contains(tmpl, "{id}") {
					if !errors.Is(err, langgraph.ErrInvalidArgument) || len(hops) != 0 {
						t.Errorf("%s: err = %v after %d requests %s; want ErrInvalidArgument and nothing sent", h.name, clip(fmt.Sprint(err)), len(hops), clip(fmt.Sprint(hops)))
						continue
					}
					if msg := err.Error(); len(msg) > 200 || (m.param != "" && !strings.Contains(msg, m.param)) {
						t.Errorf("%s: refusal %q: want at most 200 bytes naming %s", h.name, clip(msg), m.param)
					}
					continue
				}
				if len(hops) == 0 {
					t.Errorf("%s: nothing sent: %v", h.name, clip(fmt.Sprint(err)))
					continue
				}
				wantPath := strings.Replace(tmpl, "{id}", url.PathEscape(h.id), 1)
				wantDecoded := strings.Replace(tmpl, "{id}", h.id, 1)
				for _, hp := range hops {
					if hp.Method != verb || hp.Raw != wantPath || hp.Forwarded != hp.Raw || whatwgPath(hp.Raw) != hp.Raw || hp.Decoded != wantDecoded {
						t.Errorf("%s: sent %s %s (decoded %s, forwarded %s, routed as %s), want %s %s", h.name, hp.Method, clip(hp.Raw), clip(hp.Decoded), clip(hp.Forwarded), clip(whatwgPath(hp.Raw)), verb, clip(wantPath))
					}
					if m.query != "" && hp.Query.Get(m.query) != h.id {
						t.Errorf("%s: query %s = %q, want the id", h.name, m.query, clip(hp.Query.Get(m.query)))
					}
				}
				if got := outcome(err); got != want {
					t.Errorf("%s: answer %s, want %s as for an unknown id", h.name, clip(got), want)
				}
			}
		})
	}

	// Nothing above reached another route: the thread and its run are
	// still there.
	if _, err := direct.Runs.Get(ctx, tid, rid); err != nil {
		t.Errorf("the test run is gone: %v", err)
	}
}
