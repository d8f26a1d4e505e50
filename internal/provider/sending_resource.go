package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/objectplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
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
func keepSendResults(attributes map[string]schema.Attribute) {
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
			panic(fmt.Sprintf("sending resource: no way to keep the computed %s (%T)", name, attribute))
		}
	}
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

// gatewayFailure reports an HTTP 502, 503 or 504 answered to the send at
// endpoint (not, say, to the token request before it), and its status. Gateways
// and load balancers answer these when the backend's answer did not reach
// them, whether or not the backend acted, so for a send they mean "may have
// been delivered", not "refused". The client does not resend a send without
// a request id after them (retryPolicy), so one was made at most.
func gatewayFailure(err error, endpoint string) (int, bool) {
	var apiErr *workplus.APIError
	if !errors.As(err, &apiErr) || apiErr.Endpoint != endpoint {
		return 0, false
	}
	switch apiErr.HTTPStatus {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return apiErr.HTTPStatus, true
	}
	return 0, false
}

func isGatewayFailure(err error, endpoint string) bool {
	_, ok := gatewayFailure(err, endpoint)
	return ok
}

// The send endpoints, as workplus.APIError names them.
const (
	appMessageEndpoint = "/v1/apps/mbox"
	pushEndpoint       = "/push/notify"
)
