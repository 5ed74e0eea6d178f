// Package jsonobj reads the members of a JSON object in the order the
// server sent them, which decoding into a Go map loses.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/langgraph-go/langgraph/internal/jsonx"
)

// ErrNotObject is returned for JSON that is not an object.
var ErrNotObject = errors.New("not a JSON object")

// Each calls fn with each member of the JSON object b, in order, and stops
// at fn's first error. Values are slices of b (b must not change while they
// are in use). b must hold one object and nothing else; JSON null is not an
// object. It reads b in one pass (internal/jsonx), validating it.
func Each(b []byte, fn func(key string, value json.RawMessage) error) error {
	if t := bytes.TrimLeft(b, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		if len(t) == 0 {
			return errors.New("unexpected end of JSON input")
		}
		return ErrNotObject
	}
	var sc jsonx.Scanner
	sc.Reset(b)
	if _, err := sc.Object(); err != nil {
		return err
	}
	for first := true; ; first = false {
		key, more, err := sc.Key(first)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		k := string(key)
		v, err := sc.Raw()
		if err != nil {
			return err
		}
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return sc.End()
}
