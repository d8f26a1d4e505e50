// Package emulatortest starts a WorkPlus emulator for a Go test.
package emulatortest

import (
	"net/http/httptest"
	"testing"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// Instance is a running emulator.
type Instance struct {
	URL      string // base URL of both APIs, without a trailing slash
	Emulator *emulator.Emulator
	Server   *httptest.Server
}

// Start runs an emulator with opts on an httptest server and stops it when
// the test ends. It fails the test when the emulator cannot be built.
func Start(tb testing.TB, opts emulator.Options) *Instance {
	tb.Helper()
	e, err := emulator.New(opts)
	if err != nil {
		tb.Fatalf("starting WorkPlus emulator: %v", err)
	}
	srv := httptest.NewServer(e)
	tb.Cleanup(func() {
		srv.Close()
		if err := e.Close(); err != nil {
			tb.Errorf("closing WorkPlus emulator: %v", err)
		}
	})
	return &Instance{URL: srv.URL, Emulator: e, Server: srv}
}
