package main

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// benchSeed is the default seed's org, app, token and client credentials
// with exactly n templates of the examples' shape. Certificates, devices and
// employees are left out: they play no part here and generating certificates
// would only slow every reseed. Every tenth title contains "Quarterly Report",
// for the keyword search.
func benchSeed(n int) *emulator.Seed {
	seed := emulator.DefaultSeed()
	seed.Certificates, seed.Devices, seed.Employees = nil, nil, nil
	seed.Templates = make([]workplus.Template, n)
	for i := range n {
		title := fmt.Sprintf("Build result %d", i)
		if i%10 == 0 {
			title = fmt.Sprintf("Quarterly Report %d", i)
		}
		seed.Templates[i] = workplus.Template{
			ID:     fmt.Sprintf("00000000-0000-4000-8000-%012d", i),
			AppID:  emulator.DemoAppID,
			Title:  title,
			Tags:   "bench,ci",
			Sample: "build 42 of api passed",
			Actions: []workplus.TemplateAction{
				{Name: "Open build", Value: "https://ci.example.com/builds"},
				{Name: "Logs", Value: "https://ci.example.com/logs"},
			},
			Contents: [][]workplus.TemplateCell{
				{{Content: "Build {{build.DATA}} of {{project.DATA}}", Align: workplus.AlignLeft}},
				{{Content: "Status", Align: workplus.AlignLeft}, {Content: "{{status.DATA}}", Align: workplus.AlignRight}},
				{{Content: "Triggered by {{user.DATA}} at {{time.DATA}}", Align: workplus.AlignCenter}},
			},
		}
	}
	return seed
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianFloat(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// percentile is the nearest-rank percentile p (0..100) of ds.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(0, min(rank, len(s)-1))]
}

func minMax(ds []time.Duration) (time.Duration, time.Duration) {
	if len(ds) == 0 {
		return 0, 0
	}
	return slices.Min(ds), slices.Max(ds)
}

// pairRatios is a[i]/b[i] for each A/B pair.
func pairRatios(a, b []time.Duration) []float64 {
	var out []float64
	for i := range min(len(a), len(b)) {
		if b[i] > 0 {
			out = append(out, float64(a[i])/float64(b[i]))
		}
	}
	return out
}

// pairDiffs is a[i]-b[i] for each pair.
func pairDiffs(a, b []time.Duration) []time.Duration {
	var out []time.Duration
	for i := range min(len(a), len(b)) {
		out = append(out, a[i]-b[i])
	}
	return out
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
