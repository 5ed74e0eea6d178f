package crons_test

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/crons"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/threads"
)

// srv is the package's LangGraph test server; nil with -short or when
// LANGGRAPH_SKIP_INTEGRATION=1, and then the integration tests skip.
var srv *testserver.Server

func TestMain(m *testing.M) { os.Exit(testserver.Main(m, &srv)) }

// The JS server stubs crons: every cron call comes back as a typed error
// that says which way the server refused.
func TestIntegrationJSServerErrors(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice, langgraph.WithMaxRetries(0))
	th, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	const someID = "6f0d3a55-8f3e-4d0e-9d7c-2f3c4e5a6b7c"

	type result struct {
		name   string
		err    error
		target error
		status int
		msg    string
	}
	var results []result
	_, err = c.Crons.Search(ctx, crons.SearchParams{Limit: 5})
	results = append(results, result{"search", err, langgraph.ErrServer, 500, "Not implemented"})
	for _, e := range c.Crons.SearchAll(ctx, crons.SearchParams{}) {
		err = e
	}
	results = append(results, result{"search all", err, langgraph.ErrServer, 500, "Not implemented"})
	err = c.Crons.Delete(ctx, someID)
	results = append(results, result{"delete", err, langgraph.ErrServer, 500, "Not implemented"})
	_, err = c.Crons.Update(ctx, someID, crons.UpdateParams{ClearEndTime: true})
	results = append(results, result{"update", err, langgraph.ErrNotFound, 404, ""})
	_, err = c.Crons.Count(ctx, crons.CountParams{})
	results = append(results, result{"count", err, langgraph.ErrNotFound, 404, ""})
	// The stub's schema wants a thread_id in the body, which neither SDK
	// sends: the create calls fail validation before reaching the stub.
	_, err = c.Crons.Create(ctx, someID, crons.CreateParams{Schedule: "0 0 1 1 *"})
	results = append(results, result{"create", err, langgraph.ErrBadRequest, 400, ""})
	_, err = c.Crons.CreateForThread(ctx, th.ThreadID, someID, crons.CreateParams{Schedule: "0 0 1 1 *"})
	results = append(results, result{"create for thread", err, langgraph.ErrBadRequest, 400, ""})

	for _, r := range results {
		var apiErr *langgraph.APIError
		if !errors.Is(r.err, r.target) || !errors.As(r.err, &apiErr) {
			t.Errorf("%s: err = %v, want an *APIError matching %v", r.name, r.err, r.target)
			continue
		}
		if apiErr.StatusCode != r.status || !strings.Contains(apiErr.Message, r.msg) {
			t.Errorf("%s: status %d message %q, want %d and %q", r.name, apiErr.StatusCode, apiErr.Message, r.status, r.msg)
		}
	}
}
