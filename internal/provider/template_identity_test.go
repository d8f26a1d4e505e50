package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// TestAccTemplate_identity: the identity is the template id, set on create,
// kept through an update in place, a refresh that finds drift, and imports
// by identity (with and without generated configuration).
func TestAccTemplate_identity(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	sameID := statecheck.CompareValue(compare.ValuesSame())
	var id string
	identityChecks := func() []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectIdentity(templateAddr, map[string]knownvalue.Check{
				"id": knownvalue.NotNull(),
			}),
			statecheck.ExpectIdentityValueMatchesState(templateAddr, tfjsonpath.New("id")),
			// The state id is the same in every step, and the identity
			// matches it: so the identity never changed.
			sameID.AddStateValue(templateAddr, tfjsonpath.New("id")),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             emu.checkTemplatesDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            emu.config(templateConfigV1),
				ConfigStateChecks: identityChecks(),
				Check:             rememberTemplateID(&id),
			},
			{
				ResourceName:    templateAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
			},
			{
				// terraform plan -generate-config-out with an identity import
				// block: the generated configuration imports with no changes.
				ResourceName:    templateAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				GenerateConfig:  true,
			},
			{
				Config: emu.config(templateConfigV2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(templateAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: identityChecks(),
			},
			{
				// Someone edits the template in the console; the refresh reads
				// it, the apply repairs it, and the identity stays.
				PreConfig: func() {
					ctx := testContextBackground()
					current, err := emu.client.GetTemplate(ctx, id)
					if err != nil {
						t.Fatalf("reading the template: %v", err)
					}
					edited := current.Input()
					edited.Title = "Edited by hand"
					if _, err := emu.client.UpdateTemplate(ctx, id, current.AppID, "", edited); err != nil {
						t.Fatalf("editing the template: %v", err)
					}
				},
				Config: emu.config(templateConfigV2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(templateAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(templateAddr, tfjsonpath.New("title"), knownvalue.StringExact("Release notice v2")),
				}},
				ConfigStateChecks: identityChecks(),
				Check: func(*terraform.State) error {
					repaired, err := emu.client.GetTemplate(testContextBackground(), id)
					if err != nil {
						return err
					}
					if repaired.Title != "Release notice v2" {
						return fmt.Errorf("the server's template is titled %q after the apply, want the configured one", repaired.Title)
					}
					return nil
				},
			},
			{
				// A refresh that finds nothing to change keeps the identity.
				Config: emu.config(templateConfigV2),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: identityChecks(),
			},
		},
	})
}
