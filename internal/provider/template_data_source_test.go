package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

func TestAccTemplateDataSource(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: emu.config(templateConfigV1 + `
data "workplus_template" "by_id" {
  id = workplus_template.test.id
}
data "workplus_template" "seeded_by_title" {
  title = "Weekly report ready"
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs(templateAddr, tfjsonpath.New("rows"), "data.workplus_template.by_id", tfjsonpath.New("rows"), compare.ValuesSame()),
					statecheck.CompareValuePairs(templateAddr, tfjsonpath.New("updated_at"), "data.workplus_template.by_id", tfjsonpath.New("updated_at"), compare.ValuesSame()),
					statecheck.ExpectKnownValue("data.workplus_template.by_id", tfjsonpath.New("placeholders"), knownvalue.ListSizeExact(3)),
					statecheck.ExpectKnownValue("data.workplus_template.seeded_by_title", tfjsonpath.New("app_id"), knownvalue.StringExact(emulator.DemoAppID)),
					statecheck.ExpectKnownValue("data.workplus_template.seeded_by_title", tfjsonpath.New("id"), knownvalue.NotNull()),
				},
			},
		},
	})
}

func TestAccTemplateDataSource_lookupErrors(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	twin := workplus.TemplateInput{Title: "Twin", Contents: [][]workplus.TemplateCell{{{Content: "x", Align: "left"}}}}
	for range 2 {
		if _, err := emu.client.CreateTemplate(t.Context(), emulator.DemoAppID, "", twin); err != nil {
			t.Fatal(err)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      emu.config(`data "workplus_template" "t" { title = "No such title" }`),
				ExpectError: regexp.MustCompile(`(?s)no template is titled "No such title"`),
			},
			{
				Config:      emu.config(`data "workplus_template" "t" { title = "Twin" }`),
				ExpectError: regexp.MustCompile(`(?s)2 templates are titled "Twin".*look the template up by id`),
			},
			{
				Config:      emu.config(`data "workplus_template" "t" { id = "00000000-0000-0000-0000-000000000000" }`),
				ExpectError: regexp.MustCompile(`(?s)HTTP\s+404, code 40400: template not found`),
			},
			{
				Config:      emu.config(`data "workplus_template" "t" {}`),
				ExpectError: regexp.MustCompile(`(?s)Exactly one of these attributes must be configured: \[id,title\]`),
			},
		},
	})
}
