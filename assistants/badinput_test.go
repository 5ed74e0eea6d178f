package assistants_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph/assistants"
	"github.com/langgraph-go/langgraph/internal/fake"
)

// TestBadInputIsAnError: negative limits and offsets, empty ids and bad
// versions are refused with an error before any request, never a panic.
func TestBadInputIsAnError(t *testing.T) {
	f, c := fake.NewClient(t, fake.Fixed(200, `[]`))
	ctx := context.Background()
	s := c.Assistants
	for _, tc := range []struct {
		name string
		call func() error
	}{
		{"Search negative limit", func() error { _, err := s.Search(ctx, assistants.SearchParams{Limit: -1}); return err }},
		{"SearchPage negative offset", func() error {
			_, err := s.SearchPage(ctx, assistants.SearchParams{Offset: -1})
			return err
		}},
		{"SearchAll negative limit", func() error {
			for _, err := range s.SearchAll(ctx, assistants.SearchParams{Limit: -10}) {
				return err
			}
			return nil
		}},
		{"GetVersions negative limit", func() error {
			_, err := s.GetVersions(ctx, "a1", assistants.VersionsParams{Limit: -1})
			return err
		}},
		{"Create without graph", func() error { _, err := s.Create(ctx, assistants.CreateParams{}); return err }},
		{"Get empty id", func() error { _, err := s.Get(ctx, ""); return err }},
		{"GetGraph negative depth", func() error {
			_, err := s.GetGraph(ctx, "a1", assistants.GraphParams{XRayDepth: -1})
			return err
		}},
		{"SetLatest version 0", func() error { _, err := s.SetLatest(ctx, "a1", 0); return err }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); err == nil {
				t.Fatal("no error")
			}
		})
	}
	if n := f.Count(); n != 0 {
		t.Errorf("%d requests sent for bad input", n)
	}
}

// TestUnsetTimesLeftOut: an assistant read with a Select that left out its
// timestamps prints no "0001-01-01" time.
func TestUnsetTimesLeftOut(t *testing.T) {
	for _, v := range []any{assistants.Assistant{AssistantID: "a1"}, assistants.AssistantVersion{Version: 1}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "_at") {
			t.Errorf("%T encodes an unset time: %s", v, b)
		}
	}
}
