package store_test

import (
	"errors"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/store"
)

// srv is the package's LangGraph test server; nil with -short or when
// LANGGRAPH_SKIP_INTEGRATION=1, and then the integration tests skip.
var srv *testserver.Server

func TestMain(m *testing.M) { os.Exit(testserver.Main(m, &srv)) }

type note struct {
	Text string `json:"text"`
	Kind string `json:"kind"`
}

func TestIntegrationPutGetDelete(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	ns := []string{"alice", "notes"}

	before := time.Now().Add(-time.Minute)
	if err := c.Store.PutItem(ctx, ns, "n1", note{"hello", "greeting"}, store.PutParams{}); err != nil {
		t.Fatal(err)
	}
	it, err := c.Store.GetItem(ctx, ns, "n1", store.GetParams{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(it.Namespace, ns) || it.Key != "n1" {
		t.Errorf("item = %+v", it)
	}
	var got note
	if err := it.Decode(&got); err != nil || got != (note{"hello", "greeting"}) {
		t.Errorf("value = %+v, %v", got, err)
	}
	if it.CreatedAt.Before(before) || it.UpdatedAt.Before(it.CreatedAt) {
		t.Errorf("created %v, updated %v", it.CreatedAt, it.UpdatedAt)
	}

	// Putting again replaces the value and keeps created_at.
	if err := c.Store.PutItem(ctx, ns, "n1", note{"bye", "greeting"}, store.PutParams{}); err != nil {
		t.Fatal(err)
	}
	it2, err := c.Store.GetItem(ctx, ns, "n1", store.GetParams{})
	if err != nil {
		t.Fatal(err)
	}
	if err := it2.Decode(&got); err != nil || got.Text != "bye" {
		t.Errorf("value after second put = %+v, %v", got, err)
	}
	if !it2.CreatedAt.Equal(it.CreatedAt) || it2.UpdatedAt.Before(it.UpdatedAt) {
		t.Errorf("second put: created %v -> %v, updated %v -> %v", it.CreatedAt, it2.CreatedAt, it.UpdatedAt, it2.UpdatedAt)
	}

	if err := c.Store.DeleteItem(ctx, ns, "n1"); err != nil {
		t.Fatal(err)
	}
	// The JS server answers 200 null for a missing item: still ErrNotFound.
	it, err = c.Store.GetItem(ctx, ns, "n1", store.GetParams{})
	if it != nil || !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("GetItem after delete = %v, %v; want ErrNotFound", it, err)
	}
	// Deleting a missing item is fine.
	if err := c.Store.DeleteItem(ctx, ns, "n1"); err != nil {
		t.Errorf("deleting a missing item: %v", err)
	}
}

// TTL, index and refresh_ttl are accepted (the JS server ignores them).
func TestIntegrationTTLAndIndex(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	ns := []string{"alice", "ttl"}
	if err := c.Store.PutItem(ctx, ns, "a", note{"x", "k"}, store.PutParams{TTL: 5 * time.Minute, Index: []string{"text"}}); err != nil {
		t.Fatalf("put with ttl and index fields: %v", err)
	}
	if err := c.Store.PutItem(ctx, ns, "b", note{"y", "k"}, store.PutParams{NoIndex: true}); err != nil {
		t.Fatalf("put with index false: %v", err)
	}
	refresh := true
	if _, err := c.Store.GetItem(ctx, ns, "a", store.GetParams{RefreshTTL: &refresh}); err != nil {
		t.Errorf("get with refresh_ttl: %v", err)
	}
	items, err := c.Store.SearchItems(ctx, ns, store.SearchParams{RefreshTTL: &refresh})
	if err != nil || len(items) != 2 {
		t.Errorf("search with refresh_ttl = %d items, %v; want 2", len(items), err)
	}
}

func TestIntegrationSearchAndNamespaces(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	for i, k := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		kind := "odd"
		if i%2 == 0 {
			kind = "even"
		}
		if err := c.Store.PutItem(ctx, []string{"alice", "docs"}, k, note{k, kind}, store.PutParams{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Store.PutItem(ctx, []string{"alice", "other", "deep"}, "z", note{"z", "even"}, store.PutParams{}); err != nil {
		t.Fatal(err)
	}

	items, err := c.Store.SearchItems(ctx, []string{"alice", "docs"}, store.SearchParams{Filter: map[string]any{"kind": "even"}})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, it := range items {
		keys = append(keys, it.Key)
	}
	slices.Sort(keys)
	if strings.Join(keys, "") != "aceg" {
		t.Errorf("filtered search = %v, want a c e g", keys)
	}

	page, err := c.Store.SearchItems(ctx, []string{"alice", "docs"}, store.SearchParams{Limit: 3, Offset: 3})
	if err != nil || len(page) != 3 {
		t.Errorf("page 2 = %d items, %v; want 3", len(page), err)
	}

	// The iterator walks every page under the prefix.
	seen := map[string]int{}
	for it, err := range c.Store.SearchItemsAll(ctx, []string{"alice"}, store.SearchParams{Limit: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		seen[strings.Join(it.Namespace, "/")+":"+it.Key]++
	}
	if len(seen) != 8 {
		t.Errorf("SearchItemsAll saw %d distinct items, want 8: %v", len(seen), seen)
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("SearchItemsAll yielded %s %d times", k, n)
		}
	}

	ns, err := c.Store.ListNamespaces(ctx, store.NamespacesParams{Prefix: []string{"alice"}})
	if err != nil {
		t.Fatal(err)
	}
	if !sameNamespaces(ns, [][]string{{"alice", "docs"}, {"alice", "other", "deep"}}) {
		t.Errorf("namespaces = %v", ns)
	}
	ns, err = c.Store.ListNamespaces(ctx, store.NamespacesParams{Prefix: []string{"alice"}, MaxDepth: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !sameNamespaces(ns, [][]string{{"alice", "docs"}, {"alice", "other"}}) {
		t.Errorf("namespaces with max depth 2 = %v", ns)
	}
	ns, err = c.Store.ListNamespaces(ctx, store.NamespacesParams{Prefix: []string{"alice"}, Suffix: []string{"deep"}})
	if err != nil {
		t.Fatal(err)
	}
	if !sameNamespaces(ns, [][]string{{"alice", "other", "deep"}}) {
		t.Errorf("namespaces with suffix deep = %v", ns)
	}
	var all [][]string
	for n, err := range c.Store.ListNamespacesAll(ctx, store.NamespacesParams{Prefix: []string{"alice"}, Limit: 1}) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, n)
	}
	if !sameNamespaces(all, [][]string{{"alice", "docs"}, {"alice", "other", "deep"}}) {
		t.Errorf("ListNamespacesAll = %v", all)
	}
}

func sameNamespaces(got, want [][]string) bool {
	key := func(ns [][]string) []string {
		var out []string
		for _, n := range ns {
			out = append(out, strings.Join(n, "/"))
		}
		slices.Sort(out)
		return out
	}
	return slices.Equal(key(got), key(want))
}

// The test server's auth handler confines each user to namespaces whose
// first label is their identity: a foreign namespace is a 403 for every
// operation.
func TestIntegrationPerUserScoping(t *testing.T) {
	ctx, alice := srv.Setup(t), srv.Client(t, testserver.Alice)
	bob := srv.Client(t, testserver.Bob)
	carol := srv.Client(t, testserver.Carol)

	if err := bob.Store.PutItem(ctx, []string{"bob", "secrets"}, "s", note{"bob's", "x"}, store.PutParams{}); err != nil {
		t.Fatalf("bob in his own namespace: %v", err)
	}
	if err := carol.Store.PutItem(ctx, []string{"carol"}, "s", note{"carol's", "x"}, store.PutParams{}); err != nil {
		t.Fatalf("carol (API key) in her own namespace: %v", err)
	}
	if err := alice.Store.PutItem(ctx, []string{"alice", "secrets"}, "s", note{"alice's", "x"}, store.PutParams{}); err != nil {
		t.Fatalf("alice in her own namespace: %v", err)
	}

	foreign := []string{"bob", "secrets"}
	checks := map[string]error{}
	checks["put"] = alice.Store.PutItem(ctx, foreign, "s", note{"overwritten", "x"}, store.PutParams{})
	_, checks["get"] = alice.Store.GetItem(ctx, foreign, "s", store.GetParams{})
	checks["delete"] = alice.Store.DeleteItem(ctx, foreign, "s")
	_, checks["search"] = alice.Store.SearchItems(ctx, []string{"bob"}, store.SearchParams{})
	_, checks["search everything"] = alice.Store.SearchItems(ctx, nil, store.SearchParams{})
	_, checks["namespaces"] = alice.Store.ListNamespaces(ctx, store.NamespacesParams{Prefix: []string{"bob"}})
	_, checks["all namespaces"] = alice.Store.ListNamespaces(ctx, store.NamespacesParams{})
	for name, err := range checks {
		var apiErr *langgraph.APIError
		if !errors.Is(err, langgraph.ErrForbidden) || !errors.As(err, &apiErr) {
			t.Errorf("%s in bob's namespace as alice: err = %v, want a 403 *APIError", name, err)
			continue
		}
		// The server's 403 has an empty body: the message falls back to the status text.
		if apiErr.StatusCode != 403 || apiErr.Message == "" {
			t.Errorf("%s: APIError = %+v", name, apiErr)
		}
	}
	for _, err := range alice.Store.SearchItemsAll(ctx, []string{"bob"}, store.SearchParams{}) {
		if !errors.Is(err, langgraph.ErrForbidden) {
			t.Errorf("SearchItemsAll in bob's namespace: err = %v, want ErrForbidden", err)
		}
	}

	// Bob's item is untouched, and each user sees only their own items.
	it, err := bob.Store.GetItem(ctx, foreign, "s", store.GetParams{})
	if err != nil {
		t.Fatal(err)
	}
	var v note
	if err := it.Decode(&v); err != nil || v.Text != "bob's" {
		t.Errorf("bob's item = %+v, %v", v, err)
	}
	items, err := alice.Store.SearchItems(ctx, []string{"alice"}, store.SearchParams{})
	if err != nil || len(items) != 1 || items[0].Namespace[0] != "alice" {
		t.Errorf("alice's search = %+v, %v", items, err)
	}
	// A per-call credential acts as another user on the same client.
	if _, err := alice.Store.GetItem(ctx, foreign, "s", store.GetParams{}, langgraph.WithBearerToken(testserver.TokenBob)); err != nil {
		t.Errorf("get as bob through a per-call token: %v", err)
	}
}

// A dotted label never reaches the server; the server would refuse it too.
func TestIntegrationDottedLabel(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	err := c.Store.PutItem(ctx, []string{"alice", "v1.2"}, "k", note{}, store.PutParams{})
	var apiErr *langgraph.APIError
	if err == nil || errors.As(err, &apiErr) || !strings.Contains(err.Error(), "'.'") {
		t.Errorf("put with a dotted label: err = %v, want a client-side error", err)
	}
	if _, err := c.Store.GetItem(ctx, []string{"alice", "v1"}, "k", store.GetParams{}); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("nothing was stored: GetItem err = %v", err)
	}
}
