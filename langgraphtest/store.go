package langgraphtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"time"
)

// item is an item of the store.
type item struct {
	namespace            []string
	key                  string
	value                json.RawMessage
	createdAt, updatedAt time.Time
}

type itemJSON struct {
	Value     json.RawMessage `json:"value"`
	Key       string          `json:"key"`
	Namespace []string        `json:"namespace"`
	CreatedAt string          `json:"created_at"`
	UpdatedAt string          `json:"updated_at"`
}

func (it *item) json() itemJSON {
	return itemJSON{Value: it.value, Key: it.key, Namespace: it.namespace, CreatedAt: stamp(it.createdAt), UpdatedAt: stamp(it.updatedAt)}
}

func itemKey(namespace []string, key string) string {
	return strings.Join(namespace, "\x00") + "\x01" + key
}

func (s *Server) putItem(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Namespace []string        `json:"namespace"`
		Key       string          `json:"key"`
		Value     json.RawMessage `json:"value"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	if len(body.Namespace) == 0 || body.Key == "" {
		textError(w, http.StatusUnprocessableEntity, "Namespace and key are required")
		return
	}
	for _, l := range body.Namespace {
		if l == "" || strings.Contains(l, ".") {
			textError(w, http.StatusUnprocessableEntity, "Namespace labels cannot be empty or contain periods")
			return
		}
	}
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	k := itemKey(body.Namespace, body.Key)
	it := s.items[k]
	if it == nil {
		it = &item{namespace: body.Namespace, key: body.Key, createdAt: now}
		s.items[k] = it
	}
	it.value, it.updatedAt = nullable(body.Value), now
	if it.value == nil {
		it.value = json.RawMessage("{}")
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) getItem(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("namespace") == "" {
		textError(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.items[itemKey(strings.Split(q.Get("namespace"), "."), q.Get("key"))]
	if it == nil {
		writeJSON(w, http.StatusOK, nil)
		return
	}
	writeJSON(w, http.StatusOK, it.json())
}

func (s *Server) deleteItem(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Namespace []string `json:"namespace"`
		Key       string   `json:"key"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	s.mu.Lock()
	delete(s.items, itemKey(body.Namespace, body.Key))
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// sortedItems returns the items under prefix, in namespace and key order.
// Called with s.mu held.
func (s *Server) sortedItems(prefix []string) []*item {
	var out []*item
	for _, it := range s.items {
		if len(it.namespace) >= len(prefix) && slices.Equal(it.namespace[:len(prefix)], prefix) {
			out = append(out, it)
		}
	}
	slices.SortFunc(out, func(a, b *item) int { return strings.Compare(itemKey(a.namespace, a.key), itemKey(b.namespace, b.key)) })
	return out
}

func (s *Server) searchItems(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Prefix []string       `json:"namespace_prefix"`
		Filter map[string]any `json:"filter"`
		Limit  *int           `json:"limit"`
		Offset int            `json:"offset"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var match []itemJSON
	for _, it := range s.sortedItems(body.Prefix) {
		var v map[string]any
		if len(body.Filter) > 0 && (json.Unmarshal(it.value, &v) != nil || !contains(v, body.Filter)) {
			continue
		}
		match = append(match, it.json())
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": page(match, body.Offset, body.Limit)})
}

func (s *Server) listNamespaces(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Prefix   []string `json:"prefix"`
		Suffix   []string `json:"suffix"`
		MaxDepth int      `json:"max_depth"`
		Limit    *int     `json:"limit"`
		Offset   int      `json:"offset"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	if body.Limit == nil {
		n := 100
		body.Limit = &n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var out [][]string
	for _, it := range s.sortedItems(body.Prefix) {
		ns := it.namespace
		if len(body.Suffix) > 0 && (len(ns) < len(body.Suffix) || !slices.Equal(ns[len(ns)-len(body.Suffix):], body.Suffix)) {
			continue
		}
		if body.MaxDepth > 0 && len(ns) > body.MaxDepth {
			ns = ns[:body.MaxDepth]
		}
		if !slices.ContainsFunc(out, func(o []string) bool { return slices.Equal(o, ns) }) {
			out = append(out, ns)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"namespaces": page(out, body.Offset, body.Limit)})
}
