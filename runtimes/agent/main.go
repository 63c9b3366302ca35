// Command agent is the tiny HTTP server that runs inside every sandbox pod and
// executes exactly one user function (DESIGN.md §5).
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// version is replaced at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	os.Exit(runCommand(os.Args[1:], os.Stdout, os.Stderr))
}

func runCommand(args []string, stdout, stderr io.Writer) int {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	switch cmd {
	case "serve":
		return serveMain(stderr)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "infraworker-agent %s\n", version)
		return 0
	case "install":
		if len(args) != 2 {
			fmt.Fprintln(stderr, "usage: agent install <dir>")
			return 2
		}
		if err := install(args[1]); err != nil {
			fmt.Fprintf(stderr, "agent install: %v\n", err)
			return 1
		}
		return 0
	default:
		fmt.Fprintf(stderr, "unknown command %q; usage: agent [serve|install <dir>|version]\n", cmd)
		return 2
	}
}

// install copies the running binary into dir/agent. The pod's init container
// runs it so that stock language images can start the agent from a shared
// emptyDir (entrypoint injection, as Tekton and Argo do).
func install(dir string) error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	src, err := os.Open(self)
	if err != nil {
		return err
	}
	defer src.Close()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Write under a temporary name and rename so that a half-copied binary is
	// never executed by a container that starts early.
	tmp, err := os.CreateTemp(dir, ".agent-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, src); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o755); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, "agent"))
}
