package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// RequestRecord is one vendor request as the emulator saw it: what the client
// sent (query, the headers that matter, body) with credentials redacted, and
// how it was answered.
type RequestRecord struct {
	ID        int64             `json:"id"` // 1, 2, 3... since the log was last reset; "after" filters on it
	Time      time.Time         `json:"time"`
	Method    string            `json:"method"`
	Route     string            `json:"route"` // e.g. "GET /v1/templates/{id}", or "unmatched"
	Path      string            `json:"path"`
	Query     string            `json:"query,omitempty"`   // raw query, access_token redacted
	Headers   map[string]string `json:"headers,omitempty"` // journalHeaders that were sent, access-token redacted
	Body      json.RawMessage   `json:"body,omitempty"`    // a JSON body as read, secrets redacted
	BodyText  string            `json:"body_text,omitempty"`
	Truncated bool              `json:"body_truncated,omitempty"` // the body was longer than journalBodyBytes
	Status    int               `json:"status"`                   // HTTP status written; 0 when the connection was dropped before an answer
	LatencyMS float64           `json:"latency_ms"`
	Fault     string            `json:"fault,omitempty"` // what was injected, e.g. "status 503", "drop after", "latency 20ms", "code 202012"
}

const (
	requestLogSize = 10_000
	// journalBodyBytes caps the body kept per record; the log holds
	// requestLogSize records, so 10,000 × 64 KiB at worst.
	journalBodyBytes = 64 << 10
	redacted         = "REDACTED"
)

// journalHeaders are the request headers worth asserting on.
// group_id and user_id are the Push API's admin headers (seed 002), which
// the emulator does not act on but a test may want to see sent.
var journalHeaders = []string{"Content-Type", "User-Agent", "app_id", "access-token", "group_id", "user_id"}

// secretNames are query parameters, headers and JSON keys whose values never
// reach the log.
var secretNames = map[string]bool{
	"access_token": true, "access-token": true, "refresh_token": true,
	"client_secret": true, "app_secret": true, "secret": true, "password": true,
	"x-emulator-admin-token": true, "admin_token": true,
}

// RequestFilter selects logged requests. Zero fields match everything.
type RequestFilter struct {
	Route       string    // "POST /v1/templates" or a path pattern "/v1/templates/{id}" (any method)
	Method      string    // e.g. "POST"
	Status      int       // exact HTTP status; 0 when the connection was dropped is not selectable
	StatusClass int       // 2, 4 or 5: any 2xx, 4xx, 5xx
	Since       time.Time // at or after (the emulator's clock)
	Until       time.Time // at or before
	After       int64     // records with a larger ID
}

func (f RequestFilter) matches(r *RequestRecord) bool {
	if f.Route != "" {
		_, path, _ := strings.Cut(r.Route, " ")
		if f.Route != r.Route && f.Route != path {
			return false
		}
	}
	switch {
	case f.Method != "" && !strings.EqualFold(f.Method, r.Method),
		f.Status != 0 && f.Status != r.Status,
		f.StatusClass != 0 && r.Status/100 != f.StatusClass,
		!f.Since.IsZero() && r.Time.Before(f.Since),
		!f.Until.IsZero() && r.Time.After(f.Until),
		r.ID <= f.After:
		return false
	}
	return true
}

// requestLog keeps the last requests in a ring and counts every request per
// route; counts are not bounded by the ring. Waiters are woken by closing
// changed, which every add replaces.
type requestLog struct {
	mu      sync.Mutex
	ring    []RequestRecord
	next    int // where the next record goes
	full    bool
	lastID  int64
	counts  map[string]int
	changed chan struct{}
}

func newRequestLog(size int) *requestLog {
	return &requestLog{ring: make([]RequestRecord, size), counts: map[string]int{}, changed: make(chan struct{})}
}

func (l *requestLog) add(r RequestRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lastID++
	r.ID = l.lastID
	l.ring[l.next] = r
	l.next = (l.next + 1) % len(l.ring)
	if l.next == 0 {
		l.full = true
	}
	l.counts[r.Route]++
	close(l.changed)
	l.changed = make(chan struct{})
}

func (l *requestLog) records() []RequestRecord { return l.find(RequestFilter{}) }

// find returns the matching records, oldest first.
func (l *requestLog) find(f RequestFilter) []RequestRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	out, _ := l.findLocked(f)
	return out
}

func (l *requestLog) findLocked(f RequestFilter) ([]RequestRecord, chan struct{}) {
	out := []RequestRecord{}
	scan := func(part []RequestRecord) {
		for i := range part {
			if f.matches(&part[i]) {
				// Copies: a caller changing a record must not change the log.
				rec := part[i]
				rec.Headers, rec.Body = maps.Clone(rec.Headers), bytes.Clone(rec.Body)
				out = append(out, rec)
			}
		}
	}
	if l.full {
		scan(l.ring[l.next:])
	}
	scan(l.ring[:l.next])
	return out, l.changed
}

// wait returns the matching records as soon as there are at least n, or what
// there is when ctx ends, with ctx's error.
func (l *requestLog) wait(ctx context.Context, f RequestFilter, n int) ([]RequestRecord, error) {
	for {
		l.mu.Lock()
		found, changed := l.findLocked(f)
		l.mu.Unlock()
		if len(found) >= n {
			return found, nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return found, ctx.Err()
		}
	}
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
	l.next, l.full, l.lastID = 0, false, 0
	l.counts = map[string]int{}
	close(l.changed)
	l.changed = make(chan struct{})
}

// bodyRecorder keeps the first journalBodyBytes of what the handler reads.
type bodyRecorder struct {
	io.ReadCloser
	buf       bytes.Buffer
	truncated bool
}

func (b *bodyRecorder) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	room := journalBodyBytes - b.buf.Len()
	if n > room {
		b.truncated = true
		b.buf.Write(p[:room])
		return n, err
	}
	b.buf.Write(p[:n])
	return n, err
}

// journalRequest fills the parts of a record that the client sent.
func journalRequest(rec *RequestRecord, r *http.Request) {
	rec.Query = redactQuery(r.URL.RawQuery)
	for _, name := range journalHeaders {
		v := r.Header.Get(name)
		if v == "" {
			continue
		}
		if rec.Headers == nil {
			rec.Headers = map[string]string{}
		}
		if secretNames[strings.ToLower(name)] {
			v = redacted
		}
		rec.Headers[name] = v
	}
}

// journalBody records what the handler read of the body: JSON redacted and
// kept as JSON, anything else as text.
func journalBody(rec *RequestRecord, b *bodyRecorder) {
	if b == nil || b.buf.Len() == 0 {
		return
	}
	rec.Truncated = b.truncated
	data := b.buf.Bytes()
	if !b.truncated && json.Valid(data) && jsonDepth(data) <= maxJSONDepth {
		if !mayHoldSecret(data) {
			rec.Body = bytes.Clone(data)
			return
		}
		if clean, err := redactJSON(data); err == nil {
			rec.Body = clean
			return
		}
	}
	rec.BodyText = redactText(strings.ToValidUTF8(string(data), "\uFFFD"))
}

// jsonStringMember is a JSON member whose value is a string, in text that
// may not parse: the value may run to the end (a body cut at the cap) or end
// in half an escape.
var jsonStringMember = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"(\s*:\s*)"(?:[^"\\]|\\.)*\\?("?)`)

// redactText masks secrets in a body the journal keeps as text because it
// cannot parse it: JSON members with a secret name, whatever the JSON's
// defects, and name=value pairs of a form.
func redactText(text string) string {
	text = jsonStringMember.ReplaceAllStringFunc(text, func(member string) string {
		m := jsonStringMember.FindStringSubmatch(member)
		var key string
		if json.Unmarshal([]byte(`"`+m[1]+`"`), &key) != nil || !secretNames[strings.ToLower(key)] {
			return member
		}
		return `"` + m[1] + `"` + m[2] + `"` + redacted + m[3]
	})
	return redactQuery(text)
}

// mayHoldSecret is false when no secret name occurs in data at all, which
// spares most bodies a decode and re-encode.
func mayHoldSecret(data []byte) bool {
	lower := bytes.ToLower(data)
	for name := range secretNames {
		if bytes.Contains(lower, []byte(name)) {
			return true
		}
	}
	return false
}

func redactQuery(raw string) string {
	if raw == "" {
		return ""
	}
	parts := strings.Split(raw, "&")
	for i, p := range parts {
		rawName, _, hasValue := strings.Cut(p, "=")
		name := rawName
		if unescaped, err := url.QueryUnescape(name); err == nil {
			name = unescaped
		}
		if hasValue && secretNames[strings.ToLower(strings.TrimSpace(name))] {
			parts[i] = rawName + "=" + redacted
		}
	}
	return strings.Join(parts, "&")
}

// redactJSON replaces the values of secret keys at any depth. Numbers keep
// their digits (UseNumber), so large ids survive.
func redactJSON(data []byte) (json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			for k, child := range t {
				if secretNames[strings.ToLower(k)] {
					if _, isString := child.(string); isString {
						t[k] = redacted
						continue
					}
				}
				walk(child)
			}
		case []any:
			for _, child := range t {
				walk(child)
			}
		}
	}
	walk(v)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSpace(buf.Bytes()), nil
}
