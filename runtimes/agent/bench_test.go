package main

import (
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkRunOverhead measures what the agent adds around one function run:
// from the handler receiving POST /v1/run to the function's process having
// started, plus from the process being reaped to the response being written
// (env, pipes, kill/drain, cgroup reads, output scan, JSON). The function's
// own run time is excluded. Reported as overhead-ms (mean per run).
func BenchmarkRunOverhead(b *testing.B) {
	var total time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cfg := testConfig(b)
		s := newServer(cfg, nil)
		var overhead time.Duration
		s.onRun = func(in time.Time, tm runTimings, out time.Time) {
			overhead = tm.processStart.Sub(in) + out.Sub(tm.processEnd)
		}
		hs := httptest.NewServer(s.handler())
		a := &testAgent{t: b, cfg: cfg, srv: s, url: hs.URL}
		// A shipped binary: no build step and a process that starts fast.
		a.putCode(map[string]string{"main*": "#!/bin/sh\nexit 0\n"})
		b.StartTimer()
		res := a.run(map[string]interface{}{"runtime": "cpp", "timeoutMs": 10000, "input": map[string]int{"n": i}})
		b.StopTimer()
		hs.Close()
		if res.Status != "ok" || overhead <= 0 {
			b.Fatalf("result %+v overhead %v", res, overhead)
		}
		total += overhead
		b.StartTimer()
	}
	b.ReportMetric(float64(total)/float64(b.N)/1e6, "overhead-ms")
}

// BenchmarkIdleRSS starts the real binary, serves b.N health checks and
// reports its resident memory: this is what every pod pays for the agent.
func BenchmarkIdleRSS(b *testing.B) {
	a := startAgentProcess(b, nil)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if r := a.do("GET", "/healthz", nil); r.status != 200 {
			b.Fatal(r.status)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(procStatusKiB(b, a.pid, "VmRSS"))/1024, "idle-rss-MiB")
}
