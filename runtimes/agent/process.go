package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// drainTimeout bounds the wait for stdout/stderr EOF after the process group
// was killed. Only a process that left the group (setsid) can hold the pipes
// longer; the pod is deleted after the job anyway.
const drainTimeout = 2 * time.Second

// stepResult describes one process run (a build or the function itself).
type stepResult struct {
	startErr error
	exitCode *int
	signal   string
	timedOut bool
	started  time.Time // after fork/exec returned
	ended    time.Time // after the process was reaped
	rusage   *syscall.Rusage
}

func (s stepResult) failed() bool {
	return s.startErr != nil || s.timedOut || s.signal != "" || (s.exitCode != nil && *s.exitCode != 0)
}

// activeGroup lets a SIGTERM to the agent kill the running function too.
var activeGroup atomic.Int64

// runStep runs argv in dir as the leader of a new process group, feeds stdin,
// captures stdout/stderr into the capped buffers and SIGKILLs the whole group
// at the deadline and again after the leader exits (to take orphans down).
func runStep(argv []string, dir string, env []string, stdin []byte, deadline time.Time, stdout, stderr io.Writer) stepResult {
	var res stepResult
	bin, err := lookPath(argv[0], envValue(env, "PATH"), dir)
	if err != nil {
		res.startErr = err
		return res
	}
	// Plain *os.File pipes, not exec's io.Writer plumbing: exec.Cmd.Wait
	// would block until every holder of the pipe (including orphaned
	// grandchildren) exits, and Go 1.19 has no WaitDelay.
	outR, outW, err := os.Pipe()
	if err != nil {
		res.startErr = err
		return res
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		res.startErr = err
		return res
	}
	inR, inW, err := os.Pipe()
	if err != nil {
		outR.Close()
		outW.Close()
		errR.Close()
		errW.Close()
		res.startErr = err
		return res
	}
	cmd := &exec.Cmd{
		Path:        bin,
		Args:        argv,
		Dir:         dir,
		Env:         env,
		Stdin:       inR,
		Stdout:      outW,
		Stderr:      errW,
		SysProcAttr: &syscall.SysProcAttr{Setpgid: true},
	}
	err = cmd.Start()
	res.started = time.Now()
	outW.Close()
	errW.Close()
	inR.Close()
	if err != nil {
		outR.Close()
		errR.Close()
		inW.Close()
		res.startErr = err
		return res
	}
	pgid := cmd.Process.Pid
	activeGroup.Store(int64(pgid))
	defer activeGroup.Store(0)

	var readers sync.WaitGroup
	readers.Add(2)
	go func() { defer readers.Done(); _, _ = io.Copy(stdout, outR) }()
	go func() { defer readers.Done(); _, _ = io.Copy(stderr, errR) }()
	// A function that never reads stdin must not block the run: the write
	// fails with EPIPE once the group is gone, or is cut off below.
	go func() { _, _ = inW.Write(stdin); inW.Close() }()

	var fired atomic.Bool
	timer := time.AfterFunc(time.Until(deadline), func() {
		fired.Store(true)
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	})
	_ = cmd.Wait()
	timer.Stop()
	res.ended = time.Now()
	// The leader is gone; anything it left running in its group goes too.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)

	done := make(chan struct{})
	go func() { readers.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(drainTimeout):
		// Closing the read ends unblocks the copy goroutines.
		outR.Close()
		errR.Close()
		<-done
	}
	outR.Close()
	errR.Close()
	inW.Close()

	st := cmd.ProcessState
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		res.rusage = ru
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		res.signal = signalName(ws.Signal())
		// A process that exited on its own just as the deadline hit is
		// not a timeout; one we killed is.
		res.timedOut = fired.Load()
	} else {
		res.exitCode = ptr(st.ExitCode())
	}
	reapOrphans()
	return res
}

// reapOrphans collects zombies when the agent is PID 1 of its container:
// orphans of the function are re-parented to it and nobody else reaps them.
// (Outside PID 1, wait4(-1) could steal another goroutine's child.)
func reapOrphans() {
	if os.Getpid() != 1 {
		return
	}
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}

// killActiveGroup is called on agent shutdown.
func killActiveGroup() {
	if pg := activeGroup.Load(); pg > 0 {
		_ = syscall.Kill(-int(pg), syscall.SIGKILL)
	}
}

// lookPath resolves name against the child's PATH (not the agent's, which
// exec.LookPath would use); relative names with a slash stay relative to dir.
func lookPath(name, pathEnv, dir string) (string, error) {
	if strings.Contains(name, "/") {
		p := name
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		if err := checkExecutable(p); err != nil {
			return "", fmt.Errorf("%s: %v", name, err)
		}
		return p, nil
	}
	for _, d := range filepath.SplitList(pathEnv) {
		if d == "" {
			d = "."
		}
		p := filepath.Join(d, name)
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		if checkExecutable(p) == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: not found in PATH", name)
}

func checkExecutable(p string) error {
	st, err := os.Stat(p)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() || st.Mode().Perm()&0o111 == 0 {
		return errors.New("not an executable file")
	}
	return nil
}

var signalNames = map[syscall.Signal]string{
	syscall.SIGABRT: "SIGABRT", syscall.SIGALRM: "SIGALRM", syscall.SIGBUS: "SIGBUS",
	syscall.SIGFPE: "SIGFPE", syscall.SIGHUP: "SIGHUP", syscall.SIGILL: "SIGILL",
	syscall.SIGINT: "SIGINT", syscall.SIGKILL: "SIGKILL", syscall.SIGPIPE: "SIGPIPE",
	syscall.SIGQUIT: "SIGQUIT", syscall.SIGSEGV: "SIGSEGV", syscall.SIGSYS: "SIGSYS",
	syscall.SIGTERM: "SIGTERM", syscall.SIGTRAP: "SIGTRAP", syscall.SIGUSR1: "SIGUSR1",
	syscall.SIGUSR2: "SIGUSR2", syscall.SIGXCPU: "SIGXCPU", syscall.SIGXFSZ: "SIGXFSZ",
}

func signalName(s syscall.Signal) string {
	if n, ok := signalNames[s]; ok {
		return n
	}
	return fmt.Sprintf("SIG%d", int(s))
}
