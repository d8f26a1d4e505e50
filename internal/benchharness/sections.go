package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
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
	Cached   bool // token_cache = true: one fetch for the whole command
	Walks    int  // provider processes the command starts (plan 1; apply, destroy 2)
}

func (t tokenRun) tokens() int { return t.Counts["POST /v1/token"] }

// want is the target: one fetch per provider process, which is the default
// since token_cache is opt-in (issue #10), and one per command with the cache.
func (t tokenRun) want() int {
	if t.Cached {
		return 1
	}
	return t.Walks
}

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
		cached   bool
		walks    int
	}{
		{fmt.Sprintf("apply creating %d templates (nothing to refresh)", n), "", apply, false, 2},
		{fmt.Sprintf("plan over %d templates (refresh only)", n), "", []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"}, false, 1},
		{fmt.Sprintf("apply updating %d templates (refresh in the plan walk, update in the apply walk)", n), " v2", apply, false, 2},
		{"the same update apply with `token_cache = true`", " v3", apply, true, 2},
		{fmt.Sprintf("destroy of %d templates (refresh, then delete)", n), " v3", []string{"destroy", "-auto-approve", "-input=false", "-no-color"}, false, 2},
	}
	for _, r := range runs {
		extra := ""
		if r.cached {
			extra = "  token_cache = true\n"
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
		h.rep.tokens = append(h.rep.tokens, tokenRun{Scenario: r.scenario, Command: "terraform " + join(r.args), Counts: counts, Cached: r.cached, Walks: r.walks})
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
	sides := []string{planWorkplus, planData}
	fns := map[string]func() (time.Duration, error){planWorkplus: planA, planData: planB}
	if _, ok := h.floorBinary(); ok {
		// The framework floor: our schema, no requests, no ModifyPlan;
		// and the same without validators, defaults and plan modifiers.
		for side, resourceType := range map[string]string{planFloor: "workplusfloor_template", planBare: "workplusfloor_bare_template"} {
			dir, err := h.dir("plan-" + side)
			if err != nil {
				return err
			}
			if err := writeFile(filepath.Join(dir, "main.tf"), floorConfig(resourceType, n)); err != nil {
				return err
			}
			if _, err := h.tf.apply(ctx, dir); err != nil {
				return fmt.Errorf("applying the framework floor (%s): %w", resourceType, err)
			}
			fns[side] = func() (time.Duration, error) { return h.tf.planNoChanges(ctx, dir) }
		}
		sides = []string{planWorkplus, planFloor, planBare, planData}
	} else {
		log.Printf("no terraform-provider-workplusfloor in %s: the plan is compared with terraform_data only", h.opts.providerDir)
	}
	plan, err := h.alternateN(h.opts.pairs, "no-change plan", sides, fns)
	if err != nil {
		return err
	}
	h.rep.planSides = plan
	h.rep.plan = plan.ab(planWorkplus, planData)

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

// The sides of the no-change plan comparison.
const (
	planWorkplus = "workplus_template"
	planFloor    = "framework floor"
	planBare     = "framework floor, bare schema"
	planData     = "terraform_data"
)

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

// The sides of the large-list comparison.
const (
	listLight     = "data source, default shape"
	listFull      = "data source, include_content"
	listNone      = "data source, kw matching nothing"
	jsonLight     = "jsondecode, default-shape records"
	jsonFull      = "jsondecode, full records"
	jsonNone      = "jsondecode, no records"
	recordsLight  = "records-default.json"
	recordsFull   = "records-full.json"
	recordsNone   = "records-none.json"
	listAddress   = "data.workplus_templates.all"
	listPageCount = 100
)

type listResult struct {
	Templates    int
	Sides        *multiResult
	FullRequests int // list requests of the default-shape read
	BaseRequests int
	RecordBytes  map[string]int64
	SeedLoad     time.Duration
}

func (h *harness) largeList(ctx context.Context) error {
	n := h.opts.listTemplates
	emu, err := h.startEmulator(ctx, "list")
	if err != nil {
		return err
	}
	defer emu.stop()
	res := &listResult{Templates: n, RecordBytes: map[string]int64{}}
	t0 := time.Now()
	if err := emu.seed(ctx, benchSeed(n)); err != nil {
		return err
	}
	res.SeedLoad = time.Since(t0)
	fns := map[string]func() (time.Duration, error){}
	want := map[string]int{listLight: ceilDiv(n, listPageCount), listFull: ceilDiv(n, listPageCount), listNone: 1}
	for side, cfg := range map[string]string{
		listLight: templatesDataSourceConfigWith(emu.URL, "", 0, false),
		listFull:  templatesDataSourceConfigWith(emu.URL, "", 0, true),
		listNone:  templatesDataSourceConfig(emu.URL, "no-template-matches-this", 0),
	} {
		dir, err := h.dir("list-" + strings.ReplaceAll(side, " ", "-"))
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, "main.tf"), cfg); err != nil {
			return err
		}
		fns[side] = func() (time.Duration, error) {
			d, counts, err := timedExactly(ctx, emu, func() (time.Duration, error) { return h.tf.plan(ctx, dir) }, "GET /v1/templates", want[side])
			if err != nil {
				return d, fmt.Errorf("data source plan: %w", err)
			}
			switch side {
			case listLight:
				res.FullRequests = counts["GET /v1/templates"]
			case listNone:
				res.BaseRequests = counts["GET /v1/templates"]
			}
			return d, nil
		}
	}
	// The floor's records are the data source's own templates, taken from
	// the state of an apply (untimed), so both sides hold the same values.
	jsonDir, err := h.dir("list-jsondecode")
	if err != nil {
		return err
	}
	for file, side := range map[string]string{recordsLight: listLight, recordsFull: listFull} {
		records, err := h.listedRecords(ctx, filepath.Join(h.work, "list-"+strings.ReplaceAll(side, " ", "-")))
		if err != nil {
			return err
		}
		res.RecordBytes[file] = int64(len(records))
		if err := os.WriteFile(filepath.Join(jsonDir, file), records, 0o644); err != nil {
			return err
		}
	}
	if err := writeFile(filepath.Join(jsonDir, recordsNone), "[]\n"); err != nil {
		return err
	}
	for side, file := range map[string]string{jsonLight: recordsLight, jsonFull: recordsFull, jsonNone: recordsNone} {
		dir, err := h.dir("list-" + strings.ReplaceAll(side, " ", "-"))
		if err != nil {
			return err
		}
		if err := os.Link(filepath.Join(jsonDir, file), filepath.Join(dir, file)); err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, "main.tf"), jsonDecodeConfig(file)); err != nil {
			return err
		}
		fns[side] = func() (time.Duration, error) { return h.tf.plan(ctx, dir) }
	}
	// jsonFull is set up but not timed: Terraform needs minutes to plan
	// jsondecode of the 10,000 full records (one run during the
	// investigation: 210 s against 44 s for the data source), which would
	// make `make bench` too slow for what one more ratio tells.
	sides, err := h.alternateN(h.opts.listRuns, "large list", []string{listLight, jsonLight, listFull, listNone, jsonNone}, fns)
	res.Sides = sides
	h.rep.list = res
	return err
}

// listedRecords applies the data source configuration in dir and returns its
// templates attribute from the state as JSON; the state is removed after.
func (h *harness) listedRecords(ctx context.Context, dir string) ([]byte, error) {
	if _, err := h.tf.apply(ctx, dir); err != nil {
		return nil, err
	}
	defer removeState(dir) //nolint:errcheck // a leftover state only slows the plans, which read no state
	out, err := h.tf.runQuiet(ctx, dir, "show", "-json", "-no-color")
	if err != nil {
		return nil, err
	}
	var shown struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string `json:"address"`
					Values  struct {
						Templates json.RawMessage `json:"templates"`
					} `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		return nil, fmt.Errorf("terraform show -json: %w", err)
	}
	for _, r := range shown.Values.RootModule.Resources {
		if r.Address == listAddress {
			return r.Values.Templates, nil
		}
	}
	return nil, fmt.Errorf("terraform show -json in %s has no %s", dir, listAddress)
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
