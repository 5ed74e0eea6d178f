package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/obstest"
)

func observed(o ...langgraph.Observer) func(*Config) {
	return func(c *Config) { c.Observers = append(c.Observers, o...) }
}

func hooked(h ...func(*http.Request) error) func(*Config) {
	return func(c *Config) { c.RequestHooks = append(c.RequestHooks, h...) }
}

// flaky answers 503 to the first n requests, then 200 {} with an
// X-Request-Id.
func flaky(t *testing.T, n int32) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) <= n {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("X-Request-Id", "req-ok")
		_, _ = io.WriteString(w, "{}")
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

// seenContexts is a RoundTripper below the SDK's (as an otelhttp transport
// would be) that records which observed call each attempt's context
// belongs to.
type seenContexts struct {
	mu    sync.Mutex
	calls []*obstest.Call
}

func (s *seenContexts) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.calls = append(s.calls, obstest.FromContext(r.Context()))
	s.mu.Unlock()
	return http.DefaultTransport.RoundTrip(r)
}

func TestObserverOneCallWhateverTheRetries(t *testing.T) {
	srv, hits := flaky(t, 2)
	var rec obstest.Recorder
	below := &seenContexts{}
	b := newBackend(t, srv.URL, observed(&rec), func(c *Config) { c.HTTPClient = &http.Client{Transport: below} })
	req := &Request{Method: http.MethodGet, Path: "/threads/" + url.PathEscape("t/1"), Idempotent: true}
	if _, err := b.Do(context.Background(), req, &map[string]any{}); err != nil {
		t.Fatal(err)
	}
	calls := rec.Calls()
	if len(calls) != 1 || hits.Load() != 3 {
		t.Fatalf("%d calls for %d requests, want 1 for 3", len(calls), hits.Load())
	}
	c := calls[0]
	want := langgraph.CallInfo{Method: "GET", Route: "/threads/{thread_id}", BaseURL: srv.URL, ThreadID: "t/1"}
	if c.Info != want {
		t.Errorf("info = %+v, want %+v", c.Info, want)
	}
	if got, want := c.Log(), "attempt 1 503 retry=true\nattempt 2 503 retry=true\nattempt 3 200 retry=false\nend"; got != want {
		t.Errorf("hooks:\n%s\nwant\n%s", got, want)
	}
	for _, a := range c.Attempts() {
		if a.Method != "GET" || a.Route != "/threads/{thread_id}" || a.Err != nil || a.Duration <= 0 {
			t.Errorf("attempt %+v", a)
		}
	}
	end, _ := c.End()
	if end.Err != nil || end.Attempts != 3 || end.StatusCode != 200 || end.RequestID != "req-ok" {
		t.Errorf("end = %+v", end)
	}
	// Every attempt ran with the context StartCall returned.
	if len(below.calls) != 3 {
		t.Fatalf("%d attempts below", len(below.calls))
	}
	for i, got := range below.calls {
		if got != c {
			t.Errorf("attempt %d ran with call %v, want the observed call", i+1, got)
		}
	}
}

func TestObserverFailedCall(t *testing.T) {
	srv, _ := statusServer(t, http.StatusNotFound, "X-Request-Id", "req-404")
	var rec obstest.Recorder
	b := newBackend(t, srv.URL, observed(&rec))
	_, err := b.Do(context.Background(), &Request{Method: http.MethodDelete, Path: "/assistants/a1", Idempotent: true}, nil)
	if !errors.Is(err, langgraph.ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	c := rec.Calls()[0]
	end, ok := c.End()
	if !ok || end.Err != err || end.StatusCode != 404 || end.RequestID != "req-404" || end.Attempts != 1 {
		t.Errorf("end = %+v", end)
	}
	if c.Info.AssistantID != "a1" || c.Info.Route != "/assistants/{assistant_id}" {
		t.Errorf("info = %+v", c.Info)
	}
}

func TestObserverConnectionError(t *testing.T) {
	var rec obstest.Recorder
	b := newBackend(t, "http://"+closedAddr(t), observed(&rec), func(c *Config) { c.MaxRetries = 1 })
	_, err := b.Do(context.Background(), get(), nil)
	var ce *langgraph.ConnectionError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v", err)
	}
	c := rec.Calls()[0]
	atts := c.Attempts()
	if len(atts) != 2 || atts[0].Err == nil || !atts[0].Retry || atts[1].Retry || atts[1].StatusCode != 0 {
		t.Errorf("attempts = %+v", atts)
	}
	if end, _ := c.End(); end.Err != err || end.StatusCode != 0 || end.Attempts != 2 {
		t.Errorf("end = %+v", end)
	}
}

// TestObserverTokenRefresh: the request sent again with a refreshed token
// is one more attempt of the same call.
func TestObserverTokenRefresh(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer fresh" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, "{}")
	}))
	defer srv.Close()
	var rec obstest.Recorder
	b := newBackend(t, srv.URL, observed(&rec), func(c *Config) {
		c.Token = func(_ context.Context, rej string) (string, error) {
			if rej == "" {
				return "stale", nil
			}
			return "fresh", nil
		}
	})
	if _, err := b.Do(context.Background(), get(), nil); err != nil {
		t.Fatal(err)
	}
	calls := rec.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls", len(calls))
	}
	if got := calls[0].Log(); got != "attempt 1 401 retry=false\nattempt 2 200 retry=false\nend" {
		t.Errorf("hooks:\n%s", got)
	}
}

// TestObserverOpenEndsOnClose: a request sent with Open alone is a call
// that ends when its body is closed.
func TestObserverOpenEndsOnClose(t *testing.T) {
	srv := newRecorder(t)
	var rec obstest.Recorder
	b := newBackend(t, srv.URL, observed(&rec))
	resp, err := b.Open(context.Background(), &Request{Method: http.MethodGet, Path: "/store/items", Idempotent: true})
	if err != nil {
		t.Fatal(err)
	}
	c := rec.Calls()[0]
	if _, ended := c.End(); ended {
		t.Fatal("the call ended before its body was closed")
	}
	resp.Body.Close()
	resp.Body.Close()
	if ends := c.Ends(); len(ends) != 1 || ends[0].Err != nil || ends[0].StatusCode != 200 {
		t.Errorf("ends = %+v", ends)
	}
}

// TestObserverExplicitCall: requests attached to a call begun by the caller
// are attempts of that call, not calls of their own.
func TestObserverExplicitCall(t *testing.T) {
	srv := newRecorder(t)
	var rec obstest.Recorder
	b := newBackend(t, srv.URL, observed(&rec))
	first := &Request{Method: http.MethodPost, Path: "/threads/t1/runs/stream"}
	ctx, call := b.Begin(context.Background(), first, langgraph.CallInfo{AssistantID: "agent", StartsRun: true, Stream: true})
	for _, r := range []*Request{first, {Method: http.MethodGet, Path: "/threads/t1/runs/r1/stream", Idempotent: true, Call: call}} {
		resp, err := b.Open(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	call.End(nil)
	calls := rec.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls", len(calls))
	}
	want := langgraph.CallInfo{Method: "POST", Route: "/threads/{thread_id}/runs/stream", BaseURL: srv.URL, ThreadID: "t1", AssistantID: "agent", StartsRun: true, Stream: true}
	if calls[0].Info != want {
		t.Errorf("info = %+v", calls[0].Info)
	}
	atts := calls[0].Attempts()
	if len(atts) != 2 || atts[1].Route != "/threads/{thread_id}/runs/{run_id}/stream" || atts[1].Method != "GET" {
		t.Errorf("attempts = %+v", atts)
	}
}

type chainKey struct{}

// TestObserversNest: several observers are called in order, each with the
// context of the one before, and end in reverse order.
func TestObserversNest(t *testing.T) {
	srv := newRecorder(t)
	var order []string
	mk := func(name string) langgraph.Observer {
		return langgraph.ObserverFunc(func(ctx context.Context, _ langgraph.CallInfo) (context.Context, *langgraph.CallHooks) {
			prev, _ := ctx.Value(chainKey{}).(string)
			order = append(order, "start "+name+" after "+prev)
			return context.WithValue(ctx, chainKey{}, prev+name), &langgraph.CallHooks{End: func(langgraph.CallEnd) { order = append(order, "end "+name) }}
		})
	}
	var seen string
	b := newBackend(t, srv.URL, observed(mk("a"), mk("b")), hooked(func(r *http.Request) error {
		seen, _ = r.Context().Value(chainKey{}).(string)
		return nil
	}))
	if _, err := b.Do(context.Background(), get(), nil); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, ", "); got != "start a after , start b after a, end b, end a" || seen != "ab" {
		t.Errorf("order: %s; the hook saw %q", got, seen)
	}
}

// TestViewObservers: a view's observers and hooks come after the client's
// and apply to the view only.
func TestViewObservers(t *testing.T) {
	srv := newRecorder(t)
	var client, view obstest.Recorder
	var hooks []string
	b := newBackend(t, srv.URL, observed(&client), hooked(func(*http.Request) error { hooks = append(hooks, "client"); return nil }))
	v, err := b.With([]langgraph.Option{langgraph.WithObserver(&view),
		langgraph.WithRequestHook(func(*http.Request) error { hooks = append(hooks, "view"); return nil })})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Do(context.Background(), get(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Do(context.Background(), get(), nil); err != nil {
		t.Fatal(err)
	}
	if len(client.Calls()) != 2 || len(view.Calls()) != 1 {
		t.Errorf("client observer saw %d calls, view observer %d; want 2 and 1", len(client.Calls()), len(view.Calls()))
	}
	if view.Calls()[0].Parent != client.Calls()[0] {
		t.Error("the view's observer did not start from the client's context")
	}
	if got := strings.Join(hooks, " "); got != "client view client" {
		t.Errorf("hooks ran: %s", got)
	}
	if _, err := v.Do(context.Background(), get(langgraph.WithObserver(&view)), nil); !errors.Is(err, langgraph.ErrInvalidArgument) {
		t.Errorf("an observer on a call: %v", err)
	}
}

func TestRequestHook(t *testing.T) {
	srv, hits := flaky(t, 1)
	type ctxKey struct{}
	var seen []string
	b := newBackend(t, srv.URL, withHeader("Authorization", "Bearer secret"), hooked(func(r *http.Request) error {
		if r.Header.Get("Authorization") != "Bearer secret" {
			t.Error("the hook ran before the credentials were added")
		}
		v, _ := r.Context().Value(ctxKey{}).(string)
		r.Header.Set("X-Trace", v)
		seen = append(seen, r.Header.Get("X-Trace"))
		return nil
	}))
	ctx := context.WithValue(context.Background(), ctxKey{}, "trace-1")
	if _, err := b.Do(ctx, get(), nil); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 2 || strings.Join(seen, ",") != "trace-1,trace-1" {
		t.Errorf("%d requests, the hook ran for %q", hits.Load(), seen)
	}
}

func TestRequestHookError(t *testing.T) {
	srv, hits := statusServer(t, http.StatusOK)
	boom := errors.New("boom")
	var rec obstest.Recorder
	b := newBackend(t, srv.URL, observed(&rec), hooked(func(*http.Request) error { return boom }))
	_, err := b.Do(context.Background(), get(), nil)
	if !errors.Is(err, boom) || hits.Load() != 0 {
		t.Fatalf("err = %v after %d requests; want boom, none sent", err, hits.Load())
	}
	if atts := rec.Calls()[0].Attempts(); len(atts) != 1 || atts[0].Retry || !errors.Is(atts[0].Err, boom) {
		t.Errorf("attempts = %+v; a hook's error is not retried", atts)
	}
}

// TestRequestHookStaysOnOrigin: a hook never runs for a request to another
// origin, and one that moves the request elsewhere (with the credentials
// on it) fails it before it leaves.
func TestRequestHookStaysOnOrigin(t *testing.T) {
	other := newRecorder(t)
	srv := newRecorder(t)
	ran := 0
	b := newBackend(t, srv.URL, withHeader("X-Api-Key", "secret-key"), hooked(func(r *http.Request) error { ran++; return nil }))

	// A request to another origin, as the transport would get one from a
	// redirect it follows: no credentials, no hook.
	ctx := context.WithValue(context.Background(), credsKey{}, b.header)
	ctx = context.WithValue(ctx, hooksKey{}, b.reqHooks)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, other.URL+"/x", nil)
	resp, err := b.rc.HTTPClient.Transport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ran != 0 || other.last(t).Get("X-Api-Key") != "" {
		t.Errorf("the hook ran %d times for another origin; headers there: %v", ran, other.last(t))
	}

	for name, move := range map[string]func(*http.Request){
		"URL":  func(r *http.Request) { r.URL, _ = url.Parse(other.URL + "/stolen") },
		"Host": func(r *http.Request) { r.Host = "evil.example" },
	} {
		t.Run(name, func(t *testing.T) {
			b := newBackend(t, srv.URL, withHeader("X-Api-Key", "secret-key"), hooked(func(r *http.Request) error { move(r); return nil }))
			before := srv.count()
			_, err := b.Do(context.Background(), get(), nil)
			if !errors.Is(err, langgraph.ErrInvalidArgument) || strings.Contains(err.Error(), "secret-key") {
				t.Errorf("err = %v", err)
			}
			if other.count() != 1 || srv.count() != before {
				t.Errorf("the request went out: %d elsewhere, %d at the base", other.count()-1, srv.count()-before)
			}
		})
	}
}

func TestRouteOf(t *testing.T) {
	for _, tc := range []struct {
		method, path, route string
		ids                 RouteIDs
	}{
		{"POST", "/threads/search", "/threads/search", RouteIDs{}},
		{"GET", "/threads/search", "/threads/{thread_id}", RouteIDs{ThreadID: "search"}},
		{"POST", "/threads/t%2F1/runs/stream", "/threads/{thread_id}/runs/stream", RouteIDs{ThreadID: "t/1"}},
		{"GET", "/threads/t1/runs/r1/stream", "/threads/{thread_id}/runs/{run_id}/stream", RouteIDs{ThreadID: "t1", RunID: "r1"}},
		{"POST", "/threads/t1/state/checkpoint", "/threads/{thread_id}/state/checkpoint", RouteIDs{ThreadID: "t1"}},
		{"GET", "/threads/t1/state/checkpoint", "/threads/{thread_id}/state/{checkpoint_id}", RouteIDs{ThreadID: "t1"}},
		{"POST", "/runs/crons", "/runs/crons", RouteIDs{}},
		{"PATCH", "/runs/crons/c1", "/runs/crons/{cron_id}", RouteIDs{}},
		{"GET", "/runs/r1/stream", "/runs/{run_id}/stream", RouteIDs{RunID: "r1"}},
		{"POST", "/runs/stream", "/runs/stream", RouteIDs{}},
		{"GET", "/assistants/a1/subgraphs/ns", "/assistants/{assistant_id}/subgraphs/{namespace}", RouteIDs{AssistantID: "a1"}},
		{"GET", "/custom/route", "", RouteIDs{}},
		{"POST", "/threads//runs", "", RouteIDs{}},
		{"GET", "", "", RouteIDs{}},
	} {
		route, ids := RouteOf(tc.method, tc.path)
		if route != tc.route || ids != tc.ids {
			t.Errorf("RouteOf(%s %s) = %q %+v, want %q %+v", tc.method, tc.path, route, ids, tc.route, tc.ids)
		}
	}
}

// TestRoutesCoverTheSDK: every route template the SDK's packages send is
// in the table, so observers get a template for every call of the SDK.
func TestRoutesCoverTheSDK(t *testing.T) {
	known := map[string]bool{}
	for _, rs := range routes {
		for _, r := range rs {
			known[r.template] = true
		}
	}
	lit := regexp.MustCompile(`(?:Path\(|Path: |pager\.Search\[\w+\]\(ctx, s\.b, |s\.create\(ctx, )"(/[^"]*)"`)
	suffix := regexp.MustCompile(`runsPath\(\w+, "([^"]*)"\)`)
	found := 0
	for _, dir := range []string{"assistants", "threads", "runs", "crons", "store", "client"} {
		files, _ := filepath.Glob(filepath.Join("..", "..", dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var tmpls []string
			for _, m := range lit.FindAllStringSubmatch(string(src), -1) {
				tmpls = append(tmpls, m[1])
			}
			for _, m := range suffix.FindAllStringSubmatch(string(src), -1) {
				tmpls = append(tmpls, "/runs"+m[1], "/threads/{thread_id}/runs"+m[1])
			}
			for _, tm := range tmpls {
				found++
				if !known[tm] {
					t.Errorf("%s: route %s is not in the route table (route.go)", f, tm)
				}
			}
		}
	}
	if found < 40 {
		t.Errorf("found only %d routes in the sources", found)
	}
}
