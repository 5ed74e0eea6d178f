package threads

import (
	"bytes"
	"encoding/json"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/jsonx"
)

// Threads are decoded in one pass (internal/jsonx), as encoding/json decodes
// them into Thread's fields; a search answers many, and its cost is mostly
// theirs. The raw fields (Values, Config) share the answer's bytes.

var threadFields = []string{"thread_id", "created_at", "updated_at", "state_updated_at", "metadata", "status", "values", "interrupts", "config", "extracted"}

// threadField returns the index in threadFields of the field a key names,
// matched as encoding/json matches it; -1 for none.
func threadField(key []byte) int {
	switch string(key) {
	case "thread_id":
		return 0
	case "created_at":
		return 1
	case "updated_at":
		return 2
	case "state_updated_at":
		return 3
	case "metadata":
		return 4
	case "status":
		return 5
	case "values":
		return 6
	case "interrupts":
		return 7
	case "config":
		return 8
	case "extracted":
		return 9
	}
	for _, c := range key {
		if ('A' <= c && c <= 'Z') || c >= 0x80 {
			for i, n := range threadFields {
				if jsonx.FoldEqual(key, n) {
					return i
				}
			}
			break
		}
	}
	return -1
}

// decodeThread decodes the thread at the scanner's position.
func decodeThread(sc *jsonx.Scanner, t *Thread) error {
	_, err := sc.Fields(func(key []byte) error {
		f := threadField(key)
		switch f {
		case -1:
			return sc.Skip()
		case 0:
			return sc.String(&t.ThreadID)
		case 5:
			s := string(t.Status)
			err := sc.String(&s)
			t.Status = langgraph.Status(s)
			return err
		}
		raw, err := sc.Raw()
		if err != nil {
			return err
		}
		switch f {
		case 1:
			return t.CreatedAt.UnmarshalJSON(raw)
		case 2:
			return t.UpdatedAt.UnmarshalJSON(raw)
		case 3:
			return t.StateUpdatedAt.UnmarshalJSON(raw)
		case 4:
			return unmarshal(raw, &t.Metadata)
		case 6:
			t.Values = raw
		case 7:
			return unmarshal(raw, &t.Interrupts)
		case 8:
			t.Config = raw
		case 9:
			return unmarshal(raw, &t.Extracted)
		}
		return nil
	})
	return err
}

// unmarshal decodes raw into v with encoding/json, leaving v as it is for
// null (which encoding/json would make nil: v is nil already in a new
// Thread).
func unmarshal[T any](raw []byte, v *T) error {
	if string(raw) == "null" {
		var zero T
		*v = zero
		return nil
	}
	return json.Unmarshal(raw, v)
}

// decodeThreads decodes a list of threads; the threads share data's bytes.
func decodeThreads(data []byte, out *[]Thread) error {
	var sc jsonx.Scanner
	sc.Reset(data)
	ok, err := sc.Array()
	if err != nil {
		return err
	}
	if !ok {
		*out = nil
		return sc.End()
	}
	list := (*out)[:0]
	if list == nil {
		list = []Thread{}
	}
	for first := true; ; first = false {
		more, err := sc.More(first)
		if err != nil {
			return err
		}
		if !more {
			break
		}
		list = append(list, Thread{})
		if err := decodeThread(&sc, &list[len(list)-1]); err != nil {
			return err
		}
	}
	*out = list
	return sc.End()
}

// UnmarshalJSON decodes a thread in one pass; Values and Config share one
// copy of b.
func (t *Thread) UnmarshalJSON(b []byte) error {
	var sc jsonx.Scanner
	sc.Reset(bytes.Clone(b))
	if err := decodeThread(&sc, t); err != nil {
		return err
	}
	return sc.End()
}
