package modcheck

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const core = "github.com/langgraph-go/langgraph"

// root is the core module's folder.
const root = "../.."

// goCmd runs the go command in dir on the core module alone (GOWORK=off:
// what a user of the core gets) and returns its output.
func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return string(out)
}

// TestContribRequiresAReleasedCore: each contrib module (contrib/eino,
// contrib/otel) requires the core at a real version, with no replace (a
// published module's replace is ignored by its users, and v0.0.0 cannot be
// resolved); go.work uses it and points that very version at this work tree
// for development.
func TestContribRequiresAReleasedCore(t *testing.T) {
	work, err := os.ReadFile(filepath.Join(root, "go.work"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\s*(?:use\s+)?\.\s*$`).Match(work) {
		t.Errorf("go.work does not use .:\n%s", work)
	}
	for _, m := range []string{"eino", "otel"} {
		mod, err := os.ReadFile(filepath.Join(root, "contrib", m, "go.mod"))
		if err != nil {
			t.Fatal(err)
		}
		req := regexp.MustCompile(`(?m)^\s*(?:require\s+)?` + regexp.QuoteMeta(core) + `\s+(v\S+)`).FindSubmatch(mod)
		if req == nil {
			t.Errorf("contrib/%s/go.mod does not require %s:\n%s", m, core, mod)
			continue
		}
		version := string(req[1])
		if !regexp.MustCompile(`^v\d+\.\d+\.\d+$`).MatchString(version) || version == "v0.0.0" {
			t.Errorf("contrib/%s requires %s %s; want the release it ships with, vX.Y.Z, not v0.0.0", m, core, version)
		}
		if regexp.MustCompile(`(?m)^\s*replace\b|^\s*` + regexp.QuoteMeta(core) + `\s.*=>`).Match(mod) {
			t.Errorf("contrib/%s/go.mod has a replace directive; use go.work:\n%s", m, mod)
		}
		want := "replace " + core + " " + version + " => ./"
		if !strings.Contains(string(work), want) {
			t.Errorf("go.work lacks %q, so the workspace would fetch the unpublished core:\n%s", want, work)
		}
		use := "./contrib/" + m
		if !regexp.MustCompile(`(?m)^\s*(?:use\s+)?` + regexp.QuoteMeta(use) + `\s*$`).Match(work) {
			t.Errorf("go.work does not use %s:\n%s", use, work)
		}
	}
}

// TestNoOldXNet: r3labs/sse requires an x/net of 2019; the core requires a
// current one and excludes the old, so its module graph has no 2019 x/net.
func TestNoOldXNet(t *testing.T) {
	sc := bufio.NewScanner(strings.NewReader(goCmd(t, root, "mod", "graph")))
	for sc.Scan() {
		if strings.Contains(sc.Text(), "golang.org/x/net@v0.0.0-") {
			t.Errorf("go mod graph: %s", sc.Text())
		}
	}
}

// TestRuntimeDependencies: the SDK's packages build with the standard
// library, retryablehttp and r3labs/sse (and what those two need), and
// coder/websocket (the thread stream protocol's WebSocket transport, which
// needs nothing but the standard library), nothing else.
func TestRuntimeDependencies(t *testing.T) {
	allowed := []string{
		core,
		"github.com/hashicorp/go-retryablehttp", "github.com/hashicorp/go-cleanhttp",
		"github.com/r3labs/sse/v2", "gopkg.in/cenkalti/backoff.v1", "golang.org/x/net",
		"github.com/coder/websocket",
	}
	out := goCmd(t, root, "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}", "./...")
	for _, m := range strings.Fields(out) {
		if !slices.Contains(allowed, m) {
			t.Errorf("the core's packages depend on module %s", m)
		}
	}
}
