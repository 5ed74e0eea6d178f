package runs_test

// Fault injection: a proxy between the client and the real server cuts the
// event streams it forwards; the client's output must equal an uncut run's.

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/faultproxy"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/runs"
)

var uuidRE = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32}`)

// normalize renders parts with every id (run, thread, message, task) replaced
// by its rank of first appearance, so two runs of a graph compare equal.
func normalize(parts []langgraph.StreamPart) []string {
	ids := map[string]string{}
	rename := func(s string) string {
		return uuidRE.ReplaceAllStringFunc(s, func(id string) string {
			if _, ok := ids[id]; !ok {
				ids[id] = fmt.Sprintf("<id%d>", len(ids))
			}
			return ids[id]
		})
	}
	var out []string
	for _, p := range parts {
		out = append(out, rename(fmt.Sprintf("%s #%s %s", p.Event, p.ID, p.Data)))
	}
	return out
}

// TestStreamFaultInjection cuts a run's stream several times, in the middle
// of events, at their boundaries and by clean closes: the client's output
// equals an uncut run's, nothing lost and nothing doubled, without a second
// POST, and every reconnect carries the caller's credentials.
func TestStreamFaultInjection(t *testing.T) {
	for _, tc := range []struct {
		name   string
		graph  string
		input  any
		modes  []runs.StreamMode
		faults []faultproxy.StreamCut
		events int
		rejoin []string // Last-Event-ID of each rejoin
	}{
		// The agent run ends at once: the rejoins replay from the server's
		// store of the run's events.
		{"finished run", "agent", agentIn,
			[]runs.StreamMode{runs.StreamValues, runs.StreamUpdates, runs.StreamMessagesTuple, runs.StreamCustom},
			[]faultproxy.StreamCut{{After: 3, MidEvent: true}, {After: 4}, {After: 2, MidEvent: true}, {After: 5, Clean: true}}, 17,
			[]string{"2", "6", "8", "13", "16"}},
		// The slow run is still going: the rejoins follow it live.
		{"live run", "slow", map[string]any{"steps": 8, "delay_ms": 40},
			[]runs.StreamMode{runs.StreamValues, runs.StreamCustom},
			[]faultproxy.StreamCut{{After: 2}, {After: 3, MidEvent: true}, {After: 1, Clean: true}, {After: 2}}, 11,
			[]string{"1", "4", "5", "7", "10"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noLeaks(t)
			// Credentials are per call, to check that they reach every reconnect.
			ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
			auth := langgraph.WithBearerToken(testserver.TokenAlice)

			p := runs.StreamParams{}
			p.Input, p.StreamMode, p.StreamResumable = tc.input, tc.modes, true
			uncut := streamAll(t, c.Runs.Stream(ctx, newThreadID(t, ctx, c), tc.graph, p))
			if len(uncut) != tc.events {
				t.Fatalf("uncut run: %d events, want %d", len(uncut), tc.events)
			}

			proxy := faultproxy.New(t, srv.URL())
			proxy.AddStreamCuts(tc.faults...)
			pc := srv.Client(t, testserver.User{}, langgraph.WithBaseURL(proxy.URL))
			tid := newThreadID(t, ctx, c)
			var reconnects []langgraph.Reconnect
			p.Reconnect = langgraph.ReconnectPolicy{MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond,
				OnReconnect: func(r langgraph.Reconnect) { reconnects = append(reconnects, r) }}
			cut := streamAll(t, pc.Runs.Stream(ctx, tid, tc.graph, p, auth))
			if a, b := normalize(uncut), normalize(cut); !slices.Equal(a, b) {
				t.Errorf("cut run differs from the uncut run:\n%s\n---\n%s", strings.Join(b, "\n"), strings.Join(a, "\n"))
			}

			reqs := proxy.Requests()
			posts, lastIDs := 0, []string{}
			for _, r := range reqs {
				if r.Header.Get("Authorization") != "Bearer "+testserver.TokenAlice {
					t.Errorf("%s %s without the caller's credentials", r.Method, r.Path)
				}
				if r.Method == http.MethodPost {
					posts++
				}
				if strings.HasSuffix(r.Path, "/stream") && r.Method == http.MethodGet {
					lastIDs = append(lastIDs, r.Header.Get("Last-Event-ID"))
				}
			}
			if posts != 1 {
				t.Errorf("%d POSTs, want 1", posts)
			}
			// One rejoin per fault, plus the final check for missed events.
			if !slices.Equal(lastIDs, tc.rejoin) {
				t.Errorf("rejoins with Last-Event-ID %q, want %q", lastIDs, tc.rejoin)
			}
			// OnReconnect is called before every rejoin, the final check
			// included, with what ended the connection before it.
			if len(reconnects) != len(tc.rejoin) {
				t.Fatalf("OnReconnect called %d times, want %d (one per cut and the final check): %+v", len(reconnects), len(tc.rejoin), reconnects)
			}
			for i, r := range reconnects {
				closed := i == len(tc.faults) || tc.faults[i].Clean
				if r.LastEventID != tc.rejoin[i] || r.Attempt != 1 || r.Run.ThreadID != tid || r.Run.RunID == "" ||
					r.Cause == nil || errors.Is(r.Cause, langgraph.ErrStreamClosed) != closed {
					t.Errorf("OnReconnect call %d = %+v (clean close: %v)", i, r, closed)
				}
			}
			list, err := c.Runs.List(ctx, tid, runs.ListParams{})
			if err != nil || len(list) != 1 {
				t.Errorf("%d runs on the thread (%v), want 1", len(list), err)
			}
		})
	}
}

// TestStreamNotResumable: the stream of a run created without
// StreamResumable cannot be replayed on the JS server; a cut ends it with a
// StreamError that says so, the request is not sent again, and the run goes
// on.
func TestStreamNotResumable(t *testing.T) {
	noLeaks(t)
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	proxy := faultproxy.New(t, srv.URL())
	proxy.AddStreamCuts(faultproxy.StreamCut{After: 3})
	pc := srv.Client(t, testserver.Alice, langgraph.WithBaseURL(proxy.URL))
	tid := newThreadID(t, ctx, c)
	p := runs.StreamParams{Reconnect: fastReconnect}
	p.Input, p.StreamMode = map[string]any{"steps": 3, "delay_ms": 20}, []runs.StreamMode{runs.StreamValues, runs.StreamCustom}
	out, err := collect(pc.Runs.Stream(ctx, tid, "slow", p))
	var se *langgraph.StreamError
	if !errors.As(err, &se) || !strings.Contains(se.Reason, "StreamResumable") || se.RunID == "" || se.ThreadID != tid || se.LastEventID != "2" {
		t.Fatalf("err = %#v", err)
	}
	if len(out) != 3 {
		t.Errorf("%d events before the cut, want 3", len(out))
	}
	if reqs := proxy.Requests(); len(reqs) != 1 {
		t.Errorf("requests after the cut: %+v", reqs)
	}
	res, err := c.Runs.Join(ctx, tid, se.RunID, runs.JoinParams{})
	if err != nil || !strings.Contains(string(res.Values), `"count":3`) {
		t.Errorf("the run did not go on: %v, %v", res, err)
	}
}

// TestStreamClosedBeforeFirstEvent: the proxy ends the run's stream cleanly
// before its first event. A resumable run is joined again and replayed from
// its start (on a thread, and without one through /runs/{run_id}/stream);
// for a run that is not resumable the empty stream is an error naming the
// run, never a silent success.
func TestStreamClosedBeforeFirstEvent(t *testing.T) {
	for _, tc := range []struct {
		name                string
		stateless, resuming bool
	}{
		{"thread", false, false}, {"thread resumable", false, true},
		{"stateless", true, false}, {"stateless resumable", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noLeaks(t)
			ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
			proxy := faultproxy.New(t, srv.URL())
			proxy.AddStreamCuts(faultproxy.StreamCut{After: 0, Clean: true})
			pc := srv.Client(t, testserver.Alice, langgraph.WithBaseURL(proxy.URL))
			var reconnects []langgraph.Reconnect
			p := runs.StreamParams{Reconnect: langgraph.ReconnectPolicy{MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond,
				OnReconnect: func(r langgraph.Reconnect) { reconnects = append(reconnects, r) }}}
			p.Input, p.StreamMode, p.StreamResumable = slowIn, []runs.StreamMode{runs.StreamValues, runs.StreamCustom}, tc.resuming
			var tid string
			var seq func(func(langgraph.StreamPart, error) bool)
			if tc.stateless {
				seq = pc.Runs.StreamStateless(ctx, "slow", p)
			} else {
				tid = newThreadID(t, ctx, c)
				seq = pc.Runs.Stream(ctx, tid, "slow", p)
			}
			out, err := collect(seq)
			if !tc.resuming {
				var se *langgraph.StreamError
				var re *langgraph.ResponseError
				if !errors.As(err, &se) || !errors.As(err, &re) || se.RunID == "" || se.ThreadID != tid || len(out) != 0 {
					t.Fatalf("got %v, %v; want a StreamError wrapping a ResponseError", out, err)
				}
				if !tc.stateless {
					res, err := c.Runs.Join(ctx, tid, se.RunID, runs.JoinParams{})
					if err != nil || !strings.Contains(string(res.Values), `"count":4`) {
						t.Errorf("the run did not go on: %v, %v", res, err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, g := range out {
				names = append(names, g.Event)
			}
			if want := []string{"metadata", "values", "custom", "custom", "custom", "custom", "values"}; !slices.Equal(names, want) {
				t.Errorf("events %q, want %q", names, want)
			}
			var rejoin string
			for _, r := range proxy.Requests()[1:] {
				if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/stream") {
					rejoin = r.Path
					break
				}
			}
			want := "/threads/" + tid + "/runs/"
			if tc.stateless {
				want = "/runs/"
			}
			if !strings.HasPrefix(rejoin, want) || rejoin == "/runs/stream" {
				t.Errorf("rejoined through %q, want a GET of %s{run_id}/stream", rejoin, want)
			}
			if len(reconnects) == 0 || reconnects[0].LastEventID != "" || !errors.Is(reconnects[0].Cause, langgraph.ErrStreamClosed) {
				t.Errorf("OnReconnect calls = %+v", reconnects)
			}
		})
	}
}
