package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// controlAnswer is a control API answer with a status other than 200.
type controlAnswer struct {
	status int
	body   any
}

// The control API (/_emulator/...) answers plain JSON, never the vendor
// envelopes, so no client can mistake it for WorkPlus.

type controlOK struct {
	OK bool `json:"ok"`
}

// stateSummary is what reset and seed answer: enough to see that the right
// state is in place without dumping it.
type stateSummary struct {
	Orgs         int `json:"orgs"`
	Apps         int `json:"apps"`
	AccessTokens int `json:"access_tokens"`
	Employees    int `json:"employees"`
	Devices      int `json:"devices"`
	Certificates int `json:"certificates"`
	Templates    int `json:"templates"`
	PushTasks    int `json:"push_tasks"`
	AppMessages  int `json:"app_messages"`
}

func (e *Emulator) summary() stateSummary {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return stateSummary{
		Orgs:         len(e.st.orgs.list),
		Apps:         len(e.st.apps.list),
		AccessTokens: len(e.st.tokens.list),
		Employees:    len(e.st.employees.list),
		Devices:      len(e.st.devices.list),
		Certificates: len(e.st.certificates.list),
		Templates:    len(e.st.templates.list),
		PushTasks:    len(e.st.tasks.list),
		AppMessages:  len(e.st.messages.list),
	}
}

func (e *Emulator) controlHealth(*call) (any, error) { return controlOK{OK: true}, nil }

func (e *Emulator) controlReset(*call) (any, error) {
	if err := e.reset(); err != nil {
		return nil, err
	}
	return e.summary(), nil
}

// controlState dumps the state. Tokens, client secrets, vendor app secrets
// and certificates (which carry private keys) are redacted unless the caller
// asks for them with ?secrets=true, which makes the dump loadable as a seed.
func (e *Emulator) controlState(c *call) (any, error) {
	reveal, err := queryBool(c.r, "secrets")
	if err != nil {
		return nil, err
	}
	s := e.Snapshot()
	if !reveal {
		redactState(&s)
	}
	return s, nil
}

// redactState replaces secrets with a marker that keeps equal values equal
// and different ones different, so a redacted dump can still be compared.
func redactState(s *State) {
	mark := func(secret string) string {
		if secret == "" {
			return ""
		}
		sum := sha256.Sum256([]byte(secret))
		return redacted + ":" + hex.EncodeToString(sum[:6])
	}
	for i := range s.AccessTokens {
		s.AccessTokens[i].Token = mark(s.AccessTokens[i].Token)
	}
	for i := range s.Clients {
		s.Clients[i].ClientSecret = mark(s.Clients[i].ClientSecret)
	}
	for i := range s.Certificates {
		c := &s.Certificates[i]
		c.AppSecret, c.Certificate = mark(c.AppSecret), mark(c.Certificate)
	}
}

// controlSeed replaces the state with a posted seed, JSON or YAML. Reset still
// returns to the seed the emulator started with.
func (e *Emulator) controlSeed(c *call) (any, error) {
	data, err := io.ReadAll(c.r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, &apiError{HTTP: http.StatusRequestEntityTooLarge, Message: "seed is too large."}
		}
		return nil, badRequest("reading seed: %v", err)
	}
	seed, err := LoadSeed(data)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	st, err := seed.resolve(c.now)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	if err := e.replaceState(st); err != nil {
		return nil, err
	}
	return e.summary(), nil
}

type requestsDump struct {
	Requests []RequestRecord `json:"requests"` // the matching records, oldest first
	Count    int             `json:"count"`    // len(requests)
	Counts   map[string]int  `json:"counts"`   // every request per route since the last reset, unfiltered
}

type requestCount struct {
	Count int `json:"count"`
}

// requestsWaited is the answer of /_emulator/requests/wait.
type requestsWaited struct {
	Count    int             `json:"count"`
	Wanted   int             `json:"wanted"`
	TimedOut bool            `json:"timed_out"`
	Error    string          `json:"error,omitempty"`
	Requests []RequestRecord `json:"requests"`
}

const (
	defaultWaitTimeout = 10 * time.Second
	maxWaitTimeout     = 5 * time.Minute
)

func (e *Emulator) controlRequests(c *call) (any, error) {
	f, err := requestFilter(c.r)
	if err != nil {
		return nil, err
	}
	found := e.FindRequests(f)
	return requestsDump{Requests: found, Count: len(found), Counts: e.RouteCounts()}, nil
}

func (e *Emulator) controlCountRequests(c *call) (any, error) {
	f, err := requestFilter(c.r)
	if err != nil {
		return nil, err
	}
	return requestCount{Count: e.CountRequests(f)}, nil
}

// controlWaitRequests answers as soon as count matching requests are in the
// log, or after timeout with 408, so a pipeline never sleeps for a guess.
func (e *Emulator) controlWaitRequests(c *call) (any, error) {
	f, err := requestFilter(c.r)
	if err != nil {
		return nil, err
	}
	n, err := queryInt(c.r, "count", 1, 1)
	if err != nil {
		return nil, err
	}
	timeout, err := queryTimeout(c.r, "timeout", defaultWaitTimeout, maxWaitTimeout)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(c.r.Context(), timeout)
	defer cancel()
	found, werr := e.WaitForRequests(ctx, f, n)
	answer := requestsWaited{Count: len(found), Wanted: n, Requests: found}
	if werr != nil {
		answer.TimedOut = true
		answer.Error = fmt.Sprintf("%d of %d matching requests arrived within %s.", len(found), n, timeout)
		return controlAnswer{status: http.StatusRequestTimeout, body: answer}, nil
	}
	return answer, nil
}

// requestFilter reads route, method, status (503 or 5xx), since and until
// (RFC 3339) and after (a record id) from the query.
func requestFilter(r *http.Request) (RequestFilter, *apiError) {
	q := r.URL.Query()
	f := RequestFilter{Route: q.Get("route"), Method: strings.ToUpper(q.Get("method"))}
	switch raw := strings.ToLower(q.Get("status")); {
	case raw == "":
	case len(raw) == 3 && strings.HasSuffix(raw, "xx") && raw[0] >= '1' && raw[0] <= '5':
		f.StatusClass = int(raw[0] - '0')
	default:
		n, err := strconv.Atoi(raw)
		if err != nil || n < 100 || n > 599 {
			return f, badRequest("query parameter status: want an HTTP status like 503 or a class like 5xx, got %q", raw)
		}
		f.Status = n
	}
	for name, dst := range map[string]*time.Time{"since": &f.Since, "until": &f.Until} {
		if raw := q.Get(name); raw != "" {
			t, err := time.Parse(time.RFC3339Nano, raw)
			if err != nil {
				return f, badRequest("query parameter %s: want an RFC 3339 time like 2026-01-02T15:04:05Z, got %q", name, raw)
			}
			*dst = t
		}
	}
	after, err := queryInt(r, "after", 0, 0)
	if err != nil {
		return f, err
	}
	f.After = int64(after)
	return f, nil
}

// queryTimeout reads a duration ("5s", "250ms") or a number of seconds.
func queryTimeout(r *http.Request, name string, def, most time.Duration) (time.Duration, *apiError) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return def, nil
	}
	d, err := time.ParseDuration(raw)
	if err != nil {
		secs, serr := strconv.ParseFloat(raw, 64)
		if serr != nil || math.IsNaN(secs) || math.IsInf(secs, 0) {
			return 0, badRequest("query parameter %s: want a duration like 5s or 250ms, got %q", name, raw)
		}
		if secs > most.Seconds() {
			secs = most.Seconds() + 1 // rejected below, without overflowing
		}
		d = time.Duration(secs * float64(time.Second))
	}
	if d <= 0 || d > most {
		return 0, badRequest("query parameter %s: must be more than 0 and at most %s, got %q", name, most, raw)
	}
	return d, nil
}

func (e *Emulator) controlClearRequests(*call) (any, error) {
	e.ResetRequestLog()
	return requestsDump{Requests: []RequestRecord{}, Counts: map[string]int{}}, nil
}

func (e *Emulator) controlFaults(*call) (any, error) { return e.faults.list(), nil }

// controlSetFaults replaces the rules; unlike SetFaults it rejects the whole
// list when one rule is invalid, since the caller can fix and resend it.
func (e *Emulator) controlSetFaults(c *call) (any, error) {
	var rules []FaultRule
	if err := decodeJSON(c.r.Body, &rules); err != nil {
		return nil, err
	}
	if err := e.checkFaults(rules); err != nil {
		return nil, badRequest("%v", err)
	}
	e.faults.set(rules)
	return e.faults.list(), nil
}

func (e *Emulator) controlClearFaults(*call) (any, error) {
	e.faults.set(nil)
	return []FaultRule{}, nil
}
