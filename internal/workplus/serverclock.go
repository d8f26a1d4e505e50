package workplus

import (
	"net/http"
	"sync"
	"time"
)

// serverClock learns how far the server's clock runs from ours, from the Date
// header of its answers, so a template's create_time (the server's clock) can
// be compared with when a call began (ours).
//
// A Date header is the server's time truncated to the second, read before
// the answer reached us. So when an answer with Date d arrives at our local
// time r, the server's clock at r reads at least d: offset ≥ d − r. The
// largest such bound over all answers is kept. It can lag the true offset by
// up to the header's one-second precision plus the answer's travel time; it
// never exceeds it.
type serverClock struct {
	mu     sync.Mutex
	known  bool
	offset time.Duration
}

func (s *serverClock) observe(header http.Header, received time.Time) {
	date, err := http.ParseTime(header.Get("Date"))
	if err != nil {
		return
	}
	offset := date.Sub(received)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.known || offset > s.offset {
		s.known, s.offset = true, offset
	}
}

// atLeast returns a time the server's clock had reached when ours read
// local; false when no answer has carried a Date header yet.
func (s *serverClock) atLeast(local time.Time) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return local.Add(s.offset), s.known
}
