package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// Benchmarks of the conversion between the API's templates and Terraform
// values: fromAPI/toInput (Go model <-> framework attr.Values) and the
// framework's reflection between the model and tftypes values, which every
// Create, Read, Update and data source read pays per template.

func benchAPITemplate(i int) *workplus.Template {
	return &workplus.Template{
		ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), DomainID: "atwork",
		OrgID: "85939199-6424-4f28-84d4-fce2aedf0e64", AppID: "dafc2d03-3991-4de0-91d6-de3135c1fb4f",
		Type: "DEFAULT", Title: fmt.Sprintf("Build result %d", i), Tags: "ci,release", Sample: "build 42 of api passed",
		Operator: "dafc2d03-3991-4de0-91d6-de3135c1fb4f", CreateTime: 1767225600000, RefreshTime: 1767225600000,
		Actions: []workplus.TemplateAction{
			{Name: "Open build", Value: "https://ci.example.com/builds"},
			{Name: "Logs", Value: "https://ci.example.com/logs"},
		},
		Contents: [][]workplus.TemplateCell{
			{{Content: "Build {{build.DATA}} of {{project.DATA}}", Align: workplus.AlignLeft}},
			{{Content: "Status", Align: workplus.AlignLeft}, {Content: "{{status.DATA}}", Align: workplus.AlignRight}},
			{{Content: "Triggered by {{user.DATA}} at {{time.DATA}}", Align: workplus.AlignCenter}},
		},
	}
}

// BenchmarkTemplateFromAPI converts one API template to the Terraform model.
func BenchmarkTemplateFromAPI(b *testing.B) {
	ctx := context.Background()
	t := benchAPITemplate(1)
	b.ReportAllocs()
	for b.Loop() {
		var m templateModel
		if diags := m.fromAPI(ctx, t); diags.HasError() {
			b.Fatal(diags)
		}
	}
}

// BenchmarkTemplateToInput converts the Terraform model back to the API's
// create/update body.
func BenchmarkTemplateToInput(b *testing.B) {
	ctx := context.Background()
	var m templateModel
	if diags := m.fromAPI(ctx, benchAPITemplate(1)); diags.HasError() {
		b.Fatal(diags)
	}
	b.ReportAllocs()
	for b.Loop() {
		in, diags := m.toInput(ctx)
		if diags.HasError() || len(in.Contents) != 3 {
			b.Fatal(diags)
		}
	}
}

func benchResourceState(b *testing.B) (context.Context, tfsdk.State, templateResourceModel) {
	ctx := context.Background()
	var schemaResp resource.SchemaResponse
	NewTemplateResource().Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	state := tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(schemaResp.Schema.Type().TerraformType(ctx), nil)}
	m := templateResourceModel{Timeouts: noTemplateTimeouts}
	if diags := m.fromAPI(ctx, benchAPITemplate(1)); diags.HasError() {
		b.Fatal(diags)
	}
	return ctx, state, m
}

// BenchmarkTemplateStateSet writes the resource model into a Terraform state
// value (model -> tftypes), as Create/Read/Update end.
func BenchmarkTemplateStateSet(b *testing.B) {
	ctx, state, m := benchResourceState(b)
	b.ReportAllocs()
	for b.Loop() {
		s := state
		if diags := s.Set(ctx, &m); diags.HasError() {
			b.Fatal(diags)
		}
	}
}

// BenchmarkTemplateStateGet reads a Terraform state value into the resource
// model (tftypes -> model), as Read/Update/Delete begin.
func BenchmarkTemplateStateGet(b *testing.B) {
	ctx, state, m := benchResourceState(b)
	if diags := state.Set(ctx, &m); diags.HasError() {
		b.Fatal(diags)
	}
	b.ReportAllocs()
	for b.Loop() {
		var got templateResourceModel
		if diags := state.Get(ctx, &got); diags.HasError() {
			b.Fatal(diags)
		}
	}
}

// BenchmarkTemplatesDataSourceSet100 converts a page of 100 API templates into
// the workplus_templates state the way Read does (terraformValue), in the
// default shape and with include_content.
func BenchmarkTemplatesDataSourceSet100(b *testing.B) {
	ctx := context.Background()
	var schemaResp datasource.SchemaResponse
	NewTemplatesDataSource().Schema(ctx, datasource.SchemaRequest{}, &schemaResp)
	stateType := schemaResp.Schema.Type().TerraformType(ctx)
	all := make([]workplus.Template, 100)
	for i := range all {
		all[i] = *benchAPITemplate(i)
	}
	for _, full := range []bool{false, true} {
		b.Run(fmt.Sprintf("include_content=%t", full), func(b *testing.B) {
			m := templatesDataSourceModel{Keyword: types.StringNull(), AppID: types.StringNull(), Title: types.StringNull(), IncludeContent: types.BoolValue(full)}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.terraformValue(ctx, stateType, all); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
