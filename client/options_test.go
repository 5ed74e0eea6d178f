package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/threads"
)

// TestOptionScopes: one option type everywhere; an option that applies
// only to clients is refused on a call, a context or a view, and one that
// applies only to calls is refused by New, each with ErrInvalidArgument and
// before anything is sent.
func TestOptionScopes(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(`{"thread_id":"t1"}`))
	}))
	defer srv.Close()
	c, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithoutAPIKey())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	clientOnly := []langgraph.Option{langgraph.WithBaseURL(srv.URL), langgraph.WithoutAPIKey(), langgraph.WithPerCallCredentials(),
		langgraph.WithHTTPClient(http.DefaultClient), langgraph.WithRetryWait(time.Millisecond, time.Second),
		langgraph.WithMaxEventSize(1), langgraph.WithMaxResponseSize(1), langgraph.WithMaxRetryAfter(time.Second),
		langgraph.WithTokenSource(langgraph.TokenSourceFunc(func(context.Context, string) (string, error) { return "t", nil }))}
	for _, opt := range clientOnly {
		if _, err := c.Threads.Get(ctx, "t1", opt); !errors.Is(err, langgraph.ErrInvalidArgument) || !strings.Contains(err.Error(), "client.New") {
			t.Errorf("a client option on a call: %v", err)
		}
		if _, err := c.Threads.Get(langgraph.ContextWithOptions(ctx, opt), "t1"); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("a client option on a context: %v", err)
		}
		if _, err := c.WithOptions(opt); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("a client option on a view: %v", err)
		}
		if _, err := c.Threads.Get(ctx, "t1", langgraph.Options(langgraph.WithHeader("X-A", "b"), opt)); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("a client option inside Options on a call: %v", err)
		}
	}
	var resp langgraph.Response
	for _, opt := range []langgraph.Option{langgraph.WithQueryParam("a", "b"), langgraph.WithResponse(&resp)} {
		if _, err := client.New(langgraph.WithBaseURL(srv.URL), opt); !errors.Is(err, langgraph.ErrInvalidArgument) || !strings.Contains(err.Error(), "calls") {
			t.Errorf("a call option on New: %v", err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

// TestViews: Client.WithOptions gives a view whose calls carry its options,
// under the context's and the call's, and leaves the client as it was.
func TestViews(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		_, _ = w.Write([]byte(`{"thread_id":"t1"}`))
	}))
	defer srv.Close()
	last := func() http.Header {
		mu.Lock()
		defer mu.Unlock()
		return seen[len(seen)-1]
	}
	c, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithoutAPIKey(), langgraph.WithHeader("X-Default", "d"))
	if err != nil {
		t.Fatal(err)
	}
	alice, err := c.WithOptions(langgraph.WithBearerToken("tok-alice"), langgraph.WithHeader("X-Tenant", "acme"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := alice.Threads.Get(ctx, "t1"); err != nil {
		t.Fatal(err)
	}
	if h := last(); h.Get("Authorization") != "Bearer tok-alice" || h.Get("X-Tenant") != "acme" || h.Get("X-Default") != "d" {
		t.Errorf("view: %v", h)
	}
	if _, err := c.Threads.Get(ctx, "t1"); err != nil {
		t.Fatal(err)
	}
	if h := last(); h.Get("Authorization") != "" || h.Get("X-Tenant") != "" {
		t.Errorf("the client carries the view's options: %v", h)
	}
	// Context over view, call over context.
	cctx := langgraph.ContextWithOptions(ctx, langgraph.WithHeader("X-Tenant", "ctx"))
	if _, err := alice.Threads.Get(cctx, "t1"); err != nil || last().Get("X-Tenant") != "ctx" {
		t.Errorf("context over view: %v %v", err, last())
	}
	if _, err := alice.Threads.Get(cctx, "t1", langgraph.WithHeader("X-Tenant", "call")); err != nil || last().Get("X-Tenant") != "call" {
		t.Errorf("call over context: %v %v", err, last())
	}
	// A view of a view keeps both.
	bob, err := alice.WithOptions(langgraph.WithBearerToken("tok-bob"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bob.Threads.Search(ctx, threads.SearchParams{}); err == nil {
		t.Fatal("want a decode error: the fake answers an object to a search")
	}
	if h := last(); h.Get("Authorization") != "Bearer tok-bob" || h.Get("X-Tenant") != "acme" {
		t.Errorf("view of a view: %v", h)
	}
	if bob.BaseURL() != c.BaseURL() {
		t.Errorf("BaseURL %q != %q", bob.BaseURL(), c.BaseURL())
	}
}

// TestRetriesPerCall: WithMaxRetries on the client, a view or a call bounds
// the attempts of a request.
func TestRetriesPerCall(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithoutAPIKey(), langgraph.WithMaxRetries(1),
		langgraph.WithRetryWait(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		opts []langgraph.Option
		want int32
	}{
		{"client: 1", nil, 2},
		{"call: 0", []langgraph.Option{langgraph.WithMaxRetries(0)}, 1},
		{"call: 4", []langgraph.Option{langgraph.WithMaxRetries(4)}, 5},
	} {
		hits.Store(0)
		if _, err := c.Threads.Get(ctx, "t1", tc.opts...); !errors.Is(err, langgraph.ErrServer) {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if n := hits.Load(); n != tc.want {
			t.Errorf("%s: %d attempts, want %d", tc.name, n, tc.want)
		}
	}
	if _, err := c.Threads.Get(ctx, "t1", langgraph.WithMaxRetries(-1)); !errors.Is(err, langgraph.ErrInvalidArgument) {
		t.Errorf("negative retries: %v", err)
	}
}

// TestObserverOptionScopes: WithObserver and WithRequestHook configure a
// client or a view; on a call or a context they are refused before
// anything is sent, and so is a nil observer or hook.
func TestObserverOptionScopes(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(`{"thread_id":"t1"}`))
	}))
	defer srv.Close()
	var calls atomic.Int32
	obs := langgraph.ObserverFunc(func(ctx context.Context, _ langgraph.CallInfo) (context.Context, *langgraph.CallHooks) {
		calls.Add(1)
		return ctx, nil
	})
	hook := func(*http.Request) error { return nil }
	ctx := context.Background()
	c, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithoutAPIKey(), langgraph.WithObserver(obs), langgraph.WithRequestHook(hook))
	if err != nil {
		t.Fatal(err)
	}
	v, err := c.WithOptions(langgraph.WithObserver(obs), langgraph.WithRequestHook(hook))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Threads.Get(ctx, "t1"); err != nil || calls.Load() != 2 {
		t.Fatalf("a view with an observer: %v; the observers saw %d calls, want 2", err, calls.Load())
	}
	for _, opt := range []langgraph.Option{langgraph.WithObserver(obs), langgraph.WithRequestHook(hook)} {
		if _, err := c.Threads.Get(ctx, "t1", opt); !errors.Is(err, langgraph.ErrInvalidArgument) || !strings.Contains(err.Error(), "Client.WithOptions") {
			t.Errorf("on a call: %v", err)
		}
		if _, err := c.Threads.Get(langgraph.ContextWithOptions(ctx, opt), "t1"); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("on a context: %v", err)
		}
	}
	for _, opt := range []langgraph.Option{langgraph.WithObserver(nil), langgraph.WithObserver(langgraph.ObserverFunc(nil)), langgraph.WithRequestHook(nil)} {
		if _, err := client.New(langgraph.WithBaseURL(srv.URL), opt); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("nil: %v", err)
		}
		if _, err := c.WithOptions(opt); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("nil on a view: %v", err)
		}
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("%d requests sent, want 1", n)
	}
}
