package threads_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/faultproxy"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/threads"
)

func rng(t *testing.T) *rand.Rand {
	seed := uint64(time.Now().UnixNano())
	t.Logf("random seed %d", seed)
	return rand.New(rand.NewPCG(seed, 0))
}

func aliceVia(t *testing.T, baseURL string) *client.Client {
	t.Helper()
	return srv.Client(t, testserver.Alice, langgraph.WithBaseURL(baseURL))
}

var fastReconnect = langgraph.ReconnectPolicy{MaxAttempts: 30, MinWait: 5 * time.Millisecond, MaxWait: 40 * time.Millisecond}

// customSteps returns the steps of the slow graph's custom events.
func customSteps(evs []threads.Event) []int {
	var steps []int
	for _, ev := range evs {
		if ev.Custom != nil {
			var p struct {
				Step int `json:"step"`
			}
			_ = ev.Custom.Decode(&p)
			steps = append(steps, p.Step)
		}
	}
	return steps
}

// An SSE stream cut at random points, a dozen times during one run, loses
// and doubles nothing: the session resumes after its last event each time.
func TestSessionSSECutsLoseNothing(t *testing.T) {
	ctx, _ := integration(t)
	leakCheck(t)
	r := rng(t)
	proxy := faultproxy.New(t, srv.URL())
	c := aliceVia(t, proxy.URL)
	tid := newUUID(t)
	path := "/threads/" + tid + "/stream/events"
	const cuts = 12
	for range cuts {
		proxy.Add(faultproxy.Fault{Method: http.MethodPost, Path: path, CutAfter: 100 + r.IntN(1400)})
	}
	var reconnects atomic.Int32
	policy := fastReconnect
	policy.OnReconnect = func(langgraph.Reconnect) { reconnects.Add(1) }
	sess := open(ctx, t, c, tid, "slow", threads.SessionParams{Reconnect: policy})
	all := sess.Subscribe(ctx, threads.Filter{})
	const steps = 60
	run, err := sess.Start(ctx, threads.RunInput{Input: map[string]any{"steps": steps, "delay_ms": 15}})
	if err != nil {
		t.Fatal(err)
	}
	evs := events(ctx, t, run)
	checkRun(t, evs, threads.LifecycleCompleted)
	got := customSteps(evs)
	if len(got) != steps {
		t.Fatalf("%d custom events: %v", len(got), got)
	}
	for i, s := range got {
		if s != i+1 {
			t.Fatalf("custom steps %v", got)
		}
	}
	// The subscription saw the same events, once each.
	n := 0
	for ev, err := range all {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Seq != evs[n].Seq || string(ev.Raw) != string(evs[n].Raw) {
			t.Fatalf("subscription event %d: seq %d, run's %d", n, ev.Seq, evs[n].Seq)
		}
		if n++; n == len(evs) {
			break
		}
	}
	t.Logf("%d connections, %d cut, %d reconnects, %d events", proxy.Count(http.MethodPost, path), proxy.Cuts(), reconnects.Load(), len(evs))
	if proxy.Cuts() < 10 {
		t.Fatalf("only %d cuts happened", proxy.Cuts())
	}
}

// A WebSocket cut at random points: LangGraph.js cannot replay a run on a
// new socket, so a run cut in the middle ends its events with a
// *langgraph.StreamError and its Output comes from the REST API; every
// other run is whole, its numbering starting again at 1 on each new socket
// without an event taken for a duplicate; nothing is doubled.
func TestSessionWebSocketCuts(t *testing.T) {
	ctx, _ := integration(t)
	leakCheck(t)
	r := rng(t)
	proxy := faultproxy.New(t, srv.URL())
	c := aliceVia(t, proxy.URL)
	tid := newUUID(t)
	path := "/threads/" + tid + "/stream/events"
	const cuts = 12
	for range 200 { // one per socket, the sockets that replace a cut one included
		proxy.Add(faultproxy.Fault{Method: http.MethodGet, Path: path, CutAfter: 200 + r.IntN(9000)})
	}
	sess := open(ctx, t, c, tid, "agent", threads.SessionParams{Transport: threads.TransportWebSocket, Reconnect: fastReconnect, ReplyTimeout: 10 * time.Second})
	var whole, lost, restarted int
	after := 0 // turns after the last cut
	for turn := 0; after < 2 && turn < 80; turn++ {
		if proxy.Cuts() >= cuts {
			proxy.Clear()
			after++
		}
		said := fmt.Sprintf("turn %d", turn)
		run, err := sess.Start(ctx, threads.RunInput{Input: agentInput(said)})
		if err != nil {
			var ce *langgraph.ConnectionError
			if errors.As(err, &ce) {
				// The socket broke before the reply: the run may have
				// started; wait for the thread to be idle again.
				waitIdle(ctx, t, c, tid)
				continue
			}
			t.Fatalf("turn %d: %v", turn, err)
		}
		var evErr error
		evs := events(ctx, t, run, &evErr)
		for i := 1; i < len(evs); i++ {
			if evs[i].Seq != evs[i-1].Seq+1 {
				t.Fatalf("turn %d: seq %d after %d", turn, evs[i].Seq, evs[i-1].Seq)
			}
		}
		if evErr != nil {
			var se *langgraph.StreamError
			if !errors.As(evErr, &se) || se.RunID != run.ID() {
				t.Fatalf("turn %d ended with %v", turn, evErr)
			}
			lost++
		} else {
			checkRun(t, evs, threads.LifecycleCompleted)
			whole++
			if evs[0].Seq == 1 && turn > 0 {
				restarted++
			}
		}
		out, err := run.Output(ctx)
		if err != nil {
			t.Fatalf("turn %d output: %v", turn, err)
		}
		var v struct {
			Messages []langgraph.Message `json:"messages"`
		}
		if err := out.Decode(&v); err != nil || out.Status != threads.LifecycleCompleted || len(v.Messages) == 0 || v.Messages[len(v.Messages)-1].Text() != "You said: "+said {
			t.Fatalf("turn %d output %s %s: %v", turn, out.Status, out.Values, err)
		}
	}
	sockets := proxy.Count(http.MethodGet, path)
	t.Logf("%d sockets, %d cut; %d whole runs (%d numbered from 1 on a new socket), %d runs cut", sockets, proxy.Cuts(), whole, restarted, lost)
	if proxy.Cuts() < cuts || restarted == 0 || lost == 0 {
		t.Fatalf("%d cuts, %d runs cut, %d runs after a new socket", proxy.Cuts(), lost, restarted)
	}
}

func waitIdle(ctx context.Context, t *testing.T, c *client.Client, tid string) {
	t.Helper()
	for {
		th, err := c.Threads.Get(ctx, tid)
		if err != nil && !errors.Is(err, langgraph.ErrNotFound) {
			t.Fatal(err)
		}
		if err != nil || th.Status != langgraph.StatusBusy {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var (
	secondOnce sync.Once
	second     *testserver.Server
	secondErr  error
)

// secondServer starts another server (once per package run), as the
// restarted server of a deployment behind the same address.
func secondServer(t *testing.T) *testserver.Server {
	t.Helper()
	secondOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		second, secondErr = testserver.Start(ctx)
	})
	if secondErr != nil {
		t.Fatalf("second server: %v", secondErr)
	}
	return second
}

// A server restart starts the event numbering again at 1. Over SSE the
// session notices (the reply to its next command, or the event it resumes
// at, says so) and reads the new numbering from its start: no new event is
// dropped as a duplicate of an old one.
func TestSessionServerRestart(t *testing.T) {
	ctx, _ := integration(t)
	restarted := secondServer(t)
	t.Cleanup(func() { _ = restarted.Stop() })

	firstRun := func(t *testing.T) (*faultproxy.Proxy, *threads.Session, int64) {
		proxy := faultproxy.New(t, srv.URL())
		sess := open(ctx, t, aliceVia(t, proxy.URL), "", "agent", threads.SessionParams{Reconnect: fastReconnect})
		run, err := sess.Start(ctx, threads.RunInput{Input: agentInput("before")})
		if err != nil {
			t.Fatal(err)
		}
		evs := events(ctx, t, run)
		checkRun(t, evs, threads.LifecycleCompleted)
		// The deployment restarts: another server behind the same address.
		proxy.SetTarget(restarted.URL())
		proxy.CutAll()
		return proxy, sess, evs[len(evs)-1].Seq
	}

	t.Run("next command", func(t *testing.T) {
		leakCheck(t)
		_, sess, _ := firstRun(t)
		run, err := sess.Start(ctx, threads.RunInput{Input: agentInput("after")})
		if err != nil {
			t.Fatal(err)
		}
		evs := events(ctx, t, run)
		checkRun(t, evs, threads.LifecycleCompleted)
		if evs[0].Seq != 1 {
			t.Fatalf("the run on the new server starts at seq %d", evs[0].Seq)
		}
		if out, err := run.Output(ctx); err != nil || object(t, out.Values)["user"].(map[string]any)["identity"] != "alice" {
			t.Fatalf("output: %v", err)
		}
	})

	t.Run("resumed event", func(t *testing.T) {
		leakCheck(t)
		_, sess, last := firstRun(t)
		sub := sess.Subscribe(ctx, threads.Filter{Channels: []threads.Channel{threads.ChannelLifecycle}, Namespaces: [][]string{{}}, Depth: threads.Depth(0)})
		// Another client runs twice on the thread on the new server, whose
		// numbering passes the session's last seq.
		other := open(ctx, t, aliceVia(t, restarted.URL()), sess.ThreadID(), "agent", threads.SessionParams{})
		var seqs []int64
		for i := range 2 {
			run, err := other.Start(ctx, threads.RunInput{Input: agentInput(fmt.Sprint("other ", i))})
			if err != nil {
				t.Fatal(err)
			}
			evs := events(ctx, t, run)
			seqs = append(seqs, evs[0].Seq, evs[len(evs)-1].Seq)
		}
		if seqs[3] <= last {
			t.Fatalf("the other runs end at seq %d, not past %d", seqs[3], last)
		}
		var got []int64
		for ev, err := range sub {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ev.Seq)
			if len(got) == 4 {
				break
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(seqs) {
			t.Fatalf("the session saw root lifecycle events %v, the new server sent %v", got, seqs)
		}
		run, err := sess.Start(ctx, threads.RunInput{Input: agentInput("mine")})
		if err != nil {
			t.Fatal(err)
		}
		evs := events(ctx, t, run)
		checkRun(t, evs, threads.LifecycleCompleted)
		if evs[0].Seq != seqs[3]+1 {
			t.Fatalf("my run starts at seq %d after %d", evs[0].Seq, seqs[3])
		}
	})
}
