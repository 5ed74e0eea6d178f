package jsonx

import (
	"encoding/json"
	"strings"
	"testing"
)

var seeds = []string{
	`{}`, `[]`, `null`, `true`, `false`, `0`, `-0.5e+3`, `"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude42"`,
	`{"a":[1,{"b":null}],"c":"d"}`, ` [ 1 , 2 ] `, `{"a":1,}`, `[1,]`, `{"a" 1}`, `01`, `1.`, `1e`, `"\x"`, "\"\x01\"",
	`"\u12"`, `[[[[[[[[[[]]]]]]]]]]`, `{"a":{"b":{"c":[{"d":[]}]}}}`, `tru`, `nul`, `"`, `{`, `[`, `{"a"`, `{"a":`,
	`1 2`, `"\ud800"`, `"\udc00\ud800"`, "\"\xff\"", `{"":""}`, strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
}

// TestSkipValidates: Skip followed by End accepts exactly what json.Valid
// accepts (a value encoding/json skips, as it does the value of an unknown
// key, is only validated).
func TestSkipValidates(t *testing.T) {
	for _, in := range seeds {
		checkSkip(t, []byte(in))
	}
}

func FuzzSkip(f *testing.F) {
	for _, in := range seeds {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) { checkSkip(t, in) })
}

func checkSkip(t *testing.T, in []byte) {
	t.Helper()
	s := New(in)
	err := s.Skip()
	if err == nil {
		err = s.End()
	}
	if valid := json.Valid(in); (err == nil) != valid {
		t.Fatalf("%.80q: Skip+End err %v, json.Valid %v", in, err, valid)
	}
}

// TestString: strings decode as encoding/json decodes them, invalid UTF-8
// and lone surrogates included.
func TestString(t *testing.T) {
	for _, in := range []string{`"plain"`, `"caf\u00e9"`, `"\ud83d\ude42"`, `"\ud800x"`, "\"\xffok\xc3\"", `"a\nb"`, `"é"`, `null`} {
		var got, want string
		s := New([]byte(in))
		if err := s.String(&got); err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if err := json.Unmarshal([]byte(in), &want); err != nil || got != want {
			t.Errorf("%q: %q, want %q (%v)", in, got, want, err)
		}
	}
	var dst string
	for _, in := range []string{`1`, `{}`, `[`, `"x`} {
		if err := New([]byte(in)).String(&dst); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

// TestInt: integers in range decode; fractions, exponents and overflow
// are errors, as encoding/json reports them for an int.
func TestInt(t *testing.T) {
	for in, want := range map[string]int{`0`: 0, `-7`: -7, `123456789`: 123456789} {
		var got int
		if err := New([]byte(in)).Int(&got); err != nil || got != want {
			t.Errorf("%s: %d, %v", in, got, err)
		}
	}
	for _, in := range []string{`1.5`, `1e3`, `99999999999999999999`, `"1"`, `-`} {
		var got int
		if err := New([]byte(in)).Int(&got); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
}
