package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// TestSendingResourcesKeepResults: every computed-only attribute of a sending
// resource (what the send produced) keeps its state value in an in-place
// update. On the old code the push's total_target, total_sent,
// total_received and channels did not, and an update failed with four
// "invalid result object after apply" errors (issue #19 §1).
func TestSendingResourcesKeepResults(t *testing.T) {
	for _, r := range []resource.Resource{NewPushNotificationResource(), NewAppMessageResource()} {
		var resp resource.SchemaResponse
		r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
		var results []string
		for name, attribute := range resp.Schema.Attributes {
			if !attribute.IsComputed() || attribute.IsOptional() {
				continue
			}
			results = append(results, name)
			if !keepsState(attribute) {
				t.Errorf("%T %s is computed by the send but is not kept in an in-place update", r, name)
			}
		}
		if len(results) < 5 {
			t.Errorf("%T has only %d computed results (%v): the check looks at the wrong schema", r, len(results), results)
		}
	}
}

func keepsState(attribute schema.Attribute) bool {
	var modifiers []any
	switch a := attribute.(type) {
	case schema.StringAttribute:
		modifiers = anySlice(a.PlanModifiers)
	case schema.Int64Attribute:
		modifiers = anySlice(a.PlanModifiers)
	case schema.ListAttribute:
		modifiers = anySlice(a.PlanModifiers)
	case schema.ListNestedAttribute:
		modifiers = anySlice(a.PlanModifiers)
	}
	return slices.ContainsFunc(modifiers, func(m any) bool {
		return strings.Contains(fmt.Sprintf("%T", m), "useStateForUnknownModifier")
	})
}

func anySlice[T any](values []T) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// unchanged returns, for each step, checks that the named attributes of
// address hold the value they held in every earlier step that checked them.
func unchanged(address string, names ...string) func() []statecheck.StateCheck {
	trackers := map[string]interface {
		AddStateValue(string, tfjsonpath.Path) statecheck.StateCheck
	}{}
	for _, name := range names {
		trackers[name] = statecheck.CompareValue(compare.ValuesSame())
	}
	return func() []statecheck.StateCheck {
		checks := make([]statecheck.StateCheck, 0, len(names))
		for _, name := range names {
			checks = append(checks, trackers[name].AddStateValue(address, tfjsonpath.New(name)))
		}
		return checks
	}
}

// TestAccPushNotificationResource_inPlaceChangesSendNothing changes, one step
// at a time, every argument of a push that can change without a send: the
// timeouts block (added, changed, removed), ext reformatted as equivalent
// JSON, type and app_id written out as the values they defaulted to, and a
// user-set request_id removed. None pushes again or changes the task and its
// statistics. On the old code the step that adds timeouts planned
// total_sent = 11 -> (known after apply) and its apply failed with four
// "Provider returned invalid result object after apply" errors (total_sent,
// total_target, total_received, channels).
func TestAccPushNotificationResource_inPlaceChangesSendNothing(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	const address = "workplus_push_notification.test"
	config := func(extra string) string {
		return e.config(`
resource "workplus_push_notification" "test" {
  all        = true
  title      = "Release"
  body       = "Version 2 is out"
  request_id = "run-1"
` + extra + `
}
`)
	}
	const ext = `ext = jsonencode({ order = 123, kind = "shipped", tags = ["a", "b"] })`
	same := unchanged(address, "id", "task_id", "request_id", "app_id", "type", "total_target", "total_sent", "total_received", "channels")
	noSend := tfresource.ComposeAggregateTestCheckFunc(
		e.expectPushTasks(1),
		e.expectRouteCalls("POST /push/notify", 1, "a change that sends nothing does not push"),
	)
	step := func(extra string, action plancheck.ResourceActionType) tfresource.TestStep {
		planChecks := []plancheck.PlanCheck{plancheck.ExpectResourceAction(address, action)}
		if action == plancheck.ResourceActionUpdate {
			// The plan shows the statistics it keeps, not "(known after apply)".
			planChecks = append(planChecks,
				plancheck.ExpectKnownValue(address, tfjsonpath.New("total_sent"), knownvalue.Int64Exact(11)),
				plancheck.ExpectKnownValue(address, tfjsonpath.New("task_id"), knownvalue.Int64Exact(1)))
		}
		return tfresource.TestStep{
			Config:            config(extra),
			ConfigPlanChecks:  tfresource.ConfigPlanChecks{PreApply: planChecks},
			ConfigStateChecks: same(),
			Check:             noSend,
		}
	}
	first := step(ext, plancheck.ResourceActionCreate)
	first.ConfigStateChecks = append(first.ConfigStateChecks, expectAttributes(address, totalChecks(14, 11, 11)))
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			first,
			step(ext+"\n  timeouts {\n    create = \"5m\"\n  }", plancheck.ResourceActionUpdate),
			step(ext+"\n  timeouts {\n    create = \"10m\"\n  }", plancheck.ResourceActionUpdate),
			step(ext, plancheck.ResourceActionUpdate),
			// Equivalent JSON, written differently: the push keeps the text
			// it was sent with. On the old code this planned a replacement,
			// that is a second push.
			step(`ext = "{\"tags\": [\"a\", \"b\"],\n \"kind\": \"shipped\", \"order\": 123}"`, plancheck.ResourceActionNoop),
			step(ext+"\n  type = \"text\"\n  app_id = \""+emulator.DemoAppID+"\"", plancheck.ResourceActionNoop),
			step(ext, plancheck.ResourceActionNoop),
			// Without request_id the push keeps the one it was sent with.
			{
				Config: strings.Replace(config(ext), `request_id = "run-1"`, "", 1),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: append(same(), statecheck.ExpectKnownValue(address, tfjsonpath.New("request_id"), knownvalue.StringExact("run-1"))),
				Check:             noSend,
			},
		},
	})
}

// TestAccAppMessageResource_inPlaceChangesSendNothing does the same for an app
// message: timeouts added, changed and removed, template.placeholders changed,
// and platforms written out as its default. None sends again or changes the
// message's ids and counters.
func TestAccAppMessageResource_inPlaceChangesSendNothing(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	config := func(placeholders, extra string) string {
		return e.config(`
resource "workplus_app_message" "test" {
  template = {
    template_id  = "` + leaveTemplateID + `"
    placeholders = ` + placeholders + `
    data         = ` + leaveTemplateData + `
  }
  client_ids = ["` + zhangsanClientID + `"]
` + extra + `
}
`)
	}
	same := unchanged(appMessageAddr, "id", "material_id", "expects", "oks", "fails", "recipients", "platforms")
	step := func(placeholders, extra string, action plancheck.ResourceActionType) tfresource.TestStep {
		planChecks := []plancheck.PlanCheck{plancheck.ExpectResourceAction(appMessageAddr, action)}
		if action == plancheck.ResourceActionUpdate {
			planChecks = append(planChecks, plancheck.ExpectKnownValue(appMessageAddr, tfjsonpath.New("material_id"), knownvalue.NotNull()))
		}
		return tfresource.TestStep{
			Config:            config(placeholders, extra),
			ConfigPlanChecks:  tfresource.ConfigPlanChecks{PreApply: planChecks},
			ConfigStateChecks: same(),
			Check: tfresource.ComposeAggregateTestCheckFunc(
				e.expectAppMessages(1),
				e.expectRouteCalls("POST /v1/apps/mbox", 1, "a change that sends nothing does not send"),
			),
		}
	}
	const timeouts5m, timeouts10m = "timeouts {\n create = \"5m\"\n }", "timeouts {\n create = \"10m\"\n }"
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			step(leavePlaceholders, "", plancheck.ResourceActionCreate),
			step(leavePlaceholders, timeouts5m, plancheck.ResourceActionUpdate),
			step(leavePlaceholders, timeouts10m, plancheck.ResourceActionUpdate),
			step(leavePlaceholders, "", plancheck.ResourceActionUpdate),
			step(`["days", "kind", "name", "approver"]`, "", plancheck.ResourceActionUpdate),
			step(`["days", "kind", "name", "approver"]`, `platforms = ["IOS", "ANDROID"]`, plancheck.ResourceActionNoop),
		},
	})
}
