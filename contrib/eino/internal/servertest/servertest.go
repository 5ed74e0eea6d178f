// Package servertest starts the root module's LangGraph test server for the
// tests of this nested module.
//
// The root module's internal/testserver cannot be imported from another
// module, and a public test-support package would put a test harness (which
// needs the repository's testdata/server) into the SDK's API. So this
// package builds the root module's small command internal/cmd/testserverd
// (go build, run in the root module's folder, found with go list) and runs
// it: the command starts the server, prints its URL, and stops it when its
// standard input closes, which also happens if the test binary dies.
//
// Main behaves as the root module's testserver.Main: -short runs the unit
// tests only, LANGGRAPH_SKIP_INTEGRATION=1 skips the package loudly, and
// both are refused under CI=true.
package servertest

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// SkipEnv set to "1" skips the integration tests, as in the root module.
const SkipEnv = "LANGGRAPH_SKIP_INTEGRATION"

const (
	rootModule = "github.com/langgraph-go/langgraph"
	urlPrefix  = "LANGGRAPH_TEST_SERVER_URL=" // printed by testserverd
)

// Main starts the server, stores its base URL in *url, runs m.Run, stops
// the server and returns the exit code:
//
//	func TestMain(m *testing.M) { os.Exit(servertest.Main(m, &serverURL)) }
//
// *url stays empty with -short; integration tests skip then.
func Main(m *testing.M, url *string) int {
	flag.Parse()
	ci := os.Getenv("CI") == "true"
	if (testing.Short() || os.Getenv(SkipEnv) == "1") && ci {
		fmt.Fprintf(os.Stderr, "servertest: CI=true: integration tests must run; -short and %s=1 are refused\n", SkipEnv)
		return 1
	}
	if testing.Short() {
		fmt.Fprintln(os.Stderr, "servertest: -short: unit tests only, the integration tests of this package are SKIPPED")
		return m.Run()
	}
	if os.Getenv(SkipEnv) == "1" {
		fmt.Fprintf(os.Stderr, "\n## SKIPPED: %s=1 is set: the LangGraph test server was not started and NO TEST of this package ran.\n\n", SkipEnv)
		return 0
	}
	srv, err := start()
	if err != nil {
		fmt.Fprintf(os.Stderr, "\n## FAIL: the LangGraph test server could not start (it needs node >= 20 and npm; %s=1 skips these tests):\n%v\n\n", SkipEnv, err)
		return 1
	}
	*url = srv.url
	code := m.Run()
	if err := srv.stop(); err != nil {
		fmt.Fprintln(os.Stderr, "servertest:", err)
	}
	return code
}

type server struct {
	url    string
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	exited chan error
	tmp    string
}

func start() (*server, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	root, err := rootDir(ctx)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "langgraph-servertest-")
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(tmp, "testserverd")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./internal/cmd/testserverd")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("building testserverd in %s: %w\n%s", root, err, out)
	}

	cmd := exec.Command(bin)
	cmd.Dir = root
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	s := &server{cmd: cmd, stdin: stdin, exited: make(chan error, 1), tmp: tmp}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), urlPrefix); ok {
				urls <- u
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		s.exited <- cmd.Wait()
	}()
	select {
	case s.url = <-urls:
		return s, nil
	case err := <-s.exited:
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("testserverd exited before printing the server URL: %v", err)
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		<-s.exited
		os.RemoveAll(tmp)
		return nil, errors.New("testserverd did not print the server URL within 5 minutes")
	}
}

// stop closes testserverd's standard input, which makes it stop the server,
// and waits for it (killing it after 30 s).
func (s *server) stop() error {
	defer os.RemoveAll(s.tmp)
	_ = s.stdin.Close()
	select {
	case err := <-s.exited:
		return err
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return errors.New("testserverd did not stop within 30 s; killed")
	}
}

// rootDir returns the folder of the root module (this module replaces it
// with ../.., so go list names the work tree).
func rootDir(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "list", "-m", "-f", "{{.Dir}}", rootModule).Output()
	if err != nil {
		return "", fmt.Errorf("go list -m %s: %w", rootModule, err)
	}
	dir := strings.TrimSpace(string(out))
	if _, err := os.Stat(filepath.Join(dir, "testdata", "server", "langgraph.json")); err != nil {
		return "", fmt.Errorf("the root module at %q has no testdata/server: %w", dir, err)
	}
	return dir, nil
}
