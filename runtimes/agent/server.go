package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"
)

const maxWait = 60 * time.Second // cap for GET /v1/run?waitMs=

type codeState int

const (
	codeNone codeState = iota
	codeUploading
	codeReady
)

type server struct {
	cfg Config
	cg  *memCgroup
	log *jsonLogger

	mu   sync.Mutex
	code codeState
	run  *runState

	// onRun, when set (benchmarks), receives the agent's timestamps of a
	// completed POST /v1/run: request in, process start/end, response out.
	onRun func(requestIn time.Time, t runTimings, responseOut time.Time)
}

type runState struct {
	done   chan struct{}
	result []byte // the result JSON, set before done is closed
	tm     runTimings
}

func newServer(cfg Config, logw io.Writer) *server {
	s := &server{cfg: cfg, cg: detectMemCgroup(), log: &jsonLogger{w: logw}}
	if err := prepareWorkspace(cfg); err != nil {
		// Not fatal here: the run reports it if it is still a problem.
		s.log.log(map[string]interface{}{"event": "workspace", "error": err.Error()})
	}
	return s
}

func (s *server) handler() http.Handler {
	return s.log.middleware(http.HandlerFunc(s.route))
}

func (s *server) route(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/healthz" {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed on /healthz")
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "ok")
		return
	}
	if !authorized(r, s.cfg.Token) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="agent"`)
		writeError(w, http.StatusUnauthorized, "missing or wrong bearer token in the Authorization header")
		return
	}
	type endpoint struct{ path, method string }
	switch (endpoint{r.URL.Path, r.Method}) {
	case endpoint{"/v1/code", http.MethodPut}:
		s.putCode(w, r)
	case endpoint{"/v1/run", http.MethodPost}:
		s.postRun(w, r)
	case endpoint{"/v1/run", http.MethodGet}:
		s.getRun(w, r)
	case endpoint{"/v1/outputs", http.MethodGet}:
		s.getOutputs(w, r)
	default:
		switch r.URL.Path {
		case "/v1/code", "/v1/run", "/v1/outputs":
			writeError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed on "+r.URL.Path)
		default:
			writeError(w, http.StatusNotFound, "no such endpoint: "+r.URL.Path)
		}
	}
}

func (s *server) putCode(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	switch {
	case s.code == codeUploading:
		s.mu.Unlock()
		writeError(w, http.StatusConflict, "code upload already in progress")
		return
	case s.code == codeReady:
		s.mu.Unlock()
		writeError(w, http.StatusConflict, "code already uploaded (only once per pod)")
		return
	}
	s.code = codeUploading
	s.mu.Unlock()

	entries, n, status, err := s.receiveCode(w, r)
	s.mu.Lock()
	if err != nil {
		// Nothing was extracted, so the operator may try again.
		s.code = codeNone
	} else {
		s.code = codeReady
	}
	s.mu.Unlock()
	if err != nil {
		writeError(w, status, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]int64{"entries": int64(entries), "bytes": n})
}

func (s *server) receiveCode(w http.ResponseWriter, r *http.Request) (int, int64, int, error) {
	if err := os.MkdirAll(s.cfg.WorkspaceDir, 0o755); err != nil {
		return 0, 0, http.StatusInternalServerError, err
	}
	// archive/zip needs random access: spool the body to the workspace
	// (never /tmp, which may be smaller) through a size limit.
	tmp, err := os.CreateTemp(s.cfg.WorkspaceDir, ".upload-*.zip")
	if err != nil {
		return 0, 0, http.StatusInternalServerError, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxUploadBytes)
	if _, err := io.Copy(tmp, body); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return 0, 0, http.StatusRequestEntityTooLarge, fmt.Errorf("request body exceeds the %d byte limit for code archives", s.cfg.MaxUploadBytes)
		}
		return 0, 0, http.StatusBadRequest, fmt.Errorf("reading the request body: %v", err)
	}
	if err := tmp.Close(); err != nil {
		return 0, 0, http.StatusInternalServerError, err
	}
	// An empty pre-created code directory is fine (rename replaces it).
	_ = os.Remove(s.cfg.CodeDir)
	if _, err := os.Lstat(s.cfg.CodeDir); err == nil {
		return 0, 0, http.StatusConflict, fmt.Errorf("%s already exists", s.cfg.CodeDir)
	}
	entries, n, err := extractZip(tmp.Name(), s.cfg.CodeDir, defaultZipLimits(s.cfg))
	if err != nil {
		var ref *refusal
		if errors.As(err, &ref) {
			return 0, 0, http.StatusBadRequest, err
		}
		return 0, 0, http.StatusInternalServerError, err
	}
	return entries, n, 0, nil
}

func (s *server) postRun(w http.ResponseWriter, r *http.Request) {
	requestIn := time.Now()
	var req RunRequest
	body := http.MaxBytesReader(w, r.Body, defaultMaxUploadBytes)
	if err := json.NewDecoder(body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid run request JSON: "+err.Error())
		return
	}
	if err := req.validate(); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	if s.code != codeReady {
		s.mu.Unlock()
		writeError(w, http.StatusConflict, "no code uploaded yet (PUT /v1/code first)")
		return
	}
	if s.run != nil {
		s.mu.Unlock()
		writeError(w, http.StatusConflict, "the function has already been run (only once per pod); GET /v1/run returns its result")
		return
	}
	rs := &runState{done: make(chan struct{})}
	s.run = rs
	s.mu.Unlock()

	// Deliberately not tied to the request's context: the run goes on when
	// the operator disconnects, and GET /v1/run re-attaches to it.
	go s.execute(rs, &req)
	select {
	case <-rs.done:
		writeJSONBytes(w, http.StatusOK, rs.result)
		if s.onRun != nil {
			s.onRun(requestIn, rs.tm, time.Now())
		}
	case <-r.Context().Done():
	}
}

func (s *server) execute(rs *runState, req *RunRequest) {
	var res *Result
	defer func() {
		if p := recover(); p != nil {
			res = &Result{Status: statusError, Message: fmt.Sprintf("agent error: %v", p),
				Outputs: []outputFile{}, SkippedOutputs: []skippedOutput{}}
		}
		b, err := json.Marshal(res)
		if err != nil {
			b = []byte(`{"status":"error","message":"encoding the result failed"}`)
		}
		rs.result = b
		s.log.log(map[string]interface{}{"event": "run finished", "status": res.Status, "jobId": req.JobID})
		close(rs.done)
	}()
	res, rs.tm = runFunction(s.cfg, s.cg, req)
}

func (s *server) getRun(w http.ResponseWriter, r *http.Request) {
	wait := time.Duration(0)
	if v := r.URL.Query().Get("waitMs"); v != "" {
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil || ms < 0 {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("waitMs must be a non-negative integer, got %q", v))
			return
		}
		wait = time.Duration(ms) * time.Millisecond
		if wait > maxWait {
			wait = maxWait
		}
	}
	s.mu.Lock()
	rs := s.run
	s.mu.Unlock()
	if rs == nil {
		writeError(w, http.StatusNotFound, "no run has been started")
		return
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-rs.done:
		writeJSONBytes(w, http.StatusOK, rs.result)
	case <-t.C:
		writeJSON(w, http.StatusAccepted, map[string]string{"state": "running"})
	case <-r.Context().Done():
	}
}

func (s *server) getOutputs(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	rs := s.run
	s.mu.Unlock()
	if rs != nil {
		select {
		case <-rs.done:
		default:
			writeError(w, http.StatusConflict, "the function is still running; outputs are available when it ends")
			return
		}
	}
	scan := scanOutputs(s.cfg.OutputDir, s.cfg.MaxOutputsBytes)
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="outputs.zip"`)
	if err := writeOutputsZip(w, s.cfg.OutputDir, scan); err != nil {
		// Headers are gone; break the connection so the client sees a
		// failed transfer rather than a valid-looking partial archive.
		s.log.log(map[string]interface{}{"event": "outputs archive failed", "error": err.Error()})
		panic(http.ErrAbortHandler)
	}
}

// serveMain runs the HTTP server until SIGTERM/SIGINT.
func serveMain(stderr io.Writer) int {
	cfg, err := loadConfig(os.Getenv, os.Environ())
	if err != nil {
		fmt.Fprintf(stderr, "agent: %v\n", err)
		return 2
	}
	// The token must not leak to user code through /proc/<agent>/environ
	// either; the function already gets an environment without AGENT_*.
	os.Unsetenv("AGENT_TOKEN")
	s := newServer(cfg, stderr)
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		fmt.Fprintf(stderr, "agent: listen on AGENT_LISTEN=%s: %v\n", cfg.Listen, err)
		return 1
	}
	cgDesc := "none (rusage fallback)"
	if s.cg != nil {
		cgDesc = fmt.Sprintf("v%d %s", s.cg.version, s.cg.dir)
	}
	s.log.log(map[string]interface{}{"event": "listening", "addr": ln.Addr().String(),
		"version": version, "workspace": cfg.WorkspaceDir, "cgroup": cgDesc})
	srv := &http.Server{Handler: s.handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 120 * time.Second}

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		sig := <-sigs
		// The pod is going away: take the function down with us.
		killActiveGroup()
		s.log.log(map[string]interface{}{"event": "shutdown", "signal": sig.String()})
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "agent: %v\n", err)
		return 1
	}
	return 0
}
