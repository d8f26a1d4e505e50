// Command workplus-emulator serves the WorkPlus emulator: the Open API, the
// Push API and the /_emulator/ control API, for demos and CI pipelines.
//
// Every flag can also be set from the environment as WORKPLUS_EMULATOR_ plus
// the flag's name in upper snake case (--state-file: WORKPLUS_EMULATOR_STATE_FILE);
// a flag on the command line wins over the environment.
package main

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

const (
	envPrefix       = "WORKPLUS_EMULATOR_"
	shutdownTimeout = 10 * time.Second
)

// Variables so that a test can shorten them.
var (
	// readTimeout bounds reading a whole request; the largest is a seed of
	// up to 64 MiB posted to /_emulator/seed.
	readTimeout = 60 * time.Second
	idleTimeout = 2 * time.Minute
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

type config struct {
	listen     string
	seedFile   string
	urlFile    string
	tlsCert    string
	tlsKey     string
	logLevel   string
	faults     faultFlag
	opts       emulator.Options
	maxBody    int64
	pageSize   int
	tokenTTL   time.Duration
	statusMode string
	hosts      hostsFlag
}

// run is main without the process: it returns the exit code (0 after a clean
// shutdown, 1 on a failure while running, 2 on a usage error).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "workplus-emulator: %v\n", err)
		return 2
	}
	if err := serve(ctx, cfg, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "workplus-emulator: %v\n", err)
		return 1
	}
	return 0
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("workplus-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	return parseFlagsInto(fs, args, getenv)
}

// parseFlagsInto defines the flags on fs and parses args and the environment.
func parseFlagsInto(fs *flag.FlagSet, args []string, getenv func(string) string) (*config, error) {
	cfg := &config{}
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:8080", "address to listen on; port 0 picks a free port")
	fs.StringVar(&cfg.seedFile, "seed", "", "seed file, JSON or YAML (default: the built-in demo seed)")
	fs.StringVar(&cfg.opts.StateFile, "state-file", "", "bbolt file to keep state in across restarts (default: memory only)")
	fs.IntVar(&cfg.pageSize, "max-page-size", 100, "cap on the limit of GET /v1/templates")
	fs.StringVar(&cfg.statusMode, "status-mode", emulator.StatusModeHTTP, `"http": errors get a fitting HTTP status; "always200": every answer is HTTP 200`)
	fs.BoolVar(&cfg.opts.StrictFields, "strict-fields", false, "refuse vendor request bodies with unknown fields (and another vendor's push fields) with 400; by default they are ignored, as a real server most likely does")
	fs.BoolVar(&cfg.opts.DocumentedShape, "documented-shape", false, "answer exactly as the vendor's documents show (template list records without tags, app_id \"DEFAULT\" in lists, times 0 in template create, update and get; app message answers with expects, fails, oks and refresh_time 0)")
	fs.BoolVar(&cfg.opts.DisableDelete, "disable-delete", false, "answer DELETE /v1/templates/{id} with 405, like a server without the extension")
	fs.DurationVar(&cfg.tokenTTL, "token-ttl", 2*time.Hour, "lifetime of tokens issued by POST /v1/token")
	fs.Int64Var(&cfg.maxBody, "max-body-bytes", 1<<20, "request body limit; larger bodies get 413")
	fs.StringVar(&cfg.opts.AdminToken, "admin-token", "", "require this X-Emulator-Admin-Token header on /_emulator/*; needed unless listening on loopback")
	fs.Var(&cfg.hosts, "allowed-host", `Host name clients use besides loopback ones (repeatable or comma-separated; "*.example.com" for subdomains, "*" for any); requests for other names get 403, which stops DNS rebinding`)
	fs.Var(&cfg.faults, "fault", `fault rule as JSON, e.g. '{"route":"POST /v1/templates","status":503,"probability":0.2}' (repeatable; a JSON array also works)`)
	fs.Int64Var(&cfg.opts.FaultSeed, "fault-seed", 0, "seed of the fault RNG, for reproducible faults")
	fs.StringVar(&cfg.tlsCert, "tls-cert", "", "serve HTTPS with this certificate (PEM); needs --tls-key")
	fs.StringVar(&cfg.tlsKey, "tls-key", "", "private key (PEM) for --tls-cert")
	fs.StringVar(&cfg.urlFile, "url-file", "", "write the base URL to this file once listening")
	fs.StringVar(&cfg.logLevel, "log-level", "info", "debug, info, warn or error (logs go to stderr)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if err := applyEnv(fs, getenv); err != nil {
		return nil, err
	}

	cfg.opts.MaxPageSize, cfg.opts.TokenTTL, cfg.opts.MaxBodyBytes, cfg.opts.StatusMode = cfg.pageSize, cfg.tokenTTL, cfg.maxBody, cfg.statusMode
	cfg.opts.Faults = cfg.faults
	cfg.opts.AllowedHosts = cfg.hosts
	// Clients of an emulator on a specific address reach it by that address.
	if host, _, err := net.SplitHostPort(cfg.listen); err == nil && host != "" {
		if ip := net.ParseIP(host); ip == nil || !ip.IsUnspecified() {
			cfg.opts.AllowedHosts = append(cfg.opts.AllowedHosts, host)
		}
	}
	if (cfg.tlsCert == "") != (cfg.tlsKey == "") {
		return nil, errors.New("--tls-cert and --tls-key go together")
	}
	if cfg.opts.AdminToken == "" && !isLoopback(cfg.listen) {
		return nil, fmt.Errorf("refusing to listen on %s without --admin-token: the control API (/_emulator/*) could reset or replace all state from the network; set --admin-token or listen on 127.0.0.1", cfg.listen)
	}
	return cfg, nil
}

// applyEnv sets every flag not given on the command line from its
// environment variable.
func applyEnv(fs *flag.FlagSet, getenv func(string) string) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		name := envPrefix + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if value := getenv(name); value != "" && !given[f.Name] {
			if err := fs.Set(f.Name, value); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", name, err))
			}
		}
	})
	return errors.Join(errs...)
}

func isLoopback(listen string) bool {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func serve(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.logLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	cfg.opts.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if cfg.seedFile != "" {
		data, err := os.ReadFile(cfg.seedFile)
		if err != nil {
			return err
		}
		if cfg.opts.Seed, err = emulator.LoadSeed(data); err != nil {
			return fmt.Errorf("%s: %w", cfg.seedFile, err)
		}
	}
	emu, err := emulator.New(cfg.opts)
	if err != nil {
		return err
	}
	// Loading a large seed leaves much freed heap behind; give it back now
	// rather than whenever the runtime gets round to it.
	cfg.opts.Seed = nil
	debug.FreeOSMemory()
	defer func() {
		if err := emu.Close(); err != nil {
			cfg.opts.Logger.Error("closing state file", "error", err)
		}
	}()

	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		return err
	}
	scheme := "http"
	if cfg.tlsCert != "" {
		pair, err := tls.LoadX509KeyPair(cfg.tlsCert, cfg.tlsKey)
		if err != nil {
			ln.Close()
			return fmt.Errorf("loading TLS key pair: %w", err)
		}
		// HTTP/1.1 only: dropped-connection faults take over the TCP
		// connection, which HTTP/2 cannot hand out.
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	url := scheme + "://" + ln.Addr().String()
	if cfg.urlFile != "" {
		if err := writeFileAtomic(cfg.urlFile, url+"\n"); err != nil {
			ln.Close()
			return err
		}
		defer os.Remove(cfg.urlFile)
	}

	srv := &http.Server{
		Handler: emu,
		// Slow or idle clients cannot hold connections open forever. No
		// WriteTimeout: latency faults and /_emulator/requests/wait answer
		// late on purpose.
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       readTimeout,
		IdleTimeout:       idleTimeout,
		ErrorLog:          slog.NewLogLogger(cfg.opts.Logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "WorkPlus emulator listening on %s\n", url)
	if !isLoopback(cfg.listen) && len(cfg.hosts) == 0 {
		cfg.opts.Logger.Warn("only loopback Host names and the listen address are answered; add --allowed-host with the name clients use (e.g. a compose service name)", "listen", cfg.listen)
	}

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	cfg.opts.Logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	return nil
}

// writeFileAtomic makes the file appear complete or not at all, so a script
// polling for it never reads half a URL.
func writeFileAtomic(path, content string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".url-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// faultFlag collects --fault values: each a JSON rule or an array of rules.
type faultFlag []emulator.FaultRule

func (f *faultFlag) String() string {
	if f == nil || len(*f) == 0 {
		return ""
	}
	data, _ := json.Marshal(*f)
	return string(data)
}

func (f *faultFlag) Set(value string) error {
	value = strings.TrimSpace(value)
	dec := func(v any) error {
		d := json.NewDecoder(strings.NewReader(value))
		d.DisallowUnknownFields()
		return d.Decode(v)
	}
	if strings.HasPrefix(value, "[") {
		var rules []emulator.FaultRule
		if err := dec(&rules); err != nil {
			return fmt.Errorf("fault rules: %w", err)
		}
		*f = append(*f, rules...)
		return nil
	}
	var rule emulator.FaultRule
	if err := dec(&rule); err != nil {
		return fmt.Errorf("fault rule: %w", err)
	}
	*f = append(*f, rule)
	return nil
}

// hostsFlag collects --allowed-host values, each one name or a comma-separated
// list.
type hostsFlag []string

func (h *hostsFlag) String() string { return strings.Join(*h, ",") }

func (h *hostsFlag) Set(value string) error {
	for _, name := range strings.Split(value, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if strings.ContainsAny(name, "/:@ ") && !strings.HasPrefix(name, "[") {
			return fmt.Errorf("allowed host %q: want a host name without scheme or port, like emulator or *.ci.example", name)
		}
		*h = append(*h, strings.ToLower(strings.Trim(name, "[]")))
	}
	return nil
}
