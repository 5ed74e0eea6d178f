package main

import (
	"encoding/json"
	"strings"
	"testing"
)

type protocolEvent struct {
	Seq    int64  `json:"seq"`
	Method string `json:"method"`
	Params struct {
		Namespace []string `json:"namespace"`
		Data      struct {
			Event string `json:"event"`
			Delta struct {
				Type string `json:"type"`
				Text string `json:"text"`
			} `json:"delta"`
			InterruptID string          `json:"interrupt_id"`
			Payload     json.RawMessage `json:"payload"`
		} `json:"data"`
	} `json:"params"`
}

func protocolLines(t *testing.T, out string) []protocolEvent {
	t.Helper()
	var evs []protocolEvent
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var ev protocolEvent
		if err := json.Unmarshal([]byte(line), &ev); err != nil || ev.Seq == 0 || ev.Method == "" {
			t.Fatalf("not an event line %q: %v", line, err)
		}
		evs = append(evs, ev)
	}
	return evs
}

func rootStatus(ev protocolEvent) string {
	if ev.Method != "lifecycle" || len(ev.Params.Namespace) != 0 {
		return ""
	}
	return ev.Params.Data.Event
}

func TestBinaryThreadsStream(t *testing.T) {
	srv.Setup(t)
	for _, c := range []struct {
		name string
		user call
		args []string
	}{
		{"sse, bearer token", alice, nil},
		{"websocket, api key", carol, []string{"--ws"}},
	} {
		r := c.user.ok(t, append([]string{"threads", "stream", "agent", "--input", `{"messages":[{"role":"human","content":"hi"}]}`}, c.args...)...)
		evs := protocolLines(t, r.stdout)
		if rootStatus(evs[0]) != "running" || rootStatus(evs[len(evs)-1]) != "completed" {
			t.Fatalf("%s: first %+v, last %+v", c.name, evs[0], evs[len(evs)-1])
		}
		var text strings.Builder
		for _, ev := range evs {
			if ev.Params.Data.Delta.Type == "text-delta" {
				text.WriteString(ev.Params.Data.Delta.Text)
			}
		}
		if text.String() != "You said: hi" {
			t.Errorf("%s: deltas %q", c.name, text.String())
		}
		if !strings.HasPrefix(r.stderr, "thread ") {
			t.Errorf("%s: stderr %q, want the new thread's id", c.name, r.stderr)
		}
	}

	// The interrupt: exit 4, then --respond resumes the run.
	th := newThread(t, alice)
	r := alice.exits(t, exitRunInterrupted, nil, "threads", "stream", "interrupt", "--thread", th, "--input", "{}", "--ws")
	evs := protocolLines(t, r.stdout)
	var asked string
	for _, ev := range evs {
		if ev.Method == "input.requested" {
			asked = ev.Params.Data.InterruptID
			if string(ev.Params.Data.Payload) != `{"question":"approve?"}` {
				t.Errorf("payload %s", ev.Params.Data.Payload)
			}
		}
	}
	if asked == "" || rootStatus(evs[len(evs)-1]) != "interrupted" {
		t.Fatalf("interrupted run:\n%s", r.stdout)
	}
	alice.fails(t, exitUsage, []string{"not pending"}, "threads", "stream", "interrupt", "--thread", th, "--respond", `"yes"`, "--interrupt-id", "nope")
	r = alice.ok(t, "threads", "stream", "interrupt", "--thread", th, "--respond", `"yes"`, "-o", "text")
	if !strings.Contains(r.stdout, "[state]") || !strings.Contains(r.stdout, `"answer": "yes"`) {
		t.Fatalf("resumed:\n%s", r.stdout)
	}

	// Filters on what is printed.
	r = alice.ok(t, "threads", "stream", "subgraph", "--input", `{"trail":""}`, "--channels", "lifecycle", "--namespace", "child", "--depth", "0")
	for _, ev := range protocolLines(t, r.stdout) {
		if ev.Method != "lifecycle" || len(ev.Params.Namespace) != 1 || !strings.HasPrefix(ev.Params.Namespace[0], "child:") {
			t.Errorf("filtered event %+v", ev)
		}
	}
	r = alice.ok(t, "threads", "stream", "subgraph", "--input", `{"trail":""}`, "--channels", "lifecycle", "--namespace", "", "--depth", "0")
	if evs := protocolLines(t, r.stdout); len(evs) != 2 || rootStatus(evs[0]) != "running" || rootStatus(evs[1]) != "completed" {
		t.Errorf("root lifecycle only:\n%s", r.stdout)
	}

	// Refused before anything is sent.
	alice.fails(t, exitUsage, []string{"--respond"}, "threads", "stream", "agent", "--respond", `"x"`, "--input", "{}")
	alice.fails(t, exitUsage, []string{"--depth needs --namespace"}, "threads", "stream", "agent", "--depth", "1")
	alice.fails(t, exitUsage, []string{"--channels"}, "threads", "stream", "agent", "--channels", "nope")
	// A failed run exits 2.
	alice.exits(t, exitAPI, []string{"CustomError", "Boo!"}, "threads", "stream", "error", "--input", `{"value":1}`, "--channels", "tasks")
}
