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

// TestAccTemplatesDataSource_filtersAndShape checks the filters the server
// cannot apply (app_id, exact title) and the two shapes: the default one with
// a null content, include_content with the whole template.
func TestAccTemplatesDataSource_filtersAndShape(t *testing.T) {
	const otherApp = "5f0c7a3e-8d1b-4c57-9e1a-2b6f4d8c9a70"
	seed := emulator.DefaultSeed()
	seed.Apps = append(seed.Apps, emulator.App{ID: otherApp, OrgID: emulator.DemoOrgID, Name: "Other"})
	body := [][]workplus.TemplateCell{{{Content: "Deployed {{service.DATA}}", Align: workplus.AlignRight}}}
	seed.Templates = []workplus.Template{
		{ID: "11111111-0000-4000-8000-000000000001", AppID: emulator.DemoAppID, Title: "Deploy", Tags: "ci", Contents: body},
		{ID: "11111111-0000-4000-8000-000000000002", AppID: emulator.DemoAppID, Title: "Deploy staging", Contents: body},
		{ID: "11111111-0000-4000-8000-000000000003", AppID: emulator.DemoAppID, Title: "deploy", Contents: body},
		{ID: "11111111-0000-4000-8000-000000000004", AppID: otherApp, Title: "Deploy", Contents: body},
		{ID: "11111111-0000-4000-8000-000000000005", AppID: otherApp, Title: "Rollback", Contents: body},
	}
	emu := newTestEmulator(t, emulator.Options{Seed: seed})
	ids := func(suffixes ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(suffixes))
		for i, s := range suffixes {
			checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"id": knownvalue.StringExact("11111111-0000-4000-8000-00000000000" + s)})
		}
		return knownvalue.ListExact(checks)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: emu.config(fmt.Sprintf(`
data "workplus_templates" "title" {
  title = "Deploy"
}
data "workplus_templates" "app" {
  app_id = %[1]q
}
data "workplus_templates" "both" {
  app_id          = %[2]q
  title           = "Deploy"
  include_content = true
}
data "workplus_templates" "kw_and_title" {
  kw    = "staging"
  title = "Deploy"
}
# A filter variable that defaults to "" filters nothing.
data "workplus_templates" "empty_filters" {
  kw     = ""
  app_id = ""
  title  = ""
}
`, otherApp, emulator.DemoAppID)),
			ConfigStateChecks: []statecheck.StateCheck{
				// Exact and case-sensitive: not "Deploy staging", not "deploy".
				statecheck.ExpectKnownValue("data.workplus_templates.title", tfjsonpath.New("templates"), ids("1", "4")),
				statecheck.ExpectKnownValue("data.workplus_templates.title", tfjsonpath.New("total_count"), knownvalue.Int64Exact(2)),
				statecheck.ExpectKnownValue("data.workplus_templates.app", tfjsonpath.New("templates"), ids("4", "5")),
				// The default shape: the summary, content null.
				statecheck.ExpectKnownValue("data.workplus_templates.app", tfjsonpath.New("templates").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"id": knownvalue.StringExact("11111111-0000-4000-8000-000000000004"), "app_id": knownvalue.StringExact(otherApp),
					"title": knownvalue.StringExact("Deploy"), "tags": knownvalue.StringExact(""),
					"placeholders": knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("service")}),
					"content":      knownvalue.Null(),
				})),
				statecheck.ExpectKnownValue("data.workplus_templates.both", tfjsonpath.New("templates"), ids("1")),
				statecheck.ExpectKnownValue("data.workplus_templates.both", tfjsonpath.New("templates").AtSliceIndex(0).AtMapKey("content"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"rows": knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
						"cells": knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
							"content": knownvalue.StringExact("Deployed {{service.DATA}}"), "align": knownvalue.StringExact("right"),
						})}),
					})}),
					"actions":   knownvalue.ListSizeExact(0),
					"org_id":    knownvalue.StringExact(emulator.DemoOrgID),
					"type":      knownvalue.StringExact("DEFAULT"),
					"operator":  knownvalue.StringExact(emulator.DemoAppID),
					"sample":    knownvalue.StringExact(""),
					"domain_id": knownvalue.NotNull(), "created_at": emu.createdAtCheck(), "updated_at": emu.createdAtCheck(),
				})),
				// kw narrows on the server to "Deploy staging"; the exact title then keeps nothing.
				statecheck.ExpectKnownValue("data.workplus_templates.kw_and_title", tfjsonpath.New("templates"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.workplus_templates.kw_and_title", tfjsonpath.New("total_count"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue("data.workplus_templates.empty_filters", tfjsonpath.New("templates"), ids("1", "2", "3", "4", "5")),
			},
		}},
	})
}
