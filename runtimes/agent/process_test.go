package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"
)

// 50 MiB of multi-byte output: the result keeps maxOutputBytes, counts all
// of it, cuts on a rune boundary, and the agent's own memory stays small.
func TestFloodedOutputIsCappedAndAgentStaysSmall(t *testing.T) {
	a := startAgentProcess(t, nil)
	a.putCode(map[string]string{"main.py": `import sys
chunk = ("€" * 349525).encode()  # 1048575 bytes
for _ in range(50):
    sys.stdout.buffer.write(chunk)
sys.stderr.write("é" * 1000)
`})
	res := a.run(map[string]interface{}{"runtime": "python", "timeoutMs": 60000, "maxOutputBytes": 1 << 20})
	if res.Status != "ok" {
		t.Fatalf("result: %+v", res.Message)
	}
	if res.StdoutBytes != 50*1048575 || res.StderrBytes != 2000 || !res.Truncated {
		t.Fatalf("stdoutBytes %d stderrBytes %d truncated %v", res.StdoutBytes, res.StderrBytes, res.Truncated)
	}
	if len(res.Stdout) > 1<<20 || len(res.Stdout) < 1<<20-3 || !utf8.ValidString(res.Stdout) || strings.Trim(res.Stdout, "€") != "" {
		t.Fatalf("stdout: %d bytes, valid %v", len(res.Stdout), utf8.ValidString(res.Stdout))
	}
	hwm := procStatusKiB(t, a.pid, "VmHWM")
	t.Logf("agent VmHWM after 50 MiB of output: %d KiB", hwm)
	if hwm > 40*1024 {
		t.Fatalf("agent peak RSS %d KiB >= 40 MiB", hwm)
	}
}

// A child left in the background keeps stdout open after the function
// exits; the agent kills the group and returns promptly. One that escaped
// the group (setsid) is cut off after the drain timeout.
func TestOrphansHoldingPipesDoNotHangTheRun(t *testing.T) {
	a := newTestAgent(t)
	a.putCode(map[string]string{"main.py": `import os, subprocess
out = os.environ["OUTPUT_DIR"]
p = subprocess.Popen(["sleep", "60"])
q = subprocess.Popen(["setsid", "sleep", "61"])
open(os.path.join(out, "pids"), "w").write("%d %d" % (p.pid, q.pid))
print("bye")
`})
	start := time.Now()
	res := a.run(map[string]interface{}{"runtime": "python", "timeoutMs": 30000})
	elapsed := time.Since(start)
	b, _ := os.ReadFile(filepath.Join(a.cfg.OutputDir, "pids"))
	var pids []int
	for _, f := range strings.Fields(string(b)) {
		n, _ := strconv.Atoi(f)
		pids = append(pids, n)
	}
	t.Cleanup(func() {
		for _, p := range pids {
			syscall.Kill(p, syscall.SIGKILL)
		}
	})
	if res.Status != "ok" || res.Stdout != "bye\n" || len(pids) != 2 {
		t.Fatalf("result: %+v", res)
	}
	if elapsed > 20*time.Second {
		t.Fatalf("run hung for %v", elapsed)
	}
	waitGone(t, pids[:1])
}

func waitGone(t *testing.T, pids []int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(alivePIDs(pids)) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("still alive: %v", alivePIDs(pids))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestInstallCopiesBinary(t *testing.T) {
	bin := agentBinary(t)
	dir := filepath.Join(t.TempDir(), "shared")
	out, err := execOutput(bin, "install", dir)
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	st, err := os.Stat(filepath.Join(dir, "agent"))
	if err != nil || st.Mode().Perm() != 0o755 {
		t.Fatalf("%v %v", st, err)
	}
	v, err := execOutput(filepath.Join(dir, "agent"), "version")
	if err != nil || !strings.HasPrefix(v, "infraworker-agent ") {
		t.Fatalf("version: %q %v", v, err)
	}
}

func TestRefusesToStartWithoutToken(t *testing.T) {
	bin := agentBinary(t)
	out, err := execOutputEnv([]string{"AGENT_LISTEN=127.0.0.1:0"}, bin)
	if err == nil || !strings.Contains(out, "AGENT_TOKEN") {
		t.Fatalf("err %v out %q", err, out)
	}
}
