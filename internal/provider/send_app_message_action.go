package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/actionvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	actionschema "github.com/hashicorp/terraform-plugin-framework/action/schema"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var (
	_ action.ActionWithConfigure        = &sendAppMessageAction{}
	_ action.ActionWithConfigValidators = &sendAppMessageAction{}
	_ action.ActionWithValidateConfig   = &sendAppMessageAction{}
	_ action.ActionWithModifyPlan       = &sendAppMessageAction{}
)

// NewSendAppMessageAction returns the workplus_send_app_message action.
func NewSendAppMessageAction() action.Action {
	return &sendAppMessageAction{}
}

// sendAppMessageAction sends an app message each time it is invoked, from an
// action_trigger or terraform apply -invoke. Nothing is kept in state.
type sendAppMessageAction struct {
	provider *providerData
}

type sendAppMessageModel struct {
	appMessageContentModel
}

func (a *sendAppMessageAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_send_app_message"
}

func (a *sendAppMessageAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = actionschema.Schema{
		MarkdownDescription: "Sends an app message to employees' WorkPlus inboxes each time the action is invoked: from a resource's `lifecycle { action_trigger { … } }` or with `terraform apply -invoke=action.workplus_send_app_message.<name>`. " +
			"It takes the same arguments as the `workplus_app_message` resource, keeps nothing in state and reports the push plan's id and how many recipients it reached. " +
			"WorkPlus app messages carry no request id, so a send whose answer was lost is never repeated: the action fails and says how to check. Needs Terraform 1.14 or later.",
		Attributes: appMessageAttributes(),
	}
}

func (a *sendAppMessageAction) ConfigValidators(context.Context) []action.ConfigValidator {
	return []action.ConfigValidator{actionvalidator.ExactlyOneOf(bodyExpressions()...)}
}

func (a *sendAppMessageAction) ValidateConfig(ctx context.Context, req action.ValidateConfigRequest, resp *action.ValidateConfigResponse) {
	var config sendAppMessageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(config.validateRecipients()...)
}

// ModifyPlan checks a template message's data against the template's
// placeholders while planning, as the resource does.
func (a *sendAppMessageAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	var config sendAppMessageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(config.checkTemplatePlaceholders(ctx)...)
}

func (a *sendAppMessageAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.provider = clientFromProviderData(req.ProviderData, resp.Diagnostics.AddError)
}

func (a *sendAppMessageAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var config sendAppMessageModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	msg, diags := config.toAppMessage(ctx)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Sending a %s app message to %s", msg.Type, recipientSummary(msg))})
	sent, err := a.provider.client.SendAppMessage(ctx, config.sourceTypeOr(a.provider.sourceType), msg)
	if err != nil {
		resp.Diagnostics.Append(config.sendFailure(err, msg, "invoking the action again")...)
		return
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: pushPlanSummary(sent)})
}

// pushPlanSummary reports a push plan. Recipients are counted from
// client_ids, not expects: seed 000's answer shows expects 0 beside a
// resolved recipient, so a server may leave that counter at 0. oks and fails
// are passed on as the server reported them.
func pushPlanSummary(plan *workplus.PushPlan) string {
	return fmt.Sprintf("Push plan %s: %d recipients, %d delivered, %d failed", plan.ID, len(plan.ClientIDs), plan.Oks, plan.Fails)
}

// recipientSummary says whom an app message goes to, for progress messages.
func recipientSummary(msg workplus.AppMessage) string {
	if msg.ForAll != nil && *msg.ForAll {
		return "every employee"
	}
	summary := ""
	for _, part := range []struct {
		count int
		what  string
	}{{len(msg.ClientIDs), "client ids"}, {len(msg.Usernames), "usernames"}, {len(msg.Scopes), "org scopes"}} {
		if part.count == 0 {
			continue
		}
		if summary != "" {
			summary += ", "
		}
		summary += fmt.Sprintf("%d %s", part.count, part.what)
	}
	return summary
}
