package protocol

import (
	"encoding/json"
	"errors"
	"testing"
)

// The cases are the server's (measured on the subgraph graph, and read in
// @langchain/langgraph's isPrefixMatch).
func TestFilterMatch(t *testing.T) {
	root := []string{}
	child := []string{"child:05828c8a-aa"}
	inner := []string{"middle:05828c8a", "inner:77"}
	for _, tc := range []struct {
		name string
		f    Filter
		ch   string
		ns   []string
		want bool
	}{
		{"all", Filter{}, "values", inner, true},
		{"unknown channel, no filter", Filter{}, "", root, true},
		{"channel listed", Filter{Channels: []string{"values"}}, "values", root, true},
		{"channel not listed", Filter{Channels: []string{"values"}}, "updates", root, false},
		{"custom matches named", Filter{Channels: []string{"custom"}}, "custom:progress", root, true},
		{"named does not match another", Filter{Channels: []string{"custom:a"}}, "custom:b", root, false},
		{"root depth 0", Filter{Namespaces: [][]string{{}}, Depth: 0, HasDepth: true}, "values", root, true},
		{"root depth 0, child", Filter{Namespaces: [][]string{{}}, Depth: 0, HasDepth: true}, "values", child, false},
		{"root depth 1, child", Filter{Namespaces: [][]string{{}}, Depth: 1, HasDepth: true}, "values", child, true},
		{"root no depth, grandchild", Filter{Namespaces: [][]string{{}}}, "values", inner, true},
		{"name without task id", Filter{Namespaces: [][]string{{"child"}}}, "values", child, true},
		{"partial name", Filter{Namespaces: [][]string{{"chi"}}}, "values", child, false},
		{"exact segment", Filter{Namespaces: [][]string{{"child:05828c8a-aa"}}, HasDepth: true}, "values", child, true},
		{"other task id", Filter{Namespaces: [][]string{{"child:other"}}}, "values", child, false},
		{"two levels", Filter{Namespaces: [][]string{{"middle", "inner"}}, HasDepth: true}, "values", inner, true},
		{"prefix longer than namespace", Filter{Namespaces: [][]string{{"middle", "inner"}}}, "values", child, false},
		{"depth without namespaces", Filter{Depth: 0, HasDepth: true}, "values", inner, true},
		{"any of several", Filter{Namespaces: [][]string{{"x"}, {"middle"}}, Depth: 1, HasDepth: true}, "values", inner, true},
	} {
		if got := tc.f.Match(tc.ch, "m", tc.ns); got != tc.want {
			t.Errorf("%s: Match = %v", tc.name, got)
		}
	}
	f := Filter{Channels: []string{"future.channel"}}
	if !f.Match("", "future.channel", nil) {
		t.Error("an unknown channel is selected by its method")
	}
}

func TestParse(t *testing.T) {
	ev, rep, err := Parse([]byte(`{"type":"event","event_id":"5","seq":5,"method":"updates","params":{"namespace":["a:1"],"timestamp":1795930627100,"node":"n","data":{"x":1},"extra":true}}`))
	if err != nil || rep != nil || ev.Seq != 5 || ev.ID != "5" || ev.Method != "updates" || ev.Node != "n" || ev.Timestamp != 1795930627100 ||
		len(ev.Namespace) != 1 || string(ev.Data) != `{"x":1}` || ev.fp == 0 {
		t.Fatalf("event %+v %v", ev, err)
	}
	same, _, _ := Parse([]byte(`{"type":"event","event_id":"5","seq":5,"method":"updates","params":{"namespace":["a:1"],"timestamp":1795930627100,"node":"n","data":{"x":1},"extra":true}}`))
	other, _, _ := Parse([]byte(`{"type":"event","event_id":"5","seq":5,"method":"updates","params":{"namespace":["a:1"],"timestamp":1795930627101,"node":"n","data":{"x":1},"extra":true}}`))
	if same.fp != ev.fp || other.fp == ev.fp {
		t.Fatal("fingerprints: the same event must match, another must not")
	}
	_, rep, err = Parse([]byte(`{"type":"success","id":3,"result":{"run_id":"r"},"meta":{"thread_id":"t","applied_through_seq":7}}`))
	if err != nil || !rep.OK || rep.ID != 3 || *rep.Meta.AppliedThroughSeq != 7 || string(rep.Result) != `{"run_id":"r"}` {
		t.Fatalf("success %+v %v", rep, err)
	}
	_, rep, err = Parse([]byte(`{"type":"error","id":null,"error":"invalid_argument","message":"Protocol commands must be valid JSON."}`))
	if err != nil || rep.OK || rep.ID != -1 || rep.Code != "invalid_argument" || rep.Meta != nil {
		t.Fatalf("error %+v %v", rep, err)
	}
	for _, bad := range []string{``, `[]`, `{"type":"event","method":"x"}`, `{"type":"event","seq":0,"method":"x"}`, `{"type":"event","seq":1}`,
		`{"type":"hello"}`, `{"type":"success","id":"x"}`, `{"type":"event","seq":1,"method":"x","params":[]}`} {
		if _, _, err := Parse([]byte(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("Parse(%q): %v", bad, err)
		}
	}
	if _, err := ParseEvent([]byte(`{"type":"success","id":1}`)); !errors.Is(err, ErrMalformed) {
		t.Errorf("ParseEvent of a reply: %v", err)
	}
}

func TestAccept(t *testing.T) {
	c := &Conn{epoch: 1}
	ev := func(seq int64, method string) *Event {
		e, _ := ParseEvent([]byte(`{"type":"event","seq":` + itoa(seq) + `,"method":"` + method + `","params":{"namespace":[],"data":{"event":"running"}}}`))
		return e
	}
	no := false
	if c.accept(ev(1, "lifecycle"), &no) != deliver || !c.rootActive {
		t.Fatal("first event")
	}
	if c.accept(ev(1, "lifecycle"), &no) != drop {
		t.Fatal("a repeat is dropped")
	}
	if c.accept(ev(2, "values"), &no) != deliver {
		t.Fatal("next event")
	}
	yes := true
	if c.accept(ev(2, "values"), &yes) != drop || yes {
		t.Fatal("the anchor event is dropped")
	}
	yes = true
	if c.accept(ev(2, "updates"), &yes) != restart {
		t.Fatal("another event at the anchor's seq is a restart")
	}
	yes = true
	if c.accept(ev(3, "values"), &yes) != restart {
		t.Fatal("an event past the anchor is a restart")
	}
	c.newEpoch(nil)
	if c.epoch != 2 || c.last != 0 || c.rootActive {
		t.Fatalf("new epoch %+v", c)
	}
	e := ev(1, "values")
	if c.accept(e, &no) != deliver || e.Epoch != 2 {
		t.Fatal("seq 1 of a new epoch is delivered")
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }
