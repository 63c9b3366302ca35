package main

import (
	"archive/zip"
	"compress/flate"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

type outputFile struct {
	Path string `json:"path"`
	Size int64  `json:"size"`
}

type skippedOutput struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

type outputScan struct {
	Files     []outputFile
	Skipped   []skippedOutput
	Truncated bool
}

// Bounds on what the listing itself may cost: a function that creates a
// million empty files must not turn the result JSON into a million lines.
const (
	maxOutputFiles   = 10000
	maxSkippedListed = 1000
)

// scanOutputs lists the regular files under dir without following symlinks
// (WalkDir uses Lstat), keeping files in lexical order until maxBytes.
func scanOutputs(dir string, maxBytes int64) outputScan {
	s := outputScan{Files: []outputFile{}, Skipped: []skippedOutput{}}
	omitted := 0
	skip := func(rel, reason string) {
		if len(s.Skipped) < maxSkippedListed {
			s.Skipped = append(s.Skipped, skippedOutput{Path: rel, Reason: reason})
		} else {
			omitted++
			s.Truncated = true
		}
	}
	st, err := os.Lstat(dir)
	if err != nil {
		return s // no output directory: no outputs
	}
	if !st.IsDir() {
		skip(".", "OUTPUT_DIR is not a directory ("+typeName(st.Mode())+")")
		return s
	}
	var total int64
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if err != nil {
			skip(rel, "unreadable: "+err.Error())
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p == dir {
			return nil
		}
		switch t := d.Type(); {
		case t.IsDir():
			return nil
		case t&fs.ModeSymlink != 0:
			skip(rel, "symlink (not followed)")
			return nil
		case !t.IsRegular():
			skip(rel, "special file ("+typeName(t)+")")
			return nil
		}
		info, err := d.Info()
		if err != nil {
			skip(rel, "unreadable: "+err.Error())
			return nil
		}
		if len(s.Files) >= maxOutputFiles {
			skip(rel, fmt.Sprintf("too many files (max %d)", maxOutputFiles))
			s.Truncated = true
			return nil
		}
		if total+info.Size() > maxBytes {
			skip(rel, fmt.Sprintf("size %d would exceed MAX_OUTPUTS_BYTES (%d bytes in total)", info.Size(), maxBytes))
			s.Truncated = true
			return nil
		}
		total += info.Size()
		s.Files = append(s.Files, outputFile{Path: rel, Size: info.Size()})
		return nil
	})
	if omitted > 0 {
		s.Skipped = append(s.Skipped, skippedOutput{Path: "", Reason: fmt.Sprintf("%d more skipped entries not listed", omitted)})
	}
	return s
}

func typeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "symlink"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	case m.IsDir():
		return "directory"
	}
	return "irregular file"
}

// writeOutputsZip streams the scanned files as a zip into w, entry by entry,
// so the agent never holds the archive in memory. The archive comment carries
// the skipped list as JSON.
func writeOutputsZip(w io.Writer, dir string, s outputScan) error {
	zw := zip.NewWriter(w)
	// Outputs are often already compressed (images, archives); the fastest
	// level keeps CPU, charged to the user's pod, low.
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	skipped := append([]skippedOutput{}, s.Skipped...)
	for _, of := range s.Files {
		reason, err := addOutputFile(zw, dir, of)
		if err != nil {
			return err
		}
		if reason != "" {
			skipped = append(skipped, skippedOutput{Path: of.Path, Reason: reason})
		}
	}
	if err := zw.SetComment(outputsComment(skipped, s.Truncated)); err != nil {
		return err
	}
	return zw.Close()
}

// addOutputFile returns a skip reason when the file changed into something
// else since the scan; O_NOFOLLOW guards against a late symlink swap.
func addOutputFile(zw *zip.Writer, dir string, of outputFile) (string, error) {
	p := filepath.Join(dir, filepath.FromSlash(of.Path))
	f, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if err != nil {
		return "unreadable: " + err.Error(), nil
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return "no longer a regular file", nil
	}
	hdr := &zip.FileHeader{Name: of.Path, Method: zip.Deflate, Modified: st.ModTime()}
	hdr.SetMode(0o644)
	ew, err := zw.CreateHeader(hdr)
	if err != nil {
		return "", err
	}
	// Copy no more than the scanned size so the MAX_OUTPUTS_BYTES total
	// holds even if a file grew after the scan.
	if _, err := io.CopyN(ew, f, of.Size); err != nil && err != io.EOF {
		return "", err
	}
	return "", nil
}

// outputsComment encodes the skipped list, dropping entries from the end when
// the JSON would not fit the 65535-byte zip comment.
func outputsComment(skipped []skippedOutput, truncated bool) string {
	type comment struct {
		Skipped   []skippedOutput `json:"skipped"`
		Truncated bool            `json:"truncated"`
	}
	if skipped == nil {
		skipped = []skippedOutput{}
	}
	for {
		b, _ := json.Marshal(comment{Skipped: skipped, Truncated: truncated})
		if len(b) <= 65535 || len(skipped) == 0 {
			return string(b)
		}
		skipped = skipped[:len(skipped)*3/4]
		truncated = true
	}
}
