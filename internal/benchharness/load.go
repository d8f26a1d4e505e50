package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// ---- 5. Emulator throughput ----

const (
	loadConcurrency = 32
	loadBound       = 60 * time.Second
	// defaultTemplateID is the template of the emulator's default seed.
	defaultTemplateID = "32790e3d-2ce2-45ad-b9c2-c562f39882c3"
)

type loadRun struct {
	Requests int
	Errors   int
	Elapsed  time.Duration
	P50, P99 time.Duration
}

func (r loadRun) rps() float64 { return float64(r.Requests) / r.Elapsed.Seconds() }

type loadResult struct {
	Concurrency int
	PerRun      int
	BodyBytes   int
	Emu, Bare   []loadRun
}

func rpsOf(runs []loadRun) []float64 {
	out := make([]float64, len(runs))
	for i, r := range runs {
		out[i] = r.rps()
	}
	return out
}

func (l *loadResult) ratio() float64 { return medianFloat(rpsOf(l.Emu)) / medianFloat(rpsOf(l.Bare)) }

// loadClient keeps one connection per worker alive for the whole run.
func loadClient(conc int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		MaxIdleConns:        conc,
		MaxIdleConnsPerHost: conc,
		MaxConnsPerHost:     conc,
		DisableCompression:  true,
		IdleConnTimeout:     time.Minute,
	}, Timeout: 30 * time.Second}
}

// generateLoad sends total GETs of target over conc connections, stopping
// early at bound. Each worker reads every answer completely, so its
// connection is reused.
func generateLoad(ctx context.Context, client *http.Client, target string, conc, total int, bound time.Duration) (loadRun, error) {
	if err := requireLoopback(target); err != nil {
		return loadRun{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	var next, done, failed atomic.Int64
	latencies := make([][]time.Duration, conc)
	var firstErr error
	var errOnce sync.Once
	var wg sync.WaitGroup
	started := time.Now()
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(total) && ctx.Err() == nil {
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("HTTP %d", resp.StatusCode)
					}
				}
				if err != nil {
					if ctx.Err() != nil {
						return
					}
					failed.Add(1)
					errOnce.Do(func() { firstErr = err })
					continue
				}
				latencies[w] = append(latencies[w], time.Since(t0))
				done.Add(1)
			}
		}()
	}
	wg.Wait()
	run := loadRun{Requests: int(done.Load()), Errors: int(failed.Load()), Elapsed: time.Since(started)}
	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	run.P50, run.P99 = percentile(all, 50), percentile(all, 99)
	if run.Errors > 0 {
		return run, fmt.Errorf("%d of %d requests failed, first: %v", run.Errors, run.Requests+run.Errors, firstErr)
	}
	if run.Requests < total {
		return run, fmt.Errorf("only %d of %d requests within %s", run.Requests, total, bound)
	}
	return run, nil
}

func (h *harness) throughput(ctx context.Context) error {
	emu, err := h.startEmulator(ctx, "load")
	if err != nil {
		return err
	}
	defer emu.stop()
	target := emu.URL + "/v1/templates/" + defaultTemplateID + "?access_token=" + emulator.DemoAccessToken

	// The bare handler serves exactly the bytes and headers the emulator
	// answers with.
	resp, err := http.Get(target)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET one template: HTTP %d: %s", resp.StatusCode, body)
	}
	dir, err := h.dir("bare")
	if err != nil {
		return err
	}
	bodyFile := filepath.Join(dir, "body.json")
	if err := os.WriteFile(bodyFile, body, 0o644); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	bare, err := h.startProcess(ctx, "bare", self, "-serve-bare", bodyFile, "-bare-content-type", resp.Header.Get("Content-Type"))
	if err != nil {
		return err
	}
	defer bare.stop()
	bareTarget := bare.URL + "/v1/templates/" + defaultTemplateID + "?access_token=" + emulator.DemoAccessToken

	res := &loadResult{Concurrency: loadConcurrency, PerRun: h.opts.loadRequests, BodyBytes: len(body)}
	// Warm-up: connections, goroutines and caches of both servers.
	for _, t := range []string{target, bareTarget} {
		c := loadClient(loadConcurrency)
		if _, err := generateLoad(ctx, c, t, loadConcurrency, 2000, loadBound); err != nil {
			return fmt.Errorf("warm-up: %w", err)
		}
		c.CloseIdleConnections()
	}
	if err := emu.clearRequests(ctx); err != nil {
		return err
	}
	for i := range h.opts.loadRounds {
		order := []bool{true, false}
		if i%2 == 1 {
			order = []bool{false, true}
		}
		for _, isEmu := range order {
			t, side := bareTarget, "bare"
			if isEmu {
				t, side = target, "emulator"
			}
			c := loadClient(loadConcurrency)
			run, err := generateLoad(ctx, c, t, loadConcurrency, h.opts.loadRequests, loadBound)
			c.CloseIdleConnections()
			if err != nil {
				return fmt.Errorf("round %d %s: %w", i+1, side, err)
			}
			if isEmu {
				res.Emu = append(res.Emu, run)
			} else {
				res.Bare = append(res.Bare, run)
			}
			log.Printf("throughput round %d %s: %.0f req/s", i+1, side, run.rps())
		}
	}
	counts, err := emu.counts(ctx)
	if err != nil {
		return err
	}
	if want := h.opts.loadRounds * h.opts.loadRequests; counts["GET /v1/templates/{id}"] != want {
		return fmt.Errorf("the emulator logged %d template reads, want %d", counts["GET /v1/templates/{id}"], want)
	}
	h.rep.load = res
	return nil
}

// ---- 5b. Memory with many templates, keyword search ----

type memResult struct {
	Templates  int
	SeedBytes  int64
	Ready      time.Duration
	RSSReady   int64
	HWMReady   int64
	RSSAfter   int64
	HWMAfter   int64
	KW         []time.Duration
	KWMatches  int
	KWNone     []time.Duration
	KWQuery    string
	NoneQuery  string
	Confirmed  int // templates the emulator reported
	Settle     time.Duration
	RSSSettled int64
}

// steadyRSS is the resident set once loading is over and the runtime has
// returned what it freed: the settled reading.
func (m *memResult) steadyRSS() int64 { return m.RSSSettled }

const (
	settleMin   = 10 * time.Second
	settleBound = 60 * time.Second
)

func (h *harness) memoryAndSearch(ctx context.Context) error {
	n := h.opts.memTemplates
	dir, err := h.dir("memory")
	if err != nil {
		return err
	}
	seedFile := filepath.Join(dir, "seed.json")
	data, err := json.Marshal(benchSeed(n))
	if err != nil {
		return err
	}
	if err := os.WriteFile(seedFile, data, 0o644); err != nil {
		return err
	}
	res := &memResult{Templates: n, SeedBytes: int64(len(data))}
	emu, err := h.startEmulator(ctx, "memory", "--seed", seedFile)
	if err != nil {
		return err
	}
	defer emu.stop()
	res.Ready = emu.Ready
	if res.RSSReady, res.HWMReady, err = emu.memory(); err != nil {
		return err
	}
	client := loadClient(1)
	// A list request without keyword reports the org's template count: a
	// check that all n templates are loaded, without a state dump that
	// would itself allocate.
	var page struct {
		Status int `json:"status"`
		Result struct {
			TotalCount int `json:"total_count"`
		} `json:"result"`
	}
	resp, err := client.Get(emu.URL + "/v1/templates?skip=0&limit=1&access_token=" + emulator.DemoAccessToken)
	if err != nil {
		return err
	}
	err = json.NewDecoder(resp.Body).Decode(&page)
	resp.Body.Close()
	if err != nil {
		return err
	}
	res.Confirmed = page.Result.TotalCount
	if res.Confirmed != n {
		return fmt.Errorf("the emulator lists %d templates, want %d", res.Confirmed, n)
	}
	res.KWQuery = "kw=report&skip=0&limit=100"
	res.NoneQuery = "kw=no-template-matches-this&skip=0&limit=100"
	search := func(query string, into *[]time.Duration) error {
		target := emu.URL + "/v1/templates?" + query + "&access_token=" + emulator.DemoAccessToken
		for range h.opts.kwRequests {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			t0 := time.Now()
			resp, err := client.Get(target)
			if err != nil {
				return err
			}
			var env struct {
				Status int `json:"status"`
				Result struct {
					TotalCount int               `json:"total_count"`
					Records    []json.RawMessage `json:"records"`
				} `json:"result"`
			}
			err = json.NewDecoder(resp.Body).Decode(&env)
			resp.Body.Close()
			if err != nil {
				return err
			}
			*into = append(*into, time.Since(t0))
			if env.Status != 0 {
				return fmt.Errorf("search %s: status %d", query, env.Status)
			}
			if into == &res.KW {
				res.KWMatches = env.Result.TotalCount
			}
		}
		return nil
	}
	if err := search(res.KWQuery, &res.KW); err != nil {
		return err
	}
	if res.KWMatches != ceilDiv(n, 10) {
		return fmt.Errorf("kw=report matched %d templates, want %d", res.KWMatches, ceilDiv(n, 10))
	}
	if err := search(res.NoneQuery, &res.KWNone); err != nil {
		return err
	}
	if res.RSSAfter, res.HWMAfter, err = emu.memory(); err != nil {
		return err
	}
	// Go returns freed memory to the OS gradually (the background
	// scavenger): poll every second until the resident set has stayed
	// within 2 MiB over the last five readings, for at least settleMin and
	// at most settleBound.
	settleStart := time.Now()
	var recent []int64
	for time.Since(settleStart) < settleBound {
		select {
		case <-time.After(time.Second):
		case <-ctx.Done():
			return ctx.Err()
		}
		rss, _, err := emu.memory()
		if err != nil {
			return err
		}
		res.RSSSettled = rss
		recent = append(recent, rss)
		if len(recent) > 5 {
			recent = recent[1:]
		}
		if len(recent) == 5 && time.Since(settleStart) >= settleMin && slices.Max(recent)-slices.Min(recent) < 2<<20 {
			break
		}
	}
	res.Settle = time.Since(settleStart)
	h.rep.mem = res
	return nil
}
