// Command benchharness runs the end-to-end benchmarks of issue #6 and writes
// BENCHMARKS.md: round trips per operation from the emulator's request log,
// terraform apply and plan against the emulator side by side with
// terraform_data, a latency-bound refresh, a 10,000-template data source,
// and the emulator binary's throughput, memory and keyword search.
//
// scripts/bench.sh (make bench) builds the provider and the emulator, runs
// the Go benchmarks and then this program:
//
//	go run ./internal/benchharness -provider-dir DIR -emulator-bin PATH \
//	    -gobench gobench.txt -out BENCHMARKS.md
//
// Everything it starts listens on 127.0.0.1 only: emulator binaries on a free
// port (--listen 127.0.0.1:0 --url-file), a bare net/http server (this program
// re-executed with -serve-bare), and terraform with a dev_overrides CLI
// configuration and CHECKPOINT_DISABLE, so nothing reaches beyond loopback.
// Every loop is bounded and every child process runs under the -timeout
// context.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

type options struct {
	providerDir string
	emulatorBin string
	terraform   string
	// terraformQuery runs section 6 (terraform query, Terraform ≥ 1.14).
	terraformQuery string
	out            string
	gobench        string
	startedAt      int64
	pairs          int
	listRuns       int
	loadRounds     int
	templates      int
	listTemplates  int
	memTemplates   int
	loadRequests   int
	kwRequests     int
	timeout        time.Duration
	keepWork       bool
	only           string

	// Internal mode: serve a fixed body over plain net/http.
	serveBare   string
	bareType    string
	bareURLFile string
}

func main() {
	var o options
	flag.StringVar(&o.providerDir, "provider-dir", "", "directory holding the terraform-provider-workplus binary (dev_overrides)")
	flag.StringVar(&o.emulatorBin, "emulator-bin", "", "path of the workplus-emulator binary")
	flag.StringVar(&o.terraform, "terraform", "terraform", "terraform binary")
	flag.StringVar(&o.terraformQuery, "terraform-query", "terraform", "terraform binary (≥ 1.14) for the `terraform query` section; skipped, saying so, if older")
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "report to write")
	flag.StringVar(&o.gobench, "gobench", "", "raw `go test -bench` output to include (optional)")
	flag.Int64Var(&o.startedAt, "started-at", 0, "unix time `make bench` started, to report its total duration (optional)")
	flag.IntVar(&o.pairs, "pairs", 5, "A/B pairs for the apply, plan and latency comparisons")
	flag.IntVar(&o.listRuns, "list-pairs", 3, "A/B pairs for the 10,000-template data source plan")
	flag.IntVar(&o.loadRounds, "load-rounds", 5, "alternating rounds of the throughput comparison")
	flag.IntVar(&o.templates, "templates", 300, "templates in the apply/plan/latency benchmarks")
	flag.IntVar(&o.listTemplates, "list-templates", 10_000, "templates in the data source benchmark")
	flag.IntVar(&o.memTemplates, "mem-templates", 100_000, "templates loaded for the memory and keyword-search benchmarks")
	flag.IntVar(&o.loadRequests, "load-requests", 30_000, "requests per throughput run")
	flag.IntVar(&o.kwRequests, "kw-requests", 300, "keyword searches timed over the large seed")
	flag.DurationVar(&o.timeout, "timeout", 14*time.Minute, "bound on the whole run")
	flag.BoolVar(&o.keepWork, "keep-work", false, "keep the temporary working directory")
	flag.StringVar(&o.only, "only", "", "run only the sections whose names contain this text (for development; the report then lacks the others)")
	flag.StringVar(&o.serveBare, "serve-bare", "", "internal: serve this file's bytes on 127.0.0.1:0")
	flag.StringVar(&o.bareType, "bare-content-type", "application/json; charset=utf-8", "internal: Content-Type of -serve-bare")
	flag.StringVar(&o.bareURLFile, "url-file", "", "internal: where -serve-bare writes its URL")
	flag.Parse()
	log.SetFlags(log.Ltime)
	log.SetPrefix("bench: ")

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if o.serveBare != "" {
		if err := serveBare(ctx, o.serveBare, o.bareType, o.bareURLFile); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := run(ctx, o); err != nil {
		log.Fatal(err)
	}
}

func (o *options) check() error {
	var errs []error
	if o.providerDir == "" {
		errs = append(errs, errors.New("-provider-dir is required"))
	} else if _, err := os.Stat(filepath.Join(o.providerDir, "terraform-provider-workplus")); err != nil {
		errs = append(errs, fmt.Errorf("-provider-dir: %w", err))
	}
	if o.emulatorBin == "" {
		errs = append(errs, errors.New("-emulator-bin is required"))
	} else if _, err := os.Stat(o.emulatorBin); err != nil {
		errs = append(errs, fmt.Errorf("-emulator-bin: %w", err))
	}
	if o.pairs < 1 || o.listRuns < 1 || o.loadRounds < 1 || o.templates < 1 || o.listTemplates < 1 || o.memTemplates < 1 || o.loadRequests < 1 || o.kwRequests < 1 {
		errs = append(errs, errors.New("counts must be positive"))
	}
	return errors.Join(errs...)
}

// run measures every section in turn. A section that fails is reported as
// failed in BENCHMARKS.md and makes the run fail, after the report is written.
func run(ctx context.Context, o options) error {
	if err := o.check(); err != nil {
		return err
	}
	var err error
	if o.providerDir, err = filepath.Abs(o.providerDir); err != nil {
		return err
	}
	if o.emulatorBin, err = filepath.Abs(o.emulatorBin); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()

	work, err := os.MkdirTemp("", "workplus-bench-")
	if err != nil {
		return err
	}
	if o.keepWork {
		log.Printf("working directory: %s", work)
	} else {
		defer os.RemoveAll(work)
	}

	started := time.Now()
	r := &report{opts: o, machine: describeMachine(ctx, o.terraform), started: started}
	h := &harness{opts: o, work: work, tf: newTerraform(o.terraform, o.providerDir, work), rep: r}
	if err := h.tf.writeCLIConfig(); err != nil {
		return err
	}

	sections := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"round trips", h.roundTrips},
		{"apply and plan versus terraform_data", h.applyVersusData},
		{"latency-bound refresh", h.latencyRefresh},
		{"large list", h.largeList},
		{"emulator throughput", h.throughput},
		{"emulator memory and keyword search", h.memoryAndSearch},
		{"terraform query", h.query},
	}
	var failed []string
	for _, s := range sections {
		if o.only != "" && !strings.Contains(s.name, o.only) {
			continue
		}
		if ctx.Err() != nil {
			r.failures = append(r.failures, sectionFailure{s.name, "not run: the -timeout ran out"})
			failed = append(failed, s.name)
			continue
		}
		log.Printf("== %s", s.name)
		t0 := time.Now()
		if err := s.fn(ctx); err != nil {
			log.Printf("%s failed: %v", s.name, err)
			r.failures = append(r.failures, sectionFailure{s.name, err.Error()})
			failed = append(failed, s.name)
		}
		r.sectionTimes = append(r.sectionTimes, sectionTime{s.name, time.Since(t0)})
	}
	h.stopAll()

	if o.gobench != "" {
		if err := r.loadGoBench(o.gobench); err != nil {
			r.failures = append(r.failures, sectionFailure{"go benchmarks", err.Error()})
			failed = append(failed, "go benchmarks")
		}
	}
	r.finished = time.Now()
	r.machine.loadEnd = loadAverage()
	if err := r.write(o.out); err != nil {
		return err
	}
	log.Printf("wrote %s", o.out)
	if len(failed) > 0 {
		return fmt.Errorf("sections failed: %v (see %s)", failed, o.out)
	}
	return nil
}

// harness holds what the sections share.
type harness struct {
	opts options
	work string
	tf   *terraform
	rep  *report
	live []*process

	// The apply section leaves its emulator and working directory, with
	// the templates applied, to the latency section.
	applyEmu *process
	applyDir string
}

func (h *harness) dir(name string) (string, error) {
	d := filepath.Join(h.work, name)
	return d, os.MkdirAll(d, 0o755)
}

func (h *harness) stopAll() {
	for _, p := range h.live {
		p.stop()
	}
	h.live = nil
}

// writeFile writes a working file.
func writeFile(path, content string) error {
	return os.WriteFile(path, []byte(content), 0o644)
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
