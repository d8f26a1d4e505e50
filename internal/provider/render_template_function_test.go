package provider

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// testRows builds a rows argument from cell contents; align is null in the
// first cell of each row and "right" in the others, as a template's may be.
func testRows(t *testing.T, contents ...[]string) types.List {
	t.Helper()
	rows := make([]rowModel, 0, len(contents))
	for _, row := range contents {
		cells := make([]cellModel, 0, len(row))
		for i, content := range row {
			align := types.StringNull()
			if i > 0 {
				align = types.StringValue("right")
			}
			cells = append(cells, cellModel{Content: types.StringValue(content), Align: align})
		}
		rows = append(rows, rowModel{Cells: cells})
	}
	list, diags := types.ListValueFrom(context.Background(), rowObjectType, rows)
	if diags.HasError() {
		t.Fatalf("building rows: %v", diags)
	}
	return list
}

func testData(t *testing.T, data map[string]string) types.Map {
	t.Helper()
	m, diags := types.MapValueFrom(context.Background(), types.StringType, data)
	if diags.HasError() {
		t.Fatalf("building data: %v", diags)
	}
	return m
}

func runRenderTemplate(t *testing.T, rows types.List, data types.Map) *function.RunResponse {
	t.Helper()
	resp := &function.RunResponse{Result: function.NewResultData(types.StringUnknown())}
	req := function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{rows, data})}
	NewRenderTemplateFunction().Run(t.Context(), req, resp)
	return resp
}

func TestRenderTemplateFunction_run(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		rows types.List
		data map[string]string
		want string
	}{
		"rows and cells": {
			rows: testRows(t,
				[]string{"{{service.DATA}} {{version.DATA}} is live"},
				[]string{"Owner", "{{owner.DATA}}"},
			),
			data: map[string]string{"service": "api", "version": "1.0", "owner": "ops", "unused": "ignored"},
			want: "api 1.0 is live\nOwner ops",
		},
		// Chinese text around placeholders and in values; names are letters,
		// digits and _ (ASCII), as workplus.ParseContent accepts.
		"chinese content": {
			rows: testRows(t,
				[]string{"发布通知：{{service.DATA}} 已上线"},
				[]string{"负责人", "{{owner.DATA}}"},
			),
			data: map[string]string{"service": "支付服务", "owner": "张三"},
			want: "发布通知：支付服务 已上线\n负责人 张三",
		},
		"no placeholders": {
			rows: testRows(t, []string{"plain", "text"}),
			data: map[string]string{},
			want: "plain text",
		},
		"empty rows": {
			rows: testRows(t),
			data: map[string]string{},
			want: "",
		},
	}

	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			resp := runRenderTemplate(t, tc.rows, testData(t, tc.data))
			if resp.Error != nil {
				t.Fatalf("unexpected error: %s", resp.Error)
			}
			want := function.NewResultData(types.StringValue(tc.want))
			if !resp.Result.Equal(want) {
				t.Errorf("got %s, want %q", resp.Result.Value(), tc.want)
			}
		})
	}
}

func TestRenderTemplateFunction_missingData(t *testing.T) {
	t.Parallel()
	rows := testRows(t,
		[]string{"{{service.DATA}} {{version.DATA}}"},
		[]string{"Owner", "{{owner.DATA}}", "{{version.DATA}}"},
	)
	data := types.MapValueMust(types.StringType, map[string]attr.Value{
		"service": types.StringValue("api"),
		"owner":   types.StringNull(), // null counts as missing
	})
	resp := runRenderTemplate(t, rows, data)
	if resp.Error == nil {
		t.Fatalf("no error; result %s", resp.Result.Value())
	}
	if resp.Error.FunctionArgument == nil || *resp.Error.FunctionArgument != 1 {
		t.Errorf("error points at argument %v, want 1 (data)", resp.Error.FunctionArgument)
	}
	for _, want := range []string{"no data for placeholder(s) owner, version;"} {
		if !strings.Contains(resp.Error.Text, want) {
			t.Errorf("error %q does not contain %q", resp.Error.Text, want)
		}
	}
	if strings.Contains(resp.Error.Text, "service") {
		t.Errorf("error %q names service, which has data", resp.Error.Text)
	}
}

// TestRenderTemplateFunction_malformedPlaceholder: braces that are not a
// placeholder render as written, as WorkPlus shows them, so a console-made
// template previews instead of failing the plan (issue #11). The old code
// failed the call here.
func TestRenderTemplateFunction_malformedPlaceholder(t *testing.T) {
	t.Parallel()
	rows := testRows(t,
		[]string{"Hello {{name}} and {{ user.DATA }}"},
		[]string{"Owner", "{{owner.DATA}}", "{{"},
	)
	resp := runRenderTemplate(t, rows, testData(t, map[string]string{"owner": "ops", "name": "unused", "user": "unused"}))
	if resp.Error != nil {
		t.Fatalf("unexpected error: %s", resp.Error)
	}
	want := "Hello {{name}} and {{ user.DATA }}\nOwner ops {{"
	if !resp.Result.Equal(function.NewResultData(types.StringValue(want))) {
		t.Errorf("got %s, want %q", resp.Result.Value(), want)
	}
}

func TestRenderTemplateFunction_unknownInside(t *testing.T) {
	t.Parallel()
	cell := types.ObjectValueMust(cellObjectType.AttrTypes, map[string]attr.Value{
		"content": types.StringUnknown(),
		"align":   types.StringNull(),
	})
	row := types.ObjectValueMust(rowObjectType.AttrTypes, map[string]attr.Value{
		"cells": types.ListValueMust(cellObjectType, []attr.Value{cell}),
	})
	rows := types.ListValueMust(rowObjectType, []attr.Value{row})
	resp := runRenderTemplate(t, rows, testData(t, map[string]string{}))
	if resp.Error != nil {
		t.Fatalf("unexpected error: %s", resp.Error)
	}
	if !resp.Result.Value().IsUnknown() {
		t.Errorf("got %s, want unknown", resp.Result.Value())
	}
}

// The function needs Terraform 1.8, which introduced provider functions.
var renderTemplateVersionChecks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

func TestAccRenderTemplateFunction_literalRows(t *testing.T) {
	const want = "发布 api 1.0\nOwner ops"
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   renderTemplateVersionChecks,
		Steps: []resource.TestStep{
			{
				Config: `
output "preview" {
  value = provider::workplus::render_template(
    [
      { cells = [{ content = "发布 {{service.DATA}} {{version.DATA}}", align = "center" }] },
      { cells = [{ content = "Owner", align = null }, { content = "{{owner.DATA}}", align = "right" }] },
    ],
    { service = "api", version = "1.0", owner = "ops" },
  )
}
`,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					// Known while planning: the preview needs no apply.
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectKnownOutputValue("preview", knownvalue.StringExact(want)),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("preview", knownvalue.StringExact(want)),
				},
			},
		},
	})
}

func TestAccRenderTemplateFunction_templateRows(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   renderTemplateVersionChecks,
		CheckDestroy:             emu.checkTemplatesDestroyed,
		Steps: []resource.TestStep{
			{
				Config: emu.config(templateConfigV1 + `
locals {
  release = { service = "payments-api", version = "2.4.0", owner = "李雷" }
}

output "preview" {
  value = provider::workplus::render_template(workplus_template.test.rows, local.release)
}

check "preview" {
  assert {
    condition     = strcontains(provider::workplus::render_template(workplus_template.test.rows, local.release), "payments-api 2.4.0 is live")
    error_message = "The release notice does not name the release."
  }
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("preview", knownvalue.StringExact("payments-api 2.4.0 is live\nOwner 李雷")),
				},
			},
		},
	})
}

func TestAccRenderTemplateFunction_missingData(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   renderTemplateVersionChecks,
		Steps: []resource.TestStep{
			{
				Config: `
output "preview" {
  value = provider::workplus::render_template(
    [{ cells = [{ content = "{{service.DATA}} by {{owner.DATA}}", align = null }] }],
    { service = "api" },
  )
}
`,
				ExpectError: regexp.MustCompile(`no data for\s+placeholder\(s\)\s+owner`),
			},
		},
	})
}

// TestAccRenderTemplateFunction_malformedPlaceholder: braces that are not a
// placeholder render as written and do not fail the plan (issue #11).
func TestAccRenderTemplateFunction_malformedPlaceholder(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   renderTemplateVersionChecks,
		Steps: []resource.TestStep{
			{
				Config: `
output "preview" {
  value = provider::workplus::render_template(
    [{ cells = [{ content = "Owner", align = null }, { content = "{{owner}} {{ owner.DATA }} {{owner.DATA}}", align = null }] }],
    { owner = "ops" },
  )
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("preview", knownvalue.StringExact("Owner {{owner}} {{ owner.DATA }} ops")),
				},
			},
		},
	})
}
