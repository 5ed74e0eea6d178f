package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/store"
)

// call is one request as the fake server saw it.
type call struct {
	Method string
	Path   string
	Query  string
	Body   any // decoded JSON, nil when there was no body
	Raw    string
}

// reply is what the fake server answers.
type reply struct {
	Status      int
	ContentType string
	Body        string
}

type fake struct {
	mu    sync.Mutex
	calls []call
}

func (f *fake) recorded() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

// newFake starts a server answering with answer(call) and returns a client
// for it that does not retry.
func newFake(t *testing.T, answer func(c call) reply) (*fake, *client.Client) {
	t.Helper()
	f := &fake{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		c := call{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Raw: string(raw)}
		if len(raw) > 0 {
			if err := json.Unmarshal(raw, &c.Body); err != nil {
				t.Errorf("%s %s: body is not JSON: %v: %s", r.Method, r.URL, err, raw)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("%s %s: Content-Type %q", r.Method, r.URL, ct)
			}
		}
		f.mu.Lock()
		f.calls = append(f.calls, c)
		f.mu.Unlock()
		rep := answer(c)
		if rep.Status == 0 {
			rep.Status = http.StatusOK
		}
		if rep.ContentType == "" {
			rep.ContentType = "application/json"
		}
		w.Header().Set("Content-Type", rep.ContentType)
		w.WriteHeader(rep.Status)
		_, _ = io.WriteString(w, rep.Body)
	}))
	t.Cleanup(srv.Close)
	c, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithoutAPIKey(), langgraph.WithMaxRetries(0))
	if err != nil {
		t.Fatal(err)
	}
	return f, c
}

func fixed(status int, body string) func(call) reply {
	return func(call) reply { return reply{Status: status, Body: body} }
}

func one(t *testing.T, f *fake) call {
	t.Helper()
	calls := f.recorded()
	if len(calls) != 1 {
		t.Fatalf("got %d requests, want 1: %+v", len(calls), calls)
	}
	return calls[0]
}

func check(t *testing.T, c call, method, path, query, body string) {
	t.Helper()
	if c.Method != method || c.Path != path || c.Query != query {
		t.Errorf("request = %s %s ?%s, want %s %s ?%s", c.Method, c.Path, c.Query, method, path, query)
	}
	if body == "" {
		if c.Raw != "" {
			t.Errorf("body = %s, want none", c.Raw)
		}
		return
	}
	var want any
	if err := json.Unmarshal([]byte(body), &want); err != nil {
		t.Fatalf("bad want %q: %v", body, err)
	}
	if !reflect.DeepEqual(c.Body, want) {
		t.Errorf("body = %s, want %s", c.Raw, body)
	}
}

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
			f, c := newFake(t, func(call) reply { return reply{Status: http.StatusNoContent} })
			if err := c.Store.PutItem(ctx, ns, "k1", map[string]any{"text": "hi"}, tc.p); err != nil {
				t.Fatal(err)
			}
			check(t, one(t, f), "PUT", "/store/items", "", tc.body)
		})
	}

	// A struct value is encoded with its JSON tags.
	f, c := newFake(t, func(call) reply { return reply{Status: http.StatusNoContent} })
	type note struct {
		Text string `json:"text"`
	}
	if err := c.Store.PutItem(ctx, ns, "k1", note{"x"}, store.PutParams{}); err != nil {
		t.Fatal(err)
	}
	check(t, one(t, f), "PUT", "/store/items", "", `{"namespace":["alice","notes"],"key":"k1","value":{"text":"x"}}`)
}

// Bad input is refused before anything is sent, with an error that says why.
func TestRefusedClientSide(t *testing.T) {
	ctx := context.Background()
	f, c := newFake(t, fixed(200, `{}`))
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
	if n := len(f.recorded()); n != 0 {
		t.Errorf("%d requests sent for refused input, want 0", n)
	}
}

func TestGetItem(t *testing.T) {
	ctx := context.Background()
	f, c := newFake(t, fixed(200, itemJSON))
	refresh := true
	it, err := c.Store.GetItem(ctx, []string{"alice", "notes"}, "k 1&x", store.GetParams{RefreshTTL: &refresh})
	if err != nil {
		t.Fatal(err)
	}
	check(t, one(t, f), "GET", "/store/items", "key=k+1%26x&namespace=alice.notes&refresh_ttl=true", "")
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
	f, c = newFake(t, fixed(200, itemJSON))
	if _, err := c.Store.GetItem(ctx, []string{"alice"}, "k", store.GetParams{}); err != nil {
		t.Fatal(err)
	}
	check(t, one(t, f), "GET", "/store/items", "key=k&namespace=alice", "")

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
		rep  reply
		api  bool // the error is an *APIError
	}{
		{"python 404 JSON", reply{Status: 404, Body: `{"detail":"Item not found"}`}, true},
		{"js 200 null", reply{Body: `null`}, false},
		{"200 empty body", reply{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, c := newFake(t, func(call) reply { return tc.rep })
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
	f, c := newFake(t, func(call) reply { return reply{Status: http.StatusNoContent} })
	if err := c.Store.DeleteItem(context.Background(), []string{"alice", "notes"}, "k1"); err != nil {
		t.Fatal(err)
	}
	check(t, one(t, f), "DELETE", "/store/items", "", `{"namespace":["alice","notes"],"key":"k1"}`)
}

func TestSearchItems(t *testing.T) {
	ctx := context.Background()
	body := `{"items":[` + itemJSON + `,{"namespace":["alice"],"key":"k2","value":{},"created_at":"2026-11-27T10:00:00Z","updated_at":"2026-11-27T10:00:00Z","score":0.75}]}`
	f, c := newFake(t, fixed(200, body))
	refresh := false
	items, err := c.Store.SearchItems(ctx, []string{"alice"}, store.SearchParams{
		Filter: map[string]any{"kind": "note"}, Query: "greetings", Limit: 5, Offset: 10, RefreshTTL: &refresh,
	})
	if err != nil {
		t.Fatal(err)
	}
	check(t, one(t, f), "POST", "/store/items/search", "",
		`{"namespace_prefix":["alice"],"filter":{"kind":"note"},"query":"greetings","limit":5,"offset":10,"refresh_ttl":false}`)
	if len(items) != 2 || items[0].Key != "k1" || items[0].Score != nil || items[1].Score == nil || *items[1].Score != 0.75 {
		t.Errorf("items = %+v", items)
	}

	// The zero value sends an empty prefix (a list, never null) and nothing else.
	f, c = newFake(t, fixed(200, `{"items":[]}`))
	items, err = c.Store.SearchItems(ctx, nil, store.SearchParams{Filter: map[string]any{}})
	if err != nil || len(items) != 0 {
		t.Fatalf("SearchItems = %v, %v", items, err)
	}
	check(t, one(t, f), "POST", "/store/items/search", "", `{"namespace_prefix":[]}`)
}

func TestListNamespaces(t *testing.T) {
	ctx := context.Background()
	f, c := newFake(t, fixed(200, `{"namespaces":[["alice","a"],["alice","b"]]}`))
	ns, err := c.Store.ListNamespaces(ctx, store.NamespacesParams{
		Prefix: []string{"alice"}, Suffix: []string{"b"}, MaxDepth: 2, Limit: 50, Offset: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	check(t, one(t, f), "POST", "/store/namespaces", "", `{"prefix":["alice"],"suffix":["b"],"max_depth":2,"limit":50,"offset":3}`)
	if !reflect.DeepEqual(ns, [][]string{{"alice", "a"}, {"alice", "b"}}) {
		t.Errorf("namespaces = %v", ns)
	}

	f, c = newFake(t, fixed(200, `{"namespaces":[]}`))
	if _, err := c.Store.ListNamespaces(ctx, store.NamespacesParams{}); err != nil {
		t.Fatal(err)
	}
	check(t, one(t, f), "POST", "/store/namespaces", "", `{}`)
}

// pagedItems serves total items k0, k1, ... by the body's offset and limit.
func pagedItems(total int) func(call) reply {
	return func(c call) reply {
		b, _ := c.Body.(map[string]any)
		limit, _ := b["limit"].(float64)
		offset, _ := b["offset"].(float64)
		var items []string
		for i := int(offset); i < total && i < int(offset+limit); i++ {
			items = append(items, `{"namespace":["alice"],"key":"k`+strconv.Itoa(i)+`","value":{}}`)
		}
		return reply{Body: `{"items":[` + strings.Join(items, ",") + `]}`}
	}
}

func TestSearchItemsAll(t *testing.T) {
	ctx := context.Background()
	f, c := newFake(t, pagedItems(7))
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
	calls := f.recorded()
	if len(calls) != 3 {
		t.Fatalf("%d requests, want 3 (the short third page ends the walk)", len(calls))
	}
	check(t, calls[0], "POST", "/store/items/search", "", `{"namespace_prefix":["alice"],"query":"q","limit":3}`)
	check(t, calls[2], "POST", "/store/items/search", "", `{"namespace_prefix":["alice"],"query":"q","limit":3,"offset":6}`)

	// Zero Limit pages by 10; a failing page ends the walk with its error.
	f, c = newFake(t, func(cl call) reply {
		if b, _ := cl.Body.(map[string]any); b["offset"] != nil {
			return reply{Status: 403, ContentType: "text/plain"}
		}
		return pagedItems(100)(cl)
	})
	n := 0
	var gotErr error
	for _, err := range c.Store.SearchItemsAll(ctx, []string{"alice"}, store.SearchParams{}) {
		if err != nil {
			gotErr = err
			continue
		}
		n++
	}
	if n != 10 || !errors.Is(gotErr, langgraph.ErrForbidden) || len(f.recorded()) != 2 {
		t.Errorf("got %d items, err %v in %d requests; want 10, a 403, 2", n, gotErr, len(f.recorded()))
	}

	// Breaking out sends nothing more.
	f, c = newFake(t, pagedItems(100))
	for range c.Store.SearchItemsAll(ctx, []string{"alice"}, store.SearchParams{Limit: 5}) {
		break
	}
	if n := len(f.recorded()); n != 1 {
		t.Errorf("%d requests after break, want 1", n)
	}
}

func TestListNamespacesAll(t *testing.T) {
	f, c := newFake(t, func(cl call) reply {
		b, _ := cl.Body.(map[string]any)
		if b["offset"] == nil {
			return reply{Body: `{"namespaces":[["alice","a"],["alice","b"]]}`}
		}
		return reply{Body: `{"namespaces":[["alice","c"]]}`}
	})
	var got []string
	for ns, err := range c.Store.ListNamespacesAll(context.Background(), store.NamespacesParams{Prefix: []string{"alice"}, Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join(ns, "/"))
	}
	if strings.Join(got, " ") != "alice/a alice/b alice/c" || len(f.recorded()) != 2 {
		t.Errorf("namespaces %v in %d requests", got, len(f.recorded()))
	}
	check(t, f.recorded()[1], "POST", "/store/namespaces", "", `{"prefix":["alice"],"limit":2,"offset":2}`)
}

func TestRequestOptions(t *testing.T) {
	// A per-call option reaches the request.
	var gotAuth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotAuth = r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, itemJSON)
	}))
	defer srv.Close()
	c, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithoutAPIKey())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Store.GetItem(context.Background(), []string{"alice"}, "k", store.GetParams{}, langgraph.WithBearerToken("tok")); err != nil {
		t.Fatal(err)
	}
	if gotAuth != "Bearer tok" {
		t.Errorf("Authorization = %q", gotAuth)
	}
}
