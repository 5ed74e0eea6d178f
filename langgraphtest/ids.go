package langgraphtest

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"regexp"
	"time"
)

// timeFormat is how the JS server writes times: UTC, milliseconds, "Z".
const timeFormat = "2006-01-02T15:04:05.000Z"

func stamp(t time.Time) string { return t.UTC().Format(timeFormat) }

func formatUUID(b [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// uuid7 returns a time-ordered UUID (version 7), as the server gives threads
// and runs.
func uuid7(now time.Time) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	ms := uint64(now.UnixMilli())
	b[0], b[1], b[2], b[3], b[4], b[5] = byte(ms>>40), byte(ms>>32), byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

// uuid4 returns a random UUID.
func uuid4() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

// graphNamespace is the namespace of the ids of the assistants the server
// creates for its graphs (uuid v5 of the graph id).
var graphNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x21, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// assistantID returns the id the server gives the assistant of a graph.
func assistantID(graphID string) string {
	h := sha1.New()
	h.Write(graphNamespace[:])
	h.Write([]byte(graphID))
	var b [16]byte
	copy(b[:], h.Sum(nil))
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

// hexID returns 32 random hex digits, the form of interrupt ids.
func hexID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// checkpointID returns a time-ordered id of the form the server gives
// checkpoints (a version 6 UUID whose clock sequence counts the steps).
func checkpointID(now time.Time, step int) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	// 100 ns intervals since 1582-10-15, most significant bits first.
	ts := uint64(now.UnixNano()/100) + 0x01b21dd213814000
	binary.BigEndian.PutUint32(b[0:4], uint32(ts>>28))
	binary.BigEndian.PutUint16(b[4:6], uint16(ts>>12))
	binary.BigEndian.PutUint16(b[6:8], uint16(ts&0x0fff)|0x6000)
	binary.BigEndian.PutUint16(b[8:10], uint16(step+1)&0x3fff|0x8000)
	return formatUUID(b)
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func isUUID(s string) bool { return uuidRE.MatchString(s) }
