// Package jsonobj reads the members of a JSON object in the order the
// server sent them, which decoding into a Go map loses.
package jsonobj

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// ErrNotObject is returned for JSON that is not an object.
var ErrNotObject = errors.New("not a JSON object")

// Each calls fn with each member of the JSON object b, in order, and stops
// at fn's first error. Values are copies of their bytes in b. b must hold one
// object and nothing else; JSON null is not an object.
func Each(b []byte, fn func(key string, value json.RawMessage) error) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return ErrNotObject
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string) // a key token is always a string
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return err
		}
		if err := fn(key, v); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON object")
	}
	return nil
}
