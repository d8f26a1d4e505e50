package workplus_test

import (
	"net"
	"strings"
	"testing"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/emulator/emulatortest"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// oneFullMessage checks that exactly one of errs is the full message and
// holds every part of want, and that the others are one line pointing at it.
func oneFullMessage(t *testing.T, errs []error, want ...string) {
	t.Helper()
	full := 0
	for i, err := range errs {
		if err == nil {
			t.Fatalf("caller %d: no error", i)
		}
		if workplus.IsRepeatedFailure(err) {
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "for the same reason as an earlier request of this run") {
				t.Errorf("caller %d: the short form is not one line saying why: %q", i, msg)
			}
			continue
		}
		full++
		for _, part := range want {
			if !strings.Contains(err.Error(), part) {
				t.Errorf("caller %d: the full message lacks %q: %v", i, part, err)
			}
		}
	}
	if full != 1 {
		t.Errorf("%d of %d errors are the full message, want 1", full, len(errs))
	}
}

// TestRunFailures_endpointDownSaidOnce: 12 reads against an endpoint where
// nothing listens. Before, 12 full "connection refused" errors and no hint;
// now one says what to check, and 11 say in one line that they failed alike.
func TestRunFailures_endpointDownSaidOnce(t *testing.T) {
	t.Parallel()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + listener.Addr().String()
	listener.Close()
	errs := callConcurrently(t, newClient(t, url), 12)
	oneFullMessage(t, errs, "connection refused", "Check endpoint in the provider block (or WORKPLUS_ENDPOINT): "+url, "server is up")
}

// TestRunFailures_unknownAppSaidOnce: creates in an app the server does not
// know name app_id and WORKPLUS_APP_ID once.
func TestRunFailures_unknownAppSaidOnce(t *testing.T) {
	t.Parallel()
	emu := emulatortest.Start(t, emulator.Options{})
	c := newClient(t, emu.URL)
	var errs []error
	for range 3 {
		_, err := c.CreateTemplate(t.Context(), "no-such-app", "", workplus.TemplateInput{Title: "x", Contents: [][]workplus.TemplateCell{{{Content: "x"}}}})
		errs = append(errs, err)
	}
	oneFullMessage(t, errs, "app_id", "WORKPLUS_APP_ID")
}
