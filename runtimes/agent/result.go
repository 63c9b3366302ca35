package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// RunRequest is the body of POST /v1/run (a contract with the Java operator).
type RunRequest struct {
	Runtime        string            `json:"runtime"`
	TimeoutMs      int64             `json:"timeoutMs"`
	MaxOutputBytes int64             `json:"maxOutputBytes"`
	Input          json.RawMessage   `json:"input"`
	Env            map[string]string `json:"env"`
	JobID          string            `json:"jobId"`
	FunctionID     string            `json:"functionId"`
	MemoryMb       int64             `json:"memoryMb"`
	ModelID        string            `json:"modelId"`
}

var runtimes = []string{"python", "nodejs", "cpp", "go"}

// maxStreamBytes bounds maxOutputBytes: the result is held in memory and sent
// as one JSON document.
const maxStreamBytes = 64 * mib

func (r *RunRequest) validate() error {
	known := false
	for _, rt := range runtimes {
		known = known || r.Runtime == rt
	}
	if !known {
		return fmt.Errorf("runtime %q is not supported: want one of %s", r.Runtime, strings.Join(runtimes, ", "))
	}
	if r.TimeoutMs <= 0 {
		return fmt.Errorf("timeoutMs must be > 0, got %d", r.TimeoutMs)
	}
	if r.MaxOutputBytes < 0 || r.MaxOutputBytes > maxStreamBytes {
		return fmt.Errorf("maxOutputBytes must be between 0 (default %d) and %d, got %d", defaultMaxOutputBytes, maxStreamBytes, r.MaxOutputBytes)
	}
	if r.MemoryMb < 0 {
		return fmt.Errorf("memoryMb must be >= 0, got %d", r.MemoryMb)
	}
	keys := make([]string, 0, len(r.Env))
	for k := range r.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k == "" || strings.ContainsAny(k, "=\x00") {
			return fmt.Errorf("env key %q is not a valid variable name", k)
		}
		if strings.ContainsRune(r.Env[k], 0) {
			return fmt.Errorf("env %q: value contains a NUL byte", k)
		}
	}
	if len(r.Input) > 0 {
		var buf bytes.Buffer
		if err := json.Compact(&buf, r.Input); err != nil {
			return fmt.Errorf("input is not valid JSON: %v", err)
		}
		r.Input = buf.Bytes()
	} else {
		r.Input = json.RawMessage("null")
	}
	return nil
}

// Result is the answer of POST /v1/run and GET /v1/run. Figures that were
// not measured are null, never a made-up 0.
type Result struct {
	Status           string          `json:"status"` // ok | timeout | oom | error
	ExitCode         *int            `json:"exitCode"`
	Signal           *string         `json:"signal"`
	DurationMs       *int64          `json:"durationMs"`
	BuildMs          *int64          `json:"buildMs"`
	Stdout           string          `json:"stdout"`
	Stderr           string          `json:"stderr"`
	StdoutBytes      int64           `json:"stdoutBytes"`
	StderrBytes      int64           `json:"stderrBytes"`
	Truncated        bool            `json:"truncated"`
	PeakMemoryBytes  *int64          `json:"peakMemoryBytes"`
	PeakMemorySource *string         `json:"peakMemorySource"`
	OOMKilled        bool            `json:"oomKilled"`
	CPUMs            *int64          `json:"cpuMs"`
	Outputs          []outputFile    `json:"outputs"`
	SkippedOutputs   []skippedOutput `json:"skippedOutputs"`
	Message          string          `json:"message"`
	StartedAt        string          `json:"startedAt"`
	FinishedAt       string          `json:"finishedAt"`
}

const (
	statusOK      = "ok"
	statusTimeout = "timeout"
	statusOOM     = "oom"
	statusError   = "error"
)

func formatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

func ptr[T any](v T) *T { return &v }
