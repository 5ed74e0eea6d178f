package client_test

// Issue 10 against the real server: what a retry finds after an attempt that
// did the work, answers that cannot be right, redirects to another origin,
// per-call credentials, the escape hatch and response metadata. A fault proxy
// in front of the server produces what the server cannot (a 502 after it did
// the work, an empty or cut answer, a redirect).

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/faultproxy"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

// proxied returns a fault proxy in front of the test server and alice's
// client through it, retrying at once.
func proxied(t *testing.T, opts ...langgraph.Option) (*faultproxy.Proxy, *client.Client) {
	t.Helper()
	p := faultproxy.New(t, live.URL())
	return p, live.Client(t, testserver.Alice, append([]langgraph.Option{langgraph.WithBaseURL(p.URL),
		langgraph.WithRetryWait(time.Millisecond, 5*time.Millisecond)}, opts...)...)
}

// TestRetryAfterTheWorkWasDone: the server does the work but its answer is
// lost (the proxy answers 502); the retry then meets the done work (404 on
// a delete, 409 on a create with an id). Both are the success the caller
// asked for.
func TestRetryAfterTheWorkWasDone(t *testing.T) {
	ctx := live.Setup(t)
	p, c := proxied(t)
	alice := live.Client(t, testserver.Alice)

	t.Run("threads", func(t *testing.T) {
		p.Add(faultproxy.Fault{Method: "POST", Path: "/threads", Forward: true, Status: http.StatusBadGateway})
		id := "0a0a0a0a-0000-4000-8000-00000000000a"
		th, err := c.Threads.Create(ctx, threads.CreateParams{ThreadID: id, Metadata: map[string]any{"k": "v"}})
		if err != nil || th.ThreadID != id || th.Metadata["k"] != "v" {
			t.Fatalf("Create after a lost answer = %+v, %v; want the thread", th, err)
		}
		if n := p.Count("POST", "/threads"); n != 2 {
			t.Errorf("%d creates sent, want 2", n)
		}
		p.Add(faultproxy.Fault{Method: "DELETE", Path: "/threads/", Forward: true, Status: http.StatusBadGateway})
		if err := c.Threads.Delete(ctx, id); err != nil {
			t.Fatalf("Delete after a lost answer = %v; want success", err)
		}
		if _, err := alice.Threads.Get(ctx, id); !errors.Is(err, langgraph.ErrNotFound) {
			t.Errorf("the thread still exists: %v", err)
		}
		// A plain 404 (no earlier attempt) is still an error.
		if err := c.Threads.Delete(ctx, id); !errors.Is(err, langgraph.ErrNotFound) {
			t.Errorf("Delete of a missing thread = %v; want ErrNotFound", err)
		}
		// A create whose id is taken, without a lost answer, is still a conflict.
		if _, err := c.Threads.Create(ctx, threads.CreateParams{ThreadID: th.ThreadID}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Threads.Create(ctx, threads.CreateParams{ThreadID: th.ThreadID}); !errors.Is(err, langgraph.ErrConflict) {
			t.Errorf("Create with a taken id = %v; want ErrConflict", err)
		}
	})
	t.Run("assistants", func(t *testing.T) {
		id := "0b0b0b0b-0000-4000-8000-00000000000b"
		p.Add(faultproxy.Fault{Method: "POST", Path: "/assistants", Forward: true, Status: http.StatusServiceUnavailable})
		a, err := c.Assistants.Create(ctx, assistants.CreateParams{AssistantID: id, GraphID: testserver.GraphAgent, Name: "retried"})
		if err != nil || a.AssistantID != id || a.Name != "retried" {
			t.Fatalf("Create after a lost answer = %+v, %v", a, err)
		}
		p.Add(faultproxy.Fault{Method: "DELETE", Path: "/assistants/", Forward: true, Status: http.StatusBadGateway})
		if err := c.Assistants.Delete(ctx, id, assistants.DeleteParams{}); err != nil {
			t.Fatalf("Delete after a lost answer = %v", err)
		}
		if _, err := alice.Assistants.Get(ctx, id); !errors.Is(err, langgraph.ErrNotFound) {
			t.Errorf("the assistant still exists: %v", err)
		}
	})
	t.Run("runs", func(t *testing.T) {
		th, err := c.Threads.Create(ctx, threads.CreateParams{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := c.Runs.Wait(ctx, th.ThreadID, testserver.GraphAgent, runs.CreateParams{Input: chat("hi")})
		if err != nil {
			t.Fatal(err)
		}
		p.Add(faultproxy.Fault{Method: "DELETE", Path: "/threads/", Forward: true, Status: http.StatusBadGateway})
		if err := c.Runs.Delete(ctx, th.ThreadID, res.Run.RunID); err != nil {
			t.Fatalf("Delete after a lost answer = %v", err)
		}
		if _, err := alice.Runs.Get(ctx, th.ThreadID, res.Run.RunID); !errors.Is(err, langgraph.ErrNotFound) {
			t.Errorf("the run still exists: %v", err)
		}
	})
}

// TestAnswersThatCannotBeRight: an empty 200 where an object is due, an
// object without its id, and a cut answer are errors, never a zero value.
func TestAnswersThatCannotBeRight(t *testing.T) {
	ctx := live.Setup(t)
	p, c := proxied(t)
	th, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	empty, noID := "", `{"status":"idle","metadata":{}}`
	var re *langgraph.ResponseError

	p.Add(faultproxy.Fault{Method: "GET", Path: "/threads/", Body: &empty})
	if got, err := c.Threads.Get(ctx, th.ThreadID); !errors.As(err, &re) {
		t.Errorf("Get with an empty answer = %+v, %v; want a *langgraph.ResponseError", got, err)
	}
	p.Add(faultproxy.Fault{Method: "GET", Path: "/threads/", Body: &noID})
	if got, err := c.Threads.Get(ctx, th.ThreadID); !errors.As(err, &re) || !strings.Contains(re.Reason, "thread_id") {
		t.Errorf("Get with an answer without thread_id = %+v, %v; want a *langgraph.ResponseError", got, err)
	}
	p.Add(faultproxy.Fault{Method: "POST", Path: "/threads/" + th.ThreadID + "/runs", Forward: true, Body: &empty})
	if got, err := c.Runs.Create(ctx, th.ThreadID, testserver.GraphAgent, runs.CreateParams{Input: chat("x")}); !errors.As(err, &re) {
		t.Errorf("Create with an empty answer = %+v, %v; want a *langgraph.ResponseError", got, err)
	}
	waitIdle(ctx, t, c, th.ThreadID)
	p.Add(faultproxy.Fault{Method: "POST", Path: "/threads/" + th.ThreadID + "/runs/wait", Forward: true, Body: &empty})
	if got, err := c.Runs.Wait(ctx, th.ThreadID, testserver.GraphAgent, runs.CreateParams{Input: chat("y")}); !errors.As(err, &re) {
		t.Errorf("Wait with an empty answer = %+v, %v; want a *langgraph.ResponseError", got, err)
	}

	// A run create whose answer is cut: the run exists, and the error says
	// which it is.
	p.Add(faultproxy.Fault{Method: "POST", Path: "/threads/" + th.ThreadID + "/runs", Cut: 20})
	_, err = c.Runs.Create(ctx, th.ThreadID, testserver.GraphAgent, runs.CreateParams{Input: chat("z")})
	var ce *langgraph.ConnectionError
	if !errors.As(err, &ce) || !ce.Sent || ce.StatusCode != http.StatusOK || ce.Run.RunID == "" || ce.Run.ThreadID != th.ThreadID {
		t.Fatalf("Create with a cut answer = %#v; want a *langgraph.ConnectionError naming the run", err)
	}
	if r, err := c.Runs.Get(ctx, th.ThreadID, ce.Run.RunID); err != nil || r.RunID != ce.Run.RunID {
		t.Errorf("the run named by the error: %+v, %v", r, err)
	}
	if n := p.Count("POST", "/threads/"+th.ThreadID+"/runs"); n != 3 {
		t.Errorf("%d run creates and waits sent, want 3 (a create is never retried)", n)
	}
}

// waitIdle joins the thread's runs so that the next run is not refused as
// concurrent.
func waitIdle(ctx context.Context, t *testing.T, c *client.Client, threadID string) {
	t.Helper()
	rs, err := c.Runs.List(ctx, threadID, runs.ListParams{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if _, err := c.Runs.Join(ctx, threadID, r.RunID, runs.JoinParams{}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRedirectToAnotherOrigin: a run create redirected (307) to another
// origin is not followed: no input, no credential, no Referer goes there,
// and the error names the status and the target.
func TestRedirectToAnotherOrigin(t *testing.T) {
	ctx := live.Setup(t)
	var mu sync.Mutex
	var elsewhere []*http.Request
	other := httptestServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		elsewhere = append(elsewhere, r)
		mu.Unlock()
		_, _ = w.Write([]byte(`{"run_id":""}`))
	})
	p, c := proxied(t)
	th, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	p.Add(faultproxy.Fault{Method: "POST", Path: "/threads/" + th.ThreadID + "/runs", Redirect: other + "/steal?token=x"})
	run, err := c.Runs.Create(ctx, th.ThreadID, testserver.GraphAgent, runs.CreateParams{Input: chat("secret input")})
	var re *langgraph.RedirectError
	if !errors.As(err, &re) || re.StatusCode != http.StatusTemporaryRedirect || re.Location != other+"/steal" {
		t.Fatalf("Create = %+v, %v; want a *langgraph.RedirectError (307 to %s/steal)", run, err, other)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(elsewhere) != 0 {
		t.Errorf("the other origin got %d requests", len(elsewhere))
	}
}

func httptestServer(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL
}

// TestPerCallCredentials: with the service's own key in the environment, a
// client built WithPerCallCredentials never runs as that key's user; each
// call runs as the end user it names.
func TestPerCallCredentials(t *testing.T) {
	ctx := live.Setup(t)
	t.Setenv("LANGSMITH_API_KEY", testserver.APIKeyCarol) // a key the server accepts
	lax, err := client.New(langgraph.WithBaseURL(live.URL()))
	if err != nil {
		t.Fatal(err)
	}
	if th, err := lax.Threads.Create(ctx, threads.CreateParams{}); err != nil || th.Metadata["owner"] != "carol" {
		t.Fatalf("the default client runs as the environment's key: %+v, %v", th, err)
	}

	c, err := client.New(langgraph.WithBaseURL(live.URL()), langgraph.WithPerCallCredentials())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Threads.Create(ctx, threads.CreateParams{}); !errors.Is(err, langgraph.ErrNoCredentials) {
		t.Fatalf("Create without credentials = %v; want ErrNoCredentials", err)
	}
	if _, err := c.Runs.WaitStateless(ctx, testserver.GraphAgent, runs.CreateParams{Input: chat("x")}); !errors.Is(err, langgraph.ErrNoCredentials) {
		t.Fatalf("WaitStateless without credentials = %v; want ErrNoCredentials", err)
	}
	if _, err := c.Info(ctx); err != nil {
		t.Errorf("Info needs no credentials: %v", err)
	}
	var wg sync.WaitGroup
	for _, u := range []testserver.User{testserver.Alice, testserver.Bob, testserver.Dave} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var opt langgraph.Option
			if u.Token != "" {
				opt = langgraph.WithBearerToken(u.Token)
			} else {
				opt = langgraph.WithAPIKey(u.APIKey)
			}
			uctx := langgraph.ContextWithOptions(ctx, opt)
			th, err := c.Threads.Create(uctx, threads.CreateParams{})
			if err != nil || th.Metadata["owner"] != u.Identity {
				t.Errorf("%s: Create = %+v, %v", u.Identity, th, err)
				return
			}
			res, err := c.Runs.Wait(uctx, th.ThreadID, testserver.GraphAgent, runs.CreateParams{Input: chat("who")})
			if err != nil {
				t.Errorf("%s: Wait: %v", u.Identity, err)
				return
			}
			var v graphView
			if err := res.Decode(&v); err != nil || v.User["identity"] != u.Identity {
				t.Errorf("%s: the graph saw %v (%v)", u.Identity, v.User, err)
			}
		}()
	}
	wg.Wait()

	for _, bad := range [][]langgraph.Option{
		{langgraph.WithPerCallCredentials(), langgraph.WithAPIKey("k")},
		{langgraph.WithPerCallCredentials(), langgraph.WithBearerToken("t")},
		{langgraph.WithPerCallCredentials(), langgraph.WithHeader("Authorization", "Bearer t")},
	} {
		if _, err := client.New(append(bad, langgraph.WithBaseURL(live.URL()))...); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("New with per-call and client credentials = %v; want ErrInvalidArgument", err)
		}
	}
}

// TestDo: the escape hatch reaches routes the SDK has no method for, with
// the client's credentials, typed errors and path safety.
func TestDo(t *testing.T) {
	ctx := live.Setup(t)
	c := live.Client(t, testserver.Alice)
	var ok struct {
		OK bool `json:"ok"`
	}
	if err := c.Do(ctx, http.MethodGet, "/ok", nil, &ok); err != nil || !ok.OK {
		t.Fatalf("GET /ok = %+v, %v", ok, err)
	}
	anon := live.Client(t, testserver.User{})
	if err := anon.Do(ctx, http.MethodGet, "/ok", nil, &ok); !errors.Is(err, langgraph.ErrUnauthorized) {
		t.Errorf("GET /ok without credentials = %v; want ErrUnauthorized", err)
	}
	var th threads.Thread
	if err := c.Do(ctx, http.MethodPost, "/threads", map[string]any{"metadata": map[string]any{"via": "Do"}}, &th); err != nil || th.Metadata["via"] != "Do" {
		t.Fatalf("POST /threads = %+v, %v", th, err)
	}
	var found []threads.Thread
	if err := c.Do(ctx, http.MethodPost, "/threads/search?x=1", map[string]any{"metadata": map[string]any{"via": "Do"}}, &found); err != nil || len(found) != 1 {
		t.Errorf("POST /threads/search = %d threads, %v", len(found), err)
	}
	if err := c.Do(ctx, http.MethodGet, "/threads/"+th.ThreadID+"/nope", nil, nil); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("an unknown route = %v; want ErrNotFound", err)
	}
	for _, bad := range []string{"", "threads", "//evil.example/x", "http://evil.example/x", "/threads/../assistants", "/threads/%2e%2e/x",
		"/threads/%252e%252e/x", "/threads//x", "/a b", "/x#frag", "/x\r\nHost: y"} {
		if err := c.Do(ctx, http.MethodGet, bad, nil, nil); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("Do(%q) = %v; want ErrInvalidArgument", bad, err)
		}
	}
	if err := c.Do(ctx, "get me", "/ok", nil, nil); !errors.Is(err, langgraph.ErrInvalidArgument) {
		t.Errorf("a bad method = %v", err)
	}
}

// TestResponseMetadata: a call hands back its response's headers, and every
// paged search returns its page with the paging headers.
func TestResponseMetadata(t *testing.T) {
	ctx := live.Setup(t)
	c := live.Client(t, testserver.Alice)
	var resp langgraph.Response
	th, err := c.Threads.Create(ctx, threads.CreateParams{}, langgraph.WithResponse(&resp))
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		t.Fatalf("Create: %+v, response %+v", err, resp)
	}
	for range 3 {
		if _, err := c.Threads.Create(ctx, threads.CreateParams{Metadata: map[string]any{"page": "p"}}); err != nil {
			t.Fatal(err)
		}
	}
	page, err := c.Threads.SearchPage(ctx, threads.SearchParams{Metadata: map[string]any{"page": "p"}, Limit: 2, Offset: 1})
	if err != nil || len(page.Items) != 2 || page.Total != 1+3 {
		t.Errorf("Threads.SearchPage = %+v, %v; want 2 threads and total 4 (the JS server adds the offset to the 3 matches)", page, err)
	}
	_, err = c.Runs.Create(ctx, th.ThreadID, testserver.GraphAgent, runs.CreateParams{Input: chat("x")}, langgraph.WithResponse(&resp))
	if err != nil || !strings.HasPrefix(resp.Header.Get("Content-Location"), "/threads/"+th.ThreadID+"/runs/") {
		t.Errorf("Runs.Create: %v, Content-Location %q", err, resp.Header.Get("Content-Location"))
	}
	apage, err := c.Assistants.SearchPage(ctx, assistants.SearchParams{GraphID: testserver.GraphAgent, Limit: 1})
	if err != nil || len(apage.Items) != 1 || apage.Next != 1 || apage.Total != 2 {
		t.Errorf("Assistants.SearchPage = %+v, %v; want the agent's assistant, next 1 and total 2 (the JS server adds one when the matches fill the page)", apage, err)
	}
	if _, err := c.Threads.Get(ctx, th.ThreadID, langgraph.WithResponse(nil)); !errors.Is(err, langgraph.ErrInvalidArgument) {
		t.Errorf("WithResponse(nil) = %v", err)
	}
}
