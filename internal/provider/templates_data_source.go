package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var _ datasource.DataSourceWithConfigure = &TemplatesDataSource{}

// NewTemplatesDataSource returns the workplus_templates data source.
func NewTemplatesDataSource() datasource.DataSource {
	return &TemplatesDataSource{}
}

// TemplatesDataSource lists templates, reading every page.
type TemplatesDataSource struct {
	provider *providerData
}

type templatesDataSourceModel struct {
	Keyword    types.String `tfsdk:"kw"`
	Templates  types.List   `tfsdk:"templates"`
	TotalCount types.Int64  `tfsdk:"total_count"`
}

func (d *TemplatesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_templates"
}

func (d *TemplatesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists message templates, optionally filtered by a keyword. Every page is read, asking for the provider's `page_size` templates a page.",
		Attributes: map[string]schema.Attribute{
			"kw": schema.StringAttribute{
				MarkdownDescription: "Keep only templates whose title or tags contain this text (case-insensitive). Omit it to list every template.",
				Optional:            true,
			},
			"templates": schema.ListNestedAttribute{
				MarkdownDescription: "The templates, in the server's order.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: templateDataSourceAttributes()},
			},
			"total_count": schema.Int64Attribute{
				MarkdownDescription: "How many templates matched.",
				Computed:            true,
			},
		},
	}
}

func (d *TemplatesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

func (d *TemplatesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state templatesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	all, err := d.provider.client.ListAllTemplates(ctx, state.Keyword.ValueString(), d.provider.pageSize)
	if err != nil {
		resp.Diagnostics.AddError("Could not list WorkPlus templates", err.Error())
		return
	}
	var diags diag.Diagnostics
	state.Templates, diags = templatesListValue(ctx, all)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	state.TotalCount = types.Int64Value(int64(len(all)))
	raw, err := state.terraformValue(ctx, resp.State.Schema.Type().TerraformType(ctx))
	if err != nil {
		resp.Diagnostics.AddError("Could not build the workplus_templates state", err.Error())
		return
	}
	resp.State.Raw = raw
}

// terraformValue builds the state directly. State.Set would reflect over the
// model and then convert the finished list back and forth and compare it,
// which for thousands of templates costs more than the listing itself
// (BENCHMARKS.md, section 4).
func (m templatesDataSourceModel) terraformValue(ctx context.Context, stateType tftypes.Type) (tftypes.Value, error) {
	attributes := map[string]attr.Value{"kw": m.Keyword, "templates": m.Templates, "total_count": m.TotalCount}
	values := make(map[string]tftypes.Value, len(attributes))
	for name, value := range attributes {
		v, err := value.ToTerraformValue(ctx)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
		}
		values[name] = v
	}
	return tftypes.NewValue(stateType, values), nil
}

// templatesListValue converts listed templates to the templates attribute.
func templatesListValue(ctx context.Context, all []workplus.Template) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	templates := make([]attr.Value, len(all))
	for i := range all {
		var m templateModel
		diags.Append(m.fromAPI(ctx, &all[i])...)
		object, d := m.objectValue()
		diags.Append(d...)
		templates[i] = object
	}
	if diags.HasError() {
		return types.ListNull(templateObjectType), diags
	}
	list, d := types.ListValue(templateObjectType, templates)
	diags.Append(d...)
	return list, diags
}
