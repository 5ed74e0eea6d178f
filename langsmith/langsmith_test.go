package langsmith_test

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/langsmith"
)

// Golden values of LangSmith's RunTree headers (to_headers, from_headers in
// the Python SDK), computed with Python's urllib.parse.quote and compact JSON.
const (
	g1Run   = "0190c5b4-1a2b-7c3d-8e4f-0123456789ab"
	g1Trace = "20240101T123456789012Z0190c5b4-1a2b-7c3d-8e4f-0123456789ab"
	g1Bag   = "langsmith-metadata=%7B%22user_id%22%3A%22alice%22%7D,langsmith-tags=prod%2Cbeta,langsmith-project=my-project"
	g2Run   = "0190c5b4-1f00-7000-8000-000000000002"
	g2Trace = g1Trace + ".20240101T123457000001Z0190c5b4-1f00-7000-8000-000000000002"
	g2Bag   = "langsmith-metadata=%7B%22k%22%3A%22a%20b/c%22%2C%22n%22%3A1%2C%22q%22%3A%22%3Ca%26b%3E%22%2C%22%C3%BC%22%3A%22%C3%A4%22%7D," +
		"langsmith-tags=x%2Cy%2Cwith%20space,langsmith-project=team/%CE%B1%20%CE%B2"
)

var g1 = langsmith.Parent{DottedOrder: g1Trace, Metadata: map[string]any{"user_id": "alice"}, Tags: []string{"prod", "beta"}, Project: "my-project"}

func TestGoldenHeaders(t *testing.T) {
	g1start := time.Date(2024, 1, 1, 12, 34, 56, 789012000, time.UTC)
	root, err := langsmith.Parent{}.Child(g1Run, g1start)
	if err != nil || root.DottedOrder != g1Trace {
		t.Fatalf("root run: %q, %v; want %q", root.DottedOrder, err, g1Trace)
	}
	// The same instant in another zone gives the same segment.
	if seg, _ := langsmith.Segment(g1start.In(time.FixedZone("X", 5*3600)), strings.ToUpper(g1Run)); seg != g1Trace {
		t.Errorf("segment %q", seg)
	}
	g2, err := g1.Child(g2Run, time.Date(2024, 1, 1, 12, 34, 57, 1000, time.UTC))
	if err != nil || g2.DottedOrder != g2Trace {
		t.Fatalf("child: %q, %v; want %q", g2.DottedOrder, err, g2Trace)
	}
	g2.Metadata = map[string]any{"k": "a b/c", "n": 1, "q": "<a&b>", "ü": "ä"}
	g2.Tags = []string{"x,y", "with space"}
	g2.Project = "team/α β"

	for _, tc := range []struct {
		name   string
		p      langsmith.Parent
		caller string
		want   map[string]string
	}{
		{"G1 root run", g1, "", map[string]string{"langsmith-trace": g1Trace, "baggage": g1Bag}},
		{"G2 child, awkward values", g2, "", map[string]string{"langsmith-trace": g2Trace, "baggage": g2Bag}},
		{"G3 caller's baggage first", g1, "userId=alice,isProduction=false",
			map[string]string{"langsmith-trace": g1Trace, "baggage": "userId=alice,isProduction=false," + g1Bag}},
		{"G3 a stale member dropped", g1, "userId=alice,langsmith-project=old",
			map[string]string{"langsmith-trace": g1Trace, "baggage": "userId=alice," + g1Bag}},
		{"G4 minimal parent", langsmith.Parent{DottedOrder: g1Trace, Project: "default"}, "",
			map[string]string{"langsmith-trace": g1Trace, "baggage": "langsmith-project=default"}},
		{"no baggage at all", langsmith.Parent{DottedOrder: g1Trace}, "",
			map[string]string{"langsmith-trace": g1Trace}},
		{"only the caller's", langsmith.Parent{DottedOrder: g1Trace}, " a=1 , ,langsmith-tags=x",
			map[string]string{"langsmith-trace": g1Trace, "baggage": "a=1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.p.Headers(tc.caller)
			if err != nil || !maps.Equal(got, tc.want) {
				t.Errorf("Headers = %q, %v\nwant %q", got, err, tc.want)
			}
		})
	}

	if g2.TraceID() != g1Run || g2.ParentRunID() != g1Run || g2.RunID() != g2Run || g1.ParentRunID() != "" || g1.RunID() != g1Run {
		t.Errorf("ids: trace %s parent %s run %s", g2.TraceID(), g2.ParentRunID(), g2.RunID())
	}
}

// TestGoldenFromHeaders: G2 and G4 read back, and passed through as
// Python's TracingMiddleware and RemoteGraph would send them on.
func TestGoldenFromHeaders(t *testing.T) {
	h := http.Header{}
	h.Set("Langsmith-Trace", g2Trace)
	h.Set("Baggage", g2Bag)
	p, err := langsmith.FromHeaders(h)
	if err != nil {
		t.Fatal(err)
	}
	if p.TraceID() != g1Run || p.ParentRunID() != g1Run || p.RunID() != g2Run || p.Project != "team/α β" ||
		!slices.Equal(p.Tags, []string{"with space", "x", "y"}) || p.Metadata["k"] != "a b/c" || p.Metadata["n"] != any(json.Number("1")) {
		t.Errorf("G2 parsed: %+v", p)
	}

	h = http.Header{}
	h.Set("langsmith-trace", " "+g2Trace+" ")
	h.Set("baggage", "userId=alice,langsmith-tags=b%2Ca%2Cb,langsmith-project=p1")
	p, err = langsmith.FromHeaders(h)
	if err != nil {
		t.Fatal(err)
	}
	if p.DottedOrder != g2Trace || !slices.Equal(p.Tags, []string{"a", "b"}) || p.Project != "p1" || len(p.Metadata) != 0 {
		t.Errorf("G4 parsed: %+v", p)
	}
	out, err := p.Headers("")
	want := map[string]string{"langsmith-trace": g2Trace, "baggage": "langsmith-tags=a%2Cb,langsmith-project=p1"}
	if err != nil || !maps.Equal(out, want) {
		t.Errorf("G4 passed through: %q, %v; want %q", out, err, want)
	}

	// No header, no parent.
	if p, err := langsmith.FromHeaders(http.Header{"Baggage": {"langsmith-project=p"}}); p != nil || err != nil {
		t.Errorf("without langsmith-trace: %+v, %v", p, err)
	}
}

func TestBadDottedOrders(t *testing.T) {
	for _, bad := range []string{
		"2024-01-01Z0190c5b4-1a2b-7c3d-8e4f-0123456789ab", // bad timestamp
		"20240101T123456789012Zabc",                       // not a UUID
		g1Trace + ".." + g1Trace,                          // empty segment
		g1Trace + ".",
		"20240101T123456Z0190c5b4-1a2b-7c3d-8e4f-0123456789ab",        // no fraction
		"20241301T123456789012Z0190c5b4-1a2b-7c3d-8e4f-0123456789ab",  // month 13
		"20240101T1234567890123Z0190c5b4-1a2b-7c3d-8e4f-0123456789ab", // 7 digits
		"20240101T123456789012Z0190c5b4x1a2b-7c3d-8e4f-0123456789ab",
		"20240101T123456789012Z0190c5b4-1a2b-7c3d-8e4f-0123456789ag",
		"",
	} {
		h := http.Header{"Langsmith-Trace": {bad}}
		if p, err := langsmith.FromHeaders(h); bad != "" && (p != nil || !errors.Is(err, langgraph.ErrInvalidArgument)) {
			t.Errorf("FromHeaders(%q) = %+v, %v", bad, p, err)
		}
		if _, err := (langsmith.Parent{DottedOrder: bad}).Headers(""); !errors.Is(err, langgraph.ErrInvalidArgument) {
			t.Errorf("Headers of %q: %v", bad, err)
		}
	}
	if _, err := langsmith.Segment(time.Now(), "not-a-uuid"); !errors.Is(err, langgraph.ErrInvalidArgument) {
		t.Errorf("Segment: %v", err)
	}
	// A fraction of fewer digits is what Python's %f accepts.
	if err := (langsmith.Parent{DottedOrder: "20240101T1234561Z" + g1Run}).Validate(); err != nil {
		t.Error(err)
	}
}

// TestBaggageRoundTrip: whatever a parent holds comes back from its
// headers (tags sorted and without duplicates; a tag's comma splits it).
func TestBaggageRoundTrip(t *testing.T) {
	for _, p := range []langsmith.Parent{
		g1,
		{DottedOrder: g1Trace, Metadata: map[string]any{"a": "x=y,z;%20+ \"'\u2028", "nested": map[string]any{"b": []any{true, nil}}}, Tags: []string{"z", "a", "a"}, Project: "p=1,2"},
		{DottedOrder: g2Trace, Tags: []string{"日本"}},
	} {
		hs, err := p.Headers("other=1")
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		for k, v := range hs {
			h.Set(k, v)
		}
		back, err := langsmith.FromHeaders(h)
		if err != nil {
			t.Fatal(err)
		}
		wantTags := slices.Compact(slices.Sorted(slices.Values(p.Tags)))
		if back.DottedOrder != p.DottedOrder || back.Project != p.Project || !slices.Equal(back.Tags, wantTags) ||
			normalize(back.Metadata) != normalize(p.Metadata) {
			t.Errorf("round trip of %+v: %+v", p, back)
		}
	}
	for _, s := range []string{"", "a b", "100%", "%zz", "+", "/é~"} {
		if got := langsmith.Unescape(langsmith.Escape(s)); got != s {
			t.Errorf("Unescape(Escape(%q)) = %q", s, got)
		}
	}
	if got := langsmith.Unescape("a+b%20c%2"); got != "a+b c%2" {
		t.Errorf("Unescape = %q", got)
	}
}

func normalize(m map[string]any) string {
	if len(m) == 0 {
		return "{}"
	}
	return strings.ReplaceAll(strings.TrimSpace(mustJSON(m)), " ", "")
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestContextHookAndMiddleware(t *testing.T) {
	// Middleware: the incoming request's parent reaches the handler.
	var seen langsmith.Parent
	var ok bool
	h := langsmith.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen, ok = langsmith.ParentFromContext(r.Context())
	}))
	req := httptest.NewRequest("POST", "/", nil)
	req.Header.Set("langsmith-trace", g1Trace)
	req.Header.Set("baggage", g1Bag)
	h.ServeHTTP(httptest.NewRecorder(), req)
	if !ok || seen.DottedOrder != g1Trace || seen.Project != "my-project" {
		t.Errorf("handler saw %+v, %v", seen, ok)
	}
	req = httptest.NewRequest("POST", "/", nil)
	req.Header.Set("langsmith-trace", "garbage")
	h.ServeHTTP(httptest.NewRecorder(), req)
	if ok {
		t.Error("a malformed langsmith-trace gave a parent")
	}

	// RequestHook: headers from the context's parent, after the request's
	// own baggage; none without a parent.
	out, _ := http.NewRequestWithContext(langsmith.ContextWithParent(context.Background(), g1), "POST", "http://x/runs/wait", nil)
	out.Header.Set("Baggage", "userId=alice")
	if err := langsmith.RequestHook(out); err != nil {
		t.Fatal(err)
	}
	if out.Header.Get("Langsmith-Trace") != g1Trace || out.Header.Get("Baggage") != "userId=alice,"+g1Bag {
		t.Errorf("headers %v", out.Header)
	}
	// Idempotent: a second pass changes nothing.
	_ = langsmith.RequestHook(out)
	if out.Header.Get("Baggage") != "userId=alice,"+g1Bag {
		t.Errorf("second pass: %v", out.Header)
	}
	plain, _ := http.NewRequest("POST", "http://x/runs/wait", nil)
	if err := langsmith.RequestHook(plain); err != nil || len(plain.Header) != 0 {
		t.Errorf("without a parent: %v, %v", plain.Header, err)
	}
	if !reflect.DeepEqual(g1.Tags, []string{"prod", "beta"}) {
		t.Error("Headers changed the parent's tags")
	}
}
