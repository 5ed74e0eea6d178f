package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/crons"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/store"
	"github.com/langgraph-go/langgraph/threads"
)

// TestRefusalsMatchErrInvalidArgument: every call refused before sending
// matches langgraph.ErrInvalidArgument, sends nothing and quotes no secret.
func TestRefusalsMatchErrInvalidArgument(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	c, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithoutAPIKey())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	const secret = "s3cr3t-token"
	calls := map[string]func() error{
		"empty thread id":    func() error { _, err := c.Threads.Get(ctx, ""); return err },
		"dot thread id":      func() error { _, err := c.Threads.Get(ctx, ".."); return err },
		"encoded dot run id": func() error { _, err := c.Runs.Get(ctx, "t1", "%2e"); return err },
		"empty assistant id": func() error { _, err := c.Runs.Wait(ctx, "t1", "", runs.CreateParams{}); return err },
		"input and command": func() error {
			_, err := c.Runs.Create(ctx, "t1", "a", runs.CreateParams{Input: 1, Command: &langgraph.Command{Resume: 1}})
			return err
		},
		"negative limit":        func() error { _, err := c.Threads.Search(ctx, threads.SearchParams{Limit: -1}); return err },
		"negative offset":       func() error { _, err := c.Assistants.SearchPage(ctx, assistants.SearchParams{Offset: -1}); return err },
		"negative history":      func() error { _, err := c.Threads.GetHistory(ctx, "t1", threads.HistoryParams{Limit: -1}); return err },
		"bad store label":       func() error { _, err := c.Store.GetItem(ctx, []string{"a.b"}, "k", store.GetParams{}); return err },
		"empty store key":       func() error { _, err := c.Store.GetItem(ctx, []string{"a"}, "", store.GetParams{}); return err },
		"empty cron schedule":   func() error { _, err := c.Crons.Create(ctx, "a", crons.CreateParams{}); return err },
		"empty bearer per call": func() error { _, err := c.Threads.Get(ctx, "t1", langgraph.WithBearerToken("")); return err },
		"bad header per call": func() error {
			_, err := c.Threads.Get(ctx, "t1", langgraph.WithHeader("X-Tenant", "a\n"+secret))
			return err
		},
		"bad header name": func() error { _, err := c.Threads.Get(ctx, "t1", langgraph.WithHeader("X Tenant", secret)); return err },
		"token with CRLF": func() error {
			_, err := c.Threads.Get(ctx, "t1", langgraph.WithBearerToken(secret+"\r\nX: y"))
			return err
		},
		"zero timeout":           func() error { _, err := c.Threads.Get(ctx, "t1", langgraph.WithTimeout(0)); return err },
		"nil context":            func() error { _, err := c.Threads.Get(nil, "t1"); return err }, //lint:ignore SA1012 a nil context is refused
		"stream without thread":  func() error { return firstErr(c.Runs.Stream(ctx, "", "a", runs.StreamParams{})) },
		"stream with a dot id":   func() error { return firstErr(c.Runs.Stream(ctx, ".", "a", runs.StreamParams{})) },
		"join without thread id": func() error { _, err := c.Runs.Join(ctx, "", "r1", runs.JoinParams{}); return err },
		"search all negative": func() error {
			for _, err := range c.Threads.SearchAll(ctx, threads.SearchParams{Limit: -5}) {
				return err
			}
			return nil
		},
		"Do with a dot segment": func() error { return c.Do(ctx, "GET", "/threads/../x", nil, nil) },
	}
	for name, call := range calls {
		err := call()
		if !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("%s: %v; want ErrInvalidArgument", name, err)
		}
		if err != nil && strings.Contains(err.Error(), secret) {
			t.Errorf("%s: the error quotes the secret: %v", name, err)
		}
	}
	for name, opts := range map[string][]langgraph.Option{
		"bad base URL":     {langgraph.WithBaseURL("ftp://x")},
		"empty key":        {langgraph.WithAPIKey(" ")},
		"key and no key":   {langgraph.WithAPIKey("k"), langgraph.WithoutAPIKey()},
		"call-only option": {langgraph.WithQueryParam("a", "b")},
		"SDK header":       {langgraph.WithHeader("Content-Type", "text/plain")},
		"negative retries": {langgraph.WithMaxRetries(-1)},
		"zero max size":    {langgraph.WithMaxResponseSize(0)},
	} {
		if _, err := client.New(opts...); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("New(%s) = %v; want ErrInvalidArgument", name, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests reached the server", n)
	}
}

// TestEveryFailureTyped: against servers that misbehave in every way we
// know of, every call fails with an error that errors.Is/As can place.
func TestEveryFailureTyped(t *testing.T) {
	bad := map[string]http.HandlerFunc{
		"empty 200":       func(w http.ResponseWriter, r *http.Request) {},
		"html 200":        func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "<html>hi</html>") },
		"object, no ids":  func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, `{"status":"idle"}`) },
		"wrong JSON type": func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, `"a string"`) },
		"500 text":        func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) },
		"418":             func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(418) },
		"redirect away": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://192.0.2.1/x", http.StatusFound)
		},
		"cut body": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "100")
			_, _ = io.WriteString(w, `{"thread_id":"t1",`)
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler)
		},
		"reset": func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) },
		"huge": func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, `{"thread_id":"t1","values":"`+strings.Repeat("x", 4096)+`"}`)
		},
		"stream content type": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = io.WriteString(w, "event: values\ndata: {}\n\n")
		},
	}
	for name, h := range bad {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			c, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithoutAPIKey(), langgraph.WithMaxRetries(1),
				langgraph.WithRetryWait(time.Millisecond, time.Millisecond), langgraph.WithMaxResponseSize(1024))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			for call, fn := range map[string]func() error{
				"Threads.Get":       func() error { _, err := c.Threads.Get(ctx, "t1"); return err },
				"Threads.Create":    func() error { _, err := c.Threads.Create(ctx, threads.CreateParams{}); return err },
				"Threads.Search":    func() error { _, err := c.Threads.Search(ctx, threads.SearchParams{}); return err },
				"Threads.Count":     func() error { _, err := c.Threads.Count(ctx, threads.CountParams{}); return err },
				"Threads.GetState":  func() error { _, err := c.Threads.GetState(ctx, "t1", threads.StateParams{}); return err },
				"Assistants.Get":    func() error { _, err := c.Assistants.Get(ctx, "a1"); return err },
				"Runs.Create":       func() error { _, err := c.Runs.Create(ctx, "t1", "a", runs.CreateParams{}); return err },
				"Runs.Wait":         func() error { _, err := c.Runs.Wait(ctx, "t1", "a", runs.CreateParams{}); return err },
				"Runs.Get":          func() error { _, err := c.Runs.Get(ctx, "t1", "r1"); return err },
				"Runs.Stream":       func() error { return lastErr(c.Runs.Stream(ctx, "t1", "a", runs.StreamParams{})) },
				"Store.GetItem":     func() error { _, err := c.Store.GetItem(ctx, []string{"a"}, "k", store.GetParams{}); return err },
				"Store.SearchItems": func() error { _, err := c.Store.SearchItems(ctx, nil, store.SearchParams{}); return err },
				"Crons.Create": func() error {
					_, err := c.Crons.Create(ctx, "a", crons.CreateParams{Schedule: "* * * * *"})
					return err
				},
				"Info": func() error { _, err := c.Info(ctx); return err },
			} {
				err := fn()
				if err == nil {
					// Some answers are right for some calls (a JSON string for
					// nothing, an event stream for Stream): only a nil error
					// for an answer that cannot be right is a failure.
					if ok := acceptable[name+"/"+call]; !ok {
						t.Errorf("%s: no error", call)
					}
					continue
				}
				if !typed(err) {
					t.Errorf("%s: untyped error %T: %v", call, err, err)
				}
			}
		})
	}
}

// acceptable lists the bad-server cases whose answer a call may take as right.
var acceptable = map[string]bool{
	"stream content type/Runs.Stream": true, // a stream of one values event
	"object, no ids/Runs.Wait":        true, // a graph's final state may be any JSON
	"wrong JSON type/Runs.Wait":       true,
}

func lastErr[T any](seq func(func(T, error) bool)) error {
	var last error
	for _, err := range seq {
		if err != nil {
			last = err
		}
	}
	return last
}

func typed(err error) bool {
	var (
		api  *langgraph.APIError
		conn *langgraph.ConnectionError
		resp *langgraph.ResponseError
		red  *langgraph.RedirectError
		run  *langgraph.RunError
		str  *langgraph.StreamError
	)
	return errors.As(err, &api) || errors.As(err, &conn) || errors.As(err, &resp) || errors.As(err, &red) ||
		errors.As(err, &run) || errors.As(err, &str) || errors.Is(err, langgraph.ErrResponseTooLarge) ||
		errors.Is(err, langgraph.ErrNotFound) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
