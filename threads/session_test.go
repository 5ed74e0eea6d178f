package threads_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/faultproxy"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/runs"
	"github.com/langgraph-go/langgraph/threads"
)

// integration starts an integration test: its context, and a client of
// alice.
func integration(t *testing.T) (context.Context, *client.Client) {
	t.Helper()
	ctx := srv.Setup(t)
	return ctx, srv.Client(t, testserver.Alice)
}

var bothTransports = []threads.Transport{threads.TransportSSE, threads.TransportWebSocket}

// eachTransport runs f once per transport.
func eachTransport(t *testing.T, f func(t *testing.T, tr threads.Transport)) {
	t.Helper()
	for _, tr := range bothTransports {
		t.Run(tr.String(), func(t *testing.T) { f(t, tr) })
	}
}

// open opens a session that the test closes.
func open(ctx context.Context, t *testing.T, c *client.Client, threadID, assistant string, p threads.SessionParams, opts ...langgraph.Option) *threads.Session {
	t.Helper()
	s, err := c.Threads.Session(ctx, threadID, assistant, p, opts...)
	if err != nil {
		t.Fatalf("Session: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func agentInput(text string) map[string]any {
	return map[string]any{"messages": []map[string]any{{"role": "user", "content": text}}}
}

// events collects a run's events; it fails the test on an error unless
// wantErr is given, which then receives it.
func events(ctx context.Context, t *testing.T, run *threads.Run, wantErr ...*error) []threads.Event {
	t.Helper()
	var out []threads.Event
	for ev, err := range run.Events(ctx) {
		if err != nil {
			if len(wantErr) > 0 {
				*wantErr[0] = err
				if ev.Method != "" {
					out = append(out, ev)
				}
				return out
			}
			t.Fatalf("run events: %v", err)
		}
		out = append(out, ev)
	}
	return out
}

// checkRun checks the invariants of a whole run's events: the root
// "running" first, the root terminal last and nowhere else, one server
// sequence without gaps or repeats.
func checkRun(t *testing.T, evs []threads.Event, final threads.LifecycleStatus) {
	t.Helper()
	if len(evs) < 2 {
		t.Fatalf("%d events", len(evs))
	}
	if l := evs[0].Lifecycle; l == nil || !evs[0].IsRoot() || l.Status != threads.LifecycleRunning {
		t.Fatalf("first event %s %v %s, want the root lifecycle running", evs[0].Method, evs[0].Namespace, evs[0].Data)
	}
	last := evs[len(evs)-1]
	if l := last.Lifecycle; l == nil || !last.IsRoot() || l.Status != final {
		t.Fatalf("last event %s %v %s, want the root lifecycle %s", last.Method, last.Namespace, last.Data, final)
	}
	for i, ev := range evs {
		if i > 0 && ev.Seq != evs[i-1].Seq+1 {
			t.Fatalf("event %d has seq %d after %d: a gap or a repeat", i, ev.Seq, evs[i-1].Seq)
		}
		if i < len(evs)-1 && ev.IsRoot() && ev.Lifecycle != nil && ev.Lifecycle.Status.Terminal() {
			t.Fatalf("root terminal %s before the end (event %d)", ev.Lifecycle.Status, i)
		}
	}
}

func leakCheck(t *testing.T) {
	t.Helper()
	ign := goleak.IgnoreCurrent()
	t.Cleanup(func() {
		goleak.VerifyNone(t, ign,
			goleak.IgnoreTopFunction("net/http.(*persistConn).readLoop"),
			goleak.IgnoreTopFunction("net/http.(*persistConn).writeLoop"),
			goleak.IgnoreTopFunction("internal/poll.runtime_pollWait"))
	})
}

func TestSessionAgentDeltasEqualClassicTokens(t *testing.T) {
	eachTransport(t, func(t *testing.T, tr threads.Transport) {
		ctx, c := integration(t)
		leakCheck(t)
		const said = "hello, token stream"

		// The classic stream, messages-tuple, on a thread of its own.
		th, err := c.Threads.Create(ctx, threads.CreateParams{})
		if err != nil {
			t.Fatal(err)
		}
		var p runs.StreamParams
		p.Input, p.StreamMode = agentInput(said), []runs.StreamMode{runs.StreamMessagesTuple}
		var classic []string
		for part, err := range c.Runs.Stream(ctx, th.ThreadID, "agent", p) {
			if err != nil {
				t.Fatal(err)
			}
			if part.Kind == langgraph.EventMessages {
				chunk, _, err := part.MessageChunk()
				if err != nil {
					t.Fatal(err)
				}
				classic = append(classic, chunk.Text())
			}
		}

		sess := open(ctx, t, c, "", "agent", threads.SessionParams{Transport: tr})
		run, err := sess.Start(ctx, threads.RunInput{Input: agentInput(said)})
		if err != nil {
			t.Fatal(err)
		}
		evs := events(ctx, t, run)
		checkRun(t, evs, threads.LifecycleCompleted)
		var deltas []string
		var finished string
		for _, ev := range evs {
			if ev.TextDelta != "" {
				deltas = append(deltas, ev.TextDelta)
				if len(ev.Namespace) != 1 || !strings.HasPrefix(ev.Namespace[0], "agent:") {
					t.Errorf("text delta in namespace %v, want the agent node's", ev.Namespace)
				}
			}
			if m := ev.Message; m != nil && m.Event == threads.ContentBlockFinish && m.Content != nil {
				finished = m.Content.Text
			}
		}
		if len(classic) == 0 || !slices.Equal(deltas, classic) {
			t.Fatalf("session deltas %q\nclassic tokens %q", deltas, classic)
		}
		if want := "You said: " + said; strings.Join(deltas, "") != want || finished != want {
			t.Fatalf("deltas join to %q, block finished with %q, want %q", strings.Join(deltas, ""), finished, want)
		}
		out, err := run.Output(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var v struct {
			Messages []langgraph.Message `json:"messages"`
			User     struct {
				Identity string `json:"identity"`
			} `json:"user"`
		}
		if err := out.Decode(&v); err != nil {
			t.Fatal(err)
		}
		if out.Status != threads.LifecycleCompleted || len(v.Messages) != 2 || v.Messages[1].Text() != "You said: "+said || v.User.Identity != "alice" {
			t.Fatalf("output %s %s", out.Status, out.Values)
		}
		if !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(run.ID()) {
			t.Fatalf("run id %q", run.ID())
		}
	})
}

func TestSessionInterruptRespond(t *testing.T) {
	eachTransport(t, func(t *testing.T, tr threads.Transport) {
		ctx, c := integration(t)
		leakCheck(t)
		sess := open(ctx, t, c, "", "interrupt", threads.SessionParams{Transport: tr})
		run, err := sess.Start(ctx, threads.RunInput{Input: map[string]any{}})
		if err != nil {
			t.Fatal(err)
		}
		evs := events(ctx, t, run)
		checkRun(t, evs, threads.LifecycleInterrupted)
		var asked []threads.InputRequest
		for _, ev := range evs {
			if ev.Input != nil {
				if ev.Channel != threads.ChannelInput || ev.Method != "input.requested" {
					t.Errorf("input event on channel %q method %q", ev.Channel, ev.Method)
				}
				asked = append(asked, *ev.Input)
			}
		}
		if len(asked) != 1 || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(asked[0].InterruptID) {
			t.Fatalf("input requests %+v", asked)
		}
		var q struct {
			Question string `json:"question"`
		}
		if err := asked[0].Decode(&q); err != nil || q.Question != "approve?" {
			t.Fatalf("payload %s: %v", asked[0].Payload, err)
		}
		out, err := run.Output(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if out.Status != threads.LifecycleInterrupted || len(out.Interrupts) != 1 || out.Interrupts[0].InterruptID != asked[0].InterruptID {
			t.Fatalf("output %+v", out)
		}

		// A wrong id is refused before anything is sent: the server would
		// hand the node the {id: value} map as its answer.
		if _, err := sess.Respond(ctx, "0123456789abcdef0123456789abcdef", "yes"); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Fatalf("wrong id: %v", err)
		}

		resumed, err := sess.Respond(ctx, "", map[string]any{"approved": true})
		if err != nil {
			t.Fatal(err)
		}
		evs = events(ctx, t, resumed)
		checkRun(t, evs, threads.LifecycleCompleted)
		out, err = resumed.Output(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var v struct {
			Answer map[string]bool `json:"answer"`
			Done   bool            `json:"done"`
		}
		if err := out.Decode(&v); err != nil || !v.Answer["approved"] || !v.Done {
			t.Fatalf("resumed output %s: %v", out.Values, err)
		}
		if resumed.ID() == "" || resumed.ID() == run.ID() {
			t.Fatalf("resumed run id %q (first %q)", resumed.ID(), run.ID())
		}
		if _, err := sess.Respond(ctx, "", "again"); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Fatalf("respond with nothing pending: %v", err)
		}
	})
}

// A new session answers an interrupt raised in an earlier one. Over a
// WebSocket the server's new record refuses input.respond (no_such_run); the
// session resumes with run.start instead.
func TestSessionRespondInNewSession(t *testing.T) {
	eachTransport(t, func(t *testing.T, tr threads.Transport) {
		ctx, c := integration(t)
		leakCheck(t)
		first := open(ctx, t, c, "", "interrupt", threads.SessionParams{Transport: tr})
		run, err := first.Start(ctx, threads.RunInput{Input: map[string]any{}})
		if err != nil {
			t.Fatal(err)
		}
		if out, err := run.Output(ctx); err != nil || out.Status != threads.LifecycleInterrupted {
			t.Fatalf("first run: %+v %v", out, err)
		}
		_ = first.Close()

		second := open(ctx, t, c, first.ThreadID(), "interrupt", threads.SessionParams{Transport: tr})
		resumed, err := second.Respond(ctx, "", "yes")
		if err != nil {
			t.Fatal(err)
		}
		checkRun(t, events(ctx, t, resumed), threads.LifecycleCompleted)
		out, err := resumed.Output(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v := object(t, out.Values); v["answer"] != "yes" || v["done"] != true {
			t.Fatalf("output %s", out.Values)
		}
	})
}

// rawEvents reads the thread's SSE stream with a server-side filter, as
// alice, until the event with seq until, or for a second and a half (the
// server replays what it holds at once; an event after until ends it too).
func rawEvents(ctx context.Context, t *testing.T, threadID string, filter map[string]any, until int64) []int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 1500*time.Millisecond)
	defer cancel()
	body, _ := json.Marshal(filter)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL()+"/threads/"+threadID+"/stream/events", bytes.NewReader(body))
	testserver.Alice.SetAuth(req.Header)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("raw SSE: %s", resp.Status)
		return nil
	}
	var seqs []int64
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var e struct {
			Seq int64 `json:"seq"`
		}
		if err := json.Unmarshal([]byte(data), &e); err != nil {
			t.Error(err)
			return nil
		}
		if e.Seq > until {
			break
		}
		seqs = append(seqs, e.Seq)
		if e.Seq == until {
			break
		}
	}
	return seqs
}

func TestSessionSubgraphNamespacesAndDepth(t *testing.T) {
	eachTransport(t, func(t *testing.T, tr threads.Transport) {
		ctx, c := integration(t)
		leakCheck(t)
		sess := open(ctx, t, c, "", "subgraph", threads.SessionParams{Transport: tr})
		lv := []threads.Channel{threads.ChannelLifecycle, threads.ChannelValues}
		filters := []struct {
			name   string
			f      threads.Filter
			server map[string]any
		}{
			{"root depth 0", threads.Filter{Channels: lv, Namespaces: [][]string{{}}, Depth: threads.Depth(0)},
				map[string]any{"channels": lv, "namespaces": [][]string{{}}, "depth": 0}},
			{"root depth 1", threads.Filter{Channels: lv, Namespaces: [][]string{{}}, Depth: threads.Depth(1)},
				map[string]any{"channels": lv, "namespaces": [][]string{{}}, "depth": 1}},
			{"child", threads.Filter{Channels: lv, Namespaces: [][]string{{"child"}}, Depth: threads.Depth(0)},
				map[string]any{"channels": lv, "namespaces": [][]string{{"child"}}, "depth": 0}},
			{"partial name", threads.Filter{Channels: lv, Namespaces: [][]string{{"chi"}}},
				map[string]any{"channels": lv, "namespaces": [][]string{{"chi"}}}},
			{"custom anywhere", threads.Filter{Channels: []threads.Channel{threads.ChannelCustom}},
				map[string]any{"channels": []string{"custom"}}},
			{"depth without namespaces", threads.Filter{Channels: lv, Depth: threads.Depth(0)},
				map[string]any{"channels": lv, "depth": 0}},
		}
		subCtx, stop := context.WithCancel(ctx)
		defer stop()
		subs := make([]func() []threads.Event, len(filters))
		for i, f := range filters {
			seq := sess.Subscribe(subCtx, f.f) // registered now: nothing of the run is missed
			got := make(chan []threads.Event, 1)
			go func() {
				var evs []threads.Event
				for ev, err := range seq {
					if err != nil {
						break
					}
					evs = append(evs, ev)
				}
				got <- evs
			}()
			subs[i] = func() []threads.Event { stop(); return <-got }
		}
		run, err := sess.Start(ctx, threads.RunInput{Input: map[string]any{"trail": "start;"}})
		if err != nil {
			t.Fatal(err)
		}
		all := events(ctx, t, run)
		checkRun(t, all, threads.LifecycleCompleted)
		out, err := run.Output(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v := object(t, out.Values); v["trail"] != "start;inner;outer;" {
			t.Fatalf("output %s", out.Values)
		}
		var childNS string
		for _, ev := range all {
			if len(ev.Namespace) > 1 {
				t.Fatalf("namespace %v deeper than the graph", ev.Namespace)
			}
			if len(ev.Namespace) == 1 {
				if !strings.HasPrefix(ev.Namespace[0], "child:") {
					t.Fatalf("namespace %v", ev.Namespace)
				}
				childNS = ev.Namespace[0]
			}
			if ev.Custom != nil {
				var p map[string]string
				if err := ev.Custom.Decode(&p); err != nil || p["trail"] != "start;inner;" || len(ev.Namespace) != 1 {
					t.Fatalf("custom event %v %s: %v", ev.Namespace, ev.Data, err)
				}
			}
		}
		if childNS == "" {
			t.Fatal("no event of the subgraph")
		}
		first, last := all[0].Seq, all[len(all)-1].Seq
		server := make([][]int64, len(filters))
		if tr == threads.TransportSSE {
			var wg sync.WaitGroup
			for i, f := range filters {
				wg.Add(1)
				go func() {
					defer wg.Done()
					f.server["since"] = first - 1
					server[i] = rawEvents(ctx, t, sess.ThreadID(), f.server, last)
				}()
			}
			wg.Wait()
		}
		for i, f := range filters {
			got := subs[i]()
			var seqs []int64
			for _, ev := range got {
				if !f.f.Match(ev) {
					t.Errorf("%s: event %d does not match the filter", f.name, ev.Seq)
				}
				seqs = append(seqs, ev.Seq)
			}
			// What the subscription got is what the server's own filter
			// selects among the run's events.
			var want []int64
			if tr == threads.TransportSSE {
				want = server[i]
			} else {
				// The WebSocket's record is not the SSE one: apply the filter
				// to the run's events (the SSE case checks it against the
				// server).
				for _, ev := range all {
					if f.f.Match(ev) {
						want = append(want, ev.Seq)
					}
				}
			}
			if !slices.Equal(seqs, want) {
				t.Errorf("%s: subscription got %v, the server's filter %v", f.name, seqs, want)
			}
			if f.name == "partial name" && len(seqs) != 0 {
				t.Errorf("partial segment matched %v", seqs)
			}
			if f.name == "root depth 0" {
				for _, ev := range got {
					if !ev.IsRoot() {
						t.Errorf("depth 0 gave %v", ev.Namespace)
					}
				}
			}
		}
	})
}

// Two users at once, over each transport, each on their own thread: every
// request carries its user's credentials, and each run sees its own user.
func TestSessionTwoUsersConcurrently(t *testing.T) {
	eachTransport(t, func(t *testing.T, tr threads.Transport) {
		ctx, _ := integration(t)
		leakCheck(t)
		proxy := faultproxy.New(t, srv.URL())
		// One client with per-call credentials for every user; alice's on
		// the context, carol's on the session's options, plus a default
		// header that must reach the WebSocket handshake too.
		c := srv.Client(t, testserver.User{}, langgraph.WithBaseURL(proxy.URL), langgraph.WithPerCallCredentials(), langgraph.WithHeader("x-tenant", "t1"))
		users := []struct {
			u      testserver.User
			ctx    context.Context
			opts   []langgraph.Option
			thread string
		}{
			{testserver.Alice, langgraph.ContextWithOptions(ctx, langgraph.WithBearerToken(testserver.TokenAlice)), nil, newUUID(t)},
			{testserver.Carol, ctx, []langgraph.Option{langgraph.WithAPIKey(testserver.APIKeyCarol)}, newUUID(t)},
		}
		var wg sync.WaitGroup
		errs := make([]error, len(users))
		for i, u := range users {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = func() error {
					sess, err := c.Threads.Session(u.ctx, u.thread, "agent", threads.SessionParams{Transport: tr}, u.opts...)
					if err != nil {
						return err
					}
					defer sess.Close()
					// The contexts of later calls carry no credentials.
					for turn := range 2 {
						run, err := sess.Start(ctx, threads.RunInput{Input: agentInput("I am " + u.u.Identity)})
						if err != nil {
							return err
						}
						out, err := run.Output(ctx)
						if err != nil {
							return err
						}
						var v struct {
							User map[string]any `json:"user"`
						}
						if err := out.Decode(&v); err != nil {
							return err
						}
						if v.User["identity"] != u.u.Identity || v.User["github_token"] != u.u.GitHubToken {
							return errors.New(u.u.Identity + " turn " + string(rune('0'+turn)) + " ran as " + string(out.Values))
						}
					}
					st, err := sess.State(ctx, "user")
					if err != nil {
						return err
					}
					if !bytes.Contains(st.Values, []byte(`"identity":"`+u.u.Identity+`"`)) {
						return errors.New("state " + string(st.Values))
					}
					return nil
				}()
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("%s: %v", users[i].u.Identity, err)
			}
		}
		kinds := map[string]int{}
		for _, r := range proxy.Requests() {
			for _, u := range users {
				if !strings.Contains(r.Path, u.thread) {
					continue
				}
				kind := r.Method + " " + r.Path[strings.LastIndex(r.Path, "/"):]
				if r.Header.Get("Upgrade") != "" {
					kind = "upgrade"
				}
				kinds[kind]++
				h := http.Header{}
				u.u.SetAuth(h)
				if r.Header.Get("Authorization") != h.Get("Authorization") || r.Header.Get("X-Api-Key") != h.Get("X-Api-Key") {
					t.Errorf("%s %s carried Authorization %q x-api-key %q", kind, u.u.Identity, r.Header.Get("Authorization"), r.Header.Get("X-Api-Key"))
				}
				if r.Header.Get("X-Tenant") != "t1" || !strings.HasPrefix(r.Header.Get("User-Agent"), "langgraph-go/") {
					t.Errorf("%s: default header %q, user agent %q", kind, r.Header.Get("X-Tenant"), r.Header.Get("User-Agent"))
				}
			}
		}
		want := []string{"POST /commands", "POST /events"}
		if tr == threads.TransportWebSocket {
			want = []string{"upgrade"}
		}
		for _, k := range want {
			if kinds[k] < len(users) {
				t.Errorf("requests %v: want %s for each user", kinds, k)
			}
		}
	})
}
