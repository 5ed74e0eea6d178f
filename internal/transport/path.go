package transport

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
)

// Path fills the {name} placeholders of tmpl, in order, with ids escaped as
// single path segments ("/" becomes %2F, "%" becomes %25). Each id is first
// checked with CheckID, so an empty id or one a server would read as "." or
// ".." is refused with an error that names the placeholder.
func Path(tmpl string, ids ...string) (string, error) {
	var b strings.Builder
	rest := tmpl
	for i := 0; ; i++ {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 || i >= len(ids) {
			return "", fmt.Errorf("langgraph: bad path template %q", tmpl)
		}
		name := rest[open+1 : open+end]
		if err := CheckID(name, ids[i]); err != nil {
			return "", err
		}
		b.WriteString(rest[:open])
		b.WriteString(EscapeSegment(ids[i]))
		rest = rest[open+end+1:]
	}
	return b.String(), nil
}

// EscapeSegment escapes s as one path segment. It does not check s: build
// paths with Path, which refuses the ids that EscapeSegment cannot keep in
// their segment.
func EscapeSegment(s string) string { return url.PathEscape(s) }

// CheckID refuses, before anything is sent, an id that cannot travel as one
// path segment: the empty id, and an id that, percent-decoded until it no
// longer changes and with tabs and newlines dropped, is made only of dots or
// holds a "/"- or "\"-separated part made only of dots. Escaping cannot save
// those: servers that parse URLs the WHATWG way (the LangGraph JS server)
// read "%2E" and "%2E%2E" segments as "." and "..", and proxies such as
// nginx decode the whole path before resolving dot segments, so the request
// would reach another route (POST /threads/%2E%2E/runs is POST /runs).
// name is the parameter's name, e.g. "thread_id", used in the error.
func CheckID(name, id string) error {
	if id == "" {
		return lgerr.Invalid("%s must not be empty", name)
	}
	switch dotted(id, maxDecodes) {
	case dotParts:
		return lgerr.Invalid("%s %s is only dots, or has a part of only dots, once percent-decoded: a server would read it as \".\" or \"..\"", name, quoteID(id))
	case tooDeep:
		return lgerr.Invalid("%s %s is percent-encoded more than %d times", name, quoteID(id), maxDecodes)
	}
	return nil
}

// CheckPath refuses an escaped path (a Location header's, or one built by
// Path) with a segment that CheckID would refuse for its dots: "/a/../b",
// "/a/%2e%2E/b", "/a/%252e/b". Empty segments ("//") are left alone.
func CheckPath(path string) error {
	for _, seg := range strings.Split(path, "/") {
		if seg == "" {
			continue
		}
		// The segment is escaped once more than the id it carries.
		switch dotted(seg, maxDecodes+1) {
		case dotParts:
			return lgerr.Invalid("path %s has a segment of only dots once percent-decoded: a server would read it as \".\" or \"..\"", quoteID(path))
		case tooDeep:
			return lgerr.Invalid("path %s is percent-encoded more than %d times", quoteID(path), maxDecodes)
		}
	}
	return nil
}

// maxDecodes bounds the rounds of percent-decoding of an id: real servers
// and proxies decode once or twice, and an id still changing after that many
// rounds is refused rather than decoded forever.
const maxDecodes = 16

type dotResult int

const (
	clean dotResult = iota
	dotParts
	tooDeep
)

// dotted percent-decodes s until it no longer changes (at most rounds
// times) and reports whether s or a decoded form of it, without tabs and
// newlines, has a part between "/" and "\" (the whole of it if there are
// none) that is made only of dots.
func dotted(s string, rounds int) dotResult {
	if !strings.ContainsAny(s, ".%") {
		return clean // no dot now, none after decoding
	}
	for range rounds + 1 {
		if hasDotPart(s) {
			return dotParts
		}
		d := unescape(s)
		if d == s {
			return clean
		}
		s = d
	}
	return tooDeep
}

// dropTabsAndNewlines removes what WHATWG URL parsers drop from a URL.
var dropTabsAndNewlines = strings.NewReplacer("\t", "", "\n", "", "\r", "")

func hasDotPart(s string) bool {
	s = dropTabsAndNewlines.Replace(s)
	for part := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == '/' || r == '\\' }) {
		if strings.Trim(part, ".") == "" {
			return true
		}
	}
	return false
}

// unescape decodes every valid %XX of s and keeps the other bytes, as
// lenient servers (e.g. Hono's router) do.
func unescape(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && ishex(s[i+1]) && ishex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func ishex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// quoteLen is the most of an id an error quotes.
const quoteLen = 32

// quoteID quotes s for an error message, cut to quoteLen bytes.
func quoteID(s string) string {
	if len(s) <= quoteLen {
		return fmt.Sprintf("%q", s)
	}
	cut := quoteLen
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%q... (%d bytes)", s[:cut], len(s))
}

var runLocation = regexp.MustCompile(`(?:/threads/([^/?#]+))?/runs/([^/?#]+)/?(?:[?#].*)?$`)

// RunFromLocation parses a Content-Location such as /threads/T/runs/R. An
// id that CheckID would refuse makes it report false.
func RunFromLocation(loc string) (langgraph.RunRef, bool) {
	m := runLocation.FindStringSubmatch(loc)
	if m == nil {
		return langgraph.RunRef{}, false
	}
	tid, err1 := url.PathUnescape(m[1])
	rid, err2 := url.PathUnescape(m[2])
	if err1 != nil || err2 != nil || CheckID("run_id", rid) != nil || (m[1] != "" && CheckID("thread_id", tid) != nil) {
		return langgraph.RunRef{}, false
	}
	return langgraph.RunRef{RunID: rid, ThreadID: tid}, true
}
