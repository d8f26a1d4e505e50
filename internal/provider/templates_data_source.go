package provider

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var _ datasource.DataSourceWithConfigure = &templatesDataSource{}

// NewTemplatesDataSource returns the workplus_templates data source.
func NewTemplatesDataSource() datasource.DataSource {
	return &templatesDataSource{}
}

// templatesDataSource lists templates, reading every page.
type templatesDataSource struct {
	provider *providerData
}

type templatesDataSourceModel struct {
	Keyword        types.String `tfsdk:"kw"`
	AppID          types.String `tfsdk:"app_id"`
	Title          types.String `tfsdk:"title"`
	IncludeContent types.Bool   `tfsdk:"include_content"`
	Templates      types.List   `tfsdk:"templates"`
	TotalCount     types.Int64  `tfsdk:"total_count"`
}

// templateSummaryAttributes are the attributes every listed template has;
// the others (templateContentAttributes) are in its content object, null
// unless include_content is set. One null object rather than nine null
// attributes: the framework's ReifyNullCollectionBlocks resolves the schema
// path of every null value it meets, and nine per template made the default
// shape slower than the full one (BenchmarkTemplatesDataSourceRead10k).
var (
	templateSummaryAttributes = []string{"id", "app_id", "title", "tags", "placeholders"}
	templateContentAttributes = []string{"sample", "actions", "rows", "domain_id", "org_id", "type", "operator", "created_at", "updated_at"}
)

func (d *templatesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_templates"
}

func (d *templatesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	all := templateDataSourceAttributes()
	elements := map[string]schema.Attribute{}
	for _, name := range templateSummaryAttributes {
		elements[name] = all[name]
	}
	content := map[string]schema.Attribute{}
	for _, name := range templateContentAttributes {
		content[name] = all[name]
	}
	elements["content"] = schema.SingleNestedAttribute{
		MarkdownDescription: "The rest of the template, as the `workplus_template` data source has it. Null unless `include_content` is true.",
		Computed:            true,
		Attributes:          content,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists message templates, reading every page of `GET /v1/templates` (the provider's `page_size` templates a page). " +
			"By default each template carries its id, app, title, tags and placeholders, enough to find a template and check a message against it; " +
			"set `include_content` for the rest in each template's `content` (sample, actions, rows, organization and times). " +
			"`kw` is filtered by the server; `app_id` and `title` are filtered by the provider, because the list API cannot filter by them.",
		Attributes: map[string]schema.Attribute{
			"kw": schema.StringAttribute{
				MarkdownDescription: "Keep only templates whose title or tags contain this text (case-insensitive). The server filters by it, so only matching templates are transferred. " + emptyFilterNote,
				Optional:            true,
			},
			"app_id": schema.StringAttribute{
				MarkdownDescription: "Keep only the templates of this app. The list API cannot filter by app, so the provider reads every page (of `kw`'s matches, if set) and keeps this app's templates itself. " + emptyFilterNote,
				Optional:            true,
			},
			"title": schema.StringAttribute{
				MarkdownDescription: "Keep only templates whose title is exactly this (case-sensitive). The list API matches only substrings, so the provider asks the server for titles containing this text (as `kw`, unless `kw` is set) and keeps the exact matches itself. " + emptyFilterNote,
				Optional:            true,
			},
			"include_content": schema.BoolAttribute{
				MarkdownDescription: "Also return each template's `content`: `sample`, `actions`, `rows`, `domain_id`, `org_id`, `type`, `operator`, `created_at` and `updated_at`. " +
					"Defaults to `false`: `content` is null, which keeps listings of thousands of templates quick to plan.",
				Optional: true,
			},
			"templates": schema.ListNestedAttribute{
				MarkdownDescription: "The matching templates, in the server's order.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: elements},
			},
			"total_count": schema.Int64Attribute{
				MarkdownDescription: "How many templates matched every filter: the length of `templates`.",
				Computed:            true,
			},
		},
	}
}

func (d *templatesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

func (d *templatesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config templatesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	keyword := config.Keyword.ValueString()
	if keyword == "" {
		// The server cannot match a title exactly, but every exact match
		// contains the title: asking for those narrows the transfer.
		keyword = config.Title.ValueString()
	}
	all, err := d.provider.client.ListAllTemplates(ctx, keyword, d.provider.pageSize)
	if err != nil {
		resp.Diagnostics.AddError("Could not list WorkPlus templates", err.Error())
		return
	}
	// A server that lists templates as seed 001 shows them leaves out tags
	// and the app: those records are read by id, so neither the attributes
	// nor the app_id filter rest on a guess. A server that lists them whole
	// costs no request more.
	complete := all[:0]
	for _, t := range all {
		full, err := d.provider.client.CompleteTemplate(ctx, t)
		if err != nil {
			resp.Diagnostics.AddError("Could not read WorkPlus template "+t.ID, err.Error())
			return
		}
		if full != nil {
			complete = append(complete, *full)
		}
	}
	all = complete
	matching := filterTemplates(all, config.AppID.ValueString(), config.Title.ValueString())
	raw, err := config.terraformValue(ctx, resp.State.Schema.Type().TerraformType(ctx), matching)
	if err != nil {
		resp.Diagnostics.AddError("Could not build the workplus_templates state", err.Error())
		return
	}
	resp.State.Raw = raw
}

// filterTemplates keeps, in order, the templates of appID and titled title;
// an empty filter keeps all (emptyFilterNote).
func filterTemplates(all []workplus.Template, appID, title string) []workplus.Template {
	if appID == "" && title == "" {
		return all
	}
	kept := all[:0:0]
	for _, t := range all {
		if (appID == "" || t.AppID == appID) && (title == "" || t.Title == title) {
			kept = append(kept, t)
		}
	}
	return kept
}

// emptyFilterNote is the rule of every template filter (kw, app_id, title)
// of the data source and the list resource: a filter variable that defaults
// to "" is a common pattern, and refusing "" or matching nothing with it
// would make that pattern fail.
const emptyFilterNote = "An empty string filters nothing, the same as leaving it out."

// terraformValue builds the state from the configuration and the templates
// directly as tftypes values. Building framework attr.Values and converting
// them (State.Set, or ToTerraformValue) made more than half of the provider's
// read of 10,000 templates; only for speed: BenchmarkTemplatesDataSourceRead10k.
func (m templatesDataSourceModel) terraformValue(ctx context.Context, stateType tftypes.Type, templates []workplus.Template) (tftypes.Value, error) {
	object, ok := stateType.(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("state type is %s, not an object", stateType)
	}
	listType, ok := object.AttributeTypes["templates"].(tftypes.List)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("templates type is %s, not a list", object.AttributeTypes["templates"])
	}
	valueTypes, err := newTemplateValueTypes(listType.ElementType)
	if err != nil {
		return tftypes.Value{}, err
	}
	full := m.IncludeContent.ValueBool()
	elements := make([]tftypes.Value, len(templates))
	for i := range templates {
		elements[i] = valueTypes.value(&templates[i], full)
	}
	values := map[string]tftypes.Value{
		"templates":   tftypes.NewValue(listType, elements),
		"total_count": tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(int64(len(templates)))),
	}
	for name, value := range map[string]interface {
		ToTerraformValue(context.Context) (tftypes.Value, error)
	}{"kw": m.Keyword, "app_id": m.AppID, "title": m.Title, "include_content": m.IncludeContent} {
		if values[name], err = value.ToTerraformValue(ctx); err != nil {
			return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	return tftypes.NewValue(object, values), nil
}
