package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// flakyNetwork fails about 30 % of template requests: creates are processed
// and then their connection is dropped (the case that tempts a client into
// duplicates), reads and updates get 503, listings get 429.
var flakyNetwork = []emulator.FaultRule{
	{Route: "POST /v1/templates", Probability: 0.3, Drop: emulator.DropAfter},
	{Route: "GET /v1/templates/{id}", Probability: 0.3, Status: 503},
	{Route: "POST /v1/templates/{id}", Probability: 0.3, Status: 503},
	{Route: "DELETE /v1/templates/{id}", Probability: 0.3, Status: 503},
	{Route: "GET /v1/templates", Probability: 0.3, Status: 429},
}

// TestAccFaults_hundredTemplatesConverge applies 100 templates through the
// flaky network: the apply converges, the server holds each template exactly
// once, and the next plan is empty. It runs against the emulator's own
// answers and against answers shaped exactly as the seeds document them
// (list records without tags, app_id "DEFAULT"), where the old provider
// never found its dropped creates and created them again.
func TestAccFaults_hundredTemplatesConverge(t *testing.T) {
	for name, documented := range map[string]bool{"emulator shape": false, "documented shape": true} {
		t.Run(name, func(t *testing.T) {
			testHundredTemplatesConverge(t, emulator.Options{FaultSeed: 42, Faults: flakyNetwork, DocumentedShape: documented})
		})
	}
}

func testHundredTemplatesConverge(t *testing.T, opts emulator.Options) {
	emu := newTestEmulator(t, opts)
	seeded := len(emulator.DefaultSeed().Templates)
	config := fmt.Sprintf(`
provider "workplus" {
  endpoint     = %q
  access_token = %q
  app_id       = %q
  max_retries  = 10
}

resource "workplus_template" "bulk" {
  count = 100
  title = format("Fault tolerant %%03d", count.index)
  tags  = "faults"
  rows  = [{ cells = [{ content = "item {{n.DATA}}" }, { content = "${count.index}", align = "right" }] }]
}
`, emu.URL, emulator.DemoAccessToken, emulator.DemoAppID)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             emu.checkTemplatesDestroyed,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(*terraform.State) error {
					return emu.checkEachTitleOnce(seeded, 100)
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})

	faulted := 0
	for _, r := range emu.Emulator.Requests() {
		if r.Fault != "" {
			faulted++
		}
	}
	if faulted < 30 {
		t.Errorf("only %d requests were faulted: the test did not exercise the retry paths", faulted)
	}
	t.Logf("%d of %d requests were faulted", faulted, len(emu.Emulator.Requests()))
}

// TestAccFaults_twinTemplatesNeverShareAnID: two resources with identical
// content whose creates are both processed and then dropped. The provider
// cannot tell which template is whose, so both creates fail naming both
// candidates and the import command; nothing is sent again, so the server
// holds exactly the two templates the creates made. The old provider gave
// both resources the same id, orphaning the other template.
func TestAccFaults_twinTemplatesNeverShareAnID(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{Faults: []emulator.FaultRule{
		{Route: "POST /v1/templates", Drop: emulator.DropAfter, Count: 2},
		// Both creates reach the server before either search reads the list,
		// even on a loaded machine.
		{Route: "GET /v1/templates", LatencyMS: 5000},
	}})
	seeded := len(emulator.DefaultSeed().Templates)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Client credentials: with a static token the first request
				// of a run goes alone (it finds out whether the token is
				// accepted), which would put the creates one after the other.
				Config: fmt.Sprintf(`
provider "workplus" {
  endpoint      = %q
  domain_id     = %q
  org_id        = %q
  client_id     = %q
  client_secret = %q
  app_id        = %q
  token_cache   = false
}

resource "workplus_template" "twin" {
  count = 2
  title = "Twin"
  rows  = [{ cells = [{ content = "same {{x.DATA}}" }] }]
}
`, emu.URL, emulator.DemoDomainID, emulator.DemoOrgID, emulator.DemoClientID, emulator.DemoClientSecret, emulator.DemoAppID),
				ExpectError: regexp.MustCompile(`(?s)cannot prove which\s+template.*2 templates with\s+this content.*terraform import workplus_template.NAME`),
			},
		},
	})
	if n := emu.Emulator.RouteCounts()["POST /v1/templates"]; n != 2 {
		t.Errorf("POST /v1/templates was sent %d times, want 2", n)
	}
	if n := len(emu.Emulator.Snapshot().Templates); n != seeded+2 {
		t.Errorf("the server holds %d templates, want %d seeded + 2", n, seeded)
	}
}

// checkEachTitleOnce fails unless the server holds exactly want templates
// besides the seeded ones, each title once.
func (e *testEmulator) checkEachTitleOnce(seeded, want int) error {
	templates := e.Emulator.Snapshot().Templates
	if len(templates) != seeded+want {
		return fmt.Errorf("the server holds %d templates, want %d seeded + %d applied", len(templates), seeded, want)
	}
	seen := map[string]int{}
	for _, tpl := range templates {
		seen[tpl.Title]++
		if seen[tpl.Title] > 1 {
			return fmt.Errorf("template %q exists %d times", tpl.Title, seen[tpl.Title])
		}
	}
	return nil
}

// TestAccFaults_pushesAreSentOnce applies 20 push notifications while a third
// of the sends are processed and then dropped and a third of the statistics
// reads fail: the request_id lets the provider retry the sends, and the
// server ends up with exactly one task per notification.
func TestAccFaults_pushesAreSentOnce(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{FaultSeed: 7, Faults: []emulator.FaultRule{
		{Route: "POST /push/notify", Probability: 0.3, Drop: emulator.DropAfter},
		{Route: "POST /push/task/detail", Probability: 0.3, Status: 503},
	}})
	config := fmt.Sprintf(`
provider "workplus" {
  endpoint     = %q
  access_token = %q
  app_id       = %q
  max_retries  = 10
}

resource "workplus_push_notification" "bulk" {
  count = 20
  all   = true
  title = format("Notice %%02d", count.index)
  body  = "sent once, whatever the network does"
}
`, emu.URL, emulator.DemoAccessToken, emulator.DemoAppID)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(*terraform.State) error {
					if n := emu.Emulator.PushTaskCount(); n != 20 {
						return fmt.Errorf("the server holds %d push tasks, want 20", n)
					}
					return nil
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
	drops := 0
	for _, r := range emu.Emulator.Requests() {
		if r.Fault == "drop after" {
			drops++
		}
	}
	if drops == 0 {
		t.Error("no send was dropped: the test did not exercise the retry path")
	}
	if n := emu.Emulator.PushTaskCount(); n != 20 {
		t.Errorf("after the run the server holds %d push tasks, want 20", n)
	}
}
