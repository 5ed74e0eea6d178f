// Package store reads and writes the deployment's long-term store: JSON
// documents (items) under a hierarchical namespace such as
// ["alice", "memories"], each with a key. Put, get and delete items, search
// them by namespace prefix, filter or semantic query, and list namespaces.
// Use it through client.Client.Store.
//
// A namespace is a list of labels. The server joins labels with "." in the
// query of GetItem, so a label must not contain "." and must not be empty:
// every method refuses such a namespace before sending anything.
//
// A missing item is reported one way whichever server answers (the Python
// server says 404, the JS server 200 with null): GetItem returns an error for
// which errors.Is(err, langgraph.ErrNotFound) is true.
//
// With custom auth the server may confine each user to some namespaces; a
// namespace the user may not touch gives an error matching
// langgraph.ErrForbidden.
package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/internal/pager"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// Service is the store API. Get one from client.New.
type Service struct {
	b *transport.Backend
}

// NewService returns the store service alone, configured by opts as
// client.New configures a client; most programs use client.New and its
// Store field instead.
func NewService(opts ...langgraph.Option) (*Service, error) {
	b, err := transport.FromOptions(opts)
	if err != nil {
		return nil, err
	}
	return &Service{b: b}, nil
}

// Item is a stored document.
type Item struct {
	// Namespace is the item's namespace, e.g. ["alice", "memories"].
	Namespace []string `json:"namespace"`
	// Key identifies the item within its namespace.
	Key string `json:"key"`
	// Value is the document, a JSON object; see Decode.
	Value json.RawMessage `json:"value"`
	// CreatedAt is when the item was first put.
	CreatedAt time.Time `json:"created_at,omitzero"`
	// UpdatedAt is when the item was last put.
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Score is the relevance of a SearchItems result to the query; nil when
	// the search had no query or the store has no index.
	Score *float64 `json:"score,omitzero"`
}

// Decode unmarshals the item's value into v.
func (it *Item) Decode(v any) error {
	if len(it.Value) == 0 {
		return fmt.Errorf("langgraph: store item %q has no value", it.Key)
	}
	return json.Unmarshal(it.Value, v)
}

// checkNamespace refuses labels the server cannot store: empty ones and ones
// containing "." (GetItem joins labels with "."). what names the argument in
// the error; required refuses an empty namespace.
func checkNamespace(what string, ns []string, required bool) error {
	if required && len(ns) == 0 {
		return lgerr.Invalid("store: %s must have at least one label", what)
	}
	for i, label := range ns {
		if label == "" {
			return lgerr.Invalid("store: %s %q: label %d is empty", what, ns, i)
		}
		if strings.Contains(label, ".") {
			return lgerr.Invalid("store: %s %q: label %q contains '.', which namespace labels cannot contain", what, ns, label)
		}
	}
	return nil
}

func checkKey(key string) error {
	if key == "" {
		return lgerr.Invalid("store: key must not be empty")
	}
	return nil
}

// PutParams are the options of PutItem.
type PutParams struct {
	// Index lists the fields of the value to embed for semantic search, as
	// JSON paths such as "text" or "sections[*].body". Nil uses the store's
	// configured fields.
	Index []string
	// NoIndex stores the item without indexing it for semantic search (sent
	// as "index": false). It cannot be combined with Index.
	NoIndex bool
	// TTL makes the item expire that long after it was last written (or
	// read with RefreshTTL). It is sent in minutes, so it must be a whole
	// number of minutes; zero means the store's default (usually no expiry).
	// Servers without TTL support ignore it.
	TTL time.Duration
}

type putBody struct {
	Namespace []string        `json:"namespace"`
	Key       string          `json:"key"`
	Value     json.RawMessage `json:"value"`
	Index     any             `json:"index,omitzero"`
	TTL       int64           `json:"ttl,omitzero"`
}

// PutItem creates or replaces the item at namespace and key (PUT
// /store/items). value must encode as a JSON object, e.g. a map or a struct.
func (s *Service) PutItem(ctx context.Context, namespace []string, key string, value any, p PutParams, opts ...langgraph.Option) error {
	if err := checkNamespace("namespace", namespace, true); err != nil {
		return err
	}
	if err := checkKey(key); err != nil {
		return err
	}
	raw, err := json.Marshal(value)
	if err != nil {
		return lgerr.Wrap(err, "store: encoding the value of %q", key)
	}
	if raw = bytes.TrimSpace(raw); len(raw) == 0 || raw[0] != '{' {
		return lgerr.Invalid("store: the value of %q must encode as a JSON object, not %.40s", key, raw)
	}
	body := putBody{Namespace: namespace, Key: key, Value: raw}
	switch {
	case p.NoIndex && p.Index != nil:
		return lgerr.Invalid("store: PutParams.NoIndex and PutParams.Index cannot both be set")
	case p.NoIndex:
		body.Index = false
	case p.Index != nil:
		body.Index = p.Index
	}
	if body.TTL, err = transport.Minutes("store: ttl", p.TTL); err != nil {
		return err
	}
	_, err = s.b.Do(ctx, &transport.Request{Method: http.MethodPut, Path: "/store/items", Body: body, Idempotent: true, Options: opts}, nil)
	return err
}

// GetParams are the options of GetItem.
type GetParams struct {
	// RefreshTTL, when set, says whether this read restarts the item's TTL;
	// nil uses the store's default.
	RefreshTTL *bool
}

// GetItem returns the item at namespace and key (GET
// /store/items?namespace=a.b&key=k). When there is no such item, the error
// matches langgraph.ErrNotFound (errors.Is), whether the server answered 404
// (Python) or 200 with null (JS).
func (s *Service) GetItem(ctx context.Context, namespace []string, key string, p GetParams, opts ...langgraph.Option) (*Item, error) {
	if err := checkNamespace("namespace", namespace, true); err != nil {
		return nil, err
	}
	if err := checkKey(key); err != nil {
		return nil, err
	}
	q := url.Values{"namespace": {strings.Join(namespace, ".")}, "key": {key}}
	if p.RefreshTTL != nil {
		q.Set("refresh_ttl", strconv.FormatBool(*p.RefreshTTL))
	}
	req := &transport.Request{Method: http.MethodGet, Path: "/store/items", Query: q, Idempotent: true, Options: opts}
	resp, err := s.b.Open(ctx, req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := s.b.ReadAll(ctx, req.Method, resp)
	if err != nil {
		return nil, err
	}
	if t := bytes.TrimSpace(data); len(t) == 0 || string(t) == "null" {
		// The JS server answers a missing item with 200 null.
		return nil, &notFoundError{namespace: namespace, key: key}
	}
	var it Item
	if err := transport.DecodeAnswer(req.Method, resp, data, &it); err != nil {
		return nil, err
	}
	if why := transport.Missing("key", it.Key); why != "" {
		return nil, transport.ResponseError(req.Method, resp, data, why)
	}
	return &it, nil
}

// notFoundError reports a missing item from a server that answered 200 with
// null; it matches langgraph.ErrNotFound.
type notFoundError struct {
	namespace []string
	key       string
}

func (e *notFoundError) Error() string {
	return fmt.Sprintf("langgraph: store: no item %q in namespace %q", e.key, e.namespace)
}

func (e *notFoundError) Unwrap() error { return langgraph.ErrNotFound }

// DeleteItem deletes the item at namespace and key (DELETE /store/items, with
// a JSON body). Deleting a missing item is not an error.
func (s *Service) DeleteItem(ctx context.Context, namespace []string, key string, opts ...langgraph.Option) error {
	if err := checkNamespace("namespace", namespace, true); err != nil {
		return err
	}
	if err := checkKey(key); err != nil {
		return err
	}
	body := struct {
		Namespace []string `json:"namespace"`
		Key       string   `json:"key"`
	}{namespace, key}
	_, err := s.b.Do(ctx, &transport.Request{Method: http.MethodDelete, Path: "/store/items", Body: body, Idempotent: true, Options: opts}, nil)
	return err
}

// SearchParams filter and page SearchItems. The zero value lists the first
// 10 items under the prefix.
type SearchParams struct {
	// Filter matches items whose value has these fields with these values,
	// e.g. {"kind": "note"}. Python servers also accept operators such as
	// {"score": {"$gt": 4}}.
	Filter map[string]any `json:"filter,omitempty"`
	// Query ranks the results by semantic similarity to this text (stores
	// with an index only); each result then carries a Score.
	Query string `json:"query,omitzero"`
	// Limit is the page size (server default 10).
	Limit int `json:"limit,omitzero"`
	// Offset skips that many items.
	Offset int `json:"offset,omitzero"`
	// RefreshTTL, when set, says whether returning an item restarts its TTL;
	// nil uses the store's default.
	RefreshTTL *bool `json:"refresh_ttl,omitzero"`
}

type searchBody struct {
	NamespacePrefix []string `json:"namespace_prefix"`
	SearchParams
}

// SearchItems returns one page of the items whose namespace starts with
// prefix (POST /store/items/search). An empty prefix searches every
// namespace the caller may see.
func (s *Service) SearchItems(ctx context.Context, prefix []string, p SearchParams, opts ...langgraph.Option) ([]Item, error) {
	if err := checkNamespace("namespace prefix", prefix, false); err != nil {
		return nil, err
	}
	if err := pager.Check(p.Limit, p.Offset); err != nil {
		return nil, err
	}
	page, err := s.searchPage(ctx, prefix, p, opts)
	return page.Items, err
}

// SearchItemsPage is SearchItems that also returns the paging headers, when
// the server sends them.
func (s *Service) SearchItemsPage(ctx context.Context, prefix []string, p SearchParams, opts ...langgraph.Option) (*langgraph.Page[Item], error) {
	if err := checkNamespace("namespace prefix", prefix, false); err != nil {
		return nil, err
	}
	if err := pager.Check(p.Limit, p.Offset); err != nil {
		return nil, err
	}
	page, err := s.searchPage(ctx, prefix, p, opts)
	if err != nil {
		return nil, err
	}
	return page.Public(), nil
}

func (s *Service) searchPage(ctx context.Context, prefix []string, p SearchParams, opts []langgraph.Option) (pager.Page[Item], error) {
	if prefix == nil {
		prefix = []string{} // the field is required: send [], not null
	}
	var out struct {
		Items []Item `json:"items"`
	}
	req := &transport.Request{Method: http.MethodPost, Path: "/store/items/search", Body: searchBody{prefix, p}, Idempotent: true, Options: opts,
		Check: func() string { return missingList("items", out.Items == nil) }}
	h, err := s.b.Do(ctx, req, &out)
	if err != nil {
		return pager.Page[Item]{}, err
	}
	return pager.FromHeader(out.Items, h), nil
}

// SearchItemsAll yields every item that SearchItems matches, fetching page
// after page (p.Limit per page, 10 when zero) from p.Offset on, until a page
// is short or empty. It stops at the first error, which it yields.
func (s *Service) SearchItemsAll(ctx context.Context, prefix []string, p SearchParams, opts ...langgraph.Option) iter.Seq2[Item, error] {
	if err := checkNamespace("namespace prefix", prefix, false); err != nil {
		return pager.Fail[Item](err)
	}
	return pager.Walk(ctx, p.Limit, p.Offset, 10, func(ctx context.Context, limit, offset int) (pager.Page[Item], error) {
		q := p
		q.Limit, q.Offset = limit, offset
		return s.searchPage(ctx, prefix, q, opts)
	})
}

// NamespacesParams filter and page ListNamespaces. The zero value lists the
// first 100 namespaces.
type NamespacesParams struct {
	// Prefix matches namespaces that start with these labels.
	Prefix []string `json:"prefix,omitempty"`
	// Suffix matches namespaces that end with these labels.
	Suffix []string `json:"suffix,omitempty"`
	// MaxDepth truncates the namespaces to this many labels (duplicates are
	// merged); zero means no limit.
	MaxDepth int `json:"max_depth,omitzero"`
	// Limit is the page size (server default 100).
	Limit int `json:"limit,omitzero"`
	// Offset skips that many namespaces.
	Offset int `json:"offset,omitzero"`
}

func (p *NamespacesParams) check() error {
	if err := checkNamespace("prefix", p.Prefix, false); err != nil {
		return err
	}
	if err := checkNamespace("suffix", p.Suffix, false); err != nil {
		return err
	}
	if p.MaxDepth < 0 {
		return lgerr.Invalid("store: max depth %d is negative", p.MaxDepth)
	}
	return pager.Check(p.Limit, p.Offset)
}

// ListNamespaces returns one page of the namespaces that hold items (POST
// /store/namespaces).
func (s *Service) ListNamespaces(ctx context.Context, p NamespacesParams, opts ...langgraph.Option) ([][]string, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	page, err := s.namespacesPage(ctx, p, opts)
	return page.Items, err
}

// ListNamespacesPage is ListNamespaces that also returns the paging
// headers, when the server sends them.
func (s *Service) ListNamespacesPage(ctx context.Context, p NamespacesParams, opts ...langgraph.Option) (*langgraph.Page[[]string], error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	page, err := s.namespacesPage(ctx, p, opts)
	if err != nil {
		return nil, err
	}
	return page.Public(), nil
}

func (s *Service) namespacesPage(ctx context.Context, p NamespacesParams, opts []langgraph.Option) (pager.Page[[]string], error) {
	var out struct {
		Namespaces [][]string `json:"namespaces"`
	}
	req := &transport.Request{Method: http.MethodPost, Path: "/store/namespaces", Body: p, Idempotent: true, Options: opts,
		Check: func() string { return missingList("namespaces", out.Namespaces == nil) }}
	h, err := s.b.Do(ctx, req, &out)
	if err != nil {
		return pager.Page[[]string]{}, err
	}
	return pager.FromHeader(out.Namespaces, h), nil
}

// ListNamespacesAll yields every namespace that ListNamespaces matches,
// fetching page after page (p.Limit per page, 100 when zero) from p.Offset
// on, until a page is short or empty. It stops at the first error, which it
// yields.
func (s *Service) ListNamespacesAll(ctx context.Context, p NamespacesParams, opts ...langgraph.Option) iter.Seq2[[]string, error] {
	if err := p.check(); err != nil {
		return pager.Fail[[]string](err)
	}
	return pager.Walk(ctx, p.Limit, p.Offset, 100, func(ctx context.Context, limit, offset int) (pager.Page[[]string], error) {
		q := p
		q.Limit, q.Offset = limit, offset
		return s.namespacesPage(ctx, q, opts)
	})
}

// missingList is the Check reason of an answer without its list field.
func missingList(field string, missing bool) string {
	if missing {
		return "the answer has no " + field + " list"
	}
	return ""
}
