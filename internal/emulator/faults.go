package emulator

import (
	"errors"
	"fmt"
	"html"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

const (
	maxFaultLatencyMS = 10 * 60 * 1000
	maxRetryAfter     = 24 * 60 * 60
)

// FaultRule makes matching vendor requests misbehave. Rules are tried in
// order and the first one that matches the request (and has applications
// left) decides; its probability is then rolled once.
type FaultRule struct {
	Route       string  `json:"route"`                 // "POST /v1/templates", "/v1/templates/{id}" (any method) or "*"
	Method      string  `json:"method,omitempty"`      // restricts a path-only or "*" route to one method
	Probability float64 `json:"probability"`           // 0..1; 0 means 1
	Status      int     `json:"status,omitempty"`      // answer this HTTP status in the route's envelope, without processing (but see AfterProcessing)
	Code        int     `json:"code,omitempty"`        // answer this vendor code in the envelope (HTTP 200 unless Status), without processing
	Message     string  `json:"message,omitempty"`     // the envelope message of Status or Code
	RetryAfter  int     `json:"retry_after,omitempty"` // seconds, sent as Retry-After with Status
	LatencyMS   int     `json:"latency_ms,omitempty"`  // delay before anything else
	Drop        string  `json:"drop,omitempty"`        // DropBefore or DropAfter
	// NullData processes the request for real, then answers success with
	// the envelope's data (Push API) or result (Open API) null, as the
	// vendor's documents allow for fields they mark nullable (task_id).
	NullData bool `json:"null_data,omitempty"`
	// AfterProcessing processes (and commits) the request, then answers
	// Status (5xx) with a gateway's HTML page instead of the route's answer:
	// a proxy in front of WorkPlus that gave up on an answer the backend was
	// still sending. Unlike DropAfter the client gets an HTTP answer, which
	// looks like a refusal but is not one.
	AfterProcessing bool `json:"after_processing,omitempty"`
	Count           int  `json:"count,omitempty"` // apply at most this often; 0 = unlimited
}

// Drop modes (FaultRule.Drop).
const (
	// DropBefore closes the connection without processing the request.
	DropBefore = "before"
	// DropAfter processes (and commits) the request, then closes the
	// connection without answering: the case that makes clients retry a
	// write that already happened.
	DropAfter = "after"
)

func (r FaultRule) validate() error {
	var errs []error
	if r.Route == "" {
		errs = append(errs, errors.New("route is missing"))
	}
	if r.Probability < 0 || r.Probability > 1 {
		errs = append(errs, fmt.Errorf("probability must be between 0 and 1, got %g", r.Probability))
	}
	if r.Status != 0 && (r.Status < 400 || r.Status > 599) {
		errs = append(errs, fmt.Errorf("status must be an HTTP error status (400-599), got %d", r.Status))
	}
	if r.RetryAfter < 0 || r.LatencyMS < 0 || r.Count < 0 {
		errs = append(errs, errors.New("retry_after, latency_ms and count must not be negative"))
	}
	// Durations are bounded so that no value overflows time.Duration, and
	// so that a typo (ms for s) does not hang a pipeline for days.
	if r.LatencyMS > maxFaultLatencyMS {
		errs = append(errs, fmt.Errorf("latency_ms must be at most %d (10 minutes), got %d", maxFaultLatencyMS, r.LatencyMS))
	}
	if r.RetryAfter > maxRetryAfter {
		errs = append(errs, fmt.Errorf("retry_after must be at most %d (a day), got %d", maxRetryAfter, r.RetryAfter))
	}
	if r.RetryAfter > 0 && r.Status == 0 {
		errs = append(errs, errors.New("retry_after needs a status"))
	}
	if r.Code < 0 {
		errs = append(errs, fmt.Errorf("code must be a positive vendor code such as 202012 or 10011, got %d", r.Code))
	}
	if r.Message != "" && r.Status == 0 && r.Code == 0 {
		errs = append(errs, errors.New("message needs a status or a code"))
	}
	if r.Drop != "" && r.Drop != DropBefore && r.Drop != DropAfter {
		errs = append(errs, fmt.Errorf("drop: %s", enumMessage(r.Drop, []string{DropBefore, DropAfter})))
	}
	if r.Drop != "" && (r.Status != 0 || r.Code != 0) {
		errs = append(errs, errors.New("drop excludes status and code: a dropped request gets no answer"))
	}
	if r.NullData && (r.Drop != "" || r.Status != 0 || r.Code != 0) {
		errs = append(errs, errors.New("null_data excludes drop, status and code: it answers success"))
	}
	if r.AfterProcessing && (r.Status < 500 || r.Code != 0 || r.Drop != "" || r.NullData) {
		errs = append(errs, errors.New("after_processing needs a 5xx status and excludes code, drop and null_data: it processes the request, then answers that status as a gateway"))
	}
	if r.Status == 0 && r.Code == 0 && r.Drop == "" && r.LatencyMS == 0 && !r.NullData {
		errs = append(errs, errors.New("the rule does nothing: set status, code, drop, null_data or latency_ms"))
	}
	return errors.Join(errs...)
}

func (r FaultRule) matches(route, method string) bool {
	if r.Method != "" && !strings.EqualFold(r.Method, method) {
		return false
	}
	if r.Route == "*" || r.Route == route {
		return true
	}
	_, path, _ := strings.Cut(route, " ")
	return r.Route == path
}

// describe says what the rule injects, for the request log.
func (r FaultRule) describe() string {
	var parts []string
	if r.LatencyMS > 0 {
		parts = append(parts, fmt.Sprintf("latency %dms", r.LatencyMS))
	}
	switch {
	case r.Drop != "":
		parts = append(parts, "drop "+r.Drop)
	case r.NullData:
		parts = append(parts, "null data")
	case r.AfterProcessing:
		parts = append(parts, fmt.Sprintf("status %d after processing", r.Status))
	case r.Code != 0 && r.Status != 0:
		parts = append(parts, fmt.Sprintf("code %d, status %d", r.Code, r.Status))
	case r.Code != 0:
		parts = append(parts, fmt.Sprintf("code %d", r.Code))
	case r.Status != 0:
		parts = append(parts, fmt.Sprintf("status %d", r.Status))
	}
	return strings.Join(parts, ", ")
}

// answer is the error a status or code rule answers: a vendor code comes
// with HTTP 200 unless the rule names a status, as real deployments send
// 202012 and 10011.
func (r FaultRule) answer() *apiError {
	ae := &apiError{HTTP: r.Status, Code: r.Code, Message: r.Message}
	if ae.HTTP == 0 {
		ae.HTTP = http.StatusOK
	}
	if ae.Message == "" {
		switch {
		case r.Code == workplus.StatusTokenNotFound:
			ae.Message = workplus.MessageTokenNotFound
		case r.Code == workplus.StatusNoSuchEmployee:
			ae.Message = workplus.MessageNoSuchEmployee
		case r.Code != 0:
			ae.Message = fmt.Sprintf("error %d (injected fault).", r.Code)
		default:
			ae.Message = strings.ToLower(http.StatusText(r.Status)) + " (injected fault)."
		}
	}
	return ae
}

// writeGatewayAnswer answers an AfterProcessing rule's status as a reverse
// proxy does: an HTML page, not a WorkPlus envelope.
func (r FaultRule) writeGatewayAnswer(w http.ResponseWriter) {
	text := r.Message
	if text == "" {
		text = http.StatusText(r.Status)
	}
	if r.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(r.RetryAfter))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(r.Status)
	_, _ = fmt.Fprintf(w, "<html><head><title>%d %s</title></head><body><h1>%d %s</h1><p>injected fault: the request was processed</p></body></html>\n",
		r.Status, html.EscapeString(text), r.Status, html.EscapeString(text))
}

// faultSet holds the rules, how often each has fired, and the RNG. One mutex
// makes the sequence of rolls, and so the faults, a function of the seed and
// the order requests arrive in.
type faultSet struct {
	mu    sync.Mutex
	seed  int64
	rng   *rand.Rand
	rules []FaultRule
	used  []int
}

func newFaultSet(seed int64) *faultSet {
	f := &faultSet{seed: seed}
	f.set(nil)
	return f
}

func (f *faultSet) set(rules []FaultRule) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = append([]FaultRule(nil), rules...)
	f.used = make([]int, len(rules))
	f.rng = rand.New(rand.NewPCG(uint64(f.seed), 0x5eed_fa17))
}

func (f *faultSet) list() []FaultRule {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]FaultRule{}, f.rules...)
}

// pick returns the fault to inject into a request of route, if any.
func (f *faultSet) pick(route, method string) (FaultRule, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.rules {
		if !r.matches(route, method) || (r.Count > 0 && f.used[i] >= r.Count) {
			continue
		}
		p := r.Probability
		if p == 0 {
			p = 1
		}
		if p < 1 && f.rng.Float64() >= p {
			return FaultRule{}, false
		}
		f.used[i]++
		return r, true
	}
	return FaultRule{}, false
}
