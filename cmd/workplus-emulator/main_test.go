package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/certgen"
	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var binary string // built once by TestMain

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "workplus-emulator-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "workplus-emulator")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the emulator: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is a running emulator binary.
type proc struct {
	cmd    *exec.Cmd
	url    string
	stderr *syncBuffer
	done   chan error
}

func startBinary(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	urlFile := filepath.Join(t.TempDir(), "url")
	args = append([]string{"--listen", "127.0.0.1:0", "--url-file", urlFile}, args...)
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	p := &proc{cmd: cmd, stderr: &syncBuffer{}, done: make(chan error, 1)}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-p.done //nolint:errcheck // the exit status of a killed emulator says nothing
		}
	})
	// The announcement line comes once the listener is up.
	line, err := bufio.NewReader(stdout).ReadString('\n')
	go func() {
		_, _ = io.Copy(io.Discard, stdout)
		p.done <- cmd.Wait()
	}()
	if err != nil {
		t.Fatalf("no announcement: %v; stderr: %s", err, p.stderr)
	}
	if !regexp.MustCompile(`^WorkPlus emulator listening on http://127\.0\.0\.1:\d+\n$`).MatchString(line) {
		t.Fatalf("announcement %q", line)
	}
	data, err := os.ReadFile(urlFile)
	if err != nil {
		t.Fatalf("url file: %v", err)
	}
	p.url = strings.TrimSpace(string(data))
	if want := strings.TrimSpace(strings.TrimPrefix(line, "WorkPlus emulator listening on ")); p.url != want {
		t.Fatalf("url file says %q, stdout %q", p.url, want)
	}
	return p
}

func (p *proc) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-p.done:
		return err
	case <-time.After(15 * time.Second):
		t.Fatalf("the emulator did not exit; stderr: %s", p.stderr)
		return nil
	}
}

func TestBinaryServesAndShutsDownOnSIGTERM(t *testing.T) {
	p := startBinary(t, []string{"WORKPLUS_EMULATOR_MAX_PAGE_SIZE=2"})
	resp, err := http.Get(p.url + "/v1/templates?limit=50&access_token=" + emulator.DemoAccessToken)
	if err != nil {
		t.Fatal(err)
	}
	var env workplus.OpenEnvelope[workplus.TemplatePage]
	err = json.NewDecoder(resp.Body).Decode(&env)
	resp.Body.Close()
	if err != nil || env.Status != 0 || env.Result.TotalCount != len(emulator.DefaultSeed().Templates) || len(env.Result.Records) != 2 {
		t.Errorf("list: %v %+v (the env var caps the page at 2)", err, env)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := p.wait(t); err != nil {
		t.Errorf("exit after SIGTERM: %v; stderr: %s", err, p.stderr)
	}
}

// Every template the emulator acknowledged before a SIGKILL is there after a
// restart on the same state file.
func TestBinarySurvivesSIGKILLDuringWrites(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.db")
	p := startBinary(t, nil, "--state-file", stateFile)

	client := &http.Client{Timeout: 5 * time.Second}
	var (
		mu    sync.Mutex
		acked []string
		wg    sync.WaitGroup
	)
	ctx, cancel := context.WithCancel(context.Background())
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				body := fmt.Sprintf(`{"title":"w%d-%d","contents":[[{"content":"x","align":"left"}]]}`, w, i)
				resp, err := client.Post(p.url+"/v1/templates?app_id="+emulator.DemoAppID+"&access_token="+emulator.DemoAccessToken, "application/json", strings.NewReader(body))
				if err != nil {
					return // killed
				}
				var env workplus.OpenEnvelope[workplus.Template]
				err = json.NewDecoder(resp.Body).Decode(&env)
				resp.Body.Close()
				if err == nil && resp.StatusCode == 200 && env.Status == 0 {
					mu.Lock()
					acked = append(acked, env.Result.ID)
					mu.Unlock()
				}
			}
		}()
	}
	// Kill mid-storm, once a fair number of writes went through.
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 100 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = p.wait(t)
	cancel()
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no write was acknowledged before the kill")
	}

	p = startBinary(t, nil, "--state-file", stateFile)
	present := map[string]bool{}
	for skip := 0; ; skip += 100 {
		resp, err := client.Get(fmt.Sprintf("%s/v1/templates?skip=%d&limit=100&access_token=%s", p.url, skip, emulator.DemoAccessToken))
		if err != nil {
			t.Fatal(err)
		}
		var env workplus.OpenEnvelope[workplus.TemplatePage]
		err = json.NewDecoder(resp.Body).Decode(&env)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, tpl := range env.Result.Records {
			present[tpl.ID] = true
		}
		if len(env.Result.Records) < 100 {
			break
		}
	}
	missing := 0
	for _, id := range acked {
		if !present[id] {
			missing++
		}
	}
	if missing > 0 {
		t.Errorf("%d of %d acknowledged templates lost", missing, len(acked))
	}
	t.Logf("%d acknowledged before SIGKILL, %d templates after restart", len(acked), len(present))
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.wait(t); err != nil {
		t.Errorf("exit: %v", err)
	}
}

func TestUsageErrors(t *testing.T) {
	noEnv := func(string) string { return "" }
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{args: []string{"--listen", "0.0.0.0:0"}, want: "without --admin-token"},
		{args: []string{"--listen", ":8080"}, want: "without --admin-token"},
		{env: map[string]string{"WORKPLUS_EMULATOR_LISTEN": "10.0.0.1:80"}, want: "without --admin-token"},
		{args: []string{"--fault", `{"route":`}, want: "fault rule"},
		{args: []string{"--fault", `{"rout":"*"}`}, want: "unknown field"},
		{args: []string{"--tls-cert", "c.pem"}, want: "go together"},
		{env: map[string]string{"WORKPLUS_EMULATOR_TOKEN_TTL": "soon"}, want: "WORKPLUS_EMULATOR_TOKEN_TTL"},
		{args: []string{"extra"}, want: "unexpected arguments"},
		{args: []string{"--allowed-host", "http://emulator:8080"}, want: "without scheme or port"},
	} {
		getenv := noEnv
		if tc.env != nil {
			getenv = func(k string) string { return tc.env[k] }
		}
		var stderr bytes.Buffer
		if code := run(context.Background(), tc.args, getenv, io.Discard, &stderr); code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v %v: exit %d, stderr %q; want 2 and %q", tc.args, tc.env, code, stderr.String(), tc.want)
		}
	}
	// Non-loopback is fine with an admin token; and a bad fault route is
	// caught when the emulator is built.
	var stderr bytes.Buffer
	args := []string{"--listen", "127.0.0.1:0", "--fault", `{"route":"GET /nowhere","status":500}`}
	if code := run(context.Background(), args, noEnv, io.Discard, &stderr); code != 1 || !strings.Contains(stderr.String(), "not a vendor route") {
		t.Errorf("bad fault route: exit %d, %s", code, stderr.String())
	}
	cfg, err := parseFlags([]string{"--listen", "0.0.0.0:0", "--admin-token", "x", "--fault", `[{"route":"*","status":503},{"route":"*","latency_ms":5}]`, "--fault", `{"route":"*","drop":"after"}`}, noEnv, io.Discard)
	if err != nil || len(cfg.opts.Faults) != 3 || cfg.opts.AdminToken != "x" {
		t.Errorf("parseFlags: %v %+v", err, cfg)
	}
	// Allowed hosts come from the flag, repeated or comma-separated, from the
	// environment, and from a specific listen address.
	cfg, err = parseFlags([]string{"--listen", "10.1.2.3:0", "--admin-token", "x", "--allowed-host", "Emulator, *.ci.example", "--allowed-host", "[fd00::1]", "--strict-fields"}, noEnv, io.Discard)
	if err != nil || !slices.Equal(cfg.opts.AllowedHosts, []string{"emulator", "*.ci.example", "fd00::1", "10.1.2.3"}) || !cfg.opts.StrictFields {
		t.Errorf("allowed hosts: %v %q strict %v", err, cfg.opts.AllowedHosts, cfg.opts.StrictFields)
	}
	cfg, err = parseFlags(nil, func(k string) string { return map[string]string{"WORKPLUS_EMULATOR_ALLOWED_HOST": "svc"}[k] }, io.Discard)
	if err != nil || !slices.Equal(cfg.opts.AllowedHosts, []string{"svc", "127.0.0.1"}) {
		t.Errorf("allowed hosts from the environment: %v %q", err, cfg.opts.AllowedHosts)
	}
}

// In-process, with TLS: the announcement says https.
func TestServeTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeTestKeyPair(t, certFile, keyFile)
	ctx, cancel := context.WithCancel(context.Background())
	stdout := &syncBuffer{}
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile, "--log-level", "error"}, func(string) string { return "" }, stdout, io.Discard)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(stdout.String(), "\n") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.HasPrefix(stdout.String(), "WorkPlus emulator listening on https://127.0.0.1:") {
		t.Errorf("announcement %q", stdout.String())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d", code)
	}
}

func writeTestKeyPair(t *testing.T, certFile, keyFile string) {
	t.Helper()
	b, err := certgen.Generate(certgen.Options{CommonName: "127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(certFile, []byte(b.CertPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, []byte(b.KeyPEM), 0o600); err != nil {
		t.Fatal(err)
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// CONTROL_API.md documents every flag.
func TestFlagsDocumented(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "internal", "emulator", "CONTROL_API.md"))
	if err != nil {
		t.Fatal(err)
	}
	fs := flag.NewFlagSet("workplus-emulator", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if _, err := parseFlagsInto(fs, nil, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(string(data), "`--"+f.Name+"`") {
			t.Errorf("CONTROL_API.md does not document --%s", f.Name)
		}
	})
}

// A client that stops sending mid-request, or idles on a kept-alive
// connection, does not hold the connection forever.
func TestServerTimeouts(t *testing.T) {
	defer func(r, i time.Duration) { readTimeout, idleTimeout = r, i }(readTimeout, idleTimeout)
	readTimeout, idleTimeout = 300*time.Millisecond, 10*time.Second
	addr, stop := runInProcess(t)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn.Close() }()
	// Headers promise a body that never comes.
	fmt.Fprintf(conn, "POST /v1/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
	if err := waitClosed(conn, 3*time.Second); err != nil {
		t.Errorf("stalled body: %v", err)
	}
	stop()

	readTimeout, idleTimeout = 10*time.Second, 300*time.Millisecond
	addr, stop = runInProcess(t)
	defer stop()
	conn2, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = conn2.Close() }()
	fmt.Fprintf(conn2, "GET /_emulator/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(conn2), nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("health: %v %v", resp, err)
	}
	resp.Body.Close()
	if err := waitClosed(conn2, 3*time.Second); err != nil {
		t.Errorf("idle connection: %v", err)
	}
}

// waitClosed reads until the server closes conn, or fails after d.
func waitClosed(conn net.Conn, d time.Duration) error {
	_ = conn.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return fmt.Errorf("the server kept the connection open for %s", d)
	}
	return nil
}

// runInProcess runs the command on a free loopback port and returns its
// address and a function that stops it.
func runInProcess(t *testing.T) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout := &syncBuffer{}
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"--listen", "127.0.0.1:0", "--log-level", "error"}, func(string) string { return "" }, stdout, io.Discard)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(stdout.String(), "\n") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	addr := strings.TrimSpace(strings.TrimPrefix(stdout.String(), "WorkPlus emulator listening on http://"))
	stopped := false
	return addr, func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		<-done
	}
}
