package client_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"path"
	"sync"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/threads"
)

// fakeDeployment plays a tiny part of a LangGraph deployment with custom auth,
// so that the examples run: it maps credentials to users, answers
// POST /threads/search with the user's one thread, any other path with a 404,
// and unknown or missing credentials with a 401, in text/plain as the JS
// server does. Against a real deployment, pass its URL to WithBaseURL instead.
func fakeDeployment() *httptest.Server {
	users := map[string]string{
		"Authorization: Bearer alice-token": "alice",
		"Authorization: Bearer bob-token":   "bob",
		"X-Api-Key: carol-key":              "carol",
		"X-Service-Key: svc-secret":         "service",
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var user string
		for _, h := range []string{"Authorization", "X-Api-Key", "X-Service-Key"} {
			if u, ok := users[h+": "+r.Header.Get(h)]; ok && user == "" {
				user = u
			}
		}
		switch {
		case user == "":
			http.Error(w, "Invalid token", http.StatusUnauthorized)
		case r.Method == http.MethodPost && r.URL.Path == "/threads/search":
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `[{"thread_id":%q,"metadata":{"owner":%q}}]`, user+"-thread-1", user)
		default:
			http.Error(w, "Thread with ID "+path.Base(r.URL.Path)+" not found", http.StatusNotFound)
		}
	}))
}

func printThreads(ts []threads.Thread) {
	for _, t := range ts {
		fmt.Println(t.ThreadID)
	}
}

// A client that acts as one end user of a deployment with custom auth: every
// request carries "Authorization: Bearer <token>", and the server shows that
// user only their own threads.
func ExampleNew() {
	srv := fakeDeployment()
	defer srv.Close()

	c, err := client.New(
		langgraph.WithBaseURL(srv.URL), // e.g. "http://localhost:8123"
		langgraph.WithBearerToken("alice-token"),
	)
	if err != nil {
		log.Fatal(err)
	}
	ts, err := c.Threads.Search(context.Background(), threads.SearchParams{Limit: 10})
	if err != nil {
		log.Fatal(err)
	}
	printThreads(ts)
	// Output:
	// alice-thread-1
}

// An API key goes in the x-api-key header. Without WithAPIKey, New reads
// LANGGRAPH_API_KEY, LANGSMITH_API_KEY or LANGCHAIN_API_KEY; WithoutAPIKey
// sends none.
func ExampleNew_apiKey() {
	srv := fakeDeployment()
	defer srv.Close()

	c, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithAPIKey("carol-key"))
	if err != nil {
		log.Fatal(err)
	}
	ts, err := c.Threads.Search(context.Background(), threads.SearchParams{})
	if err != nil {
		log.Fatal(err)
	}
	printThreads(ts)
	// Output:
	// carol-thread-1
}

// Default headers go with every request, for instance a custom credential
// that the deployment's auth handler reads. Like all credentials, they are
// sent only to the base URL's origin, never after a redirect elsewhere.
func ExampleNew_headers() {
	srv := fakeDeployment()
	defer srv.Close()

	c, err := client.New(
		langgraph.WithBaseURL(srv.URL),
		langgraph.WithoutAPIKey(),
		langgraph.WithHeader("X-Service-Key", "svc-secret"),
		langgraph.WithHeaders(map[string]string{"X-Tenant": "acme", "X-Region": "eu"}),
	)
	if err != nil {
		log.Fatal(err)
	}
	ts, err := c.Threads.Search(context.Background(), threads.SearchParams{})
	if err != nil {
		log.Fatal(err)
	}
	printThreads(ts)
	// Output:
	// service-thread-1
}

// A token source supplies the bearer token of each request, for tokens that
// expire. After a 401 the client calls it once more with the refused token and
// retries the request once with the new one.
func ExampleWithTokenSource() {
	srv := fakeDeployment()
	defer srv.Close()

	var mu sync.Mutex
	cached := "expired-token"
	tokens := langgraph.TokenSourceFunc(func(ctx context.Context, rejected string) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if rejected != "" && rejected == cached {
			fmt.Println("refreshing the token")
			cached = "alice-token" // in real code: ask the identity provider
		}
		return cached, nil
	})

	c, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithTokenSource(tokens))
	if err != nil {
		log.Fatal(err)
	}
	for range 2 {
		ts, err := c.Threads.Search(context.Background(), threads.SearchParams{})
		if err != nil {
			log.Fatal(err)
		}
		printThreads(ts)
	}
	// Output:
	// refreshing the token
	// alice-thread-1
	// alice-thread-1
}

// One client can act for many end users: credentials given to a call, or
// attached to the call's context with langgraph.ContextWithOptions, replace
// the client's own for that call only.
func Example_perCallCredentials() {
	srv := fakeDeployment()
	defer srv.Close()

	c, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithoutAPIKey())
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	// As a call option.
	ts, err := c.Threads.Search(ctx, threads.SearchParams{}, langgraph.WithBearerToken("alice-token"))
	if err != nil {
		log.Fatal(err)
	}
	printThreads(ts)

	// On the context, e.g. in an HTTP middleware that knows the end user:
	// every call made with this context runs as Bob.
	bobCtx := langgraph.ContextWithOptions(ctx, langgraph.WithBearerToken("bob-token"))
	ts, err = c.Threads.Search(bobCtx, threads.SearchParams{})
	if err != nil {
		log.Fatal(err)
	}
	printThreads(ts)
	// Output:
	// alice-thread-1
	// bob-thread-1
}

// Failed responses are *langgraph.APIError values that match the sentinel
// errors with errors.Is; errors.As gives the status, the server's message and
// the request id. An unreachable server gives a *langgraph.ConnectionError.
func Example_errors() {
	srv := fakeDeployment()
	defer srv.Close()
	ctx := context.Background()

	anonymous, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithoutAPIKey())
	if err != nil {
		log.Fatal(err)
	}
	_, err = anonymous.Threads.Search(ctx, threads.SearchParams{})
	fmt.Println("unauthorized:", errors.Is(err, langgraph.ErrUnauthorized))

	c, err := client.New(langgraph.WithBaseURL(srv.URL), langgraph.WithBearerToken("alice-token"))
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.Threads.Get(ctx, "no-such-thread")
	switch {
	case errors.Is(err, langgraph.ErrNotFound):
		var apiErr *langgraph.APIError
		if errors.As(err, &apiErr) {
			fmt.Println(apiErr.StatusCode, apiErr.Method, apiErr.Message)
		}
	case err != nil:
		var connErr *langgraph.ConnectionError
		if errors.As(err, &connErr) {
			fmt.Println("server down:", connErr.URL)
		}
	}
	// Output:
	// unauthorized: true
	// 404 GET Thread with ID no-such-thread not found
}
