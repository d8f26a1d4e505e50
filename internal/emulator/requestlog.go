package emulator

import (
	"maps"
	"sync"
	"time"
)

// RequestRecord is one vendor request as the emulator saw it.
type RequestRecord struct {
	Time      time.Time `json:"time"`
	Method    string    `json:"method"`
	Route     string    `json:"route"` // e.g. "GET /v1/templates/{id}", or "unmatched"
	Path      string    `json:"path"`
	Status    int       `json:"status"` // HTTP status written; 0 when the connection was dropped before an answer
	LatencyMS float64   `json:"latency_ms"`
	Fault     string    `json:"fault,omitempty"` // what was injected, e.g. "status 503", "drop after", "latency 20ms"
}

const requestLogSize = 10_000

// requestLog keeps the last requests in a ring and counts every request per
// route; counts are not bounded by the ring.
type requestLog struct {
	mu     sync.Mutex
	ring   []RequestRecord
	next   int // where the next record goes
	full   bool
	counts map[string]int
}

func newRequestLog(size int) *requestLog {
	return &requestLog{ring: make([]RequestRecord, size), counts: map[string]int{}}
}

func (l *requestLog) add(r RequestRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ring[l.next] = r
	l.next = (l.next + 1) % len(l.ring)
	if l.next == 0 {
		l.full = true
	}
	l.counts[r.Route]++
}

func (l *requestLog) records() []RequestRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.full {
		return append([]RequestRecord(nil), l.ring[:l.next]...)
	}
	out := make([]RequestRecord, 0, len(l.ring))
	out = append(out, l.ring[l.next:]...)
	return append(out, l.ring[:l.next]...)
}

func (l *requestLog) routeCounts() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return maps.Clone(l.counts)
}

func (l *requestLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.ring)
	l.next, l.full = 0, false
	l.counts = map[string]int{}
}
