package jsonobj

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestEach(t *testing.T) {
	var got []string
	err := Each([]byte(` {"b": 1, "a": {"x": [1, 2]}, "c": null, "b": "again"} `), func(k string, v json.RawMessage) error {
		got = append(got, k+"="+string(v))
		return nil
	})
	if want := `b=1 a={"x": [1, 2]} c=null b="again"`; err != nil || strings.Join(got, " ") != want {
		t.Errorf("Each = %q, %v; want %q", got, err, want)
	}
	for _, bad := range []string{``, `null`, `[]`, `"s"`, `{`, `{"a":}`, `{"a":1}{}`, `{"a":1} x`} {
		if err := Each([]byte(bad), func(string, json.RawMessage) error { return nil }); err == nil {
			t.Errorf("Each(%q): no error", bad)
		}
	}
	stop := errors.New("stop")
	n := 0
	if err := Each([]byte(`{"a":1,"b":2}`), func(string, json.RawMessage) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("Each did not stop at the callback's error: %v after %d calls", err, n)
	}
}
