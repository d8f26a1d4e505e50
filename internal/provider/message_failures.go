package provider

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// sendFailure explains why an app message was not sent, or may have been.
// WorkPlus app messages carry no request id, so after an ambiguous failure
// (a lost answer, or a gateway's 502, 503 or 504, which a backend that
// delivered can be behind) nothing is sent again: the user finds out first. retry says what would
// send again ("applying again", "invoking the action again").
func (m appMessageContentModel) sendFailure(err error, msg workplus.AppMessage, retry string) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case workplus.IsNoSuchEmployee(err):
		diags.AddAttributeError(m.firstRecipientPath(), "Unknown recipients",
			fmt.Sprintf("WorkPlus knows no employee for one or more of the recipients in client_ids, usernames or scopes, and sent nothing. Check them against the organization. (%v)", err))
	case workplus.IsAmbiguous(err), isGatewayFailure(err, appMessageEndpoint):
		what := "The connection failed after the message was sent"
		if status, ok := gatewayFailure(err, appMessageEndpoint); ok {
			what = fmt.Sprintf("A gateway answered HTTP %d, which does not say whether WorkPlus behind it delivered the message", status)
		}
		diags.AddError("The WorkPlus app message may have been delivered",
			fmt.Sprintf("%s, so it may or may not have been delivered, and it was not sent again. "+
				"WorkPlus app messages carry no request id, so %s sends it again: first check whether it arrived, by asking a recipient or in the app's message records in the WorkPlus admin console "+
				"(against the emulator: its inbox at /_emulator/ui/ or GET /_emulator/state). (%v)", what, retry, err))
	case workplus.IsNotFound(err) && msg.Type == workplus.MessageTypeTemplate:
		diags.AddAttributeError(path.Root("template").AtName("template_id"), "Template not found",
			fmt.Sprintf("WorkPlus has no template %q; nothing was sent. (%v)", msg.Body.TemplateID, err))
	default:
		diags.AddError("Could not send the WorkPlus app message", err.Error())
	}
	return diags
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

// pushFailure explains a failed send and how to retry it safely, as a
// diagnostic's summary and detail. The client has already retried with the
// same request id; whether a push whose answer was lost went out cannot be
// known, so the way to retry without risking a second push is to send that
// same id again. A gateway's 502, 503 or 504 is such a lost answer, not a
// refusal: the server behind it may have pushed.
func pushFailure(err error, requestID string, userSet bool, where string) (summary, detail string) {
	summary = "Could not send the WorkPlus push notification"
	advice := "If the server may have accepted it (the connection failed rather than the server refusing it), set"
	if status, ok := gatewayFailure(err, pushEndpoint); ok {
		summary = "The WorkPlus push notification may have been sent"
		advice = fmt.Sprintf("A gateway answered HTTP %d, which does not say whether WorkPlus behind it pushed: the push may have gone out, and it was not sent again with another id. Set", status)
	}
	if workplus.IsRefused(err) {
		// The server judged the push and refused it: nothing went out, and the
		// same push would be refused again, whatever its request_id.
		return summary, fmt.Sprintf("%v\n\nWorkPlus refused the push, so nothing was pushed. Correct what the message names, then try again.", err)
	}
	if userSet {
		return summary, fmt.Sprintf("%v\n\nTrying again is safe: the push carries request_id %q, and the server pushes nothing for an id it has already accepted.", err, requestID)
	}
	return summary, fmt.Sprintf("%v\n\nThe push carried request_id %q. %s request_id = %q %s before trying again: the server pushes nothing for an id it has already accepted. "+
		"Trying again without it sends with a fresh id, which pushes again.", err, requestID, advice, requestID, where)
}
