package runs_test

import (
	"os"
	"testing"

	"github.com/langgraph-go/langgraph/internal/testserver"
)

// srv is the package's LangGraph test server; nil with -short, and then the
// integration tests skip.
var srv *testserver.Server

// TestMain starts the package's test server (the only TestMain of package
// runs_test: integration tests of every file share srv).
func TestMain(m *testing.M) { os.Exit(testserver.Main(m, &srv)) }
