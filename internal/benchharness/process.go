package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// process is a server this harness started: an emulator binary or the bare
// handler. It listens on 127.0.0.1 and reports its URL through a file.
type process struct {
	name    string
	cmd     *exec.Cmd
	URL     string
	logPath string
	done    chan struct{}
	waitErr error
	// Ready is how long the process took from start until its URL file
	// appeared (for the emulator: loading its seed).
	Ready time.Duration
}

const startBound = 5 * time.Minute

// startProcess runs bin with args plus --url-file and waits, at most
// startBound, for the URL to appear.
func (h *harness) startProcess(ctx context.Context, name, bin string, args ...string) (*process, error) {
	dir, err := h.dir("proc-" + name)
	if err != nil {
		return nil, err
	}
	urlFile := filepath.Join(dir, "url")
	_ = os.Remove(urlFile)
	logPath := filepath.Join(dir, "log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd := exec.Command(bin, append(args, "--url-file", urlFile)...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.Env = childEnv(nil)
	started := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, logPath: logPath, done: make(chan struct{})}
	go func() { p.waitErr = cmd.Wait(); close(p.done) }()
	h.live = append(h.live, p)

	deadline := time.NewTimer(startBound)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if data, err := os.ReadFile(urlFile); err == nil && len(bytes.TrimSpace(data)) > 0 {
			p.Ready = time.Since(started)
			p.URL = strings.TrimSpace(string(data))
			if err := requireLoopback(p.URL); err != nil {
				p.stop()
				return nil, err
			}
			return p, nil
		}
		select {
		case <-p.done:
			return nil, fmt.Errorf("%s exited before listening (%v): %s", name, p.waitErr, tail(p.log(), 2000))
		case <-deadline.C:
			p.stop()
			return nil, fmt.Errorf("%s did not start within %s: %s", name, startBound, tail(p.log(), 2000))
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		case <-tick.C:
		}
	}
}

// startEmulator runs the emulator binary on a free loopback port.
func (h *harness) startEmulator(ctx context.Context, name string, args ...string) (*process, error) {
	return h.startProcess(ctx, name, h.opts.emulatorBin, append([]string{"--listen", "127.0.0.1:0", "--log-level", "warn"}, args...)...)
}

// stop ends the process: SIGTERM, then SIGKILL after 10 s.
func (p *process) stop() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func (p *process) log() string {
	data, _ := os.ReadFile(p.logPath)
	return string(data)
}

// memory reads VmRSS and VmHWM (peak RSS) of the process, in bytes.
func (p *process) memory() (rss, hwm int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 3 || fields[2] != "kB" {
			continue
		}
		n, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			continue
		}
		switch fields[0] {
		case "VmRSS:":
			rss = n << 10
		case "VmHWM:":
			hwm = n << 10
		}
	}
	if rss == 0 {
		return 0, 0, errors.New("no VmRSS in /proc/<pid>/status")
	}
	return rss, hwm, sc.Err()
}

// requireLoopback refuses any URL that is not on a loopback address: the
// harness never talks to anything else.
func requireLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("refusing non-loopback URL %q", raw)
	}
	return nil
}

// childEnv is the environment of child processes: the harness's own without
// Terraform, WorkPlus and checkpoint settings that would change what is
// measured, plus extra.
func childEnv(extra []string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case strings.HasPrefix(name, "TF_"), strings.HasPrefix(name, "WORKPLUS_"), strings.HasPrefix(name, "CHECKPOINT_"):
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}

// controlClient talks to the control API; seeds of 10,000 templates take a
// while to load.
var controlClient = &http.Client{Timeout: 5 * time.Minute}

func (p *process) control(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.URL+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := controlClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, resp.StatusCode, tail(string(data), 500))
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}

// seed replaces the emulator's state with s.
func (p *process) seed(ctx context.Context, s *emulator.Seed) error {
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return p.control(ctx, http.MethodPost, "/_emulator/seed", data, nil)
}

// counts returns the vendor requests per route since the log was cleared.
func (p *process) counts(ctx context.Context) (map[string]int, error) {
	var dump struct {
		Counts map[string]int `json:"counts"`
	}
	err := p.control(ctx, http.MethodGet, "/_emulator/requests", nil, &dump)
	return dump.Counts, err
}

func (p *process) clearRequests(ctx context.Context) error {
	return p.control(ctx, http.MethodDelete, "/_emulator/requests", nil, nil)
}

func (p *process) setFaults(ctx context.Context, rules []emulator.FaultRule) error {
	data, err := json.Marshal(rules)
	if err != nil {
		return err
	}
	return p.control(ctx, http.MethodPut, "/_emulator/faults", data, nil)
}

func (p *process) clearFaults(ctx context.Context) error {
	return p.control(ctx, http.MethodDelete, "/_emulator/faults", nil, nil)
}

// templateIDs lists the ids of the emulator's templates, in creation order.
func (p *process) templateIDs(ctx context.Context) ([]string, error) {
	var st struct {
		Templates []struct {
			ID string `json:"id"`
		} `json:"templates"`
	}
	if err := p.control(ctx, http.MethodGet, "/_emulator/state", nil, &st); err != nil {
		return nil, err
	}
	ids := make([]string, len(st.Templates))
	for i, t := range st.Templates {
		ids[i] = t.ID
	}
	return ids, nil
}

func total(counts map[string]int) int {
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// serveBare is the -serve-bare mode: a plain net/http server answering every
// request with the same bytes and headers the emulator sends for one
// template, the baseline of the throughput comparison.
func serveBare(ctx context.Context, bodyFile, contentType, urlFile string) error {
	body, err := os.ReadFile(bodyFile)
	if err != nil {
		return err
	}
	length := strconv.Itoa(len(body))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", contentType)
			w.Header().Set("Content-Length", length)
			_, _ = w.Write(body)
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	tmp := urlFile + ".tmp"
	if err := os.WriteFile(tmp, []byte("http://"+ln.Addr().String()+"\n"), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, urlFile); err != nil {
		return err
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}
