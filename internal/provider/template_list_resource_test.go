package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

const (
	templateListAddr   = "workplus_template.all"
	listTemplatesRoute = "GET /v1/templates"
)

var skipBelowQuery = []tfversion.TerraformVersionCheck{skipOnOpenTofu(openTofuNoListResources), tfversion.SkipBelow(tfversion.Version1_14_0)}

// templateListQuery is a .tfquery.hcl list block named "all"; body holds
// its arguments (config, include_resource, limit).
func templateListQuery(body string) string {
	return "list \"workplus_template\" \"all\" {\n  provider = workplus\n" + body + "\n}\n"
}

// queryTestCase runs query against the emulator: a first step writes the
// provider configuration (a query step needs a configuration to run in),
// then the query step with its checks.
func (e *testEmulator) queryTestCase(query string, checks ...querycheck.QueryResultCheck) resource.TestCase {
	return resource.TestCase{
		TerraformVersionChecks:   skipBelowQuery,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: e.providerConfig()},
			{Query: true, Config: query, QueryResultChecks: checks},
		},
	}
}

func byID(id string) queryfilter.QueryFilter {
	return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
}

// expectTemplates checks that the list found exactly templates: their
// identities, with their titles as display names.
func expectTemplates(templates []workplus.Template) []querycheck.QueryResultCheck {
	checks := []querycheck.QueryResultCheck{querycheck.ExpectLength(templateListAddr, len(templates))}
	for _, t := range templates {
		checks = append(checks,
			querycheck.ExpectIdentity(templateListAddr, map[string]knownvalue.Check{"id": knownvalue.StringExact(t.ID)}),
			querycheck.ExpectResourceDisplayName(templateListAddr, byID(t.ID), knownvalue.StringExact(t.Title)),
		)
	}
	return checks
}

// expectRequests is a query check of the emulator, not of the results: it
// checks how many times route was called during the query.
type expectRequests struct {
	emu   *testEmulator
	route string
	want  int
	why   string
}

func (c expectRequests) CheckQuery(_ context.Context, _ querycheck.CheckQueryRequest, resp *querycheck.CheckQueryResponse) {
	if got := c.emu.Emulator.RouteCounts()[c.route]; got != c.want {
		resp.Error = fmt.Errorf("%s was called %d times, want %d (%s)", c.route, got, c.want, c.why)
	}
}

func TestAccTemplateList_basic(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	seeded := emulator.DefaultSeed().Templates
	checks := append(expectTemplates(seeded),
		expectRequests{emu, listTemplatesRoute, 1, "the seed fits one page"})
	resource.ParallelTest(t, emu.queryTestCase(templateListQuery(""), checks...))
}

// TestAccTemplateList_emptyFilters: filters set to "", as a variable that
// defaults to "" leaves them, list everything, as workplus_templates does.
func TestAccTemplateList_emptyFilters(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, emu.queryTestCase(templateListQuery(`  config {
    kw     = ""
    app_id = ""
  }`), expectTemplates(emulator.DefaultSeed().Templates)...))
}

func TestAccTemplateList_includeResource(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	leave := emulator.DefaultSeed().Templates[0]
	resource.ParallelTest(t, emu.queryTestCase(templateListQuery(`  include_resource = true
  config {
    kw = "`+leave.Title+`"
  }`),
		querycheck.ExpectLength(templateListAddr, 1),
		querycheck.ExpectResourceKnownValues(templateListAddr, byID(leave.ID), []querycheck.KnownValueCheck{
			{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(leave.ID)},
			{Path: tfjsonpath.New("title"), KnownValue: knownvalue.StringExact(leave.Title)},
			{Path: tfjsonpath.New("app_id"), KnownValue: knownvalue.StringExact(emulator.DemoAppID)},
			{Path: tfjsonpath.New("org_id"), KnownValue: knownvalue.StringExact(emulator.DemoOrgID)},
			{Path: tfjsonpath.New("tags"), KnownValue: knownvalue.StringExact(leave.Tags)},
			{Path: tfjsonpath.New("sample"), KnownValue: knownvalue.StringExact(leave.Sample)},
			{Path: tfjsonpath.New("actions"), KnownValue: knownvalue.ListSizeExact(len(leave.Actions))},
			{Path: tfjsonpath.New("actions").AtSliceIndex(0).AtMapKey("value"), KnownValue: knownvalue.StringExact(leave.Actions[0].Value)},
			{Path: tfjsonpath.New("rows"), KnownValue: knownvalue.ListSizeExact(len(leave.Contents))},
			{Path: tfjsonpath.New("rows").AtSliceIndex(1).AtMapKey("cells").AtSliceIndex(1).AtMapKey("align"), KnownValue: knownvalue.StringExact(leave.Contents[1][1].Align)},
			{Path: tfjsonpath.New("placeholders"), KnownValue: knownvalue.ListExact([]knownvalue.Check{
				knownvalue.StringExact("days"), knownvalue.StringExact("kind"), knownvalue.StringExact("name"),
			})},
		}),
	))
}

// TestAccTemplateList_includeResourceReadsPartialRecords: a server that lists
// templates as seed 001 shows them leaves tags out and shows app_id
// "DEFAULT", so with include_resource each such record is read by id before
// configuration is generated from it. A server that lists templates whole,
// tagged or not, costs no read.
func TestAccTemplateList_includeResourceReadsPartialRecords(t *testing.T) {
	for _, documented := range []bool{false, true} {
		for name, tc := range map[string]struct{ kw, tags string }{
			"untagged": {"值班提醒", ""},
			"tagged":   {"Expense approved", "finance"},
		} {
			t.Run(fmt.Sprintf("%s, documented shape %v", name, documented), func(t *testing.T) {
				emu := newTestEmulator(t, emulator.Options{DocumentedShape: documented})
				reads := 0
				if emu.documentedShape {
					reads = 1
				}
				resource.ParallelTest(t, emu.queryTestCase(templateListQuery(`  include_resource = true
  config {
    kw = "`+tc.kw+`"
  }`),
					querycheck.ExpectLength(templateListAddr, 1),
					querycheck.ExpectResourceKnownValues(templateListAddr, queryfilter.ByDisplayName(knownvalue.StringRegexp(regexp.MustCompile(regexp.QuoteMeta(tc.kw)))), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("tags"), KnownValue: knownvalue.StringExact(tc.tags)},
						{Path: tfjsonpath.New("app_id"), KnownValue: knownvalue.StringExact(emulator.DemoAppID)},
					}),
					expectRequests{emu, "GET /v1/templates/{id}", reads, "reads of listed templates"},
				))
			})
		}
	}
}

// TestAccTemplateList_filters: kw matches titles and tags, as the API
// searches; app_id keeps one app's templates, which the provider filters
// itself because the API cannot.
func TestAccTemplateList_filters(t *testing.T) {
	seed := emulator.DefaultSeed()
	seed.Apps = append(seed.Apps, emulator.App{ID: "second-app", OrgID: emulator.DemoOrgID, Name: "Second"})
	other := []workplus.Template{
		{ID: "other-1", AppID: "second-app", Title: "Deploy finished", Tags: "ci", Contents: [][]workplus.TemplateCell{{{Content: "done", Align: "left"}}}},
		{ID: "other-2", AppID: "second-app", Title: "Nightly build", Tags: "ci,weekly", Contents: [][]workplus.TemplateCell{{{Content: "built"}}}},
	}
	seeded := seed.Templates
	seed.Templates = append(append([]workplus.Template{}, seed.Templates...), other...)
	weekly := []workplus.Template{}
	for _, tmpl := range seed.Templates {
		if tmpl.Title == "Weekly report ready" || tmpl.ID == "other-2" {
			weekly = append(weekly, tmpl)
		}
	}
	config := func(body string) string {
		return templateListQuery("  config {\n" + body + "\n  }")
	}
	for name, tc := range map[string]struct {
		query string
		want  []workplus.Template
	}{
		"kw matches tags":   {config(`    kw = "WEEKLY"`), weekly},
		"kw matches titles": {config(`    kw = "DEPLOY FINISHED"`), other[:1]},
		"app_id":            {config(`    app_id = "second-app"`), other},
		"demo app_id":       {config(`    app_id = "` + emulator.DemoAppID + `"`), seeded},
		"kw and app_id":     {config(`    kw = "weekly"` + "\n" + `    app_id = "second-app"`), other[1:]},
		"nothing matches":   {config(`    kw = "no such template"`), nil},
	} {
		t.Run(name, func(t *testing.T) {
			emu := newTestEmulator(t, emulator.Options{Seed: seed})
			resource.ParallelTest(t, emu.queryTestCase(tc.query, expectTemplates(tc.want)...))
		})
	}
}

// TestAccTemplateList_paging lists 23 templates from a server that caps pages
// at 5, below the provider's page_size of 100: the first page shows the cap,
// so ceil(23/5) = 5 requests, and a limit stops the paging early.
func TestAccTemplateList_paging(t *testing.T) {
	seed := pagedSeed(t)
	t.Run("all", func(t *testing.T) {
		emu := newTestEmulator(t, emulator.Options{Seed: seed, MaxPageSize: 5})
		checks := append(expectTemplates(seed.Templates),
			expectRequests{emu, listTemplatesRoute, 5, "ceil(23/5) pages"})
		resource.ParallelTest(t, emu.queryTestCase(templateListQuery("  limit = 1000"), checks...))
	})
	t.Run("limit", func(t *testing.T) {
		emu := newTestEmulator(t, emulator.Options{Seed: seed, MaxPageSize: 5})
		resource.ParallelTest(t, emu.queryTestCase(templateListQuery("  limit = 7"),
			querycheck.ExpectLength(templateListAddr, 7),
			querycheck.ExpectIdentity(templateListAddr, map[string]knownvalue.Check{"id": knownvalue.StringExact(seed.Templates[6].ID)}),
			expectRequests{emu, listTemplatesRoute, 2, "7 results need two pages of 5, and no third"},
		))
	})
	t.Run("limit on a page boundary", func(t *testing.T) {
		emu := newTestEmulator(t, emulator.Options{Seed: seed, MaxPageSize: 5})
		resource.ParallelTest(t, emu.queryTestCase(templateListQuery("  limit = 5"),
			querycheck.ExpectLength(templateListAddr, 5),
			expectRequests{emu, listTemplatesRoute, 1, "5 results fill the first page; the limit stops before a second"},
		))
	})
	t.Run("terraform's default limit", func(t *testing.T) {
		// Terraform asks for at most 100 results unless limit says otherwise.
		emu := newTestEmulator(t, emulator.Options{Seed: seed, MaxPageSize: 5})
		resource.ParallelTest(t, emu.queryTestCase(templateListQuery(""),
			querycheck.ExpectLength(templateListAddr, 23),
			expectRequests{emu, listTemplatesRoute, 5, "ceil(23/5) pages"},
		))
	})
}

// TestAccTemplateList_oneUnreadableTemplate: with include_resource, a
// template that cannot be read in full fails its own result, named by id;
// the query goes on and reads every other listed template.
func TestAccTemplateList_oneUnreadableTemplate(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{DocumentedShape: true})
	emu.createTemplates(t, 3)
	emu.Emulator.SetFaults([]emulator.FaultRule{{Route: "GET /v1/templates/{id}", Status: 400, Message: "unreadable", Count: 1}})
	tc := emu.queryTestCase(templateListQuery(`  include_resource = true
  config {
    kw = "Bulk"
  }`))
	tc.Steps[1].ExpectError = regexp.MustCompile(`Could not read WorkPlus template [0-9a-f-]+[\s\S]*the other templates are listed as usual`)
	tc.CheckDestroy = func(*terraform.State) error {
		if got := emu.Emulator.RouteCounts()["GET /v1/templates/{id}"]; got != 3 {
			return fmt.Errorf("the query read %d listed templates, want all 3: it stopped at the unreadable one", got)
		}
		return nil
	}
	resource.ParallelTest(t, tc)
}

// pagedSeed is the default seed grown to 23 templates.
func pagedSeed(t *testing.T) *emulator.Seed {
	t.Helper()
	seed := emulator.DefaultSeed()
	for i := len(seed.Templates); i < 23; i++ {
		seed.Templates = append(seed.Templates, workplus.Template{
			ID: fmt.Sprintf("paged-%02d", i), AppID: emulator.DemoAppID, Title: fmt.Sprintf("Paged template %02d", i),
			Contents: [][]workplus.TemplateCell{{{Content: "x", Align: "left"}}},
		})
	}
	if len(seed.Templates) != 23 {
		t.Fatalf("the seed holds %d templates, want 23", len(seed.Templates))
	}
	return seed
}

// TestTemplateList_stopsAtTheLimitOnAPageBoundary calls List directly, with
// a consumer that never stops the stream itself, so the provider alone must
// stop at the limit. With limit 5 and pages capped at 5 the old code asked
// for the next template before checking the limit, and so read a second
// page (under terraform query, 3 runs of 4, as it depends on when Terraform
// stops the stream).
func TestTemplateList_stopsAtTheLimitOnAPageBoundary(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	emu := newTestEmulator(t, emulator.Options{Seed: pagedSeed(t), MaxPageSize: 5})
	l := &templateListResource{provider: &providerData{client: emu.client, pageSize: defaultPageSize}}
	var configSchema list.ListResourceSchemaResponse
	l.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &configSchema)
	templates := NewTemplateResource().(fwresource.ResourceWithIdentity)
	var resourceSchema fwresource.SchemaResponse
	templates.Schema(ctx, fwresource.SchemaRequest{}, &resourceSchema)
	var identitySchema fwresource.IdentitySchemaResponse
	templates.IdentitySchema(ctx, fwresource.IdentitySchemaRequest{}, &identitySchema)
	req := list.ListRequest{
		Config: tfsdk.Config{Schema: configSchema.Schema, Raw: tftypes.NewValue(configSchema.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
			"kw": tftypes.NewValue(tftypes.String, nil), "app_id": tftypes.NewValue(tftypes.String, nil),
		})},
		Limit:                  5,
		ResourceSchema:         resourceSchema.Schema,
		ResourceIdentitySchema: identitySchema.IdentitySchema,
	}
	var stream list.ListResultsStream
	l.List(ctx, req, &stream)
	results := 0
	for result := range stream.Results {
		if result.Diagnostics.HasError() {
			t.Fatalf("result %d: %v", results, result.Diagnostics)
		}
		results++
	}
	if results != 5 {
		t.Errorf("%d results, want the limit, 5", results)
	}
	if n := emu.Emulator.RouteCounts()[listTemplatesRoute]; n != 1 {
		t.Errorf("%d pages read for limit 5 with pages of 5, want 1", n)
	}
}
