package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// gatewayStatuses are the answers a proxy gives when the backend's answer
// did not reach it: the backend may have acted.
var gatewayStatuses = []int{502, 503, 504}

// TestAccAppMessageResource_gatewayFailureAfterDelivery: WorkPlus delivers the
// message and a gateway answers 502, 503 or 504. The error says the message
// may have been delivered, was not sent again and how to check, and the
// client made one request only. On the old code the error said "Could not
// send the WorkPlus app message", which invites applying again: a duplicate.
func TestAccAppMessageResource_gatewayFailureAfterDelivery(t *testing.T) {
	for _, status := range gatewayStatuses {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			e := newTestEmulator(t, emulator.Options{Faults: []emulator.FaultRule{
				{Route: "POST /v1/apps/mbox", Status: status, AfterProcessing: true, Count: 1},
			}})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						Config:      e.config(textMessageConfig("1")),
						ExpectError: errorPattern(fmt.Sprintf(`The WorkPlus app message may have been delivered.*A gateway answered HTTP %d, which does not say whether WorkPlus behind it delivered the message, so it may or may not have been delivered, and it was not sent again.*applying again sends it again: first check whether it arrived.*/_emulator/ui/`, status)),
					},
					{
						// The user finds it delivered and removes the resource;
						// nothing was or is sent a second time.
						Config: e.providerConfig(),
						Check: resource.ComposeAggregateTestCheckFunc(
							e.expectAppMessages(1),
							e.expectRouteCalls("POST /v1/apps/mbox", 1, "a send without a request id is not resent after a gateway error"),
						),
					},
				},
			})
		})
	}
}

// lazyString is a configuration variable read when its step runs, so a
// step can use what an earlier one printed (as a user following an error's
// advice would).
type lazyString struct{ value *string }

func (v lazyString) MarshalJSON() ([]byte, error) { return json.Marshal(*v.value) }

// TestAccPushNotificationResource_gatewayFailureAfterPush: WorkPlus pushes and
// a gateway keeps answering 502. The client retries with the same request id
// (the server pushes nothing for it again), then the error says the push may
// have been sent and prints the request_id to set. The next apply, with that
// request_id set as the error says, records the push and pushes nothing.
// On the old code the error said "Could not send the WorkPlus push
// notification" and the way to retry safely was hedged with "if the
// connection failed rather than the server refusing it", which a 502 reads as.
func TestAccPushNotificationResource_gatewayFailureAfterPush(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: []emulator.FaultRule{
		{Route: "POST /push/notify", Status: 502, AfterProcessing: true},
	}})
	const address = "workplus_push_notification.test"
	provider := fmt.Sprintf(`
provider "workplus" {
  endpoint     = %q
  access_token = %q
  app_id       = %q
  max_retries  = 1
}
`, e.URL, emulator.DemoAccessToken, emulator.DemoAppID)
	push := func(requestID string) string {
		return provider + `
variable "request_id" {
  type    = string
  default = null
}
resource "workplus_push_notification" "test" {
  all        = true
  title      = "Release"
  body       = "Version 2 is out"
  request_id = ` + requestID + `
}
`
	}
	var printed string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      push("null"),
				ExpectError: errorPattern(`The WorkPlus push notification may have been sent.*HTTP 502.*A gateway answered HTTP 502, which does not say whether WorkPlus behind it pushed: the push may have gone out, and it was not sent again with another id. Set request_id = "tf-[0-9a-f]{32}" on this resource before trying again`),
			},
			{
				PreConfig: func() {
					if got := e.Emulator.PushTaskCount(); got != 1 {
						t.Errorf("after the gateway errors the emulator has %d push tasks, want 1", got)
					}
					if got := e.Emulator.RouteCounts()["POST /push/notify"]; got != 2 {
						t.Errorf("POST /push/notify was called %d times, want 2 (the send and its one retry, with the same request id)", got)
					}
					requests := e.Emulator.FindRequests(emulator.RequestFilter{Route: "POST /push/notify"})
					var sent struct {
						Setting struct {
							RequestID string `json:"request_id"`
						} `json:"setting"`
					}
					if len(requests) == 0 || json.Unmarshal(requests[0].Body, &sent) != nil {
						t.Fatalf("the journal has no readable POST /push/notify")
					}
					printed = sent.Setting.RequestID
					e.Emulator.SetFaults(nil)
				},
				Config:          push("var.request_id"),
				ConfigVariables: config.Variables{"request_id": lazyString{&printed}},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("task_id"), knownvalue.Int64Exact(1)),
				},
				Check: e.expectPushTasks(1),
			},
		},
	})
}

// TestGatewayFailure: only a gateway status answered to the send itself means
// "may have been delivered"; the same status from the token endpoint, before
// anything was sent, or WorkPlus's own refusal does not.
func TestGatewayFailure(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&workplus.APIError{Method: "POST", Endpoint: appMessageEndpoint, HTTPStatus: 502}, true},
		{fmt.Errorf("wrapped: %w", &workplus.APIError{Method: "POST", Endpoint: appMessageEndpoint, HTTPStatus: 504}), true},
		{&workplus.APIError{Method: "POST", Endpoint: appMessageEndpoint, HTTPStatus: 503, Code: 50300, HasCode: true}, true},
		{&workplus.APIError{Method: "POST", Endpoint: "/v1/token", HTTPStatus: 502}, false},
		{&workplus.APIError{Method: "POST", Endpoint: appMessageEndpoint, HTTPStatus: 500}, false},
		{&workplus.APIError{Method: "POST", Endpoint: appMessageEndpoint, HTTPStatus: 400, Code: 202012, HasCode: true}, false},
		{errors.New("dial tcp: connection refused"), false},
	} {
		if got := isGatewayFailure(c.err, appMessageEndpoint); got != c.want {
			t.Errorf("isGatewayFailure(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}
