package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var (
	_ resource.ResourceWithConfigure        = &PushNotificationResource{}
	_ resource.ResourceWithConfigValidators = &PushNotificationResource{}
	_ resource.ResourceWithValidateConfig   = &PushNotificationResource{}
	_ resource.ResourceWithModifyPlan       = &PushNotificationResource{}
)

// NewPushNotificationResource returns the workplus_push_notification resource.
func NewPushNotificationResource() resource.Resource {
	return &PushNotificationResource{}
}

// PushNotificationResource sends one push notification. A push cannot be
// taken back, so the resource follows terraform_data: every argument forces a
// new resource (a new push), Read refreshes the delivery statistics, and
// Delete only forgets.
type PushNotificationResource struct {
	provider *providerData
}

type pushNotificationModel struct {
	ID                   types.String         `tfsdk:"id"`
	AppID                types.String         `tfsdk:"app_id"`
	Triggers             types.Map            `tfsdk:"triggers"`
	All                  types.Bool           `tfsdk:"all"`
	Tags                 types.List           `tfsdk:"tags"`
	Aliases              types.List           `tfsdk:"aliases"`
	UserIDs              types.List           `tfsdk:"user_ids"`
	PushTokens           types.List           `tfsdk:"push_tokens"`
	Type                 types.String         `tfsdk:"type"`
	Title                types.String         `tfsdk:"title"`
	Body                 types.String         `tfsdk:"body"`
	AttachmentURL        types.String         `tfsdk:"attachment_url"`
	BigText              types.String         `tfsdk:"big_text"`
	Badge                types.String         `tfsdk:"badge"`
	Ext                  jsontypes.Normalized `tfsdk:"ext"`
	ShowBeginTime        types.String         `tfsdk:"show_begin_time"`
	ShowEndTime          types.String         `tfsdk:"show_end_time"`
	IOS                  types.Object         `tfsdk:"ios"`
	Android              types.Object         `tfsdk:"android"`
	Huawei               types.Object         `tfsdk:"huawei"`
	Xiaomi               types.Object         `tfsdk:"xiaomi"`
	OPPO                 types.Object         `tfsdk:"oppo"`
	VIVO                 types.Object         `tfsdk:"vivo"`
	Flyme                types.Object         `tfsdk:"flyme"`
	FCM                  types.Object         `tfsdk:"fcm"`
	DistributionStrategy types.String         `tfsdk:"distribution_strategy"`
	OspushSequence       types.List           `tfsdk:"ospush_sequence"`
	TaskID               types.Int64          `tfsdk:"task_id"`
	RequestID            types.String         `tfsdk:"request_id"`
	Timeouts             timeouts.Value       `tfsdk:"timeouts"`
	pushStatsModel
}

type iosOptionsModel struct {
	Sound            types.String `tfsdk:"sound"`
	ContentAvailable types.Bool   `tfsdk:"content_available"`
	MutableContent   types.Bool   `tfsdk:"mutable_content"`
	Category         types.String `tfsdk:"category"`
	ThreadID         types.String `tfsdk:"thread_id"`
	Subtitle         types.String `tfsdk:"subtitle"`
	APNsCollapseID   types.String `tfsdk:"apns_collapse_id"`
}

// androidBlock is one of the Android option blocks: the common four
// attributes plus the vendor's own. The vendor blocks override android.
type androidBlock struct {
	name    string
	vendor  string
	strings []string // vendor-only string attributes
	ints    []string // vendor-only 0/1 attributes
}

var androidBlocks = []androidBlock{
	{name: "android", vendor: "every Android vendor"},
	{name: "huawei", vendor: "Huawei", strings: []string{"badge_class"}},
	{name: "xiaomi", vendor: "Xiaomi"},
	{name: "oppo", vendor: "OPPO"},
	{name: "vivo", vendor: "VIVO", ints: []string{"push_mode", "classification"}},
	{name: "flyme", vendor: "Meizu (Flyme)"},
	{name: "fcm", vendor: "FCM"},
}

// Android click actions.
const (
	clickActionIntent  = "intent"
	clickActionOpenApp = "open_app"
)

// audienceAttributes are the forms of the audience, exactly one of which is set.
var audienceAttributes = []string{"all", "tags", "aliases", "user_ids", "push_tokens"}

var pushDescriptions = map[string]string{
	"triggers": "Arbitrary values that, when changed, send the push again (through replacement). Use it to repeat a push on purpose, e.g. `triggers = { release = var.version }`. " +
		"They are part of `request_id`, so new triggers are a new push to the server too.",
	"all":            "Push to every device of the app. Must be `true` when set. Exactly one of `all`, `tags`, `aliases`, `user_ids` and `push_tokens` is required.",
	"tags":           fmt.Sprintf("Push to the devices with any of these tags (1 to %d).", workplus.MaxAudienceEntries),
	"aliases":        fmt.Sprintf("Push to the devices with any of these aliases (1 to %d).", workplus.MaxAudienceEntries),
	"user_ids":       fmt.Sprintf("Push to the devices of these numeric user ids (1 to %d).", workplus.MaxAudienceEntries),
	"push_tokens":    fmt.Sprintf("Push to these devices, by push token (1 to %d).", workplus.MaxAudienceEntries),
	"type":           "`text` (default), `image` (needs `attachment_url`) or `cmd`: a pass-through message for the app that is not shown in the notification bar.",
	"title":          "The notification's title.",
	"body":           "The notification's text.",
	"attachment_url": "URL of an image, audio or video attachment. For `type = \"image\"` it is required and its path must end in `.jpg`, `.jpeg` or `.png` (the vendors also want it under 1 MB; 876×324 px is recommended).",
	"big_text":       "Long text that vendors supporting big-text notifications show instead of `body`.",
	"badge":          "The app icon's badge: a number sets it, `+N` adds to it. The server's default is `+1`.",
	"ext": "Extra fields for the app, as a JSON object, e.g. `jsonencode({ order = 123, kind = \"shipped\" })`. " +
		"A JSON string keeps numbers and nested values that a map of strings would lose. Reformatting the JSON plans a replacement, but as `request_id` is derived from the parsed object it pushes nothing new.",
	"show_begin_time":       "When devices start showing the notification (RFC 3339, e.g. `2030-01-02T08:00:00Z`). Unset: immediately.",
	"show_end_time":         "When devices stop showing the notification (RFC 3339). Must be after `show_begin_time`.",
	"ios":                   "APNs options.",
	"distribution_strategy": "`combined` (the server's default: WorkPlus's own channel to devices that are online, the vendors' services for the others), `mxpush_only` or `ospush_only`.",
	"ospush_sequence":       "The order in which vendor services are tried: " + quotedList(workplus.OspushChannels) + ". `ups` stands for the domestic vendors. The server's default is `[\"ups\", \"fcm\"]`.",
	"id":                    "The push task's id, as a string.",
	"app_id":                "The app that sends the push. Defaults to the provider's `app_id`. Changing it sends the push again from the new app.",
	"task_id":               "The push task's id.",
	"request_id": "The de-duplication id sent as `setting.request_id`: `tf-` and the first 32 hex digits of a SHA-256 over the app id, the request without its request id (as canonical JSON) and `triggers`. " +
		"The server pushes nothing for an id it has seen and answers the first task's id, so a retried or repeated apply of the same notification never pushes twice.",
}

func (r *PushNotificationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_push_notification"
}

func (r *PushNotificationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	d := pushDescriptions
	audienceList := []validator.List{listvalidator.SizeBetween(1, workplus.MaxAudienceEntries)}
	optionalString := func(name string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: d[name], Optional: true, PlanModifiers: replaceString}
	}
	keepString := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}

	attributes := map[string]schema.Attribute{
		"id": schema.StringAttribute{MarkdownDescription: d["id"], Computed: true, PlanModifiers: keepString},
		"app_id": schema.StringAttribute{
			MarkdownDescription: d["app_id"],
			Optional:            true,
			Computed:            true,
			PlanModifiers:       replaceString,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		},
		"triggers": triggersAttribute(d["triggers"]),
		"all": schema.BoolAttribute{
			MarkdownDescription: d["all"],
			Optional:            true,
			PlanModifiers:       []planmodifier.Bool{boolplanmodifier.RequiresReplace()},
		},
		"tags":    schema.ListAttribute{MarkdownDescription: d["tags"], ElementType: types.StringType, Optional: true, PlanModifiers: replaceList, Validators: audienceList},
		"aliases": schema.ListAttribute{MarkdownDescription: d["aliases"], ElementType: types.StringType, Optional: true, PlanModifiers: replaceList, Validators: audienceList},
		"user_ids": schema.ListAttribute{
			MarkdownDescription: d["user_ids"], ElementType: types.Int64Type, Optional: true, PlanModifiers: replaceList, Validators: audienceList,
		},
		"push_tokens": schema.ListAttribute{MarkdownDescription: d["push_tokens"], ElementType: types.StringType, Optional: true, PlanModifiers: replaceList, Validators: audienceList},
		"type": schema.StringAttribute{
			MarkdownDescription: d["type"],
			Optional:            true,
			Computed:            true,
			Default:             stringdefault.StaticString(workplus.PushTypeText),
			PlanModifiers:       replaceString,
			Validators:          []validator.String{stringvalidator.OneOf(workplus.PushTypeText, workplus.PushTypeImage, workplus.PushTypeCmd)},
		},
		"title":          optionalString("title"),
		"body":           optionalString("body"),
		"attachment_url": optionalString("attachment_url"),
		"big_text":       optionalString("big_text"),
		"badge": schema.StringAttribute{
			MarkdownDescription: d["badge"],
			Optional:            true,
			PlanModifiers:       replaceString,
			Validators:          []validator.String{stringvalidator.RegexMatches(badgePattern, "must be a whole number, or + followed by one")},
		},
		"ext": schema.StringAttribute{
			MarkdownDescription: d["ext"],
			CustomType:          jsontypes.NormalizedType{},
			Optional:            true,
			PlanModifiers:       replaceString,
		},
		"show_begin_time": schema.StringAttribute{MarkdownDescription: d["show_begin_time"], Optional: true, PlanModifiers: replaceString, Validators: []validator.String{rfc3339Time{}}},
		"show_end_time":   schema.StringAttribute{MarkdownDescription: d["show_end_time"], Optional: true, PlanModifiers: replaceString, Validators: []validator.String{rfc3339Time{}}},
		"ios": schema.SingleNestedAttribute{
			MarkdownDescription: d["ios"],
			Optional:            true,
			PlanModifiers:       []planmodifier.Object{objectplanmodifier.RequiresReplace()},
			Attributes: map[string]schema.Attribute{
				"sound":             schema.StringAttribute{MarkdownDescription: "The notification sound.", Optional: true},
				"content_available": schema.BoolAttribute{MarkdownDescription: "APNs `content-available`.", Optional: true},
				"mutable_content":   schema.BoolAttribute{MarkdownDescription: "APNs `mutable-content`.", Optional: true},
				"category":          schema.StringAttribute{MarkdownDescription: "APNs `category`.", Optional: true},
				"thread_id":         schema.StringAttribute{MarkdownDescription: "APNs `thread-id`: notifications with the same one are grouped.", Optional: true},
				"subtitle":          schema.StringAttribute{MarkdownDescription: "APNs `subtitle`.", Optional: true},
				"apns_collapse_id":  schema.StringAttribute{MarkdownDescription: "APNs `apns-collapse-id`: a notification replaces the shown one with the same id.", Optional: true},
			},
		},
		"distribution_strategy": schema.StringAttribute{
			MarkdownDescription: d["distribution_strategy"],
			Optional:            true,
			PlanModifiers:       replaceString,
			Validators:          []validator.String{stringvalidator.OneOf(workplus.StrategyCombined, workplus.StrategyMxpushOnly, workplus.StrategyOspushOnly)},
		},
		"ospush_sequence": schema.ListAttribute{
			MarkdownDescription: d["ospush_sequence"],
			ElementType:         types.StringType,
			Optional:            true,
			PlanModifiers:       replaceList,
			Validators: []validator.List{
				listvalidator.SizeAtLeast(1),
				listvalidator.UniqueValues(),
				listvalidator.ValueStringsAre(stringvalidator.OneOf(workplus.OspushChannels...)),
			},
		},
		"task_id": schema.Int64Attribute{
			MarkdownDescription: d["task_id"],
			Computed:            true,
			PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
		},
		"request_id": schema.StringAttribute{MarkdownDescription: d["request_id"], Computed: true, PlanModifiers: keepString},
	}
	for _, block := range androidBlocks {
		attributes[block.name] = androidOptionsAttribute(block)
	}
	for name, attribute := range pushStatsResourceAttributes() {
		attributes[name] = attribute
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Sends a push notification to the devices of an app. A push cannot be taken back: every argument forces a new resource, that is a new push, " +
			"and destroying the resource only removes it from the Terraform state. Change `triggers` to push again. Refreshing reads the delivery statistics.",
		Attributes: attributes,
		Blocks:     map[string]schema.Block{"timeouts": timeouts.Block(ctx, timeoutsOpts(true, false, false))},
	}
}

// androidOptionsAttribute is the schema of an Android option block, written
// once for android and every Android vendor.
func androidOptionsAttribute(block androidBlock) schema.SingleNestedAttribute {
	attributes := map[string]schema.Attribute{
		"sound":      schema.StringAttribute{MarkdownDescription: "The notification sound.", Optional: true},
		"channel_id": schema.StringAttribute{MarkdownDescription: "The notification channel.", Optional: true},
		"click_action": schema.StringAttribute{
			MarkdownDescription: "What tapping the notification does: `intent` opens the page given by `intent`, `open_app` the app's home page.",
			Optional:            true,
			Validators:          []validator.String{stringvalidator.OneOf(clickActionIntent, clickActionOpenApp)},
		},
		"intent": schema.StringAttribute{
			MarkdownDescription: "The page to open, e.g. `intent:#Intent;component=com.example/.MainActivity;S.key=value;end`. Required when `click_action` is `intent`.",
			Optional:            true,
		},
	}
	extraDescriptions := map[string]string{
		"badge_class":    "The Activity class of the app's launcher entry, e.g. `com.example.MainActivity`, for the icon badge.",
		"push_mode":      "`0` (default) for a real push, `1` for a test push.",
		"classification": "`0` (default) for an operational message, `1` for a system message.",
	}
	for _, name := range block.strings {
		attributes[name] = schema.StringAttribute{MarkdownDescription: extraDescriptions[name], Optional: true}
	}
	for _, name := range block.ints {
		attributes[name] = schema.Int64Attribute{MarkdownDescription: extraDescriptions[name], Optional: true, Validators: []validator.Int64{int64validator.OneOf(0, 1)}}
	}
	description := "Options for " + block.vendor + " devices"
	if block.name != "android" {
		description += "; they override `android`"
	}
	return schema.SingleNestedAttribute{
		MarkdownDescription: description + ".",
		Optional:            true,
		PlanModifiers:       []planmodifier.Object{objectplanmodifier.RequiresReplace()},
		Attributes:          attributes,
	}
}

func (r *PushNotificationResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	expressions := make([]path.Expression, 0, len(audienceAttributes))
	for _, name := range audienceAttributes {
		expressions = append(expressions, path.MatchRoot(name))
	}
	return []resource.ConfigValidator{resourcevalidator.ExactlyOneOf(expressions...)}
}

// ValidateConfig checks the rules that span attributes. Unknown values are
// skipped: they are checked again once known.
func (r *PushNotificationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config pushNotificationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !config.All.IsNull() && !config.All.IsUnknown() && !config.All.ValueBool() {
		resp.Diagnostics.AddAttributeError(path.Root("all"), "Invalid audience",
			"all = false selects no devices: set all = true to push to every device, or use one of tags, aliases, user_ids or push_tokens instead.")
	}
	if config.Type.ValueString() == workplus.PushTypeImage {
		switch {
		case config.AttachmentURL.IsUnknown():
		case config.AttachmentURL.IsNull():
			resp.Diagnostics.AddAttributeError(path.Root("attachment_url"), "Missing attachment_url",
				`type = "image" needs attachment_url: the URL of a .jpg, .jpeg or .png image.`)
		default:
			if err := checkImageURL(config.AttachmentURL.ValueString()); err != nil {
				resp.Diagnostics.AddAttributeError(path.Root("attachment_url"), "Invalid image URL", fmt.Sprintf(`type = "image": attachment_url %v.`, err))
			}
		}
	}
	if !config.Ext.IsNull() && !config.Ext.IsUnknown() {
		if _, err := decodeJSONObject(config.Ext.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("ext"), "Invalid ext", fmt.Sprintf("ext %v.", err))
		}
	}
	begin, beginErr := parseOptionalTime(config.ShowBeginTime)
	end, endErr := parseOptionalTime(config.ShowEndTime)
	if beginErr == nil && endErr == nil && begin != nil && end != nil && !end.After(*begin) {
		resp.Diagnostics.AddAttributeError(path.Root("show_end_time"), "Invalid show_end_time",
			fmt.Sprintf("show_end_time (%s) must be after show_begin_time (%s).", config.ShowEndTime.ValueString(), config.ShowBeginTime.ValueString()))
	}
	for name, block := range config.androidObjects() {
		if block.IsNull() || block.IsUnknown() {
			continue
		}
		action, _ := block.Attributes()["click_action"].(types.String)
		intent, _ := block.Attributes()["intent"].(types.String)
		if action.ValueString() == clickActionIntent && intent.IsNull() {
			resp.Diagnostics.AddAttributeError(path.Root(name).AtName("intent"), "Missing intent",
				fmt.Sprintf(`%s.click_action = "intent" needs %s.intent: the page to open.`, name, name))
		}
	}
}

func (r *PushNotificationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

// ModifyPlan resolves app_id from the provider, so the plan shows the app
// that will push, and derives request_id while planning a push whose
// arguments are all known, so the plan shows the id the server will see.
func (r *PushNotificationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.provider == nil {
		return
	}
	var plan, config pushNotificationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.AppID = r.provider.planAppID(ctx, config.AppID, req, resp); resp.Diagnostics.HasError() {
		return
	}
	// Terraform plans a replacement a second time with a null prior state, so
	// "no prior state" covers both create and replace.
	if req.State.Raw.IsNull() && req.Config.Raw.IsFullyKnown() {
		notify, diags := plan.toRequest(ctx)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		requestID, err := pushRequestID(plan.AppID.ValueString(), notify, plan.triggers(ctx))
		if err != nil {
			resp.Diagnostics.AddError("Could not derive the push request id", err.Error())
			return
		}
		plan.RequestID = types.StringValue(requestID)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

func (r *PushNotificationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan pushNotificationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	notify, diags := plan.toRequest(ctx)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	appID := plan.AppID.ValueString()
	requestID, err := pushRequestID(appID, notify, plan.triggers(ctx))
	if err != nil {
		resp.Diagnostics.AddError("Could not derive the push request id", err.Error())
		return
	}
	if notify.Setting == nil {
		notify.Setting = &workplus.PushSetting{}
	}
	notify.Setting.RequestID = requestID

	ctx, cancel, diags := withTimeout(ctx, plan.Timeouts.Create)
	defer cancel()
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	result, err := r.provider.client.Notify(ctx, appID, notify)
	if err != nil {
		resp.Diagnostics.AddError("Could not send the WorkPlus push notification",
			fmt.Sprintf("%v\n\nApplying again is safe: the push carries request_id %s, and the server pushes nothing for an id it has already accepted.", err, requestID))
		return
	}
	plan.ID = types.StringValue(strconv.FormatInt(result.TaskID, 10))
	plan.TaskID = types.Int64Value(result.TaskID)
	plan.RequestID = types.StringValue(requestID)

	// The push has gone out: from here on, failures must not lose the task
	// id, so they leave the statistics null until the next refresh.
	plan.pushStatsModel = pushStatsModel{
		Channels: types.ListNull(channelStatsObjectType), TotalTarget: types.Int64Null(),
		TotalSent: types.Int64Null(), TotalReceived: types.Int64Null(),
	}
	detail, err := r.taskDetail(ctx, appID, result.TaskID)
	switch {
	case err != nil:
		resp.Diagnostics.AddWarning("Could not read the push's delivery statistics",
			fmt.Sprintf("Push task %d was sent; its statistics are read on the next refresh. (%v)", result.TaskID, err))
	case detail == nil:
		resp.Diagnostics.AddWarning("Could not read the push's delivery statistics",
			fmt.Sprintf("Push task %d was sent but the server does not report it yet; its statistics are read on the next refresh.", result.TaskID))
	default:
		resp.Diagnostics.Append(plan.fromTaskDetail(ctx, *detail)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *PushNotificationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state pushNotificationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	detail, err := r.taskDetail(ctx, state.AppID.ValueString(), state.TaskID.ValueInt64())
	if err != nil {
		resp.Diagnostics.AddError("Could not read the WorkPlus push task", err.Error())
		return
	}
	if detail == nil {
		resp.Diagnostics.AddWarning("WorkPlus push task no longer exists",
			fmt.Sprintf("Push task %d of app %s was not found, so it is removed from the state. Applying the configuration again asks the server to push with the same request_id %s.",
				state.TaskID.ValueInt64(), state.AppID.ValueString(), state.RequestID.ValueString()))
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(state.fromTaskDetail(ctx, *detail)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// taskDetail reads one task's statistics; nil means the server does not know it.
func (r *PushNotificationResource) taskDetail(ctx context.Context, appID string, taskID int64) (*workplus.TaskDetail, error) {
	details, err := r.provider.client.TaskDetails(ctx, appID, []int64{taskID})
	if err != nil {
		return nil, err
	}
	for _, d := range details {
		if d.TaskID == taskID {
			return &d, nil
		}
	}
	return nil, nil
}

// Update is never reached with a change to send, since every argument
// forces replacement; it keeps the planned values.
func (r *PushNotificationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan pushNotificationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete forgets the push: it has been delivered and cannot be recalled.
func (r *PushNotificationResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

func (m pushNotificationModel) androidObjects() map[string]types.Object {
	return map[string]types.Object{
		"android": m.Android, "huawei": m.Huawei, "xiaomi": m.Xiaomi, "oppo": m.OPPO,
		"vivo": m.VIVO, "flyme": m.Flyme, "fcm": m.FCM,
	}
}

func (m pushNotificationModel) triggers(ctx context.Context) map[string]string {
	triggers := map[string]string{}
	if !m.Triggers.IsNull() && !m.Triggers.IsUnknown() {
		m.Triggers.ElementsAs(ctx, &triggers, false)
	}
	return triggers
}

// toRequest builds the push from known (apply-time) values, without
// request_id, which pushRequestID derives from the result.
func (m pushNotificationModel) toRequest(ctx context.Context) (workplus.NotifyRequest, diag.Diagnostics) {
	var diags diag.Diagnostics
	var req workplus.NotifyRequest

	req.Audience.All = m.All.ValueBool()
	diags.Append(listInto(ctx, m.Tags, &req.Audience.Tags)...)
	diags.Append(listInto(ctx, m.Aliases, &req.Audience.Aliases)...)
	diags.Append(listInto(ctx, m.UserIDs, &req.Audience.UserIDs)...)
	diags.Append(listInto(ctx, m.PushTokens, &req.Audience.PushTokens)...)

	msg := &req.Message
	msg.Type = m.Type.ValueString()
	msg.Title = m.Title.ValueString()
	msg.Body = m.Body.ValueString()
	msg.AttachmentURL = m.AttachmentURL.ValueString()
	msg.BigText = m.BigText.ValueString()
	msg.Badge = m.Badge.ValueString()
	if !m.Ext.IsNull() {
		ext, err := decodeJSONObject(m.Ext.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("ext"), "Invalid ext", fmt.Sprintf("ext %v.", err))
		}
		msg.Ext = ext
	}
	for _, t := range []struct {
		name  string
		value types.String
		into  **int64
	}{{"show_begin_time", m.ShowBeginTime, &msg.ShowBeginTime}, {"show_end_time", m.ShowEndTime, &msg.ShowEndTime}} {
		parsed, err := parseOptionalTime(t.value)
		if err != nil {
			diags.AddAttributeError(path.Root(t.name), "Invalid time", err.Error())
			continue
		}
		if parsed != nil {
			seconds := parsed.Unix()
			*t.into = &seconds
		}
	}
	if !m.IOS.IsNull() {
		var ios iosOptionsModel
		diags.Append(m.IOS.As(ctx, &ios, basetypes.ObjectAsOptions{})...)
		msg.IOS = &workplus.IOSOptions{
			Sound:            ios.Sound.ValueString(),
			ContentAvailable: ios.ContentAvailable.ValueBoolPointer(),
			MutableContent:   ios.MutableContent.ValueBoolPointer(),
			Category:         ios.Category.ValueString(),
			ThreadID:         ios.ThreadID.ValueString(),
			Subtitle:         ios.Subtitle.ValueString(),
			APNsCollapseID:   ios.APNsCollapseID.ValueString(),
		}
	}
	objects := m.androidObjects()
	for name, into := range map[string]**workplus.AndroidOptions{
		"android": &msg.Android, "huawei": &msg.Huawei, "xiaomi": &msg.Xiaomi, "oppo": &msg.OPPO,
		"vivo": &msg.VIVO, "flyme": &msg.Flyme, "fcm": &msg.FCM,
	} {
		*into = androidOptionsFromObject(objects[name])
	}

	if !m.DistributionStrategy.IsNull() || !m.OspushSequence.IsNull() {
		req.Setting = &workplus.PushSetting{DistributionStrategy: m.DistributionStrategy.ValueString()}
		diags.Append(listInto(ctx, m.OspushSequence, &req.Setting.OspushSequence)...)
	}
	return req, diags
}

// androidOptionsFromObject reads any Android option block; attributes a
// vendor's block lacks stay empty, so one converter serves all of them.
func androidOptionsFromObject(obj types.Object) *workplus.AndroidOptions {
	if obj.IsNull() || obj.IsUnknown() {
		return nil
	}
	attrs := obj.Attributes()
	str := func(name string) string {
		v, _ := attrs[name].(types.String)
		return v.ValueString()
	}
	num := func(name string) *int64 {
		v, _ := attrs[name].(types.Int64)
		return v.ValueInt64Pointer()
	}
	return &workplus.AndroidOptions{
		Sound:          str("sound"),
		ChannelID:      str("channel_id"),
		ClickAction:    str("click_action"),
		Intent:         str("intent"),
		BadgeClass:     str("badge_class"),
		PushMode:       num("push_mode"),
		Classification: num("classification"),
	}
}

// pushRequestID derives setting.request_id from everything that makes the
// push what it is. The same notification with the same triggers always gets
// the same id, so the server's de-duplication turns a retried or repeated
// apply into a no-op; any change to content, audience, app or triggers gives
// a new id and so a new push. 128 bits of the hash keep collisions out of
// reach while keeping the id short.
func pushRequestID(appID string, req workplus.NotifyRequest, triggers map[string]string) (string, error) {
	if req.Setting != nil {
		setting := *req.Setting
		setting.RequestID = ""
		req.Setting = &setting
	}
	if len(triggers) == 0 {
		triggers = nil // an empty map and no map are the same configuration
	}
	// encoding/json writes struct fields in declaration order and map keys
	// sorted, which makes this encoding canonical.
	canonical, err := json.Marshal(struct {
		AppID    string                 `json:"app_id"`
		Request  workplus.NotifyRequest `json:"request"`
		Triggers map[string]string      `json:"triggers"`
	}{appID, req, triggers})
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(canonical)
	return "tf-" + hex.EncodeToString(sum[:16]), nil
}

// decodeJSONObject parses ext. Numbers stay json.Number, so they are sent
// and hashed exactly as written rather than rounded through float64.
func decodeJSONObject(text string) (map[string]any, error) {
	decoder := json.NewDecoder(strings.NewReader(text))
	decoder.UseNumber()
	var value any
	if err := decoder.Decode(&value); err != nil {
		return nil, fmt.Errorf("is not valid JSON: %v", err)
	}
	object, ok := value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("must be a JSON object such as {\"key\": 1}, got %s", strings.TrimSpace(text))
	}
	return object, nil
}

// checkImageURL applies the vendors' rule for image pushes: the URL's path
// ends in jpg, jpeg or png (a query string after it is fine).
func checkImageURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("%q must be an absolute URL such as https://example.com/banner.png", raw)
	}
	lower := strings.ToLower(u.Path)
	for _, suffix := range []string{".jpg", ".jpeg", ".png"} {
		if strings.HasSuffix(lower, suffix) {
			return nil
		}
	}
	return fmt.Errorf("%q must end in .jpg, .jpeg or .png", raw)
}

var badgePattern = regexp.MustCompile(`^\+?[0-9]+$`)

// parseOptionalTime parses an RFC 3339 attribute; null and unknown give nil.
func parseOptionalTime(v types.String) (*time.Time, error) {
	if v.IsNull() || v.IsUnknown() {
		return nil, nil
	}
	t, err := time.Parse(time.RFC3339, v.ValueString())
	if err != nil {
		return nil, fmt.Errorf("%q is not an RFC 3339 time such as 2030-01-02T08:00:00Z", v.ValueString())
	}
	return &t, nil
}

// rfc3339Time checks that a string is an RFC 3339 time.
type rfc3339Time struct{}

func (rfc3339Time) Description(context.Context) string {
	return "must be an RFC 3339 time such as 2030-01-02T08:00:00Z"
}

func (v rfc3339Time) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (rfc3339Time) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if _, err := parseOptionalTime(req.ConfigValue); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid time", fmt.Sprintf("%s %v.", req.Path, err))
	}
}

// listInto converts a known list; a null list leaves into nil, which the
// wire types read as "not set".
func listInto[T any](ctx context.Context, list types.List, into *[]T) diag.Diagnostics {
	if list.IsNull() || list.IsUnknown() {
		return nil
	}
	values := []T{}
	diags := list.ElementsAs(ctx, &values, false)
	*into = values
	return diags
}
