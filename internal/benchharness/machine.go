package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

type machineInfo struct {
	nproc     int
	cpu       string
	memTotal  string
	kernel    string
	goVersion string
	terraform string
	loadStart string
	loadEnd   string
}

func describeMachine(ctx context.Context, terraformBin string) machineInfo {
	m := machineInfo{nproc: runtime.NumCPU(), goVersion: runtime.Version(), loadStart: loadAverage()}
	if out, err := exec.Command("nproc").Output(); err == nil {
		m.nproc = atoiOr(strings.TrimSpace(string(out)), m.nproc)
	}
	m.cpu = procField("/proc/cpuinfo", "model name")
	m.memTotal = procField("/proc/meminfo", "MemTotal")
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = runtime.GOOS + " " + strings.TrimSpace(string(data))
	} else {
		m.kernel = runtime.GOOS
	}
	// `go version` of the toolchain that built the binaries (scripts/bench.sh
	// builds with the same go as `go run`).
	if out, err := exec.Command("go", "version").Output(); err == nil {
		m.goVersion = strings.TrimSpace(string(out))
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, terraformBin, "version")
	cmd.Env = childEnv([]string{"CHECKPOINT_DISABLE=1"})
	if out, err := cmd.Output(); err == nil {
		m.terraform = strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
	}
	return m
}

func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// loadAverage is /proc/loadavg's 1, 5 and 15 minute figures: how busy the
// shared machine was.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func atoiOr(s string, def int) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return def
		}
		n = n*10 + int(c-'0')
	}
	if s == "" {
		return def
	}
	return n
}
