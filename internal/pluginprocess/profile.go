//go:build profile

package pluginprocess

import (
	"os"
	"runtime/pprof"
)

// A binary built with -tags profile writes a CPU profile of each provider
// process into $WORKPLUS_CPUPROFILE_DIR, for profiling the provider during a
// real terraform run (BENCHMARKS.md, "Framework costs"). Release builds lack
// it.
func init() {
	startProfile = func() {
		dir := os.Getenv("WORKPLUS_CPUPROFILE_DIR")
		if dir == "" {
			return
		}
		f, err := os.CreateTemp(dir, "provider-*.pprof")
		if err != nil {
			return
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			_ = f.Close()
			return
		}
		stopProfile = func() {
			pprof.StopCPUProfile()
			_ = f.Close()
		}
	}
}
