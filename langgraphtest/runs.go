package langgraphtest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/langgraph-go/langgraph"
)

// run is a run of the fake. Runs end as they start: events, result and
// status are known at once.
type run struct {
	id, threadID         string
	stateless            bool
	owner                string
	graphID, assistantID string
	createdAt, updatedAt time.Time
	status               string // final status
	metadata             map[string]any
	kwargs               map[string]any
	multitask            string
	events               []sseEvent
	resumable            bool
	delivered            bool
	result               json.RawMessage // the body of a join
}

type sseEvent struct {
	name string
	data json.RawMessage
	id   string
}

type runJSON struct {
	RunID             string         `json:"run_id"`
	ThreadID          string         `json:"thread_id"`
	AssistantID       string         `json:"assistant_id"`
	Metadata          map[string]any `json:"metadata"`
	Status            string         `json:"status"`
	Kwargs            map[string]any `json:"kwargs"`
	MultitaskStrategy string         `json:"multitask_strategy"`
	CreatedAt         string         `json:"created_at"`
	UpdatedAt         string         `json:"updated_at"`
}

func (rn *run) json(status string) runJSON {
	updated := rn.updatedAt
	if status == "pending" {
		updated = rn.createdAt
	}
	return runJSON{
		RunID: rn.id, ThreadID: rn.threadID, AssistantID: rn.assistantID, Metadata: rn.metadata,
		Status: status, Kwargs: rn.kwargs, MultitaskStrategy: rn.multitask,
		CreatedAt: stamp(rn.createdAt), UpdatedAt: stamp(updated),
	}
}

func (rn *run) location() string {
	if rn.stateless {
		return "/runs/" + rn.id
	}
	return "/threads/" + rn.threadID + "/runs/" + rn.id
}

// runBody is the body of a request that starts a run.
type runBody struct {
	AssistantID       string          `json:"assistant_id"`
	ThreadID          string          `json:"thread_id"` // batch items
	Input             json.RawMessage `json:"input"`
	Command           json.RawMessage `json:"command"`
	Config            map[string]any  `json:"config"`
	Context           json.RawMessage `json:"context"`
	Metadata          map[string]any  `json:"metadata"`
	StreamMode        json.RawMessage `json:"stream_mode"`
	StreamSubgraphs   bool            `json:"stream_subgraphs"`
	StreamResumable   bool            `json:"stream_resumable"`
	MultitaskStrategy string          `json:"multitask_strategy"`
	IfNotExists       string          `json:"if_not_exists"`
}

func (b *runBody) modes() []string {
	var one string
	if json.Unmarshal(b.StreamMode, &one) == nil && one != "" {
		return []string{one}
	}
	var many []string
	if json.Unmarshal(b.StreamMode, &many) == nil && len(many) > 0 {
		return many
	}
	return []string{"values"}
}

type startMode int

const (
	modeCreate startMode = iota
	modeWait
	modeStream
)

// failure is an answer that refuses a request.
type failure struct {
	status int
	text   string
	json   any
}

func (f *failure) write(w http.ResponseWriter) {
	if f.json != nil {
		writeJSON(w, f.status, f.json)
		return
	}
	textError(w, f.status, f.text)
}

func (s *Server) startRun(mode startMode) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body runBody
		if len(bytes.TrimSpace(raw)) > 0 {
			if err := json.Unmarshal(raw, &body); err != nil {
				invalidBody(w, err)
				return
			}
		}
		threadID := r.PathValue("thread_id")
		stateless := r.PathValue("thread_id") == "" && !strings.HasPrefix(r.URL.Path, "/threads/")
		req := Request{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: r.Header.Clone(), Body: raw, User: userOf(r)}
		rn, f := s.start(req, threadID, stateless, body, mode != modeCreate)
		if f != nil {
			f.write(w)
			return
		}
		w.Header().Set("Content-Location", rn.location())
		switch mode {
		case modeCreate:
			writeJSON(w, http.StatusOK, rn.json("pending"))
		case modeWait:
			w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(rn.result)
		case modeStream:
			writeEvents(w, r, rn.events)
		}
	}
}

// writeEvents answers an event stream.
func writeEvents(w http.ResponseWriter, r *http.Request, events []sseEvent) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	fl, _ := w.(http.Flusher)
	for _, e := range events {
		if r.Context().Err() != nil {
			return
		}
		var b strings.Builder
		b.WriteString("event: " + e.name + "\ndata: ")
		b.Write(e.data)
		b.WriteString("\n")
		if e.id != "" {
			b.WriteString("id: " + e.id + "\n")
		}
		b.WriteString("\n")
		if _, err := io.WriteString(w, b.String()); err != nil {
			return
		}
		if fl != nil {
			fl.Flush()
		}
	}
}

// findGraph returns the graph an assistant id names (a graph id or the id of
// its assistant). Called with s.mu held.
func (s *Server) findGraph(id string) *graph {
	if g := s.graphs[id]; g != nil {
		return g
	}
	for _, g := range s.graphs {
		if assistantID(g.id) == id {
			return g
		}
	}
	return nil
}

func noAssistant(id string) *failure {
	return &failure{status: http.StatusNotFound, text: fmt.Sprintf("No assistant found for %q. Make sure the assistant ID is for a valid assistant or a valid graph ID.", id)}
}

// start starts a run and ends it, recording it and its effect on the thread.
// Unless background is set, the run's events were delivered to the request
// that started it (a wait also reads them): a later join gets none.
func (s *Server) start(req Request, threadID string, stateless bool, body runBody, delivered bool) (*run, *failure) {
	if !stateless && !isUUID(threadID) {
		return nil, &failure{status: http.StatusBadRequest, json: zodUUID("thread_id")}
	}
	s.scriptMu.Lock()
	defer s.scriptMu.Unlock()

	s.mu.Lock()
	g := s.findGraph(body.AssistantID)
	if g == nil {
		s.mu.Unlock()
		return nil, noAssistant(body.AssistantID)
	}
	var t *thread
	if !stateless {
		t = s.visible(threadID, req.User)
		if t == nil {
			switch {
			case s.threads[threadID] != nil: // another user's
				s.mu.Unlock()
				return nil, &failure{status: http.StatusNotFound}
			case body.IfNotExists != "create":
				s.mu.Unlock()
				return nil, &failure{status: http.StatusUnprocessableEntity, text: "Thread is already running a task. Wait for it to finish or choose a different multitask strategy."}
			}
			t = s.newThread(threadID, req.User, nil)
		}
	}
	before := t.currentValues()
	s.mu.Unlock()

	rr := RunRequest{
		Request: req, AssistantID: body.AssistantID, GraphID: g.id, ThreadID: threadID,
		Input: nullable(body.Input), Command: nullable(body.Command), State: before,
	}
	script := g.next(rr)
	if err := script.check(); err != nil {
		s.errorf("langgraphtest: graph %q: %v", g.id, err)
		return nil, &failure{status: http.StatusInternalServerError, text: "langgraphtest: " + err.Error()}
	}
	if script.refused() {
		return nil, &failure{status: script.Status, text: cmp.Or(script.Message, http.StatusText(script.Status))}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	rn := &run{
		id: uuid7(now), threadID: threadID, stateless: stateless, owner: req.User,
		graphID: g.id, assistantID: assistantID(g.id), createdAt: now, updatedAt: now,
		multitask: cmp.Or(body.MultitaskStrategy, "reject"), resumable: body.StreamResumable, delivered: delivered,
	}
	if stateless {
		rn.threadID = uuid7(now)
	}
	var threadMeta map[string]any
	if t != nil {
		threadMeta = t.metadata
	}
	rn.metadata = map[string]any{"created_by": "system"}
	maps.Copy(rn.metadata, withOwner(threadMeta, req.User))
	if !stateless {
		rn.metadata["graph_id"], rn.metadata["assistant_id"] = g.id, rn.assistantID
	}
	maps.Copy(rn.metadata, body.Metadata)
	configurable := s.configurable(req, body)
	runConf := maps.Clone(configurable)
	maps.Copy(runConf, map[string]any{"run_id": rn.id, "thread_id": rn.threadID, "graph_id": g.id, "assistant_id": rn.assistantID})
	if req.User != "" {
		runConf["user_id"] = req.User
	}
	rn.kwargs = map[string]any{
		"config":      map[string]any{"configurable": runConf, "metadata": rn.metadata},
		"context":     json.RawMessage("{}"),
		"stream_mode": body.modes(),
		"temporary":   stateless,
		"subgraphs":   body.StreamSubgraphs,
		"resumable":   body.StreamResumable,
	}
	if c := nullable(body.Context); c != nil {
		rn.kwargs["context"] = c
	}
	if in := nullable(body.Input); in != nil {
		rn.kwargs["input"] = in
	}
	if c := nullable(body.Command); c != nil {
		rn.kwargs["command"] = c
	}

	p := &player{run: rn, script: script, modes: body.modes(), subgraphs: body.StreamSubgraphs, meta: rn.metadata, taskIDs: map[string]string{}, step: t.nextStep()}
	final := p.final(before, nullable(body.Input))
	p.play(final)
	rn.events = p.events
	rn.status = "success"
	switch {
	case script.Error != nil:
		rn.status = "error"
		msg, _ := encode(map[string]string{"error": cmp.Or(script.Error.Name, "Error"), "message": script.Error.Message})
		rn.result, _ = encode(map[string]any{"__error__": map[string]any{"error": "Error", "message": string(msg)}})
	case len(script.Interrupts) > 0:
		rn.result, _ = encode(map[string]any{"__interrupt__": p.interrupts()})
	default:
		rn.result = final
	}
	s.runs[rn.id] = rn
	if t != nil {
		s.applyRun(t, rn, p, final, configurable, before, nullable(body.Input))
	}
	return rn, nil
}

// nullable returns nil for an absent or null JSON value.
func nullable(b json.RawMessage) json.RawMessage {
	if len(b) == 0 || string(b) == "null" {
		return nil
	}
	return b
}

func zodUUID(field string) any {
	return map[string]any{
		"success": false,
		"error": map[string]any{
			"issues": []any{map[string]any{"validation": "uuid", "code": "invalid_string", "message": "Invalid uuid", "path": []string{field}}},
			"name":   "ZodError",
		},
	}
}

// configurable is what the server puts in a run's config.configurable: the
// request's, the x-* headers and the user agent, and the authenticated user.
func (s *Server) configurable(req Request, body runBody) map[string]any {
	out := map[string]any{}
	if c, ok := body.Config["configurable"].(map[string]any); ok {
		maps.Copy(out, c)
	}
	for k, v := range req.Header {
		k = strings.ToLower(k)
		switch {
		case k == "user-agent":
			out[k] = v[0]
		case strings.HasPrefix(k, "x-") && k != "x-api-key" && k != "x-tenant-id" && k != "x-service-key":
			out[k] = v[0]
		}
	}
	if req.User != "" {
		user := map[string]any{"identity": req.User, "permissions": []string{}, "is_authenticated": true}
		for _, u := range s.users {
			if u.Identity == req.User {
				maps.Copy(user, u.Fields)
				user["identity"] = u.Identity
			}
		}
		out["langgraph_auth_user"] = user
		out["langgraph_auth_user_id"] = req.User
		out["langgraph_auth_permissions"] = user["permissions"]
	}
	return out
}

// applyRun records what a run did to its thread. Called with s.mu held.
func (s *Server) applyRun(t *thread, rn *run, p *player, final json.RawMessage, configurable map[string]any, before, input json.RawMessage) {
	now := rn.updatedAt
	meta := func(source string) map[string]any {
		m := maps.Clone(configurable)
		maps.Copy(m, rn.metadata)
		maps.Copy(m, map[string]any{"graph_id": rn.graphID, "assistant_id": rn.assistantID, "run_attempt": 1, "run_id": rn.id, "source": source})
		return m
	}
	// One checkpoint for the input, one before each step that the script's
	// "updates" events show (holding the state of the "values" event before
	// it), and one for the end of the run.
	start := task{ID: uuid4(), Name: "__start__", Interrupts: []wireInterrupt{}, Path: []string{"__pregel_pull", "__start__"}, Result: input}
	t.addState(now, before, []string{"__start__"}, []task{start}, meta("input"))
	values := merge(before, input)
	for _, e := range p.script.Events {
		switch {
		case e.Name == "values":
			if b, err := encode(e.Data); err == nil {
				values = b
			}
		case e.Name == "updates":
			b, err := encode(e.Data)
			var writes map[string]json.RawMessage
			if err != nil || json.Unmarshal(b, &writes) != nil {
				continue
			}
			var next []string
			var tasks []task
			for _, node := range slices.Sorted(maps.Keys(writes)) {
				next = append(next, node)
				tasks = append(tasks, task{ID: uuid4(), Name: node, Interrupts: []wireInterrupt{}, Path: []string{"__pregel_pull", node}, Result: writes[node]})
			}
			t.addState(now, values, next, tasks, meta("loop"))
		}
	}

	interrupts := map[string][]wireInterrupt{}
	var next []string
	var tasks []task
	t.status = "idle"
	switch sc := p.script; {
	case sc.Error != nil:
		t.status = "error"
		node := cmp.Or(sc.Error.Node, "node")
		id := p.taskID(node)
		msg, _ := encode(map[string]string{"message": sc.Error.Message, "name": cmp.Or(sc.Error.Name, "Error")})
		e := string(msg)
		next = []string{node}
		tasks = []task{{ID: id, Name: node, Error: &e, Interrupts: []wireInterrupt{}, Path: []string{"__pregel_pull", node}}}
		interrupts[id] = []wireInterrupt{}
	case len(sc.Interrupts) > 0:
		t.status = "interrupted"
		for i, in := range p.interrupts() {
			node := cmp.Or(sc.Interrupts[i].Node, "node")
			id := p.taskID(node)
			if !slices.Contains(next, node) {
				next = append(next, node)
				tasks = append(tasks, task{ID: id, Name: node, Path: []string{"__pregel_pull", node}})
			}
			interrupts[id] = append(interrupts[id], in)
		}
		for i := range tasks {
			tasks[i].Interrupts = interrupts[tasks[i].ID]
		}
	}
	t.addState(now, final, next, tasks, meta("loop"))
	t.values, t.ran, t.interrupts, t.updatedAt = final, true, interrupts, now
	t.metadata["graph_id"], t.metadata["assistant_id"] = rn.graphID, rn.assistantID
	t.config = map[string]any{"configurable": configurable}
}

// player turns a script into the events of one run.
type player struct {
	run       *run
	script    Run
	modes     []string
	subgraphs bool
	meta      map[string]any
	taskIDs   map[string]string
	events    []sseEvent
	ins       []wireInterrupt
	step      int // of the run's first checkpoint
}

func (p *player) want(mode string) bool { return slices.Contains(p.modes, mode) }

func (p *player) taskID(node string) string {
	if id, ok := p.taskIDs[node]; ok {
		return id
	}
	id := uuid4()
	p.taskIDs[node] = id
	return id
}

func (p *player) emit(name string, data any) {
	b, err := encode(data)
	if err != nil {
		b = json.RawMessage("null")
	}
	e := sseEvent{name: name, data: b}
	if !p.run.stateless {
		e.id = strconv.Itoa(len(p.events))
	}
	p.events = append(p.events, e)
}

func (p *player) interrupts() []wireInterrupt {
	if p.ins != nil {
		return p.ins
	}
	p.ins = []wireInterrupt{}
	for _, in := range p.script.Interrupts {
		v, _ := encode(in.Value)
		p.ins = append(p.ins, wireInterrupt{ID: cmp.Or(in.ID, hexID()), Value: v})
	}
	return p.ins
}

// final returns the run's final state.
func (p *player) final(before, input json.RawMessage) json.RawMessage {
	if p.script.Values != nil {
		b, _ := encode(p.script.Values)
		return b
	}
	for _, e := range slices.Backward(p.script.Events) {
		if e.Name != "values" {
			continue
		}
		b, _ := encode(e.Data)
		var top map[string]json.RawMessage
		if json.Unmarshal(b, &top) == nil && top["__interrupt__"] != nil {
			continue
		}
		return b
	}
	return merge(before, input)
}

// aiChunk is a message chunk as the JS server streams it.
type aiChunk struct {
	Content          string   `json:"content"`
	ToolCalls        []any    `json:"tool_calls"`
	InvalidToolCalls []any    `json:"invalid_tool_calls"`
	ToolCallChunks   []any    `json:"tool_call_chunks"`
	AdditionalKwargs struct{} `json:"additional_kwargs"`
	ResponseMetadata struct{} `json:"response_metadata"`
	ID               string   `json:"id"`
	Type             string   `json:"type"`
}

// aiMessage is a whole AI message as the JS server sends it.
type aiMessage struct {
	ID               string   `json:"id"`
	Content          string   `json:"content"`
	AdditionalKwargs struct{} `json:"additional_kwargs"`
	ResponseMetadata struct{} `json:"response_metadata"`
	ToolCalls        []any    `json:"tool_calls"`
	InvalidToolCalls []any    `json:"invalid_tool_calls"`
	Type             string   `json:"type"`
}

func newChunk(id, content string) aiChunk {
	return aiChunk{Content: content, ToolCalls: []any{}, InvalidToolCalls: []any{}, ToolCallChunks: []any{}, ID: id, Type: "ai"}
}

// chunkMeta is the metadata of a message chunk written in node at step.
func (p *player) chunkMeta(node, ns string, step int) map[string]any {
	m := map[string]any{"tags": []string{}}
	maps.Copy(m, p.meta)
	checkpointNS := node + ":" + p.taskID(node)
	if ns != "" {
		checkpointNS = ns + "|" + checkpointNS
	}
	maps.Copy(m, map[string]any{
		"graph_id": p.run.graphID, "assistant_id": p.run.assistantID, "run_attempt": 1,
		"thread_id": p.run.threadID, "run_id": p.run.id,
		"langgraph_step": step, "langgraph_node": node, "langgraph_triggers": []string{"branch:to:" + node},
		"langgraph_path": []string{"__pregel_pull", node}, "langgraph_checkpoint_ns": checkpointNS, "checkpoint_ns": checkpointNS,
	})
	return m
}

// play computes the run's events.
func (p *player) play(final json.RawMessage) {
	p.emit("metadata", struct {
		RunID   string `json:"run_id"`
		Attempt int    `json:"attempt"`
	}{p.run.id, 1})
	type open struct{ id, content, suffix string }
	var cur *open
	flush := func() {
		if cur != nil {
			m := aiMessage{ID: cur.id, Content: cur.content, ToolCalls: []any{}, InvalidToolCalls: []any{}, Type: "ai"}
			p.emit("messages/complete"+cur.suffix, []any{m})
			cur = nil
		}
	}
	sawValues := false
	steps := 0                  // the root graph's steps so far, as its "updates" events show them
	ckpt := map[string]string{} // last checkpoint id by namespace
	ckptStep := map[string]int{}
	for _, e := range p.script.Events {
		base, ns, sub := strings.Cut(e.Name, "|")
		if base == "values" && !sub {
			sawValues = true
		}
		if base == "updates" && !sub {
			steps++
		}
		if sub && !p.subgraphs {
			continue
		}
		suffix := ""
		if sub {
			suffix = "|" + ns
		}
		if base == "values" && p.subgraphs && !p.want("checkpoints") {
			// With subgraphs, the server also sends every checkpoint, in a
			// short form, whether asked for or not.
			id := checkpointID(time.Now(), len(p.events))
			p.emit("checkpoints"+suffix, struct {
				ID       string `json:"id"`
				ParentID string `json:"parent_id,omitempty"`
				Step     int    `json:"step"`
				Source   string `json:"source"`
			}{id, ckpt[suffix], ckptStep[suffix], "loop"})
			ckpt[suffix] = id
			ckptStep[suffix]++
		}
		if c := e.chunk; c != nil {
			meta := p.chunkMeta(c.node, ns, p.step+2+steps)
			if p.want("messages-tuple") {
				p.emit(e.Name, []any{newChunk(c.id, c.content), meta})
			}
			if p.want("messages") {
				if cur == nil || cur.id != c.id || cur.suffix != suffix {
					flush()
					cur = &open{id: c.id, suffix: suffix}
					m := maps.Clone(meta)
					delete(m, "tags")
					p.emit("messages/metadata"+suffix, map[string]any{c.id: map[string]any{"metadata": m}})
				}
				cur.content += c.content
				p.emit("messages/partial"+suffix, []any{newChunk(c.id, cur.content)})
			}
			continue
		}
		flush()
		mode := string(langgraph.EventKind(base).Mode()) // "messages" comes from mode messages-tuple
		if mode == "" {
			mode = base
		}
		if p.want(mode) {
			p.emit(e.Name, e.Data)
		}
	}
	flush()
	switch {
	case p.script.Error != nil:
		p.emit("error", map[string]string{"error": cmp.Or(p.script.Error.Name, "Error"), "message": p.script.Error.Message})
	case len(p.script.Interrupts) > 0:
		in := map[string]any{"__interrupt__": p.interrupts()}
		if p.want("updates") {
			p.emit("updates", in)
		}
		if p.want("values") {
			p.emit("values", in)
		}
	case !sawValues && p.want("values"):
		p.emit("values", final)
	}
}

// batch starts several background runs (POST /runs/batch).
func (s *Server) batch(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var items []runBody
	if err := json.Unmarshal(raw, &items); err != nil {
		invalidBody(w, err)
		return
	}
	req := Request{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.Query(), Header: r.Header.Clone(), Body: raw, User: userOf(r)}
	out := []runJSON{}
	for _, it := range items {
		rn, f := s.start(req, it.ThreadID, it.ThreadID == "", it, false)
		if f != nil {
			f.write(w)
			return
		}
		out = append(out, rn.json("pending"))
	}
	writeJSON(w, http.StatusOK, out)
}

// lookupRun finds the path's run on the path's thread, answering the request
// if it cannot. Called with s.mu held.
func (s *Server) lookupRun(w http.ResponseWriter, r *http.Request) *run {
	t := s.lookupThread(w, r)
	if t == nil {
		return nil
	}
	id := r.PathValue("run_id")
	if !isUUID(id) {
		invalidUUID(w, "run_id")
		return nil
	}
	rn := s.runs[id]
	if rn == nil || rn.stateless || rn.threadID != t.id {
		textError(w, http.StatusNotFound, "Run not found")
		return nil
	}
	return rn
}

func (s *Server) getRun(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rn := s.lookupRun(w, r); rn != nil {
		writeJSON(w, http.StatusOK, rn.json(rn.status))
	}
}

func (s *Server) deleteRun(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rn := s.lookupRun(w, r); rn != nil {
		delete(s.runs, rn.id)
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *Server) cancel(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rn := s.lookupRun(w, r); rn != nil {
		switch r.URL.Query().Get("wait") {
		case "1", "true":
			w.WriteHeader(http.StatusNoContent)
		default:
			w.WriteHeader(http.StatusAccepted)
		}
	}
}

// listRuns lists a thread's runs oldest first, paged as the JS server pages
// them: slice(offset, limit).
func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookupThread(w, r)
	if t == nil {
		return
	}
	q := r.URL.Query()
	limit, offset := 10, 0
	if v, err := strconv.Atoi(q.Get("limit")); err == nil {
		limit = v
	}
	if v, err := strconv.Atoi(q.Get("offset")); err == nil {
		offset = v
	}
	var all []*run
	for _, rn := range s.runs {
		if !rn.stateless && rn.threadID == t.id && (q.Get("status") == "" || q.Get("status") == rn.status) {
			all = append(all, rn)
		}
	}
	slices.SortFunc(all, func(a, b *run) int { return cmp.Or(a.createdAt.Compare(b.createdAt), cmp.Compare(a.id, b.id)) })
	out := []runJSON{}
	for i := max(offset, 0); i < min(limit, len(all)); i++ {
		out = append(out, all[i].json(all[i].status))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) join(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookupThread(w, r)
	if t == nil {
		return
	}
	rn := s.runs[r.PathValue("run_id")]
	if rn == nil || rn.stateless || rn.threadID != t.id {
		writeJSON(w, http.StatusOK, map[string]any{"__error__": map[string]any{"error": "Error", "message": `"Run not found"`}})
		return
	}
	rn.delivered = true // a join reads the run's events
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(rn.result)
}

// joinStream answers GET /threads/{thread_id}/runs/{run_id}/stream and GET
// /runs/{run_id}/stream as the JS server does: the events after
// Last-Event-ID for a resumable run; otherwise the run's events to its first
// joiner only.
func (s *Server) joinStream(w http.ResponseWriter, r *http.Request) {
	threadID, runID := r.PathValue("thread_id"), r.PathValue("run_id")
	if threadID != "" && !isUUID(threadID) {
		invalidUUID(w, "thread_id")
		return
	}
	if !isUUID(runID) {
		invalidUUID(w, "run_id")
		return
	}
	s.mu.Lock()
	rn := s.runs[runID]
	user := userOf(r)
	if rn != nil && (rn.stateless != (threadID == "") || (threadID != "" && (rn.threadID != threadID || s.visible(threadID, user) == nil)) ||
		(rn.stateless && rn.owner != "" && rn.owner != user)) {
		rn = nil
	}
	var events []sseEvent
	switch {
	case rn == nil && threadID != "":
		events = []sseEvent{{name: "error", data: json.RawMessage(`"Run not found"`)}}
	case rn == nil:
		w.Header().Set("Content-Location", "/runs/"+runID)
	default:
		last, hasLast := r.Header.Get("Last-Event-ID"), r.Header.Get("Last-Event-ID") != ""
		switch {
		case rn.resumable && hasLast:
			n, err := strconv.Atoi(last)
			if err != nil {
				n = -1
			}
			for _, e := range rn.events {
				if id, err := strconv.Atoi(e.id); err != nil || id > n {
					events = append(events, e)
				}
			}
		case !rn.delivered && !rn.resumable:
			events = rn.events
			rn.delivered = true
		}
	}
	s.mu.Unlock()
	writeEvents(w, r, events)
}
