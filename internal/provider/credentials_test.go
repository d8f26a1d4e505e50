package provider

import (
	"fmt"
	"regexp"
	"strings"
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

// TestAccCredentials_wrongSecretSaidOnce: a refresh of 12 templates and an
// audit of 14 certificates with a wrong client secret. The full message,
// with the attributes to check, is said once; every other failure says in
// one line that it failed the same way. Before, it was said 26 times.
func TestAccCredentials_wrongSecretSaidOnce(t *testing.T) {
	cli := newTerraformCLI(t, "1.5.0")
	emu := newTestEmulator(t, emulator.Options{})
	config := func(secret string) string {
		return cliTerraformBlock + fmt.Sprintf(`
provider "workplus" {
  endpoint      = %q
  domain_id     = %q
  org_id        = %q
  client_id     = %q
  client_secret = %q
  app_id        = %q
}

resource "workplus_template" "many" {
  count = 12
  title = "Said once ${count.index}"
  rows  = [{ cells = [{ content = "x" }] }]
}

data "workplus_push_certificates" "audit" {}
`, emu.URL, emulator.DemoDomainID, emulator.DemoOrgID, emulator.DemoClientID, secret, emulator.DemoAppID)
	}
	cli.write("main.tf", config(emulator.DemoClientSecret))
	cli.mustRun("init", "-input=false", "-no-color")
	cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color")

	cli.write("main.tf", config("wrong"))
	out, code := cli.run("plan", "-input=false", "-no-color")
	out = strings.Join(strings.Fields(out), " ")
	if code == 0 {
		t.Fatalf("the plan with a wrong secret succeeded:\n%s", out)
	}
	if n := strings.Count(out, "Check domain_id, org_id, client_id and client_secret"); n != 1 {
		t.Errorf("the full message is said %d times, want once:\n%s", n, out)
	}
	// 11 templates and one diagnostic for 13 certificates when a template
	// said it in full, or 12 templates and one for 13 when a certificate did.
	if n := strings.Count(out, "for the same reason as an earlier request of this run"); n != 12 && n != 13 {
		t.Errorf("%d one-line repeats, want 12 or 13:\n%s", n, out)
	}
	if !strings.Contains(out, "Reading 13 more credentials") && !strings.Contains(out, "Reading 14 more credentials") {
		// 14 when a template said it in full.
		t.Errorf("the certificate reads that repeat the failure are not named in one diagnostic:\n%s", out)
	}
}
