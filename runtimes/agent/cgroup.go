package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Peak memory sources reported in the result.
const (
	sourceCgroupV2 = "cgroup-v2-memory.peak"
	sourceCgroupV1 = "cgroup-v1-memory.max_usage_in_bytes"
	sourceRusage   = "rusage-maxrss"
)

// memCgroup is the memory cgroup the agent (and therefore the user function,
// which inherits it) lives in. The pod's memory limit applies to it, so its
// peak and OOM-kill counter are what the kubelet sees.
type memCgroup struct {
	version int    // 1 or 2
	dir     string // directory holding the memory.* files
}

// detectMemCgroup returns nil when no usable memory cgroup is found; callers
// then fall back to rusage.
func detectMemCgroup() *memCgroup {
	procCg, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return nil
	}
	mounts, _ := os.ReadFile("/proc/self/mountinfo")
	cg := resolveMemCgroup(string(procCg), string(mounts))
	if cg == nil {
		return nil
	}
	// A path that resolves but lacks the counters is as good as none: for
	// example the host's root cgroup on v2 has no memory.events.
	probe := "memory.events"
	if cg.version == 1 {
		probe = "memory.max_usage_in_bytes"
	}
	if _, err := os.Stat(filepath.Join(cg.dir, probe)); err != nil {
		return nil
	}
	return cg
}

// resolveMemCgroup maps /proc/self/cgroup and /proc/self/mountinfo contents
// to a directory. A v1 memory controller wins over the v2 line because on
// hybrid hosts the unified hierarchy carries no memory controller.
func resolveMemCgroup(procCgroup, mountinfo string) *memCgroup {
	var v1Path, v2Path string
	haveV2 := false
	for _, line := range strings.Split(procCgroup, "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[0] == "0" && parts[1] == "" {
			v2Path, haveV2 = parts[2], true
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			if c == "memory" {
				v1Path = parts[2]
			}
		}
	}
	v1Mount, v1Root, v2Mount, v2Root := parseCgroupMounts(mountinfo)
	if v1Path != "" {
		// In the real root cgroup the counters describe the whole host, not
		// this run. (Kubernetes on v1 shows containers their full path.)
		if v1Path == "/" {
			return nil
		}
		if v1Mount == "" {
			v1Mount, v1Root = "/sys/fs/cgroup/memory", "/"
		}
		return &memCgroup{version: 1, dir: joinCgroupPath(v1Mount, v1Root, v1Path)}
	}
	if haveV2 {
		// "/" is not rejected here: with a cgroup namespace (the default for
		// containers on v2) every container sees itself at "/". The caller's
		// probe for memory.events rejects the host's real root instead.
		if v2Mount == "" {
			v2Mount, v2Root = "/sys/fs/cgroup", "/"
		}
		return &memCgroup{version: 2, dir: joinCgroupPath(v2Mount, v2Root, v2Path)}
	}
	return nil
}

func joinCgroupPath(mount, root, path string) string {
	if root != "/" && root != "" {
		if path == root {
			path = "/"
		} else if strings.HasPrefix(path, root+"/") {
			path = strings.TrimPrefix(path, root)
		}
	}
	return filepath.Join(mount, filepath.FromSlash(path))
}

// parseCgroupMounts finds the v1 memory and the v2 mount points and the
// cgroup path each mount exposes as its root.
func parseCgroupMounts(mountinfo string) (v1Mount, v1Root, v2Mount, v2Root string) {
	for _, line := range strings.Split(mountinfo, "\n") {
		pre, post, ok := strings.Cut(line, " - ")
		if !ok {
			continue
		}
		f := strings.Fields(pre)
		g := strings.Fields(post)
		if len(f) < 5 || len(g) < 1 {
			continue
		}
		root, mountPoint := unescapeMount(f[3]), unescapeMount(f[4])
		switch g[0] {
		case "cgroup2":
			if v2Mount == "" {
				v2Mount, v2Root = mountPoint, root
			}
		case "cgroup":
			if len(g) >= 3 && v1Mount == "" {
				for _, o := range strings.Split(g[2], ",") {
					if o == "memory" {
						v1Mount, v1Root = mountPoint, root
					}
				}
			}
		}
	}
	return
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// oomKills returns the cgroup's OOM-kill counter. OOM is detected from this
// counter rising, never guessed from exit code 137.
func (c *memCgroup) oomKills() (int64, bool) {
	if c == nil {
		return 0, false
	}
	file := "memory.events"
	if c.version == 1 {
		file = "memory.oom_control" // oom_kill line exists since Linux 4.13
	}
	data, err := os.ReadFile(filepath.Join(c.dir, file))
	if err != nil {
		return 0, false
	}
	return parseKeyedCounter(data, "oom_kill")
}

func parseKeyedCounter(data []byte, key string) (int64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if ok && k == key {
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// peakWatch measures the peak from the moment it was started, as far as the
// kernel lets us reset the high-water mark.
type peakWatch struct {
	cg *memCgroup
	fd *os.File // v2: a memory.peak fd that was reset (Linux >= 6.12)
}

// startPeak resets the high-water mark where possible so that the peak is
// the run's and not the agent's start-up or a preceding compile. In a pod the
// cgroup filesystem is usually read-only; then the peak is the cgroup's
// lifetime peak, which for a single-use pod is close to the run's.
func (c *memCgroup) startPeak() *peakWatch {
	w := &peakWatch{cg: c}
	if c == nil {
		return w
	}
	switch c.version {
	case 1:
		_ = os.WriteFile(filepath.Join(c.dir, "memory.max_usage_in_bytes"), []byte("0"), 0)
	case 2:
		// Writing to memory.peak resets it for reads through the same fd.
		if f, err := os.OpenFile(filepath.Join(c.dir, "memory.peak"), os.O_RDWR, 0); err == nil {
			if _, err := f.Write([]byte("reset\n")); err == nil {
				w.fd = f
			} else {
				f.Close()
			}
		}
	}
	return w
}

// read returns the peak in bytes and its source, or ok=false when the cgroup
// file is missing or unreadable.
func (w *peakWatch) read() (int64, string, bool) {
	if w == nil || w.cg == nil {
		return 0, "", false
	}
	var data []byte
	var err error
	var src string
	switch w.cg.version {
	case 1:
		src = sourceCgroupV1
		data, err = os.ReadFile(filepath.Join(w.cg.dir, "memory.max_usage_in_bytes"))
	case 2:
		src = sourceCgroupV2
		if w.fd != nil {
			if _, err = w.fd.Seek(0, io.SeekStart); err == nil {
				data, err = io.ReadAll(w.fd)
			}
		} else {
			data, err = os.ReadFile(filepath.Join(w.cg.dir, "memory.peak"))
		}
	}
	if err != nil {
		return 0, "", false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	if err != nil || n <= 0 {
		return 0, "", false
	}
	return n, src, true
}

func (w *peakWatch) close() {
	if w != nil && w.fd != nil {
		w.fd.Close()
		w.fd = nil
	}
}
