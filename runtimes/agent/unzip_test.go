package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type zipEntry struct {
	name    string
	content []byte
	mode    os.FileMode
	raw     *zip.FileHeader // written with CreateRaw (lying headers)
}

func buildZip(t testing.TB, entries []zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		if e.raw != nil {
			w, err := zw.CreateRaw(e.raw)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(e.content)
			continue
		}
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode == 0 {
			e.mode = 0o644
		}
		h.SetMode(e.mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.content)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	fw.Write(b)
	fw.Close()
	return buf.Bytes()
}

func TestZipAttacksRefused(t *testing.T) {
	zeros := make([]byte, 50<<20)
	many := make([]zipEntry, 10001)
	for i := range many {
		many[i] = zipEntry{name: fmt.Sprintf("f%05d.txt", i)}
	}
	// The header claims a 1000:1 file is only 1 MiB... of 50 KiB: the
	// ratio must be caught from the bytes actually produced.
	lyingData := deflate(zeros)
	lying := &zip.FileHeader{Name: "liar.bin", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(zeros),
		CompressedSize64: uint64(len(lyingData)), UncompressedSize64: uint64(len(lyingData)) * 50}
	cases := []struct {
		name    string
		entries []zipEntry
		want    string
	}{
		{"dotdot", []zipEntry{{name: "ok.txt"}, {name: "../evil.txt", content: []byte("x")}}, `"../evil.txt"`},
		{"nested-dotdot", []zipEntry{{name: "a/../../evil.txt"}}, `"a/../../evil.txt"`},
		{"absolute", []zipEntry{{name: "/etc/evil"}}, `"/etc/evil": absolute path`},
		{"backslash", []zipEntry{{name: `..\evil`}}, `"..\\evil"`},
		{"symlink", []zipEntry{{name: "main.py"}, {name: "link", content: []byte("/etc/passwd"), mode: os.ModeSymlink | 0o777}}, `"link": symbolic links`},
		{"fifo", []zipEntry{{name: "pipe", mode: os.ModeNamedPipe | 0o644}}, `"pipe": special`},
		{"bomb", []zipEntry{{name: "main.py"}, {name: "bomb.bin", content: zeros}}, `"bomb.bin": compression ratio over 100`},
		{"lying-bomb", []zipEntry{{raw: lying, content: lyingData}}, `"liar.bin"`},
		{"too-many", many, "too many entries: 10001 (max 10000)"},
		{"duplicate", []zipEntry{{name: "a.txt"}, {name: "a.txt"}}, `"a.txt": duplicate`},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			a := newTestAgent(t)
			r := a.do("PUT", "/v1/code", buildZip(t, tc.entries))
			msg, _ := r.json(t)["error"].(string)
			if r.status != 400 || !strings.Contains(msg, tc.want) {
				t.Fatalf("got %d %q, want 400 containing %q", r.status, msg, tc.want)
			}
			assertNothingExtracted(t, a.cfg)
			if _, err := os.Stat(filepath.Join(filepath.Dir(a.cfg.WorkspaceDir), "evil.txt")); err == nil {
				t.Fatal("escaped the workspace")
			}
		})
	}
}

func TestZipNotAZip(t *testing.T) {
	a := newTestAgent(t)
	r := a.do("PUT", "/v1/code", []byte("this is not a zip"))
	if r.status != 400 {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

func TestZipUploadSizeLimit(t *testing.T) {
	a := newTestAgent(t, func(c *Config) { c.MaxUploadBytes = 1000 })
	r := a.do("PUT", "/v1/code", bytes.Repeat([]byte("x"), 5000))
	if r.status != 413 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	assertNothingExtracted(t, a.cfg)
}

func TestZipTotalBytesCountsActualBytes(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte("0123456789abcdef"), 1<<14) // 256 KiB, modest ratio
	zipPath := filepath.Join(dir, "a.zip")
	os.WriteFile(zipPath, buildZip(t, []zipEntry{{name: "a", content: data}, {name: "b", content: data}}), 0o644)
	lim := zipLimits{maxEntries: 10, maxBytes: 300 << 10, maxRatio: 100000, ratioFloor: 1 << 20}
	_, _, err := extractZip(zipPath, filepath.Join(dir, "code"), lim)
	if err == nil || !strings.Contains(err.Error(), `"b": archive expands past`) {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "code")); !os.IsNotExist(err) {
		t.Fatal("code dir exists after refusal")
	}
}

func TestZipExtractsTreeAndExecutableBit(t *testing.T) {
	a := newTestAgent(t)
	body := buildZip(t, []zipEntry{
		{name: "dir/"},
		{name: "dir/sub/data.txt", content: []byte("data")},
		{name: "run.sh", content: []byte("#!/bin/sh\n"), mode: 0o4755}, // setuid dropped
		{name: "./plain.txt", content: []byte("p")},
	})
	r := a.do("PUT", "/v1/code", body)
	if r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	b, err := os.ReadFile(filepath.Join(a.cfg.CodeDir, "dir/sub/data.txt"))
	if err != nil || string(b) != "data" {
		t.Fatalf("%q %v", b, err)
	}
	st, _ := os.Stat(filepath.Join(a.cfg.CodeDir, "run.sh"))
	if st.Mode().Perm() != 0o755 || st.Mode()&os.ModeSetuid != 0 {
		t.Fatalf("run.sh mode %v", st.Mode())
	}
	st, _ = os.Stat(filepath.Join(a.cfg.CodeDir, "plain.txt"))
	if st.Mode().Perm() != 0o644 {
		t.Fatalf("plain.txt mode %v", st.Mode())
	}
}

func TestDeclaredEntries(t *testing.T) {
	b := buildZip(t, []zipEntry{{name: "a"}, {name: "b"}, {name: "c"}})
	n, err := declaredEntries(bytes.NewReader(b), int64(len(b)))
	if err != nil || n != 3 {
		t.Fatalf("%d %v", n, err)
	}
	if _, err := declaredEntries(bytes.NewReader([]byte("nope")), 4); err == nil {
		t.Fatal("no error for garbage")
	}
}

// assertNothingExtracted: no code directory, no temporary extraction or
// upload left in the workspace.
func assertNothingExtracted(t *testing.T, c Config) {
	t.Helper()
	if _, err := os.Stat(c.CodeDir); !os.IsNotExist(err) {
		t.Fatalf("code directory exists after refusal: %v", err)
	}
	left, _ := os.ReadDir(c.WorkspaceDir)
	for _, e := range left {
		if strings.HasPrefix(e.Name(), ".code-extract") || strings.HasPrefix(e.Name(), ".upload") {
			t.Fatalf("left behind: %s", e.Name())
		}
	}
}
