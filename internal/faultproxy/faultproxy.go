// Package faultproxy is a reverse proxy for tests: it forwards requests to a
// real server and injects the faults the real server cannot produce (a 502
// after the server did the work, an empty or cut answer, a redirect to
// another origin, an event stream cut between or inside its events or after
// some bytes, a WebSocket cut after some bytes, every connection cut at
// once, another server behind the same address).
//
// Streamed answers (Server-Sent Events) are passed on as they come, and
// WebSocket upgrades are proxied byte for byte.
package faultproxy

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
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
	// CutAfter passes the server's answer on as it comes (a stream), then
	// drops the connection once CutAfter bytes of its body have gone to the
	// client; for a WebSocket, once CutAfter bytes have gone from the
	// server to the client after the handshake (both sockets are closed, so
	// the server sees the client go).
	CutAfter int
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
	live   map[*liveConn]struct{}
	cuts   int
}

// liveConn is a streamed answer or a proxied WebSocket that CutAll can cut.
type liveConn struct{ cut func() }

type entry struct {
	Fault
	left int
}

// New starts a proxy in front of target (a base URL), closed at the end of
// the test.
func New(t testing.TB, target string) *Proxy {
	t.Helper()
	p := &Proxy{target: strings.TrimRight(target, "/"), tr: http.DefaultTransport.(*http.Transport).Clone(), live: map[*liveConn]struct{}{}}
	p.Server = httptest.NewServer(p)
	t.Cleanup(func() {
		p.CutAll()
		p.Close()
		p.tr.CloseIdleConnections()
	})
	return p
}

// Cuts returns how many connections a CutAfter fault has cut so far
// (a connection that ended before its limit is not counted).
func (p *Proxy) Cuts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cuts
}

// Clear drops the faults not applied yet.
func (p *Proxy) Clear() {
	p.mu.Lock()
	p.faults = nil
	p.mu.Unlock()
}

func (p *Proxy) countCut() {
	p.mu.Lock()
	p.cuts++
	p.mu.Unlock()
}

// SetTarget sends the next requests to another server (e.g. one started
// after the first was stopped, to look like a restart). Connections already
// open stay with the old one: CutAll cuts them.
func (p *Proxy) SetTarget(target string) {
	p.mu.Lock()
	p.target = strings.TrimRight(target, "/")
	p.mu.Unlock()
	p.tr.CloseIdleConnections()
}

// CutAll drops every streamed answer and WebSocket in progress.
func (p *Proxy) CutAll() {
	p.mu.Lock()
	live := make([]*liveConn, 0, len(p.live))
	for l := range p.live {
		live = append(live, l)
	}
	p.mu.Unlock()
	for _, l := range live {
		l.cut()
	}
}

func (p *Proxy) track(cut func()) (untrack func()) {
	l := &liveConn{cut: cut}
	p.mu.Lock()
	p.live[l] = struct{}{}
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		delete(p.live, l)
		p.mu.Unlock()
	}
}

func (p *Proxy) targetURL() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.target
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
	if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		p.mu.Lock()
		p.seen = append(p.seen, Seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone(), ""})
		p.mu.Unlock()
		p.upgrade(w, r, p.match(r, false))
		return
	}
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
	if f != nil && !f.Forward && f.Cut == 0 && !f.Break && f.CutAfter == 0 {
		p.answer(w, f)
		return
	}
	up, err := http.NewRequestWithContext(r.Context(), r.Method, p.targetURL()+r.URL.RequestURI(), bytes.NewReader(body))
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
	if f != nil && f.Cut == 0 && f.CutAfter == 0 {
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
	if f == nil || f.CutAfter > 0 {
		w.WriteHeader(resp.StatusCode)
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush() // a stream's headers go out before its first event
		}
		var cut bool
		var mu sync.Mutex
		untrack := p.track(func() {
			mu.Lock()
			cut = true
			mu.Unlock()
			_ = resp.Body.Close()
		})
		defer untrack()
		limit := -1
		if f != nil {
			limit = f.CutAfter
		}
		n, err := copyFlush(w, resp.Body, limit)
		mu.Lock()
		wasCut := cut
		mu.Unlock()
		if limit >= 0 && n >= int64(limit) {
			p.countCut()
		}
		if wasCut || limit >= 0 && n >= int64(limit) || err != nil && err != io.EOF {
			panic(http.ErrAbortHandler) // drop the connection mid-body
		}
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

// copyFlush copies src to w, flushing after each read, and stops after
// limit bytes (no limit when negative). It returns the bytes written and the
// read error (io.EOF at the end).
func copyFlush(w http.ResponseWriter, src io.Reader, limit int) (int64, error) {
	fl, _ := w.(http.Flusher)
	buf := make([]byte, 32<<10)
	var n int64
	for {
		m, err := src.Read(buf)
		if m > 0 {
			if limit >= 0 && n+int64(m) >= int64(limit) {
				m = int(int64(limit) - n)
			}
			if _, werr := w.Write(buf[:m]); werr != nil {
				return n, werr
			}
			n += int64(m)
			if fl != nil {
				fl.Flush()
			}
			if limit >= 0 && n >= int64(limit) {
				return n, nil
			}
		}
		if err != nil {
			return n, err
		}
	}
}

// upgrade proxies a WebSocket: it sends the handshake to the server, passes
// its answer on, then copies bytes both ways until either side closes, or
// until f's CutAfter bytes went from the server to the client.
func (p *Proxy) upgrade(w http.ResponseWriter, r *http.Request, f *Fault) {
	if f != nil && f.CutAfter == 0 {
		p.answer(w, f)
		return
	}
	target, err := url.Parse(p.targetURL())
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	server, err := net.Dial("tcp", target.Host)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	up := r.Clone(r.Context())
	up.URL.Scheme, up.URL.Host, up.Host, up.RequestURI = "http", target.Host, target.Host, ""
	if err := up.Write(server); err != nil {
		server.Close()
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	client, crw, err := w.(http.Hijacker).Hijack()
	if err != nil {
		server.Close()
		return
	}
	var once sync.Once
	closeBoth := func() {
		once.Do(func() {
			_ = client.Close()
			_ = server.Close()
		})
	}
	untrack := p.track(closeBoth)
	defer untrack()
	defer closeBoth()

	// The handshake's answer, header by header, up to its blank line.
	sr := bufio.NewReader(server)
	for {
		line, err := sr.ReadString('\n')
		if _, werr := io.WriteString(client, line); werr != nil || err != nil {
			return
		}
		if line == "\r\n" || line == "\n" {
			break
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = io.Copy(server, crw) // client to server (buffered bytes first)
		closeBoth()
	}()
	limit := -1
	if f != nil {
		limit = f.CutAfter
	}
	var n int64
	buf := make([]byte, 32<<10)
	for {
		m, err := sr.Read(buf)
		if m > 0 {
			if limit >= 0 && n+int64(m) >= int64(limit) {
				m = int(int64(limit) - n)
			}
			if _, werr := client.Write(buf[:m]); werr != nil {
				break
			}
			n += int64(m)
			if limit >= 0 && n >= int64(limit) {
				p.countCut()
				break
			}
		}
		if err != nil {
			break
		}
	}
	closeBoth()
	<-done
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
