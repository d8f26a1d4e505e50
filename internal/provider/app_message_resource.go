package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/setplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var (
	_ resource.ResourceWithConfigure        = &AppMessageResource{}
	_ resource.ResourceWithConfigValidators = &AppMessageResource{}
	_ resource.ResourceWithValidateConfig   = &AppMessageResource{}
	_ resource.ResourceWithModifyPlan       = &AppMessageResource{}
)

// NewAppMessageResource returns the workplus_app_message resource.
func NewAppMessageResource() resource.Resource {
	return &AppMessageResource{}
}

// AppMessageResource sends one app message. Like workplus_push_notification it
// follows terraform_data: a sent message cannot be recalled, so every argument
// forces a new message and Delete only forgets. The API has no way to read a
// message back, so Read keeps the state as it is.
type AppMessageResource struct {
	provider *providerData
}

type appMessageModel struct {
	ID         types.String   `tfsdk:"id"`
	SourceType types.String   `tfsdk:"source_type"`
	Triggers   types.Map      `tfsdk:"triggers"`
	Text       types.Object   `tfsdk:"text"`
	Image      types.Object   `tfsdk:"image"`
	File       types.Object   `tfsdk:"file"`
	Articles   types.List     `tfsdk:"articles"`
	Template   types.Object   `tfsdk:"template"`
	ClientIDs  types.List     `tfsdk:"client_ids"`
	Usernames  types.List     `tfsdk:"usernames"`
	Scopes     types.List     `tfsdk:"scopes"`
	ForAll     types.Bool     `tfsdk:"for_all"`
	Platforms  types.Set      `tfsdk:"platforms"`
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

func (r *AppMessageResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_app_message"
}

func (r *AppMessageResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keepString := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	keepInt := []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}
	color := []validator.String{stringvalidator.RegexMatches(colorPattern, "must be a color written #rrggbb, such as #00ff00")}
	recipientList := func(description string, validators ...validator.String) schema.ListAttribute {
		return schema.ListAttribute{
			MarkdownDescription: description,
			ElementType:         types.StringType,
			Optional:            true,
			PlanModifiers:       replaceList,
			Validators:          []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(append(validators, stringvalidator.LengthAtLeast(1))...)},
		}
	}
	oneOfBodies := "Exactly one of `text`, `image`, `file`, `articles` and `template` is required."

	resp.Schema = schema.Schema{
		MarkdownDescription: "Sends an app message to employees' WorkPlus inboxes: text, an image, a file, articles or a filled-in template. " +
			"A message cannot be taken back: every argument forces a new resource, that is a new message, and destroying the resource only removes it from the Terraform state. " +
			"Change `triggers` to send again. WorkPlus has no API to read a message back, so refreshing changes nothing.",
		Blocks: map[string]schema.Block{"timeouts": timeouts.Block(ctx, timeoutsOpts(true, false, false))},
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{MarkdownDescription: "The push plan's id, assigned by WorkPlus.", Computed: true, PlanModifiers: keepString},
			"source_type": schema.StringAttribute{
				MarkdownDescription: "`NATIVE` or `ISV`, as the app is registered. Defaults to the provider's `source_type`, then `NATIVE`.",
				Optional:            true,
				PlanModifiers:       replaceString,
				Validators:          []validator.String{stringvalidator.OneOf(workplus.SourceTypeNative, workplus.SourceTypeISV)},
			},
			"triggers": triggersAttribute("Arbitrary values that, when changed, send the message again (through replacement), e.g. `triggers = { build = var.build_number }`."),
			"text": schema.SingleNestedAttribute{
				MarkdownDescription: "A text message (`TEXT`). " + oneOfBodies,
				Optional:            true,
				PlanModifiers:       replaceObject,
				Attributes: map[string]schema.Attribute{
					"content": schema.StringAttribute{MarkdownDescription: "The text.", Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
					"at_all":  schema.BoolAttribute{MarkdownDescription: "Mention everybody (@all).", Optional: true},
				},
			},
			"image": schema.SingleNestedAttribute{
				MarkdownDescription: "An image message (`IMAGE`). " + oneOfBodies,
				Optional:            true,
				PlanModifiers:       replaceObject,
				Attributes: map[string]schema.Attribute{
					"media_id": schema.StringAttribute{MarkdownDescription: "The uploaded image's media id.", Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
					"width":    schema.Int64Attribute{MarkdownDescription: "Width in pixels.", Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)}},
					"height":   schema.Int64Attribute{MarkdownDescription: "Height in pixels.", Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)}},
					"size":     schema.Int64Attribute{MarkdownDescription: "Size in bytes.", Optional: true, Validators: []validator.Int64{int64validator.AtLeast(0)}},
					"is_gif":   schema.BoolAttribute{MarkdownDescription: "Whether the image is an animated GIF.", Optional: true},
					"content":  schema.StringAttribute{MarkdownDescription: "The image itself, base64-encoded, for clients that show it before downloading.", Optional: true},
				},
			},
			"file": schema.SingleNestedAttribute{
				MarkdownDescription: "A file message (`FILE`). " + oneOfBodies,
				Optional:            true,
				PlanModifiers:       replaceObject,
				Attributes: map[string]schema.Attribute{
					"media_id":    schema.StringAttribute{MarkdownDescription: "The uploaded file's media id.", Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
					"name":        schema.StringAttribute{MarkdownDescription: "The file name shown to recipients.", Optional: true},
					"size":        schema.Int64Attribute{MarkdownDescription: "Size in bytes.", Optional: true, Validators: []validator.Int64{int64validator.AtLeast(0)}},
					"file_status": schema.Int64Attribute{MarkdownDescription: "The file's status; `0` means normal.", Optional: true},
				},
			},
			"articles": schema.ListNestedAttribute{
				MarkdownDescription: "An article message (`ARTICLE`): one or more linked articles. " + oneOfBodies,
				Optional:            true,
				PlanModifiers:       replaceList,
				Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"title":       schema.StringAttribute{MarkdownDescription: "The article's title.", Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
					"summary":     schema.StringAttribute{MarkdownDescription: "A short summary.", Optional: true},
					"url":         schema.StringAttribute{MarkdownDescription: "The article's URL. Without it, WorkPlus shows `content`.", Optional: true, Validators: []validator.String{urlWithScheme{}}},
					"cover_url":   schema.StringAttribute{MarkdownDescription: "The cover image: a URL or a media id.", Optional: true},
					"show_cover":  schema.BoolAttribute{MarkdownDescription: "Whether to show the cover (sent as both `show_cover` and `cover_enabled`, the two names the vendor's documents use).", Optional: true},
					"author":      schema.StringAttribute{MarkdownDescription: "The author.", Optional: true},
					"content":     schema.StringAttribute{MarkdownDescription: "The article's HTML, shown when `url` is not set.", Optional: true},
					"create_time": schema.StringAttribute{MarkdownDescription: "The article's date (RFC 3339).", Optional: true, Validators: []validator.String{rfc3339Time{}}},
				}},
			},
			"template": schema.SingleNestedAttribute{
				MarkdownDescription: "A template message (`TEMPLATE`): a template's `{{name.DATA}}` placeholders filled with `data`. " + oneOfBodies,
				Optional:            true,
				Attributes: map[string]schema.Attribute{
					"template_id": schema.StringAttribute{
						MarkdownDescription: "The template's id, usually `workplus_template.<name>.id` or `data.workplus_template.<name>.id`.",
						Required:            true,
						PlanModifiers:       replaceString,
						Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
					},
					"data": schema.ListNestedAttribute{
						MarkdownDescription: "One entry per placeholder of the template.",
						Required:            true,
						PlanModifiers:       replaceList,
						Validators:          []validator.List{listvalidator.SizeAtLeast(1)},
						NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
							"key":        schema.StringAttribute{MarkdownDescription: "The placeholder's name: `name` of `{{name.DATA}}`.", Required: true, Validators: []validator.String{stringvalidator.LengthAtLeast(1)}},
							"value":      schema.StringAttribute{MarkdownDescription: "The text to put in its place.", Required: true},
							"color":      schema.StringAttribute{MarkdownDescription: "Text color, `#rrggbb`.", Optional: true, Validators: color},
							"font_size":  schema.Int64Attribute{MarkdownDescription: "Font size.", Optional: true, Validators: []validator.Int64{int64validator.AtLeast(1)}},
							"text_style": schema.StringAttribute{MarkdownDescription: "`normal` or `bold`.", Optional: true, Validators: []validator.String{stringvalidator.OneOf(textStyles...)}},
						}},
					},
					"top_color":        schema.StringAttribute{MarkdownDescription: "Color of the card's top bar, `#rrggbb`.", Optional: true, PlanModifiers: replaceString, Validators: color},
					"top_avatar":       schema.StringAttribute{MarkdownDescription: "Media id of the icon in the card's top bar.", Optional: true, PlanModifiers: replaceString},
					"top_title":        schema.StringAttribute{MarkdownDescription: "Title in the card's top bar.", Optional: true, PlanModifiers: replaceString},
					"emphasis_keyword": schema.StringAttribute{MarkdownDescription: "The placeholder to highlight, e.g. `amount.DATA` (a field the vendor reserves).", Optional: true, PlanModifiers: replaceString},
					"placeholders": schema.ListAttribute{
						MarkdownDescription: "The template's placeholders, for a plan-time check: set it to `workplus_template.<name>.placeholders` (or the data source's), and planning fails when a `data` key is not one of them or one of them has no `data`. " +
							"It is not sent, and changing it alone sends nothing.",
						ElementType: types.StringType,
						Optional:    true,
					},
				},
			},
			"client_ids": recipientList("Recipients by WorkPlus client id."),
			"usernames":  recipientList("Recipients by username."),
			"scopes":     recipientList("Recipients by organization scope: every employee under an org path such as `/232/301/`.", stringvalidator.RegexMatches(scopePattern, "must be an org path such as /232/301/")),
			"for_all": schema.BoolAttribute{
				MarkdownDescription: "Send to every employee of the organization. Only allowed, and required, when `client_ids`, `usernames` and `scopes` are all unset: WorkPlus ignores it otherwise.",
				Optional:            true,
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
			},
			"platforms": schema.SetAttribute{
				MarkdownDescription: "Where the message shows: any of `ANDROID`, `IOS` and `PC`. Defaults to `IOS` and `ANDROID`, as WorkPlus does.",
				ElementType:         types.StringType,
				Optional:            true,
				Computed:            true,
				Default:             setdefault.StaticValue(types.SetValueMust(types.StringType, stringValues(defaultPlatforms))),
				PlanModifiers:       []planmodifier.Set{setplanmodifier.RequiresReplace()},
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(workplus.PlatformAndroid, workplus.PlatformIOS, workplus.PlatformPC)),
				},
			},
			"material_id": schema.StringAttribute{MarkdownDescription: "The id WorkPlus gave the message's content.", Computed: true, PlanModifiers: keepString},
			"expects":     schema.Int64Attribute{MarkdownDescription: "How many recipients WorkPlus planned to deliver to, when it sent.", Computed: true, PlanModifiers: keepInt},
			"oks":         schema.Int64Attribute{MarkdownDescription: "How many deliveries had succeeded when WorkPlus answered.", Computed: true, PlanModifiers: keepInt},
			"fails":       schema.Int64Attribute{MarkdownDescription: "How many deliveries had failed when WorkPlus answered.", Computed: true, PlanModifiers: keepInt},
			"recipients": schema.ListAttribute{
				MarkdownDescription: "The recipients WorkPlus resolved, as org path and client id, e.g. `/232/301/c24b6a94cfb14b79af12a1399edc9e31`.",
				ElementType:         types.StringType,
				Computed:            true,
				PlanModifiers:       []planmodifier.List{listplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *AppMessageResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	bodies := make([]path.Expression, 0, len(messageBodies))
	for _, name := range messageBodies {
		bodies = append(bodies, path.MatchRoot(name))
	}
	return []resource.ConfigValidator{resourcevalidator.ExactlyOneOf(bodies...)}
}

// recipientAttributes are the lists that name recipients.
var recipientAttributes = []string{"client_ids", "usernames", "scopes"}

// ValidateConfig checks the recipients, a rule that spans attributes: the
// vendor silently ignores for_all next to a list, and sends to nobody with
// neither.
func (r *AppMessageResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config appMessageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	lists := []types.List{config.ClientIDs, config.Usernames, config.Scopes}
	anyList := slices.ContainsFunc(lists, func(l types.List) bool { return !l.IsNull() })
	switch {
	case config.ForAll.IsUnknown():
	case anyList && config.ForAll.ValueBool():
		resp.Diagnostics.AddAttributeError(path.Root("for_all"), "Conflicting recipients",
			"for_all = true sends to everybody and only works when client_ids, usernames and scopes are all unset; WorkPlus ignores it next to them. Remove for_all or the lists.")
	case !anyList && !config.ForAll.ValueBool():
		resp.Diagnostics.AddAttributeError(path.Root("client_ids"), "Missing recipients",
			"Set at least one of client_ids, usernames and scopes, or for_all = true to send to everybody.")
	}
}

func (r *AppMessageResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

// ModifyPlan checks a template message's data against the template's
// placeholders while planning a send. It runs only without a prior state:
// Terraform plans a replacement a second time with a null prior state, so
// that covers every plan that sends, and a template that gains a placeholder
// later does not break the plan of a message that was sent long ago.
func (r *AppMessageResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || !req.State.Raw.IsNull() {
		return
	}
	var template types.Object
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("template"), &template)...)
	if resp.Diagnostics.HasError() || template.IsNull() || template.IsUnknown() {
		return
	}
	var body templateBodyModel
	resp.Diagnostics.Append(template.As(ctx, &body, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
	if resp.Diagnostics.HasError() || !isFullyKnown(ctx, body.Placeholders) || body.Placeholders.IsNull() || body.Data.IsUnknown() {
		return
	}
	var placeholders []string
	var data []templateDataModel
	resp.Diagnostics.Append(body.Placeholders.ElementsAs(ctx, &placeholders, false)...)
	resp.Diagnostics.Append(body.Data.ElementsAs(ctx, &data, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(checkTemplateData(placeholders, data)...)
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

func (r *AppMessageResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
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
	sourceType := plan.SourceType.ValueString()
	if plan.SourceType.IsNull() {
		sourceType = r.provider.sourceType
	}

	sendCtx, cancel, diags := withTimeout(ctx, plan.Timeouts.Create)
	defer cancel()
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	sent, err := r.provider.client.SendAppMessage(sendCtx, sourceType, msg)
	switch {
	case err == nil:
	case workplus.IsNoSuchEmployee(err):
		resp.Diagnostics.AddAttributeError(plan.firstRecipientPath(), "Unknown recipients",
			fmt.Sprintf("WorkPlus knows no employee for one or more of the recipients in client_ids, usernames or scopes, and sent nothing. Check them against the organization. (%v)", err))
		return
	case workplus.IsAmbiguous(err):
		resp.Diagnostics.AddError("The WorkPlus app message may have been delivered",
			fmt.Sprintf("The connection failed after the message was sent, so it may or may not have been delivered, and it is not recorded in the state. "+
				"WorkPlus app messages carry no request id, so applying again sends it again: ask a recipient first. (%v)", err))
		return
	case workplus.IsNotFound(err) && msg.Type == workplus.MessageTypeTemplate:
		resp.Diagnostics.AddAttributeError(path.Root("template").AtName("template_id"), "Template not found",
			fmt.Sprintf("WorkPlus has no template %q; nothing was sent. (%v)", msg.Body.TemplateID, err))
		return
	default:
		resp.Diagnostics.AddError("Could not send the WorkPlus app message", err.Error())
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
func (r *AppMessageResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {
}

// Update only happens when template.placeholders alone changed, which sends
// nothing; every other argument forces replacement.
func (r *AppMessageResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan appMessageModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete forgets the message: it has been delivered and cannot be recalled.
func (r *AppMessageResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

// firstRecipientPath is the recipients attribute an error about recipients
// points at: the first one set.
func (m appMessageModel) firstRecipientPath() path.Path {
	for i, l := range []types.List{m.ClientIDs, m.Usernames, m.Scopes} {
		if !l.IsNull() {
			return path.Root(recipientAttributes[i])
		}
	}
	return path.Root("for_all")
}

// toAppMessage builds the request from known (apply-time) values.
func (m appMessageModel) toAppMessage(ctx context.Context) (workplus.AppMessage, diag.Diagnostics) {
	var diags diag.Diagnostics
	msg := workplus.AppMessage{}
	diags.Append(listInto(ctx, m.ClientIDs, &msg.ClientIDs)...)
	diags.Append(listInto(ctx, m.Usernames, &msg.Usernames)...)
	diags.Append(listInto(ctx, m.Scopes, &msg.Scopes)...)
	if m.ForAll.ValueBool() {
		msg.ForAll = m.ForAll.ValueBoolPointer()
	}
	diags.Append(m.Platforms.ElementsAs(ctx, &msg.Platforms, false)...)
	slices.Sort(msg.Platforms)

	options := basetypes.ObjectAsOptions{}
	body := &msg.Body
	switch {
	case !m.Text.IsNull():
		var text textBodyModel
		diags.Append(m.Text.As(ctx, &text, options)...)
		msg.Type = workplus.MessageTypeText
		body.Content = text.Content.ValueString()
		body.AtAll = text.AtAll.ValueBoolPointer()
	case !m.Image.IsNull():
		var image imageBodyModel
		diags.Append(m.Image.As(ctx, &image, options)...)
		msg.Type = workplus.MessageTypeImage
		body.MediaID = image.MediaID.ValueString()
		body.Width, body.Height, body.Size = image.Width.ValueInt64(), image.Height.ValueInt64(), image.Size.ValueInt64()
		body.Content = image.Content.ValueString()
		if !image.IsGif.IsNull() {
			isGif := 0
			if image.IsGif.ValueBool() {
				isGif = 1
			}
			body.IsGif = &isGif
		}
	case !m.File.IsNull():
		var file fileBodyModel
		diags.Append(m.File.As(ctx, &file, options)...)
		msg.Type = workplus.MessageTypeFile
		body.MediaID = file.MediaID.ValueString()
		body.Name = file.Name.ValueString()
		body.Size = file.Size.ValueInt64()
		if !file.FileStatus.IsNull() {
			status := int(file.FileStatus.ValueInt64())
			body.FileStatus = &status
		}
	case !m.Articles.IsNull():
		var articles []articleModel
		diags.Append(m.Articles.ElementsAs(ctx, &articles, false)...)
		msg.Type = workplus.MessageTypeArticle
		for i, a := range articles {
			article := workplus.Article{
				Title:        a.Title.ValueString(),
				Summary:      a.Summary.ValueString(),
				URL:          a.URL.ValueString(),
				CoverURL:     a.CoverURL.ValueString(),
				ShowCover:    a.ShowCover.ValueBoolPointer(),
				CoverEnabled: a.ShowCover.ValueBoolPointer(),
				Author:       a.Author.ValueString(),
				Content:      a.Content.ValueString(),
			}
			created, err := parseOptionalTime(a.CreateTime)
			if err != nil {
				diags.AddAttributeError(path.Root("articles").AtListIndex(i).AtName("create_time"), "Invalid time", err.Error())
			} else if created != nil {
				article.CreateTime = created.UnixMilli()
			}
			body.Articles = append(body.Articles, article)
		}
	case !m.Template.IsNull():
		var template templateBodyModel
		diags.Append(m.Template.As(ctx, &template, options)...)
		var data []templateDataModel
		diags.Append(template.Data.ElementsAs(ctx, &data, false)...)
		msg.Type = workplus.MessageTypeTemplate
		body.TemplateID = template.TemplateID.ValueString()
		body.TopColor = template.TopColor.ValueString()
		body.TopAvatar = template.TopAvatar.ValueString()
		body.TopTitle = template.TopTitle.ValueString()
		body.EmphasisKeyword = template.EmphasisKeyword.ValueString()
		for _, d := range data {
			entry := workplus.TemplateData{
				Key:       d.Key.ValueString(),
				Value:     d.Value.ValueString(),
				Color:     d.Color.ValueString(),
				TextStyle: d.TextStyle.ValueString(),
			}
			if !d.FontSize.IsNull() {
				entry.FontSize = strconv.FormatInt(d.FontSize.ValueInt64(), 10)
			}
			body.Data = append(body.Data, entry)
		}
	}
	return msg, diags
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
