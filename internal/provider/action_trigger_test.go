package provider

import (
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// Terraform 1.16 lets an action_trigger say what a failed action does
// (on_failure), adds the before_destroy and after_destroy events, and takes
// -target with -invoke. The 1.16 build here reports 1.16.0-dev, which orders
// below 1.16.0, so the check names it.
var terraform116Checks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(version.Must(version.NewVersion("1.16.0-dev")))}

// refusedPush is a server that refuses every push definitively.
var refusedPush = []emulator.FaultRule{{Route: "POST /push/notify", Status: 400, Message: "refused"}}

// pushTitles are the titles of the pushes the emulator accepted, in order.
func (e *testEmulator) pushTitles() []string {
	var titles []string
	for _, task := range e.Emulator.Snapshot().PushTasks {
		titles = append(titles, task.Request.Message.Title)
	}
	return titles
}

func (e *testEmulator) expectPushTitles(want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.pushTitles(); !slices.Equal(got, want) {
			return fmt.Errorf("the emulator accepted pushes titled %q, want %q", got, want)
		}
		return nil
	}
}

// triggeredPushConfig is a deployment whose creation pushes through the
// action, with the trigger's on_failure set to onFailure.
func triggeredPushConfig(onFailure string) string {
	return `
action "workplus_send_push_notification" "deployed" {
  config {
    tags  = ["beijing"]
    title = "payments-api deployed"
    body  = "Deployed to production"
  }
}

resource "terraform_data" "deployment" {
  input = "2.4.0"
  lifecycle {
    action_trigger {
      events     = [after_create]
      actions    = [action.workplus_send_push_notification.deployed]
      on_failure = ` + onFailure + `
    }
  }
}
`
}

var sendFailed = regexp.MustCompile(`Could not send the WorkPlus push notification`)

// TestAccActionTrigger_onFailureHalt: a refused push is an error, so the
// default on_failure stops the apply; the deployment was created, and the
// next plan is empty: nothing sends again by itself.
func TestAccActionTrigger_onFailureHalt(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: refusedPush})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   terraform116Checks,
		Steps: []resource.TestStep{
			{Config: e.config(triggeredPushConfig("halt")), ExpectError: sendFailed},
			{
				PreConfig: func() { e.Emulator.SetFaults(nil) },
				Config:    e.config(triggeredPushConfig("halt")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("terraform_data.deployment", plancheck.ResourceActionNoop),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectPushTitles(),
					e.expectRouteCalls("POST /push/notify", 1, "the refused push, and nothing after it"),
				),
			},
		},
	})
}

// TestAccActionTrigger_onFailureContinue: on_failure = continue turns the
// refused push into a warning; the apply succeeds, having sent nothing.
func TestAccActionTrigger_onFailureContinue(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: refusedPush})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   terraform116Checks,
		Steps: []resource.TestStep{{
			Config: e.config(triggeredPushConfig("continue")),
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("terraform_data.deployment", "input", "2.4.0"),
				e.expectPushTitles(),
				e.expectRouteCalls("POST /push/notify", 1, "one refused push"),
			),
		}},
	})
}

// TestAccActionTrigger_onFailureTaint: on_failure = taint fails the apply and
// taints the deployment, so the next apply replaces it and, through its
// after_create trigger, pushes again: what the sending guide warns about.
func TestAccActionTrigger_onFailureTaint(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: refusedPush})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   terraform116Checks,
		Steps: []resource.TestStep{
			{Config: e.config(triggeredPushConfig("taint")), ExpectError: sendFailed},
			{
				PreConfig: func() { e.Emulator.SetFaults(nil) },
				Config:    e.config(triggeredPushConfig("taint")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("terraform_data.deployment", plancheck.ResourceActionReplace),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectPushTitles("payments-api deployed"),
					e.expectRouteCalls("POST /push/notify", 2, "the refused push, then the replacement's"),
				),
			},
		},
	})
}

// TestAccActionTrigger_destroyEvents: before_destroy and after_destroy each
// push once, in that order, when the deployment is destroyed, and creating
// it pushes nothing.
func TestAccActionTrigger_destroyEvents(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	config := e.config(`
action "workplus_send_push_notification" "removing" {
  config {
    tags  = ["beijing"]
    title = "payments-api is being removed"
    body  = "Draining"
  }
}

action "workplus_send_push_notification" "removed" {
  config {
    tags  = ["beijing"]
    title = "payments-api removed"
    body  = "Gone"
  }
}

resource "terraform_data" "deployment" {
  input = "2.4.0"
  lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.workplus_send_push_notification.removing]
    }
    action_trigger {
      events  = [after_destroy]
      actions = [action.workplus_send_push_notification.removed]
    }
  }
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		TerraformVersionChecks:   terraform116Checks,
		Steps:                    []resource.TestStep{{Config: config, Check: e.expectPushTitles()}},
		CheckDestroy:             e.expectPushTitles("payments-api is being removed", "payments-api removed"),
	})
}

// TestAccActionTrigger_invokeWithTarget: two deployments trigger one action,
// which names its caller. `-invoke` alone pushes for both; with `-target` it
// pushes for the targeted one only.
func TestAccActionTrigger_invokeWithTarget(t *testing.T) {
	cli := newTerraformCLI(t, "1.16.0-dev")
	e := newTestEmulator(t, emulator.Options{})
	cli.useEmulator(e)
	cli.write("main.tf", cliTerraformBlock+`
action "workplus_send_push_notification" "deployed" {
  config {
    tags  = ["beijing"]
    title = "${caller.input} deployed"
    body  = "Deployed to production"
  }
}

resource "terraform_data" "payments" {
  input = "payments-api"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.workplus_send_push_notification.deployed]
    }
  }
}

resource "terraform_data" "billing" {
  input = "billing-api"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.workplus_send_push_notification.deployed]
    }
  }
}
`)
	cli.mustRun("init", "-input=false", "-no-color")
	cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	created := e.pushTitles()
	slices.Sort(created)
	if want := []string{"billing-api deployed", "payments-api deployed"}; !slices.Equal(created, want) {
		t.Fatalf("creating both pushed %q, want %q", created, want)
	}
	cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color",
		"-invoke=action.workplus_send_push_notification.deployed", "-target=terraform_data.billing")
	if got := e.pushTitles()[2:]; !slices.Equal(got, []string{"billing-api deployed"}) {
		t.Errorf("-invoke with -target=terraform_data.billing pushed %q, want billing's only", got)
	}
	cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color", "-invoke=action.workplus_send_push_notification.deployed")
	again := e.pushTitles()[3:]
	slices.Sort(again)
	if want := []string{"billing-api deployed", "payments-api deployed"}; !slices.Equal(again, want) {
		t.Errorf("-invoke alone pushed %q, want one push per caller %q", again, want)
	}
}
