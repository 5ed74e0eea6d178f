package sse

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// langGraphStream builds a deterministic stream of n events shaped like a
// LangGraph run: small updates/messages/custom events and 4-20 KiB values
// snapshots, with ids and an occasional heartbeat.
func langGraphStream(n int) []byte {
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteString("event: metadata\ndata: {\"run_id\":\"1f0c2a7e-5b1d-6c3e-9f4a-2b8d7e6c5a41\",\"attempt\":1}\nid: 0\n\n")
	for i := 1; i < n; i++ {
		switch k := rng.IntN(10); {
		case k < 3: // values: 4-20 KiB state snapshot
			size := 4<<10 + rng.IntN(16<<10)
			fmt.Fprintf(&b, "event: values\ndata: {\"messages\":[{\"type\":\"ai\",\"content\":%q}]}\n",
				strings.Repeat("lorem ipsum ", size/12))
		case k < 6:
			fmt.Fprintf(&b, "event: updates\ndata: {\"agent\":{\"messages\":[{\"type\":\"ai\",\"content\":\"step %d\",\"id\":\"run-%d\"}]}}\n", i, i)
		case k < 8:
			fmt.Fprintf(&b, "event: messages\ndata: [{\"content\":\"tok%d\",\"type\":\"AIMessageChunk\",\"id\":\"run-8e2f\"},{\"langgraph_node\":\"agent\",\"langgraph_step\":%d}]\n", i, i)
		case k < 9:
			fmt.Fprintf(&b, "event: updates|child:1f0c2a7e-77aa-6d01-bc3e-55f0a1d2e3c4\ndata: {\"tools\":{\"messages\":[{\"type\":\"tool\",\"content\":\"r%d\"}]}}\n", i)
		default:
			fmt.Fprintf(&b, "event: custom\ndata: {\"progress\":%d}\n", i)
		}
		fmt.Fprintf(&b, "id: %d\n\n", i)
		if i%100 == 0 {
			b.WriteString(": heartbeat\n\n")
		}
	}
	return b.Bytes()
}

func BenchmarkReader(b *testing.B) {
	const n = 1000
	stream := langGraphStream(n)
	for _, bc := range []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"bytes", func(r io.Reader) io.Reader { return r }},
		{"chunked4k", func(r io.Reader) io.Reader { return &chunkReader{r: r, n: 4 << 10} }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(stream)))
			b.ReportAllocs()
			var ms0, ms1 runtime.MemStats
			runtime.ReadMemStats(&ms0)
			events := 0
			for b.Loop() {
				rd := NewReader(bc.wrap(bytes.NewReader(stream)), 0)
				for {
					if _, err := rd.Next(); err != nil {
						if err != io.EOF {
							b.Fatal(err)
						}
						break
					}
					events++
				}
			}
			runtime.ReadMemStats(&ms1)
			if events != n*b.N {
				b.Fatalf("got %d events, want %d", events, n*b.N)
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/float64(events), "allocs/event")
		})
	}
}
