package provider

import (
	"context"
	"fmt"
	"testing"

	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

const templateAddr = "workplus_template.test"

const templateConfigV1 = `
resource "workplus_template" "test" {
  title  = "Release notice"
  tags   = "release"
  sample = "api 1.0 is live"
  rows = [
    { cells = [{ content = "{{service.DATA}} {{version.DATA}} is live", align = "center" }] },
    { cells = [{ content = "Owner" }, { content = "{{owner.DATA}}", align = "right" }] },
  ]
  actions = [
    { name = "Notes", value = "https://git.example.com/releases" },
  ]
}
`

// templateConfigV2 changes the title, reorders the rows and adds a cell.
const templateConfigV2 = `
resource "workplus_template" "test" {
  title  = "Release notice v2"
  tags   = "release"
  sample = "api 1.0 is live"
  rows = [
    { cells = [{ content = "Owner" }, { content = "{{owner.DATA}}", align = "right" }, { content = "{{team.DATA}}" }] },
    { cells = [{ content = "{{service.DATA}} {{version.DATA}} is live", align = "center" }] },
  ]
  actions = [
    { name = "Notes", value = "https://git.example.com/releases" },
  ]
}
`

func TestAccTemplate_lifecycle(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	sameID := statecheck.CompareValue(compare.ValuesSame())

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             emu.checkTemplatesDestroyed,
		Steps: []resource.TestStep{
			{
				Config: emu.config(templateConfigV1),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(templateAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("title"), knownvalue.StringExact("Release notice")),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("app_id"), knownvalue.StringExact(emulator.DemoAppID)),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("domain_id"), knownvalue.StringExact(emulator.DemoDomainID)),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("org_id"), knownvalue.StringExact(emulator.DemoOrgID)),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("type"), knownvalue.StringExact("DEFAULT")),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("created_at"), emu.createdAtCheck()),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("placeholders"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("owner"), knownvalue.StringExact("service"), knownvalue.StringExact("version"),
					})),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("rows").AtSliceIndex(1).AtMapKey("cells").AtSliceIndex(0).AtMapKey("align"), knownvalue.StringExact("left")),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("actions").AtSliceIndex(0).AtMapKey("value"), knownvalue.StringExact("https://git.example.com/releases")),
				},
				Check: emu.checkTemplateOnServer(templateAddr, "Release notice", 2),
			},
			{
				ResourceName:      templateAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:    templateAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			{
				// terraform plan -generate-config-out: the generated
				// configuration must plan as a no-op import.
				ResourceName:    templateAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				GenerateConfig:  true,
			},
			{
				Config: emu.config(templateConfigV2),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(templateAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(templateAddr, tfjsonpath.New("placeholders"), knownvalue.ListSizeExact(4)),
						plancheck.ExpectKnownValue(templateAddr, tfjsonpath.New("id"), knownvalue.NotNull()),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(templateAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("rows").AtSliceIndex(0).AtMapKey("cells"), knownvalue.ListSizeExact(3)),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("rows").AtSliceIndex(1).AtMapKey("cells").AtSliceIndex(0).AtMapKey("align"), knownvalue.StringExact("center")),
				},
				Check: emu.checkTemplateOnServer(templateAddr, "Release notice v2", 2),
			},
		},
	})
}

// checkTemplateOnServer asks the emulator, not the state, what the template is.
func (e *testEmulator) checkTemplateOnServer(addr, wantTitle string, wantRows int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in the state", addr)
		}
		got, err := e.client.GetTemplate(testContextBackground(), rs.Primary.ID)
		if err != nil {
			return err
		}
		if got.Title != wantTitle || len(got.Contents) != wantRows {
			return fmt.Errorf("server has title %q with %d rows, want %q with %d", got.Title, len(got.Contents), wantTitle, wantRows)
		}
		return nil
	}
}

// checkTemplatesDestroyed is CheckDestroy: every template of the state must be
// gone from the emulator.
func (e *testEmulator) checkTemplatesDestroyed(s *terraform.State) error {
	for _, rs := range s.RootModule().Resources {
		if rs.Type != "workplus_template" {
			continue
		}
		_, err := e.client.GetTemplate(testContextBackground(), rs.Primary.ID)
		if err == nil {
			return fmt.Errorf("template %s still exists", rs.Primary.ID)
		}
		if !workplus.IsNotFound(err) {
			return err
		}
	}
	return nil
}

func TestAccTemplate_appIDChangeReplaces(t *testing.T) {
	seed := emulator.DefaultSeed()
	seed.Apps = append(seed.Apps, emulator.App{ID: "second-app", OrgID: emulator.DemoOrgID, Name: "Second"})
	emu := newTestEmulator(t, emulator.Options{Seed: seed})
	config := func(appID string) string {
		return emu.config(fmt.Sprintf(`
resource "workplus_template" "test" {
  app_id = %q
  title  = "Per app"
  rows   = [{ cells = [{ content = "hello" }] }]
}
`, appID))
	}
	differentID := statecheck.CompareValue(compare.ValuesDiffer())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             emu.checkTemplatesDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            config(emulator.DemoAppID),
				ConfigStateChecks: []statecheck.StateCheck{differentID.AddStateValue(templateAddr, tfjsonpath.New("id"))},
			},
			{
				Config: config("second-app"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(templateAddr, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					differentID.AddStateValue(templateAddr, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("app_id"), knownvalue.StringExact("second-app")),
				},
			},
		},
	})
	if n := emu.Emulator.TemplateCount(); n != len(emulator.DefaultSeed().Templates) {
		t.Errorf("after destroy the emulator holds %d templates, want the %d seeded ones", n, len(emulator.DefaultSeed().Templates))
	}
}

func TestAccTemplate_driftIsRepaired(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: emu.config(templateConfigV1),
				Check:  rememberTemplateID(&id),
			},
			{
				// Someone edits the template in the console.
				PreConfig: emu.editTemplate(t, &id, func(in *workplus.TemplateInput) {
					in.Title = "Edited by hand"
					in.Contents = in.Contents[:1]
				}),
				Config: emu.config(templateConfigV1),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(templateAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(templateAddr, tfjsonpath.New("title"), knownvalue.StringExact("Release notice")),
				}},
				Check: emu.checkTemplateOnServer(templateAddr, "Release notice", 2),
			},
		},
	})
}

// TestAccTemplate_driftFromDefaultsIsRepaired: a console edit of what the
// configuration leaves to its defaults (tags, sample, actions, a cell's
// align) is planned back. Terraform proposes the edited state unchanged for
// unset Optional and Computed arguments, so only the defaults find this
// drift.
func TestAccTemplate_driftFromDefaultsIsRepaired(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	var id string
	edit := func(change func(*workplus.TemplateInput)) func() { return emu.editTemplate(t, &id, change) }
	cellAlign := tfjsonpath.New("rows").AtSliceIndex(0).AtMapKey("cells").AtSliceIndex(0).AtMapKey("align")
	repairs := func(attribute tfjsonpath.Path, want knownvalue.Check) resource.ConfigPlanChecks {
		return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(templateAddr, plancheck.ResourceActionUpdate),
			plancheck.ExpectKnownValue(templateAddr, attribute, want),
		}}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: emu.config(minimalTemplate),
				Check:  rememberTemplateID(&id),
			},
			{
				PreConfig:        edit(func(in *workplus.TemplateInput) { in.Tags = "edited" }),
				Config:           emu.config(minimalTemplate),
				ConfigPlanChecks: repairs(tfjsonpath.New("tags"), knownvalue.StringExact("")),
			},
			{
				PreConfig:        edit(func(in *workplus.TemplateInput) { in.Sample = "edited" }),
				Config:           emu.config(minimalTemplate),
				ConfigPlanChecks: repairs(tfjsonpath.New("sample"), knownvalue.StringExact("")),
			},
			{
				PreConfig:        edit(func(in *workplus.TemplateInput) { in.Contents[0][0].Align = workplus.AlignRight }),
				Config:           emu.config(minimalTemplate),
				ConfigPlanChecks: repairs(cellAlign, knownvalue.StringExact(workplus.AlignLeft)),
			},
			{
				PreConfig: edit(func(in *workplus.TemplateInput) {
					in.Actions = []workplus.TemplateAction{{Name: "Open", Value: "https://example.com"}}
				}),
				Config:           emu.config(minimalTemplate),
				ConfigPlanChecks: repairs(tfjsonpath.New("actions"), knownvalue.ListSizeExact(0)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("actions"), knownvalue.ListSizeExact(0)),
					statecheck.ExpectKnownValue(templateAddr, cellAlign, knownvalue.StringExact(workplus.AlignLeft)),
				},
			},
			{
				Config:           emu.config(minimalTemplate),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// rememberTemplateID stores the id of templateAddr in *id.
func rememberTemplateID(id *string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		*id = s.RootModule().Resources[templateAddr].Primary.ID
		return nil
	}
}

// editTemplate is a PreConfig that edits template *id on the server as
// someone in the WorkPlus console would, as change says.
func (e *testEmulator) editTemplate(t *testing.T, id *string, change func(*workplus.TemplateInput)) func() {
	return func() {
		ctx := testContextBackground()
		current, err := e.client.GetTemplate(ctx, *id)
		if err != nil {
			t.Fatalf("reading the template: %v", err)
		}
		edited := current.Input()
		change(&edited)
		if _, err := e.client.UpdateTemplate(ctx, *id, current.AppID, "", edited); err != nil {
			t.Fatalf("editing the template: %v", err)
		}
	}
}

func TestAccTemplate_disappears(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: emu.config(templateConfigV1),
				Check: func(s *terraform.State) error {
					return emu.client.DeleteTemplate(testContextBackground(), s.RootModule().Resources[templateAddr].Primary.ID)
				},
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(templateAddr, plancheck.ResourceActionCreate),
				}},
			},
		},
	})
}

func TestAccTemplate_serverWithoutDelete(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{DisableDelete: true})
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// Destroy succeeds with a warning; the template stays on the server.
		CheckDestroy: func(*terraform.State) error {
			if _, err := emu.client.GetTemplate(testContextBackground(), id); err != nil {
				return fmt.Errorf("the template should still exist on a server without DELETE: %w", err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: emu.config(templateConfigV1),
				Check:  rememberTemplateID(&id),
			},
		},
	})
	if n := emu.Emulator.RouteCounts()["DELETE /v1/templates/{id}"]; n != 1 {
		t.Errorf("DELETE was tried %d times, want 1", n)
	}
}

func TestAccTemplate_unicodeAndDefaultsPlanClean(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	config := emu.config(`
resource "workplus_template" "test" {
  title = "请假审批通知 — ünïcødé ✅"
  rows = [
    { cells = [{ content = "申请人: {{applicant.DATA}}", align = "center" }] },
    { cells = [{ content = "事由：年假 🌴" }, { content = "天数：{{days.DATA}}" }] },
  ]
  tags    = ""
  actions = []
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("title"), knownvalue.StringExact("请假审批通知 — ünïcødé ✅")),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("sample"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("actions"), knownvalue.ListSizeExact(0)),
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
			{
				ResourceName:      templateAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
		},
	})
}

// Validation errors are in the bad-input corpus (bad_input_test.go).

// TestAccTemplate_providerAppIDChangeReplaces: a template that takes its app
// from the provider moves with it, by replacement, even when nothing else in
// the template changes.
func TestAccTemplate_providerAppIDChangeReplaces(t *testing.T) {
	seed := emulator.DefaultSeed()
	seed.Apps = append(seed.Apps, emulator.App{ID: "second-app", OrgID: emulator.DemoOrgID, Name: "Second"})
	emu := newTestEmulator(t, emulator.Options{Seed: seed})
	config := func(appID string) string {
		return providerBlock(fmt.Sprintf("endpoint = %q", emu.URL), fmt.Sprintf("access_token = %q", emulator.DemoAccessToken), fmt.Sprintf("app_id = %q", appID)) + minimalTemplate
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             emu.checkTemplatesDestroyed,
		Steps: []resource.TestStep{
			{Config: config(emulator.DemoAppID)},
			{
				Config: config("second-app"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(templateAddr, plancheck.ResourceActionDestroyBeforeCreate),
					plancheck.ExpectKnownValue(templateAddr, tfjsonpath.New("app_id"), knownvalue.StringExact("second-app")),
				}},
			},
			{
				Config: config("second-app"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
}

// TestTemplateReadState_matchesFromAPI: Read builds the state directly; it
// must store exactly what Create and Update store through fromAPI, or a
// refresh after an apply would show changes that are not there.
func TestTemplateReadState_matchesFromAPI(t *testing.T) {
	ctx := context.Background()
	stateTypes, err := templateStateTypes()
	if err != nil {
		t.Fatal(err)
	}
	var schemaResp fwresource.SchemaResponse
	NewTemplateResource().Schema(ctx, fwresource.SchemaRequest{}, &schemaResp)
	for name, template := range map[string]workplus.Template{
		"full": {ID: "t-1", AppID: "app", Title: "Deploy", Tags: "ops,ci", Sample: "s", DomainID: "d", OrgID: "o", Type: "DEFAULT", Operator: "op",
			CreateTime: 1764500000000, RefreshTime: 1764500001000,
			Actions:  []workplus.TemplateAction{{Name: "Open", Value: "https://example.com"}},
			Contents: [][]workplus.TemplateCell{{{Content: "Hi {{name.DATA}}", Align: "center"}, {Content: "{{b.DATA}} {{a.DATA}}"}}, {{Content: ""}}}},
		"sparse": {ID: "t-2", Title: "Bare"},
	} {
		for _, sourceType := range []types.String{types.StringNull(), types.StringValue(workplus.SourceTypeISV)} {
			model := templateResourceModel{SourceType: sourceType, Timeouts: noTemplateTimeouts}
			if diags := model.fromAPI(ctx, &template); diags.HasError() {
				t.Fatal(diags)
			}
			want := tfsdk.State{Schema: schemaResp.Schema}
			if diags := want.Set(ctx, &model); diags.HasError() {
				t.Fatal(diags)
			}
			sourceTypeValue, err := sourceType.ToTerraformValue(ctx)
			if err != nil {
				t.Fatal(err)
			}
			prior := map[string]tftypes.Value{"source_type": sourceTypeValue, "timeouts": tftypes.NewValue(stateTypes.state.AttributeTypes["timeouts"], nil)}
			if got := stateTypes.readState(prior, &template); !got.Equal(want.Raw) {
				t.Errorf("%s, source_type %v: Read stores\n%v\nfromAPI stores\n%v", name, sourceType, got, want.Raw)
			}
		}
	}
}
