package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
)

// newBackend builds a Backend for base with short backoff waits; mods adjust
// the config.
func newBackend(t *testing.T, base string, mods ...func(*Config)) *Backend {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		BaseURL:   u,
		UserAgent: "langgraph-go/" + langgraph.Version,
		MinWait:   time.Millisecond,
		MaxWait:   5 * time.Millisecond,
	}
	for _, m := range mods {
		m(&cfg)
	}
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func withHeader(kv ...string) func(*Config) {
	return func(c *Config) {
		if c.Header == nil {
			c.Header = make(http.Header)
		}
		for i := 0; i+1 < len(kv); i += 2 {
			c.Header.Set(kv[i], kv[i+1])
		}
	}
}

// recorder is an httptest server that records the headers of each request
// and answers 200 {}.
type recorder struct {
	*httptest.Server
	mu      sync.Mutex
	headers []http.Header
}

func newRecorder(t *testing.T) *recorder {
	r := &recorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		r.headers = append(r.headers, req.Header.Clone())
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, "{}")
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *recorder) last(t *testing.T) http.Header {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.headers) == 0 {
		t.Fatal("the server got no request")
	}
	return r.headers[len(r.headers)-1]
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.headers)
}

func get(opts ...langgraph.Option) *Request {
	return &Request{Method: http.MethodGet, Path: "/info", Idempotent: true, Options: opts}
}

func TestDefaultHeadersAndUserAgent(t *testing.T) {
	srv := newRecorder(t)
	b := newBackend(t, srv.URL, withHeader("Authorization", "Bearer tok-default", "X-Api-Key", "key-default", "X-Tenant", "acme"))
	if _, err := b.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/threads/search", Body: map[string]int{"limit": 1}, Idempotent: true}, nil); err != nil {
		t.Fatal(err)
	}
	h := srv.last(t)
	for k, want := range map[string]string{
		"Authorization": "Bearer tok-default",
		"X-Api-Key":     "key-default",
		"X-Tenant":      "acme",
		"User-Agent":    "langgraph-go/" + langgraph.Version,
		"Content-Type":  "application/json",
		"Accept":        "application/json",
	} {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func TestCallOptionsOverrideDefaults(t *testing.T) {
	srv := newRecorder(t)
	b := newBackend(t, srv.URL, withHeader("Authorization", "Bearer tok-default", "X-Api-Key", "key-default", "X-Tenant", "acme"))
	tests := []struct {
		name string
		ctx  []langgraph.Option
		call []langgraph.Option
		want map[string]string // "" means absent
	}{
		{
			name: "bearer",
			call: []langgraph.Option{langgraph.WithBearerToken("tok-call")},
			want: map[string]string{"Authorization": "Bearer tok-call", "X-Api-Key": "key-default", "X-Tenant": "acme"},
		},
		{
			name: "api key",
			call: []langgraph.Option{langgraph.WithAPIKey("key-call")},
			want: map[string]string{"Authorization": "Bearer tok-default", "X-Api-Key": "key-call"},
		},
		{
			name: "header",
			call: []langgraph.Option{langgraph.WithHeader("x-tenant", "globex"), langgraph.WithHeader("X-Extra", "1")},
			want: map[string]string{"X-Tenant": "globex", "X-Extra": "1", "Authorization": "Bearer tok-default"},
		},
		{
			name: "empty value removes",
			call: []langgraph.Option{langgraph.WithHeader("x-api-key", ""), langgraph.WithHeader("authorization", "")},
			want: map[string]string{"X-Api-Key": "", "Authorization": "", "X-Tenant": "acme"},
		},
		{
			name: "context",
			ctx:  []langgraph.Option{langgraph.WithBearerToken("tok-ctx"), langgraph.WithHeader("X-Tenant", "ctx")},
			want: map[string]string{"Authorization": "Bearer tok-ctx", "X-Tenant": "ctx", "X-Api-Key": "key-default"},
		},
		{
			name: "call after context",
			ctx:  []langgraph.Option{langgraph.WithBearerToken("tok-ctx"), langgraph.WithAPIKey("key-ctx")},
			call: []langgraph.Option{langgraph.WithBearerToken("tok-call")},
			want: map[string]string{"Authorization": "Bearer tok-call", "X-Api-Key": "key-ctx"},
		},
		{
			name: "last option wins",
			call: []langgraph.Option{langgraph.WithBearerToken("a"), langgraph.WithBearerToken("b")},
			want: map[string]string{"Authorization": "Bearer b"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.ctx != nil {
				ctx = langgraph.ContextWithOptions(ctx, tt.ctx...)
			}
			if _, err := b.Do(ctx, get(tt.call...), nil); err != nil {
				t.Fatal(err)
			}
			h := srv.last(t)
			for k, want := range tt.want {
				if got := h.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
	// The overrides did not leak into the defaults.
	if _, err := b.Do(context.Background(), get(), nil); err != nil {
		t.Fatal(err)
	}
	if h := srv.last(t); h.Get("Authorization") != "Bearer tok-default" || h.Get("X-Api-Key") != "key-default" || h.Get("X-Extra") != "" {
		t.Errorf("defaults changed after per-call options: %v", h)
	}
}

func TestBadCallOptionIsAnError(t *testing.T) {
	srv := newRecorder(t)
	b := newBackend(t, srv.URL)
	for _, o := range []langgraph.Option{
		langgraph.WithBearerToken(""),
		langgraph.WithBearerToken("a\r\nX-Evil: 1"),
		langgraph.WithHeader("X-A", "b\nc"),
		langgraph.WithHeader("Bad Name", "v"),
		langgraph.WithTimeout(-time.Second),
	} {
		if _, err := b.Do(context.Background(), get(o), nil); err == nil {
			t.Error("want an error for a bad option")
		}
	}
	if _, err := b.Do(langgraph.ContextWithOptions(context.Background(), langgraph.WithAPIKey("")), get(), nil); err == nil {
		t.Error("want an error for a bad context option")
	}
	if n := srv.count(); n != 0 {
		t.Errorf("%d requests sent despite bad options", n)
	}
}

func TestTokenSource(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Authorization") != "Bearer fresh" {
			http.Error(w, "Invalid token", http.StatusUnauthorized)
			return
		}
		_, _ = io.WriteString(w, "{}")
	}))
	defer srv.Close()

	t.Run("called per request", func(t *testing.T) {
		var calls atomic.Int32
		b := newBackend(t, srv.URL, func(c *Config) {
			c.Token = func(ctx context.Context, rejected string) (string, error) {
				calls.Add(1)
				if rejected != "" {
					t.Errorf("rejected = %q on a normal request", rejected)
				}
				return "fresh", nil
			}
		})
		hits.Store(0)
		for range 3 {
			if _, err := b.Do(context.Background(), get(), nil); err != nil {
				t.Fatal(err)
			}
		}
		if calls.Load() != 3 || hits.Load() != 3 {
			t.Errorf("token source calls = %d, server hits = %d; want 3 and 3", calls.Load(), hits.Load())
		}
	})

	t.Run("refreshed once on 401", func(t *testing.T) {
		var mu sync.Mutex
		var rejected []string
		b := newBackend(t, srv.URL, func(c *Config) {
			c.Token = func(ctx context.Context, rej string) (string, error) {
				mu.Lock()
				defer mu.Unlock()
				rejected = append(rejected, rej)
				if rej == "" {
					return "stale", nil
				}
				return "fresh", nil
			}
		})
		hits.Store(0)
		// A non-idempotent request too: a 401 means the server did nothing.
		if _, err := b.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/threads/t/runs", Body: map[string]any{}}, nil); err != nil {
			t.Fatal(err)
		}
		if want := []string{"", "stale"}; !equal(rejected, want) {
			t.Errorf("token source got rejected = %q, want %q", rejected, want)
		}
		if hits.Load() != 2 {
			t.Errorf("server hits = %d, want 2", hits.Load())
		}
	})

	t.Run("not more than once", func(t *testing.T) {
		var calls atomic.Int32
		b := newBackend(t, srv.URL, func(c *Config) {
			c.Token = func(ctx context.Context, rej string) (string, error) {
				n := calls.Add(1)
				return "expired-" + string(rune('0'+n)), nil
			}
		})
		hits.Store(0)
		_, err := b.Do(context.Background(), get(), nil)
		if !errors.Is(err, langgraph.ErrUnauthorized) {
			t.Fatalf("err = %v, want ErrUnauthorized", err)
		}
		if calls.Load() != 2 || hits.Load() != 2 {
			t.Errorf("token source calls = %d, server hits = %d; want 2 and 2", calls.Load(), hits.Load())
		}
		if strings.Contains(err.Error(), "expired-") {
			t.Errorf("error holds the token: %v", err)
		}
	})

	t.Run("same token is not resent", func(t *testing.T) {
		var calls atomic.Int32
		b := newBackend(t, srv.URL, func(c *Config) {
			c.Token = func(ctx context.Context, rej string) (string, error) {
				calls.Add(1)
				return "stale", nil
			}
		})
		hits.Store(0)
		if _, err := b.Do(context.Background(), get(), nil); !errors.Is(err, langgraph.ErrUnauthorized) {
			t.Fatalf("err = %v, want ErrUnauthorized", err)
		}
		if calls.Load() != 2 || hits.Load() != 1 {
			t.Errorf("token source calls = %d, server hits = %d; want 2 and 1", calls.Load(), hits.Load())
		}
	})

	t.Run("per-call bearer skips the source", func(t *testing.T) {
		var calls atomic.Int32
		b := newBackend(t, srv.URL, func(c *Config) {
			c.Token = func(ctx context.Context, rej string) (string, error) {
				calls.Add(1)
				return "stale", nil
			}
		})
		if _, err := b.Do(context.Background(), get(langgraph.WithBearerToken("fresh")), nil); err != nil {
			t.Fatal(err)
		}
		if calls.Load() != 0 {
			t.Errorf("token source called %d times despite a per-call token", calls.Load())
		}
	})

	t.Run("errors", func(t *testing.T) {
		cause := errors.New("identity provider down")
		for name, fn := range map[string]TokenFunc{
			"error":   func(context.Context, string) (string, error) { return "", cause },
			"empty":   func(context.Context, string) (string, error) { return "", nil },
			"control": func(context.Context, string) (string, error) { return "secret-tok\r\nX-Evil: 1", nil },
		} {
			t.Run(name, func(t *testing.T) {
				b := newBackend(t, srv.URL, func(c *Config) { c.Token = fn })
				hits.Store(0)
				_, err := b.Do(context.Background(), get(), nil)
				if err == nil {
					t.Fatal("want an error")
				}
				if name == "error" && !errors.Is(err, cause) {
					t.Errorf("err = %v, want it to wrap the source's error", err)
				}
				if strings.Contains(err.Error(), "secret-tok") {
					t.Errorf("error holds the token: %v", err)
				}
				if hits.Load() != 0 {
					t.Errorf("%d requests sent", hits.Load())
				}
			})
		}
	})

	t.Run("refresh error keeps the 401", func(t *testing.T) {
		b := newBackend(t, srv.URL, func(c *Config) {
			c.Token = func(ctx context.Context, rej string) (string, error) {
				if rej != "" {
					return "", errors.New("cannot refresh")
				}
				return "stale-secret", nil
			}
		})
		_, err := b.Do(context.Background(), get(), nil)
		if !errors.Is(err, langgraph.ErrUnauthorized) {
			t.Fatalf("err = %v, want ErrUnauthorized", err)
		}
		if strings.Contains(err.Error(), "stale-secret") {
			t.Errorf("error holds the token: %v", err)
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestNoCredentialsToAnotherOrigin(t *testing.T) {
	other := newRecorder(t)
	var baseHits []http.Header
	var mu sync.Mutex
	base := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		baseHits = append(baseHits, r.Header.Clone())
		mu.Unlock()
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, other.URL+"/landed", http.StatusFound)
		case "/away307":
			http.Redirect(w, r, other.URL+"/landed", http.StatusTemporaryRedirect)
		case "/here":
			http.Redirect(w, r, "/landed", http.StatusFound)
		default:
			_, _ = io.WriteString(w, "{}")
		}
	}))
	defer base.Close()

	secrets := []string{"tok-default", "key-default", "tenant-secret", "tok-call", "tok-source"}
	// A redirect to another origin is not followed: nothing (no body, no
	// Referer, no credential) goes there, and the caller gets a typed error
	// that names the status and the target.
	notFollowed := func(t *testing.T, b *Backend, ctx context.Context, r *Request, status int) {
		t.Helper()
		_, err := b.Do(ctx, r, nil)
		var re *langgraph.RedirectError
		if !errors.As(err, &re) || re.StatusCode != status || re.Location != other.URL+"/landed" || re.Method != r.Method {
			t.Fatalf("%s %s = %v; want a *langgraph.RedirectError (%d to %s/landed)", r.Method, r.Path, err, status, other.URL)
		}
		for _, s := range secrets {
			if strings.Contains(err.Error(), s) {
				t.Errorf("the error holds a secret: %v", err)
			}
		}
		if n := other.count(); n != 0 {
			t.Errorf("the other origin got %d requests", n)
		}
	}
	t.Run("defaults", func(t *testing.T) {
		b := newBackend(t, base.URL, withHeader("Authorization", "Bearer tok-default", "X-Api-Key", "key-default", "X-Tenant", "tenant-secret"))
		notFollowed(t, b, context.Background(), &Request{Method: http.MethodGet, Path: "/away", Idempotent: true}, http.StatusFound)
		notFollowed(t, b, context.Background(), &Request{Method: http.MethodPost, Path: "/away307", Body: map[string]string{"input": "secret run input"}}, http.StatusTemporaryRedirect)
		mu.Lock()
		first := baseHits[len(baseHits)-1]
		mu.Unlock()
		if first.Get("Authorization") != "Bearer tok-default" {
			t.Errorf("the base origin did not get the credentials: %v", first)
		}
	})
	t.Run("per call and token source", func(t *testing.T) {
		b := newBackend(t, base.URL, func(c *Config) {
			c.Token = func(context.Context, string) (string, error) { return "tok-source", nil }
		})
		notFollowed(t, b, context.Background(), &Request{Method: http.MethodGet, Path: "/away", Idempotent: true}, http.StatusFound)
		ctx := langgraph.ContextWithOptions(context.Background(), langgraph.WithHeader("X-Tenant", "tenant-secret"))
		notFollowed(t, b, ctx, &Request{Method: http.MethodGet, Path: "/away", Idempotent: true, Options: []langgraph.Option{langgraph.WithBearerToken("tok-call")}}, http.StatusFound)
	})
	t.Run("the caller's redirect policy still applies within the origin", func(t *testing.T) {
		var asked atomic.Int32
		b := newBackend(t, base.URL, func(c *Config) {
			c.HTTPClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
				asked.Add(1)
				return http.ErrUseLastResponse
			}}
		})
		_, err := b.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/here", Idempotent: true}, nil)
		var re *langgraph.RedirectError
		if asked.Load() != 1 || !errors.As(err, &re) {
			t.Errorf("policy asked %d times, err %v; want once, and the unfollowed redirect reported", asked.Load(), err)
		}
	})
	t.Run("same origin keeps them", func(t *testing.T) {
		b := newBackend(t, base.URL, withHeader("Authorization", "Bearer tok-default", "X-Api-Key", "key-default", "X-Tenant", "tenant-secret"))
		if _, err := b.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/here", Idempotent: true}, nil); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		last := baseHits[len(baseHits)-1]
		mu.Unlock()
		if last.Get("Authorization") != "Bearer tok-default" || last.Get("X-Api-Key") != "key-default" || last.Get("X-Tenant") != "tenant-secret" {
			t.Errorf("same-origin redirect lost the credentials: %v", last)
		}
	})
}

func TestOrigin(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"http://Example.com/x", "http://example.com:80/y"},
		{"https://example.com", "https://example.com:443"},
	} {
		ua, _ := url.Parse(tt.a)
		ub, _ := url.Parse(tt.b)
		if Origin(ua) != Origin(ub) {
			t.Errorf("Origin(%s) = %s, Origin(%s) = %s; want equal", tt.a, Origin(ua), tt.b, Origin(ub))
		}
	}
	for _, tt := range []struct{ a, b string }{
		{"http://example.com", "https://example.com"},
		{"http://example.com:8123", "http://example.com:8124"},
		{"http://example.com", "http://evil.example.com"},
	} {
		ua, _ := url.Parse(tt.a)
		ub, _ := url.Parse(tt.b)
		if Origin(ua) == Origin(ub) {
			t.Errorf("Origin(%s) == Origin(%s) = %s", tt.a, tt.b, Origin(ua))
		}
	}
}

// lockedBuffer is a bytes.Buffer safe for concurrent writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestNoSecretsInLogsOrErrors(t *testing.T) {
	const token, key, header = "tok-SECRET-123", "key-SECRET-456", "hdr-SECRET-789"
	secrets := []string{token, key, header, "tok-call-SECRET", "tok-source-SECRET"}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		switch r.URL.Path {
		case "/flaky":
			if hits.Load()%2 == 1 {
				http.Error(w, "try again", http.StatusServiceUnavailable)
				return
			}
		case "/denied":
			http.Error(w, "Invalid token", http.StatusUnauthorized)
			return
		case "/hangup":
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			_ = conn.Close()
			return
		}
		_, _ = io.WriteString(w, "{}")
	}))
	defer srv.Close()

	var buf lockedBuffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b := newBackend(t, srv.URL, withHeader("Authorization", "Bearer "+token, "X-Api-Key", key, "X-Custom", header), func(c *Config) {
		c.Logger = logger
		c.MaxRetries = 2
	})
	var errs []error
	for _, p := range []string{"/flaky", "/denied", "/hangup", "/ok"} {
		_, err := b.Do(context.Background(), &Request{Method: http.MethodGet, Path: p, Idempotent: true, Options: []langgraph.Option{langgraph.WithBearerToken("tok-call-SECRET")}}, nil)
		errs = append(errs, err)
	}
	src := newBackend(t, srv.URL, func(c *Config) {
		c.Logger = logger
		c.Token = func(context.Context, string) (string, error) { return "tok-source-SECRET", nil }
	})
	_, err := src.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/denied", Idempotent: true}, nil)
	errs = append(errs, err)

	// An unreachable server: a connection error.
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	down := newBackend(t, deadURL, withHeader("Authorization", "Bearer "+token, "X-Api-Key", key), func(c *Config) {
		c.Logger = logger
		c.MaxRetries = 1
	})
	_, err = down.Do(context.Background(), get(), nil)
	errs = append(errs, err)

	out := buf.String()
	if !strings.Contains(out, "retrying request") || !strings.Contains(out, "request failed") {
		t.Errorf("the logger did not get the retry layer's lines:\n%s", out)
	}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("log output holds secret %q:\n%s", s, out)
		}
	}
	nerr := 0
	for _, err := range errs {
		if err == nil {
			continue
		}
		nerr++
		for _, s := range secrets {
			if strings.Contains(err.Error(), s) {
				t.Errorf("error holds secret %q: %v", s, err)
			}
		}
	}
	if nerr != 4 {
		t.Errorf("%d errors, want 4 (denied, hangup, denied with a token source, unreachable): %v", nerr, errs)
	}
}

func TestNoLoggingByDefault(t *testing.T) {
	b := newBackend(t, "http://127.0.0.1:1")
	if b.rc.Logger != nil {
		t.Errorf("retryablehttp logger = %#v, want nil", b.rc.Logger)
	}
}

func TestNoClientTimeout(t *testing.T) {
	b := newBackend(t, "http://127.0.0.1:1")
	if b.rc.HTTPClient.Timeout != 0 {
		t.Errorf("http.Client.Timeout = %v, want 0", b.rc.HTTPClient.Timeout)
	}
}

func TestPerCallTimeout(t *testing.T) {
	release := make(chan struct{})
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	b := newBackend(t, srv.URL)
	_, err := b.Do(context.Background(), get(langgraph.WithTimeout(20*time.Millisecond)), nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	if hits.Load() != 1 {
		t.Errorf("server hits = %d, want 1 (no retry after the deadline)", hits.Load())
	}
	// The same through the context.
	ctx := langgraph.ContextWithOptions(context.Background(), langgraph.WithTimeout(20*time.Millisecond))
	if _, err := b.Do(ctx, get(), nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
}

func TestPerCallTimeoutLastsUntilBodyClosed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"a":1}`)
	}))
	defer srv.Close()
	b := newBackend(t, srv.URL)
	resp, err := b.Open(context.Background(), get(langgraph.WithTimeout(time.Minute)))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil || string(body) != `{"a":1}` {
		t.Fatalf("body = %q, %v", body, err)
	}
	if err := resp.Body.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestQueryParams(t *testing.T) {
	var got url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.Query()
		_, _ = io.WriteString(w, "{}")
	}))
	defer srv.Close()
	b := newBackend(t, srv.URL)
	q := url.Values{"limit": {"10"}}
	r := &Request{Method: http.MethodGet, Path: "/x", Query: q, Idempotent: true, Options: []langgraph.Option{langgraph.WithQueryParam("limit", "20"), langgraph.WithQueryParam("a b", "c&d")}}
	if _, err := b.Do(context.Background(), r, nil); err != nil {
		t.Fatal(err)
	}
	if want := []string{"10", "20"}; !equal(got["limit"], want) || got.Get("a b") != "c&d" {
		t.Errorf("query = %v", got)
	}
	if len(q["limit"]) != 1 {
		t.Errorf("the request's Query was modified: %v", q)
	}
}

func TestNewRejectsUserInfo(t *testing.T) {
	u, _ := url.Parse("http://user:pass@example.com")
	_, err := New(Config{BaseURL: u})
	if err == nil {
		t.Fatal("want an error")
	}
	if strings.Contains(err.Error(), "pass") {
		t.Errorf("error holds the password: %v", err)
	}
	if _, err := New(Config{}); err == nil {
		t.Error("want an error without a base URL")
	}
}

func TestDecodeAnswer(t *testing.T) {
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/plain"}},
		Request: &http.Request{URL: &url.URL{Scheme: "http", Host: "h", Path: "/x"}}}
	var v map[string]int
	if err := DecodeAnswer("GET", resp, []byte("\n\n\n{\"a\":1}"), &v); err != nil || v["a"] != 1 {
		t.Errorf("keep-alive newlines: %v %v", v, err)
	}
	for _, body := range []string{"", "\n \n", "{", "nope"} {
		var re *langgraph.ResponseError
		if err := DecodeAnswer("GET", resp, []byte(body), &v); !errors.As(err, &re) || re.URL != "http://h/x" || re.ContentType != "text/plain" {
			t.Errorf("%q: %v; want a *langgraph.ResponseError", body, err)
		}
	}
}

// cancellingTransport answers with a body it tracks, after cancelling the
// request's context: the response arrives, then the context ends.
type cancellingTransport struct {
	cancel context.CancelFunc
	closed atomic.Bool
}

func (c *cancellingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	c.cancel()
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: &trackedBody{Reader: strings.NewReader("{}"), closed: &c.closed}}, nil
}

type trackedBody struct {
	io.Reader
	closed *atomic.Bool
}

func (b *trackedBody) Close() error { b.closed.Store(true); return nil }

func TestResponseClosedWhenContextEndsAfterIt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rt := &cancellingTransport{cancel: cancel}
	b := newBackend(t, "http://127.0.0.1:1", func(c *Config) { c.HTTPClient = &http.Client{Transport: rt} })
	_, err := b.Do(ctx, get(), nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !rt.closed.Load() {
		t.Error("the response body was left open")
	}
}
