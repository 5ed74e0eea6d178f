package threads

import (
	"encoding/json"
	"os"
	"reflect"
	"testing"
)

// plainThread is Thread without its UnmarshalJSON: encoding/json's own
// decoding, the reference of the one-pass decoder.
type plainThread Thread

var threadSeeds = []string{
	`[]`, `null`, `[null]`, `[{}]`,
	`[{"thread_id":"t1","created_at":"2026-11-29T06:55:11.593Z","updated_at":"2026-11-29T06:55:11.672Z","metadata":{"owner":"alice","n":1.5,"l":[1,"a",null]},"status":"idle","config":{"configurable":{"x":1}},"values":{"messages":[{"content":"hi"}]},"interrupts":{"task":[{"id":"i1","value":{"q":1}}]}}]`,
	`[{"THREAD_ID":"fold","Status":"busy","Values":null,"config":null,"metadata":null,"interrupts":null,"extracted":{"a":1}}]`,
	`[{"thread_id":1}]`, `[{"created_at":"yesterday"}]`, `[{"created_at":null,"state_updated_at":"2026-01-02T03:04:05+02:00"}]`,
	`[{"metadata":[]}]`, `[{"status":null}]`, `[{"values":1e999}]`, `[{"interrupts":{"t":{}}}]`, `{}`, `[{"a":}]`, `[{}] x`,
	`[{"thread_id":"caf\u00e9","\u212aey":1}]`,
}

func checkThreadParity(t *testing.T, in []byte) {
	t.Helper()
	var got []Thread
	err := decodeThreads(in, &got)
	var ref []plainThread
	rerr := json.Unmarshal(in, &ref)
	if (err == nil) != (rerr == nil) {
		t.Fatalf("%.200q: one-pass err %v, encoding/json err %v", in, err, rerr)
	}
	if err != nil {
		return
	}
	var want []Thread
	if ref != nil {
		want = make([]Thread, len(ref))
	}
	for i := range ref {
		want[i] = Thread(ref[i])
	}
	if (got == nil) != (ref == nil) || !reflect.DeepEqual(got, want) {
		t.Fatalf("%.200q:\n got %#v\nwant %#v", in, got, want)
	}
	// Thread.UnmarshalJSON through encoding/json gives the same.
	var viaMethod []Thread
	if err := json.Unmarshal(in, &viaMethod); err != nil || !reflect.DeepEqual(viaMethod, want) {
		t.Fatalf("%.200q: through UnmarshalJSON %#v, %v", in, viaMethod, err)
	}
}

// TestThreadDecodeParity: the one-pass decoding of threads agrees with
// encoding/json on the seeds and on the recorded answers of the real server.
func TestThreadDecodeParity(t *testing.T) {
	for _, in := range threadSeeds {
		checkThreadParity(t, []byte(in))
	}
	rec, err := os.ReadFile("../testdata/wire/threads.search.json")
	if err != nil {
		t.Fatal(err)
	}
	checkThreadParity(t, rec)
}

func FuzzThreadDecodeParity(f *testing.F) {
	for _, in := range threadSeeds {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) { checkThreadParity(t, in) })
}
