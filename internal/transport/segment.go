package transport

import (
	"net/url"
	"strings"

	"github.com/langgraph-go/langgraph/internal/lgerr"
)

// CheckSegment refuses an escaped path segment that is empty or that a
// server may decode (once or more) to a dot segment ("." or ".."), which
// would move the request to another route.
func CheckSegment(name, escaped string) error {
	s := escaped
	for range 4 {
		d, err := url.PathUnescape(s)
		if err != nil || d == s {
			break
		}
		s = d
	}
	if s == "" || strings.Trim(s, ".") == "" {
		return lgerr.Invalid("%s %q is empty or a dot segment", name, clipID(escaped))
	}
	return nil
}

func clipID(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
