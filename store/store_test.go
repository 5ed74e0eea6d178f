package store_test

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/store"
)

// noRetries makes a fake's client fail at the first error.
var noRetries = langgraph.WithMaxRetries(0)

const itemJSON = `{"namespace":["alice","notes"],"key":"k1","value":{"text":"hi","n":2},
"created_at":"2026-11-27T10:00:00.123Z","updated_at":"2026-11-27T10:05:00+00:00"}`

func TestPutItem(t *testing.T) {
	ctx := context.Background()
	ns := []string{"alice", "notes"}
	cases := []struct {
		name string
		p    store.PutParams
		body string
	}{
		{"defaults", store.PutParams{}, `{"namespace":["alice","notes"],"key":"k1","value":{"text":"hi"}}`},
		{"no index", store.PutParams{NoIndex: true}, `{"namespace":["alice","notes"],"key":"k1","value":{"text":"hi"},"index":false}`},
		{"index fields and ttl", store.PutParams{Index: []string{"text", "sections[*].body"}, TTL: 90 * time.Minute},
			`{"namespace":["alice","notes"],"key":"k1","value":{"text":"hi"},"index":["text","sections[*].body"],"ttl":90}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, c := fake.NewClient(t, fake.Fixed(http.StatusNoContent, ""), noRetries)
			if err := c.Store.PutItem(ctx, ns, "k1", map[string]any{"text": "hi"}, tc.p); err != nil {
				t.Fatal(err)
			}
			fake.Check(t, f.One(t), "PUT", "/store/items", "", tc.body)
		})
	}

	// A struct value is encoded with its JSON tags.
	f, c := fake.NewClient(t, fake.Fixed(http.StatusNoContent, ""), noRetries)
	type note struct {
		Text string `json:"text"`
	}
	if err := c.Store.PutItem(ctx, ns, "k1", note{"x"}, store.PutParams{}); err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "PUT", "/store/items", "", `{"namespace":["alice","notes"],"key":"k1","value":{"text":"x"}}`)
}

// Bad input is refused before anything is sent, with an error that says why.
func TestRefusedClientSide(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, `{}`), noRetries)
	ok := []string{"alice"}
	cases := []struct {
		name string
		call func() error
		want string
	}{
		{"put: dotted label", func() error {
			return c.Store.PutItem(ctx, []string{"alice", "v1.2"}, "k", map[string]any{}, store.PutParams{})
		}, `label "v1.2" contains '.'`},
		{"get: dotted label", func() error {
			_, err := c.Store.GetItem(ctx, []string{"a.b"}, "k", store.GetParams{})
			return err
		}, `label "a.b" contains '.'`},
		{"delete: dotted label", func() error { return c.Store.DeleteItem(ctx, []string{"alice", "."}, "k") }, `contains '.'`},
		{"search: dotted prefix", func() error {
			_, err := c.Store.SearchItems(ctx, []string{"x.y"}, store.SearchParams{})
			return err
		}, `namespace prefix`},
		{"namespaces: dotted suffix", func() error {
			_, err := c.Store.ListNamespaces(ctx, store.NamespacesParams{Suffix: []string{"a.b"}})
			return err
		}, `suffix`},
		{"namespaces: empty prefix label", func() error {
			_, err := c.Store.ListNamespaces(ctx, store.NamespacesParams{Prefix: []string{"alice", ""}})
			return err
		}, `label 1 is empty`},
		{"namespaces: negative depth", func() error {
			_, err := c.Store.ListNamespaces(ctx, store.NamespacesParams{MaxDepth: -1})
			return err
		}, `max depth -1`},
		{"put: empty namespace", func() error { return c.Store.PutItem(ctx, nil, "k", map[string]any{}, store.PutParams{}) }, `at least one label`},
		{"get: empty namespace", func() error {
			_, err := c.Store.GetItem(ctx, []string{}, "k", store.GetParams{})
			return err
		}, `at least one label`},
		{"delete: empty namespace", func() error { return c.Store.DeleteItem(ctx, nil, "k") }, `at least one label`},
		{"put: empty label", func() error { return c.Store.PutItem(ctx, []string{""}, "k", map[string]any{}, store.PutParams{}) }, `label 0 is empty`},
		{"put: empty key", func() error { return c.Store.PutItem(ctx, ok, "", map[string]any{}, store.PutParams{}) }, `key must not be empty`},
		{"get: empty key", func() error {
			_, err := c.Store.GetItem(ctx, ok, "", store.GetParams{})
			return err
		}, `key must not be empty`},
		{"delete: empty key", func() error { return c.Store.DeleteItem(ctx, ok, "") }, `key must not be empty`},
		{"put: value not an object", func() error { return c.Store.PutItem(ctx, ok, "k", []int{1}, store.PutParams{}) }, `must encode as a JSON object`},
		{"put: nil value", func() error { return c.Store.PutItem(ctx, ok, "k", nil, store.PutParams{}) }, `must encode as a JSON object`},
		{"put: unencodable value", func() error { return c.Store.PutItem(ctx, ok, "k", map[string]any{"f": func() {}}, store.PutParams{}) }, `encoding the value`},
		{"put: index and no index", func() error {
			return c.Store.PutItem(ctx, ok, "k", map[string]any{}, store.PutParams{Index: []string{"a"}, NoIndex: true})
		}, `cannot both be set`},
		{"put: ttl not whole minutes", func() error {
			return c.Store.PutItem(ctx, ok, "k", map[string]any{}, store.PutParams{TTL: 90 * time.Second})
		}, `not a whole number of minutes`},
		{"put: negative ttl", func() error {
			return c.Store.PutItem(ctx, ok, "k", map[string]any{}, store.PutParams{TTL: -time.Minute})
		}, `negative`},
		{"search: negative limit", func() error {
			_, err := c.Store.SearchItems(ctx, ok, store.SearchParams{Limit: -1})
			return err
		}, `must not be negative`},
	}
	for _, tc := range cases {
		err := tc.call()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want one containing %q", tc.name, err, tc.want)
		}
	}
	for _, err := range c.Store.SearchItemsAll(ctx, []string{"a.b"}, store.SearchParams{}) {
		if err == nil || !strings.Contains(err.Error(), "contains '.'") {
			t.Errorf("SearchItemsAll with a dotted prefix: err = %v", err)
		}
	}
	for _, err := range c.Store.ListNamespacesAll(ctx, store.NamespacesParams{Prefix: []string{"a.b"}}) {
		if err == nil || !strings.Contains(err.Error(), "contains '.'") {
			t.Errorf("ListNamespacesAll with a dotted prefix: err = %v", err)
		}
	}
	if n := f.Count(); n != 0 {
		t.Errorf("%d requests sent for refused input, want 0", n)
	}
}

func TestGetItem(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, itemJSON), noRetries)
	refresh := true
	it, err := c.Store.GetItem(ctx, []string{"alice", "notes"}, "k 1&x", store.GetParams{RefreshTTL: &refresh})
	if err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "GET", "/store/items", "key=k+1%26x&namespace=alice.notes&refresh_ttl=true", "")
	if !reflect.DeepEqual(it.Namespace, []string{"alice", "notes"}) || it.Key != "k1" || it.Score != nil {
		t.Errorf("item = %+v", it)
	}
	var v struct {
		Text string `json:"text"`
		N    int    `json:"n"`
	}
	if err := it.Decode(&v); err != nil || v.Text != "hi" || v.N != 2 {
		t.Errorf("Decode = %+v, %v", v, err)
	}
	if want := time.Date(2026, 11, 27, 10, 0, 0, 123e6, time.UTC); !it.CreatedAt.Equal(want) {
		t.Errorf("CreatedAt = %v, want %v", it.CreatedAt, want)
	}
	if want := time.Date(2026, 11, 27, 10, 5, 0, 0, time.UTC); !it.UpdatedAt.Equal(want) {
		t.Errorf("UpdatedAt = %v, want %v", it.UpdatedAt, want)
	}

	// Without RefreshTTL the parameter is left out.
	f, c = fake.NewClient(t, fake.Fixed(200, itemJSON), noRetries)
	if _, err := c.Store.GetItem(ctx, []string{"alice"}, "k", store.GetParams{}); err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "GET", "/store/items", "key=k&namespace=alice", "")

	if err := (&store.Item{Key: "k"}).Decode(&v); err == nil {
		t.Error("Decode of an item without a value: no error")
	}
}

// A missing item gives an error matching langgraph.ErrNotFound, whichever way
// the server says so.
func TestGetItemMissing(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		rep  fake.Reply
		api  bool // the error is an *APIError
	}{
		{"python 404 JSON", fake.Reply{Status: 404, Body: `{"detail":"Item not found"}`}, true},
		{"js 200 null", fake.Reply{Body: `null`}, false},
		{"200 empty body", fake.Reply{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, c := fake.NewClient(t, func(int, fake.Request) fake.Reply { return tc.rep }, noRetries)
			it, err := c.Store.GetItem(ctx, []string{"alice", "notes"}, "nope", store.GetParams{})
			if it != nil || !errors.Is(err, langgraph.ErrNotFound) {
				t.Fatalf("GetItem = %v, %v; want nil and ErrNotFound", it, err)
			}
			var apiErr *langgraph.APIError
			if errors.As(err, &apiErr) != tc.api {
				t.Errorf("errors.As(*APIError) = %v, want %v (err %v)", !tc.api, tc.api, err)
			}
			if tc.api {
				if apiErr.StatusCode != 404 || apiErr.Message != "Item not found" {
					t.Errorf("APIError = %+v", apiErr)
				}
			} else if !strings.Contains(err.Error(), `"nope"`) {
				t.Errorf("error %q does not name the key", err)
			}
		})
	}
}

func TestDeleteItem(t *testing.T) {
	f, c := fake.NewClient(t, fake.Fixed(http.StatusNoContent, ""), noRetries)
	if err := c.Store.DeleteItem(context.Background(), []string{"alice", "notes"}, "k1"); err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "DELETE", "/store/items", "", `{"namespace":["alice","notes"],"key":"k1"}`)
}

func TestSearchItems(t *testing.T) {
	ctx := context.Background()
	body := `{"items":[` + itemJSON + `,{"namespace":["alice"],"key":"k2","value":{},"created_at":"2026-11-27T10:00:00Z","updated_at":"2026-11-27T10:00:00Z","score":0.75}]}`
	f, c := fake.NewClient(t, fake.Fixed(200, body), noRetries)
	refresh := false
	items, err := c.Store.SearchItems(ctx, []string{"alice"}, store.SearchParams{
		Filter: map[string]any{"kind": "note"}, Query: "greetings", Limit: 5, Offset: 10, RefreshTTL: &refresh,
	})
	if err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "POST", "/store/items/search", "",
		`{"namespace_prefix":["alice"],"filter":{"kind":"note"},"query":"greetings","limit":5,"offset":10,"refresh_ttl":false}`)
	if len(items) != 2 || items[0].Key != "k1" || items[0].Score != nil || items[1].Score == nil || *items[1].Score != 0.75 {
		t.Errorf("items = %+v", items)
	}

	// The zero value sends an empty prefix (a list, never null) and nothing else.
	f, c = fake.NewClient(t, fake.Fixed(200, `{"items":[]}`), noRetries)
	items, err = c.Store.SearchItems(ctx, nil, store.SearchParams{Filter: map[string]any{}})
	if err != nil || len(items) != 0 {
		t.Fatalf("SearchItems = %v, %v", items, err)
	}
	fake.Check(t, f.One(t), "POST", "/store/items/search", "", `{"namespace_prefix":[]}`)
}

func TestListNamespaces(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, fake.Fixed(200, `{"namespaces":[["alice","a"],["alice","b"]]}`), noRetries)
	ns, err := c.Store.ListNamespaces(ctx, store.NamespacesParams{
		Prefix: []string{"alice"}, Suffix: []string{"b"}, MaxDepth: 2, Limit: 50, Offset: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "POST", "/store/namespaces", "", `{"prefix":["alice"],"suffix":["b"],"max_depth":2,"limit":50,"offset":3}`)
	if !reflect.DeepEqual(ns, [][]string{{"alice", "a"}, {"alice", "b"}}) {
		t.Errorf("namespaces = %v", ns)
	}

	f, c = fake.NewClient(t, fake.Fixed(200, `{"namespaces":[]}`), noRetries)
	if _, err := c.Store.ListNamespaces(ctx, store.NamespacesParams{}); err != nil {
		t.Fatal(err)
	}
	fake.Check(t, f.One(t), "POST", "/store/namespaces", "", `{}`)
}

// pagedItems serves total items k0, k1, ... by the body's offset and limit.
func pagedItems(t *testing.T, total int) func(int, fake.Request) fake.Reply {
	return func(_ int, r fake.Request) fake.Reply {
		b := fake.Object(t, r)
		limit, _ := b["limit"].(float64)
		offset, _ := b["offset"].(float64)
		var items []string
		for i := int(offset); i < total && i < int(offset+limit); i++ {
			items = append(items, `{"namespace":["alice"],"key":"k`+strconv.Itoa(i)+`","value":{}}`)
		}
		return fake.Reply{Body: `{"items":[` + strings.Join(items, ",") + `]}`}
	}
}

func TestSearchItemsAll(t *testing.T) {
	ctx := context.Background()
	f, c := fake.NewClient(t, pagedItems(t, 7), noRetries)
	var keys []string
	for it, err := range c.Store.SearchItemsAll(ctx, []string{"alice"}, store.SearchParams{Limit: 3, Query: "q"}) {
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, it.Key)
	}
	if got := strings.Join(keys, " "); got != "k0 k1 k2 k3 k4 k5 k6" {
		t.Errorf("keys = %s", got)
	}
	calls := f.Requests()
	if len(calls) != 3 {
		t.Fatalf("%d requests, want 3 (the short third page ends the walk)", len(calls))
	}
	fake.Check(t, calls[0], "POST", "/store/items/search", "", `{"namespace_prefix":["alice"],"query":"q","limit":3}`)
	fake.Check(t, calls[2], "POST", "/store/items/search", "", `{"namespace_prefix":["alice"],"query":"q","limit":3,"offset":6}`)

	// Zero Limit pages by 10; a failing page ends the walk with its error.
	f, c = fake.NewClient(t, func(n int, r fake.Request) fake.Reply {
		if b := fake.Object(t, r); b["offset"] != nil {
			return fake.Reply{Status: 403, ContentType: "text/plain"}
		}
		return pagedItems(t, 100)(n, r)
	}, noRetries)
	n := 0
	var gotErr error
	for _, err := range c.Store.SearchItemsAll(ctx, []string{"alice"}, store.SearchParams{}) {
		if err != nil {
			gotErr = err
			continue
		}
		n++
	}
	if n != 10 || !errors.Is(gotErr, langgraph.ErrForbidden) || f.Count() != 2 {
		t.Errorf("got %d items, err %v in %d requests; want 10, a 403, 2", n, gotErr, f.Count())
	}

	// Breaking out sends nothing more.
	f, c = fake.NewClient(t, pagedItems(t, 100), noRetries)
	for range c.Store.SearchItemsAll(ctx, []string{"alice"}, store.SearchParams{Limit: 5}) {
		break
	}
	if n := f.Count(); n != 1 {
		t.Errorf("%d requests after break, want 1", n)
	}
}

func TestListNamespacesAll(t *testing.T) {
	f, c := fake.NewClient(t, func(_ int, r fake.Request) fake.Reply {
		if fake.Object(t, r)["offset"] == nil {
			return fake.Reply{Body: `{"namespaces":[["alice","a"],["alice","b"]]}`}
		}
		return fake.Reply{Body: `{"namespaces":[["alice","c"]]}`}
	}, noRetries)
	var got []string
	for ns, err := range c.Store.ListNamespacesAll(context.Background(), store.NamespacesParams{Prefix: []string{"alice"}, Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join(ns, "/"))
	}
	if strings.Join(got, " ") != "alice/a alice/b alice/c" || f.Count() != 2 {
		t.Errorf("namespaces %v in %d requests", got, f.Count())
	}
	fake.Check(t, f.Requests()[1], "POST", "/store/namespaces", "", `{"prefix":["alice"],"limit":2,"offset":2}`)
}

func TestRequestOptions(t *testing.T) {
	// A per-call option reaches the request.
	f, c := fake.NewClient(t, fake.Fixed(200, itemJSON))
	if _, err := c.Store.GetItem(context.Background(), []string{"alice"}, "k", store.GetParams{}, langgraph.WithBearerToken("tok")); err != nil {
		t.Fatal(err)
	}
	if got := f.One(t).BearerToken(); got != "tok" {
		t.Errorf("bearer token = %q", got)
	}
}
