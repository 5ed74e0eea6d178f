package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/langgraph-go/langgraph"
)

// answer serves one fixed answer for every request and counts them.
func answer(t *testing.T, h http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// cut writes the status line, the headers and part of a body that claims to
// be longer, then closes the connection.
func cut(status int, header http.Header, partial string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		defer conn.Close()
		_, _ = fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
		_ = header.Write(buf)
		_, _ = io.WriteString(buf, "Content-Length: 1000\r\n\r\n"+partial)
		_ = buf.Flush()
	}
}

func TestEmptyOrMalformedAnswerIsAResponseError(t *testing.T) {
	for name, body := range map[string]string{"empty": "", "blank": "\n\n", "not JSON": "<html>", "cut JSON": `{"thread_id":`} {
		t.Run(name, func(t *testing.T) {
			srv, _ := answer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = io.WriteString(w, body)
			})
			b := newBackend(t, srv.URL)
			var out map[string]any
			_, err := b.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/threads/t1", Idempotent: true}, &out)
			var re *langgraph.ResponseError
			if !errors.As(err, &re) || re.StatusCode != 200 || re.Method != "GET" || re.URL != srv.URL+"/threads/t1" {
				t.Fatalf("err = %v; want a *langgraph.ResponseError for GET %s/threads/t1", err, srv.URL)
			}
		})
	}
}

func TestCheckFailsTheAnswer(t *testing.T) {
	srv, _ := answer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, `{"thread_id":""}`) })
	b := newBackend(t, srv.URL)
	var out struct {
		ThreadID string `json:"thread_id"`
	}
	_, err := b.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/threads/t1", Idempotent: true,
		Check: func() string { return Missing("thread_id", out.ThreadID) }}, &out)
	var re *langgraph.ResponseError
	if !errors.As(err, &re) || !strings.Contains(re.Reason, "thread_id") {
		t.Fatalf("err = %v; want a *langgraph.ResponseError naming thread_id", err)
	}
}

func TestCutAnswerIsAConnectionError(t *testing.T) {
	srv, n := answer(t, cut(200, http.Header{"Content-Type": {"application/json"}}, `{"thread_id":"t`))
	b := newBackend(t, srv.URL)
	var out map[string]any
	_, err := b.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/threads"}, &out)
	var ce *langgraph.ConnectionError
	if !errors.As(err, &ce) || !ce.Sent || ce.StatusCode != 200 || ce.Method != "POST" {
		t.Fatalf("err = %#v; want a *langgraph.ConnectionError, Sent, status 200", err)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("err = %v; want it to wrap io.ErrUnexpectedEOF", err)
	}
	if n.Load() != 1 {
		t.Errorf("%d requests: a cut answer must not be retried by Do", n.Load())
	}
}

func TestNeverSentConnectionError(t *testing.T) {
	b := newBackend(t, "http://"+closedAddr(t), func(c *Config) { c.MaxRetries = -1 })
	_, err := b.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/threads"}, nil)
	var ce *langgraph.ConnectionError
	if !errors.As(err, &ce) || ce.Sent {
		t.Fatalf("err = %#v; want a *langgraph.ConnectionError with Sent false", err)
	}
}

func TestAnswerSizeLimit(t *testing.T) {
	big := `{"values":"` + strings.Repeat("x", 2000) + `"}`
	srv, _ := answer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, big) })
	b := newBackend(t, srv.URL, func(c *Config) { c.MaxResponseSize = 1000 })
	var out map[string]any
	_, err := b.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/threads/t1", Idempotent: true}, &out)
	if !errors.Is(err, langgraph.ErrResponseTooLarge) {
		t.Fatalf("err = %v; want ErrResponseTooLarge", err)
	}
	ok := newBackend(t, srv.URL, func(c *Config) { c.MaxResponseSize = int64(len(big)) })
	if _, err := ok.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/threads/t1", Idempotent: true}, &out); err != nil {
		t.Fatalf("an answer of exactly the limit: %v", err)
	}
}

// TestRetriedDeleteThatFoundNothing: a DELETE whose first attempt did the
// work but was answered 502 gets 404 on its retry: that is the success the
// caller asked for. After a 429 (the server did nothing) a 404 stays an error.
func TestRetriedDeleteThatFoundNothing(t *testing.T) {
	for _, tc := range []struct {
		first   int
		wantErr bool
	}{{http.StatusBadGateway, false}, {http.StatusServiceUnavailable, false}, {http.StatusTooManyRequests, true}} {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				w.WriteHeader(tc.first)
				return
			}
			http.Error(w, "Thread not found", http.StatusNotFound)
		}))
		t.Cleanup(srv.Close)
		b := newBackend(t, srv.URL)
		r := &Request{Method: http.MethodDelete, Path: "/threads/t1", Idempotent: true}
		_, err := b.Do(context.Background(), r, nil)
		if gotErr := err != nil; gotErr != tc.wantErr || (tc.wantErr && !errors.Is(err, langgraph.ErrNotFound)) {
			t.Errorf("first attempt %d, then 404: err = %v, want error %v", tc.first, err, tc.wantErr)
		}
		if n.Load() != 2 {
			t.Errorf("first attempt %d: %d requests, want 2", tc.first, n.Load())
		}
		if r.Retried() != !tc.wantErr {
			t.Errorf("first attempt %d: Retried() = %v", tc.first, r.Retried())
		}
	}
}

func TestPerCallCredentials(t *testing.T) {
	rec := newRecorder(t)
	b := newBackend(t, rec.URL, func(c *Config) { c.PerCallCredentials = true })
	_, err := b.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/threads/t1", Idempotent: true}, nil)
	if !errors.Is(err, langgraph.ErrNoCredentials) || rec.count() != 0 {
		t.Fatalf("no credentials: err = %v, %d requests sent; want ErrNoCredentials and none", err, rec.count())
	}
	// A header that is not a credential does not count.
	ctx := langgraph.ContextWithOptions(context.Background(), langgraph.WithHeader("X-Tenant", "acme"))
	if _, err := b.Do(ctx, &Request{Method: http.MethodGet, Path: "/threads/t1", Idempotent: true}, nil); !errors.Is(err, langgraph.ErrNoCredentials) {
		t.Fatalf("x-tenant only: err = %v", err)
	}
	for name, c := range map[string]struct {
		ctx  context.Context
		opts []langgraph.Option
		want string
	}{
		"call bearer":   {context.Background(), []langgraph.Option{langgraph.WithBearerToken("tok-u1")}, "Bearer tok-u1"},
		"context key":   {langgraph.ContextWithOptions(context.Background(), langgraph.WithAPIKey("key-u2")), nil, ""},
		"call header":   {context.Background(), []langgraph.Option{langgraph.WithHeader("authorization", "Bearer tok-u3")}, "Bearer tok-u3"},
		"context + key": {ctx, []langgraph.Option{langgraph.WithAPIKey("key-u4")}, ""},
	} {
		before := rec.count()
		if _, err := b.Do(c.ctx, &Request{Method: http.MethodGet, Path: "/threads/t1", Idempotent: true, Options: c.opts}, nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if rec.count() != before+1 || rec.last(t).Get("Authorization") != c.want {
			t.Errorf("%s: sent %d, Authorization %q", name, rec.count()-before, rec.last(t).Get("Authorization"))
		}
	}
	// A route that needs no credentials is sent.
	if _, err := b.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/info", Idempotent: true, NoAuth: true}, nil); err != nil {
		t.Fatalf("GET /info: %v", err)
	}
}

func TestResponseOption(t *testing.T) {
	srv, _ := answer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Pagination-Total", "42")
		w.Header().Set("X-Request-Id", "req-1")
		_, _ = io.WriteString(w, "[]")
	})
	b := newBackend(t, srv.URL)
	var got langgraph.Response
	var out []any
	if _, err := b.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/threads/search", Idempotent: true,
		Options: []langgraph.Option{langgraph.WithResponse(&got)}}, &out); err != nil {
		t.Fatal(err)
	}
	if got.StatusCode != 200 || got.Header.Get("X-Pagination-Total") != "42" || got.RequestID() != "req-1" {
		t.Errorf("Response = %+v", got)
	}
}
