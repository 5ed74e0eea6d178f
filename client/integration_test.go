package client_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

// live is the package's LangGraph test server; nil with -short, and then the
// integration tests skip.
var live *testserver.Server

// TestMain starts the test server for the integration tests (the only
// TestMain of package client).
func TestMain(m *testing.M) { os.Exit(testserver.Main(m, &live)) }

func chat(text string) map[string]any {
	return map[string]any{"messages": []any{map[string]any{"role": "human", "content": text}}}
}

// graphView is what the agent graph records: its messages, the auth user and
// the x-* configurable keys.
type graphView struct {
	Messages []struct {
		Content string `json:"content"`
	} `json:"messages"`
	User    map[string]any `json:"user"`
	Headers map[string]any `json:"headers"`
}

// runAgent runs the agent graph on a new thread and returns what it saw.
func runAgent(ctx context.Context, t *testing.T, c *client.Client, opts ...langgraph.Option) graphView {
	t.Helper()
	th, err := c.Threads.Create(ctx, threads.CreateParams{}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	res, err := c.Runs.Wait(ctx, th.ThreadID, testserver.GraphAgent, runs.CreateParams{Input: chat("who am I?")}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	var v graphView
	if err := res.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if n := len(v.Messages); n != 2 || v.Messages[1].Content != "You said: who am I?" {
		t.Errorf("messages = %+v", v.Messages)
	}
	return v
}

func threadIDs(ts []threads.Thread) []string {
	out := make([]string, 0, len(ts))
	for _, th := range ts {
		out = append(out, th.ThreadID)
	}
	sort.Strings(out)
	return out
}

func TestIntegrationInfo(t *testing.T) {
	ctx := live.Setup(t)
	info, err := live.Client(t, testserver.User{}).Info(ctx)
	if err != nil {
		t.Fatalf("Info without credentials: %v", err)
	}
	if info.Version == "" || info.Context != "js" || info.Flags["assistants"] != true || len(info.Raw) == 0 {
		t.Errorf("info = %+v", info)
	}
}

func TestIntegrationRefusedCredentials(t *testing.T) {
	ctx := live.Setup(t)
	for _, tc := range []struct {
		name    string
		c       *client.Client
		message string
		secret  string
	}{
		{"none", live.Client(t, testserver.User{}), "Missing credentials", ""},
		{"expired token", live.Client(t, testserver.User{}, langgraph.WithBearerToken(testserver.TokenExpired)), "Token expired", testserver.TokenExpired},
		{"unknown token", live.Client(t, testserver.User{}, langgraph.WithBearerToken("token-mallory")), "Invalid token", "token-mallory"},
		{"unknown API key", live.Client(t, testserver.User{APIKey: "key-mallory"}), "Invalid API key", "key-mallory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.c.Threads.Search(ctx, threads.SearchParams{})
			if !errors.Is(err, langgraph.ErrUnauthorized) {
				t.Fatalf("Search = %v, want ErrUnauthorized", err)
			}
			var apiErr *langgraph.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 || apiErr.Message != tc.message || apiErr.Method != "POST" {
				t.Errorf("error = %+v, want a 401 APIError with message %q", apiErr, tc.message)
			}
			if tc.name == "none" && apiErr.Header.Get("WWW-Authenticate") != "Bearer" {
				t.Errorf("WWW-Authenticate = %q", apiErr.Header.Get("WWW-Authenticate"))
			}
			if tc.secret != "" && strings.Contains(err.Error(), tc.secret) {
				t.Errorf("the error string shows the credential: %q", err)
			}
			// Every route needs credentials, except /info.
			_, err = tc.c.Runs.WaitStateless(ctx, testserver.GraphAgent, runs.CreateParams{Input: chat("x")})
			if !errors.Is(err, langgraph.ErrUnauthorized) {
				t.Errorf("WaitStateless = %v, want ErrUnauthorized", err)
			}
			if _, err := tc.c.Info(ctx); err != nil {
				t.Errorf("Info = %v", err)
			}
		})
	}
}

// TestIntegrationUsersSeeOnlyTheirThreads covers Bearer and x-api-key users.
func TestIntegrationUsersSeeOnlyTheirThreads(t *testing.T) {
	for _, pair := range [][2]testserver.User{{testserver.Alice, testserver.Bob}, {testserver.Carol, testserver.Dave}} {
		owner, other := pair[0], pair[1]
		t.Run(owner.Identity+"/"+other.Identity, func(t *testing.T) {
			ctx := live.Setup(t)
			oc, xc := live.Client(t, owner), live.Client(t, other)
			var mine []string
			for i := range 3 {
				th, err := oc.Threads.Create(ctx, threads.CreateParams{Metadata: map[string]any{"n": i}})
				if err != nil {
					t.Fatal(err)
				}
				if th.Metadata["owner"] != owner.Identity {
					t.Errorf("owner = %v, want %s", th.Metadata["owner"], owner.Identity)
				}
				mine = append(mine, th.ThreadID)
			}
			sort.Strings(mine)
			theirs, err := xc.Threads.Create(ctx, threads.CreateParams{})
			if err != nil {
				t.Fatal(err)
			}

			found, err := oc.Threads.Search(ctx, threads.SearchParams{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(threadIDs(found), mine) {
				t.Errorf("%s's Search = %v, want %v", owner.Identity, threadIDs(found), mine)
			}
			found, err = xc.Threads.Search(ctx, threads.SearchParams{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(threadIDs(found), []string{theirs.ThreadID}) {
				t.Errorf("%s's Search = %v, want only %s", other.Identity, threadIDs(found), theirs.ThreadID)
			}
			if n, err := xc.Threads.Count(ctx, threads.CountParams{Metadata: map[string]any{"owner": owner.Identity}}); err != nil || n != 0 {
				t.Errorf("%s counts %d of %s's threads (%v)", other.Identity, n, owner.Identity, err)
			}
			for _, id := range mine {
				_, err := xc.Threads.Get(ctx, id)
				var apiErr *langgraph.APIError
				if !errors.Is(err, langgraph.ErrNotFound) || !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
					t.Errorf("%s Get(%s's thread) = %v, want ErrNotFound", other.Identity, owner.Identity, err)
				}
			}
			if _, err := xc.Threads.Update(ctx, mine[0], threads.UpdateParams{Metadata: map[string]any{"x": 1}}); !errors.Is(err, langgraph.ErrNotFound) {
				t.Errorf("Update = %v, want ErrNotFound", err)
			}
			if err := xc.Threads.Delete(ctx, mine[0]); !errors.Is(err, langgraph.ErrNotFound) {
				t.Errorf("Delete = %v, want ErrNotFound", err)
			}
			if _, err := oc.Threads.Get(ctx, mine[0]); err != nil {
				t.Errorf("the owner lost the thread: %v", err)
			}
		})
	}
}

func TestIntegrationHeadersReachTheGraph(t *testing.T) {
	ctx := live.Setup(t)
	c := live.Client(t, testserver.Alice, langgraph.WithHeader("x-tenant", "t1"))
	v := runAgent(ctx, t, c, langgraph.WithHeader("x-request-tag", "call-1"))
	if v.Headers["x-tenant"] != "t1" || v.Headers["x-request-tag"] != "call-1" {
		t.Errorf("the graph saw headers %v, want x-tenant=t1 (client) and x-request-tag=call-1 (call)", v.Headers)
	}
	// A per-call header overrides the client's.
	v = runAgent(ctx, t, c, langgraph.WithHeader("x-tenant", "t2"))
	if v.Headers["x-tenant"] != "t2" {
		t.Errorf("x-tenant = %v, want t2 from the call", v.Headers["x-tenant"])
	}
	// The server keeps the API key out of the configurable.
	v = runAgent(ctx, t, live.Client(t, testserver.Carol, langgraph.WithHeader("x-tenant", "t3")))
	if v.Headers["x-tenant"] != "t3" {
		t.Errorf("carol's headers = %v", v.Headers)
	}
	if _, leaked := v.Headers["x-api-key"]; leaked {
		t.Errorf("the graph saw the API key: %v", v.Headers)
	}
}

func TestIntegrationAuthUserReachesTheGraph(t *testing.T) {
	ctx := live.Setup(t)
	for _, u := range []testserver.User{testserver.Alice, testserver.Carol} {
		v := runAgent(ctx, t, live.Client(t, u))
		want := map[string]any{
			"identity":         u.Identity,
			"display_name":     u.DisplayName,
			"github_token":     u.GitHubToken,
			"org":              u.Org,
			"permissions":      []any{},
			"is_authenticated": true,
		}
		if !sameJSON(v.User, want) {
			t.Errorf("%s: langgraph_auth_user = %v, want %v", u.Identity, v.User, want)
		}
	}
}

func sameJSON(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range b {
		av, ok := a[k]
		if !ok {
			return false
		}
		if l, isList := v.([]any); isList {
			al, _ := av.([]any)
			if len(l) != 0 || al == nil || len(al) != 0 {
				return false
			}
			continue
		}
		if av != v {
			return false
		}
	}
	return true
}

func TestIntegrationPerCallCredentials(t *testing.T) {
	ctx := live.Setup(t)
	alice := live.Client(t, testserver.Alice)
	bob := live.Client(t, testserver.Bob)
	asBob := langgraph.WithBearerToken(testserver.TokenBob)
	own, err := alice.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		t.Fatal(err)
	}

	// One call of alice's client acts as bob.
	th, err := alice.Threads.Create(ctx, threads.CreateParams{Metadata: map[string]any{"via": "option"}}, asBob)
	if err != nil {
		t.Fatal(err)
	}
	if th.Metadata["owner"] != "bob" {
		t.Errorf("owner = %v, want bob", th.Metadata["owner"])
	}
	if _, err := alice.Threads.Get(ctx, th.ThreadID); !errors.Is(err, langgraph.ErrNotFound) {
		t.Errorf("alice Get(bob's thread) = %v, want ErrNotFound", err)
	}
	if got, err := bob.Threads.Get(ctx, th.ThreadID); err != nil || got.Metadata["via"] != "option" {
		t.Errorf("bob Get = %+v, %v", got, err)
	}
	if got, err := alice.Threads.Get(ctx, th.ThreadID, asBob); err != nil || got.ThreadID != th.ThreadID {
		t.Errorf("alice's client as bob: Get = %+v, %v", got, err)
	}
	if v := runAgent(ctx, t, alice, asBob); v.User["identity"] != "bob" || v.User["github_token"] != "gh-bob-secret" {
		t.Errorf("a run as bob through alice's client saw %v", v.User)
	}

	// The same through the context: every call made with it is bob's.
	bobCtx := langgraph.ContextWithOptions(ctx, asBob)
	mine, err := alice.Threads.Create(bobCtx, threads.CreateParams{Metadata: map[string]any{"via": "context"}})
	if err != nil {
		t.Fatal(err)
	}
	found, err := alice.Threads.Search(bobCtx, threads.SearchParams{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		if f.Metadata["owner"] != "bob" {
			t.Errorf("Search as bob returned %s owned by %v", f.ThreadID, f.Metadata["owner"])
		}
	}
	if !slices.Contains(threadIDs(found), mine.ThreadID) || !slices.Contains(threadIDs(found), th.ThreadID) {
		t.Errorf("Search as bob = %v, want both of bob's threads", threadIDs(found))
	}
	// A call option still beats the context.
	if got, err := alice.Threads.Search(bobCtx, threads.SearchParams{Limit: 100}, langgraph.WithBearerToken(testserver.TokenAlice)); err != nil || !slices.Equal(threadIDs(got), []string{own.ThreadID}) {
		t.Errorf("alice's threads with a call option over bob's context = %v, %v; want [%s]", threadIDs(got), err, own.ThreadID)
	}
	// The client itself is still alice.
	if n, err := alice.Threads.Count(ctx, threads.CountParams{}); err != nil || n != 1 {
		t.Errorf("alice's Count = %d, %v; want 1", n, err)
	}

	// An API key per call: the server prefers a Bearer token, so the
	// client's token must be dropped for the key to count.
	asCarol := []langgraph.Option{langgraph.WithHeader("Authorization", ""), langgraph.WithAPIKey(testserver.APIKeyCarol)}
	if v := runAgent(ctx, t, alice, asCarol...); v.User["identity"] != "carol" {
		t.Errorf("a run with carol's key saw %v", v.User)
	}
	th, err = alice.Threads.Create(ctx, threads.CreateParams{}, langgraph.WithAPIKey(testserver.APIKeyCarol))
	if err != nil {
		t.Fatal(err)
	}
	if th.Metadata["owner"] != "alice" {
		t.Errorf("with both a token and a key the owner is %v, want alice (the Bearer token wins)", th.Metadata["owner"])
	}
}

// tokenSource returns TokenExpired first, then TokenAlice once the expired
// token was rejected, and records how it was called.
type tokenSource struct {
	mu       sync.Mutex
	rejected []string
	fresh    bool
	always   string // when set, the only token it returns
}

func (s *tokenSource) Token(ctx context.Context, rejected string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rejected = append(s.rejected, rejected)
	if s.always != "" {
		return s.always, nil
	}
	if rejected != "" {
		s.fresh = true
	}
	if s.fresh {
		return testserver.TokenAlice, nil
	}
	return testserver.TokenExpired, nil
}

func (s *tokenSource) calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.rejected)
}

func TestIntegrationTokenRefresh(t *testing.T) {
	ctx := live.Setup(t)
	ts := &tokenSource{}
	c := live.Client(t, testserver.User{}, langgraph.WithTokenSource(ts))
	th, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		t.Fatalf("Create with a token that expired: %v", err)
	}
	if th.Metadata["owner"] != "alice" {
		t.Errorf("owner = %v, want alice", th.Metadata["owner"])
	}
	if got := ts.calls(); !slices.Equal(got, []string{"", testserver.TokenExpired}) {
		t.Errorf("token source calls (rejected) = %q, want one refresh after %q", got, testserver.TokenExpired)
	}
	// Next call: the fresh token, no refresh.
	if _, err := c.Threads.Get(ctx, th.ThreadID); err != nil {
		t.Fatal(err)
	}
	if got := ts.calls(); !slices.Equal(got, []string{"", testserver.TokenExpired, ""}) {
		t.Errorf("token source calls = %q", got)
	}
	// A run is created once, even though its first attempt was refused.
	ts2 := &tokenSource{}
	c2 := live.Client(t, testserver.User{}, langgraph.WithTokenSource(ts2))
	if v := runAgent(ctx, t, c2); v.User["identity"] != "alice" {
		t.Errorf("run user = %v", v.User)
	}

	// A source that keeps giving the expired token: one refresh, then 401.
	stuck := &tokenSource{always: testserver.TokenExpired}
	_, err = live.Client(t, testserver.User{}, langgraph.WithTokenSource(stuck)).Threads.Search(ctx, threads.SearchParams{})
	var apiErr *langgraph.APIError
	if !errors.Is(err, langgraph.ErrUnauthorized) || !errors.As(err, &apiErr) || apiErr.Message != "Token expired" {
		t.Errorf("Search with a stuck source = %v, want 401 Token expired", err)
	}
	if got := stuck.calls(); !slices.Equal(got, []string{"", testserver.TokenExpired}) {
		t.Errorf("stuck source calls = %q, want exactly one refresh", got)
	}
	if strings.Contains(err.Error(), testserver.TokenExpired) {
		t.Errorf("error string shows the token: %q", err)
	}
}
