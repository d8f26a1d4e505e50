package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var (
	_ datasource.DataSourceWithConfigure        = &templateDataSource{}
	_ datasource.DataSourceWithConfigValidators = &templateDataSource{}
)

// NewTemplateDataSource returns the workplus_template data source.
func NewTemplateDataSource() datasource.DataSource {
	return &templateDataSource{}
}

// templateDataSource looks one template up by id or by exact title.
type templateDataSource struct {
	provider *providerData
}

func (d *templateDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_template"
}

func (d *templateDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := templateDataSourceAttributes()
	attributes["id"] = schema.StringAttribute{
		MarkdownDescription: "The id of the template to read. Exactly one of `id` and `title` is required.",
		Optional:            true, Computed: true,
	}
	attributes["title"] = schema.StringAttribute{
		MarkdownDescription: "The exact title of the template to read, within `app_id`. Exactly one template must have it.",
		Optional:            true, Computed: true,
	}
	attributes["app_id"] = schema.StringAttribute{
		MarkdownDescription: "The app to search by `title` in. Defaults to the provider's `app_id`.",
		Optional:            true, Computed: true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one message template, by `id` or by exact `title`, for example to send template messages with a template that another team manages.",
		Attributes:          attributes,
	}
}

func (d *templateDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("title")),
	}
}

func (d *templateDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

func (d *templateDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config templateModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	var found *workplus.Template
	if !config.ID.IsNull() {
		t, err := d.provider.client.GetTemplate(ctx, config.ID.ValueString())
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Could not read the WorkPlus template", err.Error())
			return
		}
		found = t
	} else {
		appID := config.AppID.ValueString()
		if config.AppID.IsNull() {
			appID = d.provider.appID
		}
		t, err := d.findByTitle(ctx, config.Title.ValueString(), appID)
		if err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("title"), "Could not find the WorkPlus template", err.Error())
			return
		}
		found = t
	}
	resp.Diagnostics.Append(config.fromAPI(ctx, found)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

// findByTitle searches with kw (which matches substrings of titles and tags)
// and keeps the exact title matches within the app. A list record need not
// show the app or the tags (seed 001 shows app_id "DEFAULT" and no tags), so
// a title match whose record does not is read in full (CompleteTemplate), and
// the list's create time fills in where the full answer shows 0, as seed
// 001's does.
func (d *templateDataSource) findByTitle(ctx context.Context, title, appID string) (*workplus.Template, error) {
	candidates, err := d.provider.client.ListAllTemplates(ctx, title, d.provider.pageSize)
	if err != nil {
		return nil, err
	}
	var matches []*workplus.Template
	for _, record := range candidates {
		if record.Title != title {
			continue
		}
		full, err := d.provider.client.CompleteTemplate(ctx, record)
		if err != nil {
			return nil, err
		}
		if full == nil {
			continue // deleted since it was listed
		}
		if appID != "" && full.AppID != appID {
			continue
		}
		if full.CreateTime == 0 {
			full.CreateTime, full.RefreshTime = record.CreateTime, max(full.RefreshTime, record.RefreshTime)
		}
		matches = append(matches, full)
	}
	where := "in any app"
	if appID != "" {
		where = "in app " + appID
	}
	switch len(matches) {
	case 0:
		return nil, fmt.Errorf("no template is titled %q %s", title, where)
	case 1:
		return matches[0], nil
	}
	ids := make([]string, 0, len(matches))
	for _, m := range matches {
		ids = append(ids, m.ID)
	}
	return nil, fmt.Errorf("%d templates are titled %q %s (ids %s); look the template up by id instead", len(matches), title, where, strings.Join(ids, ", "))
}
