package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var (
	_ resource.ResourceWithConfigure        = &appMessageResource{}
	_ resource.ResourceWithConfigValidators = &appMessageResource{}
	_ resource.ResourceWithValidateConfig   = &appMessageResource{}
	_ resource.ResourceWithModifyPlan       = &appMessageResource{}
)

// NewAppMessageResource returns the workplus_app_message resource.
func NewAppMessageResource() resource.Resource {
	return &appMessageResource{}
}

// appMessageResource sends one app message. Like workplus_push_notification it
// follows terraform_data: a sent message cannot be recalled, so every argument
// forces a new message and Delete only forgets. The API has no way to read a
// message back, so Read keeps the state as it is.
type appMessageResource struct {
	provider *providerData
}

type appMessageModel struct {
	ID       types.String `tfsdk:"id"`
	Triggers types.Map    `tfsdk:"triggers"`
	appMessageContentModel
	MaterialID types.String   `tfsdk:"material_id"`
	Expects    types.Int64    `tfsdk:"expects"`
	Oks        types.Int64    `tfsdk:"oks"`
	Fails      types.Int64    `tfsdk:"fails"`
	Recipients types.List     `tfsdk:"recipients"`
	Timeouts   timeouts.Value `tfsdk:"timeouts"`
}

type textBodyModel struct {
	Content types.String `tfsdk:"content"`
	AtAll   types.Bool   `tfsdk:"at_all"`
}

type imageBodyModel struct {
	MediaID types.String `tfsdk:"media_id"`
	Width   types.Int64  `tfsdk:"width"`
	Height  types.Int64  `tfsdk:"height"`
	Size    types.Int64  `tfsdk:"size"`
	IsGif   types.Bool   `tfsdk:"is_gif"`
	Content types.String `tfsdk:"content"`
}

type fileBodyModel struct {
	MediaID    types.String `tfsdk:"media_id"`
	Name       types.String `tfsdk:"name"`
	Size       types.Int64  `tfsdk:"size"`
	FileStatus types.Int64  `tfsdk:"file_status"`
}

type articleModel struct {
	Title      types.String `tfsdk:"title"`
	Summary    types.String `tfsdk:"summary"`
	URL        types.String `tfsdk:"url"`
	CoverURL   types.String `tfsdk:"cover_url"`
	ShowCover  types.Bool   `tfsdk:"show_cover"`
	Author     types.String `tfsdk:"author"`
	Content    types.String `tfsdk:"content"`
	CreateTime types.String `tfsdk:"create_time"`
}

type templateBodyModel struct {
	TemplateID      types.String `tfsdk:"template_id"`
	Data            types.List   `tfsdk:"data"`
	TopColor        types.String `tfsdk:"top_color"`
	TopAvatar       types.String `tfsdk:"top_avatar"`
	TopTitle        types.String `tfsdk:"top_title"`
	EmphasisKeyword types.String `tfsdk:"emphasis_keyword"`
	Placeholders    types.List   `tfsdk:"placeholders"`
}

type templateDataModel struct {
	Key       types.String `tfsdk:"key"`
	Value     types.String `tfsdk:"value"`
	Color     types.String `tfsdk:"color"`
	FontSize  types.Int64  `tfsdk:"font_size"`
	TextStyle types.String `tfsdk:"text_style"`
}

// messageBodies are the body attributes, one per message type; exactly one
// is set, and it decides the type (toAppMessage).
var messageBodies = []string{"text", "image", "file", "articles", "template"}

var (
	colorPattern = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
	scopePattern = regexp.MustCompile(`^/`)
	textStyles   = []string{"normal", "bold"}
	// defaultPlatforms are the vendor's default: phones, not PC.
	defaultPlatforms = []string{workplus.PlatformIOS, workplus.PlatformAndroid}
)

func (r *appMessageResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_app_message"
}

func (r *appMessageResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attributes, err := sendingResourceAttributes(appMessageAttributes())
	if err != nil {
		resp.Diagnostics.AddError("Could not build the resource's schema from the message arguments", err.Error())
		return
	}
	platforms := resourceSetAttribute(platformsAttribute(), true)
	platforms.Computed = true
	platforms.Default = setdefault.StaticValue(types.SetValueMust(types.StringType, stringValues(defaultPlatforms)))
	attributes["platforms"] = platforms
	attributes["id"] = schema.StringAttribute{MarkdownDescription: "The push plan's id, assigned by WorkPlus.", Computed: true}
	attributes["triggers"] = triggersAttribute("Arbitrary values that, when changed, send the message again (through replacement), e.g. `triggers = { build = var.build_number }`.")
	attributes["material_id"] = schema.StringAttribute{MarkdownDescription: "The id WorkPlus gave the message's content.", Computed: true}
	attributes["expects"] = schema.Int64Attribute{MarkdownDescription: "How many recipients WorkPlus planned to deliver to, as its answer said. The vendor's documented answer shows `0` here beside a resolved recipient, so a server may leave it at `0`: count `recipients` instead.", Computed: true}
	attributes["oks"] = schema.Int64Attribute{MarkdownDescription: "How many deliveries had succeeded when WorkPlus answered, as its answer said (may be `0`, as in the vendor's documented answer).", Computed: true}
	attributes["fails"] = schema.Int64Attribute{MarkdownDescription: "How many deliveries had failed when WorkPlus answered, as its answer said (may be `0`, as in the vendor's documented answer).", Computed: true}
	attributes["recipients"] = schema.ListAttribute{
		MarkdownDescription: "The recipients WorkPlus resolved, as org path and client id, e.g. `/232/301/c24b6a94cfb14b79af12a1399edc9e31`. Its length is the number of recipients.",
		ElementType:         types.StringType,
		Computed:            true,
	}
	if err := keepSendResults(attributes); err != nil {
		resp.Diagnostics.AddError("Could not build the resource's schema", err.Error())
		return
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Sends an app message to employees' WorkPlus inboxes: text, an image, a file, articles or a filled-in template. " +
			"A planned create or replacement sends the message once, and nothing else sends: every argument forces a new resource, that is a new message, " +
			"`terraform apply -replace` and a tainted resource send again, and destroying the resource only removes it from the Terraform state. " +
			"Change `triggers` to send again. WorkPlus has no API to read a message back, so refreshing changes nothing. " +
			"With Terraform 1.14 or later, the `workplus_send_app_message` action sends without keeping a record in state; see the guide *Sending from pipelines*.",
		Blocks:     map[string]schema.Block{"timeouts": timeouts.Block(ctx, timeoutsOpts(true, false, false))},
		Attributes: attributes,
	}
}

func (r *appMessageResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{resourcevalidator.ExactlyOneOf(bodyExpressions()...)}
}

// recipientAttributes are the lists that name recipients.
var recipientAttributes = []string{"client_ids", "usernames", "scopes"}

func (r *appMessageResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config appMessageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(config.validateRecipients()...)
}

func (r *appMessageResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

// ModifyPlan checks a template message's data against the template's
// placeholders while planning a send. It runs only without a prior state:
// Terraform plans a replacement a second time with a null prior state, so
// that covers every plan that sends, and a template that gains a placeholder
// later does not break the plan of a message that was sent long ago.
func (r *appMessageResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || !req.State.Raw.IsNull() {
		return
	}
	var plan appMessageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(plan.checkTemplatePlaceholders(ctx)...)
}

// checkTemplateData reports data keys that are not placeholders, keys given
// twice, and placeholders without data. Entries whose key is not known yet
// are skipped, and then so is the search for missing placeholders.
func checkTemplateData(placeholders []string, data []templateDataModel) diag.Diagnostics {
	var diags diag.Diagnostics
	dataPath := path.Root("template").AtName("data")
	known := strings.Join(placeholders, ", ")
	if known == "" {
		known = "none"
	}
	given := map[string]bool{}
	allKnown := true
	for i, d := range data {
		if d.Key.IsUnknown() {
			allKnown = false
			continue
		}
		key := d.Key.ValueString()
		keyPath := dataPath.AtListIndex(i).AtName("key")
		switch {
		case !slices.Contains(placeholders, key):
			diags.AddAttributeError(keyPath, "Unknown template placeholder",
				fmt.Sprintf("template.data[%d].key %q is not a placeholder of the template. Its placeholders (template.placeholders) are: %s.", i, key, known))
		case given[key]:
			diags.AddAttributeError(keyPath, "Duplicate template data",
				fmt.Sprintf("template.data[%d].key %q is given more than once.", i, key))
		}
		given[key] = true
	}
	if !allKnown {
		return diags
	}
	for _, p := range placeholders {
		if !given[p] {
			diags.AddAttributeError(dataPath, "Missing template data",
				fmt.Sprintf("The template's placeholder %q (template.placeholders) has no entry in template.data: add { key = %q, value = \"...\" }.", p, p))
		}
	}
	return diags
}

func (r *appMessageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan appMessageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	msg, diags := plan.toAppMessage(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	sendCtx, cancel, diags := withTimeout(ctx, plan.Timeouts.Create)
	defer cancel()
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	sent, err := r.provider.client.SendAppMessage(sendCtx, plan.sourceTypeOr(r.provider.sourceType), msg)
	if err != nil {
		resp.Diagnostics.Append(plan.sendFailure(err, msg, "applying again")...)
		return
	}

	plan.ID = types.StringValue(sent.ID)
	plan.MaterialID = types.StringValue(sent.MaterialID)
	plan.Expects = types.Int64Value(int64(sent.Expects))
	plan.Oks = types.Int64Value(int64(sent.Oks))
	plan.Fails = types.Int64Value(int64(sent.Fails))
	plan.Recipients, diags = types.ListValueFrom(ctx, types.StringType, nonNil(sent.ClientIDs))
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Read keeps the state: WorkPlus cannot read an app message back.
func (r *appMessageResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {
}

// Update never sends: only template.placeholders and timeouts change in
// place, and the message's ids and counters are kept.
func (r *appMessageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	updateWithoutSending[appMessageModel](ctx, req, resp)
}

// Delete forgets the message: it has been delivered and cannot be recalled.
func (r *appMessageResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

func stringValues(values []string) []attr.Value {
	out := make([]attr.Value, len(values))
	for i, v := range values {
		out[i] = types.StringValue(v)
	}
	return out
}

// nonNil turns a missing list into an empty one, so a computed list is known
// and empty rather than null.
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}
