package protocol

import "strings"

// Channels are the channels the server knows, in the order the JS SDK
// lists them.
var Channels = []string{"lifecycle", "input", "values", "updates", "messages", "tools", "custom", "checkpoints", "tasks"}

// Filter selects events the way the server filters a subscription or an
// SSE stream.
type Filter struct {
	// Channels lists channel names; empty means every event, those of
	// unknown channels included. "custom" also matches "custom:<name>", and
	// a method name matches events of an unknown channel with that method.
	Channels []string
	// Namespaces lists namespace prefixes; empty means any namespace.
	Namespaces [][]string
	// Depth, when HasDepth, bounds how far below a prefix an event may be.
	Depth    int
	HasDepth bool
}

// Match reports whether an event with this channel (the method, "input"
// for input.requested, "custom:<name>" for a custom event whose data has a
// name), method and namespace passes the filter. The rules are the server's: a
// channel must be listed (a bare "custom" matches "custom:<name>"); a
// namespace must start with one of the prefixes, segment by segment, where a
// prefix segment without ":" also matches an event segment once its
// ":<task id>" suffix is stripped; with a depth, the event may be at most
// that many levels below the prefix. A depth without namespaces is ignored.
func (f *Filter) Match(channel, method string, namespace []string) bool {
	if len(f.Channels) > 0 {
		ok := false
		for _, c := range f.Channels {
			if c == channel || channel == "" && c == method || c == "custom" && strings.HasPrefix(channel, "custom:") {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if len(f.Namespaces) == 0 {
		return true
	}
	for _, prefix := range f.Namespaces {
		if !PrefixMatch(namespace, prefix) {
			continue
		}
		if !f.HasDepth || len(namespace)-len(prefix) <= f.Depth {
			return true
		}
	}
	return false
}

// PrefixMatch reports whether namespace starts with prefix: segments equal,
// or a prefix segment without ":" equal to the event segment without its
// ":<task id>" suffix.
func PrefixMatch(namespace, prefix []string) bool {
	if len(prefix) > len(namespace) {
		return false
	}
	for i, seg := range prefix {
		cand := namespace[i]
		if cand == seg {
			continue
		}
		if strings.Contains(seg, ":") {
			return false
		}
		if j := strings.IndexByte(cand, ':'); j >= 0 && cand[:j] == seg {
			continue
		}
		return false
	}
	return true
}
