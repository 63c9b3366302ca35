package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

var cgroupSeq atomic.Int64

// testCgroup creates a fresh memory cgroup with a limit, or skips the test
// with the reason. Cleanup removes it (after the agent in it was killed:
// cleanups run last-registered first, and the agent is started later).
func testCgroup(t *testing.T, limitBytes int64) (dir string, version int) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("cgroup tests need root to create cgroups")
	}
	name := fmt.Sprintf("iw-agent-test-%d-%d", os.Getpid(), cgroupSeq.Add(1))
	limit := strconv.FormatInt(limitBytes, 10)
	switch {
	case isDir("/sys/fs/cgroup/memory"):
		dir, version = filepath.Join("/sys/fs/cgroup/memory", name), 1
	case fileContains("/sys/fs/cgroup/cgroup.subtree_control", "memory"):
		dir, version = filepath.Join("/sys/fs/cgroup", name), 2
	default:
		t.Skip("no writable memory cgroup controller (v1 /sys/fs/cgroup/memory or v2 with memory in subtree_control)")
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Skipf("cannot create a memory cgroup: %v", err)
	}
	t.Cleanup(func() {
		// Processes can take a moment to leave after being killed.
		deadline := time.Now().Add(10 * time.Second)
		for {
			err := os.Remove(dir)
			if err == nil || os.IsNotExist(err) {
				return
			}
			if time.Now().After(deadline) {
				t.Errorf("removing cgroup %s: %v", dir, err)
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	limitFile := "memory.max"
	if version == 1 {
		limitFile = "memory.limit_in_bytes"
	}
	if err := os.WriteFile(filepath.Join(dir, limitFile), []byte(limit), 0); err != nil {
		t.Fatalf("setting %s: %v", limitFile, err)
	}
	// Without swap limits the kernel could swap instead of OOM-killing.
	if version == 1 {
		_ = os.WriteFile(filepath.Join(dir, "memory.memsw.limit_in_bytes"), []byte(limit), 0)
	} else {
		_ = os.WriteFile(filepath.Join(dir, "memory.swap.max"), []byte("0"), 0)
	}
	return dir, version
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func fileContains(p, s string) bool {
	b, err := os.ReadFile(p)
	return err == nil && strings.Contains(string(b), s)
}

// agentInCgroup starts the agent binary inside dir: a shell joins the cgroup
// and execs the agent, which keeps the pid.
func agentInCgroup(t *testing.T, dir string) *agentProc {
	return startAgentProcess(t, func(agent string) []string {
		return []string{"/bin/sh", "-c", `echo $$ > "$1/cgroup.procs" && exec "$0"`, agent, dir}
	})
}

func TestCgroupOOMIsDetected(t *testing.T) {
	dir, _ := testCgroup(t, 96<<20)
	a := agentInCgroup(t, dir)
	a.putCode(map[string]string{"main.py": `b = bytearray(400 * 1024 * 1024)
print("survived")
`})
	res := a.run(map[string]interface{}{"runtime": "python", "timeoutMs": 60000, "memoryMb": 96})
	if res.Status != "oom" || !res.OOMKilled {
		t.Fatalf("status %q oomKilled %v message %q signal %v", res.Status, res.OOMKilled, res.Message, res.Signal)
	}
	if !strings.Contains(res.Message, "96 MiB") {
		t.Errorf("message %q", res.Message)
	}
}

// peakOf runs code in a fresh agent in a fresh cgroup and returns the peak.
func peakOf(t *testing.T, code string) (int64, string) {
	dir, version := testCgroup(t, 1<<30)
	a := agentInCgroup(t, dir)
	a.putCode(map[string]string{"main.py": code})
	res := a.run(map[string]interface{}{"runtime": "python", "timeoutMs": 60000})
	if res.Status != "ok" || res.PeakMemoryBytes == nil || res.PeakMemorySource == nil {
		t.Fatalf("result: %+v", res)
	}
	want := sourceCgroupV1
	if version == 2 {
		want = sourceCgroupV2
	}
	if *res.PeakMemorySource != want {
		t.Fatalf("source %q, want %q", *res.PeakMemorySource, want)
	}
	return *res.PeakMemoryBytes, *res.PeakMemorySource
}

// The peak of a function that touches 100 MiB is at least 100 MiB and at
// most 100 MiB + 10 % plus the baseline: the peak of an empty run of the same
// interpreter in the same setup (agent + python start-up).
func TestCgroupPeakMemory(t *testing.T) {
	const alloc = 100 << 20
	baseline, _ := peakOf(t, "pass\n")
	peak, src := peakOf(t, `b = bytearray(100 * 1024 * 1024)
for i in range(0, len(b), 4096):
    b[i] = 1
`)
	t.Logf("baseline %.1f MiB, peak %.1f MiB (%s)", float64(baseline)/mib, float64(peak)/mib, src)
	if peak < alloc || float64(peak) > alloc*1.1+float64(baseline) {
		t.Fatalf("peak %d outside [%d, %.0f]", peak, alloc, alloc*1.1+float64(baseline))
	}
}
