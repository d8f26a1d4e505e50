package emulatortest

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// LostTwinCreates stands in front of an emulator and races the first two
// template creates as issue 19 §2 describes. The first create to arrive is
// held until the second one is processed, then its connection is closed
// before the emulator sees it (lost before the server acted). The second is
// processed at once, but its answer is held back until Release, or, with a
// ReleaseAfterList delay, until that long after a template list has been
// answered following the drop (the lost create's search). Later requests
// pass straight through.
type LostTwinCreates struct {
	URL string

	next             http.Handler
	releaseAfterList time.Duration

	mu          sync.Mutex
	creates     int
	arrived     chan struct{} // the first create is here
	committed   chan struct{} // the second create is processed
	dropped     chan struct{} // the first create's connection is closed
	release     chan struct{}
	releaseOnce sync.Once
}

// StartLostTwinCreates serves a LostTwinCreates in front of emu until the
// test ends. releaseAfterList zero means only Release lets the answer go.
func StartLostTwinCreates(tb testing.TB, emu *Instance, releaseAfterList time.Duration) *LostTwinCreates {
	tb.Helper()
	l := &LostTwinCreates{
		next: emu.Emulator, releaseAfterList: releaseAfterList,
		arrived: make(chan struct{}), committed: make(chan struct{}), dropped: make(chan struct{}), release: make(chan struct{}),
	}
	srv := httptest.NewServer(l)
	tb.Cleanup(func() {
		l.Release()
		srv.Close()
	})
	l.URL = srv.URL
	return l
}

// Arrived is closed when the first create has reached the server.
func (l *LostTwinCreates) Arrived() <-chan struct{} { return l.arrived }

// Dropped is closed when the first create's connection has been closed.
func (l *LostTwinCreates) Dropped() <-chan struct{} { return l.dropped }

// Release sends the second create's answer.
func (l *LostTwinCreates) Release() { l.releaseOnce.Do(func() { close(l.release) }) }

func (l *LostTwinCreates) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/templates" {
		l.next.ServeHTTP(w, r)
		return
	}
	if r.Method == http.MethodGet {
		l.next.ServeHTTP(w, r)
		select {
		case <-l.dropped:
			if l.releaseAfterList > 0 {
				time.AfterFunc(l.releaseAfterList, l.Release)
			}
		default:
		}
		return
	}
	l.mu.Lock()
	l.creates++
	n := l.creates
	l.mu.Unlock()
	switch n {
	case 1:
		close(l.arrived)
		select {
		case <-l.committed:
		case <-r.Context().Done():
			return
		}
		// Dropped first: the lost create's search may arrive as soon as
		// the connection closes.
		close(l.dropped)
		if hijacker, ok := w.(http.Hijacker); ok {
			if conn, _, err := hijacker.Hijack(); err == nil {
				_ = conn.Close()
			}
		}
	case 2:
		answer := httptest.NewRecorder()
		l.next.ServeHTTP(answer, r)
		close(l.committed)
		select {
		case <-l.release:
		case <-r.Context().Done():
			return
		}
		for name, values := range answer.Header() {
			w.Header()[name] = values
		}
		w.WriteHeader(answer.Code)
		_, _ = w.Write(answer.Body.Bytes())
	default:
		l.next.ServeHTTP(w, r)
	}
}
