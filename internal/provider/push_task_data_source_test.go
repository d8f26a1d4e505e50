package provider

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

func TestAccPushTasksDataSource_basic(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	const data = "data.workplus_push_tasks.test"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.config(`
resource "workplus_push_notification" "vip" {
  tags = ["vip"]
  body = "Hello"
}
resource "workplus_push_notification" "all" {
  all  = true
  body = "Hello"
}
data "workplus_push_tasks" "test" {
  task_ids = [workplus_push_notification.all.task_id, workplus_push_notification.vip.task_id]
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(data, tfjsonpath.New("app_id"), knownvalue.StringExact(emulator.DemoAppID)),
				statecheck.ExpectKnownValue(data, tfjsonpath.New("tasks"), knownvalue.ListSizeExact(2)),
				// In the order asked for, with the statistics the resources keep.
				statecheck.CompareValuePairs(data, tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("task_id"),
					"workplus_push_notification.all", tfjsonpath.New("task_id"), compare.ValuesSame()),
				statecheck.CompareValuePairs(data, tfjsonpath.New("tasks").AtSliceIndex(0).AtMapKey("channels"),
					"workplus_push_notification.all", tfjsonpath.New("channels"), compare.ValuesSame()),
				statecheck.CompareValuePairs(data, tfjsonpath.New("tasks").AtSliceIndex(1).AtMapKey("task_id"),
					"workplus_push_notification.vip", tfjsonpath.New("task_id"), compare.ValuesSame()),
				statecheck.ExpectKnownValue(data, tfjsonpath.New("tasks").AtSliceIndex(0), knownvalue.ObjectPartial(totalChecks(14, 11, 11))),
				// The one VIP device is online: mxpush delivers.
				statecheck.ExpectKnownValue(data, tfjsonpath.New("tasks").AtSliceIndex(1), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"channels":       channelChecks(map[string][3]int64{"mxpush": {1, 1, 1}}),
					"total_target":   knownvalue.Int64Exact(1),
					"total_sent":     knownvalue.Int64Exact(1),
					"total_received": knownvalue.Int64Exact(1),
				})),
			},
		}},
	})
}

func TestAccPushTasksDataSource_unknownTask(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      e.config(`data "workplus_push_tasks" "test" { task_ids = [424242] }`),
				ExpectError: regexp.MustCompile(`(?s)Push task not found.*task_ids\[0\].*has no push task\s+424242`),
			},
			{
				Config:      e.config(`data "workplus_push_tasks" "test" { task_ids = [] }`),
				ExpectError: regexp.MustCompile(`Attribute task_ids list must contain at least 1 elements`),
			},
		},
	})
}

// TestAccPushTaskDataSource_deprecatedName: configurations written for 0.1.0
// keep working under the old name, which says it is deprecated.
func TestAccPushTaskDataSource_deprecatedName(t *testing.T) {
	var schemaResp datasource.SchemaResponse
	NewPushTaskDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &schemaResp)
	if !strings.Contains(schemaResp.Schema.DeprecationMessage, "workplus_push_tasks") {
		t.Errorf("workplus_push_task's deprecation message %q does not name workplus_push_tasks", schemaResp.Schema.DeprecationMessage)
	}
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.config(`
resource "workplus_push_notification" "all" {
  all  = true
  body = "Hello"
}
data "workplus_push_task" "old" {
  task_ids = [workplus_push_notification.all.task_id]
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.workplus_push_task.old", tfjsonpath.New("tasks").AtSliceIndex(0), knownvalue.ObjectPartial(totalChecks(14, 11, 11))),
			},
		}},
	})
}
