// Package jsonx decodes the JSON of the stream's hot path (message chunks and
// their metadata) in one pass, as encoding/json would decode it into the
// SDK's types, without its reflection and second validation pass.
//
// A Scanner reads one value of a document; the caller walks objects key by
// key and reads each value with the method of its Go type, or skips it (a
// skipped value is validated all the same). What is accepted and what a
// value decodes to follow encoding/json: the same syntax, white space and
// nesting limit; strings unescaped with invalid UTF-8 and lone surrogates
// replaced by U+FFFD; keys matched exactly, else without regard to ASCII
// case; null leaving a value as it is; a value of the wrong type, or a
// number out of range or not an integer for an int, is an error.
package jsonx

import (
	"bytes"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

// Scanner reads JSON from data.
type Scanner struct {
	data []byte
	pos  int
	buf  []byte // scratch for unescaping
}

// New returns a Scanner of data.
func New(data []byte) *Scanner { return &Scanner{data: data} }

// Reset makes s read data.
func (s *Scanner) Reset(data []byte) { s.data, s.pos = data, 0 }

// Data returns the scanner's data.
func (s *Scanner) Data() []byte { return s.data }

// Start skips white space and returns the offset where the next value
// starts, for Since.
func (s *Scanner) Start() (int, error) {
	if s.peek() == 0 && s.pos >= len(s.data) {
		return s.pos, s.syntax("unexpected end of JSON input")
	}
	return s.pos, nil
}

// Since returns the bytes from start (from Start) to the position, with
// no spare capacity.
func (s *Scanner) Since(start int) []byte { return s.data[start:s.pos:s.pos] }

// SyntaxError is an error in the JSON text.
type SyntaxError struct {
	Msg    string
	Offset int
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("json: %s at offset %d", e.Msg, e.Offset) }

// TypeError is a value that cannot be decoded into the Go type asked for.
type TypeError struct {
	Value  string // "string", "number 2.5", "object", ...
	Type   string // the Go type
	Offset int
}

func (e *TypeError) Error() string {
	return fmt.Sprintf("json: cannot unmarshal %s into Go value of type %s", e.Value, e.Type)
}

func (s *Scanner) syntax(msg string) error { return &SyntaxError{Msg: msg, Offset: s.pos} }

// ws skips white space.
func (s *Scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (s *Scanner) peek() byte {
	s.ws()
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

// End checks that only white space is left.
func (s *Scanner) End() error {
	s.ws()
	if s.pos != len(s.data) {
		return s.syntax("invalid character after top-level value")
	}
	return nil
}

// Null consumes a null and reports whether the next value was one.
func (s *Scanner) Null() (bool, error) {
	if s.peek() != 'n' {
		return false, nil
	}
	return true, s.literal("null")
}

func (s *Scanner) literal(lit string) error {
	if len(s.data)-s.pos < len(lit) || string(s.data[s.pos:s.pos+len(lit)]) != lit {
		return s.syntax("invalid literal")
	}
	s.pos += len(lit)
	return nil
}

// kind names the JSON value that starts with c, for a TypeError.
func kind(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	}
	return "number"
}

func (s *Scanner) typeError(typ string) error {
	return &TypeError{Value: kind(s.peek()), Type: typ, Offset: s.pos}
}

// Object starts an object. It returns false, with no error, for a null
// (the value is then consumed), and an error for any other value.
func (s *Scanner) Object() (bool, error) {
	switch s.peek() {
	case '{':
		s.pos++
		return true, nil
	case 'n':
		return false, s.literal("null")
	case 0:
		return false, s.syntax("unexpected end of JSON input")
	}
	if err := s.checkValue(); err != nil {
		return false, err
	}
	return false, s.typeError("object")
}

// checkValue validates the value at pos without consuming it, so that a
// type error is reported only for valid JSON, as encoding/json does.
func (s *Scanner) checkValue() error {
	save := s.pos
	err := s.Skip()
	s.pos = save
	return err
}

// Key returns the next key of an object started by Object, unescaped, and
// consumes the colon after it; ok is false at the end of the object. The
// key is valid until the next call.
func (s *Scanner) Key(first bool) (key []byte, ok bool, err error) {
	c := s.peek()
	if c == '}' {
		s.pos++
		return nil, false, nil
	}
	if !first {
		if c != ',' {
			return nil, false, s.syntax("expected , or } after object value")
		}
		s.pos++
		c = s.peek()
	}
	if c != '"' {
		return nil, false, s.syntax("expected a string key")
	}
	key, err = s.str()
	if err != nil {
		return nil, false, err
	}
	if s.peek() != ':' {
		return nil, false, s.syntax("expected : after object key")
	}
	s.pos++
	return key, true, nil
}

// Fields walks the object (or null) at the position: it calls set with each
// key, and set reads the key's value with one of the Scanner's methods, or
// Skip. It returns the object's bytes as they are in data ("null" for a
// null), with no spare capacity.
func (s *Scanner) Fields(set func(key []byte) error) ([]byte, error) {
	start, err := s.Start()
	if err != nil {
		return nil, err
	}
	ok, err := s.Object()
	if err != nil {
		return nil, err
	}
	for first := ok; ok; first = false {
		var key []byte
		if key, ok, err = s.Key(first); err != nil {
			return nil, err
		}
		if ok {
			if err := set(key); err != nil {
				return nil, err
			}
		}
	}
	return s.Since(start), nil
}

// Array starts an array: like Object.
func (s *Scanner) Array() (bool, error) {
	switch s.peek() {
	case '[':
		s.pos++
		return true, nil
	case 'n':
		return false, s.literal("null")
	case 0:
		return false, s.syntax("unexpected end of JSON input")
	}
	if err := s.checkValue(); err != nil {
		return false, err
	}
	return false, s.typeError("array")
}

// More reports whether an array started by Array has another element, and
// consumes the comma before it (not before the first) or the closing ].
func (s *Scanner) More(first bool) (bool, error) {
	c := s.peek()
	if c == ']' {
		s.pos++
		return false, nil
	}
	if first {
		return true, nil
	}
	if c != ',' {
		return false, s.syntax("expected , or ] after array element")
	}
	s.pos++
	return true, nil
}

// String reads a string value; a null leaves *dst as it is.
func (s *Scanner) String(dst *string) error {
	switch s.peek() {
	case '"':
		b, err := s.str()
		if err != nil {
			return err
		}
		*dst = string(b)
		return nil
	case 'n':
		return s.literal("null")
	}
	if err := s.checkValue(); err != nil {
		return err
	}
	return s.typeError("string")
}

// Int reads an integer number; a null leaves *dst as it is.
func (s *Scanner) Int(dst *int) error {
	c := s.peek()
	if c == 'n' {
		return s.literal("null")
	}
	if c != '-' && (c < '0' || c > '9') {
		if err := s.checkValue(); err != nil {
			return err
		}
		return s.typeError("int")
	}
	start := s.pos
	if err := s.number(); err != nil {
		return err
	}
	n, err := strconv.ParseInt(string(s.data[start:s.pos]), 10, strconv.IntSize)
	if err != nil {
		return &TypeError{Value: "number " + string(s.data[start:s.pos]), Type: "int", Offset: start}
	}
	*dst = int(n)
	return nil
}

// Strings reads an array of strings: a null leaves *dst as it is, an empty
// array gives an empty, non-nil slice.
func (s *Scanner) Strings(dst *[]string) error {
	ok, err := s.Array()
	if !ok || err != nil {
		return err
	}
	out := (*dst)[:0]
	if out == nil {
		out = []string{}
	}
	for first := true; ; first = false {
		more, err := s.More(first)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		var v string
		if err := s.String(&v); err != nil {
			return err
		}
		out = append(out, v)
	}
	*dst = out
	return nil
}

// Raw returns the next value as it is in data (validated); a null is the
// bytes "null", as a json.RawMessage receives it. The slice aliases data.
func (s *Scanner) Raw() ([]byte, error) {
	s.ws()
	start := s.pos
	if err := s.Skip(); err != nil {
		return nil, err
	}
	return s.data[start:s.pos:s.pos], nil
}

// str reads a string token at pos (a '"') and returns its unescaped bytes:
// a slice of data when it needs no change, else of the scratch buffer.
func (s *Scanner) str() ([]byte, error) {
	i := s.pos + 1
	data := s.data
	for i < len(data) {
		c := data[i]
		if c == '"' {
			b := data[s.pos+1 : i]
			s.pos = i + 1
			return b, nil
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			return s.slowStr(i)
		}
		i++
	}
	s.pos = len(data)
	return nil, s.syntax("unexpected end of JSON input")
}

// slowStr finishes a string that has an escape, a control character or a
// non-ASCII byte, from i on.
func (s *Scanner) slowStr(i int) ([]byte, error) {
	data := s.data
	buf := append(s.buf[:0], data[s.pos+1:i]...)
	for i < len(data) {
		c := data[i]
		switch {
		case c == '"':
			s.pos = i + 1
			s.buf = buf
			return buf, nil
		case c < 0x20:
			s.pos = i
			return nil, s.syntax("invalid character in string literal")
		case c == '\\':
			if i+1 >= len(data) {
				s.pos = len(data)
				return nil, s.syntax("unexpected end of JSON input")
			}
			switch e := data[i+1]; e {
			case '"', '\\', '/':
				buf = append(buf, e)
				i += 2
			case 'b':
				buf, i = append(buf, '\b'), i+2
			case 'f':
				buf, i = append(buf, '\f'), i+2
			case 'n':
				buf, i = append(buf, '\n'), i+2
			case 'r':
				buf, i = append(buf, '\r'), i+2
			case 't':
				buf, i = append(buf, '\t'), i+2
			case 'u':
				r, ok := hex4(data, i+2)
				if !ok {
					s.pos = i
					return nil, s.syntax("invalid escape in string literal")
				}
				i += 6
				if utf16.IsSurrogate(r) {
					r2, ok := rune(-1), false
					if i+1 < len(data) && data[i] == '\\' && data[i+1] == 'u' {
						r2, ok = hex4(data, i+2)
					}
					if d := utf16.DecodeRune(r, r2); ok && d != utf8.RuneError {
						i += 6
						r = d
					} else {
						r = utf8.RuneError
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				s.pos = i
				return nil, s.syntax("invalid escape in string literal")
			}
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size == 1 {
				buf = utf8.AppendRune(buf, utf8.RuneError)
			} else {
				buf = append(buf, data[i:i+size]...)
			}
			i += size
		}
	}
	s.pos = len(data)
	return nil, s.syntax("unexpected end of JSON input")
}

func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number consumes a number token.
func (s *Scanner) number() error {
	data, i := s.data, s.pos
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && '1' <= data[i] && data[i] <= '9':
		for i++; i < len(data) && '0' <= data[i] && data[i] <= '9'; i++ {
		}
	default:
		s.pos = i
		return s.syntax("invalid character in numeric literal")
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			s.pos = i
			return s.syntax("invalid character after decimal point in numeric literal")
		}
		for i++; i < len(data) && '0' <= data[i] && data[i] <= '9'; i++ {
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || data[i] < '0' || data[i] > '9' {
			s.pos = i
			return s.syntax("invalid character in exponent of numeric literal")
		}
		for i++; i < len(data) && '0' <= data[i] && data[i] <= '9'; i++ {
		}
	}
	s.pos = i
	return nil
}

// Skip consumes (and validates) the next value.
func (s *Scanner) Skip() error {
	depth := 0
	// open holds, per level, whether it is an object (and whether a key is
	// expected next); the levels beyond 64 are checked by position only.
	type level struct{ obj bool }
	var stack [64]level
	var deep []level
	push := func(l level) error {
		if depth >= maxDepth {
			return s.syntax("exceeded max depth")
		}
		if depth < len(stack) {
			stack[depth] = l
		} else {
			deep = append(deep, l)
		}
		depth++
		return nil
	}
	top := func() level {
		if depth <= len(stack) {
			return stack[depth-1]
		}
		return deep[depth-1-len(stack)]
	}
	pop := func() {
		depth--
		if depth >= len(stack) {
			deep = deep[:len(deep)-1]
		}
	}
	for {
		// A value.
		switch c := s.peek(); {
		case c == '{':
			s.pos++
			if err := push(level{obj: true}); err != nil {
				return err
			}
			if s.peek() == '}' {
				s.pos++
				pop()
				break
			}
			if err := s.key(); err != nil {
				return err
			}
			continue
		case c == '[':
			s.pos++
			if err := push(level{}); err != nil {
				return err
			}
			if s.peek() == ']' {
				s.pos++
				pop()
				break
			}
			continue
		case c == '"':
			if err := s.skipStr(); err != nil {
				return err
			}
		case c == 't':
			if err := s.literal("true"); err != nil {
				return err
			}
		case c == 'f':
			if err := s.literal("false"); err != nil {
				return err
			}
		case c == 'n':
			if err := s.literal("null"); err != nil {
				return err
			}
		case c == '-' || ('0' <= c && c <= '9'):
			if err := s.number(); err != nil {
				return err
			}
		case c == 0 && s.pos >= len(s.data):
			return s.syntax("unexpected end of JSON input")
		default:
			return s.syntax("invalid character looking for beginning of value")
		}
		// After a value: close levels, or go on to the next element.
		for {
			if depth == 0 {
				return nil
			}
			c := s.peek()
			l := top()
			switch {
			case c == ',':
				s.pos++
				if l.obj {
					if err := s.key(); err != nil {
						return err
					}
				}
			case l.obj && c == '}', !l.obj && c == ']':
				s.pos++
				pop()
				continue
			case c == 0 && s.pos >= len(s.data):
				return s.syntax("unexpected end of JSON input")
			default:
				return s.syntax("invalid character after value")
			}
			break
		}
	}
}

// key consumes an object key and its colon.
func (s *Scanner) key() error {
	if s.peek() != '"' {
		if s.pos >= len(s.data) {
			return s.syntax("unexpected end of JSON input")
		}
		return s.syntax("invalid character looking for beginning of object key string")
	}
	if err := s.skipStr(); err != nil {
		return err
	}
	if s.peek() != ':' {
		if s.pos >= len(s.data) {
			return s.syntax("unexpected end of JSON input")
		}
		return s.syntax("invalid character after object key")
	}
	s.pos++
	return nil
}

// skipStr consumes a string token, validating its escapes.
func (s *Scanner) skipStr() error {
	data, i := s.data, s.pos+1
	for i < len(data) {
		switch c := data[i]; {
		case c == '"':
			s.pos = i + 1
			return nil
		case c < 0x20:
			s.pos = i
			return s.syntax("invalid character in string literal")
		case c == '\\':
			if i+1 >= len(data) {
				s.pos = len(data)
				return s.syntax("unexpected end of JSON input")
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if _, ok := hex4(data, i+2); !ok {
					s.pos = i
					return s.syntax("invalid escape in string literal")
				}
				i += 6
			default:
				s.pos = i
				return s.syntax("invalid escape in string literal")
			}
		default:
			i++
		}
	}
	s.pos = len(data)
	return s.syntax("unexpected end of JSON input")
}

// FoldEqual reports whether key matches name under Unicode case folding,
// as encoding/json matches a key that has no exact match.
func FoldEqual(key []byte, name string) bool {
	return bytes.EqualFold(key, []byte(name))
}
