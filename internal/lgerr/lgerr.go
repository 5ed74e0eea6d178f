// Package lgerr builds the errors that the SDK's packages share.
package lgerr

import (
	"fmt"

	"github.com/langgraph-go/langgraph"
)

// Invalid returns an error for a call refused before anything was sent. It
// matches langgraph.ErrInvalidArgument and reads
// "langgraph: invalid argument: <message>". The message must never hold a
// secret (a token, a header value).
func Invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", langgraph.ErrInvalidArgument, fmt.Sprintf(format, args...))
}

// Wrap marks err, an error found while checking a call's arguments (e.g. a
// value that cannot be encoded as JSON), as an invalid argument.
func Wrap(err error, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %w", langgraph.ErrInvalidArgument, fmt.Sprintf(format, args...), err)
}
