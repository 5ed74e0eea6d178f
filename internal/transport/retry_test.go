package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
)

// statusServer answers every request with status and counts the requests.
func statusServer(t *testing.T, status int, header ...string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, "status %d", status)
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

var createRun = &Request{Method: http.MethodPost, Path: "/threads/t1/runs", Body: map[string]string{"assistant_id": "agent"}}

func searchReq() *Request {
	return &Request{Method: http.MethodPost, Path: "/threads/search", Body: map[string]int{"limit": 10}, Idempotent: true}
}

func TestRetryByStatus(t *testing.T) {
	const maxRetries = 2
	tests := []struct {
		status            int
		idempotent, other int // expected server hits
	}{
		{http.StatusTooManyRequests, maxRetries + 1, maxRetries + 1},
		{http.StatusInternalServerError, maxRetries + 1, 1},
		{http.StatusBadGateway, maxRetries + 1, 1},
		{http.StatusServiceUnavailable, maxRetries + 1, 1},
		{http.StatusGatewayTimeout, maxRetries + 1, 1},
		{http.StatusBadRequest, 1, 1},
		{http.StatusUnauthorized, 1, 1},
		{http.StatusForbidden, 1, 1},
		{http.StatusNotFound, 1, 1},
		{http.StatusConflict, 1, 1},
		{http.StatusUnprocessableEntity, 1, 1},
		{http.StatusNotImplemented, 1, 1},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			srv, hits := statusServer(t, tt.status)
			b := newBackend(t, srv.URL, func(c *Config) { c.MaxRetries = maxRetries })
			for _, r := range []*Request{
				{Method: http.MethodGet, Path: "/threads/t1", Idempotent: true},
				{Method: http.MethodDelete, Path: "/threads/t1", Idempotent: true},
				{Method: http.MethodPatch, Path: "/threads/t1", Body: map[string]any{}, Idempotent: true},
				searchReq(),
			} {
				hits.Store(0)
				_, err := b.Do(context.Background(), r, nil)
				var apiErr *langgraph.APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status {
					t.Fatalf("%s %s: err = %v, want an APIError %d", r.Method, r.Path, err, tt.status)
				}
				if got := int(hits.Load()); got != tt.idempotent {
					t.Errorf("%s %s: %d hits, want %d", r.Method, r.Path, got, tt.idempotent)
				}
			}
			hits.Store(0)
			_, err := b.Do(context.Background(), createRun, nil)
			var apiErr *langgraph.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status {
				t.Fatalf("create run: err = %v, want an APIError %d", err, tt.status)
			}
			if got := int(hits.Load()); got != tt.other {
				t.Errorf("create run: %d hits, want %d", got, tt.other)
			}
		})
	}
}

// TestRetryThenSuccess checks that a retried request is sent again whole
// (same body) and that its eventual answer is returned.
func TestRetryThenSuccess(t *testing.T) {
	var hits atomic.Int32
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b)) // requests are sequential
		if hits.Add(1) < 3 {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = io.WriteString(w, `{"run_id":"r1"}`)
	}))
	defer srv.Close()
	b := newBackend(t, srv.URL)
	var out struct {
		RunID string `json:"run_id"`
	}
	if _, err := b.Do(context.Background(), createRun, &out); err != nil {
		t.Fatal(err)
	}
	if out.RunID != "r1" || hits.Load() != 3 {
		t.Errorf("run %q after %d hits, want r1 after 3", out.RunID, hits.Load())
	}
	for _, body := range bodies {
		if body != `{"assistant_id":"agent"}` {
			t.Errorf("body = %q", body)
		}
	}
}

func TestMaxRetriesNegativeMeansNone(t *testing.T) {
	srv, hits := statusServer(t, http.StatusServiceUnavailable)
	b := newBackend(t, srv.URL, func(c *Config) { c.MaxRetries = -1 })
	if _, err := b.Do(context.Background(), get(), nil); !errors.Is(err, langgraph.ErrServer) {
		t.Fatalf("err = %v", err)
	}
	if hits.Load() != 1 {
		t.Errorf("%d hits, want 1", hits.Load())
	}
}

// hangupServer reads each request's body, then closes the connection without
// answering, for the first n requests; later ones get 200 {}.
func hangupServer(t *testing.T, n int32) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if hits.Add(1) <= n {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			_ = conn.Close()
			return
		}
		_, _ = io.WriteString(w, "{}")
	}))
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestRetryOnConnectionError(t *testing.T) {
	t.Run("idempotent", func(t *testing.T) {
		srv, hits := hangupServer(t, 2)
		b := newBackend(t, srv.URL)
		if _, err := b.Do(context.Background(), searchReq(), nil); err != nil {
			t.Fatal(err)
		}
		if hits.Load() != 3 {
			t.Errorf("%d hits, want 3", hits.Load())
		}
	})
	t.Run("create run reached the server", func(t *testing.T) {
		srv, hits := hangupServer(t, 1)
		b := newBackend(t, srv.URL)
		_, err := b.Do(context.Background(), createRun, nil)
		var ce *langgraph.ConnectionError
		if !errors.As(err, &ce) {
			t.Fatalf("err = %v, want a ConnectionError", err)
		}
		if hits.Load() != 1 {
			t.Errorf("%d hits, want 1: the server may have started the run", hits.Load())
		}
	})
}

// refusingDialer dials a closed port (connection refused) for the first
// refusals dials, then the real address.
type refusingDialer struct {
	closed   string
	refusals int32
	dials    atomic.Int32
}

func (d *refusingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if d.dials.Add(1) <= d.refusals {
		addr = d.closed
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, addr)
}

func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestCreateRunRetriedWhenNeverSent(t *testing.T) {
	srv, hits := statusServer(t, http.StatusOK)
	d := &refusingDialer{closed: closedAddr(t), refusals: 2}
	b := newBackend(t, srv.URL, func(c *Config) {
		c.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
	})
	if _, err := b.Do(context.Background(), createRun, nil); err != nil {
		t.Fatal(err)
	}
	if d.dials.Load() != 3 || hits.Load() != 1 {
		t.Errorf("%d dials and %d hits, want 3 and 1", d.dials.Load(), hits.Load())
	}

	// Refused every time: retried up to MaxRetries, then a ConnectionError.
	d = &refusingDialer{closed: closedAddr(t), refusals: 100}
	b = newBackend(t, srv.URL, func(c *Config) {
		c.MaxRetries = 2
		c.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
	})
	_, err := b.Do(context.Background(), createRun, nil)
	var ce *langgraph.ConnectionError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a ConnectionError", err)
	}
	if d.dials.Load() != 3 {
		t.Errorf("%d dials, want 3", d.dials.Load())
	}
}

func TestBackoffGrowsWithJitter(t *testing.T) {
	const minWait, maxWait = 100 * time.Millisecond, 2 * time.Second
	for attempt := range 8 {
		ceil := min(minWait<<attempt, maxWait)
		seen := map[time.Duration]bool{}
		for range 200 {
			d := Backoff(minWait, maxWait, attempt)
			if d < ceil/2 || d > ceil {
				t.Fatalf("attempt %d: wait %v outside [%v, %v]", attempt, d, ceil/2, ceil)
			}
			seen[d] = true
		}
		if len(seen) < 10 {
			t.Errorf("attempt %d: only %d distinct waits in 200: no jitter", attempt, len(seen))
		}
	}
	// Huge attempt numbers neither overflow nor exceed the cap.
	for _, attempt := range []int{29, 30, 62, 63, 64, 1000} {
		if d := Backoff(minWait, maxWait, attempt); d < maxWait/2 || d > maxWait {
			t.Errorf("attempt %d: wait %v", attempt, d)
		}
	}
	if d := Backoff(1, 1, 3); d != 1 {
		t.Errorf("Backoff(1ns) = %v", d)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"120", 120 * time.Second, true},
		{" 3 ", 3 * time.Second, true},
		{"0", 0, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"", 0, false},
		{"-5", 0, false},
		{"soon", 0, false},
		{"1.5", 0, false},
	}
	for _, tt := range tests {
		got, ok := RetryAfter(tt.v, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tt.v, got, ok, tt.want, tt.ok)
		}
	}
}

func TestRetryAfterCapped(t *testing.T) {
	b := newBackend(t, "http://127.0.0.1:1", func(c *Config) {
		c.MinWait, c.MaxWait = time.Millisecond, 2*time.Millisecond
		c.MaxRetryAfter = 10 * time.Second
	})
	resp := func(status int, ra string) *http.Response {
		return &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {ra}}}
	}
	tests := []struct {
		resp *http.Response
		want time.Duration // 0: the exponential backoff
	}{
		{resp(429, "3"), 3 * time.Second},
		{resp(503, "3"), 3 * time.Second},
		{resp(429, "3600"), 10 * time.Second},
		{resp(429, time.Now().Add(24*time.Hour).UTC().Format(http.TimeFormat)), 10 * time.Second},
		{resp(500, "3"), 0}, // Retry-After only on 429 and 503
		{resp(429, "garbage"), 0},
		{nil, 0},
	}
	for i, tt := range tests {
		got := b.backoff(b.minWait, b.maxWait, 0, tt.resp)
		if tt.want == 0 {
			if got > 2*time.Millisecond {
				t.Errorf("case %d: wait %v, want the backoff (<= 2ms)", i, got)
			}
		} else if got != tt.want {
			t.Errorf("case %d: wait %v, want %v", i, got, tt.want)
		}
	}
	// The default cap.
	d := newBackend(t, "http://127.0.0.1:1")
	if got := d.backoff(d.minWait, d.maxWait, 0, resp(429, "86400")); got != DefaultMaxRetryAfter {
		t.Errorf("default cap: %v, want %v", got, DefaultMaxRetryAfter)
	}
}

// signalHandler is a slog.Handler that reports, on a channel, each record
// whose message is msg.
type signalHandler struct {
	msg string
	ch  chan struct{}
}

func (h *signalHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *signalHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *signalHandler) WithGroup(string) slog.Handler            { return h }
func (h *signalHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == h.msg {
		select {
		case h.ch <- struct{}{}:
		default:
		}
	}
	return nil
}

func TestBackoffStopsOnCancel(t *testing.T) {
	for _, tt := range []struct {
		name   string
		header []string
	}{
		{"retry-after", []string{"Retry-After", "3600"}},
		{"backoff", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, hits := statusServer(t, http.StatusServiceUnavailable, tt.header...)
			waiting := &signalHandler{msg: "retrying request", ch: make(chan struct{}, 1)}
			b := newBackend(t, srv.URL, func(c *Config) {
				c.MinWait, c.MaxWait, c.MaxRetryAfter = time.Hour, time.Hour, time.Hour
				c.Logger = slog.New(waiting)
			})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := b.Do(ctx, get(), nil)
				done <- err
			}()
			<-waiting.ch // the client is about to wait an hour
			cancel()
			err := <-done
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if hits.Load() != 1 {
				t.Errorf("%d hits, want 1", hits.Load())
			}
		})
	}
}

func TestCheckRetry(t *testing.T) {
	idem := context.WithValue(context.Background(), policyKey{}, true)
	other := context.Background()
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	reset := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
	dns := &net.DNSError{Err: "no such host", Name: "nowhere.invalid"}
	for _, tt := range []struct {
		name string
		ctx  context.Context
		err  error
		want bool
	}{
		{"idempotent refused", idem, refused, true},
		{"idempotent reset", idem, reset, true},
		{"idempotent EOF", idem, io.ErrUnexpectedEOF, true},
		{"create refused", other, refused, true},
		{"create dns", other, dns, true},
		{"create reset", other, reset, false},
		{"create EOF", other, io.EOF, false},
		{"bad scheme", idem, &url.Error{Op: "Get", URL: "ftp://x", Err: errors.New("unsupported protocol scheme \"ftp\"")}, false},
	} {
		got, err := checkRetry(tt.ctx, nil, tt.err)
		if got != tt.want || err != nil {
			t.Errorf("%s: checkRetry = %v, %v; want %v", tt.name, got, err, tt.want)
		}
	}
	ctx, cancel := context.WithCancel(idem)
	cancel()
	if retry, err := checkRetry(ctx, nil, refused); retry || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: checkRetry = %v, %v", retry, err)
	}
}
