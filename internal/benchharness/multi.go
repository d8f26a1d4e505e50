package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// multiResult is alternating timings of several sides.
type multiResult struct {
	Names     []string
	Runs, CPU map[string][]time.Duration
}

func (m *multiResult) has(name string) bool { return len(m.Runs[name]) > 0 }

func (m *multiResult) median(name string) time.Duration { return median(m.Runs[name]) }

func (m *multiResult) medianCPU(name string) time.Duration { return median(m.CPU[name]) }

// ratio is the ratio of the medians of a and b.
func (m *multiResult) ratio(a, b string) float64 { return float64(m.median(a)) / float64(m.median(b)) }

// ab is the pair a, b as an abResult, for abTable.
func (m *multiResult) ab(a, b string) *abResult {
	return &abResult{A: m.Runs[a], B: m.Runs[b], ACPU: m.CPU[a], BCPU: m.CPU[b]}
}

// alternateN runs rounds of every side, rotating the order each round and
// reversing it every other round, so no side always runs first or after the
// same neighbour.
func (h *harness) alternateN(rounds int, what string, names []string, fns map[string]func() (time.Duration, error)) (*multiResult, error) {
	m := &multiResult{Names: names, Runs: map[string][]time.Duration{}, CPU: map[string][]time.Duration{}}
	for i := range rounds {
		order := append(slices.Clone(names[i%len(names):]), names[:i%len(names)]...)
		if i%2 == 1 {
			slices.Reverse(order)
		}
		for _, name := range order {
			d, err := fns[name]()
			if err != nil {
				return m, fmt.Errorf("%s round %d, %s: %w", what, i+1, name, err)
			}
			m.Runs[name] = append(m.Runs[name], d)
			m.CPU[name] = append(m.CPU[name], h.tf.lastCPU)
			log.Printf("%s round %d %s: %s (CPU %s)", what, i+1, name, d.Round(time.Millisecond), h.tf.lastCPU.Round(time.Millisecond))
		}
	}
	return m, nil
}

// multiTable is a table of every side of m, with each side's ratio to base.
func multiTable(w func(string, ...any), m *multiResult, label func(string) string, base string) {
	w("| | median | min | max | runs (in order) | median CPU (user+sys) | ratio of medians to %s (wall / CPU) | per-round ratios to %s, min–max |\n|---|---|---|---|---|---|---|---|\n", label(base), label(base))
	for _, name := range m.Names {
		if !m.has(name) {
			continue
		}
		lo, hi := minMax(m.Runs[name])
		pr := pairRatios(m.Runs[name], m.Runs[base])
		w("| %s | %s | %s | %s | %s | %s | %.2f× / %.2f× | %.2f×–%.2f× |\n", label(name), dur(m.median(name)), dur(lo), dur(hi), durs(m.Runs[name]), dur(m.medianCPU(name)),
			m.ratio(name, base), float64(m.medianCPU(name))/float64(m.medianCPU(base)), slices.Min(pr), slices.Max(pr))
	}
	w("\n")
}

// floorBinary is the framework floor provider's binary, if scripts/bench.sh
// built it next to the provider.
func (h *harness) floorBinary() (string, bool) {
	bin := filepath.Join(h.opts.providerDir, "terraform-provider-workplusfloor")
	_, err := os.Stat(bin)
	return bin, err == nil
}
