package runs_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/runs"
)

// routes answers by "METHOD path" and records the order of the requests.
func routes(t *testing.T, answers map[string]string) (*client.Client, func() []string) {
	t.Helper()
	f, c := fake.NewClient(t, func(_ int, r fake.Request) fake.Reply {
		key := r.Method + " " + r.Path
		body, ok := answers[key]
		if !ok {
			return fake.Reply{Status: http.StatusNotFound, ContentType: fake.Text, Body: "no route " + key}
		}
		return fake.Reply{Body: body}
	}, langgraph.WithMaxRetries(0))
	return c, func() []string { return order(f) }
}

// order lists the requests f received as "METHOD path".
func order(f *fake.Server) []string {
	var out []string
	for _, r := range f.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

const (
	joinPath   = "GET /threads/t1/runs/r1/join"
	threadPath = "GET /threads/t1"
	runPath    = "GET /threads/t1/runs/r1"
	statePath  = "GET /threads/t1/state"
)

func TestJoinOfEndedRun(t *testing.T) {
	ctx := context.Background()

	t.Run("interrupted thread", func(t *testing.T) {
		c, order := routes(t, map[string]string{
			joinPath: `{}`,
			threadPath: `{"thread_id":"t1","status":"interrupted","interrupts":{
				"task-b":[{"id":"i3","value":3}],
				"task-a":[{"id":"i1","value":{"question":"approve?"}},{"id":"i2","value":2}]}}`,
			statePath: `{"values":{},"next":["ask"],"metadata":{"run_id":"r1"}}`,
		})
		res, err := c.Runs.Join(ctx, "t1", "r1", runs.JoinParams{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, in := range res.Interrupts {
			ids = append(ids, in.ID)
		}
		if !res.Interrupted() || strings.Join(ids, ",") != "i1,i2,i3" || string(res.Values) != "{}" {
			t.Errorf("Join = %+v, want interrupts i1,i2,i3 in task order", res)
		}
		if got := strings.Join(order(), "; "); got != joinPath+"; "+threadPath+"; "+statePath {
			t.Errorf("requests = %s", got)
		}
	})

	t.Run("breakpoint", func(t *testing.T) {
		c, _ := routes(t, map[string]string{joinPath: `{"a":1}`, threadPath: `{"status":"interrupted","interrupts":{}}`, statePath: `{"metadata":{"run_id":"r1"}}`})
		res, err := c.Runs.Join(ctx, "t1", "r1", runs.JoinParams{})
		if err != nil || !res.Interrupted() || len(res.Interrupts) != 0 || string(res.Values) != `{"a":1}` {
			t.Errorf("Join = %+v, %v; want interrupted with the values", res, err)
		}
	})

	t.Run("failed run", func(t *testing.T) {
		c, order := routes(t, map[string]string{joinPath: `{}`, threadPath: `{"status":"error"}`, runPath: `{"run_id":"r1","status":"error"}`})
		_, err := c.Runs.Join(ctx, "t1", "r1", runs.JoinParams{})
		var re *langgraph.RunError
		if !errors.As(err, &re) || re.RunID != "r1" || re.ThreadID != "t1" || !strings.Contains(re.Message, "error") {
			t.Errorf("Join = %v, want a RunError of r1", err)
		}
		if got := len(order()); got != 3 {
			t.Errorf("%d requests, want join, thread and run", got)
		}
	})

	t.Run("thread interrupted by a later run", func(t *testing.T) {
		c, _ := routes(t, map[string]string{
			joinPath:   `{"a":1}`,
			threadPath: `{"status":"interrupted","interrupts":{"task":[{"id":"i9","value":9}]}}`,
			statePath:  `{"next":["ask"],"metadata":{"run_id":"r2"}}`,
		})
		res, err := c.Runs.Join(ctx, "t1", "r1", runs.JoinParams{})
		if err != nil || res.Interrupted() || string(res.Values) != `{"a":1}` {
			t.Errorf("Join = %+v, %v; want r1's result without r2's interrupts", res, err)
		}
	})

	t.Run("thread in error from another run", func(t *testing.T) {
		c, _ := routes(t, map[string]string{joinPath: `{"a":1}`, threadPath: `{"status":"error"}`, runPath: `{"run_id":"r1","status":"success"}`})
		res, err := c.Runs.Join(ctx, "t1", "r1", runs.JoinParams{})
		if err != nil || res.Interrupted() || string(res.Values) != `{"a":1}` {
			t.Errorf("Join = %+v, %v", res, err)
		}
	})

	t.Run("finished", func(t *testing.T) {
		c, order := routes(t, map[string]string{joinPath: "\n" + `{"a":1}`, threadPath: `{"status":"idle"}`})
		res, err := c.Runs.Join(ctx, "t1", "r1", runs.JoinParams{})
		if err != nil || res.Interrupted() || string(res.Values) != `{"a":1}` || res.Run != (langgraph.RunRef{RunID: "r1", ThreadID: "t1"}) {
			t.Errorf("Join = %+v, %v", res, err)
		}
		if len(order()) != 2 {
			t.Errorf("requests = %v", order())
		}
	})

	t.Run("live result needs no more requests", func(t *testing.T) {
		c, order := routes(t, map[string]string{joinPath: `{"__interrupt__":[{"id":"i1","value":1}]}`})
		res, err := c.Runs.Join(ctx, "t1", "r1", runs.JoinParams{})
		if err != nil || len(res.Interrupts) != 1 {
			t.Errorf("Join = %+v, %v", res, err)
		}
		c, order2 := routes(t, map[string]string{joinPath: `{"__error__":{"error":"E","message":"m"}}`})
		_, err = c.Runs.Join(ctx, "t1", "r1", runs.JoinParams{})
		var re *langgraph.RunError
		if !errors.As(err, &re) || re.Name != "E" {
			t.Errorf("Join = %v", err)
		}
		if len(order()) != 1 || len(order2()) != 1 {
			t.Errorf("requests = %v and %v, want the join only", order(), order2())
		}
	})
}

// waitServer answers a thread wait with its headers and a keep-alive
// newline, then breaks the connection (or, with hang, waits for the client
// to give up); joins and thread reads get answers.
func waitServer(t *testing.T, hang bool) (*client.Client, func() []string) {
	t.Helper()
	f := fake.NewHandler(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		switch key := r.Method + " " + r.URL.EscapedPath(); key {
		case "POST /threads/t1/runs/wait":
			w.Header().Set("Content-Location", "/threads/t1/runs/r1")
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, "\n")
			w.(http.Flusher).Flush()
			if hang {
				<-r.Context().Done()
				return
			}
			panic(http.ErrAbortHandler)
		case joinPath:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"a":1}`)
		case threadPath:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"status":"idle"}`)
		default:
			http.Error(w, "no route", http.StatusNotFound)
		}
	})
	return f.Client(langgraph.WithMaxRetries(0)), func() []string { return order(f) }
}

func TestWaitJoinsAfterABrokenConnection(t *testing.T) {
	c, order := waitServer(t, false)
	var created []langgraph.RunRef
	res, err := c.Runs.Wait(context.Background(), "t1", "agent", runs.CreateParams{OnRunCreated: func(m langgraph.RunRef) { created = append(created, m) }})
	if err != nil {
		t.Fatal(err)
	}
	if string(res.Values) != `{"a":1}` || res.Run != (langgraph.RunRef{RunID: "r1", ThreadID: "t1"}) || len(created) != 1 {
		t.Errorf("Wait = %+v (created %+v)", res, created)
	}
	if got := strings.Join(order(), "; "); got != "POST /threads/t1/runs/wait; "+joinPath+"; "+threadPath {
		t.Errorf("requests = %s, want the wait once, then the join", got)
	}
}

func TestWaitTimeoutDoesNotJoin(t *testing.T) {
	c, order := waitServer(t, true)
	_, err := c.Runs.Wait(context.Background(), "t1", "agent", runs.CreateParams{}, langgraph.WithTimeout(50*time.Millisecond))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Wait past its timeout = %v, want context.DeadlineExceeded", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	_, err = c.Runs.Wait(ctx, "t1", "agent", runs.CreateParams{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Wait = %v, want context.Canceled", err)
	}
	if got := order(); len(got) != 2 || slices.Contains(got, joinPath) {
		t.Errorf("requests = %v, want two waits and no join", got)
	}
}
