package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/crons"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/internal/transport"
	"github.com/langgraph-go/langgraph/langgraphtest"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/store"
	"github.com/langgraph-go/langgraph/threads"
)

// fastRetry keeps retry waits short in tests.
var fastRetry = langgraph.WithRetryWait(time.Millisecond, 5*time.Millisecond)

// header calls c.Info on srv (which answers /info as the JS server does)
// with opts, and returns the headers the request carried.
func header(t *testing.T, srv *langgraphtest.Server, c *client.Client, opts ...langgraph.Option) http.Header {
	t.Helper()
	if _, err := c.Info(context.Background(), opts...); err != nil {
		t.Fatal(err)
	}
	return srv.LastRequest().Header
}

func clearKeyEnv(t *testing.T) {
	for _, k := range []string{"LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"} {
		t.Setenv(k, "")
	}
}

func TestAPIKeyFromEnv(t *testing.T) {
	srv := langgraphtest.NewServer(t)
	tests := []struct {
		name string
		env  map[string]string
		opts []langgraph.Option
		want string // "" means no x-api-key
	}{
		{"none", nil, nil, ""},
		{"langchain", map[string]string{"LANGCHAIN_API_KEY": "lc"}, nil, "lc"},
		{"langsmith over langchain", map[string]string{"LANGSMITH_API_KEY": "ls", "LANGCHAIN_API_KEY": "lc"}, nil, "ls"},
		{"langgraph over all", map[string]string{"LANGGRAPH_API_KEY": "lg", "LANGSMITH_API_KEY": "ls", "LANGCHAIN_API_KEY": "lc"}, nil, "lg"},
		{"blank is skipped", map[string]string{"LANGGRAPH_API_KEY": "  ", "LANGSMITH_API_KEY": `""`, "LANGCHAIN_API_KEY": "lc"}, nil, "lc"},
		{"trimmed", map[string]string{"LANGGRAPH_API_KEY": "  lg-key \n"}, nil, "lg-key"},
		{"double quotes", map[string]string{"LANGGRAPH_API_KEY": `"lg-key"`}, nil, "lg-key"},
		{"single quotes and spaces", map[string]string{"LANGSMITH_API_KEY": ` ' ls-key ' `}, nil, "ls-key"},
		{"unbalanced quote kept", map[string]string{"LANGGRAPH_API_KEY": `"lg-key`}, nil, `"lg-key`},
		{"option overrides env", map[string]string{"LANGGRAPH_API_KEY": "lg"}, []langgraph.Option{langgraph.WithAPIKey(" 'opt' ")}, "opt"},
		{"opt-out", map[string]string{"LANGGRAPH_API_KEY": "lg", "LANGSMITH_API_KEY": "ls", "LANGCHAIN_API_KEY": "lc"}, []langgraph.Option{langgraph.WithoutAPIKey()}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clearKeyEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			c, err := client.New(append([]langgraph.Option{langgraph.WithBaseURL(srv.URL())}, tt.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			h := header(t, srv, c)
			if got := h.Get("X-Api-Key"); got != tt.want {
				t.Errorf("x-api-key = %q, want %q", got, tt.want)
			}
			if _, sent := h["X-Api-Key"]; sent != (tt.want != "") {
				t.Errorf("x-api-key sent = %v", sent)
			}
		})
	}
}

func TestBaseURL(t *testing.T) {
	tests := []struct {
		name, env string
		opts      []langgraph.Option
		want      string
	}{
		{"default", "", nil, "http://localhost:8123"},
		{"env", "http://env.example.com:2024/", nil, "http://env.example.com:2024"},
		{"env trimmed", "  https://env.example.com/prefix  ", nil, "https://env.example.com/prefix"},
		{"option over env", "http://env.example.com", []langgraph.Option{langgraph.WithBaseURL("https://opt.example.com/p/")}, "https://opt.example.com/p"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("LANGGRAPH_API_URL", tt.env)
			c, err := client.New(append([]langgraph.Option{langgraph.WithoutAPIKey()}, tt.opts...)...)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.BaseURL(); got != tt.want {
				t.Errorf("BaseURL() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMalformedBaseURL(t *testing.T) {
	tests := []struct {
		url, wantMsg string
	}{
		{"localhost:8123", "scheme"},
		{"example.com", "scheme"},
		{"ftp://example.com", "scheme"},
		{"", "scheme"},
		{"http://", "no host"},
		{"http:///path", "no host"},
		{"http://user:hunter2@example.com", "user info"},
		{"http://example.com?x=1", "query"},
		{"http://example.com/#frag", "fragment"},
		{"http://exa mple.com", "invalid"},
		{"http://[::1", "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			t.Setenv("LANGGRAPH_API_URL", "")
			_, err := client.New(langgraph.WithoutAPIKey(), langgraph.WithBaseURL(tt.url))
			if err == nil {
				t.Fatalf("New(WithBaseURL(%q)): no error", tt.url)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error holds the password: %v", err)
			}
			// The same URL from the environment fails in New too.
			if tt.url != "" {
				t.Setenv("LANGGRAPH_API_URL", tt.url)
				if _, err := client.New(langgraph.WithoutAPIKey()); err == nil {
					t.Errorf("LANGGRAPH_API_URL=%q: no error", tt.url)
				}
			}
		})
	}
}

func TestOptionErrors(t *testing.T) {
	ts := langgraph.TokenSourceFunc(func(context.Context, string) (string, error) { return "t", nil })
	tests := []struct {
		name string
		opts []langgraph.Option
	}{
		{"empty bearer", []langgraph.Option{langgraph.WithBearerToken("")}},
		{"bearer with newline", []langgraph.Option{langgraph.WithBearerToken("tok-SECRET\r\nX-Evil: 1")}},
		{"bearer then token source", []langgraph.Option{langgraph.WithBearerToken("a"), langgraph.WithTokenSource(ts)}},
		{"token source then bearer", []langgraph.Option{langgraph.WithTokenSource(ts), langgraph.WithBearerToken("a")}},
		{"nil token source", []langgraph.Option{langgraph.WithTokenSource(nil)}},
		{"nil token source func", []langgraph.Option{langgraph.WithTokenSource(langgraph.TokenSourceFunc(nil))}},
		{"empty api key", []langgraph.Option{langgraph.WithAPIKey("")}},
		{"quoted empty api key", []langgraph.Option{langgraph.WithAPIKey(`" "`)}},
		{"api key with newline", []langgraph.Option{langgraph.WithAPIKey("key-SECRET\nX-Evil: 1")}},
		{"api key and WithoutAPIKey", []langgraph.Option{langgraph.WithAPIKey("key-SECRET")}},
		{"header with CRLF", []langgraph.Option{langgraph.WithHeader("X-Custom", "v-SECRET\r\nX-Evil: 1")}},
		{"header with LF", []langgraph.Option{langgraph.WithHeader("X-Custom", "a\nb")}},
		{"header with NUL", []langgraph.Option{langgraph.WithHeader("X-Custom", "a\x00b")}},
		{"empty header name", []langgraph.Option{langgraph.WithHeader("", "v")}},
		{"bad header name", []langgraph.Option{langgraph.WithHeader("X Custom", "v")}},
		{"reserved header", []langgraph.Option{langgraph.WithHeader("Content-Length", "1")}},
		{"reserved x-api-key header", []langgraph.Option{langgraph.WithHeader("x-api-key", "key-SECRET")}},
		{"reserved x-api-key in map", []langgraph.Option{langgraph.WithHeaders(map[string]string{"X-API-KEY": "key-SECRET"})}},
		{"bad header in map", []langgraph.Option{langgraph.WithHeaders(map[string]string{"X-Ok": "1", "X-Bad": "a\nb"})}},
		{"negative retries", []langgraph.Option{langgraph.WithMaxRetries(-1)}},
		{"zero retry wait", []langgraph.Option{langgraph.WithRetryWait(0, time.Second)}},
		{"max below min", []langgraph.Option{langgraph.WithRetryWait(time.Second, time.Millisecond)}},
		{"zero retry-after cap", []langgraph.Option{langgraph.WithMaxRetryAfter(0)}},
		{"nil http client", []langgraph.Option{langgraph.WithHTTPClient(nil)}},
		{"nil logger", []langgraph.Option{langgraph.WithLogger(nil)}},
		{"bad base URL", []langgraph.Option{langgraph.WithBaseURL("nope")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := client.New(append([]langgraph.Option{langgraph.WithoutAPIKey()}, tt.opts...)...)
			if err == nil || c != nil {
				t.Fatalf("New = %v, %v; want an error", c, err)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error echoes the secret: %v", err)
			}
		})
	}
	// A zero option is ignored.
	if _, err := client.New(langgraph.WithoutAPIKey(), langgraph.Option{}); err != nil {
		t.Errorf("zero option: %v", err)
	}
}

// TestBadCallInputNoPanic: zero per-call options are skipped, and a Client
// (or a service) that New did not build answers with an error, never a
// panic.
func TestBadCallInputNoPanic(t *testing.T) {
	srv := langgraphtest.NewServer(t)
	c, err := client.New(langgraph.WithoutAPIKey(), langgraph.WithBaseURL(srv.URL()))
	if err != nil {
		t.Fatal(err)
	}
	ctx := langgraph.ContextWithOptions(context.Background(), langgraph.Option{})
	if h := header(t, srv, c, langgraph.Option{}, langgraph.WithHeader("X-Tenant", "acme"), langgraph.Option{}); h.Get("X-Tenant") != "acme" {
		t.Errorf("X-Tenant = %q after zero options", h.Get("X-Tenant"))
	}
	if _, err := c.Info(ctx, langgraph.Option{}); err != nil {
		t.Errorf("zero option on the context: %v", err)
	}
	var zero client.Client
	bg := context.Background()
	for name, call := range map[string]func() error{
		"Info":              func() error { _, err := zero.Info(bg); return err },
		"Do":                func() error { return zero.Do(bg, "GET", "/ok", nil, nil) },
		"WithOptions":       func() error { _, err := zero.WithOptions(); return err },
		"Threads.Get":       func() error { _, err := zero.Threads.Get(bg, "t1"); return err },
		"Assistants.Search": func() error { _, err := zero.Assistants.Search(bg, assistants.SearchParams{}); return err },
		"Runs.Wait":         func() error { _, err := zero.Runs.Wait(bg, "t1", "a", runs.CreateParams{}); return err },
		"Runs.Stream":       func() error { return lastErr(zero.Runs.Stream(bg, "t1", "a", runs.StreamParams{})) },
		"Store.GetItem":     func() error { _, err := zero.Store.GetItem(bg, []string{"a"}, "k", store.GetParams{}); return err },
		"Crons.Count":       func() error { _, err := zero.Crons.Count(bg, crons.CountParams{}); return err },
		"Threads.SearchAll": func() error { return lastErr(zero.Threads.SearchAll(bg, threads.SearchParams{})) },
	} {
		if err := call(); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("zero Client: %s = %v; want ErrInvalidArgument", name, err)
		}
	}
	if zero.BaseURL() != "" {
		t.Errorf("zero Client: BaseURL() = %q", zero.BaseURL())
	}
}

func TestInfoDecodesResponse(t *testing.T) {
	_, c := fake.NewClient(t, fake.Fixed(200, `{"version":"1.5.1","context":"js","flags":{"assistants":true,"crons":false}}`))
	info, err := c.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Version != "1.5.1" || info.Context != "js" || info.Flags["assistants"] != true || info.Flags["crons"] != false {
		t.Errorf("Info = %+v", info)
	}
	if !strings.Contains(string(info.Raw), `"crons":false`) {
		t.Errorf("Raw = %s", info.Raw)
	}
}

func TestInfoErrorBodies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			http.Error(w, "not json", http.StatusOK)
			return
		}
		http.Error(w, "Invalid token", http.StatusUnauthorized)
	}))
	defer srv.Close()
	c, err := client.New(langgraph.WithoutAPIKey(), langgraph.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Info(context.Background()); err == nil {
		t.Error("a body that is not JSON: no error")
	}
	_, err = c.Info(context.Background(), langgraph.WithBearerToken("x"))
	var apiErr *langgraph.APIError
	if !errors.As(err, &apiErr) || apiErr.Message != "Invalid token" || !errors.Is(err, langgraph.ErrUnauthorized) {
		t.Errorf("err = %v", err)
	}
}

func TestDefaultAndPerCallHeaders(t *testing.T) {
	srv := langgraphtest.NewServer(t)
	clearKeyEnv(t)
	c, err := client.New(
		langgraph.WithBaseURL(srv.URL()),
		langgraph.WithAPIKey("key-1"),
		langgraph.WithBearerToken("tok-1"),
		langgraph.WithHeader("X-Tenant", "acme"),
		langgraph.WithHeaders(map[string]string{"X-Region": "eu", "x-trace": "on"}),
	)
	if err != nil {
		t.Fatal(err)
	}
	h := header(t, srv, c)
	for k, want := range map[string]string{
		"X-Api-Key":     "key-1",
		"Authorization": "Bearer tok-1",
		"X-Tenant":      "acme",
		"X-Region":      "eu",
		"X-Trace":       "on",
		"User-Agent":    "langgraph-go/" + langgraph.Version,
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}

	// Per-call options override the defaults; context options come first.
	ctx := langgraph.ContextWithOptions(context.Background(), langgraph.WithBearerToken("tok-ctx"), langgraph.WithAPIKey("key-ctx"))
	if _, err := c.Info(ctx, langgraph.WithBearerToken("tok-call"), langgraph.WithHeader("X-Tenant", "")); err != nil {
		t.Fatal(err)
	}
	h = srv.LastRequest().Header
	if h.Get("Authorization") != "Bearer tok-call" || h.Get("X-Api-Key") != "key-ctx" || h.Get("X-Tenant") != "" || h.Get("X-Region") != "eu" {
		t.Errorf("per-call headers: %v", h)
	}
}

func TestTokenSourceThroughClient(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Authorization") != "Bearer v2" {
			http.Error(w, "Token expired", http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, `{"version":"x"}`)
	}))
	defer srv.Close()
	var mu sync.Mutex
	var rejected []string
	c, err := client.New(langgraph.WithoutAPIKey(), langgraph.WithBaseURL(srv.URL), langgraph.WithTokenSource(langgraph.TokenSourceFunc(
		func(ctx context.Context, rej string) (string, error) {
			mu.Lock()
			defer mu.Unlock()
			rejected = append(rejected, rej)
			if rej == "v1" {
				return "v2", nil
			}
			if rej == "" && len(rejected) == 1 {
				return "v1", nil
			}
			return "v2", nil
		})))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := c.Info(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// First call: "" -> v1 (401), then "v1" -> v2; second call: "" -> v2.
	if got := strings.Join(rejected, ","); got != ",v1," || hits.Load() != 3 {
		t.Errorf("rejected tokens %q after %d hits, want \",v1,\" after 3", got, hits.Load())
	}
}

func TestRetriesOption(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	for _, tt := range []struct {
		opts []langgraph.Option
		want int32
	}{
		{nil, 4}, // the default: 3 retries
		{[]langgraph.Option{langgraph.WithMaxRetries(0)}, 1},
		{[]langgraph.Option{langgraph.WithMaxRetries(1)}, 2},
	} {
		c, err := client.New(append([]langgraph.Option{langgraph.WithoutAPIKey(), langgraph.WithBaseURL(srv.URL), fastRetry}, tt.opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		hits.Store(0)
		if _, err := c.Info(context.Background()); !errors.Is(err, langgraph.ErrServer) {
			t.Fatalf("err = %v, want ErrServer", err)
		}
		if hits.Load() != tt.want {
			t.Errorf("%d hits, want %d", hits.Load(), tt.want)
		}
	}
}

type countingTransport struct {
	n    atomic.Int32
	auth atomic.Value
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	c.auth.Store(r.Header.Get("Authorization"))
	return http.DefaultTransport.RoundTrip(r)
}

func TestWithHTTPClient(t *testing.T) {
	srv := langgraphtest.NewServer(t)
	rt := &countingTransport{}
	hc := &http.Client{Transport: rt}
	c, err := client.New(langgraph.WithoutAPIKey(), langgraph.WithBaseURL(srv.URL()), langgraph.WithHTTPClient(hc), langgraph.WithBearerToken("tok"))
	if err != nil {
		t.Fatal(err)
	}
	header(t, srv, c)
	if rt.n.Load() != 1 || rt.auth.Load() != "Bearer tok" {
		t.Errorf("the custom transport saw %d requests, Authorization %q", rt.n.Load(), rt.auth.Load())
	}
	if hc.Transport != rt {
		t.Error("New changed the caller's http.Client")
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestLoggerNeverSeesSecrets(t *testing.T) {
	const token, key, custom = "tok-SECRET-1", "key-SECRET-2", "hdr-SECRET-3"
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch n := hits.Add(1); {
		case n <= 2:
			w.WriteHeader(http.StatusBadGateway)
		case n == 3:
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
		default:
			http.Error(w, "Invalid token", http.StatusUnauthorized)
		}
	}))
	defer srv.Close()
	clearKeyEnv(t)
	var buf syncBuffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithBearerToken(token), langgraph.WithAPIKey(key),
		langgraph.WithHeader("X-Custom", custom), langgraph.WithLogger(logger), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Info(context.Background(), langgraph.WithHeader("X-Per-Call", "call-SECRET-4"))
	if !errors.Is(err, langgraph.ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized after 2 x 502 and a hang-up", err)
	}
	out := buf.String()
	if !strings.Contains(out, "retrying request") {
		t.Fatalf("no retry lines logged:\n%s", out)
	}
	for _, s := range []string{token, key, custom, "call-SECRET-4", "SECRET"} {
		if strings.Contains(out, s) {
			t.Errorf("log holds %q:\n%s", s, out)
		}
		if strings.Contains(err.Error(), s) {
			t.Errorf("error holds %q: %v", s, err)
		}
	}
}

func TestPerCallTimeoutEndsSlowCall(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	c, err := client.New(langgraph.WithoutAPIKey(), langgraph.WithBaseURL(srv.URL), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Info(context.Background(), langgraph.WithTimeout(10*time.Millisecond)); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
}

func TestConnectionErrorNamesURL(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	base := dead.URL
	dead.Close()
	c, err := client.New(langgraph.WithoutAPIKey(), langgraph.WithBaseURL(base), langgraph.WithBearerToken("tok-SECRET"), langgraph.WithMaxRetries(1), fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Info(context.Background())
	var ce *langgraph.ConnectionError
	if !errors.As(err, &ce) || ce.URL != base+"/info" {
		t.Fatalf("err = %v, want a ConnectionError for %s/info", err, base)
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error holds the token: %v", err)
	}
}

// TestDefaultBaseURL: the documented default is the one the transport uses.
func TestDefaultBaseURL(t *testing.T) {
	if client.DefaultBaseURL != transport.DefaultBaseURL {
		t.Errorf("client.DefaultBaseURL %q != the transport's %q", client.DefaultBaseURL, transport.DefaultBaseURL)
	}
}
