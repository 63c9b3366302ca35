package main

import (
	"archive/zip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// refusal is a problem with the uploaded archive itself (HTTP 400), as
// opposed to a failure of the agent (HTTP 500).
type refusal struct{ msg string }

func (r *refusal) Error() string { return r.msg }

func refuse(format string, args ...interface{}) error {
	return &refusal{msg: fmt.Sprintf(format, args...)}
}

type zipLimits struct {
	maxEntries int
	maxBytes   int64 // uncompressed bytes actually written, all entries
	maxRatio   int64
	// ratioFloor exempts small entries from the ratio rule: a 10 KiB file of
	// spaces compresses 300:1 yet cannot hurt anyone, while the total-bytes
	// cap still bounds everything.
	ratioFloor int64
}

func defaultZipLimits(c Config) zipLimits {
	return zipLimits{maxEntries: c.MaxCodeEntries, maxBytes: c.MaxCodeBytes, maxRatio: 100, ratioFloor: 1 * mib}
}

// extractZip unpacks zipPath into dest, which must not exist yet. It extracts
// into a temporary directory beside dest and renames it at the end, so a
// refused archive leaves nothing behind.
func extractZip(zipPath, dest string, lim zipLimits) (entries int, written int64, err error) {
	f, err := os.Open(zipPath)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	// archive/zip materialises the whole central directory; check the
	// declared entry count first so a million-entry archive costs nothing.
	if n, err := declaredEntries(f, st.Size()); err != nil {
		return 0, 0, refuse("not a valid zip archive: %v", err)
	} else if n > uint64(lim.maxEntries) {
		return 0, 0, refuse("too many entries: %d (max %d)", n, lim.maxEntries)
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return 0, 0, refuse("not a valid zip archive: %v", err)
	}
	if len(zr.File) > lim.maxEntries {
		return 0, 0, refuse("too many entries: %d (max %d)", len(zr.File), lim.maxEntries)
	}
	// Validate every name and type before writing a single byte.
	for _, zf := range zr.File {
		if err := checkEntry(zf, lim); err != nil {
			return 0, 0, err
		}
	}

	tmp, err := os.MkdirTemp(filepath.Dir(dest), ".code-extract-*")
	if err != nil {
		return 0, 0, err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	var total int64
	for _, zf := range zr.File {
		if err = extractEntry(zf, tmp, lim, &total); err != nil {
			return 0, 0, err
		}
	}
	if err = os.Chmod(tmp, 0o755); err != nil {
		return 0, 0, err
	}
	if err = os.Rename(tmp, dest); err != nil {
		return 0, 0, err
	}
	return len(zr.File), total, nil
}

// checkEntry refuses names that could land outside the target and any entry
// that is not a plain file or directory.
func checkEntry(zf *zip.File, lim zipLimits) error {
	name := zf.Name
	switch {
	case name == "":
		return refuse("entry with an empty name")
	case strings.ContainsRune(name, 0):
		return refuse("entry %q: NUL byte in name", name)
	case strings.Contains(name, `\`):
		// Backslashes are legal file name bytes on Linux, but a zip made
		// on Windows may mean them as separators ("..\..\x"): refuse.
		return refuse("entry %q: backslash in path", name)
	case strings.HasPrefix(name, "/"):
		return refuse("entry %q: absolute path", name)
	}
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return refuse("entry %q: path contains '..'", name)
		}
	}
	// The Unix mode sits in the upper 16 bits of the external attributes;
	// zip.File.Mode only looks there for Unix-made archives, so check the raw
	// bits too rather than trusting the "made by" field.
	const sIFMT, sIFLNK, sIFREG, sIFDIR = 0o170000, 0o120000, 0o100000, 0o040000
	unixType := (zf.ExternalAttrs >> 16) & sIFMT
	mode := zf.Mode()
	if unixType == sIFLNK || mode&os.ModeSymlink != 0 {
		return refuse("entry %q: symbolic links are not allowed", name)
	}
	if (unixType != 0 && unixType != sIFREG && unixType != sIFDIR) || mode&(os.ModeType&^os.ModeDir) != 0 {
		return refuse("entry %q: special files are not allowed", name)
	}
	if !zf.FileInfo().IsDir() {
		if zf.UncompressedSize64 > uint64(lim.maxBytes) {
			return refuse("entry %q: %d bytes uncompressed exceeds the %d byte limit", name, zf.UncompressedSize64, lim.maxBytes)
		}
		if zf.UncompressedSize64 > uint64(lim.ratioFloor) &&
			zf.UncompressedSize64 > zf.CompressedSize64*uint64(lim.maxRatio) {
			return refuse("entry %q: compression ratio over %d (%d -> %d bytes)", name, lim.maxRatio, zf.CompressedSize64, zf.UncompressedSize64)
		}
	}
	return nil
}

func extractEntry(zf *zip.File, root string, lim zipLimits, total *int64) error {
	clean := path.Clean(zf.Name)
	if clean == "." {
		return nil
	}
	target := filepath.Join(root, filepath.FromSlash(clean))
	if zf.FileInfo().IsDir() {
		return os.MkdirAll(target, 0o755)
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return refuse("entry %q: %v", zf.Name, err)
	}
	// Only the executable bit is kept (a shipped `main` must run); setuid,
	// group and world-write bits from the archive are not honoured.
	perm := os.FileMode(0o644)
	if zf.Mode().Perm()&0o111 != 0 {
		perm = 0o755
	}
	// O_EXCL: a duplicate name must not silently replace an earlier entry.
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return refuse("entry %q: duplicate entry", zf.Name)
		}
		return refuse("entry %q: %v", zf.Name, err)
	}
	defer out.Close()
	rc, err := zf.Open()
	if err != nil {
		return refuse("entry %q: %v", zf.Name, err)
	}
	defer rc.Close()
	w := &guardedWriter{w: out, name: zf.Name, compressed: int64(zf.CompressedSize64), lim: lim, total: total}
	if _, err := io.Copy(w, rc); err != nil {
		var r *refusal
		if errors.As(err, &r) {
			return err
		}
		return refuse("entry %q: corrupt or unreadable: %v", zf.Name, err)
	}
	return out.Close()
}

// guardedWriter enforces the byte and ratio limits on the bytes actually
// produced, since header sizes are claims an attacker controls.
type guardedWriter struct {
	w          io.Writer
	name       string
	compressed int64
	written    int64
	lim        zipLimits
	total      *int64
}

func (g *guardedWriter) Write(p []byte) (int, error) {
	n := int64(len(p))
	if *g.total+n > g.lim.maxBytes {
		return 0, refuse("entry %q: archive expands past the %d byte limit", g.name, g.lim.maxBytes)
	}
	if g.written+n > g.lim.ratioFloor && g.written+n > g.compressed*g.lim.maxRatio {
		return 0, refuse("entry %q: compression ratio over %d", g.name, g.lim.maxRatio)
	}
	m, err := g.w.Write(p)
	g.written += int64(m)
	*g.total += int64(m)
	return m, err
}

// declaredEntries reads the entry count from the end-of-central-directory
// record (or its zip64 variant) without parsing the directory.
func declaredEntries(r io.ReaderAt, size int64) (uint64, error) {
	const eocdLen, maxComment = 22, 65535
	tail := int64(eocdLen + maxComment)
	if tail > size {
		tail = size
	}
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return 0, err
	}
	for i := len(buf) - eocdLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(buf[i:]) != 0x06054b50 {
			continue
		}
		n := uint64(binary.LittleEndian.Uint16(buf[i+10:]))
		if n != 0xffff {
			return n, nil
		}
		// zip64: the locator sits just before the EOCD record.
		locAt := size - tail + int64(i) - 20
		if locAt < 0 {
			return 0, errors.New("zip64 locator missing")
		}
		loc := make([]byte, 20)
		if _, err := r.ReadAt(loc, locAt); err != nil || binary.LittleEndian.Uint32(loc) != 0x07064b50 {
			return 0, errors.New("zip64 locator missing")
		}
		recAt := int64(binary.LittleEndian.Uint64(loc[8:]))
		rec := make([]byte, 56)
		if recAt < 0 || recAt+56 > size {
			return 0, errors.New("zip64 record out of range")
		}
		if _, err := r.ReadAt(rec, recAt); err != nil || binary.LittleEndian.Uint32(rec) != 0x06064b50 {
			return 0, errors.New("zip64 record missing")
		}
		return binary.LittleEndian.Uint64(rec[32:]), nil
	}
	return 0, errors.New("end of central directory not found")
}
