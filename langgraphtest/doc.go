// Package langgraphtest is a fake LangGraph deployment for the tests of
// programs that use this SDK. It runs in the test's process (an
// httptest.Server), records every request it receives, and answers scripted
// runs and streams as the LangGraph server does, so that a service's handlers
// can be unit-tested without a deployment, Node or Python.
//
//	func TestChatHandler(t *testing.T) {
//		srv := langgraphtest.NewServer(t)
//		srv.Script("agent", langgraphtest.Run{
//			Events: []langgraphtest.Event{
//				langgraphtest.MessageChunk("agent", "run-1", "Hel"),
//				langgraphtest.MessageChunk("agent", "run-1", "lo"),
//			},
//			Values: map[string]any{"answer": "Hello"},
//		})
//		h := chat.NewHandler(srv.URL()) // the code under test
//		// ... call h with httptest.NewRecorder, check what it wrote ...
//		if got := srv.LastRequest().BearerToken(); got != "user-token" {
//			t.Errorf("the handler sent the run with token %q", got)
//		}
//	}
//
// # Graphs
//
// Script names a graph (and its assistant, of the same id) and the runs it
// plays in turn; ScriptFunc computes each run from the request that starts it
// (its input, command, thread state, user, headers). A Run lists the events
// it streams (Values, Updates, Custom, MessageChunk, or any Event) and ends
// with its final state, at interrupts, with an error, or refuses to start
// with an HTTP status. One script serves every way of running it: wait,
// stream (only the stream modes asked for are sent), background run and
// join, stateless or on a thread.
//
// # Answers
//
// The fake answers with the shapes of LangChain's JS LangGraph server, the
// one this module's own tests run against, checked by those tests against
// its recorded answers: threads with their status, values, interrupts and
// checkpoints; runs with their ids and Content-Location; event streams that
// open with a "metadata" event, number their events from 0 (stateless runs
// excepted) and end by closing, without an "end" event; a wait that stops at
// an interrupt answers {"__interrupt__": [...]}, one that fails answers 200
// with {"__error__": ...}; errors are text/plain. A stream of a run created
// with stream_resumable can be joined again from any event id
// (Last-Event-ID), and the events of a background run go to its first joiner,
// as on that server.
//
// AddUser turns on authentication (Bearer token or x-api-key) and scopes
// threads to the user who created them, as the custom auth of most
// deployments does; Requests and LastRequest show what was sent, with which
// credentials. Handle and Fail replace the answer of a route, e.g. to test
// how the code under test copes with a server error.
//
// # Limits
//
// Runs end as soon as they start: a thread is never busy, cancelling a run
// changes nothing, and a background run has ended by the time it can be
// read. A thread keeps a checkpoint for each run's input, one before each
// step its "updates" events show, and one at its end. The assistants are the
// scripted graphs' own, read-only; crons and the other routes the fake does
// not serve answer 404 (Handle serves them).
package langgraphtest
