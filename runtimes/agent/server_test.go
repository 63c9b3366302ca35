package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestHealthzNeedsNoToken(t *testing.T) {
	a := newTestAgent(t)
	r, err := doRequest(t, context.Background(), "GET", a.url+"/healthz", "", nil)
	if err != nil || r.status != 200 || string(r.body) != "ok" {
		t.Fatalf("healthz: %v %d %q", err, r.status, r.body)
	}
}

func TestAuthRefusesAndDoesNothing(t *testing.T) {
	a := newTestAgent(t)
	zipBody := makeZip(t, map[string]string{"main.py": "print(1)"})
	for _, token := range []string{"", "wrong", testToken + "x"} {
		r, err := doRequest(t, context.Background(), "PUT", a.url+"/v1/code", token, zipBody)
		if err != nil {
			t.Fatal(err)
		}
		if r.status != 401 || r.json(t)["error"] == nil {
			t.Fatalf("token %q: %d %s", token, r.status, r.body)
		}
		r, _ = doRequest(t, context.Background(), "POST", a.url+"/v1/run", token, []byte(`{"runtime":"python","timeoutMs":1000}`))
		if r.status != 401 {
			t.Fatalf("run with token %q: %d", token, r.status)
		}
	}
	if _, err := os.Stat(a.cfg.CodeDir); !os.IsNotExist(err) {
		t.Fatalf("code was extracted despite 401: %v", err)
	}
	if r := a.do("GET", "/v1/run", nil); r.status != 404 {
		t.Fatalf("a run exists after 401s: %d %s", r.status, r.body)
	}
	// The right token then works: nothing was consumed by the refused calls.
	a.putCode(map[string]string{"main.py": "print(1)"})
}

func TestRequestValidationAndOrdering(t *testing.T) {
	a := newTestAgent(t)
	if r := a.do("GET", "/v1/run?waitMs=10", nil); r.status != 404 {
		t.Fatalf("GET before run: %d", r.status)
	}
	if r := a.do("POST", "/v1/run", []byte(`{"runtime":"python","timeoutMs":1000}`)); r.status != 409 {
		t.Fatalf("run without code: %d %s", r.status, r.body)
	}
	a.putCode(map[string]string{"main.py": "print('hi')"})
	if r := a.do("PUT", "/v1/code", makeZip(t, map[string]string{"x": "y"})); r.status != 409 {
		t.Fatalf("second PUT: %d %s", r.status, r.body)
	}
	r := a.do("POST", "/v1/run", []byte(`{"runtime":"ruby","timeoutMs":1000}`))
	msg, _ := r.json(t)["error"].(string)
	if r.status != 400 || !strings.Contains(msg, "runtime") || !strings.Contains(msg, "python, nodejs, cpp, go") {
		t.Fatalf("unknown runtime: %d %s", r.status, r.body)
	}
	r = a.do("POST", "/v1/run", []byte(`{"runtime":"python","timeoutMs":0}`))
	if msg, _ := r.json(t)["error"].(string); r.status != 400 || !strings.Contains(msg, "timeoutMs") {
		t.Fatalf("timeoutMs 0: %d %s", r.status, r.body)
	}
	if r := a.do("POST", "/v1/run", []byte(`{`)); r.status != 400 {
		t.Fatalf("bad JSON: %d", r.status)
	}
	res := a.run(map[string]interface{}{"runtime": "python", "timeoutMs": 10000})
	if res.Status != "ok" || res.Stdout != "hi\n" {
		t.Fatalf("run: %+v", res)
	}
	if r := a.do("POST", "/v1/run", []byte(`{"runtime":"python","timeoutMs":1000}`)); r.status != 409 {
		t.Fatalf("second run: %d %s", r.status, r.body)
	}
	r = a.do("GET", "/v1/run?waitMs=0", nil)
	if r.status != 200 || decodeResult(t, r.body).Stdout != "hi\n" {
		t.Fatalf("GET after run: %d %s", r.status, r.body)
	}
	if r := a.do("GET", "/v1/run?waitMs=x", nil); r.status != 400 {
		t.Fatalf("bad waitMs: %d", r.status)
	}
	if r := a.do("DELETE", "/v1/run", nil); r.status != 405 {
		t.Fatalf("DELETE: %d", r.status)
	}
}

// Each runtime reads its input from PAYLOAD and from stdin and prints both.
func TestRuntimes(t *testing.T) {
	cases := []struct {
		runtime, tool string
		files         map[string]string
		built         bool
	}{
		{"python", "python3", map[string]string{"main.py": `import os, sys, json
p = json.loads(os.environ["PAYLOAD"])
s = json.loads(sys.stdin.read())
print(json.dumps({"env": p["n"] * 2, "stdin": s["n"] * 3}))
`}, false},
		{"nodejs", "node", map[string]string{"index.js": `const p = JSON.parse(process.env.PAYLOAD);
const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
console.log(JSON.stringify({env: p.n * 2, stdin: s.n * 3}));
`}, false},
		{"cpp", "g++", map[string]string{"main.cpp": `#include <cstdlib>
#include <iostream>
#include <string>
#include <iterator>
static int num(const std::string& s) { return std::atoi(s.c_str() + s.find(':') + 1); }
int main() {
  std::string env = std::getenv("PAYLOAD");
  std::string in((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  std::cout << "{\"env\": " << num(env) * 2 << ", \"stdin\": " << num(in) * 3 << "}" << std::endl;
}
`}, true},
		{"go", "go", map[string]string{"main.go": `package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
)

func main() {
	var p, s struct{ N int }
	json.Unmarshal([]byte(os.Getenv("PAYLOAD")), &p)
	b, _ := io.ReadAll(os.Stdin)
	json.Unmarshal(b, &s)
	fmt.Printf("{\"env\": %d, \"stdin\": %d}\n", p.N*2, s.N*3)
}
`}, true},
	}
	for _, tc := range cases {
		tc := tc
		t.Run(tc.runtime, func(t *testing.T) {
			t.Parallel()
			requireTool(t, tc.tool)
			a := newTestAgent(t)
			a.putCode(tc.files)
			res := a.run(map[string]interface{}{"runtime": tc.runtime, "timeoutMs": 120000, "input": map[string]int{"n": 7}})
			if res.Status != "ok" || res.ExitCode == nil || *res.ExitCode != 0 {
				t.Fatalf("result: %+v", res)
			}
			var got struct{ Env, Stdin int }
			if err := json.Unmarshal([]byte(res.Stdout), &got); err != nil || got.Env != 14 || got.Stdin != 21 {
				t.Fatalf("stdout %q: %v", res.Stdout, err)
			}
			if (res.BuildMs != nil) != tc.built {
				t.Fatalf("buildMs = %v, built = %v", res.BuildMs, tc.built)
			}
			if res.DurationMs == nil || res.CPUMs == nil || res.PeakMemoryBytes == nil || res.PeakMemorySource == nil {
				t.Fatalf("missing measurements: %+v", res)
			}
			if _, err := time.Parse(time.RFC3339Nano, res.StartedAt); err != nil || !strings.HasSuffix(res.FinishedAt, "Z") {
				t.Fatalf("timestamps %q %q", res.StartedAt, res.FinishedAt)
			}
		})
	}
}

// A shipped executable `main` skips the build: there is no source to build,
// so a build attempt would have failed.
func TestShippedBinarySkipsBuild(t *testing.T) {
	for _, rt := range []string{"cpp", "go"} {
		rt := rt
		t.Run(rt, func(t *testing.T) {
			t.Parallel()
			a := newTestAgent(t)
			a.putCode(map[string]string{"main*": "#!/bin/sh\nread line\necho \"shipped $line $JOB_ID\"\n"})
			res := a.run(map[string]interface{}{"runtime": rt, "timeoutMs": 10000, "input": "x", "jobId": "j1"})
			if res.Status != "ok" || res.Stdout != "shipped \"x\" j1\n" || res.BuildMs != nil {
				t.Fatalf("result: %+v", res)
			}
		})
	}
}

func TestBuildFailure(t *testing.T) {
	requireTool(t, "g++")
	a := newTestAgent(t)
	a.putCode(map[string]string{"main.cpp": "int main() { return undefined_thing; }\n"})
	res := a.run(map[string]interface{}{"runtime": "cpp", "timeoutMs": 60000})
	if res.Status != "error" || res.ExitCode == nil || *res.ExitCode == 0 || res.BuildMs == nil {
		t.Fatalf("result: %+v", res)
	}
	if !strings.Contains(res.Stderr, "undefined_thing") || !strings.Contains(res.Message, "build failed") {
		t.Fatalf("stderr %q message %q", res.Stderr, res.Message)
	}
	if res.DurationMs != nil {
		t.Fatalf("durationMs should be null when the function never ran: %v", *res.DurationMs)
	}
}

func TestGoBuildWithoutGoModUsesGenerics(t *testing.T) {
	requireTool(t, "go")
	a := newTestAgent(t)
	a.putCode(map[string]string{"main.go": "package main\n\nimport \"fmt\"\n\nfunc id[T any](v T) T { return v }\n\nfunc main() { fmt.Println(id(\"generic\")) }\n"})
	res := a.run(map[string]interface{}{"runtime": "go", "timeoutMs": 120000})
	if res.Status != "ok" || res.Stdout != "generic\n" {
		t.Fatalf("result: %+v", res)
	}
}

func TestExitCodeAndSignal(t *testing.T) {
	a := newTestAgent(t)
	a.putCode(map[string]string{"main.py": "import sys\nprint('out'); print('err', file=sys.stderr); sys.exit(3)\n"})
	res := a.run(map[string]interface{}{"runtime": "python", "timeoutMs": 10000})
	if res.Status != "error" || res.ExitCode == nil || *res.ExitCode != 3 || res.Signal != nil ||
		res.Stdout != "out\n" || res.Stderr != "err\n" || res.StdoutBytes != 4 || res.StderrBytes != 4 {
		t.Fatalf("result: %+v", res)
	}

	b := newTestAgent(t)
	b.putCode(map[string]string{"main.py": "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n"})
	res = b.run(map[string]interface{}{"runtime": "python", "timeoutMs": 10000})
	if res.Status != "error" || res.ExitCode != nil || res.Signal == nil || *res.Signal != "SIGSEGV" {
		t.Fatalf("result: %+v", res)
	}
}

// The function forks children that ignore SIGTERM; at the deadline the whole
// process group dies and nothing of it survives.
func TestTimeoutKillsWholeGroup(t *testing.T) {
	a := newTestAgent(t)
	marker := fmt.Sprintf("IW_MARKER_%d_%d", os.Getpid(), time.Now().UnixNano())
	a.putCode(map[string]string{"main.py": `import os, signal, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
out = os.environ["OUTPUT_DIR"]
for i in range(3):
    if os.fork() == 0:
        if os.fork() == 0:
            pass  # grandchild
        with open(os.path.join(out, "pid-%d-%d" % (i, os.getpid())), "w") as f:
            f.write("x")
        while True:
            time.sleep(0.05)
with open(os.path.join(out, "pid-main-%d" % os.getpid()), "w") as f:
    f.write("x")
while True:
    time.sleep(0.05)
`})
	start := time.Now()
	res := a.run(map[string]interface{}{"runtime": "python", "timeoutMs": 1500, "env": map[string]string{"MARKER": marker}})
	if res.Status != "timeout" || res.ExitCode != nil || res.Signal == nil || *res.Signal != "SIGKILL" {
		t.Fatalf("result: %+v", res)
	}
	if res.Message != "timed out after 1500 ms" {
		t.Fatalf("message %q", res.Message)
	}
	if el := time.Since(start); el > 30*time.Second {
		t.Fatalf("run took %v", el)
	}
	entries, _ := os.ReadDir(a.cfg.OutputDir)
	var pids []int
	for _, e := range entries {
		f := strings.Split(e.Name(), "-")
		if n, err := strconv.Atoi(f[len(f)-1]); err == nil {
			pids = append(pids, n)
		}
	}
	if len(pids) < 7 {
		t.Fatalf("expected 7 pid files, got %v", entries)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		alive := alivePIDs(pids)
		alive = append(alive, processesWithEnv(marker)...)
		if len(alive) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("processes survived the timeout: %v", alive)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// alivePIDs lists pids that exist and are not zombies.
func alivePIDs(pids []int) []int {
	var alive []int
	for _, p := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p))
		if err != nil {
			continue
		}
		s := string(b)
		if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) && s[i+2] == 'Z' {
			continue
		}
		if syscall.Kill(p, 0) == nil {
			alive = append(alive, p)
		}
	}
	return alive
}

func processesWithEnv(marker string) []int {
	var found []int
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", d.Name(), "environ"))
		if err == nil && bytes.Contains(b, []byte("MARKER="+marker)) {
			found = append(found, alivePIDs([]int{pid})...)
		}
	}
	return found
}

func TestLargeInputGoesThroughPayloadFile(t *testing.T) {
	a := newTestAgent(t)
	a.putCode(map[string]string{"main.py": `import os, sys, json
stdin = sys.stdin.read()
pf = os.environ.get("PAYLOAD_FILE")
data = json.load(open(pf))
print(json.dumps({"hasPayload": "PAYLOAD" in os.environ, "file": pf, "len": len(data["blob"]), "stdinLen": len(stdin)}))
`})
	blob := strings.Repeat("a", 150*1024)
	res := a.run(map[string]interface{}{"runtime": "python", "timeoutMs": 10000, "input": map[string]string{"blob": blob}})
	var got struct {
		HasPayload bool
		File       string
		Len        int
		StdinLen   int
	}
	if err := json.Unmarshal([]byte(res.Stdout), &got); err != nil {
		t.Fatalf("%v: %+v", err, res)
	}
	if got.HasPayload || got.Len != len(blob) || !strings.HasPrefix(got.File, a.cfg.WorkspaceDir+"/") || got.StdinLen != len(blob)+len(`{"blob":""}`) {
		t.Fatalf("got %+v", got)
	}
}

// A function that never reads stdin must not block on a large input.
func TestUnreadStdinDoesNotBlock(t *testing.T) {
	a := newTestAgent(t)
	a.putCode(map[string]string{"main.py": "print('done')\n"})
	res := a.run(map[string]interface{}{"runtime": "python", "timeoutMs": 20000, "input": strings.Repeat("z", 2<<20)})
	if res.Status != "ok" || res.Stdout != "done\n" {
		t.Fatalf("result: %+v", res)
	}
}

func TestReservedEnvAndNoAgentToken(t *testing.T) {
	a := newTestAgent(t)
	a.putCode(map[string]string{"main.py": "import os, json\nprint(json.dumps(dict(os.environ)))\n"})
	res := a.run(map[string]interface{}{
		"runtime": "python", "timeoutMs": 10000, "jobId": "job-1", "functionId": "fn-1",
		"memoryMb": 256, "modelId": "llama3", "input": map[string]int{"a": 1},
		"env": map[string]string{
			"JOB_ID": "evil", "PAYLOAD": "evil", "OUTPUT_DIR": "/evil", "PATH": "/evil",
			"HOME": "/evil", "PYTHONPATH": "/evil", "AGENT_TOKEN": "evil", "LLM_MODEL": "evil",
			"AI_ENDPOINT": "evil", "MEMORY_MB": "1", "FUNCTION_ID": "evil", "CUSTOM": "yes",
		},
	})
	var env map[string]string
	if err := json.Unmarshal([]byte(res.Stdout), &env); err != nil {
		t.Fatalf("%v: %+v", err, res)
	}
	want := map[string]string{
		"JOB_ID": "job-1", "FUNCTION_ID": "fn-1", "MEMORY_MB": "256", "LLM_MODEL": "llama3",
		"PAYLOAD": `{"a":1}`, "OUTPUT_DIR": a.cfg.OutputDir, "AI_ENDPOINT": "http://127.0.0.1:1",
		"HOME": filepath.Join(a.cfg.WorkspaceDir, "home"), "CUSTOM": "yes", "PATH": childPATH(t),
		"PYTHONPATH": filepath.Join(a.cfg.SDKDir, "python"), "NODE_PATH": filepath.Join(a.cfg.SDKDir, "nodejs"),
	}
	for k, v := range want {
		if env[k] != v {
			t.Errorf("%s = %q, want %q", k, env[k], v)
		}
	}
	for k := range env {
		if strings.HasPrefix(k, "AGENT_") {
			t.Errorf("user code sees %s", k)
		}
	}
	if _, ok := env["PAYLOAD_FILE"]; ok {
		t.Error("PAYLOAD_FILE set for a small input")
	}
}

// The operator's connection drops mid-run; the run goes on and GET /v1/run
// returns the full result.
func TestReattachAfterDisconnect(t *testing.T) {
	a := newTestAgent(t)
	a.putCode(map[string]string{"main.py": "import time\ntime.sleep(1.5)\nprint('finished')\n"})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := doRequest(t, ctx, "POST", a.url+"/v1/run", testToken, []byte(`{"runtime":"python","timeoutMs":30000}`))
	if err == nil {
		t.Fatal("expected the client to give up")
	}
	r := a.do("GET", "/v1/run?waitMs=50", nil)
	if r.status != 202 || r.json(t)["state"] != "running" {
		t.Fatalf("GET while running: %d %s", r.status, r.body)
	}
	r = a.do("GET", "/v1/run?waitMs=20000", nil)
	if r.status != 200 {
		t.Fatalf("GET: %d %s", r.status, r.body)
	}
	if res := decodeResult(t, r.body); res.Status != "ok" || res.Stdout != "finished\n" {
		t.Fatalf("result: %+v", res)
	}
}

func TestOutputsArchive(t *testing.T) {
	a := newTestAgent(t, func(c *Config) { c.MaxOutputsBytes = 1000 })
	a.putCode(map[string]string{"main.py": `import os
out = os.environ["OUTPUT_DIR"]
os.makedirs(os.path.join(out, "sub"))
open(os.path.join(out, "a.txt"), "w").write("hello")
open(os.path.join(out, "sub", "b.txt"), "w").write("world")
open(os.path.join(out, "z-big.bin"), "wb").write(b"x" * 2000)
os.symlink("/etc/passwd", os.path.join(out, "passwd"))
os.symlink("/etc", os.path.join(out, "etcdir"))
os.mkfifo(os.path.join(out, "fifo"))
`})
	res := a.run(map[string]interface{}{"runtime": "python", "timeoutMs": 10000})
	if res.Status != "ok" {
		t.Fatalf("result: %+v", res)
	}
	wantFiles := []outputFile{{"a.txt", 5}, {"sub/b.txt", 5}}
	if fmt.Sprint(res.Outputs) != fmt.Sprint(wantFiles) {
		t.Fatalf("outputs %+v", res.Outputs)
	}
	reasons := map[string]string{}
	for _, s := range res.SkippedOutputs {
		reasons[s.Path] = s.Reason
	}
	for _, p := range []string{"passwd", "etcdir", "fifo", "z-big.bin"} {
		if reasons[p] == "" {
			t.Errorf("%s not listed as skipped: %+v", p, res.SkippedOutputs)
		}
	}

	r := a.do("GET", "/v1/outputs", nil)
	if r.status != 200 {
		t.Fatalf("outputs: %d %s", r.status, r.body)
	}
	zr, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		got[f.Name] = string(b)
	}
	if len(got) != 2 || got["a.txt"] != "hello" || got["sub/b.txt"] != "world" {
		t.Fatalf("archive holds %v", got)
	}
	var comment struct {
		Skipped   []skippedOutput
		Truncated bool
	}
	if err := json.Unmarshal([]byte(zr.Comment), &comment); err != nil {
		t.Fatalf("comment %q: %v", zr.Comment, err)
	}
	if !comment.Truncated || len(comment.Skipped) != 4 {
		t.Fatalf("comment %+v", comment)
	}
	if strings.Contains(string(r.body), "root:") {
		t.Fatal("/etc/passwd content leaked into the archive")
	}
}

func TestOutputsBeforeRunIsEmptyArchive(t *testing.T) {
	a := newTestAgent(t)
	r := a.do("GET", "/v1/outputs", nil)
	zr, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body)))
	if r.status != 200 || err != nil || len(zr.File) != 0 {
		t.Fatalf("%d %v", r.status, err)
	}
}

// User code finds the SDK through PYTHONPATH / NODE_PATH set by the agent.
func TestSDKIsImportable(t *testing.T) {
	sdk, err := filepath.Abs("../sdk")
	if err != nil || !isDir(filepath.Join(sdk, "python", "infraworker")) {
		t.Skipf("SDK sources not found at %s", sdk)
	}
	cases := map[string]map[string]string{
		"python": {"main.py": "import infraworker\nd = infraworker.get_input()\nc = infraworker.get_context()\ninfraworker.return_output({'n': d['n'] + 1, 'job': c['jobId'], 'mem': c['memoryMb']})\n"},
		"nodejs": {"index.js": "const iw = require('infraworker');\nconst d = iw.getInput(), c = iw.getContext();\niw.returnOutput({n: d.n + 1, job: c.jobId, mem: c.memoryMb});\n"},
	}
	for rt, files := range cases {
		rt, files := rt, files
		t.Run(rt, func(t *testing.T) {
			t.Parallel()
			a := newTestAgent(t, func(c *Config) { c.SDKDir = sdk })
			a.putCode(files)
			res := a.run(map[string]interface{}{"runtime": rt, "timeoutMs": 20000, "input": map[string]int{"n": 41}, "jobId": "j9", "memoryMb": 128})
			if res.Status != "ok" || res.Stdout != `{"n":42,"job":"j9","mem":128}`+"\n" {
				t.Fatalf("result: %+v", res)
			}
		})
	}
}
