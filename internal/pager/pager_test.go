package pager

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"testing"
)

// source serves the items 0..total-1 by offset and limit and records the
// offsets it was asked for. next decides the X-Pagination-Next header of a
// page (nil: never sent).
type source struct {
	total, limit int
	next         func(offset, n int) string
	fail         map[int]error // offset -> error
	offsets      []int
}

func (s *source) fetch(_ context.Context, offset int) (Page[int], error) {
	s.offsets = append(s.offsets, offset)
	if err := s.fail[offset]; err != nil {
		return Page[int]{}, err
	}
	var p Page[int]
	for i := offset; i < s.total && i < offset+s.limit; i++ {
		p.Items = append(p.Items, i)
	}
	if s.next != nil {
		p.Next = s.next(offset, len(p.Items))
	}
	return p, nil
}

// collect walks All and returns the items and the errors it yielded.
func collect(s *source, start int) (items []int, errs []error) {
	for it, err := range All(context.Background(), start, s.limit, s.fetch) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items = append(items, it)
	}
	return items, errs
}

func seq(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// pythonNext sends the header only when more items follow, as a server that
// knows its total does.
func pythonNext(total int) func(offset, n int) string {
	return func(offset, n int) string {
		if offset+n < total {
			return strconv.Itoa(offset + n)
		}
		return ""
	}
}

func TestAll(t *testing.T) {
	cases := []struct {
		name        string
		src         source
		start       int
		wantItems   []int
		wantOffsets []int
	}{
		{
			name:        "a short page ends the walk",
			src:         source{total: 8, limit: 3},
			wantItems:   seq(0, 8),
			wantOffsets: []int{0, 3, 6},
		},
		{
			name:        "a full last page without header costs one empty page",
			src:         source{total: 6, limit: 3},
			wantItems:   seq(0, 6),
			wantOffsets: []int{0, 3, 6},
		},
		{
			name:        "no X-Pagination-Next after one was sent ends the walk",
			src:         source{total: 6, limit: 3, next: pythonNext(6)},
			wantItems:   seq(0, 6),
			wantOffsets: []int{0, 3},
		},
		{
			name:        "X-Pagination-Next is followed on every page",
			src:         source{total: 9, limit: 3, next: pythonNext(9)},
			wantItems:   seq(0, 9),
			wantOffsets: []int{0, 3, 6},
		},
		{
			name: "X-Pagination-Next may skip ahead",
			src: source{total: 20, limit: 2, next: func(offset, _ int) string {
				if offset == 0 {
					return "10"
				}
				return ""
			}},
			wantItems:   []int{0, 1, 10, 11},
			wantOffsets: []int{0, 10},
		},
		{
			name: "a short page with a header pointing on is followed (the header wins)",
			src: source{total: 5, limit: 3, next: func(offset, n int) string {
				return strconv.Itoa(offset + 3) // JS server quirk: a header on a short page
			}},
			wantItems:   seq(0, 5),
			wantOffsets: []int{0, 3, 6},
		},
		{
			name: "a malformed or backward header is ignored",
			src: source{total: 7, limit: 3, next: func(offset, _ int) string {
				if offset == 0 {
					return "soon"
				}
				return "0"
			}},
			wantItems:   seq(0, 7),
			wantOffsets: []int{0, 3, 6},
		},
		{
			name:        "an empty first page yields nothing",
			src:         source{total: 0, limit: 3},
			wantItems:   nil,
			wantOffsets: []int{0},
		},
		{
			name:        "the walk starts at the given offset",
			src:         source{total: 7, limit: 3},
			start:       2,
			wantItems:   seq(2, 7),
			wantOffsets: []int{2, 5},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.src
			items, errs := collect(&src, tc.start)
			if len(errs) != 0 {
				t.Fatalf("errors: %v", errs)
			}
			if !reflect.DeepEqual(items, tc.wantItems) {
				t.Errorf("items = %v, want %v", items, tc.wantItems)
			}
			if !reflect.DeepEqual(src.offsets, tc.wantOffsets) {
				t.Errorf("fetched offsets %v, want %v", src.offsets, tc.wantOffsets)
			}
		})
	}
}

func TestAllUnknownLimitReadsUntilEmpty(t *testing.T) {
	// limit 0: the page size is unknown, so only an empty page (or the
	// header) ends the walk.
	var offsets []int
	fetch := func(_ context.Context, offset int) (Page[int], error) {
		offsets = append(offsets, offset)
		if offset >= 4 {
			return Page[int]{}, nil
		}
		return Page[int]{Items: []int{offset, offset + 1}}, nil
	}
	var items []int
	for it, err := range All(context.Background(), 0, 0, fetch) {
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
	}
	if !reflect.DeepEqual(items, seq(0, 4)) || !reflect.DeepEqual(offsets, []int{0, 2, 4}) {
		t.Errorf("items %v from offsets %v", items, offsets)
	}
}

func TestAllError(t *testing.T) {
	boom := errors.New("boom")
	src := source{total: 100, limit: 3, fail: map[int]error{3: boom}}
	items, errs := collect(&src, 0)
	if !reflect.DeepEqual(items, []int{0, 1, 2}) {
		t.Errorf("items = %v, want the first page", items)
	}
	if len(errs) != 1 || !errors.Is(errs[0], boom) {
		t.Errorf("errors = %v, want boom once", errs)
	}
	if !reflect.DeepEqual(src.offsets, []int{0, 3}) {
		t.Errorf("fetched offsets %v, want [0 3]: nothing after the error", src.offsets)
	}

	// An error on the first page is yielded with the zero value.
	src = source{total: 100, limit: 3, fail: map[int]error{0: boom}}
	n := 0
	for it, err := range All(context.Background(), 0, 3, src.fetch) {
		n++
		if it != 0 || !errors.Is(err, boom) {
			t.Errorf("got (%v, %v), want (0, boom)", it, err)
		}
	}
	if n != 1 {
		t.Errorf("%d values yielded, want 1", n)
	}
}

func TestAllEarlyBreak(t *testing.T) {
	src := source{total: 100, limit: 5, next: pythonNext(100)}
	for range All(context.Background(), 0, 5, src.fetch) {
		break
	}
	if !reflect.DeepEqual(src.offsets, []int{0}) {
		t.Errorf("fetched offsets %v after a break on the first item, want [0]", src.offsets)
	}

	src = source{total: 100, limit: 5}
	var items []int
	for it, err := range All(context.Background(), 0, 5, src.fetch) {
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, it)
		if it == 6 {
			break
		}
	}
	if !reflect.DeepEqual(items, seq(0, 7)) || !reflect.DeepEqual(src.offsets, []int{0, 5}) {
		t.Errorf("items %v from offsets %v, want 0..6 from [0 5]", items, src.offsets)
	}
}

func TestAllPassesContext(t *testing.T) {
	type key struct{}
	ctx := context.WithValue(context.Background(), key{}, "v")
	for _, err := range All(ctx, 0, 1, func(ctx context.Context, _ int) (Page[int], error) {
		if ctx.Value(key{}) != "v" {
			t.Error("fetch did not get the walk's context")
		}
		return Page[int]{}, nil
	}) {
		t.Fatal(err)
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		limit, offset int
		ok            bool
	}{{0, 0, true}, {10, 20, true}, {-1, 0, false}, {0, -1, false}, {-5, -5, false}} {
		if err := Check(tc.limit, tc.offset); (err == nil) != tc.ok {
			t.Errorf("Check(%d, %d) = %v", tc.limit, tc.offset, err)
		}
	}
}

func TestFail(t *testing.T) {
	boom := errors.New("boom")
	var got []error
	for it, err := range Fail[string](boom) {
		if it != "" {
			t.Errorf("item %q", it)
		}
		got = append(got, err)
	}
	if len(got) != 1 || got[0] != boom {
		t.Errorf("Fail yielded %v, want [boom]", got)
	}
}

func TestWalk(t *testing.T) {
	ctx := context.Background()
	fetched := 0
	for _, err := range Walk(ctx, -1, 0, 10, func(context.Context, int, int) (Page[int], error) {
		fetched++
		return Page[int]{}, nil
	}) {
		if err == nil {
			t.Error("negative limit: want an error")
		}
	}
	if fetched != 0 {
		t.Errorf("negative limit: %d fetches, want none", fetched)
	}

	var calls []string
	var got []int
	for v, err := range Walk(ctx, 0, 5, 3, func(_ context.Context, limit, offset int) (Page[int], error) {
		calls = append(calls, fmt.Sprintf("%d@%d", limit, offset))
		if offset >= 8 {
			return Page[int]{Items: []int{offset}}, nil
		}
		return Page[int]{Items: []int{offset, offset + 1, offset + 2}}, nil
	}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	if fmt.Sprint(calls) != "[3@5 3@8]" || fmt.Sprint(got) != "[5 6 7 8]" {
		t.Errorf("calls %v, items %v; want the default page size 3 from offset 5, stopping at the short page", calls, got)
	}
}
