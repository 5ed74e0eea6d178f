// Package langsmith carries a LangSmith trace across a call to a LangGraph
// deployment, as LangSmith's distributed tracing does: the caller sends its
// run's position in the trace (the langsmith-trace header: the run's dotted
// order) and the trace's metadata, tags and project (langsmith-metadata,
// langsmith-tags and langsmith-project members of the W3C baggage header),
// and the remote run nests under the caller's run. The formats are those of
// the LangSmith SDKs' RunTree (to_headers, from_headers in Python; toHeaders,
// fromHeaders in JS), byte for byte with Python's.
//
// A RemoteGraph sends them on its runs with remotegraph.Params
// DistributedTracing, like Python's RemoteGraph(distributed_tracing=True),
// for the parent on the call's context:
//
//	// an explicit parent: the caller's own LangSmith run
//	ctx = langsmith.ContextWithParent(ctx, langsmith.Parent{DottedOrder: run.DottedOrder, Project: "my-project"})
//	// or the parent of an incoming request, passed through
//	handler = langsmith.Middleware(handler)
//
// Any client can send them with langgraph.WithRequestHook(langsmith.RequestHook).
//
// The servers: the Python LangGraph server copies the headers into the
// run's configurable (langsmith-trace, langsmith-metadata, langsmith-tags,
// langsmith-project) for graphs that open a tracing context with them; the
// JS server ignores them. Accept them only from trusted callers.
package langsmith

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/langgraph-go/langgraph/internal/lgerr"
)

// Header and baggage member names.
const (
	// TraceHeader holds the parent run's dotted order.
	TraceHeader = "langsmith-trace"
	// BaggageHeader is the W3C baggage header.
	BaggageHeader = "baggage"
	// MetadataKey, TagsKey and ProjectKey are the LangSmith members of the
	// baggage: percent-encoded compact JSON, comma-separated tags, the
	// project's name.
	MetadataKey = "langsmith-metadata"
	TagsKey     = "langsmith-tags"
	ProjectKey  = "langsmith-project"
)

// Parent is the LangSmith run a remote run nests under: the caller's run.
type Parent struct {
	// DottedOrder is the run's dotted order: one segment per run from the
	// trace's root to this run, joined by ".", each the run's start time in
	// UTC as 20060102T150405 plus six digits of microseconds and "Z",
	// followed by the run's id (a UUID), e.g.
	// "20240101T123456789012Z0190c5b4-1a2b-7c3d-8e4f-0123456789ab".
	DottedOrder string
	// Metadata is the trace's metadata (sent as compact JSON, keys sorted).
	Metadata map[string]any
	// Tags are the trace's tags. A tag holding a comma comes back as two:
	// every LangSmith SDK joins tags with commas.
	Tags []string
	// Project is the LangSmith project (session) name; empty sends none,
	// and the receiver uses its own default.
	Project string
}

// TraceID returns the trace's id: the run id of the dotted order's first
// segment (empty if the dotted order is not valid).
func (p Parent) TraceID() string { return p.segmentID(0) }

// RunID returns the run's own id: the last segment's.
func (p Parent) RunID() string { return p.segmentID(-1) }

// ParentRunID returns the id of the run's parent: the second-to-last
// segment's; empty for a root run.
func (p Parent) ParentRunID() string { return p.segmentID(-2) }

func (p Parent) segmentID(i int) string {
	segs, err := parseDottedOrder(p.DottedOrder)
	if err != nil {
		return ""
	}
	if i < 0 {
		i += len(segs)
	}
	if i < 0 || i >= len(segs) {
		return ""
	}
	return segs[i].id
}

// Validate reports whether the dotted order is well formed: it fails with
// an error matching langgraph.ErrInvalidArgument otherwise (a LangSmith
// receiver would reject it).
func (p Parent) Validate() error {
	_, err := parseDottedOrder(p.DottedOrder)
	return err
}

// Segment returns the dotted-order segment of a run that started at start
// with id runID (a UUID).
func Segment(start time.Time, runID string) (string, error) {
	if !isUUID(runID) {
		return "", lgerr.Invalid("langsmith: run id %q is not a UUID", clip(runID))
	}
	u := start.UTC()
	return u.Format("20060102T150405") + pad6(u.Nanosecond()/1000) + "Z" + strings.ToLower(runID), nil
}

// Child returns the parent for a run that the caller starts under p (at
// start, with id runID): same metadata, tags and project, and p's dotted
// order followed by the new run's segment. With a zero p it returns a root
// run.
func (p Parent) Child(runID string, start time.Time) (Parent, error) {
	seg, err := Segment(start, runID)
	if err != nil {
		return Parent{}, err
	}
	c := p
	if p.DottedOrder == "" {
		c.DottedOrder = seg
	} else {
		if err := p.Validate(); err != nil {
			return Parent{}, err
		}
		c.DottedOrder = p.DottedOrder + "." + seg
	}
	return c, nil
}

// Headers returns the headers that make a remote run a child of p:
// langsmith-trace, and baggage when there is one. callerBaggage is the
// request's own baggage header (may be empty): its members come first, but
// for its langsmith-metadata, langsmith-tags and langsmith-project, which
// p's replace. A malformed dotted order is an error matching
// langgraph.ErrInvalidArgument.
func (p Parent) Headers(callerBaggage string) (map[string]string, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	out := map[string]string{TraceHeader: strings.TrimSpace(p.DottedOrder)}
	members := otherMembers(callerBaggage)
	if len(p.Metadata) > 0 {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(p.Metadata); err != nil {
			return nil, lgerr.Invalid("langsmith: the metadata does not encode as JSON: %v", err)
		}
		members = append(members, MetadataKey+"="+Escape(strings.TrimSuffix(buf.String(), "\n")))
	}
	if len(p.Tags) > 0 {
		members = append(members, TagsKey+"="+Escape(strings.Join(p.Tags, ",")))
	}
	if p.Project != "" {
		members = append(members, ProjectKey+"="+Escape(p.Project))
	}
	if len(members) > 0 {
		out[BaggageHeader] = strings.Join(members, ",")
	}
	return out, nil
}

// SetHeaders sets the headers of p (see Headers) on h, with h's own
// baggage first.
func (p Parent) SetHeaders(h http.Header) error {
	hs, err := p.Headers(strings.Join(h.Values(BaggageHeader), ","))
	if err != nil {
		return err
	}
	h.Set(TraceHeader, hs[TraceHeader])
	if b, ok := hs[BaggageHeader]; ok {
		h.Set(BaggageHeader, b)
	} else {
		h.Del(BaggageHeader)
	}
	return nil
}

// otherMembers returns the members of a baggage header but LangSmith's
// own (and empty ones), trimmed.
func otherMembers(baggage string) []string {
	var out []string
	for m := range strings.SplitSeq(baggage, ",") {
		m = strings.Trim(m, " \t")
		if m == "" {
			continue
		}
		key, _, _ := strings.Cut(m, "=")
		switch strings.Trim(key, " \t") {
		case MetadataKey, TagsKey, ProjectKey:
			continue
		}
		out = append(out, m)
	}
	return out
}

// FromHeaders reads the parent an incoming request names, as LangSmith's
// RunTree.from_headers does: nil when it has no langsmith-trace header. The
// dotted order is kept as sent (white space around it removed); a
// malformed one is an error matching langgraph.ErrInvalidArgument. From the
// baggage it reads langsmith-metadata (a JSON object), langsmith-tags
// (sorted, without duplicates, as the Python SDK does) and
// langsmith-project; other members, and members that do not decode, are
// ignored.
func FromHeaders(h http.Header) (*Parent, error) {
	trace := strings.TrimSpace(h.Get(TraceHeader))
	if trace == "" {
		return nil, nil
	}
	p := &Parent{DottedOrder: trace}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	var tags []string
	for m := range strings.SplitSeq(strings.Join(h.Values(BaggageHeader), ","), ",") {
		key, value, ok := strings.Cut(strings.Trim(m, " \t"), "=")
		if !ok {
			continue
		}
		value = Unescape(strings.Trim(value, " \t"))
		switch strings.Trim(key, " \t") {
		case MetadataKey:
			var md map[string]any
			dec := json.NewDecoder(strings.NewReader(value))
			dec.UseNumber()
			if dec.Decode(&md) == nil && !dec.More() {
				p.Metadata = md
			}
		case TagsKey:
			tags = tags[:0]
			for t := range strings.SplitSeq(value, ",") {
				if t != "" {
					tags = append(tags, t)
				}
			}
		case ProjectKey:
			p.Project = value
		}
	}
	if len(tags) > 0 {
		slices.Sort(tags)
		p.Tags = slices.Compact(tags)
	}
	return p, nil
}

type ctxKey struct{}

// ContextWithParent returns a context whose LangGraph calls nest under p
// (see the package documentation).
func ContextWithParent(ctx context.Context, p Parent) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// ParentFromContext returns the parent ContextWithParent (or Middleware)
// put on ctx.
func ParentFromContext(ctx context.Context) (Parent, bool) {
	p, ok := ctx.Value(ctxKey{}).(Parent)
	return p, ok
}

// Middleware puts the parent that each request names (FromHeaders) on its
// context, like the Python SDK's TracingMiddleware. A request without
// LangSmith headers, or with a malformed langsmith-trace, is served without
// a parent.
func Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, err := FromHeaders(r.Header); err == nil && p != nil {
			r = r.WithContext(ContextWithParent(r.Context(), *p))
		}
		next.ServeHTTP(w, r)
	})
}

// RequestHook is a request hook (langgraph.WithRequestHook) that sends the
// headers of the parent on the request's context, if any, on every request
// of the client.
func RequestHook(req *http.Request) error {
	p, ok := ParentFromContext(req.Context())
	if !ok {
		return nil
	}
	return p.SetHeaders(req.Header)
}

// Escape percent-encodes a baggage value as Python's urllib.parse.quote
// does: every byte but A-Z a-z 0-9 - _ . ~ and /, in upper-case hex (space
// is %20, never +).
func Escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~/", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// Unescape decodes the %XX escapes of s and keeps every other byte (a "+"
// stays a "+"), as Python's urllib.parse.unquote does.
func Unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(v))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

type segment struct {
	start time.Time
	id    string
}

// parseDottedOrder splits and checks a dotted order.
func parseDottedOrder(s string) ([]segment, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, lgerr.Invalid("langsmith: empty dotted order")
	}
	var out []segment
	for seg := range strings.SplitSeq(s, ".") {
		if len(seg) < 36+17 {
			return nil, lgerr.Invalid("langsmith: dotted order %q: segment %q is not <timestamp><run id>", clip(s), clip(seg))
		}
		ts, id := seg[:len(seg)-36], seg[len(seg)-36:]
		if !isUUID(id) {
			return nil, lgerr.Invalid("langsmith: dotted order %q: segment %q does not end with a run id (a UUID)", clip(s), clip(seg))
		}
		t, ok := parseTimestamp(ts)
		if !ok {
			return nil, lgerr.Invalid("langsmith: dotted order %q: segment %q does not start with a timestamp like 20240101T123456789012Z", clip(s), clip(seg))
		}
		out = append(out, segment{t, strings.ToLower(id)})
	}
	return out, nil
}

// parseTimestamp parses 20060102T150405, one to six digits of fraction of
// a second, and Z.
func parseTimestamp(s string) (time.Time, bool) {
	if len(s) < 17 || len(s) > 22 || s[len(s)-1] != 'Z' {
		return time.Time{}, false
	}
	frac := s[15 : len(s)-1]
	for i := 0; i < len(frac); i++ {
		if frac[i] < '0' || frac[i] > '9' {
			return time.Time{}, false
		}
	}
	t, err := time.Parse("20060102T150405", s[:15])
	if err != nil {
		return time.Time{}, false
	}
	us, _ := strconv.Atoi((frac + "00000")[:6])
	return t.Add(time.Duration(us) * time.Microsecond), true
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

func pad6(n int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", 6-len(s)) + s
}

func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return s
}
