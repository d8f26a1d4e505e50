package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// Actions need Terraform 1.14. plugin-testing has no action step, so the
// tests trigger the actions from a terraform_data's lifecycle, as
// terraform-provider-aws's publish_action_test.go does, and check on the
// emulator what was sent and how often.
var actionVersionChecks = []tfversion.TerraformVersionCheck{skipOnOpenTofu(openTofuNoActions), tfversion.SkipBelow(tfversion.Version1_14_0)}

// pushActionConfig is a deployment whose creation and every update push a
// notice through the action.
func pushActionConfig(version, extra string) string {
	return fmt.Sprintf(`
action "workplus_send_push_notification" "deployed" {
  config {
    tags  = ["beijing"]
    title = "payments-api %[1]s"
    body  = "Deployed to production"
    ext   = jsonencode({ version = %[1]q })
%[2]s
  }
}

resource "terraform_data" "deployment" {
  input = %[1]q
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.workplus_send_push_notification.deployed]
    }
  }
}
`, version, extra)
}

// expectPushRequests checks every push the emulator accepted against the
// titles wanted, in order, and that each carried its own fresh request id.
func (e *testEmulator) expectPushRequests(titles ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		tasks := e.Emulator.Snapshot().PushTasks
		if len(tasks) != len(titles) {
			return fmt.Errorf("the emulator has %d push tasks, want %d", len(tasks), len(titles))
		}
		seen := map[string]bool{}
		for i, task := range tasks {
			request, err := e.sentPush(task.Request.Setting.RequestID)
			if err != nil {
				return fmt.Errorf("push %d: %w", i, err)
			}
			want := workplus.NotifyRequest{
				Audience: workplus.Audience{Tags: []string{"beijing"}},
				Message: workplus.PushMessage{
					Type: "text", Title: titles[i], Body: "Deployed to production",
					Ext: map[string]any{"version": strings.TrimPrefix(titles[i], "payments-api ")},
				},
				Setting: &workplus.PushSetting{RequestID: request.Setting.RequestID},
			}
			if err := equalJSON(want, request); err != nil {
				return fmt.Errorf("push %d: %w", i, err)
			}
			if !requestIDPattern.MatchString(request.Setting.RequestID) || seen[request.Setting.RequestID] {
				return fmt.Errorf("push %d: request_id %q is not a fresh id", i, request.Setting.RequestID)
			}
			seen[request.Setting.RequestID] = true
		}
		return nil
	}
}

func TestAccSendPushNotificationAction_triggered(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{
			{
				Config: e.config(pushActionConfig("2.4.0", "")),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectPushRequests("payments-api 2.4.0"),
					e.expectRouteCalls("POST /push/notify", 1, "after_create invokes the action once"),
				),
			},
			{
				// Nothing changed: nothing is triggered.
				Config: e.config(pushActionConfig("2.4.0", "")),
				Check:  e.expectRouteCalls("POST /push/notify", 1, "no change, no invocation"),
			},
			{
				Config: e.config(pushActionConfig("2.5.0", `    wait_for_statistics = "10s"`)),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectPushRequests("payments-api 2.4.0", "payments-api 2.5.0"),
					e.expectRouteCalls("POST /push/notify", 2, "after_update invokes the action once"),
					e.expectRouteCalls("POST /push/task/detail", 2, "one read per invocation: the emulator's statistics are settled at once"),
				),
			},
		},
	})
}

// TestAccSendPushNotificationAction_droppedAfterProcessing drops the
// connection after the server accepted the push: the retry carries the same
// request id, so the server keeps one task, not two.
func TestAccSendPushNotificationAction_droppedAfterProcessing(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: []emulator.FaultRule{{Route: "POST /push/notify", Drop: emulator.DropAfter, Count: 1}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{{
			Config: e.config(pushActionConfig("2.4.0", "")),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.expectPushRequests("payments-api 2.4.0"),
				e.expectRouteCalls("POST /push/notify", 2, "the dropped request and its retry"),
				func(*terraform.State) error {
					records := e.Emulator.Requests()
					var ids []string
					for _, r := range records {
						if r.Route == "POST /push/notify" {
							ids = append(ids, r.Fault)
						}
					}
					if len(ids) != 2 || ids[0] != "drop after" || ids[1] != "" {
						return fmt.Errorf("faults of the two sends: %q, want the first dropped after processing", ids)
					}
					return nil
				},
			),
		}},
	})
}

// TestAccSendPushNotificationAction_acceptedWithoutTaskID: an answer that
// names no task is a push that went out; the action succeeds with a warning
// and does not wait for statistics it cannot read. On the old code it waited
// for the statistics of task 0.
func TestAccSendPushNotificationAction_acceptedWithoutTaskID(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: []emulator.FaultRule{{Route: "POST /push/notify", NullData: true, Count: 1}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{{
			Config: e.config(pushActionConfig("2.4.0", `    wait_for_statistics = "10s"`)),
			Check: resource.ComposeAggregateTestCheckFunc(
				e.expectPushRequests("payments-api 2.4.0"),
				e.expectRouteCalls("POST /push/notify", 1, "one push"),
				e.expectRouteCalls("POST /push/task/detail", 0, "no task id, so no statistics to wait for"),
			),
		}},
	})
}

// TestAccSendPushNotificationAction_userRequestID: a request id from the
// pipeline makes a repeated invocation push nothing more.
func TestAccSendPushNotificationAction_userRequestID(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	withRequestID := `    request_id = "pipeline-run-7"`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{
			{
				Config: e.config(pushActionConfig("2.4.0", withRequestID)),
				Check:  e.expectPushTasks(1),
			},
			{
				// The deployment changes within the same pipeline run: the
				// action is invoked again and the server de-duplicates it.
				Config: e.config(pushActionConfig("2.4.1", withRequestID)),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectPushTasks(1),
					e.expectRouteCalls("POST /push/notify", 2, "invoked twice"),
					func(*terraform.State) error {
						if got := e.Emulator.Snapshot().PushTasks[0].Request.Setting.RequestID; got != "pipeline-run-7" {
							return fmt.Errorf("request_id %q, want pipeline-run-7", got)
						}
						return nil
					},
				),
			},
		},
	})
}

// TestAccSendPushNotificationAction_validation: the resource's plan-time
// checks hold for the action, and nothing is sent.
func TestAccSendPushNotificationAction_validation(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	step := func(config, pattern string) resource.TestStep {
		return resource.TestStep{
			Config: e.config(fmt.Sprintf(`
action "workplus_send_push_notification" "bad" {
  config {
%s
  }
}
resource "terraform_data" "trigger" {
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.workplus_send_push_notification.bad]
    }
  }
}
`, config)),
			ExpectError: errorPattern(pattern),
		}
	}
	tooMany := make([]string, workplus.MaxAudienceEntries+1)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf("%q", fmt.Sprintf("device-%d", i))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{
			step(`body = "x"`, `(?s)Exactly one of these attributes must be configured:.*\[all,tags,aliases,user_ids,push_tokens\]`),
			step(`push_tokens = [`+strings.Join(tooMany, ", ")+`]`, `Attribute push_tokens list must contain at least 1 elements and at most 500`),
			step("all = true\ntype = \"image\"", `type = "image" needs attachment_url`),
			step("all = true\nwait_for_statistics = \"soon\"", `wait_for_statistics "soon" is not a positive Go duration`),
			{
				Config: e.providerConfig(),
				Check:  e.expectRouteCalls("POST /push/notify", 0, "invalid configurations send nothing"),
			},
		},
	})
}

// TestAccSendPushNotificationAction_gatewayFailureAfterPush: WorkPlus pushes and
// a gateway keeps answering 502. The retry carries the same request id, so one
// push in all, and the error says the push may have been sent and which
// request_id to set in the action; on the old code it said "Could not send".
func TestAccSendPushNotificationAction_gatewayFailureAfterPush(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: []emulator.FaultRule{{Route: "POST /push/notify", Status: 502, AfterProcessing: true}}})
	provider := fmt.Sprintf(`
provider "workplus" {
  endpoint     = %q
  access_token = %q
  app_id       = %q
  max_retries  = 1
}
`, e.URL, emulator.DemoAccessToken, emulator.DemoAppID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   actionVersionChecks,
		Steps: []resource.TestStep{
			{
				Config:      provider + pushActionConfig("v1", ""),
				ExpectError: errorPattern(`The WorkPlus push notification may have been sent.*A gateway answered HTTP 502.*Set request_id = "tf-[0-9a-f]{32}" in this action's configuration before trying again`),
			},
			{
				Config: e.providerConfig(),
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectPushTasks(1),
					e.expectRouteCalls("POST /push/notify", 2, "the send and its one retry, with the same request id"),
				),
			},
		},
	})
}
