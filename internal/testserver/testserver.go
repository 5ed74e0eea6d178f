// Package testserver runs a real LangGraph API server (LangChain's JavaScript
// implementation, installed from npm into testdata/server) for integration
// tests.
//
// Each call to Start launches its own server on a free loopback port, with its
// own state folder in a temporary directory, so test packages that run in
// parallel (go test ./...) never share state and never write into the work
// tree (apart from testdata/server/node_modules, which is git-ignored).
//
// Typical use:
//
//	var srv *testserver.Server
//
//	func TestMain(m *testing.M) { os.Exit(testserver.Main(m, &srv)) }
//
//	func TestSomething(t *testing.T) {
//		ctx := srv.Setup(t)                     // skips under -short; resets the server
//		c := srv.Client(t, testserver.Alice)    // a client authenticated as alice
//		...
//	}
//
// The server needs node (20 or newer) and npm. If they are missing or the
// server cannot start, Main fails the package. Setting the environment
// variable LANGGRAPH_SKIP_INTEGRATION=1 skips the package instead, loudly.
//
// The server's graphs and users are described in testdata/server/README.md.
package testserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Credentials of the test users known to testdata/server/src/auth.ts.
const (
	// TokenAlice is the Bearer token of user "alice" (org "acme").
	TokenAlice = "token-alice"
	// TokenBob is the Bearer token of user "bob" (org "globex").
	TokenBob = "token-bob"
	// TokenExpired is a Bearer token that the server refuses with 401
	// "Token expired" (any token starting with "expired-" does).
	TokenExpired = "expired-token"
	// APIKeyCarol is the x-api-key of user "carol" (org "initech").
	APIKeyCarol = "key-carol"
	// APIKeyDave is the x-api-key of user "dave" (org "initech").
	APIKeyDave = "key-dave"
)

// Graph ids served by the test server (see testdata/server/langgraph.json).
const (
	// GraphAgent echoes the last human message as "You said: X" through a
	// fake chat model, emits a custom event and records the auth user and
	// the x-* headers in its state.
	GraphAgent = "agent"
	// GraphInterrupt interrupts with {"question":"approve?"}, then stores the
	// resume value as "answer" and sets "done".
	GraphInterrupt = "interrupt"
	// GraphError fails with an error named CustomError, message "Boo!".
	GraphError = "error"
	// GraphSubgraph runs a compiled subgraph as its node "child".
	GraphSubgraph = "subgraph"
	// GraphSlow emits {"step": i} custom events, one every delay_ms.
	GraphSlow = "slow"
	// GraphTools calls two tools with tool calls (one streams a chunk and
	// answers, one fails), for the tools and events stream modes, and
	// returns the AI message with its tool_calls and the tool message.
	GraphTools = "tools"
)

// User is one of the test server's users, as its auth handler returns it
// (it reaches graph nodes as config.configurable.langgraph_auth_user).
type User struct {
	// Identity is the user's identity ("alice", ...).
	Identity string
	// DisplayName is the user's display name ("Alice", ...).
	DisplayName string
	// GitHubToken is a custom field of the auth user ("gh-alice-secret", ...).
	GitHubToken string
	// Org is a custom field of the auth user ("acme", ...).
	Org string
	// Token is the user's Bearer token, or "" for users with an API key.
	Token string
	// APIKey is the user's x-api-key, or "" for users with a Bearer token.
	APIKey string
}

// SetAuth sets the header that authenticates u on h: Authorization: Bearer
// for users with a token, x-api-key otherwise.
func (u User) SetAuth(h http.Header) {
	if u.Token != "" {
		h.Set("Authorization", "Bearer "+u.Token)
		return
	}
	h.Set("x-api-key", u.APIKey)
}

// The test users.
var (
	// Alice authenticates with TokenAlice.
	Alice = User{Identity: "alice", DisplayName: "Alice", GitHubToken: "gh-alice-secret", Org: "acme", Token: TokenAlice}
	// Bob authenticates with TokenBob.
	Bob = User{Identity: "bob", DisplayName: "Bob", GitHubToken: "gh-bob-secret", Org: "globex", Token: TokenBob}
	// Carol authenticates with APIKeyCarol.
	Carol = User{Identity: "carol", DisplayName: "Carol", GitHubToken: "gh-carol-secret", Org: "initech", APIKey: APIKeyCarol}
	// Dave authenticates with APIKeyDave.
	Dave = User{Identity: "dave", DisplayName: "Dave", GitHubToken: "gh-dave-secret", Org: "initech", APIKey: APIKeyDave}
)

// APIURLEnv is the environment variable that Main sets to the server's URL
// before it runs the tests; client.New reads it when no base URL is given.
const APIURLEnv = "LANGGRAPH_API_URL"

// SkipEnv is the environment variable that, set to "1", makes Main skip the
// package's tests instead of starting a server.
const SkipEnv = "LANGGRAPH_SKIP_INTEGRATION"

const (
	healthTimeout = 60 * time.Second
	stopTimeout   = 10 * time.Second
	startAttempts = 3
	logTailBytes  = 16 << 10
	tempPrefix    = "langgraph-testserver-"
	lockFileName  = ".npm-ci.lock"
	cliRelPath    = "node_modules/@langchain/langgraph-cli/dist/cli/cli.mjs"
)

// Server is a running LangGraph API server started by Start.
type Server struct {
	url     string
	dir     string // temporary folder: langgraph.json, state, log
	logPath string
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the process has exited
	waitErr error         // valid once exited is closed
	release chan struct{} // lets the goroutine that owns the process's thread end

	stopOnce sync.Once
	stopErr  error
	mu       sync.Mutex
	finalLog string // log tail captured before the folder is removed
}

// Start starts a new server and waits until it answers GET /info.
//
// It finds testdata/server by walking up from the working directory to the
// folder holding go.mod, runs npm ci there (under an exclusive file lock) if
// node_modules is missing or older than package-lock.json, and starts the
// server on a free loopback port with its state in a new temporary folder.
// The server makes no outbound connection. Call Stop when done.
func Start(ctx context.Context) (*Server, error) {
	if err := checkNode(ctx); err != nil {
		return nil, err
	}
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	srvDir := filepath.Join(root, "testdata", "server")
	if err := ensureNodeModules(ctx, srvDir); err != nil {
		return nil, err
	}
	removeStaleDirs()
	var lastErr error
	for attempt := 0; attempt < startAttempts; attempt++ {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		srv, retry, err := startOnce(ctx, srvDir, port)
		if err == nil {
			return srv, nil
		}
		lastErr = err
		if !retry || ctx.Err() != nil {
			break
		}
	}
	return nil, lastErr
}

// ErrPortInUse is returned by StartOnPort when something already listens on
// the port.
var ErrPortInUse = errors.New("testserver: port already in use")

// StartOnPort is Start on a given loopback port, for a server that people
// use by hand (make server). It fails at once, with an error matching
// ErrPortInUse, if the port is taken on 127.0.0.1 or [::1] (clients of
// http://localhost:PORT may reach either): the server's CLI hangs instead of
// exiting when it cannot bind.
func StartOnPort(ctx context.Context, port int) (*Server, error) {
	if err := checkPortFree(port); err != nil {
		return nil, err
	}
	if err := checkNode(ctx); err != nil {
		return nil, err
	}
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	srvDir := filepath.Join(root, "testdata", "server")
	if err := ensureNodeModules(ctx, srvDir); err != nil {
		return nil, err
	}
	removeStaleDirs()
	srv, inUse, err := startOnce(ctx, srvDir, port)
	if inUse {
		return nil, fmt.Errorf("%w: %w", ErrPortInUse, err)
	}
	return srv, err
}

// checkPortFree reports ErrPortInUse if a listener on 127.0.0.1:port or
// [::1]:port cannot be opened (a host without IPv6 skips the second).
func checkPortFree(port int) error {
	if port <= 0 || port > 65535 {
		return fmt.Errorf("testserver: invalid port %d", port)
	}
	for _, host := range []string{"127.0.0.1", "::1"} {
		addr := net.JoinHostPort(host, strconv.Itoa(port))
		l, err := net.Listen("tcp", addr)
		if err == nil {
			l.Close()
			continue
		}
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("%w: %s: %w", ErrPortInUse, addr, err)
		}
		if host == "::1" {
			continue // no IPv6 loopback here
		}
		return fmt.Errorf("testserver: cannot listen on %s: %w", addr, err)
	}
	return nil
}

// URL returns the server's base URL, e.g. "http://127.0.0.1:41234" (no
// trailing slash).
func (s *Server) URL() string { return s.url }

// Exited is closed when the server's process has exited, whether Stop ended
// it or not.
func (s *Server) Exited() <-chan struct{} { return s.exited }

// Reset deletes all threads, runs, checkpoints, store items and the
// assistants that tests created (the system assistant of each graph stays),
// through POST /internal/truncate authenticated as alice. Runs still in
// flight are not cancelled: let them end (or cancel them) before Reset.
func (s *Server) Reset(ctx context.Context) error {
	body := `{"threads":true,"runs":true,"checkpointer":true,"store":true,"assistants":true}`
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url+"/internal/truncate", strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+TokenAlice)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("testserver: reset: %w", err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("testserver: reset: POST /internal/truncate answered %s: %s", resp.Status, bytes.TrimSpace(data))
	}
	return nil
}

// Stop stops the server: SIGTERM to its process group, SIGKILL if it has not
// exited after 10 s, then removes its temporary folder (state and log; Log
// still returns the tail afterwards). It is safe to call more than once.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.stop() })
	return s.stopErr
}

func (s *Server) stop() error {
	var errs []error
	select {
	case <-s.exited:
	default:
		_ = signalGroup(s.cmd.Process, syscall.SIGTERM)
		select {
		case <-s.exited:
		case <-time.After(stopTimeout):
			_ = signalGroup(s.cmd.Process, syscall.SIGKILL)
			<-s.exited
			errs = append(errs, fmt.Errorf("testserver: server did not exit within %v of SIGTERM; killed", stopTimeout))
		}
	}
	// Children may outlive the CLI if it was killed: make sure the group is gone.
	_ = signalGroup(s.cmd.Process, syscall.SIGKILL)
	close(s.release)

	s.mu.Lock()
	s.finalLog = readTail(s.logPath)
	s.mu.Unlock()
	if err := os.RemoveAll(s.dir); err != nil {
		errs = append(errs, fmt.Errorf("testserver: removing %s: %w", s.dir, err))
	}
	return errors.Join(errs...)
}

// Log returns the tail of the server's output (about the last 16 KB, ANSI
// colours removed), for test failure messages.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.finalLog != "" {
		return s.finalLog
	}
	return readTail(s.logPath)
}

// Main starts a server, stores it in *srv, runs m.Run, stops the server and
// returns the exit code, for use in TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(testserver.Main(m, &srv)) }
//
// Once the server answers, Main sets the environment variable
// LANGGRAPH_API_URL to its URL (see APIURLEnv), so the package's Example
// functions build their client as a real program does, with client.New and
// no base URL option, and run against this server.
//
// If the server cannot start (node or npm missing, npm ci or the server
// failing), it prints why and returns 1 without running the tests. If the
// environment variable LANGGRAPH_SKIP_INTEGRATION is "1", it prints a loud
// notice and returns 0 without starting a server or running any test. With
// -short it starts no server and runs the unit tests only: it adds ^Example
// to -test.skip, since the examples need the server.
func Main(m *testing.M, srv **Server) int {
	flag.Parse()
	ci := os.Getenv("CI") == "true"
	if (testing.Short() || os.Getenv(SkipEnv) == "1") && ci {
		fmt.Fprintf(os.Stderr, "testserver: CI=true: integration tests must run; -short and %s=1 are refused\n", SkipEnv)
		return 1
	}
	if testing.Short() {
		fmt.Fprintln(os.Stderr, "testserver: -short: unit tests only, the integration tests and the examples of this package are SKIPPED")
		if err := skipExamples(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		return m.Run()
	}
	if os.Getenv(SkipEnv) == "1" {
		fmt.Fprintf(os.Stderr, "\n"+
			"################################################################\n"+
			"## SKIPPED: %s=1 is set.\n"+
			"## The LangGraph test server was not started and NO TEST of\n"+
			"## this package ran.\n"+
			"################################################################\n\n", SkipEnv)
		return 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	s, err := Start(ctx)
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "\n"+
			"################################################################\n"+
			"## FAIL: the LangGraph test server could not start, so the\n"+
			"## integration tests of this package cannot run.\n"+
			"## It needs node >= 20 and npm (see testdata/server/README.md).\n"+
			"## To skip these tests on purpose, set %s=1.\n"+
			"################################################################\n%v\n\n", SkipEnv, err)
		return 1
	}
	*srv = s
	if err := os.Setenv(APIURLEnv, s.URL()); err != nil {
		fmt.Fprintf(os.Stderr, "testserver: %v\n", err)
		_ = s.Stop()
		return 1
	}

	// Stop the server if the test binary is interrupted.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-sigs:
			fmt.Fprintf(os.Stderr, "testserver: %v: stopping the server\n", sig)
			_ = s.Stop()
			os.Exit(1)
		case <-done:
		}
	}()

	code := m.Run()
	close(done)
	signal.Stop(sigs)
	if err := s.Stop(); err != nil {
		fmt.Fprintf(os.Stderr, "testserver: %v\n", err)
	}
	return code
}

// skipExamples adds ^Example to the -test.skip pattern, as an alternative
// to the pattern given on the command line, if any.
func skipExamples() error {
	pattern := "^Example"
	if f := flag.Lookup("test.skip"); f != nil && f.Value.String() != "" {
		pattern += "|" + f.Value.String()
	}
	if err := flag.Set("test.skip", pattern); err != nil {
		return fmt.Errorf("testserver: -short: cannot skip the examples: %w", err)
	}
	return nil
}

// startOnce starts one server on port. retry reports whether the port was
// in use, so that another port may help.
func startOnce(ctx context.Context, srvDir string, port int) (_ *Server, retry bool, _ error) {
	dir, err := os.MkdirTemp("", tempPrefix)
	if err != nil {
		return nil, false, fmt.Errorf("testserver: %w", err)
	}
	cleanup := func() { _ = os.RemoveAll(dir) }
	if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		cleanup()
		return nil, false, fmt.Errorf("testserver: %w", err)
	}
	configPath := filepath.Join(dir, "langgraph.json")
	if err := writeConfig(srvDir, dir, configPath); err != nil {
		cleanup()
		return nil, false, err
	}
	logPath := filepath.Join(dir, "server.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		cleanup()
		return nil, false, fmt.Errorf("testserver: %w", err)
	}
	defer logFile.Close() // the child has its own descriptor

	url := "http://127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command("node", filepath.Join(srvDir, cliRelPath), "dev",
		"--host", "127.0.0.1",
		"--port", strconv.Itoa(port),
		"--config", configPath,
		"--no-browser",
		"--no-reload",
		"--studio-url", url,
	)
	cmd.Dir = dir
	cmd.Env = serverEnv()
	cmd.Stdin = nil
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = procAttr()

	s := &Server{
		url:     url,
		dir:     dir,
		logPath: logPath,
		cmd:     cmd,
		exited:  make(chan struct{}),
		release: make(chan struct{}),
	}
	if err := startProcess(s); err != nil {
		cleanup()
		return nil, false, fmt.Errorf("testserver: starting node: %w", err)
	}

	err = s.waitHealthy(ctx)
	if err == nil {
		return s, false, nil
	}
	tail := readTail(logPath)
	_ = s.Stop()
	retry = strings.Contains(tail, "EADDRINUSE")
	return nil, retry, fmt.Errorf("%w\n--- server log (tail) ---\n%s", err, tail)
}

// startProcess starts s.cmd from a goroutine locked to its OS thread, which
// stays alive until Stop: on Linux the process gets SIGTERM when the thread
// that started it ends (Pdeathsig), so a test binary that dies does not leave
// servers behind, and a Go runtime thread ending early cannot trigger it.
func startProcess(s *Server) error {
	started := make(chan error, 1)
	go func() {
		lockThread()
		if err := s.cmd.Start(); err != nil {
			started <- err
			close(s.exited)
			return
		}
		started <- nil
		go func() {
			s.waitErr = s.cmd.Wait()
			close(s.exited)
		}()
		<-s.release
		// Returning while locked ends this thread (harmless: the process is gone).
	}()
	return <-started
}

func (s *Server) waitHealthy(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, healthTimeout)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/info", nil)
		if resp, err := client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if strings.Contains(readTail(s.logPath), "EADDRINUSE") {
			return fmt.Errorf("testserver: port of %s is already in use", s.url)
		}
		select {
		case <-s.exited:
			return fmt.Errorf("testserver: server exited before answering GET /info: %v", s.waitErr)
		case <-ctx.Done():
			return fmt.Errorf("testserver: server at %s did not answer GET /info with 200: %w", s.url, ctx.Err())
		case <-tick.C:
		}
	}
}

// serverEnv is the environment of the server: no analytics, no tracing, no
// browser, no outbound connection.
func serverEnv() []string {
	drop := map[string]bool{
		"LANGSMITH_API_KEY": true, "LANGCHAIN_API_KEY": true,
		"LANGSMITH_ENDPOINT": true, "LANGCHAIN_ENDPOINT": true,
		"NODE_OPTIONS": true,
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if drop[k] {
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"LANGGRAPH_CLI_NO_ANALYTICS=1",
		"LANGSMITH_TRACING=false",
		"LANGSMITH_TRACING_V2=false",
		"LANGCHAIN_TRACING=false",
		"LANGCHAIN_TRACING_V2=false",
		"BROWSER=none",
		// Schema extraction (GET /assistants/{id}/schemas) compiles the
		// graphs' TypeScript on first use; its default 30 s timeout is
		// exceeded on a loaded 2-core machine.
		"LANGGRAPH_SCHEMA_RESOLVE_TIMEOUT_MS=180000",
	)
}

// writeConfig writes a copy of srvDir/langgraph.json to configPath, with the
// graph, auth and http.app paths rewritten relative to the temporary folder.
//
// The server resolves those paths with path.join(configDir, p), so absolute
// paths do not work, but relative ones do; and it resolves
// @langchain/langgraph from the first graph file, so the graphs still load
// their packages from srvDir/node_modules.
func writeConfig(srvDir, dir, configPath string) error {
	data, err := os.ReadFile(filepath.Join(srvDir, "langgraph.json"))
	if err != nil {
		return fmt.Errorf("testserver: %w", err)
	}
	var cfg map[string]any
	if err := json.Unmarshal(data, &cfg); err != nil {
		return fmt.Errorf("testserver: parsing langgraph.json: %w", err)
	}
	rel, err := filepath.Rel(dir, srvDir)
	if err != nil {
		return fmt.Errorf("testserver: %w", err)
	}
	rebase := func(spec string) string {
		file, export, hasExport := strings.Cut(spec, ":")
		if !filepath.IsAbs(file) {
			file = filepath.ToSlash(filepath.Join(rel, file))
		}
		if hasExport {
			return file + ":" + export
		}
		return file
	}
	if graphs, ok := cfg["graphs"].(map[string]any); ok {
		for id, g := range graphs {
			switch g := g.(type) {
			case string:
				graphs[id] = rebase(g)
			case map[string]any:
				if p, ok := g["path"].(string); ok {
					g["path"] = rebase(p)
				}
			}
		}
	}
	for _, key := range []string{"auth", "http"} {
		section, ok := cfg[key].(map[string]any)
		if !ok {
			continue
		}
		field := map[string]string{"auth": "path", "http": "app"}[key]
		if p, ok := section[field].(string); ok {
			section[field] = rebase(p)
		}
	}
	if env, ok := cfg["env"].(string); ok {
		cfg["env"] = rebase(env)
	}
	out, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(configPath, out, 0o644); err != nil {
		return fmt.Errorf("testserver: %w", err)
	}
	// The CLI appends to the config folder's .gitignore when it lacks
	// .langgraph_api; give it one so it leaves the file alone.
	return os.WriteFile(filepath.Join(dir, ".gitignore"), []byte(".langgraph_api\n"), 0o644)
}

// repoRoot walks up from the working directory to the repository's root:
// the first folder with a go.mod and testdata/server/langgraph.json (a
// nested module, contrib/..., has a go.mod of its own but no test server).
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("testserver: %w", err)
	}
	start := dir
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if _, err := os.Stat(filepath.Join(dir, "testdata", "server", "langgraph.json")); err == nil {
				return dir, nil
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("testserver: no folder above %s has a go.mod and testdata/server/langgraph.json", start)
		}
		dir = parent
	}
}

var nodeVersionRE = regexp.MustCompile(`^v(\d+)\.`)

// checkNode checks that node >= 20 and npm are on PATH.
func checkNode(ctx context.Context) error {
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("testserver: %s not found on PATH (the test server needs node >= 20 and npm): %w", tool, err)
		}
	}
	out, err := exec.CommandContext(ctx, "node", "--version").Output()
	if err != nil {
		return fmt.Errorf("testserver: node --version: %w", err)
	}
	v := strings.TrimSpace(string(out))
	m := nodeVersionRE.FindStringSubmatch(v)
	if m == nil {
		return fmt.Errorf("testserver: cannot parse node version %q", v)
	}
	if major, _ := strconv.Atoi(m[1]); major < 20 {
		return fmt.Errorf("testserver: node %s is too old: the test server needs node >= 20", v)
	}
	return nil
}

// ensureNodeModules runs npm ci in srvDir if node_modules is missing or
// older than package-lock.json, holding an exclusive lock on
// srvDir/.npm-ci.lock so that concurrent test packages do not race.
func ensureNodeModules(ctx context.Context, srvDir string) error {
	unlock, err := lockFile(filepath.Join(srvDir, lockFileName))
	if err != nil {
		return fmt.Errorf("testserver: locking %s: %w", lockFileName, err)
	}
	defer unlock()

	fresh, err := nodeModulesFresh(srvDir)
	if err != nil {
		return err
	}
	if fresh {
		return nil
	}
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
	cmd.Dir = srvDir
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false")
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("testserver: npm ci in %s failed: %w\n%s", srvDir, err, tailString(out.String(), logTailBytes))
	}
	if fresh, err := nodeModulesFresh(srvDir); err != nil || !fresh {
		return fmt.Errorf("testserver: node_modules still not up to date after npm ci (%v)", err)
	}
	return nil
}

// nodeModulesFresh reports whether srvDir/node_modules holds an install at
// least as new as package-lock.json. npm writes node_modules/.package-lock.json
// at the end of every install.
func nodeModulesFresh(srvDir string) (bool, error) {
	lock, err := os.Stat(filepath.Join(srvDir, "package-lock.json"))
	if err != nil {
		return false, fmt.Errorf("testserver: %w", err)
	}
	installed, err := os.Stat(filepath.Join(srvDir, "node_modules", ".package-lock.json"))
	if err != nil {
		return false, nil
	}
	if _, err := os.Stat(filepath.Join(srvDir, cliRelPath)); err != nil {
		return false, nil
	}
	return !installed.ModTime().Before(lock.ModTime()), nil
}

// removeStaleDirs removes temporary folders left by test binaries that died
// without stopping their server.
func removeStaleDirs() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), tempPrefix+"*"))
	for _, dir := range dirs {
		data, err := os.ReadFile(filepath.Join(dir, "owner.pid"))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || pid <= 0 || processAlive(pid) {
			continue
		}
		_ = os.RemoveAll(dir)
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("testserver: finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")

// readTail returns the last logTailBytes of the file at path, without ANSI
// escapes.
func readTail(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > logTailBytes {
		_, _ = f.Seek(fi.Size()-logTailBytes, io.SeekStart)
	}
	data, _ := io.ReadAll(f)
	return ansiRE.ReplaceAllString(string(data), "")
}

func tailString(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
