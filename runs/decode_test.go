package runs

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph"
)

func TestDecodeResult(t *testing.T) {
	meta := langgraph.RunRef{RunID: "r1", ThreadID: "t1"}
	for _, tc := range []struct {
		name        string
		body        string
		values      string
		interrupts  []string // ids
		interrupted bool
	}{
		{"object", `{"a":1}`, `{"a":1}`, nil, false},
		{"keep-alive newlines", "\n\n\n{\"a\":1}", `{"a":1}`, nil, false},
		{"keep-alive and trailing space", "\n \r\n{\"a\":[1,2]}\n", `{"a":[1,2]}`, nil, false},
		{"interrupt stripped", `{"__interrupt__":[{"id":"i1","value":{"question":"approve?"}}],"a":1}`, `{"a":1}`, []string{"i1"}, true},
		{"interrupt only", "\n{\"__interrupt__\":[{\"id\":\"i1\",\"value\":1},{\"id\":\"i2\",\"value\":2}]}", `{}`, []string{"i1", "i2"}, true},
		{"breakpoint", `{"__interrupt__":[]}`, `{}`, nil, true},
		{"list", `[1,2]`, `[1,2]`, nil, false},
		{"string", `"done"`, `"done"`, nil, false},
		{"number", "\n42", `42`, nil, false},
		{"null", `null`, `null`, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := decodeResult(http.MethodGet, answer, []byte(tc.body), meta)
			if err != nil {
				t.Fatal(err)
			}
			if string(res.Values) != tc.values {
				t.Errorf("Values = %s, want %s", res.Values, tc.values)
			}
			var ids []string
			for _, in := range res.Interrupts {
				ids = append(ids, in.ID)
			}
			if strings.Join(ids, ",") != strings.Join(tc.interrupts, ",") || res.Interrupted() != tc.interrupted {
				t.Errorf("interrupts = %v (interrupted %v), want %v (%v)", ids, res.Interrupted(), tc.interrupts, tc.interrupted)
			}
			if res.Run != meta {
				t.Errorf("Run = %+v", res.Run)
			}
		})
	}
}

func TestDecodeResultInterruptValue(t *testing.T) {
	res, err := decodeResult(http.MethodGet, answer, []byte(`{"__interrupt__":[{"id":"i1","value":{"question":"approve?"}}]}`), langgraph.RunRef{})
	if err != nil {
		t.Fatal(err)
	}
	var q struct{ Question string }
	if err := res.Interrupts[0].Decode(&q); err != nil || q.Question != "approve?" {
		t.Errorf("interrupt value = %+v, %v", q, err)
	}
}

func TestDecodeResultErrors(t *testing.T) {
	meta := langgraph.RunRef{RunID: "r1", ThreadID: "t1"}
	for _, tc := range []struct {
		name, body, errName, message string
	}{
		{"JS double-encoded", "\n\n" + `{"__error__":{"error":"Error","message":"{\"error\":\"CustomError\",\"message\":\"Boo!\"}"}}`, "CustomError", "Boo!"},
		{"plain", `{"__error__":{"error":"ValueError","message":"bad input"}}`, "ValueError", "bad input"},
		{"message looks like JSON but is not", `{"__error__":{"error":"Error","message":"{not json"}}`, "Error", "{not json"},
		{"message is JSON without an error name", `{"__error__":{"error":"Error","message":"{\"message\":\"x\"}"}}`, "Error", `{"message":"x"}`},
		{"a string", `{"__error__":"boom"}`, "", "boom"},
		{"a number", `{"__error__":42}`, "", "42"},
		{"with other keys", `{"a":1,"__error__":{"error":"E","message":"m"}}`, "E", "m"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := decodeResult(http.MethodGet, answer, []byte(tc.body), meta)
			var re *langgraph.RunError
			if !errors.As(err, &re) {
				t.Fatalf("decodeResult = %+v, %v; want a *langgraph.RunError", res, err)
			}
			if re.Name != tc.errName || re.Message != tc.message || re.RunID != "r1" || re.ThreadID != "t1" {
				t.Errorf("RunError = %+v, want %q %q of r1/t1", re, tc.errName, tc.message)
			}
		})
	}
}

// answer is the response whose body the decodeResult tests hand over.
var answer = &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
	Request: &http.Request{Method: http.MethodGet, URL: &url.URL{Scheme: "http", Host: "h", Path: "/threads/t1/runs/r1/join"}}}

func TestDecodeResultMalformed(t *testing.T) {
	for name, body := range map[string]string{
		"empty":                  ``,
		"only newlines":          "\n\n\n",
		"truncated object":       `{"a":`,
		"not JSON":               `hello`,
		"interrupt not a list":   `{"__interrupt__":{"id":"i1"}}`,
		"interrupt of bad items": `{"__interrupt__":[1,2]}`,
	} {
		res, err := decodeResult(http.MethodGet, answer, []byte(body), langgraph.RunRef{})
		var re *langgraph.ResponseError
		if !errors.As(err, &re) || re.StatusCode != 200 || re.URL != "http://h/threads/t1/runs/r1/join" {
			t.Errorf("%s: got %+v, %v; want a *langgraph.ResponseError", name, res, err)
		}
	}
}
