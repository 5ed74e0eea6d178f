package langgraphtest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"time"
)

type userKey struct{}

func withUser(ctx context.Context, user string) context.Context {
	return context.WithValue(ctx, userKey{}, user)
}

func userOf(r *http.Request) string {
	u, _ := r.Context().Value(userKey{}).(string)
	return u
}

// thread is a thread of the fake.
type thread struct {
	id                   string
	owner                string
	createdAt, updatedAt time.Time
	metadata             map[string]any
	status               string
	config               map[string]any
	ran                  bool // has values and interrupts
	values               json.RawMessage
	interrupts           map[string][]wireInterrupt
	states               []*snapshot // oldest first
}

// snapshot is one checkpoint of a thread.
type snapshot struct {
	values    json.RawMessage
	next      []string
	tasks     []task
	metadata  map[string]any
	createdAt time.Time
	id        string
	parentID  string
}

type task struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Error      *string         `json:"error"`
	Interrupts []wireInterrupt `json:"interrupts"`
	Path       []string        `json:"path"`
	Checkpoint any             `json:"checkpoint"`
	State      any             `json:"state"`
	Result     any             `json:"result"`
}

type wireInterrupt struct {
	ID    string          `json:"id"`
	Value json.RawMessage `json:"value"`
}

type threadJSON struct {
	ThreadID   string          `json:"thread_id"`
	CreatedAt  string          `json:"created_at"`
	UpdatedAt  string          `json:"updated_at"`
	Metadata   map[string]any  `json:"metadata"`
	Status     string          `json:"status"`
	Config     map[string]any  `json:"config"`
	Values     json.RawMessage `json:"values,omitempty"`
	Interrupts any             `json:"interrupts,omitempty"`
}

func (t *thread) json() threadJSON {
	j := threadJSON{
		ThreadID:  t.id,
		CreatedAt: stamp(t.createdAt),
		UpdatedAt: stamp(t.updatedAt),
		Metadata:  t.metadata,
		Status:    t.status,
		Config:    t.config,
	}
	if t.ran {
		j.Values = t.values
		in := t.interrupts
		if in == nil {
			in = map[string][]wireInterrupt{}
		}
		j.Interrupts = in
	}
	return j
}

func checkpointJSON(threadID, id string) any {
	if id == "" {
		return nil
	}
	return map[string]any{"thread_id": threadID, "checkpoint_id": id, "checkpoint_ns": "", "checkpoint_map": nil}
}

func (t *thread) stateJSON(st *snapshot) any {
	if st == nil {
		return map[string]any{"values": map[string]any{}, "next": []string{}, "tasks": []task{}, "created_at": nil, "checkpoint": nil, "parent_checkpoint": nil}
	}
	type stateJSON struct {
		Values           json.RawMessage `json:"values"`
		Next             []string        `json:"next"`
		Tasks            []task          `json:"tasks"`
		Metadata         map[string]any  `json:"metadata"`
		CreatedAt        string          `json:"created_at"`
		Checkpoint       any             `json:"checkpoint"`
		ParentCheckpoint any             `json:"parent_checkpoint"`
	}
	return stateJSON{
		Values:           st.values,
		Next:             orEmpty(st.next),
		Tasks:            orEmpty(st.tasks),
		Metadata:         st.metadata,
		CreatedAt:        stamp(st.createdAt),
		Checkpoint:       checkpointJSON(t.id, st.id),
		ParentCheckpoint: checkpointJSON(t.id, st.parentID),
	}
}

func (t *thread) last() *snapshot {
	if len(t.states) == 0 {
		return nil
	}
	return t.states[len(t.states)-1]
}

// nextStep returns the step of the thread's next checkpoint.
func (t *thread) nextStep() int {
	if t == nil || t.last() == nil {
		return -1
	}
	n, _ := t.last().metadata["step"].(int)
	return n + 1
}

// currentValues returns the thread's values, {} before any.
func (t *thread) currentValues() json.RawMessage {
	if t == nil || t.values == nil {
		return json.RawMessage("{}")
	}
	return t.values
}

// addState records a new checkpoint holding values.
func (t *thread) addState(now time.Time, values json.RawMessage, next []string, tasks []task, meta map[string]any) *snapshot {
	st := &snapshot{values: values, next: next, tasks: tasks, metadata: meta, createdAt: now}
	step := -2 // the first checkpoint, the input's, is step -1
	if p := t.last(); p != nil {
		st.parentID = p.id
		if n, ok := p.metadata["step"].(int); ok {
			step = n
		}
	}
	st.metadata["step"] = step + 1
	st.metadata["parents"] = map[string]any{}
	st.metadata["thread_id"] = t.id
	st.id = checkpointID(now, step+1)
	t.states = append(t.states, st)
	return st
}

// visible returns the thread with id if user may see it. Called with s.mu
// held.
func (s *Server) visible(id, user string) *thread {
	t := s.threads[id]
	if t == nil || (t.owner != "" && t.owner != user) {
		return nil
	}
	return t
}

func notFoundThread(w http.ResponseWriter, id string) {
	textError(w, http.StatusNotFound, fmt.Sprintf("Thread with ID %s not found", id))
}

// lookupThread finds the path's thread, answering the request if it cannot.
// Called with s.mu held.
func (s *Server) lookupThread(w http.ResponseWriter, r *http.Request) *thread {
	id := r.PathValue("thread_id")
	if !isUUID(id) {
		invalidUUID(w, "thread_id")
		return nil
	}
	t := s.visible(id, userOf(r))
	if t == nil {
		notFoundThread(w, id)
	}
	return t
}

func withOwner(m map[string]any, owner string) map[string]any {
	out := maps.Clone(m)
	if out == nil {
		out = map[string]any{}
	}
	if owner != "" {
		out["owner"] = owner
	}
	return out
}

func (s *Server) createThread(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ThreadID string         `json:"thread_id"`
		Metadata map[string]any `json:"metadata"`
		IfExists string         `json:"if_exists"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	if body.ThreadID != "" && !isUUID(body.ThreadID) {
		invalidUUID(w, "thread_id")
		return
	}
	user := userOf(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.threads[body.ThreadID]; t != nil {
		if body.IfExists == "do_nothing" && s.visible(t.id, user) != nil {
			writeJSON(w, http.StatusOK, t.json())
			return
		}
		textError(w, http.StatusConflict, "Thread already exists")
		return
	}
	t := s.newThread(body.ThreadID, user, body.Metadata)
	writeJSON(w, http.StatusOK, t.json())
}

// newThread creates a thread. Called with s.mu held.
func (s *Server) newThread(id, owner string, metadata map[string]any) *thread {
	now := time.Now()
	if id == "" {
		id = uuid7(now)
	}
	t := &thread{id: id, owner: owner, createdAt: now, updatedAt: now, metadata: withOwner(metadata, owner), status: "idle", config: map[string]any{}}
	s.threads[id] = t
	return t
}

func (s *Server) getThread(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t := s.lookupThread(w, r); t != nil {
		writeJSON(w, http.StatusOK, t.json())
	}
}

func (s *Server) updateThread(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Metadata map[string]any `json:"metadata"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookupThread(w, r)
	if t == nil {
		return
	}
	maps.Copy(t.metadata, body.Metadata)
	if t.owner != "" {
		t.metadata["owner"] = t.owner
	}
	t.updatedAt = time.Now()
	writeJSON(w, http.StatusOK, t.json())
}

func (s *Server) deleteThread(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookupThread(w, r)
	if t == nil {
		return
	}
	delete(s.threads, t.id)
	for id, rn := range s.runs {
		if rn.threadID == t.id {
			delete(s.runs, id)
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

type threadQuery struct {
	IDs       []string       `json:"ids"`
	Metadata  map[string]any `json:"metadata"`
	Values    map[string]any `json:"values"`
	Status    string         `json:"status"`
	Limit     *int           `json:"limit"`
	Offset    int            `json:"offset"`
	SortBy    string         `json:"sort_by"`
	SortOrder string         `json:"sort_order"`
}

// contains reports whether the JSON object have holds every key of want with
// an equal value.
func contains(have map[string]any, want map[string]any) bool {
	for k, v := range want {
		hv, ok := have[k]
		if !ok || !jsonEqual(hv, v) {
			return false
		}
	}
	return true
}

func jsonEqual(a, b any) bool {
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	if err1 != nil || err2 != nil {
		return false
	}
	var va, vb any
	_ = json.Unmarshal(ja, &va)
	_ = json.Unmarshal(jb, &vb)
	return reflect.DeepEqual(va, vb)
}

// matchThreads returns the threads user sees that q selects, sorted. Called
// with s.mu held.
func (s *Server) matchThreads(q threadQuery, user string) []*thread {
	var out []*thread
	for _, t := range s.threads {
		if s.visible(t.id, user) == nil {
			continue
		}
		if len(q.IDs) > 0 && !slices.Contains(q.IDs, t.id) {
			continue
		}
		if q.Status != "" && t.status != q.Status {
			continue
		}
		if !contains(t.metadata, q.Metadata) {
			continue
		}
		if len(q.Values) > 0 {
			var vals map[string]any
			if json.Unmarshal(t.values, &vals) != nil || !contains(vals, q.Values) {
				continue
			}
		}
		out = append(out, t)
	}
	key := func(t *thread) string {
		switch q.SortBy {
		case "thread_id":
			return t.id
		case "status":
			return t.status
		case "updated_at":
			return t.updatedAt.Format(time.RFC3339Nano) + t.id
		}
		return t.createdAt.Format(time.RFC3339Nano) + t.id
	}
	slices.SortFunc(out, func(a, b *thread) int {
		c := cmp.Compare(key(a), key(b))
		if q.SortOrder != "asc" {
			c = -c
		}
		return c
	})
	return out
}

// page returns items[offset:offset+limit] (limit default 10).
func page[T any](items []T, offset int, limit *int) []T {
	n := 10
	if limit != nil {
		n = *limit
	}
	if offset < 0 {
		offset = 0
	}
	if offset >= len(items) {
		return []T{}
	}
	return items[offset:min(len(items), offset+max(n, 0))]
}

func (s *Server) searchThreads(w http.ResponseWriter, r *http.Request) {
	var q threadQuery
	if !decodeBody(w, r, &q) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.matchThreads(q, userOf(r))
	out := []threadJSON{}
	for _, t := range page(all, q.Offset, q.Limit) {
		out = append(out, t.json())
	}
	w.Header().Set("X-Pagination-Total", strconv.Itoa(len(all)))
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) countThreads(w http.ResponseWriter, r *http.Request) {
	var q threadQuery
	if !decodeBody(w, r, &q) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, len(s.matchThreads(q, userOf(r))))
}

func (s *Server) getState(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookupThread(w, r)
	if t == nil {
		return
	}
	s.answerState(w, t, r.PathValue("checkpoint_id"))
}

func (s *Server) getStateAt(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Checkpoint struct {
			CheckpointID string `json:"checkpoint_id"`
		} `json:"checkpoint"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookupThread(w, r)
	if t == nil {
		return
	}
	s.answerState(w, t, body.Checkpoint.CheckpointID)
}

// answerState answers the thread's state at checkpoint id ("" for the
// latest). Called with s.mu held.
func (s *Server) answerState(w http.ResponseWriter, t *thread, id string) {
	if id == "" {
		writeJSON(w, http.StatusOK, t.stateJSON(t.last()))
		return
	}
	for _, st := range t.states {
		if st.id == id {
			writeJSON(w, http.StatusOK, t.stateJSON(st))
			return
		}
	}
	writeJSON(w, http.StatusOK, t.stateJSON(nil))
}

func (s *Server) updateState(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Values json.RawMessage `json:"values"`
		AsNode string          `json:"as_node"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookupThread(w, r)
	if t == nil {
		return
	}
	now := time.Now()
	values := merge(t.currentValues(), body.Values)
	meta := withOwner(nil, t.owner)
	meta["source"] = "update"
	if body.AsNode != "" {
		meta["writes"] = map[string]any{body.AsNode: json.RawMessage(body.Values)}
	}
	st := t.addState(now, values, nil, nil, meta)
	t.values, t.ran, t.updatedAt = values, true, now
	if t.interrupts == nil {
		t.interrupts = map[string][]wireInterrupt{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"checkpoint": map[string]any{"thread_id": t.id, "checkpoint_ns": "", "checkpoint_id": st.id}})
}

func (s *Server) history(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Limit  *int `json:"limit"`
		Before *struct {
			CheckpointID string `json:"checkpoint_id"`
		} `json:"before"`
	}
	if r.Method == http.MethodPost && !decodeBody(w, r, &body) {
		return
	}
	if v := r.URL.Query().Get("limit"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			body.Limit = &n
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookupThread(w, r)
	if t == nil {
		return
	}
	out := []any{}
	started := body.Before == nil
	for i := len(t.states) - 1; i >= 0; i-- {
		st := t.states[i]
		if !started {
			started = st.id == body.Before.CheckpointID
			continue
		}
		out = append(out, t.stateJSON(st))
	}
	writeJSON(w, http.StatusOK, page(out, 0, body.Limit))
}

// merge returns the JSON object state with the top-level keys of the JSON
// object update replacing its own; an update that is not an object leaves
// state as it is.
func merge(state, update json.RawMessage) json.RawMessage {
	var base map[string]json.RawMessage
	if json.Unmarshal(state, &base) != nil || base == nil {
		base = map[string]json.RawMessage{}
	}
	var up map[string]json.RawMessage
	if len(update) == 0 || json.Unmarshal(update, &up) != nil {
		out, _ := encode(state)
		if out == nil {
			return json.RawMessage("{}")
		}
		return out
	}
	maps.Copy(base, up)
	out, err := encode(base)
	if err != nil {
		return state
	}
	return out
}

// orEmpty returns s, or an empty slice (JSON []) for nil.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// copyThread copies a thread with its checkpoints (POST /threads/{id}/copy).
func (s *Server) copyThread(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.lookupThread(w, r)
	if t == nil {
		return
	}
	c := s.newThread("", t.owner, t.metadata)
	c.metadata["thread_id"] = c.id
	c.status = t.status
	for _, st := range t.states {
		cp := *st
		cp.metadata = maps.Clone(st.metadata)
		cp.metadata["thread_id"] = c.id
		c.states = append(c.states, &cp)
	}
	c.values, c.interrupts = t.values, t.interrupts
	writeJSON(w, http.StatusOK, c.json())
}
