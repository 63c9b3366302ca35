package main

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

// Config is read once at start from the environment.
type Config struct {
	Listen          string
	Token           string
	WorkspaceDir    string
	CodeDir         string
	OutputDir       string
	SDKDir          string
	AIEndpoint      string
	DefaultMemoryMB int
	MaxOutputsBytes int64

	// Limits for PUT /v1/code. The operator checks the zip too; these are the
	// agent's own line of defence.
	MaxUploadBytes int64 // compressed body
	MaxCodeBytes   int64 // bytes actually written when extracting
	MaxCodeEntries int

	// BaseEnv is the environment user code starts from: the agent's own
	// environment minus AGENT_* (which holds the bearer token).
	BaseEnv []string
}

const (
	mib                    = 1 << 20
	defaultMaxOutputsBytes = 256 * mib
	defaultMaxUploadBytes  = 64 * mib
	defaultMaxCodeBytes    = 256 * mib
	defaultMaxCodeEntries  = 10000
	defaultMaxOutputBytes  = 1 * mib // per stream, when the run request says 0
)

func loadConfig(getenv func(string) string, environ []string) (Config, error) {
	c := Config{
		Listen:          getenv("AGENT_LISTEN"),
		Token:           getenv("AGENT_TOKEN"),
		WorkspaceDir:    getenv("WORKSPACE_DIR"),
		OutputDir:       getenv("OUTPUT_DIR"),
		SDKDir:          getenv("SDK_DIR"),
		AIEndpoint:      getenv("AI_ENDPOINT"),
		MaxOutputsBytes: defaultMaxOutputsBytes,
		MaxUploadBytes:  defaultMaxUploadBytes,
		MaxCodeBytes:    defaultMaxCodeBytes,
		MaxCodeEntries:  defaultMaxCodeEntries,
	}
	if c.Listen == "" {
		c.Listen = ":8080"
	}
	if c.Token == "" {
		return c, fmt.Errorf("AGENT_TOKEN is empty: refusing to serve without a bearer token (set AGENT_TOKEN to a random secret)")
	}
	if c.WorkspaceDir == "" {
		c.WorkspaceDir = "/workspace"
	}
	ws, err := filepath.Abs(c.WorkspaceDir)
	if err != nil {
		return c, fmt.Errorf("WORKSPACE_DIR %q: %v", c.WorkspaceDir, err)
	}
	c.WorkspaceDir = ws
	c.CodeDir = filepath.Join(ws, "code")
	if c.OutputDir == "" {
		c.OutputDir = filepath.Join(ws, "output")
	}
	if c.SDKDir == "" {
		c.SDKDir = "/opt/infraworker/sdk"
	}
	if v := getenv("MEMORY_MB"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return c, fmt.Errorf("MEMORY_MB %q: want a non-negative integer", v)
		}
		c.DefaultMemoryMB = n
	}
	if v := getenv("MAX_OUTPUTS_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return c, fmt.Errorf("MAX_OUTPUTS_BYTES %q: want a non-negative integer", v)
		}
		c.MaxOutputsBytes = n
	}
	for _, kv := range environ {
		if strings.HasPrefix(kv, "AGENT_") {
			continue
		}
		c.BaseEnv = append(c.BaseEnv, kv)
	}
	return c, nil
}
