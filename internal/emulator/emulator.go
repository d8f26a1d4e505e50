package emulator

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"
)

// Status modes (Options.StatusMode).
const (
	// StatusModeHTTP answers errors with a fitting HTTP status and the envelope.
	StatusModeHTTP = "http"
	// StatusModeAlways200 answers every vendor request with HTTP 200; only
	// the envelope tells success from failure, as some deployments do.
	StatusModeAlways200 = "always200"
)

// Options configure an Emulator. The zero value is a usable in-memory
// emulator with the default seed.
type Options struct {
	Seed          *Seed            // nil: the embedded default seed
	StateFile     string           // "": in memory; else a bbolt file that every acknowledged write reaches first
	MaxPageSize   int              // cap on GET /v1/templates limit; default 100
	StatusMode    string           // StatusModeHTTP (default) or StatusModeAlways200
	DisableDelete bool             // DELETE /v1/templates/{id} answers 405, like a server without the extension
	StrictFields  bool             // vendor bodies with unknown fields (or another vendor's push fields) get 400; default: ignored, as a real server most likely does
	TokenTTL      time.Duration    // lifetime of tokens issued by /v1/token; default 2h
	MaxBodyBytes  int64            // request body limit; default 1 MiB; over it: 413
	AdminToken    string           // when set, /_emulator/* (but health) needs header X-Emulator-Admin-Token
	AllowedHosts  []string         // Host names answered besides loopback ones; "*.example.com" for subdomains, AllowAnyHost for all
	FaultSeed     int64            // seeds the fault RNG, so faults are reproducible
	Faults        []FaultRule      // initial fault rules
	Now           func() time.Time // default time.Now; tests move the clock
	Logger        *slog.Logger     // default: discard

	// DocumentedShape answers with exactly what the seeds show where that is
	// thinner than the emulator's own answers: template list records without
	// tags and type and with app_id "DEFAULT", create_time and refresh_time 0
	// in template create, update and get (seed 001); expects, fails, oks and
	// refresh_time 0 in the app message answer (seed 000). documented.go.
	DocumentedShape bool
}

const (
	defaultMaxPageSize  = 100
	defaultTokenTTL     = 2 * time.Hour
	defaultMaxBodyBytes = 1 << 20
	// Seeds are posted to the control API and may hold many templates; the
	// vendor body limit would make a large seed impossible to load.
	controlMaxBodyBytes = 64 << 20
)

// Emulator is the WorkPlus server. It is an http.Handler and safe for
// concurrent use.
type Emulator struct {
	opts     Options
	log      *slog.Logger
	baseline *State // the resolved start seed; reset returns to it
	store    store
	routes   []*route
	reqlog   *requestLog
	faults   *faultSet

	// mu guards st. Mutations hold it across the store write, so the order
	// of changes on disk is the order they became visible.
	mu sync.RWMutex
	st *memState
}

// New builds an emulator. With a state file that already holds state, that
// state is loaded; otherwise the seed is, and written to the file.
func New(opts Options) (*Emulator, error) {
	if err := opts.setDefaults(); err != nil {
		return nil, err
	}
	e := &Emulator{
		opts:   opts,
		log:    opts.Logger,
		reqlog: newRequestLog(requestLogSize),
		faults: newFaultSet(opts.FaultSeed),
	}
	e.routes = e.routeTable()
	if err := e.checkFaults(opts.Faults); err != nil {
		return nil, err
	}
	e.faults.set(opts.Faults)

	seed := opts.Seed
	if seed == nil {
		seed = DefaultSeed()
	}
	baseline, err := seed.resolve(opts.Now())
	if err != nil {
		return nil, err
	}
	e.baseline = baseline
	// The resolved baseline is all that is needed from now on; holding the
	// seed too would keep a second copy of a large one alive.
	e.opts.Seed = nil

	e.store = memoryStore{}
	if opts.StateFile != "" {
		bs, err := openBoltStore(opts.StateFile)
		if err != nil {
			return nil, err
		}
		e.store = bs
	}
	if err := e.loadInitialState(); err != nil {
		_ = e.store.close()
		return nil, err
	}
	return e, nil
}

func (o *Options) setDefaults() error {
	if o.MaxPageSize == 0 {
		o.MaxPageSize = defaultMaxPageSize
	}
	if o.MaxPageSize < 0 {
		return fmt.Errorf("emulator: MaxPageSize must be positive, got %d", o.MaxPageSize)
	}
	switch o.StatusMode {
	case "":
		o.StatusMode = StatusModeHTTP
	case StatusModeHTTP, StatusModeAlways200:
	default:
		return fmt.Errorf("emulator: StatusMode %q: must be %q or %q", o.StatusMode, StatusModeHTTP, StatusModeAlways200)
	}
	if o.TokenTTL == 0 {
		o.TokenTTL = defaultTokenTTL
	}
	if o.TokenTTL < 0 {
		return fmt.Errorf("emulator: TokenTTL must be positive, got %s", o.TokenTTL)
	}
	if o.MaxBodyBytes == 0 {
		o.MaxBodyBytes = defaultMaxBodyBytes
	}
	if o.MaxBodyBytes < 0 {
		return fmt.Errorf("emulator: MaxBodyBytes must be positive, got %d", o.MaxBodyBytes)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return nil
}

func (e *Emulator) loadInitialState() error {
	ops, found, err := e.store.load()
	if err != nil {
		return err
	}
	if !found {
		return e.replaceState(e.baseline)
	}
	st := newMemState()
	for _, o := range ops {
		if err := st.apply(o); err != nil {
			return fmt.Errorf("loading state file %s: %w", e.opts.StateFile, err)
		}
	}
	e.st = st
	e.log.Info("loaded state file", "path", e.opts.StateFile, "templates", len(st.templates.list), "push_tasks", len(st.tasks.list))
	return nil
}

// replaceState swaps in a whole new state, on disk first.
func (e *Emulator) replaceState(s *State) error {
	ops := stateOps(s)
	st := newMemState()
	for _, o := range ops {
		if err := st.apply(o); err != nil {
			return err
		}
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.store.replace(ops); err != nil {
		return fmt.Errorf("writing state: %w", err)
	}
	e.st = st
	return nil
}

// commit persists ops and then makes them visible. The caller holds e.mu for
// writing and has validated everything, so a failure here is the store's.
func (e *Emulator) commit(ops ...op) error {
	e.st.assignSeqs(ops)
	if err := e.store.write(ops); err != nil {
		e.log.Error("writing state", "error", err)
		return errInternal
	}
	for _, o := range ops {
		if err := e.st.apply(o); err != nil {
			// The change is on disk but not in memory: a restart would
			// show it. Not reachable with ops built by this package.
			e.log.Error("applying change", "error", err)
			return errInternal
		}
	}
	return nil
}

// Close closes the state file. The emulator must not serve afterwards.
func (e *Emulator) Close() error {
	return e.store.close()
}

// reset returns to the seed loaded at start.
func (e *Emulator) reset() error { return e.replaceState(e.baseline) }

// TemplateCount returns the number of templates, over all orgs.
func (e *Emulator) TemplateCount() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return len(e.st.templates.list)
}

// PushTaskCount returns the number of push tasks.
func (e *Emulator) PushTaskCount() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return len(e.st.tasks.list)
}

// AppMessageCount returns the number of app messages accepted.
func (e *Emulator) AppMessageCount() int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return len(e.st.messages.list)
}

// Snapshot returns a deep copy of the state; changing it changes nothing.
func (e *Emulator) Snapshot() State {
	e.mu.RLock()
	s := e.st.state()
	// Encoding under the lock: the copy shares slices with live state.
	out, err := deepCopy(s)
	e.mu.RUnlock()
	if err != nil {
		// Everything in state came through JSON once; it goes back.
		e.log.Error("copying state", "error", err)
	}
	return out
}

// Requests returns the logged vendor requests, oldest first: the last 10,000.
func (e *Emulator) Requests() []RequestRecord { return e.reqlog.records() }

// RouteCounts returns how often each route was requested since the log was
// last reset, keyed like "GET /v1/templates/{id}". Requests that matched no
// route count under "unmatched".
func (e *Emulator) RouteCounts() map[string]int { return e.reqlog.routeCounts() }

// FindRequests returns the logged vendor requests that f selects, oldest
// first.
func (e *Emulator) FindRequests(f RequestFilter) []RequestRecord { return e.reqlog.find(f) }

// CountRequests counts the logged vendor requests that f selects.
func (e *Emulator) CountRequests(f RequestFilter) int { return len(e.reqlog.find(f)) }

// WaitForRequests returns as soon as at least n logged requests match f. When
// ctx ends first it returns those that matched and ctx's error.
func (e *Emulator) WaitForRequests(ctx context.Context, f RequestFilter, n int) ([]RequestRecord, error) {
	return e.reqlog.wait(ctx, f, n)
}

// ResetRequestLog forgets all logged requests and counts.
func (e *Emulator) ResetRequestLog() { e.reqlog.reset() }

// SetFaults replaces the fault rules and restarts the fault RNG from
// Options.FaultSeed, so a rule set behaves the same however often it is set.
// Invalid rules are logged and left out; the control API rejects them instead.
func (e *Emulator) SetFaults(rules []FaultRule) {
	valid := make([]FaultRule, 0, len(rules))
	for i, r := range rules {
		if err := e.checkFault(r); err != nil {
			e.log.Error("ignoring invalid fault rule", "index", i, "error", err)
			continue
		}
		valid = append(valid, r)
	}
	e.faults.set(valid)
}

func (e *Emulator) checkFaults(rules []FaultRule) error {
	var errs []error
	for i, r := range rules {
		if err := e.checkFault(r); err != nil {
			errs = append(errs, fmt.Errorf("faults[%d]: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

// checkFault validates a rule, including that its route names a vendor route:
// a misspelt route would otherwise never fire, silently.
func (e *Emulator) checkFault(r FaultRule) error {
	if err := r.validate(); err != nil {
		return err
	}
	if r.Route == "*" {
		return nil
	}
	var known []string
	for _, rt := range e.routes {
		if rt.api() == controlAPI {
			continue
		}
		if r.Route == rt.key || r.Route == rt.pattern {
			return nil
		}
		known = append(known, rt.key)
	}
	return fmt.Errorf("route %q is not a vendor route; use \"*\", a path pattern or one of: %s", r.Route, strings.Join(known, ", "))
}

func (e *Emulator) now() time.Time { return e.opts.Now() }
