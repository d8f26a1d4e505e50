// Package pluginprocess tunes the provider's process for what it is: a
// short-lived plugin that Terraform starts for one command, asks a burst of
// small requests and stops. The provider's main and the benchmarks' framework
// floor provider (internal/benchharness/floorprovider) share it, so the floor
// is measured under the same settings.
package pluginprocess

import (
	"os"
	"runtime/debug"
)

// Tune applies the settings below. Call it first in main.
func Tune() {
	quietSDKLogsUnlessAsked()
	relaxGCUnlessAsked()
	startProfile()
}

// Done ends what Tune started; call it when the provider server returns
// (Terraform has stopped the provider).
func Done() { stopProfile() }

// startProfile and stopProfile do nothing unless the binary is built with
// -tags profile (profile.go).
var startProfile, stopProfile = func() {}, func() {}

// logSettings are the variables through which a user asks Terraform, and so
// the provider (Terraform passes its environment on), for logs.
var logSettings = []string{
	"TF_LOG", "TF_LOG_PATH", "TF_LOG_CORE", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_WORKPLUS",
	"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK",
}

// quietSDKLogsUnlessAsked turns the plugin SDK's own logging off when nobody
// asked for logs. The SDK otherwise writes a dozen TRACE lines per request,
// which Terraform parses only to discard: measured, a third of the CPU of a
// plan over 300 templates (BENCHMARKS.md, section 2). Anyone who sets any
// TF_LOG variable gets every log line as usual.
func quietSDKLogsUnlessAsked() {
	for _, name := range logSettings {
		if os.Getenv(name) != "" {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_WORKPLUS"} {
		_ = os.Setenv(name, "off")
	}
}

// gcPercent lets the heap grow to five times the live data between
// collections instead of twice. The plugin's live heap is a few MiB (schemas,
// the gRPC server), but the framework allocates heavily per request, so the
// default GOGC=100 collects many times a second during a plan; only for speed:
// BENCHMARKS.md, section 2 ("GC settings"). GOGC in the environment wins.
const gcPercent = 400

func relaxGCUnlessAsked() {
	if os.Getenv("GOGC") != "" {
		return
	}
	debug.SetGCPercent(gcPercent)
}
