// Package fake is the fake server of the SDK's own unit tests, for what the
// real test server cannot show: faults, the Python server's shapes, exact
// request bodies. It is a langgraphtest.Server (which records every request)
// whose every answer comes from the test.
package fake

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"sync"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/langgraphtest"
)

// Request is a request the server received.
type Request = langgraphtest.Request

// Reply is an answer of the server.
type Reply struct {
	// Status is the HTTP status; 0 means 200.
	Status int
	// ContentType is the Content-Type; empty means application/json.
	ContentType string
	// Header holds more headers.
	Header map[string]string
	// Body is the body.
	Body string
}

// Server is a fake server; its Client, Requests and LastRequest are
// langgraphtest's.
type Server struct {
	*langgraphtest.Server
	mu sync.Mutex
	n  int
}

// New starts a server, closed when the test ends, that answers its n-th
// request (counting from 0) with answer(n, r).
func New(t testing.TB, answer func(n int, r Request) Reply) *Server {
	t.Helper()
	return NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rep := answer(n, Request{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: r.Header.Clone(), Body: nilIfEmpty(body)})
		if rep.Status == 0 {
			rep.Status = http.StatusOK
		}
		if rep.ContentType == "" {
			rep.ContentType = "application/json"
		}
		w.Header().Set("Content-Type", rep.ContentType)
		for k, v := range rep.Header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(rep.Status)
		_, _ = io.WriteString(w, rep.Body)
	})
}

// NewClient starts a server as New does and returns it with a client of it
// (langgraphtest's Client: no API key from the environment, retries that
// wait a millisecond), configured further by opts.
func NewClient(t testing.TB, answer func(n int, r Request) Reply, opts ...langgraph.Option) (*Server, *client.Client) {
	t.Helper()
	s := New(t, answer)
	return s, s.Client(opts...)
}

// NewHandler starts a server, closed when the test ends, that answers its
// n-th request (counting from 0) with h.
func NewHandler(t testing.TB, h func(n int, w http.ResponseWriter, r *http.Request)) *Server {
	t.Helper()
	s := &Server{Server: langgraphtest.NewServer(t)}
	s.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		n := s.n
		s.n++
		s.mu.Unlock()
		h(n, w, r)
	}))
	return s
}

func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// Fixed answers every request with status (0 for 200) and a JSON body.
func Fixed(status int, body string) func(int, Request) Reply {
	return func(int, Request) Reply { return Reply{Status: status, Body: body} }
}

// Replies answers the requests with 200 and the bodies in turn; the last
// one repeats.
func Replies(bodies ...string) func(int, Request) Reply {
	return func(n int, _ Request) Reply { return Reply{Body: bodies[min(n, len(bodies)-1)]} }
}

// One returns the only request the server received; it fails the test
// unless there was exactly one.
func (s *Server) One(t testing.TB) Request {
	t.Helper()
	reqs := s.Requests()
	if len(reqs) != 1 {
		t.Fatalf("got %d requests, want 1: %+v", len(reqs), reqs)
	}
	return reqs[0]
}

// Count returns the number of requests received.
func (s *Server) Count() int { return len(s.Requests()) }

// JSON decodes r's body, nil when it has none; it fails the test when the
// body is not JSON.
func JSON(t testing.TB, r Request) any {
	t.Helper()
	if r.Body == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("%s %s: the body is not JSON: %v: %s", r.Method, r.Path, err, r.Body)
	}
	return v
}

// Object decodes r's body as a JSON object, nil when it has none; it fails
// the test when the body is not one.
func Object(t testing.TB, r Request) map[string]any {
	t.Helper()
	if r.Body == nil {
		return nil
	}
	m, ok := JSON(t, r).(map[string]any)
	if !ok {
		t.Fatalf("%s %s: the body is not a JSON object: %s", r.Method, r.Path, r.Body)
	}
	return m
}

// Text is the Content-Type of the JS server's errors.
const Text = "text/plain;charset=UTF-8"

// Check fails the test unless r is method path?query (see CheckLine) with
// the JSON body want, or no body when want is "" (see CheckBody).
func Check(t testing.TB, r Request, method, path, query, want string) {
	t.Helper()
	CheckLine(t, r, method, path, query)
	CheckBody(t, r, want)
}

// CheckLine fails the test unless r is method path?query, the query compared
// as decoded parameters.
func CheckLine(t testing.TB, r Request, method, path, query string) {
	t.Helper()
	q, err := url.ParseQuery(query)
	if err != nil {
		t.Fatalf("bad query %q: %v", query, err)
	}
	if len(q) == 0 {
		q = nil
	}
	got := r.Query
	if len(got) == 0 {
		got = nil
	}
	if r.Method != method || r.Path != path || !reflect.DeepEqual(got, q) {
		t.Errorf("request = %s %s ?%s, want %s %s ?%s", r.Method, r.Path, r.Query.Encode(), method, path, query)
	}
}

// CheckBody fails the test unless r's body is the JSON value want, sent as
// application/json, or r has no body when want is "".
func CheckBody(t testing.TB, r Request, want string) {
	t.Helper()
	if want == "" {
		if r.Body != nil {
			t.Errorf("body = %s, want none", r.Body)
		}
		return
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		t.Errorf("Content-Type %q, want application/json", r.Header.Get("Content-Type"))
	}
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want %q: %v", want, err)
	}
	if !reflect.DeepEqual(JSON(t, r), w) {
		var buf bytes.Buffer
		_ = json.Compact(&buf, []byte(want))
		t.Errorf("body = %s\nwant   %s", r.Body, buf.Bytes())
	}
}
