package langgraph

// StreamMode selects what a stream carries: the stream modes of a run
// (runs.StreamParams.StreamMode, runs.CreateParams.StreamMode for a later
// join, remotegraph.StreamParams.StreamMode) and those of a thread's stream
// (threads.JoinStreamParams.StreamMode). The runs and threads packages
// re-export the constants they accept (runs.StreamValues,
// threads.StreamLifecycle, ...); they are of this one type.
//
// The server names each event after the mode that produced it, except for
// the two message modes. What each mode produces, and the StreamPart method
// that decodes it:
//
//	mode            event kinds (StreamPart.Kind)                          decoded by
//	values          values                                                 Values
//	updates         updates                                                Updates
//	messages-tuple  messages                                               MessageChunk
//	messages        messages/metadata, messages/partial, messages/complete MessagesMetadata, Messages
//	custom          custom                                                 Decode
//	events          events                                                 CallbackEvent
//	debug           debug                                                  Debug
//	tasks           tasks                                                  Task
//	checkpoints     checkpoints                                            Checkpoint
//	tools           tools                                                  Tool
//
// Whatever the modes, a run's stream also carries a metadata event first
// (Metadata), an error event when the run fails (Err), feedback events when
// feedback keys were asked for (Feedback), and, from the Python server, an
// end event (IsEnd). Events returns the table's kinds for a mode and
// EventKind.Mode the mode of a kind.
//
// The thread stream's modes (StreamRunModes, StreamLifecycle,
// StreamStateUpdate) are not modes of a run: a thread's stream relays the
// events of the thread's runs (run_modes, in the runs' own modes) and of the
// runs starting and ending (lifecycle) and of the thread's state changes
// (state_update).
type StreamMode string

// Stream modes of a run.
const (
	StreamValues        StreamMode = "values"         // the whole state after each step
	StreamUpdates       StreamMode = "updates"        // each node's update, after each step
	StreamMessagesTuple StreamMode = "messages-tuple" // chat model tokens, with the metadata of the model call
	StreamMessages      StreamMode = "messages"       // chat messages, partial and complete (the LangGraph server's own mode)
	StreamCustom        StreamMode = "custom"         // what nodes write to their stream writer
	StreamEvents        StreamMode = "events"         // LangChain callback events (astream_events)
	StreamDebug         StreamMode = "debug"          // checkpoints, task starts and task results, with their step and time
	StreamTasks         StreamMode = "tasks"          // task starts and task results
	StreamCheckpoints   StreamMode = "checkpoints"    // each checkpoint the run saves
	StreamTools         StreamMode = "tools"          // tool calls starting, streaming and ending (JS server)
)

// Stream modes of a thread's stream (threads.JoinStreamParams).
const (
	StreamRunModes    StreamMode = "run_modes"    // the events of the thread's runs, in their own stream modes (the server's default)
	StreamLifecycle   StreamMode = "lifecycle"    // runs starting and ending
	StreamStateUpdate StreamMode = "state_update" // changes of the thread's state
)

// Events returns the kinds of the events that a run streamed in mode m
// sends: the mode's own name for most modes, EventMessages for
// StreamMessagesTuple, and the three messages/... kinds for StreamMessages
// (see StreamMode). It returns nil for StreamRunModes, which relays events
// of any kind. Modes this SDK does not know give their own name.
func (m StreamMode) Events() []EventKind {
	switch m {
	case StreamMessagesTuple:
		return []EventKind{EventMessages}
	case StreamMessages:
		return []EventKind{EventMessagesMetadata, EventMessagesPartial, EventMessagesComplete}
	case StreamRunModes, "":
		return nil
	}
	return []EventKind{EventKind(m)}
}

// EventKind is the kind of a stream event (StreamPart.Kind): the event's name
// without the namespace that the server appends to the events of subgraphs.
// See StreamMode for the kinds each stream mode produces.
type EventKind string

// Kinds of the events produced by the stream modes.
const (
	EventValues           EventKind = "values"            // StreamValues
	EventUpdates          EventKind = "updates"           // StreamUpdates
	EventMessages         EventKind = "messages"          // StreamMessagesTuple (not StreamMessages)
	EventMessagesMetadata EventKind = "messages/metadata" // StreamMessages: the model call of each message id
	EventMessagesPartial  EventKind = "messages/partial"  // StreamMessages: messages being generated
	EventMessagesComplete EventKind = "messages/complete" // StreamMessages: finished messages
	EventCustom           EventKind = "custom"            // StreamCustom
	EventEvents           EventKind = "events"            // StreamEvents
	EventDebug            EventKind = "debug"             // StreamDebug
	EventTasks            EventKind = "tasks"             // StreamTasks
	EventCheckpoints      EventKind = "checkpoints"       // StreamCheckpoints
	EventTools            EventKind = "tools"             // StreamTools
)

// Kinds of the events that every stream may carry, whatever its modes.
const (
	// EventMetadata is the first event of a run's stream:
	// {"run_id", "attempt"} (StreamPart.Metadata).
	EventMetadata EventKind = "metadata"
	// EventError reports that the run failed (StreamPart.Err); a run's
	// stream ends after it.
	EventError EventKind = "error"
	// EventFeedback maps each feedback key asked for to the URL that records
	// feedback for it (StreamPart.Feedback).
	EventFeedback EventKind = "feedback"
	// EventEnd marks the end of the stream (Python server only).
	EventEnd EventKind = "end"
)

// Mode returns the stream mode that produces events of kind k
// (StreamMessagesTuple for EventMessages, StreamMessages for the
// messages/... kinds), or "" for the kinds that belong to every stream
// (metadata, error, feedback, end) and for kinds this SDK does not know.
func (k EventKind) Mode() StreamMode {
	switch k {
	case EventMessages:
		return StreamMessagesTuple
	case EventMessagesMetadata, EventMessagesPartial, EventMessagesComplete:
		return StreamMessages
	case EventValues, EventUpdates, EventCustom, EventEvents, EventDebug, EventTasks, EventCheckpoints, EventTools:
		return StreamMode(k)
	}
	return ""
}
