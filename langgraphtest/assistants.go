package langgraphtest

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
)

type assistantJSON struct {
	AssistantID string         `json:"assistant_id"`
	Version     int            `json:"version"`
	Config      map[string]any `json:"config"`
	Context     map[string]any `json:"context"`
	CreatedAt   string         `json:"created_at"`
	UpdatedAt   string         `json:"updated_at"`
	GraphID     string         `json:"graph_id"`
	Metadata    map[string]any `json:"metadata"`
	Name        string         `json:"name"`
	Description *string        `json:"description"`
}

// assistant is the assistant the server makes for a graph.
func (s *Server) assistant(g *graph) assistantJSON {
	return assistantJSON{
		AssistantID: assistantID(g.id), Version: 1, Config: map[string]any{}, Context: map[string]any{},
		CreatedAt: stamp(s.started), UpdatedAt: stamp(s.started),
		GraphID: g.id, Metadata: map[string]any{"created_by": "system"}, Name: g.id,
	}
}

func (s *Server) getAssistant(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("assistant_id")
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.findGraph(id)
	if g == nil {
		textError(w, http.StatusNotFound, "Assistant not found")
		return
	}
	writeJSON(w, http.StatusOK, s.assistant(g))
}

type assistantQuery struct {
	GraphID   string         `json:"graph_id"`
	Name      string         `json:"name"`
	Metadata  map[string]any `json:"metadata"`
	Limit     *int           `json:"limit"`
	Offset    int            `json:"offset"`
	SortBy    string         `json:"sort_by"`
	SortOrder string         `json:"sort_order"`
}

// matchAssistants returns the assistants q selects. Called with s.mu held.
func (s *Server) matchAssistants(q assistantQuery) []assistantJSON {
	var out []assistantJSON
	for _, g := range s.graphs {
		a := s.assistant(g)
		if (q.GraphID != "" && q.GraphID != g.id) || (q.Name != "" && q.Name != a.Name) || !contains(a.Metadata, q.Metadata) {
			continue
		}
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b assistantJSON) int {
		var c int
		switch q.SortBy {
		case "assistant_id":
			c = cmp.Compare(a.AssistantID, b.AssistantID)
		default:
			c = cmp.Compare(a.Name, b.Name)
		}
		if q.SortOrder == "desc" {
			c = -c
		}
		return c
	})
	return out
}

func (s *Server) searchAssistants(w http.ResponseWriter, r *http.Request) {
	var q assistantQuery
	if !decodeBody(w, r, &q) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	all := s.matchAssistants(q)
	w.Header().Set("X-Pagination-Total", strconv.Itoa(len(all)))
	writeJSON(w, http.StatusOK, page(all, q.Offset, q.Limit))
}

func (s *Server) countAssistants(w http.ResponseWriter, r *http.Request) {
	var q assistantQuery
	if !decodeBody(w, r, &q) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	writeJSON(w, http.StatusOK, len(s.matchAssistants(q)))
}
