// Package values decodes the raw JSON of a state, for the Decode methods of
// the types that carry one and for langgraph.DecodeAs.
package values

import (
	"bytes"
	"encoding/json"
)

// Decode unmarshals raw into v; empty input and JSON null leave v as it is
// (a thread that never ran has no values).
func Decode(raw json.RawMessage, v any) error {
	if IsNull(raw) {
		return nil
	}
	return json.Unmarshal(raw, v)
}

// IsNull reports whether raw is empty or the JSON value null.
func IsNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}
