// Package zerotest checks that the exported methods of the SDK's types do
// not panic on zero values: a zero service, a zero result, a zero error.
package zerotest

import (
	"context"
	"fmt"
	"iter"
	"reflect"
	"testing"
)

var (
	contextType = reflect.TypeFor[context.Context]()
	seqType     = reflect.TypeFor[iter.Seq2[int, error]]().Kind()
)

// CallAll calls every exported method of each value (pass pointers to zero
// values, so that pointer methods are called too) with zero arguments
// (context.Background() for a context, no variadic arguments), and ranges
// over every iterator a method returns. A panic fails the test. It returns
// the number of methods called, so that a caller can check that the list of
// values is not empty by mistake.
func CallAll(t *testing.T, values ...any) int {
	t.Helper()
	n := 0
	for _, v := range values {
		rv := reflect.ValueOf(v)
		for i := range rv.NumMethod() {
			m := rv.Type().Method(i)
			if !m.IsExported() {
				continue
			}
			n++
			name := fmt.Sprintf("%s.%s", rv.Type(), m.Name)
			call(t, name, rv.Method(i))
		}
	}
	return n
}

func call(t *testing.T, name string, fn reflect.Value) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s on a zero value panicked: %v", name, r)
		}
	}()
	ft := fn.Type()
	args := make([]reflect.Value, 0, ft.NumIn())
	for i := range ft.NumIn() {
		if ft.IsVariadic() && i == ft.NumIn()-1 {
			break
		}
		in := ft.In(i)
		if in == contextType {
			args = append(args, reflect.ValueOf(context.Background()))
			continue
		}
		args = append(args, reflect.Zero(in))
	}
	for _, out := range fn.Call(args) {
		drain(out)
	}
}

// drain ranges over out when it is an iterator (a func(yield) with a yield
// that returns bool), taking every element.
func drain(out reflect.Value) {
	ot := out.Type()
	if ot.Kind() != seqType || out.IsNil() || ot.NumIn() != 1 || ot.NumOut() != 0 {
		return
	}
	yt := ot.In(0)
	if yt.Kind() != reflect.Func || yt.NumOut() != 1 || yt.Out(0).Kind() != reflect.Bool {
		return
	}
	yield := reflect.MakeFunc(yt, func([]reflect.Value) []reflect.Value {
		return []reflect.Value{reflect.ValueOf(true)}
	})
	out.Call([]reflect.Value{yield})
}
