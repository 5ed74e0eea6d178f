package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"iter"
	"strings"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/runs"
)

// Output formats of the commands that print a stream.
const (
	outputJSON = "json"
	outputText = "text"
)

// textStreamModes are the stream modes a text output asks for when the command
// names none: the tokens of chat models, the nodes as they finish, custom
// events, and the state (printed once, at the end).
func textStreamModes() []runs.StreamMode {
	return []runs.StreamMode{runs.StreamMessagesTuple, runs.StreamUpdates, runs.StreamCustom, runs.StreamValues}
}

const textOutputHelp = `With --output text (-o text) a stream is printed for a person at a terminal:
message text token by token as it arrives ("NODE: text"), then on their own
lines "[node NAME]" when a node finishes, "[custom] JSON" and the other events
as compact JSON, "[error] NAME: MESSAGE" for a failed run, and at the end
"[state]" with the final state, or "[interrupted]" with the pending interrupts
("ID: VALUE"). Subgraph nodes are shown as PARENT/NODE. Without --stream-mode
(--stream for invoke), text output streams messages-tuple, updates, custom and
values.`

// outputFlag registers --output and its short form -o.
func outputFlag(fs *flag.FlagSet) *choiceFlag {
	f := &choiceFlag{value: outputJSON, choices: []string{outputJSON, outputText}}
	fs.Var(f, "output", "json (JSON Lines) or text (tokens as they arrive; see above); -o for short")
	fs.Var(shortFlag{f}, "o", "short for --output")
	return f
}

// shortFlag is the one-letter form of a flag, left out of the flag list of
// a command's help (the long flag's usage names it).
type shortFlag struct{ flag.Value }

// printStreamAs prints a stream as JSON Lines or as text.
func printStreamAs(w io.Writer, output string, seq iter.Seq2[langgraph.StreamPart, error]) (int, error) {
	if output == outputText {
		return printTextStream(w, seq)
	}
	return printJSONLines(w, seq)
}

// textPrinter writes a stream as text.
type textPrinter struct {
	w       io.Writer
	err     error          // the first write error
	midLine bool           // the last write did not end a line
	current string         // the message whose text is being written
	written map[string]int // bytes of text written, by message id (mode messages)
	nodes   map[string]string

	final      json.RawMessage // the last state of the root graph
	stopped    bool
	interrupts []langgraph.Interrupt
}

// printTextStream prints a stream as text and returns the number of events
// and the stream's error, or errRunInterrupted when the run stopped at an
// interrupt or a breakpoint.
func printTextStream(w io.Writer, seq iter.Seq2[langgraph.StreamPart, error]) (int, error) {
	p := &textPrinter{w: w, written: map[string]int{}, nodes: map[string]string{}}
	n := 0
	for part, err := range seq {
		if part.Event != "" {
			n++
			p.part(part)
		}
		if p.err != nil {
			return n, p.err
		}
		if err != nil {
			p.endLine()
			return n, err
		}
	}
	p.summary()
	if p.err != nil {
		return n, p.err
	}
	if p.stopped {
		return n, errRunInterrupted
	}
	return n, nil
}

func (p *textPrinter) write(s string) {
	if p.err != nil || s == "" {
		return
	}
	_, p.err = io.WriteString(p.w, s)
	p.midLine = !strings.HasSuffix(s, "\n")
}

// endLine ends the text being written, if any.
func (p *textPrinter) endLine() {
	if p.midLine {
		p.write("\n")
	}
	p.current = ""
}

// line writes s on a line of its own.
func (p *textPrinter) line(s string) {
	p.endLine()
	p.write(s + "\n")
}

// text appends the text of message id, which node wrote.
func (p *textPrinter) text(id, node, s string) {
	if s == "" {
		return
	}
	if id == "" {
		id = "\x00" + node // chunks without an id: one message per node
	}
	if id != p.current {
		p.endLine()
		p.write(node + ": ")
		p.current = id
	}
	p.write(s)
}

func (p *textPrinter) part(part langgraph.StreamPart) {
	root := len(part.Namespace) == 0
	if root && part.Interrupted() {
		p.stopped = true
		if in, err := part.Interrupts(); err == nil && len(in) > 0 {
			p.interrupts = in
		}
	}
	switch part.Kind {
	case langgraph.EventMetadata, langgraph.EventEnd, langgraph.EventMessagesMetadata:
		if part.Kind == langgraph.EventMessagesMetadata {
			if md, err := part.MessagesMetadata(); err == nil {
				for id, m := range md {
					p.nodes[id] = m.Node
				}
			}
		}
	case langgraph.EventMessages:
		m, md, err := part.MessageChunk()
		if err != nil {
			p.other(part)
			return
		}
		p.text(m.ID, label(part.Namespace, nodeOr(md.Node, m.Type)), m.Text())
	case langgraph.EventMessagesPartial, langgraph.EventMessagesComplete:
		ms, err := part.Messages()
		if err != nil {
			p.other(part)
			return
		}
		for _, m := range ms {
			text := m.Text()
			done, seen := p.written[m.ID]
			if part.Kind == langgraph.EventMessagesComplete && !seen {
				if text != "" {
					p.line(label(part.Namespace, nodeOr(p.nodes[m.ID], m.Type)) + ": " + text)
				}
				continue
			}
			if len(text) > done {
				p.text(m.ID, label(part.Namespace, nodeOr(p.nodes[m.ID], m.Type)), text[done:])
				p.written[m.ID] = len(text)
			}
			if part.Kind == langgraph.EventMessagesComplete && p.current == m.ID {
				p.endLine()
			}
		}
	case langgraph.EventUpdates:
		updates, _, err := part.Updates()
		if err != nil {
			p.other(part)
			return
		}
		for _, u := range updates {
			p.line("[node " + label(part.Namespace, u.Node) + "]")
		}
	case langgraph.EventValues:
		if root {
			if v, _, err := part.Values(); err == nil && !isEmptyObject(v) {
				p.final = v
			}
		}
	case langgraph.EventError:
		var e *langgraph.RunError
		if !errors.As(part.Err(), &e) {
			p.other(part)
			return
		}
		msg := e.Message
		if e.Name != "" {
			msg = e.Name + ": " + msg
		}
		p.line("[error] " + msg)
	default:
		p.other(part)
	}
}

// other writes an event as its name and compact JSON data.
func (p *textPrinter) other(part langgraph.StreamPart) {
	name := string(part.Kind)
	if len(part.Namespace) > 0 {
		name += " " + label(part.Namespace, "")
	}
	p.line("[" + name + "] " + compactJSON(part.Data))
}

// summary writes the end of the run: its interrupts, or its final state.
func (p *textPrinter) summary() {
	switch {
	case p.stopped && len(p.interrupts) == 0:
		p.line("[interrupted] at a breakpoint, waiting to be resumed")
	case p.stopped:
		p.line("[interrupted] waiting to be resumed")
		for _, in := range p.interrupts {
			p.line("  " + in.ID + ": " + compactJSON(in.Value))
		}
	case p.final != nil:
		var b bytes.Buffer
		if json.Indent(&b, p.final, "", "  ") != nil {
			b.Reset()
			b.Write(p.final)
		}
		p.line("[state]")
		p.line(b.String())
	default:
		p.endLine()
	}
}

// label joins the nodes of a namespace ("node:task_id" elements) and node
// with "/".
func label(ns []string, node string) string {
	parts := make([]string, 0, len(ns)+1)
	for _, e := range ns {
		name, _, _ := strings.Cut(e, ":")
		parts = append(parts, name)
	}
	if node != "" {
		parts = append(parts, node)
	}
	return strings.Join(parts, "/")
}

func nodeOr(node, fallback string) string {
	if node != "" {
		return node
	}
	return fallback
}

func isEmptyObject(v json.RawMessage) bool {
	return string(bytes.TrimSpace(v)) == "{}"
}

// compactJSON returns data as JSON on one line, or quoted when it is not
// JSON.
func compactJSON(data []byte) string {
	var b bytes.Buffer
	if err := json.Compact(&b, bytes.TrimSpace(data)); err != nil || b.Len() == 0 {
		q, _ := json.Marshal(string(data))
		return string(q)
	}
	return b.String()
}
