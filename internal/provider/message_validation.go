package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// audienceExpressions and bodyExpressions are the exactly-one-of groups of
// the two message kinds, for the resources' and the actions' validators.
func audienceExpressions() []path.Expression { return rootExpressions(audienceAttributes) }

func bodyExpressions() []path.Expression { return rootExpressions(messageBodies) }

func rootExpressions(names []string) []path.Expression {
	expressions := make([]path.Expression, 0, len(names))
	for _, name := range names {
		expressions = append(expressions, path.MatchRoot(name))
	}
	return expressions
}

// validate checks the rules of a push that span attributes. Unknown values
// are skipped: they are checked again once known.
func (m pushMessageModel) validate() diag.Diagnostics {
	var diags diag.Diagnostics
	if !m.All.IsNull() && !m.All.IsUnknown() && !m.All.ValueBool() {
		diags.AddAttributeError(path.Root("all"), "Invalid audience",
			"all = false selects no devices: set all = true to push to every device, or use one of tags, aliases, user_ids or push_tokens instead.")
	}
	if m.Type.ValueString() == workplus.PushTypeImage {
		switch {
		case m.AttachmentURL.IsUnknown():
		case m.AttachmentURL.IsNull():
			diags.AddAttributeError(path.Root("attachment_url"), "Missing attachment_url",
				`type = "image" needs attachment_url: the URL of a .jpg, .jpeg or .png image.`)
		default:
			if err := checkImageURL(m.AttachmentURL.ValueString()); err != nil {
				diags.AddAttributeError(path.Root("attachment_url"), "Invalid image URL", fmt.Sprintf(`type = "image": attachment_url %v.`, err))
			}
		}
	}
	if !m.Ext.IsNull() && !m.Ext.IsUnknown() {
		if _, err := decodeJSONObject(m.Ext.ValueString()); err != nil {
			diags.AddAttributeError(path.Root("ext"), "Invalid ext", fmt.Sprintf("ext %v.", err))
		}
	}
	begin, beginErr := parseOptionalTime(m.ShowBeginTime)
	end, endErr := parseOptionalTime(m.ShowEndTime)
	if beginErr == nil && endErr == nil && begin != nil && end != nil && !end.After(*begin) {
		diags.AddAttributeError(path.Root("show_end_time"), "Invalid show_end_time",
			fmt.Sprintf("show_end_time (%s) must be after show_begin_time (%s).", m.ShowEndTime.ValueString(), m.ShowBeginTime.ValueString()))
	}
	for name, block := range m.androidObjects() {
		if block.IsNull() || block.IsUnknown() {
			continue
		}
		action, _ := block.Attributes()["click_action"].(types.String)
		intent, _ := block.Attributes()["intent"].(types.String)
		if action.ValueString() == clickActionIntent && intent.IsNull() {
			diags.AddAttributeError(path.Root(name).AtName("intent"), "Missing intent",
				fmt.Sprintf(`%s.click_action = "intent" needs %s.intent: the page to open.`, name, name))
		}
	}
	return diags
}

// validateRecipients checks the recipients of an app message, a rule that
// spans attributes: the vendor silently ignores for_all next to a list, and
// sends to nobody with neither.
func (m appMessageContentModel) validateRecipients() diag.Diagnostics {
	var diags diag.Diagnostics
	lists := []types.List{m.ClientIDs, m.Usernames, m.Scopes}
	anyList := slices.ContainsFunc(lists, func(l types.List) bool { return !l.IsNull() })
	switch {
	case m.ForAll.IsUnknown():
	case anyList && m.ForAll.ValueBool():
		diags.AddAttributeError(path.Root("for_all"), "Conflicting recipients",
			"for_all = true sends to everybody and only works when client_ids, usernames and scopes are all unset; WorkPlus ignores it next to them. Remove for_all or the lists.")
	case !anyList && !m.ForAll.ValueBool():
		diags.AddAttributeError(path.Root("client_ids"), "Missing recipients",
			"Set at least one of client_ids, usernames and scopes, or for_all = true to send to everybody.")
	}
	return diags
}

// checkTemplatePlaceholders checks a template message's data against the
// template's placeholders, when both are known.
func (m appMessageContentModel) checkTemplatePlaceholders(ctx context.Context) diag.Diagnostics {
	var diags diag.Diagnostics
	if m.Template.IsNull() || m.Template.IsUnknown() {
		return diags
	}
	var body templateBodyModel
	diags.Append(m.Template.As(ctx, &body, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
	if diags.HasError() || !isFullyKnown(ctx, body.Placeholders) || body.Placeholders.IsNull() || body.Data.IsUnknown() {
		return diags
	}
	var placeholders []string
	var data []templateDataModel
	diags.Append(body.Placeholders.ElementsAs(ctx, &placeholders, false)...)
	diags.Append(body.Data.ElementsAs(ctx, &data, false)...)
	if diags.HasError() {
		return diags
	}
	return checkTemplateData(placeholders, data)
}

// firstRecipientPath is the recipients attribute an error about recipients
// points at: the first one set.
func (m appMessageContentModel) firstRecipientPath() path.Path {
	for i, l := range []types.List{m.ClientIDs, m.Usernames, m.Scopes} {
		if !l.IsNull() {
			return path.Root(recipientAttributes[i])
		}
	}
	return path.Root("for_all")
}
