// Command benchreport runs the stream and search benchmarks of
// internal/bench and prints, per scenario, the SDK's time as a ratio of the
// baselines' on the same bytes in the same run, and allocations per event.
// make bench runs it.
//
//	go run ./internal/cmd/benchreport [-reps 5] [-only tokens,mixed]
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/langgraph-go/langgraph/internal/bench"
)

func main() {
	testing.Init()
	reps := flag.Int("reps", 5, "runs of each benchmark, interleaved; medians are reported")
	only := flag.String("only", "", "comma-separated scenarios to run (default all)")
	flag.Parse()

	fmt.Println("| scenario | sdk ns/event | json ns/event | raw ns/event | sdk / json | sdk / raw | sdk allocs/event | json allocs/event |")
	fmt.Println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, sc := range bench.Scenarios(false) {
		if *only != "" && !slices.Contains(strings.Split(*only, ","), sc.Name) {
			continue
		}
		cases := []func(*testing.B){bench.SDK(sc), bench.Baseline(sc, true), bench.Baseline(sc, false)}
		ns := make([][]float64, len(cases))
		allocs := make([][]float64, len(cases))
		for range *reps {
			for i, f := range cases {
				r := testing.Benchmark(f)
				if r.N == 0 {
					fmt.Fprintf(os.Stderr, "benchreport: %s: case %d failed\n", sc.Name, i)
					os.Exit(1)
				}
				events := float64(r.N * sc.Events)
				ns[i] = append(ns[i], float64(r.T.Nanoseconds())/events)
				allocs[i] = append(allocs[i], float64(r.MemAllocs)/events)
			}
		}
		sdk, js, raw := median(ns[0]), median(ns[1]), median(ns[2])
		fmt.Printf("| %s | %.0f | %.0f | %.0f | %.2f | %.1f | %.1f | %.1f |\n", sc.Name, sdk, js, raw, sdk/js, sdk/raw, median(allocs[0]), median(allocs[1]))
	}
	fmt.Println()
	for _, sc := range bench.Scenarios(false) {
		fmt.Printf("- %s: %s\n", sc.Name, sc.About)
	}
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
