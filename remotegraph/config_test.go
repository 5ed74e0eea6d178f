package remotegraph_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/remotegraph"
)

// sanitize runs SanitizeConfig and returns the config as the JSON the
// deployment receives, decoded into plain values.
func sanitize(t *testing.T, c *langgraph.Config) (map[string]any, remotegraph.Sanitized) {
	t.Helper()
	s, err := remotegraph.SanitizeConfig(c)
	if err != nil {
		t.Fatalf("SanitizeConfig: %v", err)
	}
	if s.Config == nil {
		return map[string]any{}, s
	}
	b, err := json.Marshal(s.Config)
	if err != nil {
		t.Fatalf("the sanitised config does not encode: %v", err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out, s
}

func jsonOf(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func wantJSON(t *testing.T, name string, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want %s: %v", want, err)
	}
	if g := jsonOf(t, got); !reflect.DeepEqual(g, w) {
		gb, _ := json.Marshal(g)
		t.Errorf("%s = %s, want %s", name, gb, want)
	}
}

// Case 1 of LangGraph's test_sanitize_config: primitives pass unchanged.
func TestSanitizeConfigPrimitives(t *testing.T) {
	got, s := sanitize(t, &langgraph.Config{
		RecursionLimit: 10,
		Tags:           []string{"tag1", "tag2"},
		Metadata:       map[string]any{"str_key": "value", "int_key": 42, "bool_key": true},
		Configurable:   map[string]any{"param1": "value1", "param2": 123},
	})
	wantJSON(t, "config", got, `{
		"recursion_limit": 10,
		"tags": ["tag1", "tag2"],
		"metadata": {"str_key": "value", "int_key": 42, "bool_key": true},
		"configurable": {"param1": "value1", "param2": 123}
	}`)
	if s.ThreadID != "" || s.Namespace != nil {
		t.Errorf("thread %q, namespace %q; want none", s.ThreadID, s.Namespace)
	}
}

// Case 2: functions are dropped at any depth, arrays (Python's tuples)
// become lists. (Go's []string tags cannot hold non-strings.)
func TestSanitizeConfigComplexMetadata(t *testing.T) {
	got, _ := sanitize(t, &langgraph.Config{
		Tags: []string{"tag1", "tag2"},
		Metadata: map[string]any{
			"nested":  map[string]any{"key": "value", "num": 42, "invalid": func(x int) int { return x }},
			"list":    []any{1, 2, "three"},
			"invalid": func(x int) int { return x },
			"tuple":   [3]int{1, 2, 3},
		},
	})
	wantJSON(t, "config", got, `{
		"tags": ["tag1", "tag2"],
		"metadata": {"nested": {"key": "value", "num": 42}, "list": [1, 2, "three"], "tuple": [1, 2, 3]}
	}`)
}

// Case 3: checkpoint keys are dropped from configurable.
func TestSanitizeConfigDropsCheckpointKeys(t *testing.T) {
	got, s := sanitize(t, &langgraph.Config{Configurable: map[string]any{
		"normal_param":     "value",
		"checkpoint_map":   map[string]any{"key": "value"},
		"checkpoint_id":    "123",
		"checkpoint_ns":    "ns",
		"__pregel_task_id": "task-1",
	}})
	wantJSON(t, "config", got, `{"configurable": {"normal_param": "value"}}`)
	if !reflect.DeepEqual(s.Namespace, []string{"ns"}) {
		t.Errorf("namespace = %q, want the caller's checkpoint_ns [ns]", s.Namespace)
	}
}

// Case 4: an empty config sends nothing.
func TestSanitizeConfigEmpty(t *testing.T) {
	for _, c := range []*langgraph.Config{nil, {}, {Configurable: map[string]any{"thread_id": "t"}}} {
		s, err := remotegraph.SanitizeConfig(c)
		if err != nil || s.Config != nil {
			t.Errorf("SanitizeConfig(%+v) = %+v, %v; want no config", c, s.Config, err)
		}
	}
}

// Case 5: map entries whose key is not a string are dropped.
func TestSanitizeConfigNonStringKeys(t *testing.T) {
	got, _ := sanitize(t, &langgraph.Config{Configurable: map[string]any{
		"valid": "value",
		"mixed": map[any]any{"ok": 1, 123: "invalid", [2]string{"tuple", "key"}: "invalid"},
		"ints":  map[int]string{1: "invalid"},
	}})
	wantJSON(t, "config", got, `{"configurable": {"valid": "value", "mixed": {"ok": 1}}}`)
}

// Case 6: deep nesting is kept.
func TestSanitizeConfigDeeplyNested(t *testing.T) {
	got, _ := sanitize(t, &langgraph.Config{Metadata: map[string]any{
		"level1": map[string]any{"level2": map[string]any{"level3": map[string]any{
			"str":  "value",
			"list": []any{1, []any{2, []any{3}}},
			"dict": map[string]any{"a": map[string]any{"b": map[string]any{"c": "d"}}},
		}}},
	}})
	wantJSON(t, "metadata", got["metadata"], `{"level1": {"level2": {"level3": {
		"str": "value", "list": [1, [2, [3]]], "dict": {"a": {"b": {"c": "d"}}}}}}}`)
}

// LangGraph's test_*_sanitizes_thread_id: thread_id leaves configurable and
// names the remote thread.
func TestSanitizeConfigThreadID(t *testing.T) {
	s, err := remotegraph.SanitizeConfig(&langgraph.Config{Configurable: map[string]any{"thread_id": "thread_1", "k": "v"}})
	if err != nil {
		t.Fatal(err)
	}
	if s.ThreadID != "thread_1" {
		t.Errorf("thread = %q, want thread_1", s.ThreadID)
	}
	if _, ok := s.Config.Configurable["thread_id"]; ok || len(s.Config.Configurable) != 1 {
		t.Errorf("configurable = %v, want only k", s.Config.Configurable)
	}

	s, err = remotegraph.SanitizeConfig(&langgraph.Config{Configurable: map[string]any{"thread_id": stringer("abc")}})
	if err != nil || s.ThreadID != "abc" {
		t.Errorf("Stringer thread id: %q, %v", s.ThreadID, err)
	}
	_, err = remotegraph.SanitizeConfig(&langgraph.Config{Configurable: map[string]any{"thread_id": 42}})
	if err == nil || !strings.Contains(err.Error(), "thread_id must be a string") {
		t.Errorf("int thread id: err = %v, want a clear error", err)
	}
}

type stringer string

func (s stringer) String() string { return string(s) }

type point struct {
	X, Y int
	Note string `json:",omitempty"`
}

type withFunc struct {
	F func()
}

// Go values beyond Python's cases: nil, NaN and channels are dropped;
// structs, time.Time and json.RawMessage go through their JSON encoding;
// pointers are followed; large integers stay exact.
func TestSanitizeConfigGoValues(t *testing.T) {
	n := 7
	var nilPtr *int
	cyclic := map[string]any{"a": 1}
	cyclic["self"] = cyclic
	got, _ := sanitize(t, &langgraph.Config{Configurable: map[string]any{
		"nil":     nil,
		"nilptr":  nilPtr,
		"ptr":     &n,
		"nan":     math.NaN(),
		"inf":     math.Inf(1),
		"chan":    make(chan int),
		"struct":  point{X: 1, Y: 2},
		"badjson": withFunc{F: func() {}},
		"time":    time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC),
		"raw":     json.RawMessage(`{"a":[1,null,2],"b":null}`),
		"badraw":  json.RawMessage(`{nope`),
		"number":  json.Number("12345678901234567890"),
		"big":     uint64(math.MaxUint64),
		"bytes":   []byte("hi"),
		"list":    []any{1, nil, func() {}, "x"},
		"cyclic":  cyclic,
	}})
	conf, _ := got["configurable"].(map[string]any)
	for _, k := range []string{"nil", "nilptr", "nan", "inf", "chan", "badjson", "badraw"} {
		if _, ok := conf[k]; ok {
			t.Errorf("%s was kept: %v", k, conf[k])
		}
	}
	wantJSON(t, "ptr", conf["ptr"], `7`)
	wantJSON(t, "struct", conf["struct"], `{"X": 1, "Y": 2}`)
	wantJSON(t, "time", conf["time"], `"2025-01-02T03:04:05Z"`)
	wantJSON(t, "raw", conf["raw"], `{"a": [1, 2]}`)
	wantJSON(t, "bytes", conf["bytes"], `"aGk="`)
	wantJSON(t, "list", conf["list"], `[1, "x"]`)

	s, _ := remotegraph.SanitizeConfig(&langgraph.Config{Configurable: map[string]any{"n": json.Number("12345678901234567890"), "big": uint64(math.MaxUint64)}})
	b, _ := json.Marshal(s.Config)
	if !strings.Contains(string(b), `"n":12345678901234567890`) || !strings.Contains(string(b), `"big":18446744073709551615`) {
		t.Errorf("large integers lost precision: %s", b)
	}
	// The cycle is cut, not followed forever.
	if c, ok := conf["cyclic"].(map[string]any); !ok || c["a"] != 1.0 {
		t.Errorf("cyclic = %v", conf["cyclic"])
	}
}

// The input config is not modified and the output shares no map with it.
func TestSanitizeConfigDoesNotAlias(t *testing.T) {
	in := &langgraph.Config{
		Tags:         []string{"a"},
		Metadata:     map[string]any{"m": map[string]any{"x": 1}},
		Configurable: map[string]any{"thread_id": "t", "checkpoint_id": "c", "k": "v"},
	}
	s, err := remotegraph.SanitizeConfig(in)
	if err != nil {
		t.Fatal(err)
	}
	s.Config.Tags[0] = "changed"
	s.Config.Metadata["m"].(map[string]any)["x"] = 2
	if in.Tags[0] != "a" || in.Metadata["m"].(map[string]any)["x"] != 1 || len(in.Configurable) != 3 {
		t.Errorf("input changed: %+v", in)
	}
}

func TestSanitizeConfigNegativeRecursionLimit(t *testing.T) {
	if _, err := remotegraph.SanitizeConfig(&langgraph.Config{RecursionLimit: -1}); err == nil {
		t.Error("negative recursion limit accepted")
	}
}

// LangGraph's test_with_config: configs merge key by key.
func TestMergeConfigs(t *testing.T) {
	base := &langgraph.Config{
		Tags:           []string{"a", "b"},
		RecursionLimit: 5,
		Metadata:       map[string]any{"m1": 1, "shared": "base"},
		Configurable:   map[string]any{"foo": "bar", "thread_id": "thread_id_1"},
	}
	over := &langgraph.Config{
		Tags:         []string{"b", "c"},
		Metadata:     map[string]any{"shared": "over"},
		Configurable: map[string]any{"hello": "world"},
	}
	got := remotegraph.MergeConfigs(base, nil, over)
	wantJSON(t, "merged", got, `{
		"tags": ["a", "b", "c"],
		"recursion_limit": 5,
		"metadata": {"m1": 1, "shared": "over"},
		"configurable": {"foo": "bar", "thread_id": "thread_id_1", "hello": "world"}
	}`)
	got.Configurable["foo"] = "changed"
	if base.Configurable["foo"] != "bar" {
		t.Error("MergeConfigs aliased its input")
	}
	if r := remotegraph.MergeConfigs(base, &langgraph.Config{RecursionLimit: 9}); r.RecursionLimit != 9 {
		t.Errorf("recursion limit = %d, want the later 9", r.RecursionLimit)
	}
}

func TestRemoteGraphWithConfig(t *testing.T) {
	g, err := remotegraph.New(offline(t), "test_graph_id",
		remotegraph.Params{Config: &langgraph.Config{Configurable: map[string]any{"foo": "bar", "thread_id": "thread_id_1"}}})
	if err != nil {
		t.Fatal(err)
	}
	cp := g.WithConfig(&langgraph.Config{Configurable: map[string]any{"hello": "world"}})
	if cp == g || cp.Client() != g.Client() || cp.Name() != "test_graph_id" {
		t.Fatalf("WithConfig returned %p (client %p), want a copy of %p sharing the client", cp, cp.Client(), g)
	}
	wantJSON(t, "copy config", cp.Config(), `{"configurable": {"foo": "bar", "thread_id": "thread_id_1", "hello": "world"}}`)
	wantJSON(t, "original config", g.Config(), `{"configurable": {"foo": "bar", "thread_id": "thread_id_1"}}`)
}
