package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// stringValue, intValue and durationValue are flag values without a default
// (see globals.register).
type stringValue struct{ p *string }

func (v stringValue) String() string { return "" }

func (v stringValue) Set(s string) error { *v.p = s; return nil }

type intValue struct{ p *int }

func (v intValue) String() string { return "" }

func (v intValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("not an integer")
	}
	*v.p = n
	return nil
}

type durationValue struct{ p *time.Duration }

func (v durationValue) String() string { return "" }

func (v durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("not a duration (e.g. 30s, 5m)")
	}
	if d <= 0 {
		return errors.New("must be positive")
	}
	*v.p = d
	return nil
}

// appendValue collects every value of a repeated flag.
type appendValue []string

func (v *appendValue) String() string { return "" }

func (v *appendValue) Set(s string) error { *v = append(*v, s); return nil }

// inputs reads the values of JSON flags: text, @file or - (standard input,
// once).
type inputs struct {
	stdin       io.Reader
	stdinUsedBy string
}

func (in *inputs) read(name, s string) ([]byte, error) {
	switch {
	case s == "-":
		if in.stdinUsedBy != "" {
			return nil, fmt.Errorf("standard input is already read by --%s", in.stdinUsedBy)
		}
		in.stdinUsedBy = name
		if in.stdin == nil {
			return nil, errors.New("no standard input")
		}
		return io.ReadAll(in.stdin)
	case strings.HasPrefix(s, "@"):
		b, err := os.ReadFile(s[1:])
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("reading %s: %v", s[1:], pe.Err)
			}
			return nil, err
		}
		return b, nil
	}
	return []byte(s), nil
}

// jsonFlag is a flag whose value is JSON text, @file or - for stdin.
type jsonFlag struct {
	in   *inputs
	name string
	raw  json.RawMessage
}

func jsonVar(fs *flag.FlagSet, in *inputs, name, usage string) *jsonFlag {
	f := &jsonFlag{in: in, name: name}
	fs.Var(f, name, usage)
	return f
}

func (f *jsonFlag) String() string { return "" }

func (f *jsonFlag) Set(s string) error {
	data, err := f.in.read(f.name, s)
	if err != nil {
		return err
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return errors.New("empty JSON")
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return fmt.Errorf("not valid JSON: %v", err)
	}
	f.raw = data
	return nil
}

// set reports whether the flag was given.
func (f *jsonFlag) set() bool { return f.raw != nil }

// value returns the JSON as a json.RawMessage, or nil (an untyped nil) when
// the flag was not given.
func (f *jsonFlag) value() any {
	if f.raw == nil {
		return nil
	}
	return f.raw
}

// object decodes a JSON object; nil when the flag was not given.
func (f *jsonFlag) object() (map[string]any, error) {
	if f.raw == nil {
		return nil, nil
	}
	if f.raw[0] != '{' {
		return nil, usagef("--%s: want a JSON object, got %.40s", f.name, f.raw)
	}
	dec := json.NewDecoder(bytes.NewReader(f.raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, usagef("--%s: %v", f.name, err)
	}
	return m, nil
}

// decode decodes the JSON into v, refusing unknown fields; it does nothing
// when the flag was not given.
func (f *jsonFlag) decode(v any) error {
	if f.raw == nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(f.raw))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return usagef("--%s: %s", f.name, strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

// listFlag collects comma-separated values, and the values of every repeat.
type listFlag []string

func listVar(fs *flag.FlagSet, name, usage string) *listFlag {
	f := new(listFlag)
	fs.Var(f, name, usage)
	return f
}

func (f *listFlag) String() string { return "" }

func (f *listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*f = append(*f, v)
		}
	}
	return nil
}

// choiceFlag is a string flag with a fixed set of values.
type choiceFlag struct {
	value   string
	choices []string
}

func choiceVar(fs *flag.FlagSet, name, usage string, choices ...string) *choiceFlag {
	f := &choiceFlag{choices: choices}
	fs.Var(f, name, usage+" ("+strings.Join(choices, ", ")+")")
	return f
}

func (f *choiceFlag) String() string {
	if f == nil {
		return ""
	}
	return f.value
}

func (f *choiceFlag) Set(s string) error {
	if !slices.Contains(f.choices, s) {
		return fmt.Errorf("want one of %s", strings.Join(f.choices, ", "))
	}
	f.value = s
	return nil
}

// choiceList is a repeatable, comma-separated choiceFlag.
type choiceList struct {
	values  []string
	choices []string
}

func choiceListVar(fs *flag.FlagSet, name, usage string, choices ...string) *choiceList {
	f := &choiceList{choices: choices}
	fs.Var(f, name, usage+" ("+strings.Join(choices, ", ")+"; repeatable or comma-separated)")
	return f
}

func (f *choiceList) String() string { return "" }

func (f *choiceList) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		v = strings.TrimSpace(v)
		if !slices.Contains(f.choices, v) {
			return fmt.Errorf("%q: want one of %s", v, strings.Join(f.choices, ", "))
		}
		f.values = append(f.values, v)
	}
	return nil
}

// optBool is a boolean flag that can be left unset.
type optBool struct{ p *bool }

func optBoolVar(fs *flag.FlagSet, name, usage string) *optBool {
	f := new(optBool)
	fs.Var(f, name, usage)
	return f
}

func (f *optBool) String() string {
	if f == nil || f.p == nil {
		return ""
	}
	return strconv.FormatBool(*f.p)
}

func (f *optBool) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return errors.New("want true or false")
	}
	f.p = &b
	return nil
}

// IsBoolFlag lets --name stand for --name=true.
func (f *optBool) IsBoolFlag() bool { return true }

// parseInterspersed parses flags placed anywhere among the positional
// arguments, which it returns; everything after "--" is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// nonNegative checks an integer flag.
func nonNegative(name string, v int) error {
	if v < 0 {
		return usagef("--%s: %d is negative", name, v)
	}
	return nil
}
