package langgraphtest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/client"
)

// Server is a fake LangGraph deployment running in the test's process.
// Its methods are safe for concurrent use.
type Server struct {
	t  testing.TB
	ts *httptest.Server

	scriptMu  sync.Mutex // held while a run starts: one script call at a time
	mu        sync.Mutex
	reqs      []Request
	graphs    map[string]*graph // by graph id
	users     []User
	threads   map[string]*thread
	runs      map[string]*run
	items     map[string]*item
	overrides []*override
	routes    *http.ServeMux
	started   time.Time
}

// User is an end user the server authenticates (see AddUser).
type User struct {
	// Identity is the user's id, e.g. "alice".
	Identity string
	// Token authenticates the user as "Authorization: Bearer <Token>".
	Token string
	// APIKey authenticates the user as "x-api-key: <APIKey>".
	APIKey string
	// Fields are more fields of the user, as a custom auth handler returns
	// them besides the identity (e.g. "display_name", "org"); with the
	// identity, they reach the run's config.configurable.langgraph_auth_user.
	Fields map[string]any
}

// Request is one request the server received.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is the path as sent (escaped), e.g. "/threads/<id>/runs/wait".
	Path string
	// Query holds the query parameters.
	Query url.Values
	// Header holds the request headers, credentials included.
	Header http.Header
	// Body is the request body; nil when there was none.
	Body []byte
	// User is the identity of the user the credentials authenticate (see
	// AddUser); empty when the server has no users or they authenticate none.
	User string
}

// BearerToken returns the token of the request's "Authorization: Bearer"
// header, or "" when it has none.
func (r Request) BearerToken() string {
	if tok, ok := bearer(r.Header); ok {
		return tok
	}
	return ""
}

// APIKey returns the request's x-api-key header, or "".
func (r Request) APIKey() string { return r.Header.Get("X-Api-Key") }

// DecodeBody unmarshals the request's JSON body into v.
func (r Request) DecodeBody(v any) error { return json.Unmarshal(r.Body, v) }

func bearer(h http.Header) (string, bool) {
	v := strings.TrimSpace(h.Get("Authorization"))
	scheme, tok, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "bearer") {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// NewServer starts a fake deployment, closed when the test ends. It knows no
// graph until Script or ScriptFunc names one, and no user until AddUser: it
// then accepts requests with or without credentials.
//
// It answers the routes of the LangGraph API that a service's code uses
// most, with the shapes LangChain's JS LangGraph server (the one this
// module's own tests run against) sends:
//
//   - GET /info, GET /ok
//   - assistants: GET /assistants/{id} (by assistant or graph id), POST
//     /assistants/search and /assistants/count, for the scripted graphs
//   - threads: create, get, update, delete, search, count, state (GET and
//     POST, at a checkpoint), history
//   - runs on a thread and stateless: create, wait, stream, batch; get, list,
//     join, join the stream (with Last-Event-ID for resumable runs), cancel,
//     delete
//   - store: put, get, delete and search items, list namespaces
//
// Any other route answers 404, as an unknown route does; Handle serves one.
// Runs end as soon as they start: a background run is "pending" in the
// answer that creates it and has ended by the next request.
//
// t may be nil outside a test (e.g. in an Example): then call Close when
// done, and a misuse panics instead of failing the test.
func NewServer(t testing.TB) *Server {
	if t != nil {
		t.Helper()
	}
	s := &Server{
		t:       t,
		graphs:  map[string]*graph{},
		threads: map[string]*thread{},
		runs:    map[string]*run{},
		items:   map[string]*item{},
		started: time.Now(),
	}
	s.routes = s.newRoutes()
	s.ts = httptest.NewServer(http.HandlerFunc(s.serve))
	if t != nil {
		t.Cleanup(s.Close)
	}
	return s
}

// fatalf fails the test, or panics without one.
func (s *Server) fatalf(format string, args ...any) {
	if s.t == nil {
		panic(fmt.Sprintf(format, args...))
	}
	s.t.Helper()
	s.t.Fatalf(format, args...)
}

// errorf reports an error found while serving a request to the test, if
// any; the request fails with it in any case.
func (s *Server) errorf(format string, args ...any) {
	if s.t != nil {
		s.t.Errorf(format, args...)
	}
}

func (s *Server) helper() {
	if s.t != nil {
		s.t.Helper()
	}
}

// URL returns the server's base URL, e.g. "http://127.0.0.1:41234".
func (s *Server) URL() string { return s.ts.URL }

// Close shuts the server down; NewServer arranges it at the end of the test.
func (s *Server) Close() { s.ts.Close() }

// Client returns a client of the server, closed with it: no API key is read
// from the environment and retries wait a millisecond. opts come after
// those, e.g. the user's credentials (langgraph.WithBearerToken,
// langgraph.WithAPIKey) or langgraph.WithPerCallCredentials.
func (s *Server) Client(opts ...langgraph.Option) *client.Client {
	s.helper()
	all := append([]langgraph.Option{
		langgraph.WithBaseURL(s.URL()),
		langgraph.WithHeader("X-Api-Key", ""), // none from the environment; WithAPIKey may set one
		langgraph.WithHTTPClient(s.ts.Client()),
		langgraph.WithRetryWait(time.Millisecond, 2*time.Millisecond),
	}, opts...)
	c, err := client.New(all...)
	if err != nil {
		s.fatalf("langgraphtest: client.New: %v", err)
	}
	return c
}

// Script makes graphID a graph of the server, with an assistant of the same
// name, whose runs play runs in turn: the first run plays runs[0], the next
// runs[1], and the last one repeats. Without runs, every run plays the zero
// Run. A later Script or ScriptFunc of the same graph replaces it.
func (s *Server) Script(graphID string, runs ...Run) {
	s.helper()
	for i, r := range runs {
		if err := r.check(); err != nil {
			s.fatalf("langgraphtest: Script(%q): run %d: %v", graphID, i, err)
		}
	}
	s.mu.Lock()
	s.graphs[graphID] = &graph{id: graphID, runs: slices.Clone(runs)}
	s.mu.Unlock()
}

// ScriptFunc makes graphID a graph of the server whose runs play what f
// returns for the request that starts them. f runs in the server's
// goroutines, one run at a time; it may use t.Error but not t.Fatal.
func (s *Server) ScriptFunc(graphID string, f func(RunRequest) Run) {
	s.helper()
	if f == nil {
		s.fatalf("langgraphtest: ScriptFunc(%q): nil function", graphID)
	}
	s.mu.Lock()
	s.graphs[graphID] = &graph{id: graphID, fn: f}
	s.mu.Unlock()
}

// AddUser makes the server authenticate its requests as the LangGraph custom
// auth of most deployments does, and scope threads to their owner. Once it
// has a user, every request but GET /info must carry a user's credentials:
// a Bearer token (which wins) or an API key; else it answers 401 with a
// text/plain message, as the JS server does for a refusing auth handler.
// Threads (and their runs) created by a user are stamped with
// metadata.owner and are invisible to the others: 404 on read, absent from
// searches, 409 on a taken thread id. The store is not scoped.
func (s *Server) AddUser(u User) {
	s.helper()
	if u.Identity == "" || (u.Token == "" && u.APIKey == "") {
		s.fatalf("langgraphtest: AddUser: a user needs an identity and a token or an API key")
	}
	s.mu.Lock()
	s.users = append(s.users, u)
	s.mu.Unlock()
}

// Requests returns the requests received so far, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqs)
}

// LastRequest returns the last request received; it fails the test when
// there was none. Call it from the test's goroutine.
func (s *Server) LastRequest() Request {
	s.helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.reqs) == 0 {
		s.fatalf("langgraphtest: the server received no request")
	}
	return s.reqs[len(s.reqs)-1]
}

type override struct {
	mux  *http.ServeMux
	h    http.Handler
	left int // requests left; <0 means every request
}

// Handle serves the requests that match pattern with h instead of the fake's
// answer, until the end of the test or a later Handle of a pattern that
// also matches. pattern is a net/http ServeMux pattern, e.g.
// "POST /threads/{thread_id}/runs/wait" (h can read r.PathValue). The
// requests are still recorded; h sees them before any authentication.
func (s *Server) Handle(pattern string, h http.Handler) { s.handle(pattern, h, -1) }

// Fail makes the next n requests that match pattern (as for Handle; n <= 0
// means every one) fail with status and message as a text/plain body, as the
// server's errors are, e.g. Fail("POST /threads", 1, 503, "overloaded") for
// one failure that a retry gets past. Nothing else happens: the fake does
// not do the request's work.
func (s *Server) Fail(pattern string, n, status int, message string) {
	if n <= 0 {
		n = -1
	}
	s.handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		textError(w, status, cmp.Or(message, http.StatusText(status)))
	}), n)
}

func (s *Server) handle(pattern string, h http.Handler, n int) {
	s.helper()
	mux := http.NewServeMux()
	func() {
		defer func() {
			if e := recover(); e != nil {
				s.fatalf("langgraphtest: pattern %q: %v", pattern, e)
			}
		}()
		mux.Handle(pattern, h)
	}()
	s.mu.Lock()
	s.overrides = append(s.overrides, &override{mux: mux, h: h, left: n})
	s.mu.Unlock()
}

// matchOverride returns the newest override that matches r and has requests
// left, counting r against it.
func (s *Server) matchOverride(r *http.Request) *http.ServeMux {
	for i := len(s.overrides) - 1; i >= 0; i-- {
		o := s.overrides[i]
		if o.left == 0 {
			continue
		}
		if _, p := o.mux.Handler(r); p == "" {
			continue
		}
		if o.left > 0 {
			o.left--
		}
		return o.mux
	}
	return nil
}

// serve records r and answers it.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		textError(w, http.StatusBadRequest, err.Error())
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if len(body) == 0 {
		body = nil
	}
	s.mu.Lock()
	user, authErr := s.authenticate(r)
	s.reqs = append(s.reqs, Request{
		Method: r.Method,
		Path:   r.URL.EscapedPath(),
		Query:  r.URL.Query(),
		Header: r.Header.Clone(),
		Body:   body,
		User:   user,
	})
	mux := s.matchOverride(r)
	s.mu.Unlock()
	if mux != nil {
		mux.ServeHTTP(w, r)
		return
	}
	if authErr != nil && r.URL.Path != "/info" {
		if authErr.challenge {
			w.Header().Set("WWW-Authenticate", "Bearer")
		}
		textError(w, http.StatusUnauthorized, authErr.msg)
		return
	}
	if _, pattern := s.routes.Handler(r); pattern == "" {
		w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "404 Not Found")
		return
	}
	s.routes.ServeHTTP(w, r.WithContext(withUser(r.Context(), user)))
}

type authError struct {
	msg       string
	challenge bool
}

// authenticate returns the user r's credentials name. Called with s.mu held.
func (s *Server) authenticate(r *http.Request) (string, *authError) {
	if len(s.users) == 0 {
		return "", nil
	}
	if tok, ok := bearer(r.Header); ok {
		for _, u := range s.users {
			if u.Token != "" && u.Token == tok {
				return u.Identity, nil
			}
		}
		return "", &authError{msg: "Invalid token"}
	}
	if key := r.Header.Get("X-Api-Key"); key != "" {
		for _, u := range s.users {
			if u.APIKey != "" && u.APIKey == key {
				return u.Identity, nil
			}
		}
		return "", &authError{msg: "Invalid API key"}
	}
	return "", &authError{msg: "Missing credentials", challenge: true}
}

// textError answers as the JS server answers errors: text/plain.
func textError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain;charset=UTF-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, msg)
}

// writeJSON answers status with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := encode(v)
	if err != nil {
		textError(w, http.StatusInternalServerError, "langgraphtest: "+err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// invalidUUID answers a path id that is not a UUID as the server's request
// validation does: 400 with a ZodError.
func invalidUUID(w http.ResponseWriter, field string) {
	writeJSON(w, http.StatusBadRequest, zodUUID(field))
}

// invalidBody answers a body that does not decode as the server's request
// validation does.
func invalidBody(w http.ResponseWriter, err error) {
	writeJSON(w, http.StatusBadRequest, map[string]any{
		"success": false,
		"error": map[string]any{
			"issues": []any{map[string]any{"code": "custom", "message": err.Error(), "path": []string{}}},
			"name":   "ZodError",
		},
	})
}

// decodeBody decodes r's JSON body into v; an empty body leaves v alone.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	b, _ := io.ReadAll(r.Body)
	if len(bytes.TrimSpace(b)) == 0 {
		return true
	}
	if err := json.Unmarshal(b, v); err != nil {
		invalidBody(w, err)
		return false
	}
	return true
}

func (s *Server) newRoutes() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("GET /info", s.info)
	m.HandleFunc("GET /ok", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]bool{"ok": true}) })

	m.HandleFunc("GET /assistants/{assistant_id}", s.getAssistant)
	m.HandleFunc("POST /assistants/search", s.searchAssistants)
	m.HandleFunc("POST /assistants/count", s.countAssistants)

	m.HandleFunc("POST /threads", s.createThread)
	m.HandleFunc("POST /threads/search", s.searchThreads)
	m.HandleFunc("POST /threads/count", s.countThreads)
	m.HandleFunc("GET /threads/{thread_id}", s.getThread)
	m.HandleFunc("PATCH /threads/{thread_id}", s.updateThread)
	m.HandleFunc("DELETE /threads/{thread_id}", s.deleteThread)
	m.HandleFunc("GET /threads/{thread_id}/state", s.getState)
	m.HandleFunc("GET /threads/{thread_id}/state/{checkpoint_id}", s.getState)
	m.HandleFunc("POST /threads/{thread_id}/state/checkpoint", s.getStateAt)
	m.HandleFunc("POST /threads/{thread_id}/state", s.updateState)
	m.HandleFunc("GET /threads/{thread_id}/history", s.history)
	m.HandleFunc("POST /threads/{thread_id}/history", s.history)
	m.HandleFunc("POST /threads/{thread_id}/copy", s.copyThread)

	m.HandleFunc("POST /threads/{thread_id}/runs", s.startRun(modeCreate))
	m.HandleFunc("POST /threads/{thread_id}/runs/wait", s.startRun(modeWait))
	m.HandleFunc("POST /threads/{thread_id}/runs/stream", s.startRun(modeStream))
	m.HandleFunc("POST /runs", s.startRun(modeCreate))
	m.HandleFunc("POST /runs/wait", s.startRun(modeWait))
	m.HandleFunc("POST /runs/stream", s.startRun(modeStream))
	m.HandleFunc("POST /runs/batch", s.batch)
	m.HandleFunc("GET /threads/{thread_id}/runs", s.listRuns)
	m.HandleFunc("GET /threads/{thread_id}/runs/{run_id}", s.getRun)
	m.HandleFunc("DELETE /threads/{thread_id}/runs/{run_id}", s.deleteRun)
	m.HandleFunc("GET /threads/{thread_id}/runs/{run_id}/join", s.join)
	m.HandleFunc("GET /threads/{thread_id}/runs/{run_id}/stream", s.joinStream)
	m.HandleFunc("GET /runs/{run_id}/stream", s.joinStream)
	m.HandleFunc("POST /threads/{thread_id}/runs/{run_id}/cancel", s.cancel)

	m.HandleFunc("PUT /store/items", s.putItem)
	m.HandleFunc("GET /store/items", s.getItem)
	m.HandleFunc("DELETE /store/items", s.deleteItem)
	m.HandleFunc("POST /store/items/search", s.searchItems)
	m.HandleFunc("POST /store/namespaces", s.listNamespaces)
	return m
}

func (s *Server) info(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"version": "langgraphtest",
		"context": "js",
		"flags":   map[string]any{"assistants": true, "crons": false, "langsmith": false},
	})
}
