package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// runTimings are the agent's own timestamps around the function's process,
// used to measure the agent's overhead (see the benchmark).
type runTimings struct {
	processStart time.Time // fork/exec of the function returned
	processEnd   time.Time // the function was reaped
}

// plan holds the build (optional) and run commands for a runtime, exactly as
// the original worker ran them.
type plan struct {
	build []string
	run   []string
	// missing names a source file the build needs but the code lacks.
	missing string
}

func planFor(runtime, codeDir string) plan {
	shipped := isShippedBinary(filepath.Join(codeDir, "main"))
	switch runtime {
	case "python":
		return plan{run: []string{"python3", "main.py"}}
	case "nodejs":
		return plan{run: []string{"node", "index.js"}}
	case "cpp":
		p := plan{run: []string{"./main"}}
		if !shipped {
			p.build = []string{"g++", "-O2", "-o", "main", "main.cpp"}
			if _, err := os.Stat(filepath.Join(codeDir, "main.cpp")); err != nil {
				p.missing = "main.cpp"
			}
		}
		return p
	case "go":
		p := plan{run: []string{"./main"}}
		if !shipped {
			p.build = []string{"go", "build", "-o", "main", "."}
		}
		return p
	}
	return plan{}
}

// isShippedBinary: a prebuilt executable `main` in the code skips the build.
func isShippedBinary(p string) bool {
	st, err := os.Lstat(p)
	return err == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o111 != 0
}

// runFunction builds (when needed) and runs the function once.
//
// The timeout covers build and run together: the operator's and the
// kubelet's clocks (DESIGN §4) know only timeoutMs, so a slow compile must
// eat into the same budget rather than extend it.
func runFunction(c Config, cg *memCgroup, req *RunRequest) (*Result, runTimings) {
	var tm runTimings
	start := time.Now()
	deadline := start.Add(time.Duration(req.TimeoutMs) * time.Millisecond)
	limit := int(req.MaxOutputBytes)
	if limit == 0 {
		limit = defaultMaxOutputBytes
	}
	res := &Result{StartedAt: formatTime(start)}
	finish := func() (*Result, runTimings) {
		scan := scanOutputs(c.OutputDir, c.MaxOutputsBytes)
		res.Outputs, res.SkippedOutputs = scan.Files, scan.Skipped
		res.FinishedAt = formatTime(time.Now())
		return res, tm
	}
	fail := func(msg string) (*Result, runTimings) {
		res.Status, res.Message = statusError, msg
		return finish()
	}

	env, err := childEnv(c, req)
	if err != nil {
		return fail("preparing the workspace: " + err.Error())
	}
	p := planFor(req.Runtime, c.CodeDir)
	if p.missing != "" {
		return fail(fmt.Sprintf("%s not found in the uploaded code (and no executable `main` shipped)", p.missing))
	}
	oomBefore, oomKnown := cg.oomKills()
	oomRose := func() bool {
		n, ok := cg.oomKills()
		return oomKnown && ok && n > oomBefore
	}

	if p.build != nil {
		bout, berr := newCappedBuffer(limit), newCappedBuffer(limit)
		b := runStep(p.build, c.CodeDir, env, nil, deadline, bout, berr)
		res.BuildMs = ptr(msSince(b.started, b.ended, start))
		if b.failed() {
			fillStreams(res, bout, berr)
			res.ExitCode = b.exitCode
			if b.signal != "" {
				res.Signal = ptr(b.signal)
			}
			cmdline := strings.Join(p.build, " ")
			switch {
			case oomRose():
				res.Status, res.OOMKilled = statusOOM, true
				res.Message = fmt.Sprintf("out of memory during the build (%s)", cmdline)
			case b.timedOut:
				res.Status = statusTimeout
				res.Message = fmt.Sprintf("timed out after %d ms (during the build)", req.TimeoutMs)
			case b.startErr != nil:
				res.Status, res.Message = statusError, fmt.Sprintf("could not start the build (%s): %v", cmdline, b.startErr)
			default:
				res.Status = statusError
				res.Message = fmt.Sprintf("build failed (%s): %s", cmdline, describeExit(b))
				if first := firstLine(res.Stderr); first != "" {
					res.Message += ": " + first
				}
			}
			return finish()
		}
	}
	if !time.Now().Before(deadline) {
		res.Status = statusTimeout
		res.Message = fmt.Sprintf("timed out after %d ms (during the build)", req.TimeoutMs)
		return finish()
	}

	// Reset the high-water mark after the build: the figure that sizes the
	// pod is the function's, not the compiler's.
	peak := cg.startPeak()
	defer peak.close()
	out, errb := newCappedBuffer(limit), newCappedBuffer(limit)
	r := runStep(p.run, c.CodeDir, env, req.Input, deadline, out, errb)
	tm.processStart, tm.processEnd = r.started, r.ended
	fillStreams(res, out, errb)
	if r.startErr != nil {
		return fail(fmt.Sprintf("could not start %s: %v", strings.Join(p.run, " "), r.startErr))
	}
	res.DurationMs = ptr(r.ended.Sub(r.started).Milliseconds())
	res.ExitCode = r.exitCode
	if r.signal != "" {
		res.Signal = ptr(r.signal)
	}
	if r.rusage != nil {
		cpu := time.Duration(r.rusage.Utime.Nano() + r.rusage.Stime.Nano())
		res.CPUMs = ptr(cpu.Milliseconds())
	}
	if n, src, ok := peak.read(); ok {
		res.PeakMemoryBytes, res.PeakMemorySource = ptr(n), ptr(src)
	} else if r.rusage != nil && r.rusage.Maxrss > 0 {
		res.PeakMemoryBytes = ptr(r.rusage.Maxrss * 1024) // Linux reports KiB
		res.PeakMemorySource = ptr(sourceRusage)
	}
	switch {
	case oomRose():
		res.Status, res.OOMKilled = statusOOM, true
		res.Message = "out of memory: the OOM killer stopped the function"
		if mem := envValue(env, "MEMORY_MB"); mem != "" {
			res.Message += " (limit " + mem + " MiB)"
		}
	case r.timedOut:
		res.Status = statusTimeout
		res.Message = fmt.Sprintf("timed out after %d ms", req.TimeoutMs)
	case r.failed():
		res.Status = statusError
		res.Message = describeExit(r)
		if r.signal == "SIGKILL" && cg == nil {
			res.Message += " (possibly out of memory; no cgroup OOM counter available)"
		}
	default:
		res.Status = statusOK
	}
	return finish()
}

func fillStreams(res *Result, out, errb *cappedBuffer) {
	res.Stdout, res.Stderr = out.String(), errb.String()
	res.StdoutBytes, res.StderrBytes = out.Total(), errb.Total()
	res.Truncated = out.Truncated() || errb.Truncated()
}

func describeExit(s stepResult) string {
	if s.signal != "" {
		return "killed by " + s.signal
	}
	if s.exitCode != nil {
		return fmt.Sprintf("exited with code %d", *s.exitCode)
	}
	return "did not run"
}

// msSince measures a step; when the step never started it counts from t0.
func msSince(started, ended, t0 time.Time) int64 {
	if started.IsZero() {
		started = t0
	}
	if ended.IsZero() {
		ended = time.Now()
	}
	return ended.Sub(started).Milliseconds()
}

// firstLine picks the most telling line of compiler output: the first that
// mentions an error, else the first that is not go build's "# pkg" header.
func firstLine(s string) string {
	lines := strings.Split(s, "\n")
	picked := ""
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if strings.Contains(line, "error") {
			picked = line
			break
		}
		if picked == "" && line != "" && !strings.HasPrefix(line, "# ") {
			picked = line
		}
	}
	s = picked
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	if len(s) > 300 {
		s = string(trimPartialRune([]byte(s[:300]))) + "…"
	}
	return s
}
