package threads_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/threads"
)

func TestSessionFailedRun(t *testing.T) {
	eachTransport(t, func(t *testing.T, tr threads.Transport) {
		ctx, c := integration(t)
		leakCheck(t)
		sess := open(ctx, t, c, "", "error", threads.SessionParams{Transport: tr})
		run, err := sess.Start(ctx, threads.RunInput{Input: map[string]any{"value": 1}})
		if err != nil {
			t.Fatal(err)
		}
		var runErr error
		evs := events(ctx, t, run, &runErr)
		checkRun(t, evs, threads.LifecycleFailed)
		var re *langgraph.RunError
		if !errors.As(runErr, &re) || re.Name != "CustomError" || re.Message != "Boo!" || re.ThreadID != sess.ThreadID() || re.RunID != run.ID() {
			t.Fatalf("events ended with %#v", runErr)
		}
		if le := evs[len(evs)-1].Lifecycle.Err(); le == nil || le.Name != "CustomError" {
			t.Fatalf("lifecycle error %#v", le)
		}
		out, err := run.Output(ctx)
		if !errors.As(err, &re) || out == nil || out.Status != threads.LifecycleFailed {
			t.Fatalf("output %+v, %v", out, err)
		}
		if v := object(t, out.Values); v["value"] != float64(1) {
			t.Fatalf("values before the failure: %s", out.Values)
		}
	})
}

// The server would start a second run on the thread and stop streaming the
// first: the session refuses instead, until the first has ended.
func TestSessionOneRunAtATime(t *testing.T) {
	eachTransport(t, func(t *testing.T, tr threads.Transport) {
		ctx, c := integration(t)
		leakCheck(t)
		sess := open(ctx, t, c, "", "slow", threads.SessionParams{Transport: tr})
		run, err := sess.Start(ctx, threads.RunInput{Input: map[string]any{"steps": 5, "delay_ms": 60}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sess.Start(ctx, threads.RunInput{Input: map[string]any{"steps": 1}}); !errors.Is(err, threads.ErrRunActive) {
			t.Fatalf("second start: %v", err)
		}
		if _, err := sess.Respond(ctx, "", "x"); !errors.Is(err, langgraph.ErrInvalidArgument) && !errors.Is(err, threads.ErrRunActive) {
			t.Fatalf("respond while running: %v", err)
		}
		evs := events(ctx, t, run)
		checkRun(t, evs, threads.LifecycleCompleted)
		var steps []float64
		for _, ev := range evs {
			if ev.Custom != nil {
				var p struct {
					Step float64 `json:"step"`
				}
				_ = ev.Custom.Decode(&p)
				steps = append(steps, p.Step)
			}
		}
		if len(steps) != 5 || steps[0] != 1 || steps[4] != 5 {
			t.Fatalf("steps %v", steps)
		}
		next, err := sess.Start(ctx, threads.RunInput{Input: map[string]any{"steps": 1, "delay_ms": 1}})
		if err != nil {
			t.Fatal(err)
		}
		nevs := events(ctx, t, next)
		checkRun(t, nevs, threads.LifecycleCompleted)
		if tr == threads.TransportSSE && nevs[0].Seq != evs[len(evs)-1].Seq+1 {
			t.Fatalf("second run starts at seq %d after %d", nevs[0].Seq, evs[len(evs)-1].Seq)
		}
	})
}

// A run cancelled through the REST API ends interrupted.
func TestSessionCancel(t *testing.T) {
	eachTransport(t, func(t *testing.T, tr threads.Transport) {
		ctx, c := integration(t)
		leakCheck(t)
		sess := open(ctx, t, c, "", "slow", threads.SessionParams{Transport: tr})
		run, err := sess.Start(ctx, threads.RunInput{Input: map[string]any{"steps": 50, "delay_ms": 100}})
		if err != nil {
			t.Fatal(err)
		}
		for ev, err := range run.Events(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			if ev.Custom != nil {
				if err := run.Cancel(ctx); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		out, err := run.Output(ctx)
		if err != nil || out.Status != threads.LifecycleInterrupted || len(out.Interrupts) != 0 {
			t.Fatalf("output %+v, %v", out, err)
		}
	})
}

func TestSessionErrors(t *testing.T) {
	eachTransport(t, func(t *testing.T, tr threads.Transport) {
		ctx, c := integration(t)
		leakCheck(t)
		p := threads.SessionParams{Transport: tr, ReplyTimeout: time.Second}

		// Bad credentials: the first request (the handshake, or SSE's
		// first command) is refused with 401.
		_, err := c.Threads.Session(ctx, "", "agent", p, langgraph.WithBearerToken("nope"))
		var ae *langgraph.APIError
		if !errors.Is(err, langgraph.ErrUnauthorized) || !errors.As(err, &ae) {
			t.Fatalf("bad token: %v", err)
		}

		// Refused before anything is sent.
		for _, bad := range []func() error{
			func() error { _, err := c.Threads.Session(ctx, "", "", p); return err },
			func() error { _, err := c.Threads.Session(ctx, "..", "agent", p); return err },
			func() error {
				_, err := c.Threads.Session(ctx, "", "agent", threads.SessionParams{Transport: 7})
				return err
			},
		} {
			if err := bad(); !errors.Is(err, langgraph.ErrInvalidArgument) {
				t.Errorf("refusal: %v", err)
			}
		}

		// A protocol error reply: the thread is bound to its first assistant.
		sess := open(ctx, t, c, "", "agent", p)
		if tr == threads.TransportSSE {
			// Before any run there is nothing to ask getTree about.
			if _, err := sess.Tree(ctx); !errors.Is(err, threads.CodeNoSuchRun) {
				t.Fatalf("tree before a run: %v", err)
			}
		}
		run, err := sess.Start(ctx, threads.RunInput{Input: agentInput("x")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := run.Output(ctx); err != nil {
			t.Fatal(err)
		}
		tree, err := sess.Tree(ctx)
		if err != nil || tree.GraphName != "agent" || tree.Status != threads.LifecycleCompleted || len(tree.Children) != 1 {
			t.Fatalf("tree %+v, %v", tree, err)
		}
		other := open(ctx, t, c, sess.ThreadID(), "slow", p)
		_, err = other.Start(ctx, threads.RunInput{Input: map[string]any{}})
		var pe *threads.ProtocolError
		if !errors.As(err, &pe) || pe.Code != threads.CodeInvalidArgument || pe.Command != "run.start" || !errors.Is(err, threads.CodeInvalidArgument) {
			t.Fatalf("another assistant: %#v", err)
		}
	})
}

// Another user's thread, and an unknown assistant: over SSE the server
// answers 404; over a WebSocket it answers nothing, which times out into
// ErrNoReply instead of hanging.
func TestSessionNotFound(t *testing.T) {
	eachTransport(t, func(t *testing.T, tr threads.Transport) {
		ctx, alice := integration(t)
		leakCheck(t)
		bob := srv.Client(t, testserver.Bob)
		th, err := alice.Threads.Create(ctx, threads.CreateParams{})
		if err != nil {
			t.Fatal(err)
		}
		p := threads.SessionParams{Transport: tr, ReplyTimeout: 700 * time.Millisecond}
		for _, tc := range []struct {
			name   string
			c      func() (*threads.Session, error)
			thread string
		}{
			{"another user's thread", func() (*threads.Session, error) { return bob.Threads.Session(ctx, th.ThreadID, "agent", p) }, th.ThreadID},
			{"unknown assistant", func() (*threads.Session, error) { return alice.Threads.Session(ctx, "", "nope", p) }, ""},
		} {
			sess, err := tc.c()
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			start := time.Now()
			_, err = sess.Start(ctx, threads.RunInput{Input: agentInput("x")})
			switch tr {
			case threads.TransportSSE:
				var ae *langgraph.APIError
				if !errors.Is(err, langgraph.ErrNotFound) || !errors.As(err, &ae) || ae.Method != http.MethodPost {
					t.Fatalf("%s: %v", tc.name, err)
				}
			default:
				if !errors.Is(err, threads.ErrNoReply) {
					t.Fatalf("%s: %v", tc.name, err)
				}
				if d := time.Since(start); d > 20*time.Second {
					t.Fatalf("%s: took %v", tc.name, d)
				}
			}
			_ = sess.Close()
			if _, err := sess.Start(ctx, threads.RunInput{}); !errors.Is(err, threads.ErrSessionClosed) {
				t.Fatalf("start after close: %v", err)
			}
		}
	})
}

// Cancelling the session's context, breaking out of loops and closing leave
// no goroutine behind.
func TestSessionNoLeaks(t *testing.T) {
	eachTransport(t, func(t *testing.T, tr threads.Transport) {
		ctx, c := integration(t)
		leakCheck(t)

		// The session's context ends mid-run.
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		sess, err := c.Threads.Session(sctx, "", "slow", threads.SessionParams{Transport: tr})
		if err != nil {
			t.Fatal(err)
		}
		never := sess.Subscribe(ctx, threads.Filter{}) // never ranged over
		_ = never
		run, err := sess.Start(ctx, threads.RunInput{Input: map[string]any{"steps": 20, "delay_ms": 50}})
		if err != nil {
			t.Fatal(err)
		}
		for ev, err := range run.Events(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			if ev.Custom != nil {
				cancel()
				break
			}
		}
		<-sess.Done()
		if err := sess.Err(); !errors.Is(err, context.Canceled) {
			t.Fatalf("session ended with %v", err)
		}
		if _, err := run.Output(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("output after the session ended: %v", err)
		}
		for _, err := range run.Events(ctx) {
			if !errors.Is(err, langgraph.ErrStreamUsed) {
				t.Fatalf("second range: %v", err)
			}
		}
		_ = sess.Close()

		// Close while a subscription and a run's events are being read.
		sess2 := open(ctx, t, c, "", "slow", threads.SessionParams{Transport: tr})
		sub := sess2.Subscribe(ctx, threads.Filter{Channels: []threads.Channel{threads.ChannelCustom}})
		run2, err := sess2.Start(ctx, threads.RunInput{Input: map[string]any{"steps": 50, "delay_ms": 50}})
		if err != nil {
			t.Fatal(err)
		}
		subDone := make(chan error, 1)
		go func() {
			var last error
			for _, err := range sub {
				last = err
			}
			subDone <- last
		}()
		evDone := make(chan error, 1)
		go func() {
			var last error
			for _, err := range run2.Events(ctx) {
				last = err
			}
			evDone <- last
		}()
		time.Sleep(200 * time.Millisecond)
		if err := sess2.Close(); err != nil {
			t.Fatal(err)
		}
		if err := <-subDone; !errors.Is(err, threads.ErrSessionClosed) {
			t.Fatalf("subscription ended with %v", err)
		}
		if err := <-evDone; !errors.Is(err, threads.ErrSessionClosed) {
			t.Fatalf("run events ended with %v", err)
		}
		if _, err := sess2.State(ctx); !errors.Is(err, threads.ErrSessionClosed) {
			t.Fatalf("state after close: %v", err)
		}
		_ = sess2.Close() // idempotent
	})
}
