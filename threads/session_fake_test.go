package threads_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
	"github.com/langgraph-go/langgraph/threads"
)

// fakeProtocol serves the protocol's SSE routes with what the real server
// never sends: events is written on every event stream.
func fakeProtocol(t *testing.T, contentType, events string) *client.Client {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/commands"):
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"type":"success","id":1,"result":{"values":{}},"meta":{"thread_id":"t","applied_through_seq":0}}`)
		case strings.HasSuffix(r.URL.Path, "/stream/events"):
			w.Header().Set("Content-Type", contentType)
			fmt.Fprint(w, events)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(ts.Close)
	c, err := client.New(langgraph.WithBaseURL(ts.URL), langgraph.WithoutAPIKey(), langgraph.WithMaxEventSize(4096))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSessionAnswersThatCannotBeRight(t *testing.T) {
	leakCheck(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, tc := range []struct {
		name, contentType, events string
		atOpen                    bool
		want                      func(error) bool
	}{
		{"not an event stream", "application/json", `{}`, true, isResponseError},
		{"not an envelope", "text/event-stream", "event: values\ndata: {\"hello\":1}\nid: 1\n\n", false, isResponseError},
		{"not JSON", "text/event-stream", "data: oops\n\n", false, isResponseError},
		{"too large", "text/event-stream", "data: " + strings.Repeat("x", 5000) + "\n\n", false,
			func(err error) bool { return errors.Is(err, langgraph.ErrEventTooLarge) }},
	} {
		c := fakeProtocol(t, tc.contentType, tc.events)
		sess, err := c.Threads.Session(ctx, "", "agent", threads.SessionParams{})
		if tc.atOpen {
			if !tc.want(err) {
				t.Errorf("%s: open: %v", tc.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		<-sess.Done()
		if err := sess.Err(); !tc.want(err) {
			t.Errorf("%s: session ended with %v", tc.name, err)
		}
		for _, err := range sess.Subscribe(ctx, threads.Filter{}) {
			if !tc.want(err) {
				t.Errorf("%s: subscribe after the end: %v", tc.name, err)
			}
		}
		_ = sess.Close()
	}
}

func isResponseError(err error) bool {
	var re *langgraph.ResponseError
	return errors.As(err, &re)
}

// A connection that stays open but silent is taken for broken after
// Reconnect.IdleTimeout: the session reconnects, and gives up with a
// *langgraph.StreamError whose cause matches langgraph.ErrStreamIdle.
func TestSessionIdleConnection(t *testing.T) {
	leakCheck(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := fakeProtocol(t, "text/event-stream", "")
	var reconnects []langgraph.Reconnect
	sess, err := c.Threads.Session(ctx, "", "agent", threads.SessionParams{Reconnect: langgraph.ReconnectPolicy{
		IdleTimeout: 100 * time.Millisecond, MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond,
		OnReconnect: func(r langgraph.Reconnect) { reconnects = append(reconnects, r) },
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	<-sess.Done()
	var se *langgraph.StreamError
	if err := sess.Err(); !errors.As(err, &se) || !errors.Is(err, langgraph.ErrStreamIdle) || se.Attempts != 2 {
		t.Fatalf("session ended with %v", err)
	}
	if len(reconnects) != 2 || !errors.Is(reconnects[0].Cause, langgraph.ErrStreamIdle) || reconnects[1].Attempt != 2 {
		t.Fatalf("reconnects %+v", reconnects)
	}
}
