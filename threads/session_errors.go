package threads

import (
	"errors"
	"fmt"

	"github.com/langgraph-go/langgraph/internal/protocol"
)

// ErrorCode is the code of a protocol error reply. It is an error itself,
// so that errors.Is(err, threads.CodeNoSuchRun) tests a *ProtocolError's
// code.
type ErrorCode string

// Error codes of the thread stream protocol.
const (
	CodeInvalidArgument    ErrorCode = "invalid_argument"
	CodeUnknownCommand     ErrorCode = "unknown_command"
	CodeUnknownError       ErrorCode = "unknown_error"
	CodeNoSuchRun          ErrorCode = "no_such_run"
	CodeNoSuchSubscription ErrorCode = "no_such_subscription"
	CodeNoSuchNamespace    ErrorCode = "no_such_namespace"
	CodeNoSuchInterrupt    ErrorCode = "no_such_interrupt"
	CodeNoSuchCheckpoint   ErrorCode = "no_such_checkpoint"
	CodePermissionDenied   ErrorCode = "permission_denied"
	CodeNotSupported       ErrorCode = "not_supported"
)

// Error returns the code.
func (c ErrorCode) Error() string { return "langgraph: protocol error " + string(c) }

// ProtocolError is an error reply to a session's command: the server
// answered (HTTP 200 over SSE) with {"type":"error", "error": code,
// "message": ...}. Failures that the server reports as HTTP statuses (400,
// 401, 404) are *langgraph.APIError instead.
type ProtocolError struct {
	// Code is the error's code, e.g. CodeInvalidArgument.
	Code ErrorCode
	// Message is the server's explanation.
	Message string
	// Command is the command's method, e.g. "run.start".
	Command string
	// ID is the command's id.
	ID int64
	// Stacktrace is the server's stack trace (unknown_error), if sent.
	Stacktrace string
}

// Error names the command, the code and the message.
func (e *ProtocolError) Error() string {
	return fmt.Sprintf("langgraph: %s: %s: %s", e.Command, string(e.Code), e.Message)
}

// Is reports whether target is the error's code.
func (e *ProtocolError) Is(target error) bool {
	c, ok := target.(ErrorCode)
	return ok && c == e.Code
}

func replyError(rep *protocol.Reply, method string) error {
	return &ProtocolError{Code: ErrorCode(rep.Code), Message: rep.Message, Command: method, ID: rep.ID, Stacktrace: rep.Stacktrace}
}

// ErrRunActive matches the error of Session.Start or Session.Respond while
// a run that the session started has not ended: wait for it (Run.Output)
// first. The server would not refuse the new run: it would silently stop
// streaming the running one.
var ErrRunActive = errors.New("langgraph: a run of this session is still active")

// ErrSessionClosed matches the error of a call on a closed session, and
// ends the iterators of a session when it closes.
var ErrSessionClosed = errors.New("langgraph: the session is closed")

// ErrNoReply matches the error of a command sent over a WebSocket that got
// no reply within SessionParams.ReplyTimeout. LangGraph.js 1.5.1 sends no
// reply at all when a command fails outside a run (a thread the user may
// not see, an unknown assistant): over SSE the same failures are HTTP
// errors.
var ErrNoReply = errors.New("langgraph: no reply over the WebSocket")
