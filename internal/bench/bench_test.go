package bench

import (
	"net/http"
	"testing"
)

// BenchmarkScenarios runs every scenario through the SDK and both
// baselines: go test -run '^$' -bench . ./internal/bench
func BenchmarkScenarios(b *testing.B) {
	for _, sc := range Scenarios(false) {
		b.Run(sc.Name+"/sdk", SDK(sc))
		b.Run(sc.Name+"/json", Baseline(sc, true))
		b.Run(sc.Name+"/raw", Baseline(sc, false))
	}
}

// TestScenariosRun runs each scenario once, small, through the SDK and the
// baselines, so that a change that breaks them fails the tests.
func TestScenariosRun(t *testing.T) {
	for _, sc := range Scenarios(true) {
		c, err := sc.client()
		if err != nil {
			t.Fatal(err)
		}
		if err := sc.SDKOnce(c); err != nil {
			t.Errorf("%s/sdk: %v", sc.Name, err)
		}
		hc := &http.Client{Transport: sc.transport()}
		for _, decode := range []bool{false, true} {
			if err := sc.BaselineOnce(hc, decode); err != nil {
				t.Errorf("%s/baseline (decode %v): %v", sc.Name, decode, err)
			}
		}
	}
}
