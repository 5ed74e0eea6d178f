package threads_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/fake"
	"github.com/langgraph-go/langgraph/internal/testserver"
	"github.com/langgraph-go/langgraph/threads"
)

// The JS server has no thread stream: these tests use a fake that follows
// the Python server's wire contract (GET /threads/{id}/stream, Last-Event-ID).

// streamClient is the options of the fakes' clients.
var streamClient = langgraph.Options(langgraph.WithBearerToken("thread-token"), langgraph.WithMaxRetries(0))

func checkNoLeaks(t *testing.T) {
	opt := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, opt) })
}

func sendEvents(w http.ResponseWriter, events string) {
	w.Header().Set("Content-Type", "text/event-stream")
	io.WriteString(w, events)
	w.(http.Flusher).Flush()
}

var quick = langgraph.ReconnectPolicy{MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}

func TestJoinStreamRequestAndEvents(t *testing.T) {
	checkNoLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		sendEvents(w, "event: metadata\ndata: {\"run_id\":\"r1\"}\nid: 4\n\n"+
			"event: values\ndata: {\"a\":1}\nid: 5\n\n"+
			"event: error\ndata: {\"error\":\"ValueError\",\"message\":\"bad\"}\nid: 6\n\n"+
			"event: metadata\ndata: {\"run_id\":\"r2\"}\nid: 7\n\n"+
			"event: updates|sub:1\ndata: {}\nid: 8\n\n")
	})
	c := f.Client(streamClient)
	var events []string
	var runErr *langgraph.RunError
	for p, err := range c.Threads.JoinStream(context.Background(), "t/1", threads.JoinStreamParams{
		LastEventID: "3", StreamMode: []threads.StreamMode{threads.StreamRunModes, threads.StreamLifecycle}}) {
		if err != nil && !errors.As(err, &runErr) {
			t.Fatal(err)
		}
		events = append(events, p.Event+"#"+p.ID)
	}
	want := []string{"metadata#4", "values#5", "error#6", "metadata#7", "updates|sub:1#8"}
	if !slices.Equal(events, want) {
		t.Errorf("events = %v, want %v", events, want)
	}
	if runErr == nil || runErr.Name != "ValueError" || runErr.Message != "bad" || runErr.ThreadID != "t/1" {
		t.Errorf("run error = %+v", runErr)
	}
	r := f.Requests()
	if len(r) != 1 || r[0].Path != "/threads/t%2F1/stream" || r[0].Query.Encode() != "stream_mode=run_modes&stream_mode=lifecycle" ||
		r[0].Header.Get("Last-Event-ID") != "3" || r[0].BearerToken() != "thread-token" {
		t.Errorf("requests = %+v", r)
	}
}

func TestJoinStreamReconnects(t *testing.T) {
	checkNoLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch n {
		case 0:
			sendEvents(w, "event: values\ndata: 1\nid: 1\n\nevent: values\ndata: 2\nid: 2\n\nevent: val")
			panic(http.ErrAbortHandler)
		case 1:
			panic(http.ErrAbortHandler) // a failed attempt
		default:
			sendEvents(w, "event: values\ndata: 2\nid: 2\n\nevent: values\ndata: 3\nid: 3\n\n")
		}
	})
	c := f.Client(streamClient)
	var calls []langgraph.Reconnect
	p := threads.JoinStreamParams{Reconnect: quick}
	p.Reconnect.OnReconnect = func(r langgraph.Reconnect) { calls = append(calls, r) }
	var ids []string
	for part, err := range c.Threads.JoinStream(context.Background(), "t1", p) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, part.ID+"="+string(part.Data))
	}
	if want := []string{"1=1", "2=2", "3=3"}; !slices.Equal(ids, want) {
		t.Errorf("events = %v, want %v", ids, want)
	}
	r := f.Requests()
	if len(r) != 3 || r[0].Header.Get("Last-Event-ID") != "" || r[1].Header.Get("Last-Event-ID") != "2" || r[2].Header.Get("Last-Event-ID") != "2" {
		t.Errorf("requests = %+v", r)
	}
	for _, q := range r {
		if q.BearerToken() != "thread-token" {
			t.Errorf("request without credentials: %+v", q)
		}
	}
	if len(calls) != 2 || calls[1].Attempt != 2 || calls[0].LastEventID != "2" || calls[0].Run.ThreadID != "t1" {
		t.Errorf("OnReconnect calls = %+v", calls)
	}
}

func TestJoinStreamWithoutIDs(t *testing.T) {
	checkNoLeaks(t)
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		sendEvents(w, "event: values\ndata: 1\n\n")
		panic(http.ErrAbortHandler)
	})
	c := f.Client(streamClient)
	var got int
	var last error
	for _, err := range c.Threads.JoinStream(context.Background(), "t1", threads.JoinStreamParams{Reconnect: quick}) {
		if err != nil {
			last = err
			break
		}
		got++
	}
	var se *langgraph.StreamError
	if !errors.As(last, &se) || !strings.Contains(se.Reason, "without ids") || se.ThreadID != "t1" || got != 1 {
		t.Errorf("got %d events, err %v", got, last)
	}
	if f.Count() != 1 {
		t.Errorf("requests = %+v", f.Requests())
	}
}

func TestJoinStreamCancel(t *testing.T) {
	checkNoLeaks(t)
	done := make(chan struct{})
	f := fake.NewHandler(t, func(n int, w http.ResponseWriter, r *http.Request) {
		for i := 0; ; i++ {
			sendEvents(w, fmt.Sprintf("event: values\ndata: %d\nid: %d\n\n", i, i))
			select {
			case <-r.Context().Done():
				close(done)
				return
			case <-time.After(time.Millisecond):
			}
		}
	})
	c := f.Client(streamClient)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	seq := c.Threads.JoinStream(ctx, "t1", threads.JoinStreamParams{})
	var last error
	for p, err := range seq {
		if err != nil {
			last = err
			break
		}
		if p.ID == "3" {
			cancel()
		}
	}
	if !errors.Is(last, context.Canceled) {
		t.Errorf("err = %v", last)
	}
	<-done
	for _, err := range seq {
		if !errors.Is(err, langgraph.ErrStreamUsed) {
			t.Errorf("second range: %v", err)
		}
	}
}

// TestJoinStreamJSServer: the JS server has no thread stream.
func TestJoinStreamJSServer(t *testing.T) {
	ctx, c := srv.Setup(t), srv.Client(t, testserver.Alice)
	th, err := c.Threads.Create(ctx, threads.CreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range c.Threads.JoinStream(ctx, th.ThreadID, threads.JoinStreamParams{}) {
		if !errors.Is(err, langgraph.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	}
}
