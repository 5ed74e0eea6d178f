package remotegraph

import (
	"bytes"
	"encoding"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
)

// Configurable keys that a caller sets in a config by hand, next to keys of
// its own (ThreadConfig builds a config with the thread alone).
const (
	// KeyThreadID names the remote thread of a call:
	//
	//	cfg := &langgraph.Config{Configurable: map[string]any{
	//		remotegraph.KeyThreadID: conversationID,
	//		"model":                 "small",
	//	}}
	KeyThreadID = "thread_id"
	// KeyCheckpointNS holds the caller's own checkpoint namespace when the
	// graph runs nested in another graph: a host that streams the remote
	// graph inside one of its nodes sets it (e.g. "node:task_id", levels
	// joined with "|"), and Stream then nests the remote events under it
	// (see Stream). It is not sent to the deployment.
	KeyCheckpointNS = "checkpoint_ns"
)

// Configurable keys of a checkpoint, which a run's config does not send.
const (
	keyCheckpointID  = "checkpoint_id"
	keyCheckpointMap = "checkpoint_map"
)

// mergeConfigs merges configs from left to right: tags are joined without
// duplicates, metadata and configurable are merged key by key (later values
// win), and a later non-zero recursion limit wins. The inputs are not
// modified; nil configs are skipped.
func mergeConfigs(configs ...*langgraph.Config) langgraph.Config {
	var out langgraph.Config
	for _, c := range configs {
		if c == nil {
			continue
		}
		for _, t := range c.Tags {
			if !slices.Contains(out.Tags, t) {
				out.Tags = append(out.Tags, t)
			}
		}
		if c.RecursionLimit != 0 {
			out.RecursionLimit = c.RecursionLimit
		}
		if len(c.Metadata) > 0 {
			if out.Metadata == nil {
				out.Metadata = make(map[string]any, len(c.Metadata))
			}
			maps.Copy(out.Metadata, c.Metadata)
		}
		if len(c.Configurable) > 0 {
			if out.Configurable == nil {
				out.Configurable = make(map[string]any, len(c.Configurable))
			}
			maps.Copy(out.Configurable, c.Configurable)
		}
	}
	return out
}

// sanitized is a config made ready for the deployment by sanitizeConfig.
type sanitized struct {
	// Config is what is sent as the run's config: nil when nothing is left.
	Config *langgraph.Config
	// ThreadID is the remote thread, taken out of configurable.thread_id;
	// empty means a stateless run.
	ThreadID string
	// Namespace is the caller's checkpoint namespace (configurable.checkpoint_ns,
	// split on "|"), which prefixes the namespaces of streamed events; nil at
	// the top level.
	Namespace []string
}

// sanitizeConfig prepares a config for a remote run, as LangGraph's
// RemoteGraph does: only recursion_limit, tags, metadata and configurable are
// kept, their values reduced to JSON values (see below); checkpoint_id,
// checkpoint_ns, checkpoint_map and the "__pregel_*" keys (the task id) are
// dropped from configurable; and thread_id is taken out of configurable and
// returned as the remote thread.
//
// JSON values are nil-free: strings, booleans, finite numbers, maps with
// string keys and slices or arrays of JSON values; a value that implements
// json.Marshaler or encoding.TextMarshaler, or a struct, is reduced through
// its JSON encoding. Anything else (nil, functions, channels, NaN, values
// whose encoding fails) is dropped, and so are the map entries and list items
// holding it and the map entries whose key is not a string.
//
// A thread_id that is not a string (or a fmt.Stringer, such as a UUID type)
// is an error.
func sanitizeConfig(c *langgraph.Config) (sanitized, error) {
	var s sanitized
	if c == nil {
		return s, nil
	}
	out := langgraph.Config{RecursionLimit: c.RecursionLimit}
	if c.RecursionLimit < 0 {
		return s, lgerr.Invalid("remotegraph: negative recursion_limit %d", c.RecursionLimit)
	}
	if len(c.Tags) > 0 {
		out.Tags = slices.Clone(c.Tags)
	}
	if len(c.Metadata) > 0 {
		out.Metadata = jsonMap(reflect.ValueOf(c.Metadata), 0)
	}
	if len(c.Configurable) > 0 {
		conf := make(map[string]any, len(c.Configurable))
		for k, v := range c.Configurable {
			switch {
			case k == KeyThreadID:
				id, err := threadIDOf(v)
				if err != nil {
					return s, err
				}
				s.ThreadID = id
				continue
			case k == KeyCheckpointNS:
				if ns, ok := v.(string); ok && ns != "" {
					s.Namespace = strings.Split(ns, "|")
				}
				continue
			case k == keyCheckpointID, k == keyCheckpointMap, strings.HasPrefix(k, "__pregel_"):
				continue
			}
			if jv, ok := jsonValue(reflect.ValueOf(v), 0); ok {
				conf[k] = jv
			}
		}
		out.Configurable = conf
	}
	if out.RecursionLimit != 0 || len(out.Tags) > 0 || len(out.Metadata) > 0 || len(out.Configurable) > 0 {
		s.Config = &out
	}
	return s, nil
}

func threadIDOf(v any) (string, error) {
	switch id := v.(type) {
	case nil:
		return "", nil
	case string:
		return id, nil
	case fmt.Stringer:
		if rv := reflect.ValueOf(id); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return "", nil // a nil *UUID names no thread
		}
		return id.String(), nil
	}
	return "", lgerr.Invalid("remotegraph: configurable.thread_id must be a string, got %T", v)
}

// maxDepth bounds the recursion of jsonValue, so that a cyclic value (a map
// holding itself) is cut instead of overflowing the stack.
const maxDepth = 64

var (
	jsonMarshaler = reflect.TypeFor[json.Marshaler]()
	textMarshaler = reflect.TypeFor[encoding.TextMarshaler]()
	rawMessage    = reflect.TypeFor[json.RawMessage]()
	jsonNumber    = reflect.TypeFor[json.Number]()
)

// jsonValue reduces v to a JSON value (nil, bool, string, float64, int64,
// uint64, json.Number, map[string]any, []any); ok is false when v must be
// dropped.
func jsonValue(v reflect.Value, depth int) (any, bool) {
	if !v.IsValid() || depth > maxDepth {
		return nil, false
	}
	t := v.Type()
	switch {
	case t == rawMessage:
		raw := v.Bytes()
		if len(raw) == 0 || !json.Valid(raw) {
			return nil, false
		}
		return viaJSON(json.RawMessage(raw))
	case t == jsonNumber:
		n := json.Number(v.String())
		if _, err := n.Float64(); err != nil {
			return nil, false
		}
		return n, true
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, false
		}
		if t.Implements(jsonMarshaler) || t.Implements(textMarshaler) {
			return viaJSON(v.Interface())
		}
		return jsonValue(v.Elem(), depth+1) // +1: a pointer cycle (a = &a) is cut too
	}
	if t.Implements(jsonMarshaler) || t.Implements(textMarshaler) {
		return viaJSON(v.Interface())
	}
	switch v.Kind() {
	case reflect.Bool:
		return v.Bool(), true
	case reflect.String:
		return v.String(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint(), true
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, false
		}
		return f, true
	case reflect.Map:
		if k := t.Key().Kind(); v.IsNil() || (k != reflect.String && k != reflect.Interface) {
			return nil, false
		}
		return jsonMap(v, depth), true
	case reflect.Slice:
		if v.IsNil() {
			return nil, false
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return viaJSON(v.Interface()) // base64, as encoding/json does
		}
		fallthrough
	case reflect.Array:
		out := make([]any, 0, v.Len())
		for i := range v.Len() {
			if jv, ok := jsonValue(v.Index(i), depth+1); ok {
				out = append(out, jv)
			}
		}
		return out, true
	case reflect.Struct:
		return viaJSON(v.Interface())
	}
	return nil, false // func, chan, complex, unsafe pointer
}

// jsonMap reduces a map with string (or interface) keys, dropping the
// entries whose key is not a string or whose value is not a JSON value.
func jsonMap(v reflect.Value, depth int) map[string]any {
	out := make(map[string]any, v.Len())
	it := v.MapRange()
	for it.Next() {
		k := it.Key()
		if k.Kind() == reflect.Interface {
			k = k.Elem()
		}
		if !k.IsValid() || k.Kind() != reflect.String {
			continue
		}
		if jv, ok := jsonValue(it.Value(), depth+1); ok {
			out[k.String()] = jv
		}
	}
	return out
}

// viaJSON reduces v through its JSON encoding.
func viaJSON(v any) (any, bool) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // keep large integers exact
	var out any
	if err := dec.Decode(&out); err != nil || out == nil {
		return nil, false
	}
	return dropNulls(out), true
}

// dropNulls removes JSON nulls from maps and lists, as the sanitiser drops
// nil values.
func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			if e == nil {
				delete(v, k)
				continue
			}
			v[k] = dropNulls(e)
		}
	case []any:
		out := v[:0]
		for _, e := range v {
			if e != nil {
				out = append(out, dropNulls(e))
			}
		}
		return out
	}
	return v
}
