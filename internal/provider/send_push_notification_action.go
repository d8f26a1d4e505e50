package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/actionvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var (
	_ action.ActionWithConfigure        = &sendPushNotificationAction{}
	_ action.ActionWithConfigValidators = &sendPushNotificationAction{}
	_ action.ActionWithValidateConfig   = &sendPushNotificationAction{}
)

// NewSendPushNotificationAction returns the workplus_send_push_notification action.
func NewSendPushNotificationAction() action.Action {
	return &sendPushNotificationAction{}
}

// sendPushNotificationAction pushes a notification each time it is invoked,
// from an action_trigger or terraform apply -invoke. Nothing is kept in state.
type sendPushNotificationAction struct {
	provider *providerData
}

// statisticsPollInterval is how often wait_for_statistics reads the task.
const statisticsPollInterval = time.Second

type sendPushNotificationModel struct {
	AppID     types.String `tfsdk:"app_id"`
	RequestID types.String `tfsdk:"request_id"`
	pushMessageModel
	WaitForStatistics types.String `tfsdk:"wait_for_statistics"`
}

func (a *sendPushNotificationAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_send_push_notification"
}

func (a *sendPushNotificationAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	attributes := pushMessageAttributes()
	attributes["app_id"] = actionschema.StringAttribute{
		MarkdownDescription: "The app that sends the push. Defaults to the provider's `app_id`.",
		Optional:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attributes["request_id"] = actionschema.StringAttribute{
		MarkdownDescription: "The de-duplication id sent as `setting.request_id`: the server pushes nothing for an id it has already accepted. " +
			"Unset, each invocation gets a fresh one (`tf-` and 32 random hex digits), which its retries reuse, so a retried push is never delivered twice but every invocation pushes. " +
			"Set it, for example to your pipeline's run id, to push at most once per run even when the run is repeated.",
		Optional:   true,
		Validators: []validator.String{stringvalidator.LengthBetween(1, maxRequestIDLength)},
	}
	attributes["wait_for_statistics"] = actionschema.StringAttribute{
		MarkdownDescription: "How long to wait, as a Go duration such as `30s` or `2m`, for the delivery statistics after the push is accepted, reporting per-channel targeted, sent and received counts. " +
			"The wait ends early once every notification sent has been received; a warning says when the counts were still changing. Unset: the statistics are read once, right after the push is accepted, and reported as they are.",
		Optional:   true,
		Validators: []validator.String{goDuration{}},
	}
	resp.Schema = actionschema.Schema{
		MarkdownDescription: "Sends a push notification to the devices of an app each time the action is invoked: from a resource's `lifecycle { action_trigger { … } }` or with `terraform apply -invoke=action.workplus_send_push_notification.<name>`. " +
			"It takes the same arguments as the `workplus_push_notification` resource, keeps nothing in state and reports the push task's id, and optionally its delivery statistics, as it runs. Needs Terraform 1.14 or later.",
		Attributes: attributes,
	}
}

func (a *sendPushNotificationAction) ConfigValidators(context.Context) []action.ConfigValidator {
	return []action.ConfigValidator{actionvalidator.ExactlyOneOf(audienceExpressions()...)}
}

func (a *sendPushNotificationAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	var config sendPushNotificationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(config.validate()...)
}

func (a *sendPushNotificationAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

func (a *sendPushNotificationAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var config sendPushNotificationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	appID, diags := a.provider.resolveAppID(config.AppID)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	notify, diags := config.toRequest(ctx)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	requestID, userSet, err := setRequestID(&notify, config.RequestID)
	if err != nil {
		resp.Diagnostics.AddError("Could not make a push request id", err.Error())
		return
	}

	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Pushing %s to %s of app %s (request_id %s)", pushSummary(notify.Message), audienceSummary(notify.Audience), appID, requestID)})
	result, err := a.provider.client.Notify(ctx, appID, notify)
	if err != nil {
		resp.Diagnostics.AddError(pushFailure(err, requestID, userSet, "in this action's configuration"))
		return
	}
	if !result.HasTaskID() {
		resp.Diagnostics.AddWarning("WorkPlus did not name the push's task", pushWithoutTaskDetail(requestID))
		return
	}
	accepted := fmt.Sprintf("Push task %d accepted (request_id %s)", result.TaskID, requestID)
	if userSet {
		// The server answers a repeated request_id with the first task's id
		// and pushes nothing, and its answer does not say which happened.
		accepted = fmt.Sprintf("Push task %d accepted for request_id %s, which the configuration sets: if that request_id was accepted before, "+
			"WorkPlus pushed nothing new and task %d is the earlier push", result.TaskID, requestID, result.TaskID)
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: accepted})

	// Without wait_for_statistics, one read reports how many devices the
	// push targets; the counts may still grow.
	var wait time.Duration
	if !config.WaitForStatistics.IsNull() {
		wait, _ = parseTimeout(config.WaitForStatistics.ValueString()) // validated
	}
	detail, settled := a.waitForStatistics(ctx, appID, result.TaskID, wait, resp)
	if detail != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: deliveryReport(result.TaskID, *detail)})
	}
	switch {
	case wait == 0:
	case detail == nil:
		resp.Diagnostics.AddWarning("No delivery statistics yet",
			fmt.Sprintf("Push task %d was accepted, but the server reported no statistics for it within %s. Read them later with the workplus_push_task data source.", result.TaskID, wait))
	case !settled:
		resp.Diagnostics.AddWarning("Delivery statistics still changing",
			fmt.Sprintf("After %s, push task %d had not yet been received everywhere it was sent; the counts reported are the latest. Read them later with the workplus_push_task data source.", wait, result.TaskID))
	}
}

// waitForStatistics reads the task until every notification sent has been
// received or the wait is over. It returns the latest statistics (nil when
// the server never reported the task) and whether they had settled.
func (a *sendPushNotificationAction) waitForStatistics(ctx context.Context, appID string, taskID int64, wait time.Duration, resp *action.InvokeResponse) (*workplus.TaskDetail, bool) {
	deadline := time.Now().Add(wait)
	var latest *workplus.TaskDetail
	for {
		detail, err := taskDetail(ctx, a.provider.client, appID, taskID)
		switch {
		case err != nil:
			resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Could not read the statistics of push task %d: %v", taskID, err)})
		case detail != nil:
			latest = detail
			if deliverySettled(*detail) {
				return latest, true
			}
		}
		remaining := time.Until(deadline)
		if remaining <= 0 {
			return latest, false
		}
		select {
		case <-ctx.Done():
			return latest, false
		case <-time.After(min(statisticsPollInterval, remaining)):
		}
	}
}

// deliverySettled is true once every channel has received what it sent.
func deliverySettled(detail workplus.TaskDetail) bool {
	for _, c := range detail.Channels() {
		if c.Received < c.Sent {
			return false
		}
	}
	return true
}

// deliveryReport is the per-channel progress line, e.g.
// "Push task 3: mxpush 7/7 received of 7 targeted, apns …".
func deliveryReport(taskID int64, detail workplus.TaskDetail) string {
	var target, sent, received int64
	parts := []string{}
	for _, c := range detail.Channels() {
		target, sent, received = target+c.Target, sent+c.Sent, received+c.Received
		if c.Target == 0 {
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %d targeted, %d sent, %d received", c.Channel, c.Target, c.Sent, c.Received))
	}
	if len(parts) == 0 {
		return fmt.Sprintf("Push task %d delivery: no device matched the audience", taskID)
	}
	return fmt.Sprintf("Push task %d delivery: %d targeted, %d sent, %d received (%s)", taskID, target, sent, received, strings.Join(parts, "; "))
}

// pushSummary names a push for progress messages: its title, else its type.
func pushSummary(msg workplus.PushMessage) string {
	if msg.Title != "" {
		return fmt.Sprintf("%s push %q", msg.Type, msg.Title)
	}
	return msg.Type + " push"
}
