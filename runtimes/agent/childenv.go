package main

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// payloadInlineMax is the largest input passed in PAYLOAD; larger inputs go
// to a file (PAYLOAD_FILE), as in the original worker, because environment
// size is limited (and visible in /proc).
const payloadInlineMax = 100 * 1024

// reservedEnv names variables the agent owns. The job's env cannot override
// them: the contract with user code (payload, ids, where to write outputs)
// and the paths the runtimes depend on must hold whatever a job asks for.
var reservedEnv = map[string]bool{
	"PAYLOAD": true, "PAYLOAD_FILE": true, "JOB_ID": true, "FUNCTION_ID": true,
	"MEMORY_MB": true, "LLM_MODEL": true, "OUTPUT_DIR": true, "AI_ENDPOINT": true,
	"PATH": true, "PYTHONPATH": true, "NODE_PATH": true, "HOME": true,
	"GOCACHE": true, "GOPATH": true, "GOMODCACHE": true, "GO111MODULE": true,
	"GOFLAGS": true, "GOTOOLCHAIN": true,
}

func isReserved(k string) bool {
	return reservedEnv[k] || strings.HasPrefix(k, "AGENT_")
}

// childEnv prepares the workspace directories the function needs and returns
// its environment: the agent's (minus AGENT_*), then the job's env, then the
// agent-owned variables, which always win.
func childEnv(c Config, req *RunRequest) ([]string, error) {
	if err := prepareWorkspace(c); err != nil {
		return nil, err
	}
	home, cache := homeDir(c), cacheDir(c)
	env := map[string]string{}
	for _, kv := range c.BaseEnv {
		k, v, ok := strings.Cut(kv, "=")
		if ok && !strings.HasPrefix(k, "AGENT_") {
			env[k] = v
		}
	}
	pathList := func(dir, existing string) string {
		if existing == "" {
			return dir
		}
		for _, d := range filepath.SplitList(existing) {
			if d == dir {
				return existing // the image may already list the SDK
			}
		}
		return dir + string(os.PathListSeparator) + existing
	}
	own := map[string]string{
		"JOB_ID":      req.JobID,
		"FUNCTION_ID": req.FunctionID,
		"LLM_MODEL":   req.ModelID,
		"OUTPUT_DIR":  c.OutputDir,
		"AI_ENDPOINT": c.AIEndpoint,
		"HOME":        home,
		"PATH":        env["PATH"],
		"PYTHONPATH":  pathList(filepath.Join(c.SDKDir, "python"), env["PYTHONPATH"]),
		"NODE_PATH":   pathList(filepath.Join(c.SDKDir, "nodejs"), env["NODE_PATH"]),
		// The pod's root filesystem is read-only: Go's caches must live in
		// the workspace. GO111MODULE=auto builds a bare main.go (no go.mod)
		// in GOPATH mode; GOTOOLCHAIN=local forbids toolchain downloads.
		"GOCACHE":     filepath.Join(cache, "go-build"),
		"GOPATH":      filepath.Join(cache, "gopath"),
		"GOMODCACHE":  filepath.Join(cache, "gopath", "pkg", "mod"),
		"GO111MODULE": "auto",
		"GOTOOLCHAIN": "local",
	}
	if own["PATH"] == "" {
		own["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	}
	if req.Runtime == "go" && hasGoModWithoutVendor(c.CodeDir) {
		// Lets a go.mod without a complete go.sum resolve its requirements.
		own["GOFLAGS"] = "-mod=mod"
	}
	memMb := req.MemoryMb
	if memMb == 0 {
		memMb = int64(c.DefaultMemoryMB)
	}
	if memMb > 0 {
		own["MEMORY_MB"] = strconv.FormatInt(memMb, 10)
	}
	if len(req.Input) > payloadInlineMax {
		pf := filepath.Join(c.WorkspaceDir, "payload.json")
		if err := os.WriteFile(pf, req.Input, 0o644); err != nil {
			return nil, err
		}
		own["PAYLOAD_FILE"] = pf
	} else {
		own["PAYLOAD"] = string(req.Input)
	}
	for k := range env {
		if isReserved(k) {
			delete(env, k)
		}
	}
	for k, v := range req.Env {
		if !isReserved(k) {
			env[k] = v
		}
	}
	for k, v := range own {
		env[k] = v
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out, nil
}

func hasGoModWithoutVendor(dir string) bool {
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		return false
	}
	_, err := os.Stat(filepath.Join(dir, "vendor"))
	return err != nil
}

func envValue(env []string, key string) string {
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v
		}
	}
	return ""
}

func homeDir(c Config) string  { return filepath.Join(c.WorkspaceDir, "home") }
func cacheDir(c Config) string { return filepath.Join(c.WorkspaceDir, ".cache") }

// prepareWorkspace creates the directories user code expects. The server
// calls it at start, while the pod waits in the warm pool, so that a run
// only finds them (creating directories costs about a millisecond).
func prepareWorkspace(c Config) error {
	for _, d := range []string{c.OutputDir, homeDir(c), cacheDir(c)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	return nil
}
