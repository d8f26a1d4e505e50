package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"reflect"
	"regexp"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var (
	_ resource.ResourceWithConfigure        = &pushNotificationResource{}
	_ resource.ResourceWithConfigValidators = &pushNotificationResource{}
	_ resource.ResourceWithValidateConfig   = &pushNotificationResource{}
	_ resource.ResourceWithModifyPlan       = &pushNotificationResource{}
)

// NewPushNotificationResource returns the workplus_push_notification resource.
func NewPushNotificationResource() resource.Resource {
	return &pushNotificationResource{}
}

// pushNotificationResource sends one push notification. A push cannot be
// taken back, so the resource follows terraform_data: every argument forces a
// new resource (a new push), Read refreshes the delivery statistics, and
// Delete only forgets.
type pushNotificationResource struct {
	provider *providerData
}

type pushNotificationModel struct {
	ID       types.String `tfsdk:"id"`
	AppID    types.String `tfsdk:"app_id"`
	Triggers types.Map    `tfsdk:"triggers"`
	pushMessageModel
	TaskID    types.Int64  `tfsdk:"task_id"`
	RequestID types.String `tfsdk:"request_id"`
	pushStatsModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

var pushResourceDescriptions = map[string]string{
	"triggers": "Arbitrary values that, when changed, send the push again (through replacement). Use it to repeat a push on purpose, e.g. `triggers = { release = var.version }`. " +
		"Setting them back to an earlier value sends again too: every planned replacement sends.",
	"id":      "The push task's id, as a string; the `request_id` when the server's answer named no task.",
	"app_id":  "The app that sends the push. Defaults to the provider's `app_id`, taken when the push is sent and kept: changing the provider's `app_id` later does not send the push again. Setting a different `app_id` here does, from the new app.",
	"task_id": "The push task's id; null when the server's answer named none (the Push API documents it as nullable), and then the delivery statistics stay null.",
	"request_id": "The de-duplication id sent as `setting.request_id`: the server pushes nothing for an id it has seen and answers the first task's id, so retries within one apply never push twice. " +
		"Unset, every planned create or replacement gets a fresh id (`tf-` and 32 random hex digits) when it is applied, so each one pushes. " +
		"Set it (for example to your pipeline's run id) to make a push exactly-once even across a crashed and re-run apply; changing it sends again, and a replacement that keeps the id the server has already seen pushes nothing, which the plan warns about.",
}

func (r *pushNotificationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_push_notification"
}

func (r *pushNotificationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	d := pushResourceDescriptions
	// A value the user did not write must never cause a send: without
	// configuration, app_id and request_id keep what was sent, and only a
	// configured change replaces.
	keepOrReplace := []planmodifier.String{stringplanmodifier.UseStateForUnknown(), stringplanmodifier.RequiresReplace()}

	attributes, err := sendingResourceAttributes(pushMessageAttributes())
	if err != nil {
		resp.Diagnostics.AddError("Could not build the resource's schema from the message arguments", err.Error())
		return
	}
	pushType := resourceStringAttribute(pushTypeAttribute(), true)
	pushType.Computed = true
	pushType.Default = stringdefault.StaticString(workplus.PushTypeText)
	attributes["type"] = pushType
	ext, ok := attributes["ext"].(schema.StringAttribute)
	if !ok {
		resp.Diagnostics.AddError("Could not build the resource's schema", "ext is not a string attribute")
		return
	}
	ext.PlanModifiers = append([]planmodifier.String{keepEquivalentJSON{}}, ext.PlanModifiers...)
	attributes["ext"] = ext
	attributes["id"] = schema.StringAttribute{MarkdownDescription: d["id"], Computed: true}
	attributes["app_id"] = schema.StringAttribute{
		MarkdownDescription: d["app_id"],
		Optional:            true,
		Computed:            true,
		PlanModifiers:       keepOrReplace,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attributes["triggers"] = triggersAttribute(d["triggers"])
	attributes["task_id"] = schema.Int64Attribute{MarkdownDescription: d["task_id"], Computed: true}
	attributes["request_id"] = schema.StringAttribute{
		MarkdownDescription: d["request_id"],
		Optional:            true,
		Computed:            true,
		PlanModifiers:       keepOrReplace,
		Validators:          []validator.String{stringvalidator.LengthBetween(1, maxRequestIDLength)},
	}
	for name, attribute := range pushStatsResourceAttributes() {
		attributes[name] = attribute
	}
	if err := keepSendResults(attributes); err != nil {
		resp.Diagnostics.AddError("Could not build the resource's schema", err.Error())
		return
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Sends a push notification to the devices of an app. A planned create or replacement pushes once, and nothing else pushes: every argument forces a new resource, that is a new push, " +
			"`terraform apply -replace` and a tainted resource push again, and destroying the resource only removes it from the Terraform state. Change `triggers` to push again. " +
			"Refreshing reads the delivery statistics; when the server no longer has them, the push stays in the state with null statistics. " +
			"With Terraform 1.14 or later, the `workplus_send_push_notification` action pushes without keeping a record in state; see the guide *Sending from pipelines*.",
		Blocks:     map[string]schema.Block{"timeouts": timeouts.Block(ctx, timeoutsOpts(true, false, false))},
		Attributes: attributes,
	}
}

// maxRequestIDLength bounds a user-set request_id; pipeline run ids and
// UUIDs fit well within it.
const maxRequestIDLength = 128

func (r *pushNotificationResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{resourcevalidator.ExactlyOneOf(audienceExpressions()...)}
}

func (r *pushNotificationResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var config pushNotificationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(config.validate()...)
}

func (r *pushNotificationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

// ModifyPlan resolves app_id from the provider when a push is planned, so
// the plan shows the app that will push; afterwards the push keeps it
// (UseStateForUnknown). It also warns when a replacement cannot push because
// its user-set request_id is the one the server has already seen.
func (r *pushNotificationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.provider == nil {
		return
	}
	var plan, config pushNotificationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !req.State.Raw.IsNull() {
		var prior pushNotificationModel
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
		// Every message argument and triggers force replacement, so a change
		// in any of them plans one. Terraform tells the provider nothing
		// about -replace or taint, so those replacements cannot be warned of.
		if !resp.Diagnostics.HasError() && !config.RequestID.IsNull() && config.RequestID.Equal(prior.RequestID) &&
			(!sameValues(plan.pushMessageModel, prior.pushMessageModel) || !plan.Triggers.Equal(prior.Triggers)) {
			resp.Diagnostics.AddAttributeWarning(path.Root("request_id"), "This replacement pushes nothing",
				fmt.Sprintf("The push is planned to be replaced, but its request_id %q is the one the server has already accepted, so the server pushes nothing again and answers the first task's id. "+
					"To push again, change request_id (for example to your pipeline's run id), or remove it so every planned replacement gets a fresh one.", prior.RequestID.ValueString()))
		}
		return
	}
	if config.AppID.IsNull() {
		appID, diags := r.provider.resolveAppID(config.AppID)
		if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
			return
		}
		plan.AppID = types.StringValue(appID)
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// keepEquivalentJSON plans the state's ext when the configuration's is the
// same JSON written differently (key order, spacing). Terraform compares the
// text, so without it a reformatted ext planned a replacement, which pushed
// again (issue #19 §5). It runs before RequiresReplace, which then sees no
// change; Terraform accepts a prior value planned in place of an equivalent
// configured one.
type keepEquivalentJSON struct{}

func (keepEquivalentJSON) Description(context.Context) string {
	return "Keeps the pushed ext when the configuration's is equivalent JSON."
}

func (m keepEquivalentJSON) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keepEquivalentJSON) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	planned := jsontypes.NewNormalizedValue(req.PlanValue.ValueString())
	equal, diags := planned.StringSemanticEquals(ctx, jsontypes.NewNormalizedValue(req.StateValue.ValueString()))
	if diags.HasError() || !equal {
		return // invalid JSON is reported by validation
	}
	resp.PlanValue = req.StateValue
}

// sameValues compares two models field by field; every field is an
// attr.Value.
func sameValues[T any](a, b T) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := range va.NumField() {
		x, xOK := va.Field(i).Interface().(attr.Value)
		y, yOK := vb.Field(i).Interface().(attr.Value)
		if !xOK || !yOK || !x.Equal(y) {
			return false
		}
	}
	return true
}

func (r *pushNotificationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
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
	requestID, userSet, err := setRequestID(&notify, plan.RequestID)
	if err != nil {
		resp.Diagnostics.AddError("Could not make a push request id", err.Error())
		return
	}

	sendCtx, cancel, timeoutDiags := withTimeout(ctx, plan.Timeouts.Create)
	defer cancel()
	if resp.Diagnostics.Append(timeoutDiags...); resp.Diagnostics.HasError() {
		return
	}
	result, err := r.provider.client.Notify(sendCtx, appID, notify)
	if err != nil {
		resp.Diagnostics.AddError(pushFailure(err, requestID, userSet, "on this resource"))
		return
	}
	plan.RequestID = types.StringValue(requestID)
	// The push has gone out: from here on, failures must not lose the task
	// id, so they leave the statistics null until the next refresh.
	plan.pushStatsModel = nullPushStats()
	if !result.HasTaskID() {
		// Accepted, so recorded, never sent again; the statistics can only
		// be read by task id, so they stay null.
		plan.ID, plan.TaskID = types.StringValue(requestID), types.Int64Null()
		resp.Diagnostics.AddWarning("WorkPlus did not name the push's task", pushWithoutTaskDetail(requestID))
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	plan.ID = types.StringValue(strconv.FormatInt(result.TaskID, 10))
	plan.TaskID = types.Int64Value(result.TaskID)
	detail, err := taskDetail(ctx, r.provider.client, appID, result.TaskID)
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

// pushWithoutTaskDetail explains a push accepted without a task id.
func pushWithoutTaskDetail(requestID string) string {
	return fmt.Sprintf("The server accepted the push with request_id %q, but its answer carried no task_id (the Push API documents it as nullable). "+
		"The push went out and is not sent again; its delivery statistics cannot be read without a task id and stay null. "+
		"Find the push in the WorkPlus console by its time and audience.", requestID)
}

// setRequestID sets notify's setting.request_id to configured, when it is
// set, or else to a fresh id; userSet reports which.
func setRequestID(notify *workplus.NotifyRequest, configured types.String) (requestID string, userSet bool, err error) {
	requestID = configured.ValueString()
	userSet = !configured.IsUnknown() && !configured.IsNull()
	if !userSet {
		if requestID, err = newRequestID(); err != nil {
			return "", false, err
		}
	}
	if notify.Setting == nil {
		notify.Setting = &workplus.PushSetting{}
	}
	notify.Setting.RequestID = requestID
	return requestID, userSet, nil
}

// newRequestID is a fresh request id for one planned send: 128 random bits.
func newRequestID() (string, error) {
	var random [16]byte
	if _, err := rand.Read(random[:]); err != nil {
		return "", err
	}
	return "tf-" + hex.EncodeToString(random[:]), nil
}

func nullPushStats() pushStatsModel {
	return pushStatsModel{
		Channels: types.ListNull(channelStatsObjectType), TotalTarget: types.Int64Null(),
		TotalSent: types.Int64Null(), TotalReceived: types.Int64Null(),
	}
}

func (r *pushNotificationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state pushNotificationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || state.TaskID.IsNull() {
		return // a push the server named no task for has no statistics to read
	}
	detail, err := taskDetail(ctx, r.provider.client, state.AppID.ValueString(), state.TaskID.ValueInt64())
	if err != nil {
		resp.Diagnostics.AddError("Could not read the WorkPlus push task", err.Error())
		return
	}
	if detail == nil {
		// The push went out whatever the server remembers: dropping it from
		// the state would plan a create, that is a second push.
		resp.Diagnostics.AddWarning("WorkPlus no longer reports this push's statistics",
			fmt.Sprintf("Push task %d of app %s was sent, but the server no longer reports its delivery statistics. The push stays in the state with null statistics, and nothing is sent again. "+
				"To push it again on purpose, change its triggers or run terraform apply -replace on it.", state.TaskID.ValueInt64(), state.AppID.ValueString()))
		state.pushStatsModel = nullPushStats()
	} else {
		resp.Diagnostics.Append(state.fromTaskDetail(ctx, *detail)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// taskDetail reads one task's statistics; nil means the server does not know it.
func taskDetail(ctx context.Context, client *workplus.Client, appID string, taskID int64) (*workplus.TaskDetail, error) {
	details, err := client.TaskDetails(ctx, appID, []int64{taskID})
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

// Update never sends: every message argument forces replacement, so only
// timeouts change in place, and the task and its statistics are kept.
func (r *pushNotificationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	updateWithoutSending[pushNotificationModel](ctx, req, resp)
}

// Delete forgets the push: it has been delivered and cannot be recalled.
func (r *pushNotificationResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {
}

var badgePattern = regexp.MustCompile(`^\+?[0-9]+$`)
