// Package pager walks paged search endpoints as one sequence.
package pager

import (
	"context"
	"iter"
	"net/http"
	"strconv"

	"github.com/langgraph-go/langgraph"
	"github.com/langgraph-go/langgraph/internal/lgerr"
	"github.com/langgraph-go/langgraph/internal/transport"
)

// Page is one page of results and the server's paging headers, if any.
type Page[T any] struct {
	// Items are the page's results.
	Items []T
	// Next is the X-Pagination-Next header: the offset of the next page; empty
	// when the server did not send it.
	Next string
	// Total is the X-Pagination-Total header; empty when the server did not
	// send it.
	Total string
}

// FromHeader returns a Page of items with the paging headers of h.
func FromHeader[T any](items []T, h http.Header) Page[T] {
	return Page[T]{Items: items, Next: h.Get("X-Pagination-Next"), Total: h.Get("X-Pagination-Total")}
}

// Public converts a page to the langgraph.Page of a SearchPage method.
func (p Page[T]) Public() *langgraph.Page[T] {
	out := &langgraph.Page[T]{Items: p.Items, Total: -1, Next: -1}
	if n, err := strconv.Atoi(p.Total); err == nil && n >= 0 {
		out.Total = n
	}
	if n, err := strconv.Atoi(p.Next); err == nil && n >= 0 {
		out.Next = n
	}
	return out
}

// All yields every item of every page, starting at offset, fetching pages of
// limit items. After each page it decides where to go on:
//
//   - an empty page ends the walk;
//   - a page whose X-Pagination-Next is an offset past the current one is
//     followed to that offset;
//   - a page without X-Pagination-Next, once an earlier page of the walk had
//     one, is the last page (the server pages with the header and says there
//     is no next page);
//   - a page shorter than limit is the last page;
//   - otherwise the next page starts right after this one.
//
// A header that is not an offset past the current one is ignored (the JS
// server sends it only when the number of matches equals the limit, so its
// absence alone proves nothing). The first error is yielded and ends the
// sequence; breaking out of the loop sends no further request.
func All[T any](ctx context.Context, offset, limit int, fetch func(ctx context.Context, offset int) (Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		sawNext := false
		for {
			page, err := fetch(ctx, offset)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range page.Items {
				if !yield(it, nil) {
					return
				}
			}
			if len(page.Items) == 0 {
				return
			}
			if n, err := strconv.Atoi(page.Next); err == nil && n > offset {
				sawNext = true
				offset = n
				continue
			}
			if page.Next == "" && sawNext {
				return
			}
			if limit > 0 && len(page.Items) < limit {
				return
			}
			offset += len(page.Items)
		}
	}
}

// Walk is All for a search whose parameters carry limit and offset: it
// refuses negative values, uses defaultLimit when limit is zero, and calls
// fetch with the page size and the offset of each page.
func Walk[T any](ctx context.Context, limit, offset, defaultLimit int, fetch func(ctx context.Context, limit, offset int) (Page[T], error)) iter.Seq2[T, error] {
	if err := Check(limit, offset); err != nil {
		return Fail[T](err)
	}
	if limit == 0 {
		limit = defaultLimit
	}
	return All(ctx, offset, limit, func(ctx context.Context, offset int) (Page[T], error) {
		return fetch(ctx, limit, offset)
	})
}

// Check refuses a negative page size or offset, before any request is sent.
func Check(limit, offset int) error {
	if limit < 0 || offset < 0 {
		return lgerr.Invalid("limit %d and offset %d must not be negative", limit, offset)
	}
	return nil
}

// Fail returns a sequence that yields err once, for a walk refused before any
// request is sent.
func Fail[T any](err error) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		yield(zero, err)
	}
}

// Search sends one search request (POST path with body, retried as a read)
// and returns the page of results with the X-Pagination-Next header.
func Search[T any](ctx context.Context, b *transport.Backend, path string, body any, opts []langgraph.Option) (Page[T], error) {
	return SearchWith[T](ctx, b, path, body, opts, nil)
}

// SearchWith is Search with the answer decoded by decode (see
// transport.Request.Decode); nil means encoding/json.
func SearchWith[T any](ctx context.Context, b *transport.Backend, path string, body any, opts []langgraph.Option, decode func(data []byte, out *[]T) error) (Page[T], error) {
	var out []T
	r := &transport.Request{Method: http.MethodPost, Path: path, Body: body, Idempotent: true, Options: opts}
	if decode != nil {
		r.Decode = func(data []byte) error { return decode(data, &out) }
	}
	h, err := b.Do(ctx, r, &out)
	if err != nil {
		return Page[T]{}, err
	}
	return FromHeader(out, h), nil
}
