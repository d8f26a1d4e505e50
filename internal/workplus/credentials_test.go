package workplus_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/emulator/emulatortest"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// callConcurrently makes n template reads at once through c, as n resources
// refreshing in one terraform run do, and returns their errors.
func callConcurrently(t *testing.T, c *workplus.Client, n int) []error {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = c.ListTemplates(t.Context(), workplus.ListTemplatesInput{Limit: 1})
		})
	}
	wg.Wait()
	return errs
}

// TestCredentials_wrongSecretFailsOnce: after the token endpoint rejects the
// client credentials, every other caller gets the same error without a new
// token request. The old client asked once per caller.
func TestCredentials_wrongSecretFailsOnce(t *testing.T) {
	t.Parallel()
	emu := emulatortest.Start(t, emulator.Options{})
	c := newClient(t, emu.URL, func(cfg *workplus.Config) {
		cfg.AccessToken = ""
		cfg.Credentials = &workplus.ClientCredentials{DomainID: emulator.DemoDomainID, OrgID: emulator.DemoOrgID, ClientID: emulator.DemoClientID, ClientSecret: "wrong"}
		cfg.MaxRetries = 3
	})
	const resources = 19
	errs := callConcurrently(t, c, resources)
	errs = append(errs, callConcurrently(t, c, resources)...)
	if n := emu.Emulator.RouteCounts()["POST /v1/token"]; n != 1 {
		t.Errorf("%d token requests for %d callers, want 1", n, 2*resources)
	}
	// One caller says it in full; every other one says in one line that it
	// failed the same way, and which error has the full message (issue #21).
	full := 0
	for i, err := range errs {
		var rejected *workplus.CredentialsRejectedError
		if !errors.As(err, &rejected) {
			t.Fatalf("caller %d: want a CredentialsRejectedError, got %v", i, err)
		}
		if workplus.IsRepeatedFailure(err) {
			if !strings.Contains(err.Error(), "refused the client credentials") || !strings.Contains(err.Error(), "quotes POST /v1/token") || strings.Contains(err.Error(), "\n") {
				t.Errorf("caller %d: the short form does not say why in one line and where the full message is: %v", i, err)
			}
			continue
		}
		full++
		for _, name := range []string{"client_secret", "WORKPLUS_CLIENT_SECRET", "client_id", "WORKPLUS_CLIENT_ID", "invalid client credentials"} {
			if !strings.Contains(err.Error(), name) {
				t.Errorf("caller %d: the error does not name %s: %v", i, name, err)
			}
		}
	}
	if full != 1 {
		t.Errorf("%d of %d callers got the full message, want 1", full, len(errs))
	}
	if n := emu.Emulator.RouteCounts()["GET /v1/templates"]; n != 0 {
		t.Errorf("%d template requests went out without a token", n)
	}
}

// TestCredentials_rejectedStaticTokenFailsOnce: after the server rejects a
// static token (10011), no other request is sent with it.
func TestCredentials_rejectedStaticTokenFailsOnce(t *testing.T) {
	t.Parallel()
	emu := emulatortest.Start(t, emulator.Options{})
	c := newClient(t, emu.URL, func(cfg *workplus.Config) { cfg.AccessToken = "expired"; cfg.MaxRetries = 3 })
	errs := callConcurrently(t, c, 20)
	errs = append(errs, callConcurrently(t, c, 20)...)
	if n := emu.Emulator.RouteCounts()["GET /v1/templates"]; n != 1 {
		t.Errorf("%d requests with the rejected token, want 1", n)
	}
	full := 0
	for i, err := range errs {
		if !workplus.IsTokenRejected(err) {
			t.Errorf("caller %d: want a token rejection, got %v", i, err)
			continue
		}
		if workplus.IsRepeatedFailure(err) {
			if !strings.Contains(err.Error(), "was not sent") || !strings.Contains(err.Error(), "quotes GET /v1/templates") {
				t.Errorf("caller %d: the short form does not say it was not sent and where the full message is: %v", i, err)
			}
			continue
		}
		full++
		if !strings.Contains(err.Error(), "access_token") || !strings.Contains(err.Error(), "WORKPLUS_ACCESS_TOKEN") {
			t.Errorf("caller %d: want a token rejection naming access_token and WORKPLUS_ACCESS_TOKEN, got %v", i, err)
		}
	}
	if full != 1 {
		t.Errorf("%d of %d callers got the full message, want 1", full, len(errs))
	}
}
