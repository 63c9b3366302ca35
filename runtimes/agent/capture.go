package main

import (
	"unicode/utf8"
)

// cappedBuffer keeps the first limit bytes written to it and counts the rest.
// User code may print gigabytes; the agent's memory must not follow, because
// it is charged to the same cgroup as the function.
type cappedBuffer struct {
	limit int
	buf   []byte
	total int64
}

func newCappedBuffer(limit int) *cappedBuffer {
	return &cappedBuffer{limit: limit}
}

// Write never fails: a pipe reader that stopped reading would block the
// child, so excess output is drained and discarded instead.
func (c *cappedBuffer) Write(p []byte) (int, error) {
	c.total += int64(len(p))
	room := c.limit - len(c.buf)
	if room <= 0 {
		return len(p), nil
	}
	n := len(p)
	if n > room {
		n = room
	}
	if cap(c.buf)-len(c.buf) < n {
		// Grow geometrically but never past the limit, so a 1 MiB cap
		// costs at most 1 MiB rather than append's doubling to 2 MiB.
		newCap := 2 * cap(c.buf)
		if newCap < len(c.buf)+n {
			newCap = len(c.buf) + n
		}
		if newCap < 4096 {
			newCap = 4096
		}
		if newCap > c.limit {
			newCap = c.limit
		}
		nb := make([]byte, len(c.buf), newCap)
		copy(nb, c.buf)
		c.buf = nb
	}
	c.buf = append(c.buf, p[:n]...)
	return len(p), nil
}

func (c *cappedBuffer) Total() int64    { return c.total }
func (c *cappedBuffer) Truncated() bool { return c.total > int64(len(c.buf)) }

// String returns the kept bytes. When the cap cut the stream, a rune split by
// the cut is dropped so that consumers never see half a character.
func (c *cappedBuffer) String() string {
	if !c.Truncated() {
		return string(c.buf)
	}
	return string(trimPartialRune(c.buf))
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of b. Invalid
// bytes elsewhere are left alone (JSON encoding replaces them with U+FFFD).
func trimPartialRune(b []byte) []byte {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return b[:i]
			}
			return b
		}
	}
	return b
}
