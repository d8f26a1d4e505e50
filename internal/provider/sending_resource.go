package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The sending resources (workplus_app_message, workplus_push_notification)
// follow terraform_data: what was sent cannot be changed or recalled, so every
// argument that shapes the message forces a new resource, which sends anew.
var (
	replaceString = []planmodifier.String{stringplanmodifier.RequiresReplace()}
	replaceList   = []planmodifier.List{listplanmodifier.RequiresReplace()}
	replaceObject = []planmodifier.Object{objectplanmodifier.RequiresReplace()}
)

// triggersAttribute is the map whose change sends again, as terraform_data's
// triggers_replace does.
func triggersAttribute(description string) schema.MapAttribute {
	return schema.MapAttribute{
		MarkdownDescription: description,
		ElementType:         types.StringType,
		Optional:            true,
		PlanModifiers:       []planmodifier.Map{mapplanmodifier.RequiresReplace()},
	}
}

// keepSendResults makes every computed-only attribute of a sending resource
// (what the send produced: ids, counters, push statistics) keep its state
// value in an in-place update. An update sends nothing, so nothing it
// produces is unknown; without this, the framework plans such attributes as
// unknown and the plan copied into state by updateWithoutSending is invalid
// (issue #19 §1). Read still refreshes them, before the plan.
func keepSendResults(attributes map[string]schema.Attribute) error {
	for name, attribute := range attributes {
		if !attribute.IsComputed() || attribute.IsOptional() || attribute.IsRequired() {
			continue
		}
		switch a := attribute.(type) {
		case schema.StringAttribute:
			a.PlanModifiers = append(a.PlanModifiers, stringplanmodifier.UseStateForUnknown())
			attributes[name] = a
		case schema.Int64Attribute:
			a.PlanModifiers = append(a.PlanModifiers, int64planmodifier.UseStateForUnknown())
			attributes[name] = a
		case schema.ListAttribute:
			a.PlanModifiers = append(a.PlanModifiers, listplanmodifier.UseStateForUnknown())
			attributes[name] = a
		case schema.ListNestedAttribute:
			a.PlanModifiers = append(a.PlanModifiers, listplanmodifier.UseStateForUnknown())
			attributes[name] = a
		default:
			// A new kind of result must be kept too, or its updates fail.
			return fmt.Errorf("no way to keep the computed %s (%T) through an update", name, attribute)
		}
	}
	return nil
}

// updateWithoutSending is the Update of both sending resources. Only
// arguments that send nothing (timeouts, template.placeholders) can change
// in place, and every result of the send is planned as its state value
// (keepSendResults), so the plan is the new state and nothing is sent.
func updateWithoutSending[M any](ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// The send endpoints, as workplus.APIError names them.
const (
	appMessageEndpoint = "/v1/apps/mbox"
	pushEndpoint       = "/push/notify"
)
