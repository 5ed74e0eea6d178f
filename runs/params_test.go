package runs_test

import (
	"reflect"
	"testing"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/runs"
)

// TestParamsAreFlat: StreamParams and BatchItem are written as one literal
// (no embedded struct), and carry every field of a new run under the same
// name, type and JSON name as CreateParams.
func TestParamsAreFlat(t *testing.T) {
	// The literal of the issue compiles.
	_ = runs.StreamParams{Input: map[string]any{}, StreamMode: []runs.StreamMode{runs.StreamValues}}
	_ = runs.StreamParams{Input: map[string]any{}, StreamMode: []langgraph.StreamMode{langgraph.StreamValues}}
	_ = runs.BatchItem{AssistantID: "agent", Input: map[string]any{}}

	create := reflect.TypeFor[runs.CreateParams]()
	for _, tc := range []struct {
		typ     reflect.Type
		without map[string]bool // fields of CreateParams that do not apply
	}{
		{reflect.TypeFor[runs.StreamParams](), nil},
		{reflect.TypeFor[runs.BatchItem](), map[string]bool{"OnRunCreated": true, "OnDisconnect": true}},
	} {
		for i := range tc.typ.NumField() {
			if f := tc.typ.Field(i); f.Anonymous {
				t.Errorf("%s embeds %s", tc.typ, f.Type)
			}
		}
		for i := range create.NumField() {
			want := create.Field(i)
			got, ok := tc.typ.FieldByName(want.Name)
			switch {
			case tc.without[want.Name]:
				if ok {
					t.Errorf("%s has %s, which does not apply to it", tc.typ, want.Name)
				}
			case !ok:
				t.Errorf("%s lacks CreateParams.%s", tc.typ, want.Name)
			case got.Type != want.Type || got.Tag.Get("json") != want.Tag.Get("json"):
				t.Errorf("%s.%s is %s `%s`, CreateParams.%s is %s `%s`", tc.typ, got.Name, got.Type, got.Tag, want.Name, want.Type, want.Tag)
			}
		}
	}
}
