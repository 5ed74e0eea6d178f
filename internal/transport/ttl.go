package transport

import (
	"time"

	"github.com/langgraph-go/langgraph/internal/lgerr"
)

// Minutes converts a time to live to the whole minutes the server takes
// (threads and store items alike). It refuses a negative duration and one
// that is not a whole number of minutes; zero gives zero (no TTL sent).
func Minutes(what string, d time.Duration) (int64, error) {
	if d < 0 {
		return 0, lgerr.Invalid("%s %v is negative", what, d)
	}
	if d%time.Minute != 0 {
		return 0, lgerr.Invalid("%s %v is not a whole number of minutes", what, d)
	}
	return int64(d / time.Minute), nil
}
