package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph"
)

func TestPath(t *testing.T) {
	tests := []struct {
		tmpl string
		ids  []string
		want string
	}{
		{"/threads/{thread_id}", []string{"abc-123"}, "/threads/abc-123"},
		{"/threads/{thread_id}", []string{"a/b"}, "/threads/a%2Fb"},
		{"/threads/{thread_id}", []string{"../../assistants"}, "/threads/..%2F..%2Fassistants"},
		{"/threads/{thread_id}", []string{"."}, "/threads/%2E"},
		{"/threads/{thread_id}", []string{".."}, "/threads/%2E%2E"},
		{"/threads/{thread_id}", []string{"..."}, "/threads/%2E%2E%2E"},
		{"/threads/{thread_id}", []string{"a?b#c"}, "/threads/a%3Fb%23c"},
		{"/threads/{thread_id}", []string{"é 日本"}, "/threads/%C3%A9%20%E6%97%A5%E6%9C%AC"},
		{"/threads/{thread_id}", []string{"a%2Fb"}, "/threads/a%252Fb"},
		{"/threads/{thread_id}", []string{"a\\b"}, "/threads/a%5Cb"},
		{"/threads/{thread_id}/runs/{run_id}/join", []string{"t/1", ".."}, "/threads/t%2F1/runs/%2E%2E/join"},
		{"/info", nil, "/info"},
	}
	for _, tt := range tests {
		got, err := Path(tt.tmpl, tt.ids...)
		if err != nil || got != tt.want {
			t.Errorf("Path(%q, %q) = %q, %v; want %q", tt.tmpl, tt.ids, got, err, tt.want)
		}
	}
}

func TestPathErrors(t *testing.T) {
	_, err := Path("/threads/{thread_id}/runs/{run_id}", "t1", "")
	if err == nil || !strings.Contains(err.Error(), "run_id") {
		t.Errorf("empty id: err = %v, want one naming run_id", err)
	}
	if _, err := Path("/threads/{thread_id}", ""); err == nil {
		t.Error("empty id: no error")
	}
	if _, err := Path("/threads/{thread_id}/runs/{run_id}", "t1"); err == nil {
		t.Error("missing id: no error")
	}
	if _, err := Path("/threads/{thread_id", "t1"); err == nil {
		t.Error("unclosed placeholder: no error")
	}
}

// TestPathOnTheWire checks that the escaped path reaches the server as
// written: Go's client neither unescapes %2F nor cleans dot segments.
func TestPathOnTheWire(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.RequestURI
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	b := newBackend(t, srv.URL+"/prefix/")
	for id, want := range map[string]string{
		"a/b":          "/prefix/threads/a%2Fb/state",
		"..":           "/prefix/threads/%2E%2E/state",
		".":            "/prefix/threads/%2E/state",
		"../../info":   "/prefix/threads/..%2F..%2Finfo/state",
		"x?y=1#z":      "/prefix/threads/x%3Fy=1%23z/state",
		"ünï/cødé":     "/prefix/threads/%C3%BCn%C3%AF%2Fc%C3%B8d%C3%A9/state",
		"sp ace+plus;": "/prefix/threads/sp%20ace+plus%3B/state",
	} {
		p, err := Path("/threads/{thread_id}/state", id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Do(context.Background(), &Request{Method: http.MethodGet, Path: p, Idempotent: true}, nil); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("id %q: server got %q, want %q", id, got, want)
		}
	}
}

func TestRunFromLocation(t *testing.T) {
	tests := []struct {
		loc  string
		want langgraph.RunMetadata
		ok   bool
	}{
		{"/threads/t1/runs/r1", langgraph.RunMetadata{ThreadID: "t1", RunID: "r1"}, true},
		{"http://host:8123/prefix/threads/t1/runs/r1/", langgraph.RunMetadata{ThreadID: "t1", RunID: "r1"}, true},
		{"/runs/r2", langgraph.RunMetadata{RunID: "r2"}, true},
		{"/threads/a%2Fb/runs/r%20x?x=1", langgraph.RunMetadata{ThreadID: "a/b", RunID: "r x"}, true},
		{"/threads/t1", langgraph.RunMetadata{}, false},
		{"", langgraph.RunMetadata{}, false},
		{"/threads/%zz/runs/r1", langgraph.RunMetadata{}, false},
	}
	for _, tt := range tests {
		got, ok := RunFromLocation(tt.loc)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RunFromLocation(%q) = %+v, %v; want %+v, %v", tt.loc, got, ok, tt.want, tt.ok)
		}
	}
}
