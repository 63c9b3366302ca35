package main

import (
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"
)

// jsonLogger writes one JSON object per line. It never logs user output:
// stdout/stderr of a function may hold secrets or personal data.
type jsonLogger struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *jsonLogger) log(fields map[string]interface{}) {
	if l == nil || l.w == nil {
		return
	}
	fields["time"] = formatTime(time.Now())
	b, err := json.Marshal(fields)
	if err != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.w.Write(append(b, '\n'))
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (l *jsonLogger) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			l.log(map[string]interface{}{
				"method":     r.Method,
				"path":       r.URL.Path,
				"status":     status,
				"durationMs": time.Since(start).Milliseconds(),
			})
		}()
		next.ServeHTTP(rec, r)
	})
}
