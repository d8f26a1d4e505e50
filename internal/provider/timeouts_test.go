package provider

import (
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// TestAccTimeouts_boundTheOperation: a timeouts block ends a template update
// and a push that a slow server would otherwise keep waiting for (20 s per
// attempt here). The old provider had no timeouts block.
func TestAccTimeouts_boundTheOperation(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	template := func(title string) string {
		return emu.config(`
resource "workplus_template" "slow" {
  title = "` + title + `"
  rows  = [{ cells = [{ content = "x" }] }]
  timeouts {
    update = "1s"
  }
}
`)
	}
	// Measured from the first step, not from here: ParallelTest waits for
	// the package's serial tests before it runs any step.
	var started time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{PreConfig: func() { started = time.Now() }, Config: template("Before")},
			{
				PreConfig: func() {
					emu.Emulator.SetFaults([]emulator.FaultRule{
						{Route: "POST /v1/templates/{id}", LatencyMS: 20000},
						{Route: "POST /push/notify", LatencyMS: 20000},
					})
				},
				Config:      template("After"),
				ExpectError: regexp.MustCompile(`(?s)Could not update the WorkPlus template.*context deadline exceeded`),
			},
			{
				Config: emu.config(`
resource "workplus_push_notification" "slow" {
  all   = true
  title = "Slow"
  body  = "server"
  timeouts {
    create = "1s"
  }
}
`),
				ExpectError: regexp.MustCompile(`(?s)Could not send the WorkPlus push notification.*context deadline\s+exceeded`),
			},
		},
	})
	if elapsed := time.Since(started); elapsed > 35*time.Second {
		t.Errorf("the test took %v: the timeouts did not cut the 20 s waits short", elapsed)
	}
}
