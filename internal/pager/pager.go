// Package pager walks paged search endpoints as one sequence.
package pager

import (
	"context"
	"iter"
	"strconv"
)

// Page is one page of results and the server's X-Pagination-Next header, if any.
type Page[T any] struct {
	// Items are the page's results.
	Items []T
	// Next is the X-Pagination-Next header: the offset of the next page; empty
	// when the server did not send it.
	Next string
}

// All yields every item of every page, starting at offset, until a page is
// shorter than limit, is empty, or the server's X-Pagination-Next header says
// where the next page starts (then it is followed). The first error is yielded
// and ends the sequence.
func All[T any](ctx context.Context, offset, limit int, fetch func(ctx context.Context, offset int) (Page[T], error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
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
				offset = n
				continue
			}
			if limit > 0 && len(page.Items) < limit {
				return
			}
			offset += len(page.Items)
		}
	}
}
