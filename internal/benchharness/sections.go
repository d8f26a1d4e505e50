package main

import (
	"context"
	"fmt"
	"log"
	"path/filepath"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// ---- 1. Round trips per operation ----

type roundTrip struct {
	Op      string
	Command string
	Route   string // the route the operation is
	Want    int    // requests allowed, on Route and in total
	Counts  map[string]int
}

func (r roundTrip) met() bool { return r.Counts[r.Route] == r.Want && total(r.Counts) == r.Want }

type tokenRun struct {
	Scenario string
	Command  string
	Counts   map[string]int
	NoCache  bool // token_cache = false: shows what the cache saves; no target
}

func (t tokenRun) tokens() int { return t.Counts["POST /v1/token"] }

type pageRun struct {
	Templates, PageSize, ServerCap int
	Got                            int
}

func (p pageRun) want() int { return ceilDiv(p.Templates, min(p.PageSize, p.ServerCap)) }

// measured runs a terraform command between clearing and reading the
// emulator's request log.
func (h *harness) measured(ctx context.Context, emu *process, dir string, args ...string) (map[string]int, error) {
	if err := emu.clearRequests(ctx); err != nil {
		return nil, err
	}
	if _, _, err := h.tf.run(ctx, dir, args...); err != nil {
		return nil, err
	}
	return emu.counts(ctx)
}

// timedExactly times command with the emulator's request log cleared, and
// fails unless the command made exactly want requests of route and nothing
// else: a timing of the wrong work is worse than none.
func timedExactly(ctx context.Context, emu *process, command func() (time.Duration, error), route string, want int) (time.Duration, map[string]int, error) {
	if err := emu.clearRequests(ctx); err != nil {
		return 0, nil, err
	}
	d, err := command()
	if err != nil {
		return d, nil, err
	}
	counts, err := emu.counts(ctx)
	if err != nil {
		return d, nil, err
	}
	if counts[route] != want || total(counts) != want {
		return d, counts, fmt.Errorf("made %v requests, want %d × %s and nothing else", counts, want, route)
	}
	return d, counts, nil
}

func (h *harness) roundTrips(ctx context.Context) error {
	emu, err := h.startEmulator(ctx, "roundtrips")
	if err != nil {
		return err
	}
	defer emu.stop()
	if err := emu.seed(ctx, benchSeed(0)); err != nil {
		return err
	}
	dir, err := h.dir("roundtrips")
	if err != nil {
		return err
	}
	cfg := filepath.Join(dir, "main.tf")
	if err := writeFile(cfg, templatesConfig(emu.URL, authToken, 0, "")); err != nil {
		return err
	}
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color"}
	step := func(op, route string, args ...string) error {
		counts, err := h.measured(ctx, emu, dir, args...)
		if err != nil {
			return fmt.Errorf("%s: %w", op, err)
		}
		h.rep.roundTrips = append(h.rep.roundTrips, roundTrip{Op: op, Command: "terraform " + join(args), Route: route, Want: 1, Counts: counts})
		return nil
	}
	if err := step("create", "POST /v1/templates", apply...); err != nil {
		return err
	}
	if err := step("read (refresh)", "GET /v1/templates/{id}", "plan", "-input=false", "-no-color", "-detailed-exitcode"); err != nil {
		return err
	}
	if err := writeFile(cfg, templatesConfig(emu.URL, authToken, 0, " v2")); err != nil {
		return err
	}
	if err := step("update", "POST /v1/templates/{id}", append(apply, "-refresh=false")...); err != nil {
		return err
	}
	ids, err := emu.templateIDs(ctx)
	if err != nil {
		return err
	}
	if len(ids) != 1 {
		return fmt.Errorf("the emulator holds %d templates after create and update, want 1", len(ids))
	}
	if _, _, err := h.tf.run(ctx, dir, "state", "rm", "-no-color", "workplus_template.t"); err != nil {
		return err
	}
	if err := step("import", "GET /v1/templates/{id}", "import", "-input=false", "-no-color", "workplus_template.t", ids[0]); err != nil {
		return err
	}
	if err := step("delete", "DELETE /v1/templates/{id}", "destroy", "-auto-approve", "-input=false", "-no-color", "-refresh=false"); err != nil {
		return err
	}

	if err := h.tokenRuns(ctx, emu); err != nil {
		return err
	}
	return h.pageRuns(ctx, emu)
}

// tokenRuns counts POST /v1/token per whole command with client credentials.
func (h *harness) tokenRuns(ctx context.Context, emu *process) error {
	const n = 20
	if err := emu.seed(ctx, benchSeed(0)); err != nil {
		return err
	}
	dir, err := h.dir("tokens")
	if err != nil {
		return err
	}
	cfg := filepath.Join(dir, "main.tf")
	if err := writeFile(cfg, templatesConfig(emu.URL, authCredentials, n, "")); err != nil {
		return err
	}
	apply := []string{"apply", "-auto-approve", "-input=false", "-no-color"}
	runs := []struct {
		scenario string
		suffix   string
		args     []string
		noCache  bool
	}{
		{fmt.Sprintf("apply creating %d templates (nothing to refresh)", n), "", apply, false},
		{fmt.Sprintf("plan over %d templates (refresh only)", n), "", []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"}, false},
		{fmt.Sprintf("apply updating %d templates (refresh in the plan walk, update in the apply walk)", n), " v2", apply, false},
		{"the same update apply with `token_cache = false`", " v3", apply, true},
		{fmt.Sprintf("destroy of %d templates (refresh, then delete)", n), " v3", []string{"destroy", "-auto-approve", "-input=false", "-no-color"}, false},
	}
	for _, r := range runs {
		extra := ""
		if r.noCache {
			extra = "  token_cache = false\n"
		}
		if err := writeFile(cfg, templatesConfigWith(emu.URL, authCredentials, extra, n, r.suffix)); err != nil {
			return err
		}
		// Every command starts with an empty token cache: the strict case.
		if err := h.tf.clearCache(); err != nil {
			return err
		}
		counts, err := h.measured(ctx, emu, dir, r.args...)
		if err != nil {
			return fmt.Errorf("%s: %w", r.scenario, err)
		}
		h.rep.tokens = append(h.rep.tokens, tokenRun{Scenario: r.scenario, Command: "terraform " + join(r.args), Counts: counts, NoCache: r.noCache})
	}
	return nil
}

// pageRuns counts the data source's list requests: with the provider's page
// size, and with a server that caps pages lower.
func (h *harness) pageRuns(ctx context.Context, emu *process) error {
	const n = 250
	capped, err := h.startEmulator(ctx, "roundtrips-cap40", "--max-page-size", "40")
	if err != nil {
		return err
	}
	defer capped.stop()
	for _, c := range []struct {
		emu       *process
		serverCap int
	}{{emu, 100}, {capped, 40}} {
		if err := c.emu.seed(ctx, benchSeed(n)); err != nil {
			return err
		}
		dir, err := h.dir(fmt.Sprintf("pages-%d", c.serverCap))
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, "main.tf"), templatesDataSourceConfig(c.emu.URL, "", 100)); err != nil {
			return err
		}
		counts, err := h.measured(ctx, c.emu, dir, "plan", "-input=false", "-no-color")
		if err != nil {
			return err
		}
		h.rep.pages = append(h.rep.pages, pageRun{Templates: n, PageSize: 100, ServerCap: c.serverCap, Got: counts["GET /v1/templates"]})
	}
	return nil
}

// ---- 2. Apply and no-change plan versus terraform_data ----

// abResult is alternating A/B timings: A is the provider, B the baseline.
type abResult struct {
	A, B       []time.Duration
	ACPU, BCPU []time.Duration // CPU time of the same runs
}

func (r *abResult) ratio() float64 { return float64(median(r.A)) / float64(median(r.B)) }

func (h *harness) applyVersusData(ctx context.Context) error {
	n := h.opts.templates
	emu, err := h.startEmulator(ctx, "apply")
	if err != nil {
		return err
	}
	h.applyEmu = emu // the latency section refreshes the same templates
	dirA, err := h.dir("apply-workplus")
	if err != nil {
		return err
	}
	dirB, err := h.dir("apply-terraform-data")
	if err != nil {
		return err
	}
	h.applyDir = dirA
	if err := writeFile(filepath.Join(dirA, "main.tf"), templatesConfig(emu.URL, authToken, n, "")); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dirB, "main.tf"), terraformDataConfig(n)); err != nil {
		return err
	}
	// Warm-up: both binaries and the configurations in the page cache.
	for _, d := range []string{dirA, dirB} {
		if _, _, err := h.tf.run(ctx, d, "validate", "-no-color"); err != nil {
			return err
		}
	}

	empty := benchSeed(0)
	applyA := func() (time.Duration, error) {
		if err := emu.seed(ctx, empty); err != nil {
			return 0, err
		}
		if err := removeState(dirA); err != nil {
			return 0, err
		}
		d, _, err := timedExactly(ctx, emu, func() (time.Duration, error) { return h.tf.apply(ctx, dirA) }, "POST /v1/templates", n)
		if err != nil {
			return d, fmt.Errorf("apply of %d templates: %w", n, err)
		}
		return d, nil
	}
	applyB := func() (time.Duration, error) {
		if err := removeState(dirB); err != nil {
			return 0, err
		}
		return h.tf.apply(ctx, dirB)
	}
	apply := &abResult{}
	if err := h.alternate(h.opts.pairs, "apply", applyA, applyB, apply); err != nil {
		return err
	}
	h.rep.apply = apply

	planA := func() (time.Duration, error) {
		d, _, err := timedExactly(ctx, emu, func() (time.Duration, error) { return h.tf.planNoChanges(ctx, dirA) }, "GET /v1/templates/{id}", n)
		if err != nil {
			return d, fmt.Errorf("plan over %d templates: %w", n, err)
		}
		return d, nil
	}
	planB := func() (time.Duration, error) { return h.tf.planNoChanges(ctx, dirB) }
	plan := &abResult{}
	if err := h.alternate(h.opts.pairs, "no-change plan", planA, planB, plan); err != nil {
		return err
	}
	h.rep.plan = plan

	// The same no-change plan with the SDK's logging forced off and forced
	// to TRACE in the provider process: what the logging costs, whatever
	// the provider's default is.
	withEnv := func(env []string) func() (time.Duration, error) {
		return func() (time.Duration, error) {
			h.tf.extraEnv = env
			defer func() { h.tf.extraEnv = nil }()
			return planA()
		}
	}
	logs := &abResult{}
	if err := h.alternate(h.opts.pairs, "no-change plan, SDK logs off vs trace", withEnv(sdkLogsOff), withEnv(sdkLogsTrace), logs); err != nil {
		return err
	}
	h.rep.planLogsOff = logs
	return nil
}

// alternate runs pairs of a and b, swapping the order every pair so neither
// side always runs first on a warmer (or busier) machine.
func (h *harness) alternate(pairs int, what string, a, b func() (time.Duration, error), into *abResult) error {
	for i := range pairs {
		order := []bool{true, false}
		if i%2 == 1 {
			order = []bool{false, true}
		}
		for _, isA := range order {
			fn, side := b, "B"
			if isA {
				fn, side = a, "A"
			}
			d, err := fn()
			if err != nil {
				return fmt.Errorf("%s pair %d side %s: %w", what, i+1, side, err)
			}
			if isA {
				into.A, into.ACPU = append(into.A, d), append(into.ACPU, h.tf.lastCPU)
			} else {
				into.B, into.BCPU = append(into.B, d), append(into.BCPU, h.tf.lastCPU)
			}
			log.Printf("%s pair %d %s: %s (CPU %s)", what, i+1, side, d.Round(time.Millisecond), h.tf.lastCPU.Round(time.Millisecond))
		}
	}
	return nil
}

// ---- 3. Latency-bound refresh ----

type latencyResult struct {
	Templates   int
	LatencyMS   int
	Parallelism int
	At20, At0   []time.Duration
	CPU20, CPU0 []time.Duration
	Faulted     int // requests that got the latency, per plan
}

func (l *latencyResult) floor() time.Duration {
	return time.Duration(l.Templates*l.LatencyMS/l.Parallelism) * time.Millisecond
}

func (h *harness) latencyRefresh(ctx context.Context) error {
	emu, dir := h.applyEmu, h.applyDir
	if emu == nil || dir == "" {
		return fmt.Errorf("needs the %d templates of the apply section, which failed", h.opts.templates)
	}
	defer emu.stop()
	n := h.opts.templates
	res := &latencyResult{Templates: n, LatencyMS: 20, Parallelism: 10}
	rule := []emulator.FaultRule{{Route: "GET /v1/templates/{id}", LatencyMS: res.LatencyMS}}
	plan := func(faults bool) func() (time.Duration, error) {
		return func() (time.Duration, error) {
			var err error
			if faults {
				err = emu.setFaults(ctx, rule)
			} else {
				err = emu.clearFaults(ctx)
			}
			if err != nil {
				return 0, err
			}
			d, counts, err := timedExactly(ctx, emu, func() (time.Duration, error) { return h.tf.planNoChanges(ctx, dir) }, "GET /v1/templates/{id}", n)
			if err != nil {
				return d, fmt.Errorf("plan: %w", err)
			}
			if faults {
				res.Faulted = counts["GET /v1/templates/{id}"]
			}
			return d, nil
		}
	}
	ab := &abResult{}
	if err := h.alternate(h.opts.pairs, "plan @20ms vs @0ms", plan(true), plan(false), ab); err != nil {
		return err
	}
	res.At20, res.At0, res.CPU20, res.CPU0 = ab.A, ab.B, ab.ACPU, ab.BCPU
	h.rep.latency = res
	return emu.clearFaults(ctx)
}

// ---- 4. Large lists ----

type listResult struct {
	Templates    int
	Full, Base   []time.Duration
	FullCPU      []time.Duration
	BaseCPU      []time.Duration
	FullRequests int
	BaseRequests int
	SeedLoad     time.Duration
}

func (h *harness) largeList(ctx context.Context) error {
	n := h.opts.listTemplates
	emu, err := h.startEmulator(ctx, "list")
	if err != nil {
		return err
	}
	defer emu.stop()
	res := &listResult{Templates: n}
	t0 := time.Now()
	if err := emu.seed(ctx, benchSeed(n)); err != nil {
		return err
	}
	res.SeedLoad = time.Since(t0)
	dirFull, err := h.dir("list-all")
	if err != nil {
		return err
	}
	dirBase, err := h.dir("list-none")
	if err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dirFull, "main.tf"), templatesDataSourceConfig(emu.URL, "", 0)); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dirBase, "main.tf"), templatesDataSourceConfig(emu.URL, "no-template-matches-this", 0)); err != nil {
		return err
	}
	run := func(dir string, requests *int, want int) func() (time.Duration, error) {
		return func() (time.Duration, error) {
			d, counts, err := timedExactly(ctx, emu, func() (time.Duration, error) { return h.tf.plan(ctx, dir) }, "GET /v1/templates", want)
			if err != nil {
				return d, fmt.Errorf("data source plan: %w", err)
			}
			*requests = counts["GET /v1/templates"]
			return d, nil
		}
	}
	ab := &abResult{}
	if err := h.alternate(h.opts.listRuns, "data source plan, all vs none", run(dirFull, &res.FullRequests, ceilDiv(n, 100)), run(dirBase, &res.BaseRequests, 1), ab); err != nil {
		return err
	}
	res.Full, res.Base, res.FullCPU, res.BaseCPU = ab.A, ab.B, ab.ACPU, ab.BCPU
	h.rep.list = res
	return nil
}

func join(args []string) string {
	out := ""
	for i, a := range args {
		if i > 0 {
			out += " "
		}
		out += a
	}
	return out
}
