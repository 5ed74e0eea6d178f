package langgraph_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/langgraph-go/langgraph"
)

// The accessors are checked on the real server's events in
// internal/wiretest (testdata/wire/stream.*.sse); these tests cover the
// Python server's forms and refusals.

func TestTaskEventForms(t *testing.T) {
	start, err := part("tasks|child:1", `{"id":"t1","name":"agent","input":{"a":1},"triggers":["branch:to:agent"],"interrupts":[]}`).Task()
	if err != nil || start.IsResult() || start.Name != "agent" || string(start.Input) != `{"a":1}` || start.Error != nil {
		t.Errorf("start = %+v, %v", start, err)
	}
	// The Python server: result as [channel, value] pairs, error as a string.
	res, err := part("tasks", `{"id":"t1","name":"agent","error":"ValueError('boom')","interrupts":[],"result":[["messages",[]]]}`).Task()
	if err != nil || !res.IsResult() || res.Error == nil || res.Error.Message != "ValueError('boom')" || res.Error.Name != "" {
		t.Errorf("Python result = %+v, %v", res, err)
	}
	var te *langgraph.TaskError
	if !errors.As(error(res.Error), &te) || te.Error() != "langgraph: task failed: ValueError('boom')" {
		t.Errorf("TaskError = %v", te)
	}
	// The JS server: an error object, or (in thread states) that object as a string.
	for _, e := range []string{`{"message":"Boo!","name":"CustomError"}`, `"{\"message\":\"Boo!\",\"name\":\"CustomError\"}"`} {
		res, err := part("tasks", `{"id":"t1","name":"fail","result":{},"interrupts":[],"error":`+e+`}`).Task()
		if err != nil || res.Error == nil || res.Error.Name != "CustomError" || res.Error.Message != "Boo!" || res.Error.Error() != "langgraph: task failed: CustomError: Boo!" {
			t.Errorf("error %s = %+v, %v", e, res.Error, err)
		}
	}
	if res, err := part("tasks", `{"id":"t","name":"n","interrupts":[],"error":42}`).Task(); err != nil || res.Error == nil || res.Error.Message != "42" {
		t.Errorf("error 42 = %+v, %v", res.Error, err)
	}
}

func TestDebugEvent(t *testing.T) {
	d, err := part("debug", `{"step":1,"type":"task","timestamp":"2026-11-29T07:22:27.370Z","payload":{"id":"t","name":"agent","input":{},"triggers":[]}}`).Debug()
	if err != nil || d.Type != langgraph.DebugTask || d.Step != 1 || d.Timestamp.IsZero() {
		t.Fatalf("Debug = %+v, %v", d, err)
	}
	if tk, err := d.Task(); err != nil || tk.Name != "agent" || tk.IsResult() {
		t.Errorf("Task = %+v, %v", tk, err)
	}
	if _, err := d.Checkpoint(); err == nil {
		t.Error("Checkpoint of a task: no error")
	}
	d, err = part("debug", `{"step":-1,"type":"checkpoint","timestamp":"2026-11-29T07:22:27+00:00","payload":{"values":{},"metadata":{"step":-1},"next":["__start__"],"parent_config":null,"config":{"configurable":{"thread_id":"th"}}}}`).Debug()
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Checkpoint()
	if err != nil || c.Config == nil || c.Config.Configurable["thread_id"] != "th" || c.ParentConfig != nil || len(c.Next) != 1 {
		t.Errorf("Checkpoint = %+v, %v", c, err)
	}
	if _, err := d.Task(); err == nil {
		t.Error("Task of a checkpoint: no error")
	}
	d.Payload = json.RawMessage(`[]`)
	if _, err := d.Checkpoint(); err == nil {
		t.Error("Checkpoint of a list: no error")
	}
}

func TestAccessorsRefuseOtherKinds(t *testing.T) {
	p := part("values", `{}`)
	for name, call := range map[string]func() error{
		"Task":          func() error { _, err := p.Task(); return err },
		"Checkpoint":    func() error { _, err := p.Checkpoint(); return err },
		"Debug":         func() error { _, err := p.Debug(); return err },
		"CallbackEvent": func() error { _, err := p.CallbackEvent(); return err },
		"Tool":          func() error { _, err := p.Tool(); return err },
		"Feedback":      func() error { _, err := p.Feedback(); return err },
		"Metadata":      func() error { _, err := p.Metadata(); return err },
		"Updates":       func() error { _, _, err := p.Updates(); return err },
		"Messages":      func() error { _, err := p.Messages(); return err },
	} {
		if err := call(); err == nil {
			t.Errorf("%s of a values event: no error", name)
		}
	}
	if _, err := part("tasks", `[1]`).Task(); err == nil {
		t.Error("Task of a list: no error")
	}
	if _, err := part("events", ``).CallbackEvent(); err == nil {
		t.Error("CallbackEvent without data: no error")
	}
}
