package runs_test

// Observers (langgraph.WithObserver) on runs: one call per Stream or Wait,
// whatever the reconnects and retries, with the run's ids, its events and
// how it ended.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/internal/faultproxy"
	"github.com/langgraph-go/langgraph/internal/obstest"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/runs"
)

// TestObservedStreamCutTwice: a stream cut twice (a Python-like server
// that names a Location and ends with an "end" event) is one call with two
// reconnects and every event counted once.
func TestObservedStreamCutTwice(t *testing.T) {
	noLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch n {
		case 0:
			w.Header().Set("Location", "/threads/t1/runs/r1/stream")
			w.Header().Set("Content-Location", "/threads/t1/runs/r1")
			sseHeader(w)
			writeFlush(w, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 0\n\nevent: values\ndata: {\"n\":1}\nid: 1\n\n")
			abort()
		case 1:
			sseHeader(w)
			writeFlush(w, "event: values\ndata: {\"n\":1}\nid: 1\n\nevent: values\ndata: {\"n\":2}\nid: 2\n\n")
			abort()
		default:
			sseHeader(w)
			writeFlush(w, "event: values\ndata: {\"n\":3}\nid: 3\n\nevent: end\ndata: null\nid: 4\n\n")
		}
	})
	var rec obstest.Recorder
	c := f.Client(fakeAuth, langgraph.WithObserver(&rec))
	out, err := collect(c.Runs.Stream(context.Background(), "t1", "agent", runs.StreamParams{Reconnect: fastReconnect}))
	if err != nil || len(out) != 5 {
		t.Fatalf("got %v, %v", out, err)
	}
	calls := rec.Calls()
	if len(calls) != 1 {
		t.Fatalf("%d calls, want 1", len(calls))
	}
	call := calls[0]
	want := langgraph.CallInfo{Method: "POST", Route: "/threads/{thread_id}/runs/stream", BaseURL: f.URL(), ThreadID: "t1", AssistantID: "agent", StartsRun: true, Stream: true}
	if call.Info != want {
		t.Errorf("info = %+v, want %+v", call.Info, want)
	}
	wantLog := strings.Join([]string{
		"attempt 1 200 retry=false", "run", "event metadata", "event values",
		"reconnect", "attempt 2 200 retry=false", "event values",
		"reconnect", "attempt 3 200 retry=false", "event values", "event end", "end",
	}, "\n")
	if got := call.Log(); got != wantLog {
		t.Errorf("hooks:\n%s\nwant\n%s", got, wantLog)
	}
	end, _ := call.End()
	if end.Err != nil || end.Events != 5 || end.Reconnects != 2 || end.Attempts != 3 || end.Run != (langgraph.RunRef{RunID: "r1", ThreadID: "t1"}) || end.Stopped || end.Interrupted {
		t.Errorf("end = %+v", end)
	}
	rcs := call.Reconnects()
	if rcs[0].LastEventID != "1" || rcs[1].LastEventID != "2" || rcs[0].Cause == nil {
		t.Errorf("reconnects = %+v", rcs)
	}
}

// TestObservedStreamEnds: how a stream ended reaches the observer: a failed
// run, an interrupted one, a caller that stopped ranging.
func TestObservedStreamEnds(t *testing.T) {
	noLeaks(t)
	bodies := map[string]string{
		"/threads/t1/runs/stream": "event: metadata\ndata: {\"run_id\":\"r1\"}\n\nevent: error\ndata: {\"error\":\"CustomError\",\"message\":\"Boo!\"}\n\n",
		"/threads/t2/runs/stream": "event: metadata\ndata: {\"run_id\":\"r2\"}\n\nevent: values\ndata: {\"a\":1}\n\nevent: values\ndata: {\"a\":1,\"__interrupt__\":[{\"value\":\"approve?\"}]}\n\n",
		"/threads/t3/runs/stream": "event: metadata\ndata: {\"run_id\":\"r3\"}\n\nevent: values\ndata: {\"a\":1}\n\nevent: values\ndata: {\"a\":2}\n\n",
	}
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		sseHeader(w)
		writeFlush(w, bodies[r.URL.Path])
	})
	var rec obstest.Recorder
	c := f.Client(fakeAuth, langgraph.WithObserver(&rec))
	ctx := context.Background()
	p := runs.StreamParams{Reconnect: fastReconnect}

	_, err := collect(c.Runs.Stream(ctx, "t1", "error", p))
	var re *langgraph.RunError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v", err)
	}
	_, _ = collect(c.Runs.Stream(ctx, "t2", "interrupt", p))
	for range c.Runs.Stream(ctx, "t3", "agent", p) {
		break
	}
	calls := rec.Calls()
	if len(calls) != 3 {
		t.Fatalf("%d calls", len(calls))
	}
	if end, _ := calls[0].End(); end.Err != err || end.Run.RunID != "r1" || end.Events != 2 || end.Interrupted {
		t.Errorf("failed run: end = %+v", end)
	}
	if end, _ := calls[1].End(); end.Err != nil || !end.Interrupted || end.Run.RunID != "r2" || end.Events != 3 {
		t.Errorf("interrupted run: end = %+v", end)
	}
	if end, _ := calls[2].End(); end.Err != nil || !end.Stopped || end.Events != 1 || end.Run.RunID != "r3" {
		t.Errorf("stopped stream: end = %+v", end)
	}
}

// TestObserverAgainstServer: against the real server, a Wait retried by a
// 503 from a proxy is one call; a failed and an interrupted run mark how
// their call ended; a cut Wait's join and a stream's status read nest under
// their call; no credential reaches an observer.
func TestObserverAgainstServer(t *testing.T) {
	noLeaks(t)
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	proxy := faultproxy.New(t, srv.URL())
	var rec obstest.Recorder
	pc := srv.Client(t, testserver.Alice, langgraph.WithBaseURL(proxy.URL), langgraph.WithObserver(&rec),
		langgraph.WithRetryWait(1e6, 2e6))
	tid := newThreadID(t, ctx, c)

	// A read retried after a 503: one call, two attempts.
	proxy.Add(faultproxy.Fault{Method: "GET", Path: "/threads/" + tid, Status: http.StatusServiceUnavailable})
	if _, err := pc.Threads.Get(ctx, tid); err != nil {
		t.Fatal(err)
	}
	calls := rec.Calls()
	if len(calls) != 1 || calls[0].Log() != "attempt 1 503 retry=true\nattempt 2 200 retry=false\nend" || calls[0].Info.ThreadID != tid {
		t.Fatalf("calls %v: %s", calls, calls[0].Log())
	}

	// A failed run.
	rec.Reset()
	_, err := pc.Runs.Wait(ctx, tid, "error", runs.CreateParams{Input: map[string]any{}})
	var re *langgraph.RunError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v", err)
	}
	calls = rec.Calls()
	end, _ := calls[0].End()
	if len(calls) != 1 || end.Err != err || end.Run.RunID == "" || end.Run.ThreadID != tid || calls[0].Info.AssistantID != "error" || !calls[0].Info.StartsRun {
		t.Errorf("failed run: %v, end %+v, info %+v", calls, end, calls[0].Info)
	}

	// An interrupted run.
	rec.Reset()
	tid2 := newThreadID(t, ctx, c)
	res, err := pc.Runs.Wait(ctx, tid2, "interrupt", runs.CreateParams{Input: map[string]any{}})
	if err != nil || !res.Interrupted() {
		t.Fatalf("%v, %v", res, err)
	}
	if end, _ := rec.Calls()[0].End(); end.Err != nil || !end.Interrupted || end.Run.RunID != res.Run.RunID {
		t.Errorf("interrupted run: end %+v", end)
	}

	// A Wait whose answer is cut joins its run: the join nests under the
	// Wait's call.
	rec.Reset()
	tid3 := newThreadID(t, ctx, c)
	proxy.Add(faultproxy.Fault{Method: "POST", Path: "/threads/" + tid3 + "/runs/wait", Cut: 1})
	if _, err := pc.Runs.Wait(ctx, tid3, "agent", runs.CreateParams{Input: agentIn}); err != nil {
		t.Fatal(err)
	}
	// (The join reads the thread to settle the run's result: that nests
	// under the join.)
	calls = rec.Calls()
	if len(calls) < 2 || calls[1].Parent != calls[0] || calls[1].Info.Route != "/threads/{thread_id}/runs/{run_id}/join" {
		t.Errorf("calls of a cut wait: %v", calls)
	}
	for _, cl := range calls[2:] {
		if cl.Parent != calls[1] {
			t.Errorf("%v does not nest under the join", cl)
		}
	}

	// The stream of a resumable run: one call, and the read of the run's
	// status at its end nests under it.
	rec.Reset()
	p := runs.StreamParams{Reconnect: fastReconnect}
	p.Input, p.StreamResumable = agentIn, true
	parts := streamAll(t, pc.Runs.Stream(ctx, newThreadID(t, ctx, c), "agent", p))
	calls = rec.Calls()
	var streams []*obstest.Call
	for _, cl := range calls {
		if cl.Info.Stream {
			streams = append(streams, cl)
		} else if cl.Parent == nil || !cl.Parent.Info.Stream {
			t.Errorf("call %v does not nest under the stream", cl)
		}
	}
	if len(streams) != 1 {
		t.Fatalf("%d stream calls", len(streams))
	}
	end, _ = streams[0].End()
	if end.Err != nil || end.Events != len(parts) || end.Run.RunID == "" {
		t.Errorf("stream end %+v after %d parts", end, len(parts))
	}

	for _, cl := range calls {
		if s := fmt.Sprintf("%+v %s %+v", cl.Info, cl.Log(), cl.Attempts()); strings.Contains(s, testserver.TokenAlice) {
			t.Errorf("an observer saw the token: %s", s)
		}
	}
}
