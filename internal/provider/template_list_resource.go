package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var (
	_ list.ListResourceWithConfigure = &templateListResource{}
)

// NewTemplateListResource returns the workplus_template list resource, which
// `terraform query` uses to find templates made outside Terraform.
func NewTemplateListResource() list.ListResource {
	return &templateListResource{}
}

// templateListResource lists templates for `terraform query`.
type templateListResource struct {
	provider *providerData
}

type templateListConfigModel struct {
	Keyword types.String `tfsdk:"kw"`
	AppID   types.String `tfsdk:"app_id"`
}

func (l *templateListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_template"
}

func (l *templateListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists message templates for `terraform query` (Terraform 1.14 and later), to import templates made in the WorkPlus console. " +
			"Each result is a template's identity (its id) with its title as display name; with `include_resource = true`, and with " +
			"`terraform query -generate-config-out`, also the whole template. Pages are read as `workplus_templates` reads them, " +
			"asking for the provider's `page_size` templates a page, and no further page is read once the list block's `limit` is reached.",
		Attributes: map[string]schema.Attribute{
			"kw": schema.StringAttribute{
				MarkdownDescription: "Keep only templates whose title or tags contain this text (case-insensitive), as the WorkPlus API searches. Omit it to list every template. " + emptyFilterNote,
				Optional:            true,
			},
			"app_id": schema.StringAttribute{
				MarkdownDescription: "Keep only templates of this app. Omit it to list the templates of every app the token can see. " +
					"WorkPlus cannot filter by app, so the provider reads every matching page and filters them itself. " + emptyFilterNote,
				Optional: true,
			},
		},
	}
}

func (l *templateListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

func (l *templateListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config templateListConfigModel
	if diags := req.Config.Get(ctx, &config); diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	keyword, appID := config.Keyword.ValueString(), config.AppID.ValueString()
	tflog.Debug(ctx, "Listing WorkPlus templates", map[string]any{
		"kw": keyword, "app_id": appID, "limit": req.Limit, "include_resource": req.IncludeResource,
	})
	stream.Results = func(push func(list.ListResult) bool) {
		var listed int64
		for t, err := range l.provider.client.EachTemplate(ctx, keyword, l.provider.pageSize) {
			if err != nil {
				result := req.NewListResult(ctx)
				result.Diagnostics.AddError("Could not list WorkPlus templates", err.Error())
				push(result)
				return
			}
			if t.Partial && (req.IncludeResource || appID != "") {
				// The list answer does not show this template's tags or app
				// (seed 001's list records have neither): read it rather than
				// filter on, or generate configuration from, a guess.
				full, err := l.provider.client.CompleteTemplate(ctx, t)
				if err != nil {
					// One template that cannot be read is that result's
					// failure, not the query's: the others still list.
					listed++
					if !push(templateReadFailure(ctx, req, &t, err)) || req.Limit > 0 && listed >= req.Limit {
						return
					}
					continue
				}
				if full == nil {
					continue // deleted since it was listed
				}
				t = *full
			}
			if appID != "" && t.AppID != appID {
				continue
			}
			listed++
			// Stop here, not at the next template: asking the iterator for
			// it would read the next page when this one is used up.
			if !push(templateListResult(ctx, req, &t)) || req.Limit > 0 && listed >= req.Limit {
				return
			}
		}
	}
}

// templateReadFailure is the result of a listed template that could not be
// read in full: its identity and title as listed, and the error.
func templateReadFailure(ctx context.Context, req list.ListRequest, t *workplus.Template, err error) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = t.Title
	result.Diagnostics.Append(result.Identity.Set(ctx, templateIdentityModel{ID: types.StringValue(t.ID)})...)
	result.Diagnostics.AddError("Could not read WorkPlus template "+t.ID,
		fmt.Sprintf("The list showed template %s (%q) but reading it in full failed, so this result has no resource; "+
			"the other templates are listed as usual. Run the query again, or import it by id: %v", t.ID, t.Title, err))
	return result
}

// templateListResult is one template as a query result: its identity, its
// title as display name, and when asked for, the resource object.
func templateListResult(ctx context.Context, req list.ListRequest, t *workplus.Template) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = t.Title
	result.Diagnostics.Append(result.Identity.Set(ctx, templateIdentityModel{ID: types.StringValue(t.ID)})...)
	if req.IncludeResource {
		model := templateResourceModel{SourceType: types.StringNull(), Timeouts: noTemplateTimeouts}
		result.Diagnostics.Append(model.fromAPI(ctx, t)...)
		result.Diagnostics.Append(leaveAbsentValuesNull(&model.templateModel, t)...)
		result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
	}
	return result
}

// leaveAbsentValuesNull turns back into null what fromAPI fills in for values
// the server does not hold: actions of a template without any, and the align
// of cells stored without one. `terraform query -generate-config-out` writes
// every non-null optional value of this object into the generated resource
// block (the framework gives providers no say in that), and `actions = []`
// or `align = "left"` there would be lines a person deletes by hand. Left
// null, they are left out, and the resource's defaults ([] and "left") give
// the same state the import reads, so the plan stays clean. Empty tags and
// sample need nothing: the framework already leaves "" out.
func leaveAbsentValuesNull(m *templateModel, t *workplus.Template) diag.Diagnostics {
	var diags diag.Diagnostics
	if len(t.Actions) == 0 {
		m.Actions = types.ListNull(actionObjectType)
	}
	var d diag.Diagnostics
	m.Rows, d = rowsFromAPI(t.Contents, func(stored string) attr.Value {
		if stored == "" {
			return types.StringNull()
		}
		return types.StringValue(stored)
	})
	diags.Append(d...)
	return diags
}
