package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// appMessageActionConfig announces a deployment with the seed's leave
// template on create and on every update.
func appMessageActionConfig(name, placeholders string) string {
	return fmt.Sprintf(`
action "workplus_send_app_message" "notice" {
  config {
    template = {
      template_id  = %q
      placeholders = %s
      data         = [{ key = "name", value = %q }, { key = "days", value = "3" }, { key = "kind", value = "年假" }]
    }
    usernames = ["lisi"]
  }
}

resource "terraform_data" "deployment" {
  input = %[3]q
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.workplus_send_app_message.notice]
    }
  }
}
`, leaveTemplateID, placeholders, name)
}

func leaveMessage(name string) workplus.AppMessage {
	return workplus.AppMessage{
		Type:      workplus.MessageTypeTemplate,
		Usernames: []string{"lisi"},
		Platforms: []string{workplus.PlatformAndroid, workplus.PlatformIOS},
		Body: workplus.AppMessageBody{
			TemplateID: leaveTemplateID,
			Data:       []workplus.TemplateData{{Key: "name", Value: name}, {Key: "days", Value: "3"}, {Key: "kind", Value: "年假"}},
		},
	}
}

func TestAccSendAppMessageAction_triggered(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{
			{
				Config: e.config(appMessageActionConfig("张三", leavePlaceholders)),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectAppMessages(1),
					e.expectAppMessage(0, leaveMessage("张三")),
					e.expectRouteCalls("POST /v1/apps/mbox", 1, "after_create invokes the action once"),
				),
			},
			{
				Config: e.config(appMessageActionConfig("张三", leavePlaceholders)),
				Check:  e.expectRouteCalls("POST /v1/apps/mbox", 1, "no change, no invocation"),
			},
			{
				Config: e.config(appMessageActionConfig("李四", leavePlaceholders)),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectAppMessages(2),
					e.expectAppMessage(1, leaveMessage("李四")),
					e.expectRouteCalls("POST /v1/apps/mbox", 2, "after_update invokes the action once"),
				),
			},
		},
	})
}

// TestAccSendAppMessageAction_ambiguous drops the connection after WorkPlus
// accepted the message: it is not sent again, and the error says it may have
// been delivered and how to check.
func TestAccSendAppMessageAction_ambiguous(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: []emulator.FaultRule{{Route: "POST /v1/apps/mbox", Drop: emulator.DropAfter, Count: 1}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{
			{
				Config:      e.config(appMessageActionConfig("张三", leavePlaceholders)),
				ExpectError: errorPattern(`The WorkPlus app message may have been delivered.*invoking the action again sends it again: first check whether it arrived`),
			},
			{
				Config: e.providerConfig(),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectAppMessages(1),
					e.expectRouteCalls("POST /v1/apps/mbox", 1, "an app message is never re-sent after an ambiguous failure"),
				),
			},
		},
	})
}

// TestAccSendAppMessageAction_validation: template data is checked against
// the template's placeholders while planning, as are the recipients, and
// nothing is sent.
func TestAccSendAppMessageAction_validation(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{
			{
				Config:      e.config(appMessageActionConfig("张三", `["days", "kind", "name", "reason"]`)),
				ExpectError: errorPattern(`Missing template data.*placeholder "reason"`),
				PlanOnly:    true,
			},
			{
				Config:      e.config(appMessageActionConfig("张三", `["days", "kind"]`)),
				ExpectError: errorPattern(`template.data\[0\].key "name" is not a placeholder of the template`),
				PlanOnly:    true,
			},
			{
				Config: e.config(`
action "workplus_send_app_message" "bad" {
  config {
    text      = { content = "x" }
    usernames = ["lisi"]
    for_all   = true
  }
}
`),
				ExpectError: errorPattern(`Conflicting recipients`),
				PlanOnly:    true,
			},
			{
				Config: e.providerConfig(),
				Check:  e.expectRouteCalls("POST /v1/apps/mbox", 0, "invalid configurations send nothing"),
			},
		},
	})
}

// TestPushPlanSummary_documentedShape: against a server that answers as seed
// 000 shows (expects, oks and fails 0 beside resolved client_ids), the
// action's progress message still counts the recipients. It read expects
// before, and said "0 recipients" for a message sent to two.
func TestPushPlanSummary_documentedShape(t *testing.T) {
	t.Parallel()
	for _, documented := range []bool{false, true} {
		e := newTestEmulator(t, emulator.Options{DocumentedShape: documented})
		sent, err := e.client.SendAppMessage(t.Context(), "", workplus.AppMessage{
			Type:      workplus.MessageTypeText,
			Body:      workplus.AppMessageBody{Content: "payments-api 2.4.0 is live"},
			ClientIDs: []string{zhangsanClientID, aliceClientID},
		})
		if err != nil {
			t.Fatalf("documented shape %v: sending: %v", documented, err)
		}
		delivered := 2
		if e.documentedShape {
			delivered = 0 // what seed 000's answer shows, passed on as the server said it
		}
		want := fmt.Sprintf("Push plan %s: 2 recipients, %d delivered, 0 failed", sent.ID, delivered)
		if got := pushPlanSummary(sent); got != want {
			t.Errorf("documented shape %v: progress %q, want %q", documented, got, want)
		}
	}
}

// TestAccSendAppMessageAction_gatewayFailureAfterDelivery: WorkPlus delivers and
// a gateway answers 503. The action is not sent again and says the message may
// have been delivered; on the old code it said "Could not send the WorkPlus app
// message".
func TestAccSendAppMessageAction_gatewayFailureAfterDelivery(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: []emulator.FaultRule{{Route: "POST /v1/apps/mbox", Status: 503, AfterProcessing: true, Count: 1}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{
			{
				Config:      e.config(appMessageActionConfig("张三", leavePlaceholders)),
				ExpectError: errorPattern(`The WorkPlus app message may have been delivered.*A gateway answered HTTP 503.*not sent again.*invoking the action again sends it again: first check whether it arrived`),
			},
			{
				Config: e.providerConfig(),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectAppMessages(1),
					e.expectRouteCalls("POST /v1/apps/mbox", 1, "a send without a request id is not resent after a gateway error"),
				),
			},
		},
	})
}
