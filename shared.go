package langgraph

// Status is the status of a run (runs.Run.Status) or of a thread
// (threads.Thread.Status), and a filter on it (runs.ListParams.Status,
// threads.SearchParams.Status). One type serves both, so that a run's status
// and its thread's compare without conversion: StatusInterrupted and
// StatusError apply to both.
type Status string

// Statuses of runs and threads. A run is pending, running, success, error,
// timeout or interrupted; a thread is idle, busy, interrupted or error.
const (
	// StatusPending: a run that waits to start (run).
	StatusPending Status = "pending"
	// StatusRunning: a run under way (run).
	StatusRunning Status = "running"
	// StatusSuccess: a run that finished (run).
	StatusSuccess Status = "success"
	// StatusTimeout: a run that the server stopped at its time limit (run).
	StatusTimeout Status = "timeout"
	// StatusIdle: a thread with no run under way (thread).
	StatusIdle Status = "idle"
	// StatusBusy: a thread with a run under way (thread).
	StatusBusy Status = "busy"
	// StatusInterrupted: a run that stopped at an interrupt or a
	// breakpoint, and its thread, which waits to be resumed (run and
	// thread).
	StatusInterrupted Status = "interrupted"
	// StatusError: a run whose node failed (or that was cancelled with
	// rollback while running), and its thread (run and thread).
	StatusError Status = "error"
)

// SortOrder orders the results of a search: Asc or Desc.
type SortOrder string

// Sort orders.
const (
	Asc  SortOrder = "asc"
	Desc SortOrder = "desc"
)

// IfExists says what creating a resource with a taken id does
// (threads.CreateParams.IfExists, assistants.CreateParams.IfExists).
type IfExists string

// Values of IfExists.
const (
	// IfExistsRaise fails with an error matching ErrConflict (the server
	// default).
	IfExistsRaise IfExists = "raise"
	// IfExistsDoNothing returns the existing resource unchanged.
	IfExistsDoNothing IfExists = "do_nothing"
)
