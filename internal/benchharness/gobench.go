package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
)

// goBench is parsed `go test -bench` output: every sample of every
// benchmark, by package and name, in the order first seen.
type goBench struct {
	raw   string
	order []string // "pkg\tname"
	runs  map[string][]map[string]float64
}

func (r *report) loadGoBench(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	gb, err := parseGoBench(data)
	if err != nil {
		return err
	}
	r.gobench = gb
	return nil
}

func parseGoBench(data []byte) (*goBench, error) {
	gb := &goBench{raw: string(data), runs: map[string][]map[string]float64{}}
	pkg := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimSpace(p)
			continue
		}
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 4 || len(f)%2 != 0 {
			continue // a benchmark's own log line, not a result
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		metrics := map[string]float64{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("go bench line %q: %v", line, err)
			}
			metrics[f[i+1]] = v
		}
		key := pkg + "\t" + f[0]
		if _, seen := gb.runs[key]; !seen {
			gb.order = append(gb.order, key)
		}
		gb.runs[key] = append(gb.runs[key], metrics)
	}
	if len(gb.order) == 0 {
		return nil, fmt.Errorf("no benchmark results in the go test output")
	}
	return gb, nil
}

// median of one metric of a benchmark, found by name suffix (without the
// -GOMAXPROCS suffix). ok is false when the benchmark is missing.
func (gb *goBench) median(name, unit string) (float64, int, bool) {
	if gb == nil {
		return 0, 0, false
	}
	for _, key := range gb.order {
		_, full, _ := strings.Cut(key, "\t")
		if trimProcs(full) != name {
			continue
		}
		var xs []float64
		for _, m := range gb.runs[key] {
			if v, ok := m[unit]; ok {
				xs = append(xs, v)
			}
		}
		if len(xs) == 0 {
			return 0, 0, false
		}
		return medianFloat(xs), len(xs), true
	}
	return 0, 0, false
}

func trimProcs(name string) string {
	i := strings.LastIndex(name, "-")
	if i < 0 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}

// units lists the metrics of a benchmark in a stable order: ns/op first,
// then throughput, memory and custom metrics.
func units(runs []map[string]float64) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range runs {
		for u := range m {
			if !seen[u] {
				seen[u] = true
				out = append(out, u)
			}
		}
	}
	rank := map[string]int{"ns/op": 0, "MB/s": 1, "B/op": 2, "allocs/op": 3}
	slices.SortFunc(out, func(a, b string) int {
		ra, oka := rank[a]
		rb, okb := rank[b]
		switch {
		case oka && okb:
			return ra - rb
		case oka:
			return -1
		case okb:
			return 1
		}
		return strings.Compare(a, b)
	})
	return out
}
