package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
	Keyword    types.String    `tfsdk:"kw"`
	Templates  []templateModel `tfsdk:"templates"`
	TotalCount types.Int64     `tfsdk:"total_count"`
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
	state.Templates = make([]templateModel, len(all))
	for i := range all {
		resp.Diagnostics.Append(state.Templates[i].fromAPI(ctx, &all[i])...)
	}
	state.TotalCount = types.Int64Value(int64(len(all)))
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
