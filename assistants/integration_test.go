package assistants_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/threads"
)

// srv is the package's LangGraph test server; nil with -short or when
// LANGGRAPH_SKIP_INTEGRATION=1, and then the integration tests skip.
var srv *testserver.Server

func TestMain(m *testing.M) { os.Exit(testserver.Main(m, &srv)) }

func mustJSON(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, raw)
	}
	return m
}

func TestIntegrationSystemAssistant(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	found, err := c.Assistants.Search(ctx, assistants.SearchParams{GraphID: testserver.GraphAgent})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) != 1 {
		t.Fatalf("Search(graph agent) = %d assistants, want the system one: %+v", len(found), found)
	}
	sys := found[0]
	if sys.GraphID != "agent" || sys.Metadata["created_by"] != "system" || sys.Version != 1 || sys.AssistantID == "" || sys.CreatedAt.IsZero() {
		t.Errorf("system assistant = %+v", sys)
	}
	byGraph, err := c.Assistants.Get(ctx, "agent")
	if err != nil {
		t.Fatal(err)
	}
	if byGraph.AssistantID != sys.AssistantID || byGraph.GraphID != "agent" {
		t.Errorf("Get(agent) = %+v, want the system assistant %s", byGraph, sys.AssistantID)
	}
	byID, err := c.Assistants.Get(ctx, sys.AssistantID)
	if err != nil || byID.AssistantID != sys.AssistantID {
		t.Errorf("Get(%s) = %+v, %v", sys.AssistantID, byID, err)
	}

	system, err := c.Assistants.Count(ctx, assistants.CountParams{Metadata: map[string]any{"created_by": "system"}})
	if err != nil || system != 6 {
		t.Errorf("Count(system) = %d, %v; want 6 (one per graph)", system, err)
	}
}

func TestIntegrationLifecycle(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	created, err := c.Assistants.Create(ctx, assistants.CreateParams{
		GraphID:     "agent",
		Name:        "Lifecycle One",
		Description: "first",
		Metadata:    map[string]any{"team": "sdk"},
		Config:      &langgraph.Config{Tags: []string{"t1"}, Configurable: map[string]any{"model": "m1"}},
		Context:     map[string]any{"lang": "go"},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := created.AssistantID
	if id == "" || created.GraphID != "agent" || created.Name != "Lifecycle One" || created.Description != "first" || created.Version != 1 {
		t.Errorf("created = %+v", created)
	}
	if created.Metadata["team"] != "sdk" || created.Metadata["owner"] != "alice" {
		t.Errorf("metadata = %v, want team=sdk and owner=alice (stamped by the auth handler)", created.Metadata)
	}
	if !slices.Equal(created.Config.Tags, []string{"t1"}) || created.Config.Configurable["model"] != "m1" {
		t.Errorf("config = %+v", created.Config)
	}
	if mustJSON(t, created.Context)["lang"] != "go" {
		t.Errorf("context = %s", created.Context)
	}

	got, err := c.Assistants.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.AssistantID != id || got.Name != created.Name || !got.CreatedAt.Equal(created.CreatedAt) {
		t.Errorf("Get = %+v, want %+v", got, created)
	}

	updated, err := c.Assistants.Update(ctx, id, assistants.UpdateParams{
		Name:     "Lifecycle Two",
		Metadata: map[string]any{"stage": "two"},
		Config:   &langgraph.Config{Tags: []string{"t2"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if updated.Version != 2 || updated.Name != "Lifecycle Two" || !slices.Equal(updated.Config.Tags, []string{"t2"}) {
		t.Errorf("updated = %+v, want version 2", updated)
	}
	if updated.Metadata["team"] != "sdk" || updated.Metadata["stage"] != "two" {
		t.Errorf("updated metadata = %v, want team and stage merged", updated.Metadata)
	}
	if updated.UpdatedAt.Before(created.UpdatedAt) {
		t.Errorf("updated_at went back: %v < %v", updated.UpdatedAt, created.UpdatedAt)
	}

	versions, err := c.Assistants.GetVersions(ctx, id, assistants.VersionsParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) != 2 || versions[0].Version != 2 || versions[1].Version != 1 ||
		versions[0].Name != "Lifecycle Two" || versions[1].Name != "Lifecycle One" || versions[1].AssistantID != id {
		t.Errorf("versions = %+v, want 2 then 1", versions)
	}
	filtered, err := c.Assistants.GetVersions(ctx, id, assistants.VersionsParams{Metadata: map[string]any{"stage": "two"}})
	if err != nil || len(filtered) != 1 || filtered[0].Version != 2 {
		t.Errorf("versions with stage=two = %+v, %v; want version 2", filtered, err)
	}
	paged, err := c.Assistants.GetVersions(ctx, id, assistants.VersionsParams{Limit: 1, Offset: 1})
	if err != nil || len(paged) != 1 || paged[0].Version != 1 {
		t.Errorf("versions limit 1 offset 1 = %+v, %v; want version 1", paged, err)
	}
	// GetVersionsAll walks every page, also when the last page is full and
	// the JS server answers the next one with 404.
	for _, limit := range []int{0, 1, 2, 3} {
		var walked []int
		for v, err := range c.Assistants.GetVersionsAll(ctx, id, assistants.VersionsParams{Limit: limit}) {
			if err != nil {
				t.Fatalf("GetVersionsAll(limit %d): %v", limit, err)
			}
			walked = append(walked, v.Version)
		}
		if !slices.Equal(walked, []int{2, 1}) {
			t.Errorf("GetVersionsAll(limit %d) = %v, want [2 1]", limit, walked)
		}
	}
	for _, err := range c.Assistants.GetVersionsAll(ctx, id, assistants.VersionsParams{Offset: 5}) {
		if !errors.Is(err, langgraph.ErrNotFound) {
			t.Errorf("GetVersionsAll(offset past the end) = %v, want the first page's ErrNotFound", err)
		}
	}

	latest, err := c.Assistants.SetLatest(ctx, id, 1)
	if err != nil {
		t.Fatal(err)
	}
	if latest.Version != 1 || latest.Name != "Lifecycle One" || latest.Metadata["stage"] != nil || !slices.Equal(latest.Config.Tags, []string{"t1"}) {
		t.Errorf("after SetLatest(1) = %+v", latest)
	}
	if _, err := c.Assistants.SetLatest(ctx, id, 9); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("SetLatest(9) err = %v, want ErrNotFound", err)
	}

	for _, tc := range []struct {
		p    assistants.CountParams
		want int
	}{
		{assistants.CountParams{GraphID: "agent"}, 2},
		{assistants.CountParams{Metadata: map[string]any{"team": "sdk"}}, 1},
		{assistants.CountParams{Name: "lifecycle"}, 1},
		{assistants.CountParams{GraphID: "interrupt"}, 1},
	} {
		if n, err := c.Assistants.Count(ctx, tc.p); err != nil || n != tc.want {
			t.Errorf("Count(%+v) = %d, %v; want %d", tc.p, n, err, tc.want)
		}
	}

	if err := c.Assistants.Delete(ctx, id, assistants.DeleteParams{}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Assistants.Get(ctx, id)
	var apiErr *langgraph.APIError
	if !errors.Is(err, langgraph.ErrNotFound) || !errors.As(err, &apiErr) || apiErr.Message == "" {
		t.Errorf("Get after Delete: err = %v, want ErrNotFound with a message", err)
	}
	if _, err := c.Assistants.GetVersions(ctx, id, assistants.VersionsParams{}); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("GetVersions after Delete: err = %v, want ErrNotFound", err)
	}
	if err := c.Assistants.Delete(ctx, id, assistants.DeleteParams{}); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("second Delete: err = %v, want ErrNotFound", err)
	}
}

func TestIntegrationCreateWithID(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	const id = "0190e3c4-1111-7000-8000-000000000001"
	a, err := c.Assistants.Create(ctx, assistants.CreateParams{GraphID: "interrupt", AssistantID: id, Name: "fixed"})
	if err != nil {
		t.Fatal(err)
	}
	if a.AssistantID != id {
		t.Errorf("id = %q, want %q", a.AssistantID, id)
	}
	_, err = c.Assistants.Create(ctx, assistants.CreateParams{GraphID: "interrupt", AssistantID: id})
	if !errors.Is(err, langgraph.ErrConflict) {
		t.Errorf("second create: err = %v, want ErrConflict", err)
	}
	same, err := c.Assistants.Create(ctx, assistants.CreateParams{GraphID: "interrupt", AssistantID: id, Name: "other", IfExists: langgraph.IfExistsDoNothing})
	if err != nil || same.AssistantID != id || same.Name != "fixed" {
		t.Errorf("create with do_nothing = %+v, %v; want the existing assistant", same, err)
	}
	// The server requires a UUID.
	if _, err := c.Assistants.Create(ctx, assistants.CreateParams{GraphID: "interrupt", AssistantID: "not-a-uuid"}); !errors.Is(err, langgraph.ErrBadRequest) {
		t.Errorf("create with a non-UUID id: err = %v, want ErrBadRequest", err)
	}
}

func TestIntegrationDeleteThreads(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	newPair := func() (string, string) {
		a, err := c.Assistants.Create(ctx, assistants.CreateParams{GraphID: "agent"})
		if err != nil {
			t.Fatal(err)
		}
		th, err := c.Threads.Create(ctx, threads.CreateParams{Metadata: map[string]any{"assistant_id": a.AssistantID}})
		if err != nil {
			t.Fatal(err)
		}
		return a.AssistantID, th.ThreadID
	}

	aid, tid := newPair()
	if err := c.Assistants.Delete(ctx, aid, assistants.DeleteParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Threads.Get(ctx, tid); err != nil {
		t.Errorf("thread after Delete without DeleteThreads: %v, want it kept", err)
	}

	aid, tid = newPair()
	if err := c.Assistants.Delete(ctx, aid, assistants.DeleteParams{DeleteThreads: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Threads.Get(ctx, tid); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("thread after Delete with DeleteThreads: err = %v, want ErrNotFound", err)
	}
}

func TestIntegrationGraphAndSchemas(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	nodeIDs := func(g *assistants.Graph) []string {
		var ids []string
		for _, n := range g.Nodes {
			ids = append(ids, string(n.ID))
		}
		return ids
	}

	g, err := c.Assistants.GetGraph(ctx, "agent", assistants.GraphParams{})
	if err != nil {
		t.Fatal(err)
	}
	if ids := nodeIDs(g); !slices.Contains(ids, "agent") || !slices.Contains(ids, "__start__") || !slices.Contains(ids, "__end__") {
		t.Errorf("agent graph nodes = %v", ids)
	}
	if !slices.ContainsFunc(g.Edges, func(e assistants.GraphEdge) bool { return e.Source == "__start__" && e.Target == "agent" }) {
		t.Errorf("agent graph edges = %+v, want __start__ -> agent", g.Edges)
	}

	for _, p := range []assistants.GraphParams{{XRay: true}, {XRayDepth: 1}, {XRayDepth: 2}} {
		xg, err := c.Assistants.GetGraph(ctx, "subgraph", p)
		if err != nil {
			t.Fatalf("GetGraph(subgraph, %+v): %v", p, err)
		}
		// The JS server 1.5.1 does not expand the subgraph's nodes with xray
		// (child stays one node); the Python server adds child:inner.
		if ids := nodeIDs(xg); !slices.Contains(ids, "outer") || !(slices.Contains(ids, "child") || slices.Contains(ids, "child:inner")) {
			t.Errorf("subgraph graph with %+v: nodes = %v", p, ids)
		}
	}

	sc, err := c.Assistants.GetSchemas(ctx, "agent")
	if err != nil {
		t.Fatal(err)
	}
	if sc.GraphID != "agent" {
		t.Errorf("schemas graph_id = %q", sc.GraphID)
	}
	state := mustJSON(t, sc.StateSchema)
	props, _ := state["properties"].(map[string]any)
	if _, ok := props["messages"]; !ok {
		t.Errorf("agent state schema has no messages property: %s", sc.StateSchema)
	}
	if len(sc.InputSchema) == 0 || len(sc.OutputSchema) == 0 {
		t.Errorf("input or output schema missing: %+v", sc)
	}

	subs, err := c.Assistants.GetSubgraphs(ctx, "subgraph", assistants.SubgraphsParams{})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || subs[0].Namespace != "child" {
		t.Fatalf("subgraphs = %v, want child", subs)
	}
	child := subs[0].Schema
	if props, _ := mustJSON(t, child.StateSchema)["properties"].(map[string]any); props["trail"] == nil {
		t.Errorf("child state schema = %s, want a trail property", child.StateSchema)
	}
	recursed, err := c.Assistants.GetSubgraphs(ctx, "subgraph", assistants.SubgraphsParams{Recurse: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(recursed) != 1 || recursed[0].Namespace != "child" {
		t.Errorf("recursive subgraphs = %v, want child", recursed)
	}
	byNS, err := c.Assistants.GetSubgraphs(ctx, "subgraph", assistants.SubgraphsParams{Namespace: "child"})
	if err != nil {
		t.Fatal(err)
	}
	if len(byNS) != 1 || byNS[0].Namespace != "child" {
		t.Errorf("subgraphs at namespace child = %v, want only child", byNS)
	}
	none, err := c.Assistants.GetSubgraphs(ctx, "agent", assistants.SubgraphsParams{Recurse: true})
	if err != nil || len(none) != 0 {
		t.Errorf("agent subgraphs = %v, %v; want none", none, err)
	}

	if _, err := c.Assistants.GetGraph(ctx, "no-such-assistant", assistants.GraphParams{}); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("GetGraph of an unknown assistant: err = %v, want ErrNotFound", err)
	}
}

func TestIntegrationSearch(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	want := map[string]bool{}
	for i := range 7 {
		a, err := c.Assistants.Create(ctx, assistants.CreateParams{
			GraphID:  "agent",
			Name:     fmt.Sprintf("Batch Member %d", i),
			Metadata: map[string]any{"batch": "b7"},
		})
		if err != nil {
			t.Fatal(err)
		}
		want[a.AssistantID] = true
	}

	seen := map[string]int{}
	for a, err := range c.Assistants.SearchAll(ctx, assistants.SearchParams{Metadata: map[string]any{"batch": "b7"}, Limit: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		seen[a.AssistantID]++
	}
	if len(seen) != 7 {
		t.Errorf("SearchAll saw %d assistants, want 7", len(seen))
	}
	for id, n := range seen {
		if n != 1 || !want[id] {
			t.Errorf("SearchAll yielded %s %d times (created by the test: %v)", id, n, want[id])
		}
	}

	// All assistants of graph agent: the 7 and the system one.
	n := 0
	for _, err := range c.Assistants.SearchAll(ctx, assistants.SearchParams{GraphID: "agent", Limit: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 8 {
		t.Errorf("SearchAll(graph agent) = %d assistants, want 8", n)
	}

	// A page size equal to the number of matches: the JS server sends
	// X-Pagination-Next, and the walk ends at the empty page after it.
	n = 0
	for _, err := range c.Assistants.SearchAll(ctx, assistants.SearchParams{Metadata: map[string]any{"batch": "b7"}, Limit: 7}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 7 {
		t.Errorf("SearchAll with Limit 7 = %d assistants, want 7", n)
	}

	for _, p := range []assistants.SearchParams{
		{Metadata: map[string]any{"batch": "b7"}, Limit: 3},
		{Metadata: map[string]any{"batch": "b7"}, Limit: 3, Offset: 6},
		{Metadata: map[string]any{"batch": "b7"}, Limit: 7},
	} {
		page, err := c.Assistants.SearchPage(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("SearchPage(limit %d, offset %d): %d assistants, next %d, total %d", p.Limit, p.Offset, len(page.Items), page.Next, page.Total)
		if page.Next != -1 && page.Next != p.Offset+len(page.Items) {
			t.Errorf("SearchPage(%+v): next = %d, want offset + page length", p, page.Next)
		}
		// The JS server's total is the offset plus every match (7), plus
		// one when that equals the limit.
		want := p.Offset + 7
		if p.Limit == 7 {
			want++
		}
		if page.Total != want {
			t.Errorf("SearchPage(%+v): total = %d, want %d (JS server)", p, page.Total, want)
		}
	}

	byName, err := c.Assistants.Search(ctx, assistants.SearchParams{Name: "batch member 3"})
	if err != nil || len(byName) != 1 || byName[0].Name != "Batch Member 3" {
		t.Errorf("Search by name (ignoring case) = %+v, %v", byName, err)
	}
	sel, err := c.Assistants.Search(ctx, assistants.SearchParams{Metadata: map[string]any{"batch": "b7"}, Limit: 2, Select: []string{"assistant_id", "name"}})
	if err != nil || len(sel) != 2 {
		t.Fatalf("Search with Select = %+v, %v", sel, err)
	}
	for _, a := range sel {
		if a.AssistantID == "" || a.Name == "" || a.GraphID != "" || a.Metadata != nil || !a.CreatedAt.IsZero() {
			t.Errorf("Search with Select returned %+v, want only id and name", a)
		}
	}
}

func TestIntegrationAuth(t *testing.T) {
	ctx, alice := srv.Setup(t), srv.Client(t, testserver.Alice)
	anon := srv.Client(t, testserver.User{})
	_, err := anon.Assistants.Get(ctx, "agent")
	var apiErr *langgraph.APIError
	if !errors.Is(err, langgraph.ErrUnauthorized) || !errors.As(err, &apiErr) {
		t.Fatalf("no credentials: err = %v, want ErrUnauthorized", err)
	}
	if apiErr.StatusCode != 401 || apiErr.Message != "Missing credentials" || apiErr.Header.Get("WWW-Authenticate") != "Bearer" {
		t.Errorf("no credentials: %d %q, WWW-Authenticate %q", apiErr.StatusCode, apiErr.Message, apiErr.Header.Get("WWW-Authenticate"))
	}
	_, err = anon.Assistants.Search(ctx, assistants.SearchParams{}, langgraph.WithBearerToken("nobody"))
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || apiErr.Message != "Invalid token" {
		t.Errorf("unknown token: err = %v, want 401 Invalid token", err)
	}

	// A per-call token acts as that user; assistants are readable by all.
	bobs, err := anon.Assistants.Create(ctx, assistants.CreateParams{GraphID: "slow", Name: "bob's"}, langgraph.WithBearerToken(testserver.TokenBob))
	if err != nil {
		t.Fatal(err)
	}
	if bobs.Metadata["owner"] != "bob" {
		t.Errorf("owner = %v, want bob", bobs.Metadata["owner"])
	}
	if got, err := alice.Assistants.Get(ctx, bobs.AssistantID); err != nil || got.Name != "bob's" {
		t.Errorf("alice reading bob's assistant = %+v, %v", got, err)
	}
}

// TestIntegrationEscaping checks that ids with slashes stay one path
// segment and that dot ids, which no escaping keeps in their segment, are
// refused: none of them may reach another route.
func TestIntegrationEscaping(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	for _, id := range []string{"agent/graph", "agent?x=1", "agent%2Fgraph"} {
		_, err := c.Assistants.Get(ctx, id)
		if !errors.Is(err, langgraph.ErrNotFound) {
			t.Errorf("Get(%q): err = %v, want ErrNotFound", id, err)
		}
	}
	for _, id := range []string{"../threads", "..", ".", "%2e%2e", "../assistants/agent"} {
		_, err := c.Assistants.Get(ctx, id)
		if !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("Get(%q): err = %v, want ErrInvalidArgument", id, err)
		}
	}
}
