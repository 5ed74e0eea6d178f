package transport

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
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
		{"/threads/{thread_id}", []string{"a.b"}, "/threads/a.b"},
		{"/threads/{thread_id}", []string{".a"}, "/threads/.a"},
		{"/threads/{thread_id}", []string{"a?b#c"}, "/threads/a%3Fb%23c"},
		{"/threads/{thread_id}", []string{"é 日本"}, "/threads/%C3%A9%20%E6%97%A5%E6%9C%AC"},
		{"/threads/{thread_id}", []string{"a%2Fb"}, "/threads/a%252Fb"},
		{"/threads/{thread_id}", []string{"a\\b"}, "/threads/a%5Cb"},
		{"/threads/{thread_id}", []string{" .. "}, "/threads/%20..%20"},
		{"/threads/{thread_id}", []string{"a\x00\r\n\u2028"}, "/threads/a%00%0D%0A%E2%80%A8"},
		{"/threads/{thread_id}/runs/{run_id}/join", []string{"t/1", "r%"}, "/threads/t%2F1/runs/r%25/join"},
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
		"a.b":          "/prefix/threads/a.b/state",
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
		want langgraph.RunRef
		ok   bool
	}{
		{"/threads/t1/runs/r1", langgraph.RunRef{ThreadID: "t1", RunID: "r1"}, true},
		{"http://host:8123/prefix/threads/t1/runs/r1/", langgraph.RunRef{ThreadID: "t1", RunID: "r1"}, true},
		{"/runs/r2", langgraph.RunRef{RunID: "r2"}, true},
		{"/threads/a%2Fb/runs/r%20x?x=1", langgraph.RunRef{ThreadID: "a/b", RunID: "r x"}, true},
		{"/threads/t1", langgraph.RunRef{}, false},
		{"", langgraph.RunRef{}, false},
		{"/threads/%zz/runs/r1", langgraph.RunRef{}, false},
		{"/threads/%2E%2E/runs/r1", langgraph.RunRef{}, false},
		{"/threads/../runs/r1", langgraph.RunRef{}, false},
		{"/threads/t1/runs/%2e", langgraph.RunRef{}, false},
		{"/runs/%252e%252e", langgraph.RunRef{}, false},
		{"/threads/t1/runs/r.1", langgraph.RunRef{ThreadID: "t1", RunID: "r.1"}, true},
	}
	for _, tt := range tests {
		got, ok := RunFromLocation(tt.loc)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RunFromLocation(%q) = %+v, %v; want %+v, %v", tt.loc, got, ok, tt.want, tt.ok)
		}
	}
}

// dotIDs are ids a server or proxy may read as "." or "..", whole or in
// part, once it has percent-decoded them (once or more).
var dotIDs = []string{
	".", "..", "...", strings.Repeat(".", 10<<10),
	"%2e", "%2E", "%2e%2e", "%2E%2e", ".%2e", "%2E.", "%2e.%2E",
	"%252e", "%252E%252e", "%25252e%25252e", ".%252e", "%2525252E",
	".\t.", ".\r\n.", "%2e%09%2e",
	"../..", "..%2F..", "..%2f..%2fassistants", "a/../b", "x/.", "./x", "..\\..", "a%5C..%5Cb", "a%252F..%252Fb",
}

// cleanIDs must be sent, escaped, in their segment.
var cleanIDs = []string{
	"01a22613-46ff-72a9-8380-07a0a862fff3", "agent", "a.b", ".a", "a.", "a..b", "...a", " .. ", ". .",
	"a/b", "/", "//", "a?b#c", "a%2Fb", "%", "%%", "%2", "%zz", "%2e%2e%2", "%2ex", "a\x00b", "a\r\nb", "a\u2028b",
	"é 日本", "\xff\xfe", strings.Repeat("a", 10<<10), "parent|child:1",
}

func TestCheckID(t *testing.T) {
	for _, id := range dotIDs {
		err := CheckID("thread_id", id)
		if !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("CheckID(%.40q) = %v, want ErrInvalidArgument", id, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "thread_id") || len(msg) > 200 {
			t.Errorf("CheckID(%.40q): %q, want at most 200 bytes naming thread_id", id, msg)
		}
		if _, err := Path("/threads/{thread_id}/runs/{run_id}", "t1", id); !errors.Is(err, langgraph.ErrInvalidArgument) || !strings.Contains(err.Error(), "run_id") {
			t.Errorf("Path(run_id %.40q) = %v, want ErrInvalidArgument naming run_id", id, err)
		}
	}
	for _, id := range cleanIDs {
		if err := CheckID("thread_id", id); err != nil {
			t.Errorf("CheckID(%.40q) = %v, want nil", id, err)
		}
	}
	if err := CheckID("cron_id", ""); !errors.Is(err, langgraph.ErrInvalidArgument) || !strings.Contains(err.Error(), "cron_id") {
		t.Errorf("empty id: %v", err)
	}
	// An id still changing after many rounds of decoding is refused, and
	// deciding so stays cheap even for a huge id.
	deep := "%" + strings.Repeat("25", 100<<10) + "41"
	if err := CheckID("assistant_id", deep); !errors.Is(err, langgraph.ErrInvalidArgument) || len(err.Error()) > 200 {
		t.Errorf("deeply encoded id: %v", err)
	}
	if err := CheckID("assistant_id", "%25252541"); err != nil {
		t.Errorf("an id encoded three times: %v", err)
	}
	// An id at the limit passes, and so does the path that carries it.
	limit := "%" + strings.Repeat("25", maxDecodes-1) + "41"
	checkSegments(t, limit)
	if _, err := Path("/assistants/{assistant_id}", limit); err != nil {
		t.Errorf("an id encoded %d times: %v", maxDecodes, err)
	}
	if err := CheckID("assistant_id", "%25"+limit[1:]); !errors.Is(err, langgraph.ErrInvalidArgument) {
		t.Errorf("an id encoded %d times: %v", maxDecodes+1, err)
	}
}

func TestCheckPath(t *testing.T) {
	for _, p := range []string{"/threads/t1/runs/%2E%2E/stream", "/api/../reconnect", "/a/./b", "/a/%252e/b", "/threads/..%2F..", "/.."} {
		if err := CheckPath(p); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("CheckPath(%q) = %v, want ErrInvalidArgument", p, err)
		}
	}
	for _, p := range []string{"/", "/info", "/threads/t1/runs/r1/stream", "//x", "/a.b/.c/d./x..y", "/threads/a%2Fb/state"} {
		if err := CheckPath(p); err != nil {
			t.Errorf("CheckPath(%q) = %v", p, err)
		}
	}
}

// TestBackendRefusesDotPaths: a request whose path has a dot segment is
// refused before it is sent, whoever built it.
func TestBackendRefusesDotPaths(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	b := newBackend(t, srv.URL)
	for _, p := range []string{"/threads/%2E%2E/runs", "/threads/../runs", "/threads/t/runs/%252e"} {
		_, err := b.Do(context.Background(), &Request{Method: http.MethodPost, Path: p, Body: struct{}{}}, nil)
		if !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", p, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

// whatwgSegments returns the segments of an escaped path after the dot
// segment removal of the WHATWG URL standard (http is a special scheme:
// "\\" separates segments too; tabs and newlines are dropped).
func whatwgSegments(p string) []string {
	p = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(p)
	segs := strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' })
	var out []string
	for _, s := range segs {
		switch strings.ReplaceAll(strings.ToLower(s), "%2e", ".") {
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case ".":
		default:
			out = append(out, s)
		}
	}
	return out
}

// checkSegments is the property: an id that Path accepts stays one segment
// for net/url and for a WHATWG parser, decodes back to itself, and, decoded
// as nginx does (fully, then "." and ".." resolved), gives no dot segment.
func checkSegments(t *testing.T, id string) {
	t.Helper()
	p, err := Path("/threads/{thread_id}/runs/{run_id}", id, "r1")
	if err != nil {
		if !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Fatalf("Path(%q): %v is not ErrInvalidArgument", id, err)
		}
		return
	}
	if err := CheckPath(p); err != nil {
		t.Fatalf("Path(%q) = %q, which CheckPath refuses: %v", id, p, err)
	}
	u, err := url.Parse("http://host" + p)
	if err != nil {
		t.Fatalf("Path(%q) = %q, which net/url cannot parse: %v", id, p, err)
	}
	segs := whatwgSegments(u.EscapedPath())
	if len(segs) != 4 || segs[0] != "threads" || segs[2] != "runs" || segs[3] != "r1" {
		t.Fatalf("Path(%q) = %q: WHATWG segments %q, want 4 with the id second", id, p, segs)
	}
	if got, err := url.PathUnescape(segs[1]); err != nil || got != id {
		t.Fatalf("Path(%q) = %q: the id segment decodes to %q, %v", id, p, got, err)
	}
	full := p
	for range maxDecodes + 1 {
		full = unescape(full)
	}
	for _, s := range strings.FieldsFunc(strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(full), func(r rune) bool { return r == '/' || r == '\\' }) {
		if strings.Trim(s, ".") == "" {
			t.Fatalf("Path(%q) = %q: fully decoded, it has the dot segment %q", id, p, s)
		}
	}
}

func TestPathSegmentsProperty(t *testing.T) {
	for _, id := range append(append([]string{}, dotIDs...), cleanIDs...) {
		checkSegments(t, id)
	}
	// Random ids from pieces that make dot segments likely.
	pieces := []string{".", ".", "%", "2", "e", "E", "%2e", "%2E", "%25", "/", "\\", "%2F", "%5C", "\t", "\n", "a", "é", "?", "#", " ", "5", "%00"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range 1 + r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		checkSegments(t, b.String())
	}
}

func FuzzPath(f *testing.F) {
	for _, id := range append(append([]string{}, dotIDs[:3]...), "%2e%2e", ".%2E", "..%2F..", "a/b", "a%2Fb", "x") {
		f.Add(id)
	}
	f.Fuzz(checkSegments)
}
