package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// TestAccCredentials_wrongSecretOneTokenRequest: ten templates with a wrong
// client secret make one token request, not one per resource, and the error
// names the attributes and environment variables to fix. The old provider
// asked once per resource.
func TestAccCredentials_wrongSecretOneTokenRequest(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	config := fmt.Sprintf(`
provider "workplus" {
  endpoint      = %q
  domain_id     = %q
  org_id        = %q
  client_id     = %q
  client_secret = "wrong"
  app_id        = %q
  token_cache   = false
}

resource "workplus_template" "many" {
  count = 10
  title = "Wrong secret ${count.index}"
  rows  = [{ cells = [{ content = "x" }] }]
}
`, emu.URL, emulator.DemoDomainID, emulator.DemoOrgID, emulator.DemoClientID, emulator.DemoAppID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: regexp.MustCompile(`(?s)invalid client\s+credentials.*client_secret.*WORKPLUS_CLIENT_SECRET`),
		}},
	})
	// After the test, not in CheckDestroy: that is skipped when nothing was
	// created.
	if n := emu.Emulator.RouteCounts()["POST /v1/token"]; n != 1 {
		t.Errorf("%d token requests for 10 resources, want 1", n)
	}
}

// TestAccCredentials_rejectedStaticTokenOneRequest: the same with a static
// token the server rejects: one request carries it, the others fail unsent.
func TestAccCredentials_rejectedStaticTokenOneRequest(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	config := fmt.Sprintf(`
provider "workplus" {
  endpoint     = %q
  access_token = "revoked"
  app_id       = %q
}

resource "workplus_template" "many" {
  count = 10
  title = "Rejected token ${count.index}"
  rows  = [{ cells = [{ content = "x" }] }]
}
`, emu.URL, emulator.DemoAppID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: regexp.MustCompile(`(?s)token not found.*access_token.*WORKPLUS_ACCESS_TOKEN`),
		}},
	})
	if n := emu.Emulator.RouteCounts()["POST /v1/templates"]; n != 1 {
		t.Errorf("%d requests carried the rejected token, want 1", n)
	}
}
