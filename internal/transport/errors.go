package transport

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/langgraph-go/langgraph"
)

const (
	maxErrorBody   = 64 << 10
	maxMessageSize = 2000
)

// NewAPIError reads (a bounded part of) a failed response into an APIError.
func NewAPIError(method, url string, resp *http.Response) *langgraph.APIError {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	e := &langgraph.APIError{
		StatusCode: resp.StatusCode,
		Method:     method,
		URL:        url,
		Body:       body,
		RequestID:  resp.Header.Get("X-Request-Id"),
		Header:     resp.Header,
	}
	e.Message = ErrorMessage(body)
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}

// ErrorMessage extracts the explanation from an error body: the JSON fields
// message, detail or error (or error.message / error.detail, or the issues of
// a validation error), else the body as text.
func ErrorMessage(body []byte) string {
	text := strings.TrimSpace(string(body))
	if text == "" {
		return ""
	}
	var obj map[string]json.RawMessage
	if text[0] == '{' && json.Unmarshal(body, &obj) == nil {
		if m := messageOf(obj); m != "" {
			return clip(m)
		}
	}
	return clip(text)
}

func messageOf(obj map[string]json.RawMessage) string {
	for _, k := range []string{"message", "detail", "error"} {
		raw, ok := obj[k]
		if !ok {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
		var inner map[string]json.RawMessage
		if json.Unmarshal(raw, &inner) == nil {
			if m := messageOf(inner); m != "" {
				return m
			}
			if m := issues(inner["issues"]); m != "" {
				return m
			}
		}
		var list []map[string]json.RawMessage
		if json.Unmarshal(raw, &list) == nil { // FastAPI-style detail list
			if m := issues(raw); m != "" {
				return m
			}
		}
	}
	return ""
}

// issues joins the messages of a validation error's issue list (the JS
// server's ZodError, FastAPI's detail list).
func issues(raw json.RawMessage) string {
	var list []struct {
		Message string `json:"message"`
		Msg     string `json:"msg"`
		Path    []any  `json:"path"`
		Loc     []any  `json:"loc"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &list) != nil {
		return ""
	}
	var parts []string
	for _, it := range list {
		m := it.Message
		if m == "" {
			m = it.Msg
		}
		path := it.Path
		if path == nil {
			path = it.Loc
		}
		if len(path) > 0 {
			b, _ := json.Marshal(path)
			m = string(b) + ": " + m
		}
		if m != "" {
			parts = append(parts, m)
		}
	}
	return strings.Join(parts, "; ")
}

func clip(s string) string {
	if len(s) <= maxMessageSize {
		return s
	}
	// Drop the rune cut in two (and any other invalid bytes): trimming until
	// the string is valid would eat it all when an early byte is invalid.
	return strings.ToValidUTF8(s[:maxMessageSize], "") + "…"
}
