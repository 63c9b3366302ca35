package main

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCappedBufferCutsOnRuneBoundary(t *testing.T) {
	for limit := 1; limit <= 12; limit++ {
		c := newCappedBuffer(limit)
		in := strings.Repeat("€é", 10) // 3- and 2-byte runes
		for i := 0; i < len(in); i += 7 {
			end := i + 7
			if end > len(in) {
				end = len(in)
			}
			c.Write([]byte(in[i:end]))
		}
		s := c.String()
		if !utf8.ValidString(s) || !strings.HasPrefix(in, s) || len(s) > limit || len(s) < limit-3 {
			t.Fatalf("limit %d: %q", limit, s)
		}
		if c.Total() != int64(len(in)) || !c.Truncated() {
			t.Fatalf("limit %d: total %d truncated %v", limit, c.Total(), c.Truncated())
		}
		if cap(c.buf) > limit {
			t.Fatalf("limit %d: capacity grew to %d", limit, cap(c.buf))
		}
	}
}

func TestCappedBufferUntruncatedKeepsEverything(t *testing.T) {
	c := newCappedBuffer(100)
	c.Write([]byte("héllo"))
	if c.String() != "héllo" || c.Truncated() || c.Total() != 6 {
		t.Fatalf("%q %v %d", c.String(), c.Truncated(), c.Total())
	}
}

func TestTrimPartialRune(t *testing.T) {
	cases := map[string]string{
		"":               "",
		"abc":            "abc",
		"ab\xe2\x82":     "ab",
		"ab\xe2":         "ab",
		"ab\xe2\x82\xac": "ab\xe2\x82\xac",
		"\xc3":           "",
		"a\xff":          "a\xff", // invalid, not partial: left for JSON to replace
	}
	for in, want := range cases {
		if got := string(trimPartialRune([]byte(in))); got != want {
			t.Errorf("%q -> %q, want %q", in, got, want)
		}
	}
}
