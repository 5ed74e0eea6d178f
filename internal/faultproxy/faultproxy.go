// Package faultproxy is a reverse proxy for tests: it forwards requests to a
// real server and injects the faults the real server cannot produce (a 502
// after the server did the work, an empty or cut answer, a redirect to
// another origin, an event stream cut between or inside its events).
package faultproxy

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Fault is what the proxy does with the requests it matches.
type Fault struct {
	// Method and Path select requests: the method, and a path prefix
	// (raw, escaped); empty matches any.
	Method, Path string
	// Times is how many matching requests it applies to; 0 means 1, a
	// negative value every one.
	Times int
	// Hold, when set, is called with each matching request before anything
	// else is done with it, e.g. to hold it back until the server reaches a
	// state. A fault with only Hold set forwards the request as it is.
	Hold func(r *http.Request)
	// Forward sends the request to the server first, so that the work is
	// done; the server's answer is then replaced as below. Without it the
	// server never sees the request.
	Forward bool
	// Status answers this status with an empty body (e.g. 502).
	Status int
	// Body answers 200 (or Status) with this body.
	Body *string
	// Cut sends the server's status, headers (with a Content-Length) and the
	// first Cut bytes of its body, then drops the connection.
	Cut int
	// Redirect answers a 307 to this URL.
	Redirect string
	// Break forwards the request, sends the server's status and headers as
	// soon as they arrive, then Body if set (e.g. "\n", as the JS server's
	// waits begin), and drops the connection without waiting for the rest
	// of the answer: the server's work goes on.
	Break bool
	// Stream, when set, makes this a fault of event streams: it applies to
	// the matching requests whose answer is an event stream (the request is
	// forwarded), and cuts that stream as Stream says. The other fields but
	// Method, Path and Times are ignored.
	Stream *StreamCut
}

// StreamCut says how the proxy cuts an event stream: after After complete
// events it drops the connection, in the middle of the next event when
// MidEvent is set, or ends the answer cleanly when Clean is set.
type StreamCut struct {
	After    int
	MidEvent bool
	Clean    bool
}

// Seen is one request the proxy received.
type Seen struct {
	Method, Path, Query string
	Header              http.Header
	Body                string
}

// Proxy forwards to a target server, applying faults in the order added.
type Proxy struct {
	*httptest.Server
	target string
	tr     *http.Transport

	mu     sync.Mutex
	faults []*entry
	seen   []Seen
}

type entry struct {
	Fault
	left int
}

// New starts a proxy in front of target (a base URL), closed at the end of
// the test.
func New(t testing.TB, target string) *Proxy {
	t.Helper()
	p := &Proxy{target: strings.TrimRight(target, "/"), tr: http.DefaultTransport.(*http.Transport).Clone()}
	p.Server = httptest.NewServer(p)
	t.Cleanup(func() {
		p.Close()
		p.tr.CloseIdleConnections()
	})
	return p
}

// Add registers a fault.
func (p *Proxy) Add(f Fault) {
	n := f.Times
	if n == 0 {
		n = 1
	}
	p.mu.Lock()
	p.faults = append(p.faults, &entry{Fault: f, left: n})
	p.mu.Unlock()
}

// AddStreamCuts registers one stream fault per cut, in order: the first
// event stream the proxy forwards is cut by cuts[0], the next by cuts[1];
// later streams pass whole.
func (p *Proxy) AddStreamCuts(cuts ...StreamCut) {
	for _, c := range cuts {
		p.Add(Fault{Stream: &c})
	}
}

// Requests returns the requests received so far.
func (p *Proxy) Requests() []Seen {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.seen)
}

// Count returns the number of requests matching method and path prefix.
func (p *Proxy) Count(method, path string) int {
	n := 0
	for _, s := range p.Requests() {
		if (method == "" || s.Method == method) && strings.HasPrefix(s.Path, path) {
			n++
		}
	}
	return n
}

// match returns the first fault that matches r and has requests left,
// counting r against it: a fault of event streams (stream) or another.
func (p *Proxy) match(r *http.Request, stream bool) *Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.faults {
		if (e.Stream != nil) == stream && e.left != 0 && (e.Method == "" || e.Method == r.Method) && strings.HasPrefix(r.URL.EscapedPath(), e.Path) {
			if e.left > 0 {
				e.left--
			}
			f := e.Fault
			return &f
		}
	}
	return nil
}

// ServeHTTP forwards r, or applies the first fault that matches it.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	p.seen = append(p.seen, Seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone(), string(body)})
	p.mu.Unlock()

	f := p.match(r, false)
	if f != nil && f.Hold != nil {
		f.Hold(r)
		if f.Status == 0 && f.Body == nil && f.Cut == 0 && f.Redirect == "" && !f.Break {
			f = nil // hold only
		}
	}
	if f != nil && !f.Forward && f.Cut == 0 && !f.Break {
		p.answer(w, f)
		return
	}
	up, err := http.NewRequestWithContext(r.Context(), r.Method, p.target+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	up.Header = r.Header.Clone()
	resp, err := p.tr.RoundTrip(up)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	if f != nil && f.Break {
		for k, vs := range resp.Header {
			w.Header()[k] = vs
		}
		w.WriteHeader(resp.StatusCode)
		if f.Body != nil {
			_, _ = io.WriteString(w, *f.Body)
		}
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler) // drop the connection; closing resp.Body leaves the server to its work
	}
	if f != nil && f.Cut == 0 {
		_, _ = io.Copy(io.Discard, resp.Body) // let the server finish its work
		p.answer(w, f)
		return
	}
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	if f == nil && strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		if sf := p.match(r, true); sf != nil {
			w.WriteHeader(resp.StatusCode)
			cutStream(w, resp.Body, *sf.Stream)
			return
		}
	}
	if f == nil {
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
		return
	}
	data, _ := io.ReadAll(resp.Body)
	w.Header().Del("Transfer-Encoding")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(data[:min(f.Cut, len(data))])
	w.(http.Flusher).Flush()
	panic(http.ErrAbortHandler) // drop the connection mid-body
}

func (p *Proxy) answer(w http.ResponseWriter, f *Fault) {
	switch {
	case f.Redirect != "":
		w.Header().Set("Location", f.Redirect)
		w.WriteHeader(http.StatusTemporaryRedirect)
	case f.Body != nil:
		status := f.Status
		if status == 0 {
			status = http.StatusOK
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, *f.Body)
	default:
		w.WriteHeader(f.Status)
	}
}

// cutStream copies an event stream event by event and cuts it as c says.
func cutStream(w http.ResponseWriter, body io.Reader, c StreamCut) {
	fl := w.(http.Flusher)
	br := bufio.NewReader(body)
	for events := 0; ; {
		if events == c.After {
			if c.Clean {
				return
			}
			if c.MidEvent {
				line, _ := br.ReadString('\n') // event: ...
				next, _ := br.ReadString('\n') // data: ...
				_, _ = io.WriteString(w, line+next[:len(next)/2])
				fl.Flush()
			}
			panic(http.ErrAbortHandler) // drop the connection
		}
		line, err := br.ReadString('\n')
		_, _ = io.WriteString(w, line)
		if line == "\n" {
			events++
			fl.Flush()
		}
		if err != nil {
			fl.Flush()
			return
		}
	}
}
