package runs_test

// Fault injection: a proxy between the client and the real server cuts the
// event streams it forwards; the client's output must equal an uncut run's.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/runs"
)

// fault says how the proxy cuts one event stream: after `after` complete
// events, it either aborts the connection (optionally in the middle of the
// next event) or ends the response cleanly.
type fault struct {
	after    int
	midEvent bool
	clean    bool
}

// faultProxy forwards every request to the real server and cuts the n-th
// event stream it forwards by faults[n]; later streams pass whole.
type faultProxy struct {
	*httptest.Server
	target string
	tr     *http.Transport

	mu      sync.Mutex
	faults  []fault
	streams int
	reqs    []seen
}

func newFaultProxy(t *testing.T, faults ...fault) *faultProxy {
	t.Helper()
	p := &faultProxy{target: srv.URL(), tr: http.DefaultTransport.(*http.Transport).Clone(), faults: faults}
	p.Server = httptest.NewServer(p)
	t.Cleanup(func() {
		p.Close()
		p.tr.CloseIdleConnections()
	})
	return p
}

func (p *faultProxy) requests() []seen {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.reqs)
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	p.reqs = append(p.reqs, seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Get("Last-Event-ID"), r.Header.Get("Authorization"), string(body)})
	p.mu.Unlock()

	up, err := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	up.Header = r.Header.Clone()
	resp, err := p.tr.RoundTrip(up)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	w.WriteHeader(resp.StatusCode)
	if !strings.Contains(resp.Header.Get("Content-Type"), "text/event-stream") {
		io.Copy(w, resp.Body)
		return
	}
	p.mu.Lock()
	var f *fault
	if p.streams < len(p.faults) {
		f = &p.faults[p.streams]
	}
	p.streams++
	p.mu.Unlock()

	br := bufio.NewReader(resp.Body)
	events := 0
	for {
		if f != nil && events == f.after {
			if f.clean {
				return
			}
			if f.midEvent {
				line, _ := br.ReadString('\n') // event: ...
				next, _ := br.ReadString('\n') // data: ...
				io.WriteString(w, line+next[:len(next)/2])
				w.(http.Flusher).Flush()
			}
			panic(http.ErrAbortHandler)
		}
		line, err := br.ReadString('\n')
		io.WriteString(w, line)
		if line == "\n" {
			events++
			w.(http.Flusher).Flush()
		}
		if err != nil {
			w.(http.Flusher).Flush()
			return
		}
	}
}

// proxyClient returns a client of the proxy, without credentials unless
// given, with its own transport closed at the end of the test.
func proxyClient(t *testing.T, base string, opts ...langgraph.Option) *client.Client {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	c, err := client.New(append([]langgraph.Option{langgraph.WithBaseURL(base), langgraph.WithoutAPIKey(),
		langgraph.WithHTTPClient(&http.Client{Transport: tr})}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

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
		faults []fault
		events int
		rejoin []string // Last-Event-ID of each rejoin
	}{
		// The agent run ends at once: the rejoins replay from the server's
		// store of the run's events.
		{"finished run", "agent", agentIn,
			[]runs.StreamMode{runs.StreamValues, runs.StreamUpdates, runs.StreamMessagesTuple, runs.StreamCustom},
			[]fault{{after: 3, midEvent: true}, {after: 4}, {after: 2, midEvent: true}, {after: 5, clean: true}}, 17,
			[]string{"2", "6", "8", "13", "16"}},
		// The slow run is still going: the rejoins follow it live.
		{"live run", "slow", map[string]any{"steps": 8, "delay_ms": 40},
			[]runs.StreamMode{runs.StreamValues, runs.StreamCustom},
			[]fault{{after: 2}, {after: 3, midEvent: true}, {after: 1, clean: true}, {after: 2}}, 11,
			[]string{"1", "4", "5", "7", "10"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			noLeaks(t)
			// Credentials are per call, to check that they reach every reconnect.
			ctx, c := streamSetup(t, "")
			auth := langgraph.WithBearerToken(testserver.TokenAlice)

			p := runs.StreamParams{}
			p.Input, p.StreamMode, p.StreamResumable = tc.input, tc.modes, true
			uncut := streamAll(t, c.Runs.Stream(ctx, newThreadID(t, ctx, c), tc.graph, p))
			if len(uncut) != tc.events {
				t.Fatalf("uncut run: %d events, want %d", len(uncut), tc.events)
			}

			proxy := newFaultProxy(t, tc.faults...)
			pc := proxyClient(t, proxy.URL)
			tid := newThreadID(t, ctx, c)
			var reconnects []langgraph.Reconnect
			p.Reconnect = langgraph.ReconnectPolicy{MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond,
				OnReconnect: func(r langgraph.Reconnect) { reconnects = append(reconnects, r) }}
			cut := streamAll(t, pc.Runs.Stream(ctx, tid, tc.graph, p, auth))
			if a, b := normalize(uncut), normalize(cut); !slices.Equal(a, b) {
				t.Errorf("cut run differs from the uncut run:\n%s\n---\n%s", strings.Join(b, "\n"), strings.Join(a, "\n"))
			}

			reqs := proxy.requests()
			posts, lastIDs := 0, []string{}
			for _, r := range reqs {
				if r.Auth != "Bearer "+testserver.TokenAlice {
					t.Errorf("%s %s without the caller's credentials", r.Method, r.Path)
				}
				if r.Method == http.MethodPost {
					posts++
				}
				if strings.HasSuffix(r.Path, "/stream") && r.Method == http.MethodGet {
					lastIDs = append(lastIDs, r.LastEventID)
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
				closed := i == len(tc.faults) || tc.faults[i].clean
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
	ctx, c := streamSetup(t, "")
	proxy := newFaultProxy(t, fault{after: 3})
	pc := proxyClient(t, proxy.URL, langgraph.WithBearerToken(testserver.TokenAlice))
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
	if reqs := proxy.requests(); len(reqs) != 1 {
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
			ctx, c := streamSetup(t, "")
			proxy := newFaultProxy(t, fault{after: 0, clean: true})
			pc := proxyClient(t, proxy.URL, langgraph.WithBearerToken(testserver.TokenAlice))
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
			for _, r := range proxy.requests()[1:] {
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
