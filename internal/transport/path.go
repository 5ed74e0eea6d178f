package transport

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
)

// Path fills the {name} placeholders of tmpl, in order, with ids escaped as
// single path segments: "/" becomes %2F, and ids made only of dots are sent as
// %2E so that "." and ".." cannot climb to another route. An empty id is an
// error that names the placeholder.
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
		if ids[i] == "" {
			return "", lgerr.Invalid("%s must not be empty", name)
		}
		b.WriteString(rest[:open])
		b.WriteString(EscapeSegment(ids[i]))
		rest = rest[open+end+1:]
	}
	return b.String(), nil
}

// EscapeSegment escapes one path segment.
func EscapeSegment(s string) string {
	if strings.Trim(s, ".") == "" {
		return strings.Repeat("%2E", len(s))
	}
	return url.PathEscape(s)
}

var runLocation = regexp.MustCompile(`(?:/threads/([^/?#]+))?/runs/([^/?#]+)/?(?:[?#].*)?$`)

// RunFromLocation parses a Content-Location such as /threads/T/runs/R.
func RunFromLocation(loc string) (langgraph.RunMetadata, bool) {
	m := runLocation.FindStringSubmatch(loc)
	if m == nil {
		return langgraph.RunMetadata{}, false
	}
	tid, err1 := url.PathUnescape(m[1])
	rid, err2 := url.PathUnescape(m[2])
	if err1 != nil || err2 != nil || rid == "" {
		return langgraph.RunMetadata{}, false
	}
	return langgraph.RunMetadata{RunID: rid, ThreadID: tid}, true
}
