package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// createTemplates adds n templates through the API, titled "Bulk NNN".
func (e *testEmulator) createTemplates(t *testing.T, n int) {
	t.Helper()
	for i := range n {
		in := workplus.TemplateInput{
			Title:    fmt.Sprintf("Bulk %03d", i),
			Tags:     "bulk",
			Contents: [][]workplus.TemplateCell{{{Content: "{{item.DATA}}", Align: workplus.AlignLeft}}},
		}
		if _, err := e.client.CreateTemplate(t.Context(), emulator.DemoAppID, "", in); err != nil {
			t.Fatalf("creating template %d: %v", i, err)
		}
	}
}

// TestAccTemplatesDataSource_readsEveryPage lists 250 templates plus the
// seeded ones with the server capping pages lower than the provider asks, and
// checks every template arrives in ceil(N/cap) requests per read.
func TestAccTemplatesDataSource_readsEveryPage(t *testing.T) {
	for _, serverCap := range []int{100, 40} {
		t.Run(fmt.Sprintf("server cap %d", serverCap), func(t *testing.T) {
			emu := newTestEmulator(t, emulator.Options{MaxPageSize: serverCap})
			emu.createTemplates(t, 250)
			total := emu.Emulator.TemplateCount()
			pagesPerRead := (total + serverCap - 1) / serverCap
			emu.Emulator.ResetRequestLog()
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config: emu.config(`data "workplus_templates" "all" {}`),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.workplus_templates.all", tfjsonpath.New("total_count"), knownvalue.Int64Exact(int64(total))),
							statecheck.ExpectKnownValue("data.workplus_templates.all", tfjsonpath.New("templates"), knownvalue.ListSizeExact(total)),
							statecheck.ExpectKnownValue("data.workplus_templates.all", tfjsonpath.New("templates").AtSliceIndex(total-1).AtMapKey("title"), knownvalue.StringExact("Bulk 249")),
							statecheck.ExpectKnownValue("data.workplus_templates.all", tfjsonpath.New("templates").AtSliceIndex(total-1).AtMapKey("placeholders"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("item")})),
						},
						Check: emu.expectRouteCallsMultipleOf("GET /v1/templates", pagesPerRead),
					},
					{
						Config: emu.config(`data "workplus_templates" "bulk" { kw = "BULK 24" }`),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.workplus_templates.bulk", tfjsonpath.New("total_count"), knownvalue.Int64Exact(10)),
						},
					},
				},
			})
		})
	}
}

func TestListAllTemplates_requestCount(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{MaxPageSize: 40})
	emu.createTemplates(t, 250)
	total := emu.Emulator.TemplateCount()
	for _, asked := range []int{100, 40, 7} {
		emu.Emulator.ResetRequestLog()
		all, err := emu.client.ListAllTemplates(t.Context(), "", asked)
		if err != nil {
			t.Fatal(err)
		}
		page := min(asked, 40)
		want := (total + page - 1) / page
		if len(all) != total || emu.Emulator.RouteCounts()["GET /v1/templates"] != want {
			t.Errorf("asking %d a page: %d templates in %d requests, want %d in %d", asked, len(all), emu.Emulator.RouteCounts()["GET /v1/templates"], total, want)
		}
	}
}
