package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// stateCheck is a statecheck.StateCheck from a function. Unlike a step's
// Check, it works with for_each addresses, which the legacy state shim
// behind Check does not support.
type stateCheck func() error

func (f stateCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}

// TestAccTemplate_renamedForEachKey is the guide "Renaming and moving
// templates" on a server without DELETE: renaming a for_each key with a
// moved block keeps the template (same id, no change planned); renaming it
// without one creates a new template and leaves the old one on the server,
// a duplicate, with a warning (issue #11).
func TestAccTemplate_renamedForEachKey(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{DisableDelete: true})
	seeded := len(emulator.DefaultSeed().Templates)
	guide := readExample(t, "guides/renaming-templates/main.tf")
	if !strings.Contains(guide, `from = workplus_template.notice["deploy"]`) {
		t.Fatal("the guide's example no longer renames the key deploy; update this test")
	}
	// The guide's configuration before the rename, when the key was "deploy".
	before := strings.Replace(guide[:strings.Index(guide, "# The key was")], "deployment =", "deploy     =", 1)
	// A second rename, to "release", written without a moved block.
	withoutMoved := strings.Replace(before, "deploy     =", "release    =", 1)

	at := func(key string) string { return fmt.Sprintf("workplus_template.notice[%q]", key) }
	sameID := statecheck.CompareValue(compare.ValuesSame())
	serverHolds := func(want int) stateCheck {
		return func() error {
			if got := emu.Emulator.TemplateCount() - seeded; got != want {
				return fmt.Errorf("the server holds %d templates of this configuration, want %d", got, want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: emu.config(before),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(at("deploy"), tfjsonpath.New("id")),
					serverHolds(2),
				},
			},
			{
				Config: emu.config(guide),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(at("deployment"), plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction(at("incident"), plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(at("deployment"), tfjsonpath.New("id")),
					serverHolds(2),
				},
			},
			{
				Config: emu.config(withoutMoved),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(at("release"), plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(at("deployment"), plancheck.ResourceActionDestroy),
				}},
				// The destroy could not delete: the old template stays, a duplicate.
				ConfigStateChecks: []statecheck.StateCheck{serverHolds(3)},
			},
			{
				// Destroy in a step of its own: the test framework's final
				// destroy reads the state through a shim that cannot
				// address for_each instances. Nothing can be deleted here.
				Config:            emu.providerConfig(),
				ConfigStateChecks: []statecheck.StateCheck{serverHolds(3)},
			},
		},
	})
}
