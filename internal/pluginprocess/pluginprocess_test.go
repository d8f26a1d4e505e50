package pluginprocess

import (
	"os"
	"runtime/debug"
	"testing"
)

// clearLogSettings unsets every logging variable for the test.
func clearLogSettings(t *testing.T) {
	for _, name := range logSettings {
		t.Setenv(name, "")
		_ = os.Unsetenv(name)
	}
}

func TestTune_relaxesGCUnlessGOGCIsSet(t *testing.T) {
	clearLogSettings(t)
	for _, tc := range []struct {
		gogc string
		want int
	}{{"", gcPercent}, {"50", 100}} {
		t.Setenv("GOGC", tc.gogc)
		previous := debug.SetGCPercent(100)
		Tune()
		if got := debug.SetGCPercent(previous); got != tc.want {
			t.Errorf("GOGC=%q: GC percent %d after Tune, want %d", tc.gogc, got, tc.want)
		}
	}
}

func TestTune_quietsSDKLogsOnlyWhenNoneAsked(t *testing.T) {
	clearLogSettings(t)
	Tune()
	if got := os.Getenv("TF_LOG_SDK_PROTO"); got != "off" {
		t.Errorf("no TF_LOG set: TF_LOG_SDK_PROTO = %q, want off", got)
	}

	clearLogSettings(t)
	t.Setenv("TF_LOG", "debug")
	Tune()
	if got := os.Getenv("TF_LOG_SDK_PROTO"); got != "" {
		t.Errorf("TF_LOG=debug: TF_LOG_SDK_PROTO = %q, want it left unset", got)
	}
}
