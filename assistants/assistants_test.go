package assistants_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/internal/fake"
)

const assistantJSON = `{"assistant_id":"a1","graph_id":"agent","config":{"tags":["t"],"recursion_limit":5,"configurable":{"k":1}},
"context":{"c":2},"created_at":"2026-11-27T00:16:48.189Z","updated_at":"2026-11-27T00:17:21.722+00:00",
"metadata":{"owner":"alice"},"version":3,"name":"n","description":null}`

func TestCreate(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, assistantJSON))

	a, err := c.Assistants.Create(ctx, assistants.CreateParams{GraphID: "agent"})
	if err != nil {
		t.Fatal(err)
	}
	fake.CheckLine(t, f.One(t), "POST", "/assistants", "")
	fake.CheckBody(t, f.One(t), `{"graph_id":"agent"}`)
	want := assistants.Assistant{
		AssistantID: "a1",
		GraphID:     "agent",
		Config:      langgraph.Config{Tags: []string{"t"}, RecursionLimit: 5, Configurable: map[string]any{"k": float64(1)}},
		Context:     json.RawMessage(`{"c":2}`),
		CreatedAt:   time.Date(2026, 11, 27, 0, 16, 48, 189e6, time.UTC),
		UpdatedAt:   time.Date(2026, 11, 27, 0, 17, 21, 722e6, time.UTC),
		Metadata:    map[string]any{"owner": "alice"},
		Version:     3,
		Name:        "n",
	}
	if !a.CreatedAt.Equal(want.CreatedAt) || !a.UpdatedAt.Equal(want.UpdatedAt) {
		t.Errorf("times = %v, %v", a.CreatedAt, a.UpdatedAt)
	}
	a.CreatedAt, a.UpdatedAt = want.CreatedAt, want.UpdatedAt
	if !reflect.DeepEqual(*a, want) {
		t.Errorf("assistant = %+v\nwant %+v", *a, want)
	}

	f2, c2 := fake.NewClient(t, fake.Fixed(200, assistantJSON))
	_, err = c2.Assistants.Create(ctx, assistants.CreateParams{
		GraphID:     "agent",
		AssistantID: "0190e3c4-0000-7000-8000-000000000001",
		Config:      &langgraph.Config{Tags: []string{"x"}, Configurable: map[string]any{"model": "m"}},
		Context:     map[string]any{"lang": "go"},
		Metadata:    map[string]any{"team": "sdk"},
		IfExists:    langgraph.IfExistsDoNothing,
		Name:        "mine",
		Description: "desc",
	})
	if err != nil {
		t.Fatal(err)
	}
	fake.CheckBody(t, f2.One(t), `{"graph_id":"agent","assistant_id":"0190e3c4-0000-7000-8000-000000000001",
		"config":{"tags":["x"],"configurable":{"model":"m"}},"context":{"lang":"go"},"metadata":{"team":"sdk"},
		"if_exists":"do_nothing","name":"mine","description":"desc"}`)
}

func TestCreateWithoutGraphID(t *testing.T) {
	f, c := fake.NewClient(t, fake.Fixed(200, assistantJSON))
	_, err := c.Assistants.Create(context.Background(), assistants.CreateParams{Name: "x"})
	if err == nil || !strings.Contains(err.Error(), "graph_id") {
		t.Errorf("err = %v, want one about graph_id", err)
	}
	if n := f.Count(); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

func TestGetEscapesID(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ id, path string }{
		{"agent", "/assistants/agent"},
		{"threads/x", "/assistants/threads%2Fx"},
		{"a b?c#d", "/assistants/a%20b%3Fc%23d"},
	} {
		f, c := fake.NewClient(t, fake.Fixed(200, assistantJSON))
		if _, err := c.Assistants.Get(ctx, tc.id); err != nil {
			t.Fatalf("Get(%q): %v", tc.id, err)
		}
		fake.CheckLine(t, f.One(t), "GET", tc.path, "")
	}
	// Dot ids would leave the route however they are escaped.
	for _, id := range []string{"..", ".", "%2e%2E", "../threads"} {
		f, c := fake.NewClient(t, fake.Fixed(200, assistantJSON))
		if _, err := c.Assistants.Get(ctx, id); !errors.Is(err, langgraph.ErrInvalidArgument) || !strings.Contains(err.Error(), "assistant_id") {
			t.Errorf("Get(%q) = %v, want ErrInvalidArgument naming assistant_id", id, err)
		}
		if n := f.Count(); n != 0 {
			t.Errorf("Get(%q): %d requests sent, want 0", id, n)
		}
	}
}

func TestEmptyIDSendsNothing(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, `{}`))
	s := c.Assistants
	checks := map[string]func() error{
		"Get":    func() error { _, err := s.Get(ctx, ""); return err },
		"Update": func() error { _, err := s.Update(ctx, "", assistants.UpdateParams{Name: "x"}); return err },
		"Delete": func() error { return s.Delete(ctx, "", assistants.DeleteParams{}) },
		"GetGraph": func() error {
			_, err := s.GetGraph(ctx, "", assistants.GraphParams{})
			return err
		},
		"GetSchemas": func() error { _, err := s.GetSchemas(ctx, ""); return err },
		"GetSubgraphs": func() error {
			_, err := s.GetSubgraphs(ctx, "", assistants.SubgraphsParams{Namespace: "child"})
			return err
		},
		"GetVersions": func() error {
			_, err := s.GetVersions(ctx, "", assistants.VersionsParams{})
			return err
		},
		"SetLatest": func() error { _, err := s.SetLatest(ctx, "", 1); return err },
	}
	for name, fn := range checks {
		err := fn()
		if err == nil || !strings.Contains(err.Error(), "assistant_id must not be empty") {
			t.Errorf("%s: err = %v, want assistant_id must not be empty", name, err)
		}
	}
	if n := f.Count(); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

func TestUpdate(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		p    assistants.UpdateParams
		body string
	}{
		{"empty", assistants.UpdateParams{}, `{}`},
		{"metadata", assistants.UpdateParams{Metadata: map[string]any{"k": "v"}}, `{"metadata":{"k":"v"}}`},
		{"clear config", assistants.UpdateParams{Config: &langgraph.Config{}}, `{"config":{}}`},
		{"all", assistants.UpdateParams{
			GraphID:     "other",
			Config:      &langgraph.Config{RecursionLimit: 7},
			Context:     map[string]any{"x": true},
			Metadata:    map[string]any{"k": "v"},
			Name:        "n2",
			Description: "d2",
		}, `{"graph_id":"other","config":{"recursion_limit":7},"context":{"x":true},"metadata":{"k":"v"},"name":"n2","description":"d2"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, c := fake.NewClient(t, fake.Fixed(200, assistantJSON))
			a, err := c.Assistants.Update(ctx, "a/1", tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if a.Version != 3 {
				t.Errorf("version = %d", a.Version)
			}
			fake.CheckLine(t, f.One(t), "PATCH", "/assistants/a%2F1", "")
			fake.CheckBody(t, f.One(t), tc.body)
		})
	}
}

func TestDelete(t *testing.T) {
	ctx := context.Background()
	// The JS server answers 200 with a list of ids, the Python one 204.
	f, c := fake.NewClient(t, fake.Fixed(200, `["a1"]`))
	if err := c.Assistants.Delete(ctx, "a1", assistants.DeleteParams{}); err != nil {
		t.Fatal(err)
	}
	fake.CheckLine(t, f.One(t), "DELETE", "/assistants/a1", "")
	if f.One(t).Body != nil {
		t.Errorf("DELETE sent a body: %q", f.One(t).Body)
	}

	f, c = fake.NewClient(t, fake.Fixed(http.StatusNoContent, ""))
	if err := c.Assistants.Delete(ctx, "a1", assistants.DeleteParams{DeleteThreads: true}); err != nil {
		t.Fatal(err)
	}
	fake.CheckLine(t, f.One(t), "DELETE", "/assistants/a1", "delete_threads=true")

	_, c = fake.NewClient(t, func(int, fake.Request) fake.Reply {
		return fake.Reply{Status: 404, ContentType: fake.Text, Body: "Assistant not found"}
	})
	err := c.Assistants.Delete(ctx, "a1", assistants.DeleteParams{})
	var apiErr *langgraph.APIError
	if !errors.Is(err, langgraph.ErrNotFound) || !errors.As(err, &apiErr) || apiErr.Message != "Assistant not found" {
		t.Errorf("err = %v, want a 404 APIError with the server's message", err)
	}
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, `[`+assistantJSON+`,{"assistant_id":"a2","name":"only"}]`))
	got, err := c.Assistants.Search(ctx, assistants.SearchParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].AssistantID != "a1" || got[1].Name != "only" || got[1].GraphID != "" {
		t.Errorf("got %+v", got)
	}
	fake.CheckLine(t, f.One(t), "POST", "/assistants/search", "")
	fake.CheckBody(t, f.One(t), `{}`)

	f, c = fake.NewClient(t, fake.Fixed(200, `[]`))
	got, err = c.Assistants.Search(ctx, assistants.SearchParams{
		Metadata:  map[string]any{"created_by": "system"},
		GraphID:   "agent",
		Name:      "ag",
		Limit:     5,
		Offset:    10,
		SortBy:    assistants.SortByCreatedAt,
		SortOrder: langgraph.Asc,
		Select:    []string{"assistant_id", "name"},
	})
	if err != nil || len(got) != 0 {
		t.Fatalf("got %v, %v", got, err)
	}
	fake.CheckBody(t, f.One(t), `{"metadata":{"created_by":"system"},"graph_id":"agent","name":"ag","limit":5,"offset":10,
		"sort_by":"created_at","sort_order":"asc","select":["assistant_id","name"]}`)
}

func TestSearchPage(t *testing.T) {
	ctx := context.Background()
	_, c := fake.NewClient(t, func(int, fake.Request) fake.Reply {
		return fake.Reply{Header: map[string]string{"X-Pagination-Next": "6", "X-Pagination-Total": "7"}, Body: `[{"assistant_id":"a"},{"assistant_id":"b"},{"assistant_id":"c"}]`}
	})
	page, err := c.Assistants.SearchPage(ctx, assistants.SearchParams{Limit: 3, Offset: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 3 || page.Next != 6 || page.Total != 7 {
		t.Errorf("page = %+v, want 3 assistants, next 6, total 7", page)
	}

	_, c = fake.NewClient(t, fake.Fixed(200, `[{"assistant_id":"a"}]`))
	page, err = c.Assistants.SearchPage(ctx, assistants.SearchParams{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Next != -1 || page.Total != -1 {
		t.Errorf("page = %+v, want 1 assistant, no next, no total", page)
	}

	_, c = fake.NewClient(t, func(int, fake.Request) fake.Reply {
		return fake.Reply{Header: map[string]string{"X-Pagination-Next": "soon"}, Body: `[]`}
	})
	page, err = c.Assistants.SearchPage(ctx, assistants.SearchParams{})
	if err != nil || page.Next != -1 {
		t.Errorf("a malformed X-Pagination-Next: page = %+v, err = %v; want no next", page, err)
	}
}

// pagedServer serves total assistants a0, a1, ... by offset and limit from
// the request body, with X-Pagination-Next on full pages if withNext.
func pagedServer(t *testing.T, total int, withNext bool) func(int, fake.Request) fake.Reply {
	return func(_ int, r fake.Request) fake.Reply {
		b := fake.Object(t, r)
		limit, _ := b["limit"].(float64)
		offset, _ := b["offset"].(float64)
		var items []string
		for i := int(offset); i < total && i < int(offset+limit); i++ {
			items = append(items, `{"assistant_id":"a`+itoa(i)+`"}`)
		}
		rep := fake.Reply{Body: "[" + strings.Join(items, ",") + "]"}
		if withNext && len(items) == int(limit) {
			rep.Header = map[string]string{"X-Pagination-Next": itoa(int(offset) + len(items))}
		}
		return rep
	}
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestSearchAll(t *testing.T) {
	ctx := context.Background()
	for _, withNext := range []bool{true, false} {
		f, c := fake.NewClient(t, pagedServer(t, 8, withNext))
		var ids []string
		for a, err := range c.Assistants.SearchAll(ctx, assistants.SearchParams{GraphID: "agent", Limit: 3}) {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, a.AssistantID)
		}
		if want := "a0 a1 a2 a3 a4 a5 a6 a7"; strings.Join(ids, " ") != want {
			t.Errorf("withNext=%v: ids = %v, want %s", withNext, ids, want)
		}
		calls := f.Requests()
		if len(calls) != 3 {
			t.Fatalf("withNext=%v: %d requests, want 3 (the short third page ends the walk)", withNext, len(calls))
		}
		fake.CheckBody(t, calls[0], `{"graph_id":"agent","limit":3}`) // offset 0 is left out
		fake.CheckBody(t, calls[1], `{"graph_id":"agent","limit":3,"offset":3}`)
		fake.CheckBody(t, calls[2], `{"graph_id":"agent","limit":3,"offset":6}`)
	}

	// A last page that is full ends with an empty one.
	f, c := fake.NewClient(t, pagedServer(t, 6, false))
	n := 0
	for _, err := range c.Assistants.SearchAll(ctx, assistants.SearchParams{Limit: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 6 || f.Count() != 3 {
		t.Errorf("got %d assistants in %d requests, want 6 in 3", n, f.Count())
	}

	// Zero Limit pages by 10; an error ends the walk.
	f, c = fake.NewClient(t, func(n int, r fake.Request) fake.Reply {
		if n == 1 {
			return fake.Reply{Status: 400, ContentType: fake.Text, Body: "bad offset"}
		}
		return pagedServer(t, 100, true)(n, r)
	})
	var got int
	var gotErr error
	for _, err := range c.Assistants.SearchAll(ctx, assistants.SearchParams{}) {
		if err != nil {
			gotErr = err
			continue
		}
		got++
	}
	if got != 10 || !errors.Is(gotErr, langgraph.ErrBadRequest) {
		t.Errorf("got %d assistants and err %v, want 10 and a 400", got, gotErr)
	}
	if calls := f.Requests(); len(calls) != 2 {
		t.Errorf("%d requests, want 2", len(calls))
	} else {
		fake.CheckBody(t, calls[0], `{"limit":10}`)
		fake.CheckBody(t, calls[1], `{"limit":10,"offset":10}`)
	}

	// Stopping early sends no further request.
	f, c = fake.NewClient(t, pagedServer(t, 100, true))
	for range c.Assistants.SearchAll(ctx, assistants.SearchParams{Limit: 5}) {
		break
	}
	if n := f.Count(); n != 1 {
		t.Errorf("%d requests after break, want 1", n)
	}
}

func TestCount(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, `6`))
	n, err := c.Assistants.Count(ctx, assistants.CountParams{})
	if err != nil || n != 6 {
		t.Fatalf("Count = %d, %v", n, err)
	}
	fake.CheckLine(t, f.One(t), "POST", "/assistants/count", "")
	fake.CheckBody(t, f.One(t), `{}`)

	f, c = fake.NewClient(t, fake.Fixed(200, `1`))
	if _, err := c.Assistants.Count(ctx, assistants.CountParams{Metadata: map[string]any{"a": 1}, GraphID: "g", Name: "n"}); err != nil {
		t.Fatal(err)
	}
	fake.CheckBody(t, f.One(t), `{"metadata":{"a":1},"graph_id":"g","name":"n"}`)
}

const graphJSON = `{"nodes":[{"id":"__start__","type":"schema","data":{"$schema":"x"}},
{"id":"agent","type":"runnable","data":{"id":["langgraph","RunnableCallable"],"name":"agent"},"metadata":{"m":1}},
{"id":2,"type":"runnable","data":"anon"}],
"edges":[{"source":"__start__","target":"agent","conditional":false},{"source":"agent","target":2,"data":"go","conditional":true}]}`

func TestGetGraph(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		p     assistants.GraphParams
		query string
	}{
		{assistants.GraphParams{}, "xray=false"},
		{assistants.GraphParams{XRay: true}, "xray=true"},
		{assistants.GraphParams{XRayDepth: 2}, "xray=2"},
		{assistants.GraphParams{XRay: true, XRayDepth: 1}, "xray=1"},
	} {
		f, c := fake.NewClient(t, fake.Fixed(200, graphJSON))
		g, err := c.Assistants.GetGraph(ctx, "agent", tc.p)
		if err != nil {
			t.Fatal(err)
		}
		fake.CheckLine(t, f.One(t), "GET", "/assistants/agent/graph", tc.query)
		if len(g.Nodes) != 3 || g.Nodes[1].ID != "agent" || g.Nodes[1].Type != "runnable" || g.Nodes[2].ID != "2" ||
			g.Nodes[1].Metadata["m"] != float64(1) || string(g.Nodes[2].Data) != `"anon"` {
			t.Errorf("nodes = %+v", g.Nodes)
		}
		if len(g.Edges) != 2 || g.Edges[1].Source != "agent" || g.Edges[1].Target != "2" || !g.Edges[1].Conditional ||
			string(g.Edges[1].Data) != `"go"` || g.Edges[0].Conditional {
			t.Errorf("edges = %+v", g.Edges)
		}
	}

	f, c := fake.NewClient(t, fake.Fixed(200, graphJSON))
	if _, err := c.Assistants.GetGraph(ctx, "agent", assistants.GraphParams{XRayDepth: -1}); err == nil {
		t.Error("negative depth: no error")
	}
	if n := f.Count(); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}

	_, c = fake.NewClient(t, fake.Fixed(200, `{"nodes":[{"id":true}],"edges":[]}`))
	if _, err := c.Assistants.GetGraph(ctx, "agent", assistants.GraphParams{}); err == nil {
		t.Error("a boolean node id decoded without error")
	}
}

func TestGetSchemas(t *testing.T) {
	f, c := fake.NewClient(t, fake.Fixed(200, `{"graph_id":"agent","input_schema":{"type":"object"},"output_schema":{"o":1},
		"state_schema":{"s":1},"config_schema":{"c":1},"context_schema":null}`))
	sc, err := c.Assistants.GetSchemas(context.Background(), "agent")
	if err != nil {
		t.Fatal(err)
	}
	fake.CheckLine(t, f.One(t), "GET", "/assistants/agent/schemas", "")
	if sc.GraphID != "agent" || string(sc.InputSchema) != `{"type":"object"}` || string(sc.OutputSchema) != `{"o":1}` ||
		string(sc.StateSchema) != `{"s":1}` || string(sc.ConfigSchema) != `{"c":1}` || string(sc.ContextSchema) != "null" {
		t.Errorf("schema = %+v", sc)
	}
}

func TestGetSubgraphs(t *testing.T) {
	ctx := context.Background()
	// The JS server names the schemas input/output/state/config; the Python
	// one input_schema/... Both decode, in the server's order (not sorted).
	body := `{"zeta":{"state":{"s":1},"input":{"i":1},"output":{"o":1},"config":{"c":1}},
		"zeta|inner":{"state_schema":{"s":2},"input_schema":{"i":2},"context_schema":{"x":2}},
		"alpha":{}}`
	f, c := fake.NewClient(t, fake.Fixed(200, body))
	subs, err := c.Assistants.GetSubgraphs(ctx, "subgraph", assistants.SubgraphsParams{})
	if err != nil {
		t.Fatal(err)
	}
	fake.CheckLine(t, f.One(t), "GET", "/assistants/subgraph/subgraphs", "recurse=false")
	var names []string
	for _, sub := range subs {
		names = append(names, sub.Namespace)
	}
	if !slices.Equal(names, []string{"zeta", "zeta|inner", "alpha"}) {
		t.Fatalf("namespaces = %q, want the server's order", names)
	}
	child, inner := subs[0].Schema, subs[1].Schema
	if string(child.StateSchema) != `{"s":1}` || string(child.InputSchema) != `{"i":1}` ||
		string(child.OutputSchema) != `{"o":1}` || string(child.ConfigSchema) != `{"c":1}` {
		t.Errorf("zeta = %+v", child)
	}
	if string(inner.StateSchema) != `{"s":2}` || string(inner.InputSchema) != `{"i":2}` || string(inner.ContextSchema) != `{"x":2}` {
		t.Errorf("zeta|inner = %+v", inner)
	}

	f, c = fake.NewClient(t, fake.Fixed(200, `{}`))
	subs, err = c.Assistants.GetSubgraphs(ctx, "subgraph", assistants.SubgraphsParams{Namespace: "child|a/b", Recurse: true})
	if err != nil || len(subs) != 0 {
		t.Fatalf("subs = %v, %v", subs, err)
	}
	fake.CheckLine(t, f.One(t), "GET", "/assistants/subgraph/subgraphs/child%7Ca%2Fb", "recurse=true")

	_, c = fake.NewClient(t, fake.Fixed(200, `null`))
	subs, err = c.Assistants.GetSubgraphs(ctx, "subgraph", assistants.SubgraphsParams{})
	if err != nil || len(subs) != 0 {
		t.Errorf("null body: subs = %v, %v; want none", subs, err)
	}

	for _, bad := range []string{`[]`, `{"child":[]}`, `"x"`} {
		_, c = fake.NewClient(t, fake.Fixed(200, bad))
		var re *langgraph.ResponseError
		if _, err := c.Assistants.GetSubgraphs(ctx, "subgraph", assistants.SubgraphsParams{}); !errors.As(err, &re) {
			t.Errorf("answer %s: err = %v, want a *langgraph.ResponseError", bad, err)
		}
	}
}

func TestGetVersions(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, `[{"assistant_id":"a1","version":2,"graph_id":"agent","config":{},"context":{},"name":"y",
		"description":null,"metadata":{"k":"v"},"created_at":"2026-11-27T00:17:21.722Z"},{"assistant_id":"a1","version":1}]`))
	vs, err := c.Assistants.GetVersions(ctx, "a1", assistants.VersionsParams{})
	if err != nil {
		t.Fatal(err)
	}
	fake.CheckLine(t, f.One(t), "POST", "/assistants/a1/versions", "")
	fake.CheckBody(t, f.One(t), `{}`)
	if len(vs) != 2 || vs[0].Version != 2 || vs[0].Name != "y" || vs[0].Metadata["k"] != "v" || vs[0].CreatedAt.IsZero() || vs[1].Version != 1 {
		t.Errorf("versions = %+v", vs)
	}

	f, c = fake.NewClient(t, fake.Fixed(200, `[]`))
	if _, err := c.Assistants.GetVersions(ctx, "a1", assistants.VersionsParams{Metadata: map[string]any{"k": "v"}, Limit: 2, Offset: 1}); err != nil {
		t.Fatal(err)
	}
	fake.CheckBody(t, f.One(t), `{"metadata":{"k":"v"},"limit":2,"offset":1}`)
}

func TestSetLatest(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, assistantJSON))
	a, err := c.Assistants.SetLatest(ctx, "a1", 3)
	if err != nil || a.Version != 3 {
		t.Fatalf("SetLatest = %+v, %v", a, err)
	}
	fake.CheckLine(t, f.One(t), "POST", "/assistants/a1/latest", "")
	fake.CheckBody(t, f.One(t), `{"version":3}`)

	f, c = fake.NewClient(t, fake.Fixed(200, assistantJSON))
	if _, err := c.Assistants.SetLatest(ctx, "a1", 0); err == nil {
		t.Error("version 0: no error")
	}
	if n := f.Count(); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

// TestRetryPolicy checks which calls are retried after a 503: the reads and
// the updates are, the calls that create something are not.
func TestRetryPolicy(t *testing.T) {
	ctx := context.Background()
	flaky := func(body string) func(int, fake.Request) fake.Reply {
		return func(n int, _ fake.Request) fake.Reply {
			if n == 0 {
				return fake.Reply{Status: http.StatusServiceUnavailable, ContentType: fake.Text, Body: "busy"}
			}
			return fake.Reply{Body: body}
		}
	}
	for _, tc := range []struct {
		name  string
		body  string
		retry bool
		do    func(s *assistants.Service) error
	}{
		{"Create", assistantJSON, false, func(s *assistants.Service) error {
			_, err := s.Create(ctx, assistants.CreateParams{GraphID: "agent"})
			return err
		}},
		{"CreateWithID", assistantJSON, true, func(s *assistants.Service) error {
			_, err := s.Create(ctx, assistants.CreateParams{GraphID: "agent", AssistantID: "0190e3c4-0000-7000-8000-000000000001"})
			return err
		}},
		{"SetLatest", assistantJSON, false, func(s *assistants.Service) error { _, err := s.SetLatest(ctx, "a", 1); return err }},
		{"Get", assistantJSON, true, func(s *assistants.Service) error { _, err := s.Get(ctx, "a"); return err }},
		{"Update", assistantJSON, true, func(s *assistants.Service) error {
			_, err := s.Update(ctx, "a", assistants.UpdateParams{})
			return err
		}},
		{"Delete", `[]`, true, func(s *assistants.Service) error { return s.Delete(ctx, "a", assistants.DeleteParams{}) }},
		{"Search", `[]`, true, func(s *assistants.Service) error { _, err := s.Search(ctx, assistants.SearchParams{}); return err }},
		{"Count", `1`, true, func(s *assistants.Service) error { _, err := s.Count(ctx, assistants.CountParams{}); return err }},
		{"GetVersions", `[]`, true, func(s *assistants.Service) error {
			_, err := s.GetVersions(ctx, "a", assistants.VersionsParams{})
			return err
		}},
		{"GetGraph", graphJSON, true, func(s *assistants.Service) error {
			_, err := s.GetGraph(ctx, "a", assistants.GraphParams{})
			return err
		}},
		{"GetSchemas", `{}`, true, func(s *assistants.Service) error { _, err := s.GetSchemas(ctx, "a"); return err }},
		{"GetSubgraphs", `{}`, true, func(s *assistants.Service) error {
			_, err := s.GetSubgraphs(ctx, "a", assistants.SubgraphsParams{})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, c := fake.NewClient(t, flaky(tc.body))
			err := tc.do(&c.Assistants)
			n := f.Count()
			if tc.retry {
				if err != nil || n != 2 {
					t.Errorf("err = %v after %d requests, want success after 2", err, n)
				}
			} else if !errors.Is(err, langgraph.ErrServer) || n != 1 {
				t.Errorf("err = %v after %d requests, want the 503 after 1", err, n)
			}
		})
	}
}

func TestRequestOptions(t *testing.T) {
	f, c := fake.NewClient(t, fake.Fixed(200, assistantJSON), langgraph.WithBearerToken("default"))
	if _, err := c.Assistants.Get(context.Background(), "a", langgraph.WithBearerToken("per-call")); err != nil {
		t.Fatal(err)
	}
	if got := f.One(t).BearerToken(); got != "per-call" {
		t.Errorf("bearer token = %q, want the per-call token", got)
	}
}
