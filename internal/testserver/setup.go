package testserver

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
)

// setupTimeout bounds each integration test that starts with Setup.
const setupTimeout = 90 * time.Second

// Setup starts an integration test: it skips the test when s is nil (Main
// started no server: -short or LANGGRAPH_SKIP_INTEGRATION=1), resets the
// server's state and returns a context that ends with the test (after 90 s
// at most).
//
//	func TestX(t *testing.T) {
//		ctx := srv.Setup(t)
//		c := srv.Client(t, testserver.Alice)
func (s *Server) Setup(t testing.TB) context.Context {
	t.Helper()
	if s == nil {
		t.Skip("integration test: no test server (-short or " + SkipEnv + "=1)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), setupTimeout)
	t.Cleanup(cancel)
	if err := s.Reset(ctx); err != nil {
		t.Fatalf("reset: %v\n%s", err, s.Log())
	}
	return ctx
}

// Client returns a client of the server that authenticates as u (the zero
// User sends no credentials) and reads no API key from the environment. It
// has connections of its own, closed when the test ends, so that goroutine
// leak checks see none. opts come after these: e.g. langgraph.WithBaseURL
// points it at a proxy, langgraph.WithPerCallCredentials (with the zero
// User) makes a client for per-call credentials.
func (s *Server) Client(t testing.TB, u User, opts ...langgraph.Option) *client.Client {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	all := append([]langgraph.Option{
		langgraph.WithBaseURL(s.URL()),
		langgraph.WithHeader("X-Api-Key", ""), // none from the environment
		langgraph.WithHTTPClient(&http.Client{Transport: tr}),
		u.Option(),
	}, opts...)
	c, err := client.New(all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Option returns u's credentials as an option for a client, a call or a
// context: langgraph.WithBearerToken or langgraph.WithAPIKey; the zero
// User's does nothing.
func (u User) Option() langgraph.Option {
	switch {
	case u.Token != "":
		return langgraph.WithBearerToken(u.Token)
	case u.APIKey != "":
		return langgraph.WithAPIKey(u.APIKey)
	}
	return langgraph.Options()
}
