package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const testToken = "test-token-0123456789"

var (
	pathOnce sync.Once
	testPATH string
)

// childPATH puts the real python3 first: the pyenv shim on PATH costs ~75 ms
// per start and would dominate every run.
func childPATH(t testing.TB) string {
	pathOnce.Do(func() {
		testPATH = os.Getenv("PATH")
		out, err := exec.Command("python3", "-c", "import sys; print(sys.executable)").Output()
		if err == nil {
			if exe := strings.TrimSpace(string(out)); exe != "" {
				testPATH = filepath.Dir(exe) + string(os.PathListSeparator) + testPATH
			}
		}
	})
	return testPATH
}

func requireTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("%s not on PATH: %v", name, err)
	}
}

// testConfig builds a Config the way the binary does, from an environment
// that also carries AGENT_* variables (which user code must not see).
func testConfig(t testing.TB) Config {
	ws := t.TempDir()
	env := map[string]string{
		"AGENT_TOKEN":   testToken,
		"AGENT_LISTEN":  "127.0.0.1:0",
		"WORKSPACE_DIR": ws,
		"SDK_DIR":       filepath.Join(ws, "sdk"),
		"AI_ENDPOINT":   "http://127.0.0.1:1",
	}
	environ := []string{"PATH=" + childPATH(t), "AGENT_TOKEN=" + testToken, "AGENT_EXTRA=secret", "LANG=C.UTF-8"}
	cfg, err := loadConfig(func(k string) string { return env[k] }, environ)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

type testAgent struct {
	t   testing.TB
	cfg Config
	srv *server
	url string
}

func newTestAgent(t testing.TB, mutate ...func(*Config)) *testAgent {
	cfg := testConfig(t)
	for _, m := range mutate {
		m(&cfg)
	}
	s := newServer(cfg, io.Discard)
	hs := httptest.NewServer(s.handler())
	t.Cleanup(hs.Close)
	return &testAgent{t: t, cfg: cfg, srv: s, url: hs.URL}
}

type response struct {
	status int
	body   []byte
}

func (r response) json(t testing.TB) map[string]interface{} {
	t.Helper()
	var m map[string]interface{}
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response %d is not JSON: %v: %s", r.status, err, r.body)
	}
	return m
}

func doRequest(t testing.TB, ctx context.Context, method, url, token string, body []byte) (response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, body: b}, err
}

func (a *testAgent) do(method, path string, body []byte) response {
	a.t.Helper()
	r, err := doRequest(a.t, context.Background(), method, a.url+path, testToken, body)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

func (a *testAgent) putCode(files map[string]string) {
	a.t.Helper()
	r := a.do("PUT", "/v1/code", makeZip(a.t, files))
	if r.status != 200 {
		a.t.Fatalf("PUT /v1/code: %d %s", r.status, r.body)
	}
}

// run posts a run request and decodes the result.
func (a *testAgent) run(req map[string]interface{}) Result {
	a.t.Helper()
	b, _ := json.Marshal(req)
	r := a.do("POST", "/v1/run", b)
	if r.status != 200 {
		a.t.Fatalf("POST /v1/run: %d %s", r.status, r.body)
	}
	return decodeResult(a.t, r.body)
}

func decodeResult(t testing.TB, b []byte) Result {
	t.Helper()
	var res Result
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("result: %v: %s", err, b)
	}
	return res
}

// makeZip builds an archive; a name ending in "*" is stored executable.
func makeZip(t testing.TB, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range files {
		mode := os.FileMode(0o644)
		if strings.HasSuffix(name, "*") {
			name, mode = strings.TrimSuffix(name, "*"), 0o755
		}
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(mode)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, content)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// agentBinary builds the real static binary once: subprocess tests need
// their own process (RSS, cgroup membership) and must measure the product.
func agentBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "agent-test-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "agent")
		cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", binPath, ".")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

type agentProc struct {
	*testAgent
	cmd *exec.Cmd
	pid int
}

// startAgentProcess runs the built binary. wrap, when set, turns the agent
// command line into another one (e.g. a shell that joins a cgroup first and
// then execs the agent, keeping the pid).
func startAgentProcess(t testing.TB, wrap func(agent string) []string) *agentProc {
	t.Helper()
	bin := agentBinary(t)
	ws := t.TempDir()
	argv := []string{bin}
	if wrap != nil {
		argv = wrap(bin)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = []string{
		"PATH=" + childPATH(t), "LANG=C.UTF-8",
		"AGENT_TOKEN=" + testToken, "AGENT_LISTEN=127.0.0.1:0", "WORKSPACE_DIR=" + ws,
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	// The first log line says where it listens.
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			var m map[string]interface{}
			if json.Unmarshal(sc.Bytes(), &m) == nil && m["event"] == "listening" {
				select {
				case addr <- m["addr"].(string):
				default:
				}
			}
		}
	}()
	var url string
	select {
	case a := <-addr:
		url = "http://" + a
	case <-time.After(20 * time.Second):
		t.Fatal("agent did not start listening")
	}
	cfg := Config{WorkspaceDir: ws, CodeDir: filepath.Join(ws, "code"), OutputDir: filepath.Join(ws, "output")}
	ta := &testAgent{t: t, cfg: cfg, url: url}
	if r := ta.do("GET", "/healthz", nil); r.status != 200 {
		t.Fatalf("healthz: %d", r.status)
	}
	return &agentProc{testAgent: ta, cmd: cmd, pid: cmd.Process.Pid}
}

// procStatusKiB reads a field such as VmRSS or VmHWM from /proc/<pid>/status.
func procStatusKiB(t testing.TB, pid int, field string) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field+":") {
			var n int64
			fmt.Sscanf(strings.TrimSpace(strings.TrimPrefix(line, field+":")), "%d", &n)
			return n
		}
	}
	t.Fatalf("%s not in /proc/%d/status", field, pid)
	return 0
}

func execOutput(argv ...string) (string, error) {
	return execOutputEnv(os.Environ(), argv...)
}

func execOutputEnv(env []string, argv ...string) (string, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	return string(out), err
}
