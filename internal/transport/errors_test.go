package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/langgraph-go/langgraph"
)

func TestErrorMessage(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"python detail", `{"detail":"Thread not found"}`, "Thread not found"},
		{"message", `{"message":"Assistant not found","detail":"ignored"}`, "Assistant not found"},
		{"error string", `{"error":"Bad thing"}`, "Bad thing"},
		{"nested error.message", `{"error":{"message":"nested msg","code":42}}`, "nested msg"},
		{"nested error.detail", `{"error":{"detail":"nested detail"}}`, "nested detail"},
		{"empty message falls through", `{"message":"  ","detail":"the detail"}`, "the detail"},
		{"fastapi list", `{"detail":[{"loc":["body","assistant_id"],"msg":"field required","type":"missing"},{"loc":["query","limit"],"msg":"bad int"}]}`, `["body","assistant_id"]: field required; ["query","limit"]: bad int`},
		{"zod issues", `{"success":false,"error":{"issues":[{"code":"invalid_type","path":["assistant_id"],"message":"Required"}],"name":"ZodError"}}`, `["assistant_id"]: Required`},
		{"zod issues without path", `{"error":{"issues":[{"message":"A"},{"message":"B"}]}}`, "A; B"},
		{"js text/plain", "Thread with ID 123 not found", "Thread with ID 123 not found"},
		{"text trimmed", "\n  Invalid token \n", "Invalid token"},
		{"json without known field", `{"foo":"bar"}`, `{"foo":"bar"}`},
		{"not json", `{oops`, `{oops`},
		{"json array", `["a"]`, `["a"]`},
		{"empty", "", ""},
		{"blank", " \n ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ErrorMessage([]byte(tt.body)); got != tt.want {
				t.Errorf("ErrorMessage(%s) = %q, want %q", tt.body, got, tt.want)
			}
		})
	}
}

func TestErrorMessageClipped(t *testing.T) {
	for _, body := range []string{
		strings.Repeat("x", 10_000),
		strings.Repeat("é", 5_000),      // 2-byte runes
		"a" + strings.Repeat("€", 5000), // the cut falls inside a 3-byte rune
		`{"detail":"` + strings.Repeat("ü", 3000) + `"}`,
		"\xff" + strings.Repeat("y", 5000), // an invalid byte first
	} {
		m := ErrorMessage([]byte(body))
		if len(m) > maxMessageSize+len("…") {
			t.Errorf("message of %d bytes", len(m))
		}
		if !utf8.ValidString(m) {
			t.Errorf("message is not valid UTF-8: %q...", m[:20])
		}
		if !strings.HasSuffix(m, "…") || len(m) < maxMessageSize/2 {
			t.Errorf("message of %d bytes, want a clipped one near %d", len(m), maxMessageSize)
		}
	}
}

func TestAPIErrorFields(t *testing.T) {
	big := strings.Repeat("z", 1<<20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-42")
		switch r.URL.Path {
		case "/threads/t1":
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, "Thread with ID t1 not found")
		case "/py":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusConflict)
			_, _ = io.WriteString(w, `{"detail":"Thread already exists"}`)
		case "/big":
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, big)
		case "/empty":
			w.Header().Del("X-Request-Id")
			w.WriteHeader(http.StatusForbidden)
		}
	}))
	defer srv.Close()
	b := newBackend(t, srv.URL, withHeader("Authorization", "Bearer sekrit-token", "X-Api-Key", "sekrit-key"), func(c *Config) { c.MaxRetries = -1 })

	_, err := b.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/threads/t1", Idempotent: true, Options: []langgraph.Option{langgraph.WithQueryParam("a", "1")}}, nil)
	var e *langgraph.APIError
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want an APIError", err)
	}
	if e.StatusCode != 404 || e.Method != "GET" || e.URL != srv.URL+"/threads/t1?a=1" || e.Message != "Thread with ID t1 not found" || e.RequestID != "req-42" || string(e.Body) != "Thread with ID t1 not found" {
		t.Errorf("APIError = %+v", e)
	}
	if e.Header.Get("Content-Type") != "text/plain" {
		t.Errorf("Header = %v", e.Header)
	}
	for _, s := range []string{"404", "GET", "/threads/t1", "Thread with ID t1 not found", "req-42"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q lacks %q", err, s)
		}
	}

	_, err = b.Do(context.Background(), &Request{Method: http.MethodPost, Path: "/py", Body: map[string]string{}}, nil)
	if !errors.As(err, &e) || e.StatusCode != 409 || e.Message != "Thread already exists" || e.Method != "POST" {
		t.Errorf("python error: %v", err)
	}

	_, err = b.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/big"}, nil)
	if !errors.As(err, &e) || len(e.Body) != maxErrorBody || len(e.Message) > maxMessageSize+len("…") {
		t.Errorf("big body: body %d bytes, message %d bytes", len(e.Body), len(e.Message))
	}
	if len(err.Error()) > 4000 {
		t.Errorf("error string of %d bytes", len(err.Error()))
	}

	_, err = b.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/empty"}, nil)
	if !errors.As(err, &e) || e.Message != "Forbidden" || e.RequestID != "" || !errors.Is(err, langgraph.ErrForbidden) {
		t.Errorf("empty body: %v %+v", err, e)
	}
	for _, s := range []string{"sekrit"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("error holds a credential: %v", err)
		}
	}
}

func TestSentinels(t *testing.T) {
	sentinels := map[error]int{
		langgraph.ErrBadRequest:          400,
		langgraph.ErrUnauthorized:        401,
		langgraph.ErrForbidden:           403,
		langgraph.ErrNotFound:            404,
		langgraph.ErrConflict:            409,
		langgraph.ErrUnprocessableEntity: 422,
		langgraph.ErrRateLimited:         429,
	}
	var status int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
	}))
	defer srv.Close()
	b := newBackend(t, srv.URL, func(c *Config) { c.MaxRetries = -1 })
	for _, status = range []int{400, 401, 403, 404, 405, 409, 410, 422, 429, 500, 501, 502, 503, 504, 599} {
		_, err := b.Do(context.Background(), get(), nil)
		if err == nil {
			t.Fatalf("%d: no error", status)
		}
		for s, code := range sentinels {
			if got := errors.Is(err, s); got != (code == status) {
				t.Errorf("%d: errors.Is(err, %v) = %v", status, s, got)
			}
		}
		if got := errors.Is(err, langgraph.ErrServer); got != (status >= 500) {
			t.Errorf("%d: errors.Is(err, ErrServer) = %v", status, got)
		}
	}
}

func TestConnectionError(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	base := dead.URL
	dead.Close()
	b := newBackend(t, base, withHeader("Authorization", "Bearer sekrit"), func(c *Config) { c.MaxRetries = 1 })
	_, err := b.Do(context.Background(), &Request{Method: http.MethodGet, Path: "/threads/t1", Idempotent: true}, nil)
	var ce *langgraph.ConnectionError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a ConnectionError", err)
	}
	if ce.URL != base+"/threads/t1" || ce.Method != "GET" || ce.Err == nil {
		t.Errorf("ConnectionError = %+v", ce)
	}
	if !strings.Contains(err.Error(), base+"/threads/t1") || strings.Contains(err.Error(), "sekrit") {
		t.Errorf("error string: %v", err)
	}
	for _, s := range []error{langgraph.ErrServer, langgraph.ErrNotFound, context.Canceled} {
		if errors.Is(err, s) {
			t.Errorf("a connection error matches %v", s)
		}
	}
	var apiErr *langgraph.APIError
	if errors.As(err, &apiErr) {
		t.Error("a connection error is an APIError")
	}
}

func TestContextErrors(t *testing.T) {
	srv, hits := statusServer(t, http.StatusOK)
	b := newBackend(t, srv.URL)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := b.Do(ctx, get(), nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	var ce *langgraph.ConnectionError
	if errors.As(err, &ce) {
		t.Errorf("a cancelled call is a ConnectionError: %v", err)
	}

	ctx, cancel = context.WithTimeout(context.Background(), 0)
	defer cancel()
	if _, err := b.Do(ctx, createRun, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want context.DeadlineExceeded", err)
	}
	if hits.Load() != 0 {
		t.Errorf("%d hits with a done context", hits.Load())
	}
}

// TestCancelWhileReadingBody cancels the context while the response body is
// being decoded: the error still matches context.Canceled.
func TestCancelWhileReadingBody(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"a":`)
		w.(http.Flusher).Flush()
		close(started)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	b := newBackend(t, srv.URL)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		var out map[string]any
		_, err := b.Do(ctx, get(), &out)
		done <- err
	}()
	<-started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
