package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

var requestIDPattern = regexp.MustCompile(`^tf-[0-9a-f]{32}$`)

// channelChecks describes the expected per-channel counts, in
// workplus.PushChannels order, as {target, sent, received}.
func channelChecks(counts map[string][3]int64) knownvalue.Check {
	checks := make([]knownvalue.Check, 0, len(workplus.PushChannels))
	for _, channel := range workplus.PushChannels {
		c := counts[channel]
		checks = append(checks, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"channel":  knownvalue.StringExact(channel),
			"target":   knownvalue.Int64Exact(c[0]),
			"sent":     knownvalue.Int64Exact(c[1]),
			"received": knownvalue.Int64Exact(c[2]),
		}))
	}
	return knownvalue.ListExact(checks)
}

func totalChecks(target, sent, received int64) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"total_target":   knownvalue.Int64Exact(target),
		"total_sent":     knownvalue.Int64Exact(sent),
		"total_received": knownvalue.Int64Exact(received),
	}
}

// expectPushTasks checks how many pushes the emulator accepted in all.
func (e *testEmulator) expectPushTasks(want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.Emulator.PushTaskCount(); got != want {
			return fmt.Errorf("the emulator has %d push tasks, want %d", got, want)
		}
		return nil
	}
}

// resetEmulator returns the emulator to its seed, which forgets every push
// task: the way a task disappears behind Terraform's back.
func (e *testEmulator) resetEmulator(t *testing.T) {
	t.Helper()
	resp, err := http.Post(e.URL+"/_emulator/reset", "application/json", nil)
	if err != nil {
		t.Fatalf("resetting the emulator: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("resetting the emulator: HTTP %d", resp.StatusCode)
	}
}

func pushConfig(triggers string) string {
	return `
resource "workplus_push_notification" "test" {
  all      = true
  title    = "Release"
  body     = "Version 2 is out"
  triggers = { release = "` + triggers + `" }
}
`
}

func TestAccPushNotificationResource_basic(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	const address = "workplus_push_notification.test"
	sameID := statecheck.CompareValue(compare.ValuesSame())
	newID := statecheck.CompareValue(compare.ValuesDiffer())
	// Every device of the default seed: the seven online ones through
	// mxpush, the others through their vendor, which sends only with a
	// production credential (not meizu, vivo or oppo).
	allDevices := channelChecks(map[string][3]int64{
		"mxpush": {7, 7, 7}, "apns": {1, 1, 1}, "fcm": {1, 1, 1}, "huawei": {1, 1, 1},
		"xiaomi": {1, 1, 1}, "oppo": {1, 0, 0}, "vivo": {1, 0, 0}, "flyme": {1, 0, 0},
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: e.config(pushConfig("1")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionCreate),
					// Fresh for this send, made when it is applied.
					plancheck.ExpectUnknownValue(address, tfjsonpath.New("request_id")),
					plancheck.ExpectKnownValue(address, tfjsonpath.New("app_id"), knownvalue.StringExact(emulator.DemoAppID)),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttributes(address, map[string]knownvalue.Check{
						"id":         knownvalue.StringExact("1"),
						"task_id":    knownvalue.Int64Exact(1),
						"request_id": knownvalue.StringRegexp(requestIDPattern),
						"type":       knownvalue.StringExact("text"),
						"channels":   allDevices,
					}),
					expectAttributes(address, totalChecks(14, 11, 11)),
					sameID.AddStateValue(address, tfjsonpath.New("id")),
					newID.AddStateValue(address, tfjsonpath.New("id")),
				},
				Check: e.expectPushTasks(1),
			},
			{
				// Applying again sends nothing.
				Config: e.config(pushConfig("1")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(address, tfjsonpath.New("id")),
				},
				Check: e.expectPushTasks(1),
			},
			{
				Config:   e.config(pushConfig("1")),
				PlanOnly: true,
			},
			{
				// New triggers push once more, through replacement.
				Config: e.config(pushConfig("2")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					newID.AddStateValue(address, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("task_id"), knownvalue.Int64Exact(2)),
				},
				Check: e.expectPushTasks(2),
			},
			{
				// Going back to the first triggers is a planned replacement
				// like any other, so it pushes.
				Config: e.config(pushConfig("1")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("task_id"), knownvalue.Int64Exact(3)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectPushTasks(3),
					e.expectRouteCalls("POST /push/notify", 3, "one request per planned create or replacement"),
				),
			},
		},
	})
}

func TestAccPushNotificationResource_message(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	const address = "workplus_push_notification.test"
	begin, _ := time.Parse(time.RFC3339, "2030-01-02T08:00:00Z")
	end, _ := time.Parse(time.RFC3339, "2030-01-03T08:00:00+08:00")
	config := e.config(`
resource "workplus_push_notification" "test" {
  tags            = ["beijing"]
  type            = "image"
  title           = "Sale"
  body            = "Today only"
  attachment_url  = "https://cdn.example.com/banner.PNG?v=2"
  big_text        = "Today only: everything half price"
  badge           = "+2"
  ext             = jsonencode({ order = 123, kind = "sale", nested = { ok = true } })
  show_begin_time = "2030-01-02T08:00:00Z"
  show_end_time   = "2030-01-03T08:00:00+08:00"

  ios = {
    sound             = "chime.caf"
    content_available = true
    mutable_content   = false
    category          = "SALE"
    thread_id         = "sales"
    subtitle          = "Today"
    apns_collapse_id  = "sale-1"
  }
  android = {
    sound        = "chime"
    channel_id   = "sales"
    click_action = "intent"
    intent       = "intent:#Intent;component=com.example/.Sale;end"
  }
  huawei = { badge_class = "com.example.MainActivity" }
  xiaomi = { channel_id = "mi-sales" }
  oppo   = { click_action = "open_app" }
  vivo = {
    push_mode      = 1
    classification = 0
  }
  flyme = { sound = "flyme" }
  fcm   = { channel_id = "fcm-sales" }

  distribution_strategy = "ospush_only"
  ospush_sequence       = ["huawei", "xiaomi", "fcm"]
}
`)
	yes, no, mode, class := true, false, int64(1), int64(0)
	beginSeconds, endSeconds := begin.Unix(), end.Unix()
	want := workplus.NotifyRequest{
		Audience: workplus.Audience{Tags: []string{"beijing"}},
		Setting:  &workplus.PushSetting{DistributionStrategy: "ospush_only", OspushSequence: []string{"huawei", "xiaomi", "fcm"}},
		Message: workplus.PushMessage{
			Type: "image", Title: "Sale", Body: "Today only", AttachmentURL: "https://cdn.example.com/banner.PNG?v=2",
			BigText: "Today only: everything half price", Badge: "+2",
			Ext:           map[string]any{"order": json.Number("123"), "kind": "sale", "nested": map[string]any{"ok": true}},
			ShowBeginTime: &beginSeconds, ShowEndTime: &endSeconds,
			IOS:     &workplus.IOSOptions{Sound: "chime.caf", ContentAvailable: &yes, MutableContent: &no, Category: "SALE", ThreadID: "sales", Subtitle: "Today", APNsCollapseID: "sale-1"},
			Android: &workplus.AndroidOptions{Sound: "chime", ChannelID: "sales", ClickAction: "intent", Intent: "intent:#Intent;component=com.example/.Sale;end"},
			Huawei:  &workplus.AndroidOptions{BadgeClass: "com.example.MainActivity"},
			Xiaomi:  &workplus.AndroidOptions{ChannelID: "mi-sales"},
			OPPO:    &workplus.AndroidOptions{ClickAction: "open_app"},
			VIVO:    &workplus.AndroidOptions{PushMode: &mode, Classification: &class},
			Flyme:   &workplus.AndroidOptions{Sound: "flyme"},
			FCM:     &workplus.AndroidOptions{ChannelID: "fcm-sales"},
		},
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					// Beijing has seven devices; ospush_only through huawei,
					// xiaomi and fcm leaves meizu, vivo and oppo unreachable,
					// and APNs is the only way to an iPhone.
					statecheck.ExpectKnownValue(address, tfjsonpath.New("channels"), channelChecks(map[string][3]int64{
						"apns": {1, 1, 1}, "huawei": {1, 1, 1}, "xiaomi": {1, 1, 1}, "fcm": {1, 1, 1},
					})),
					expectAttributes(address, totalChecks(4, 4, 4)),
				},
				Check: func(*terraform.State) error {
					tasks := e.Emulator.Snapshot().PushTasks
					if len(tasks) != 1 {
						return fmt.Errorf("%d push tasks, want 1", len(tasks))
					}
					got, err := e.sentPush(tasks[0].Request.Setting.RequestID)
					if err != nil {
						return err
					}
					if !requestIDPattern.MatchString(got.Setting.RequestID) {
						return fmt.Errorf("request_id %q is not a fresh tf- id", got.Setting.RequestID)
					}
					want.Setting.RequestID = got.Setting.RequestID
					return equalJSON(want, got)
				},
			},
			{
				Config:   config,
				PlanOnly: true,
			},
		},
	})
}

func TestAccPushNotificationResource_audiences(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.config(`
resource "workplus_push_notification" "user_ids" {
  user_ids = [1001]
  body     = "Hello"
}
resource "workplus_push_notification" "aliases" {
  aliases = ["bob"]
  body    = "Hello"
}
resource "workplus_push_notification" "push_tokens" {
  push_tokens = ["vivo-zhouba", "oppo-lisi"]
  type        = "cmd"
  ext         = jsonencode({ refresh = true })
}
resource "workplus_push_notification" "mxpush_only" {
  tags                  = ["shanghai"]
  body                  = "Hello"
  distribution_strategy = "mxpush_only"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				// User 1001 has an online iPhone and an offline OPPO without a
				// production credential.
				expectAttributes("workplus_push_notification.user_ids", totalChecks(2, 1, 1)),
				// bob: an offline Xiaomi and an online FCM device.
				expectAttributes("workplus_push_notification.aliases", totalChecks(2, 2, 2)),
				// An offline VIVO without credential and an online OPPO.
				expectAttributes("workplus_push_notification.push_tokens", totalChecks(2, 1, 1)),
				statecheck.ExpectKnownValue("workplus_push_notification.push_tokens", tfjsonpath.New("type"), knownvalue.StringExact("cmd")),
				// Shanghai's seven devices all through mxpush; three are online.
				statecheck.ExpectKnownValue("workplus_push_notification.mxpush_only", tfjsonpath.New("channels"), channelChecks(map[string][3]int64{"mxpush": {7, 7, 3}})),
			},
			Check: e.expectPushTasks(4),
		}},
	})
}

func TestAccPushNotificationResource_validation(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	many := make([]string, workplus.MaxAudienceEntries+1)
	for i := range many {
		many[i] = fmt.Sprint(i + 1)
	}
	step := func(body, pattern string) resource.TestStep {
		return resource.TestStep{
			Config:      e.config("resource \"workplus_push_notification\" \"test\" {\n" + body + "\n}\n"),
			PlanOnly:    true,
			ExpectError: errorPattern(pattern),
		}
	}
	exactlyOne := `Exactly one of these attributes must be configured:\s*\[all,tags,aliases,user_ids,push_tokens\]`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			step(`body = "no audience"`, exactlyOne),
			step("all = true\ntags = [\"beijing\"]", exactlyOne),
			step(`all = false`, `all = false selects no devices`),
			step(`tags = []`, `Attribute tags list must contain at least 1 elements and at most 500`),
			step(`user_ids = [`+strings.Join(many, ",")+`]`, `Attribute user_ids list must contain at least 1 elements and at most 500`),
			step("all = true\ntype = \"video\"", `Attribute type value must be one of`),
			step("all = true\ntype = \"image\"", `Missing attachment_url.*type = "image" needs attachment_url`),
			step("all = true\ntype = \"image\"\nattachment_url = \"https://example.com/a.gif\"", `type = "image": attachment_url.*must end in .jpg, .jpeg or .png`),
			step("all = true\next = \"[1, 2]\"", `ext must be a JSON object`),
			step("all = true\next = \"{oops\"", `Invalid JSON String Value`),
			step("all = true\nshow_begin_time = \"tomorrow\"", `show_begin_time "tomorrow" is not an RFC 3339 time`),
			step("all = true\nshow_begin_time = \"2030-01-02T00:00:00Z\"\nshow_end_time = \"2030-01-01T00:00:00Z\"", `show_end_time .* must be after show_begin_time`),
			step("all = true\nhuawei = { click_action = \"intent\" }", `huawei.click_action = "intent" needs huawei.intent`),
			step("all = true\nvivo = { push_mode = 2 }", `Attribute vivo.push_mode value must be one of`),
			step("all = true\nospush_sequence = [\"apns\"]", `Attribute ospush_sequence\[0\] value must be one of`),
			step("all = true\ndistribution_strategy = \"fastest\"", `Attribute distribution_strategy value must be one of`),
			step("all = true\nbadge = \"lots\"", `Attribute badge must be a whole number, or \+ followed by one`),
		},
	})
}

// TestAccPushNotificationResource_retryPushesOnce drops the connection after
// the emulator accepted the first push: the client retries with the same
// request id, and the server answers with the first task instead of pushing
// again.
func TestAccPushNotificationResource_retryPushesOnce(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: []emulator.FaultRule{{Route: "POST /push/notify", Drop: emulator.DropAfter, Count: 1}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.config(pushConfig("1")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("workplus_push_notification.test", tfjsonpath.New("task_id"), knownvalue.Int64Exact(1)),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				e.expectPushTasks(1),
				e.expectRouteCalls("POST /push/notify", 2, "the dropped one and its retry"),
			),
		}},
	})
}

// TestAccPushNotificationResource_acceptedWithoutTaskID: the server accepts
// the push but its answer names no task (the Push API documents task_id as
// nullable). The push is kept in the state under its request id with a null
// task id and null statistics, never sent again, and refreshes read nothing
// for it. On the old code the state claimed task 0, and every refresh asked
// the server for task 0's statistics.
func TestAccPushNotificationResource_acceptedWithoutTaskID(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{Faults: []emulator.FaultRule{{Route: "POST /push/notify", NullData: true, Count: 1}}})
	const address = "workplus_push_notification.test"
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: e.config(pushConfig("1")),
				ConfigStateChecks: []statecheck.StateCheck{
					expectAttributes(address, map[string]knownvalue.Check{
						"task_id":        knownvalue.Null(),
						"total_target":   knownvalue.Null(),
						"total_received": knownvalue.Null(),
						"channels":       knownvalue.Null(),
					}),
					statecheck.CompareValuePairs(address, tfjsonpath.New("id"), address, tfjsonpath.New("request_id"), compare.ValuesSame()),
					sameID.AddStateValue(address, tfjsonpath.New("id")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectPushTasks(1),
					e.expectRouteCalls("POST /push/task/detail", 0, "a push without a task id has no statistics to read"),
				),
			},
			{
				Config:           e.config(pushConfig("1")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(address, tfjsonpath.New("id")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectPushTasks(1),
					e.expectRouteCalls("POST /push/notify", 1, "the push is not sent again"),
					e.expectRouteCalls("POST /push/task/detail", 0, "refreshing reads nothing for it"),
				),
			},
		},
	})
}

// TestAccPushNotificationResource_samePushTwice declares the same push twice:
// two planned creates, so two pushes, each with its own request id.
func TestAccPushNotificationResource_samePushTwice(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.config(`
resource "workplus_push_notification" "a" {
  aliases = ["alice"]
  body    = "Hi"
}
resource "workplus_push_notification" "b" {
  aliases = ["alice"]
  body    = "Hi"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.CompareValuePairs("workplus_push_notification.a", tfjsonpath.New("task_id"), "workplus_push_notification.b", tfjsonpath.New("task_id"), compare.ValuesDiffer()),
				statecheck.CompareValuePairs("workplus_push_notification.a", tfjsonpath.New("request_id"), "workplus_push_notification.b", tfjsonpath.New("request_id"), compare.ValuesDiffer()),
			},
			Check: e.expectPushTasks(2),
		}},
	})
}

// TestAccPushNotificationResource_statisticsGone makes the server forget the
// push task behind Terraform's back: refresh keeps the push in the state with
// null statistics and a warning, and nothing plans a create, so nothing is
// sent again. On the old code Read dropped the push, and the next plan showed
// a create.
func TestAccPushNotificationResource_statisticsGone(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	const address = "workplus_push_notification.test"
	sameTask := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: e.config(pushConfig("1")),
				ConfigStateChecks: []statecheck.StateCheck{
					sameTask.AddStateValue(address, tfjsonpath.New("task_id")),
				},
				Check: func(*terraform.State) error {
					e.resetEmulator(t)
					e.Emulator.ResetRequestLog()
					return nil
				},
			},
			{
				Config: e.config(pushConfig("1")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameTask.AddStateValue(address, tfjsonpath.New("task_id")),
					expectAttributes(address, map[string]knownvalue.Check{
						"channels":       knownvalue.Null(),
						"total_target":   knownvalue.Null(),
						"total_sent":     knownvalue.Null(),
						"total_received": knownvalue.Null(),
					}),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectPushTasks(0),
					e.expectRouteCalls("POST /push/notify", 0, "a push whose statistics are gone is not sent again"),
				),
			},
			{
				Config:             e.config(pushConfig("1")),
				PlanOnly:           true,
				ExpectNonEmptyPlan: false,
			},
		},
	})
}

// TestAccPushNotificationResource_replacementsPush covers every way of
// planning a replacement: each pushes exactly once, and plans without one push
// nothing. On the old code the request id was derived from the arguments, so
// a tainted push, and triggers set back to an earlier value, reused an id the
// server had seen: the plan said "replace" and nothing was pushed.
func TestAccPushNotificationResource_replacementsPush(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	const address = "workplus_push_notification.test"
	newRequest := statecheck.CompareValue(compare.ValuesDiffer())
	pushes := func(n int, why string) resource.TestCheckFunc {
		return resource.ComposeAggregateTestCheckFunc(
			e.expectPushTasks(n),
			e.expectRouteCalls("POST /push/notify", n, why),
		)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:            e.config(pushConfig("1")),
				ConfigStateChecks: []statecheck.StateCheck{newRequest.AddStateValue(address, tfjsonpath.New("request_id"))},
				Check:             pushes(1, "the create"),
			},
			{
				Config: e.config(pushConfig("1")),
				Taint:  []string{address},
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{newRequest.AddStateValue(address, tfjsonpath.New("request_id"))},
				Check:             pushes(2, "the create and the tainted push's replacement"),
			},
			{
				Config:            e.config(pushConfig("2")),
				ConfigStateChecks: []statecheck.StateCheck{newRequest.AddStateValue(address, tfjsonpath.New("request_id"))},
				Check:             pushes(3, "new triggers"),
			},
			{
				Config:            e.config(pushConfig("1")),
				ConfigStateChecks: []statecheck.StateCheck{newRequest.AddStateValue(address, tfjsonpath.New("request_id"))},
				Check:             pushes(4, "triggers set back to an earlier value"),
			},
			{
				Config: e.config(pushConfig("1")),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				Check: pushes(4, "an empty plan pushes nothing"),
			},
		},
	})
}

// TestAccSendingResources_taintBoth replaces a push and an app message in one
// run: both send once. On the old code the app message was sent again and the
// push was not.
func TestAccSendingResources_taintBoth(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	config := e.config(pushConfig("1") + textMessageConfig("1"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check:  resource.ComposeAggregateTestCheckFunc(e.expectPushTasks(1), e.expectAppMessages(1)),
			},
			{
				Config: config,
				Taint:  []string{"workplus_push_notification.test", appMessageAddr},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectPushTasks(2),
					e.expectAppMessages(2),
					e.expectRouteCalls("POST /push/notify", 2, "one push per planned create or replacement"),
					e.expectRouteCalls("POST /v1/apps/mbox", 2, "one message per planned create or replacement"),
				),
			},
		},
	})
}

// TestAccPushNotificationResource_userRequestID sets request_id: the server
// sees it, a change of it pushes again, and a replacement that keeps it warns
// while planning that it will push nothing.
func TestAccPushNotificationResource_userRequestID(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	const address = "workplus_push_notification.test"
	config := func(requestID, triggers string) string {
		return e.config(fmt.Sprintf(`
resource "workplus_push_notification" "test" {
  all        = true
  body       = "Deployed"
  request_id = %q
  triggers   = { release = %q }
}
`, requestID, triggers))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config("pipeline-run-41", "1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(address, tfjsonpath.New("request_id"), knownvalue.StringExact("pipeline-run-41")),
				}},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectPushTasks(1),
					func(*terraform.State) error {
						if got := e.Emulator.Snapshot().PushTasks[0].Request.Setting.RequestID; got != "pipeline-run-41" {
							return fmt.Errorf("the server saw request_id %q, want pipeline-run-41", got)
						}
						return nil
					},
				),
			},
			{
				// A replacement that keeps the id the server has seen pushes
				// nothing (the plan's warning is checked by
				// TestAccSendingEndToEnd, which reads Terraform's output).
				Config: config("pipeline-run-41", "2"),
				Check:  e.expectPushTasks(1),
			},
			{
				Config: config("pipeline-run-42", "1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(address, plancheck.ResourceActionDestroyBeforeCreate),
				}},
				Check: e.expectPushTasks(2),
			},
		},
	})
}

// TestAccPushNotificationResource_providerAppIDKept changes only the
// provider's app_id: the push keeps the app it was sent from, and nothing is
// replaced or sent. On the old code every inheriting push was replaced.
func TestAccPushNotificationResource_providerAppIDKept(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	const address = "workplus_push_notification.test"
	withAppID := func(appID string) string {
		return fmt.Sprintf(`
provider "workplus" {
  endpoint     = %q
  access_token = %q
  app_id       = %q
}
`, e.URL, emulator.DemoAccessToken, appID) + pushConfig("1")
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: withAppID(emulator.DemoAppID),
				Check:  e.expectPushTasks(1),
			},
			{
				Config: withAppID("another-app"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("app_id"), knownvalue.StringExact(emulator.DemoAppID)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					e.expectPushTasks(1),
					e.expectRouteCalls("POST /push/notify", 1, "a provider app_id change sends nothing"),
				),
			},
		},
	})
}

func TestAccPushNotificationResource_providerAppID(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	noAppID := fmt.Sprintf(`
provider "workplus" {
  endpoint     = %q
  access_token = %q
}
`, e.URL, emulator.DemoAccessToken)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      noAppID + `resource "workplus_push_notification" "test" { all = true }`,
				ExpectError: regexp.MustCompile(`(?s)Missing app_id.*Set app_id here or on the provider`),
			},
			{
				Config: noAppID + `
resource "workplus_push_notification" "test" {
  all    = true
  app_id = "` + emulator.DemoAppID + `"
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("workplus_push_notification.test", tfjsonpath.New("total_target"), knownvalue.Int64Exact(14)),
				},
			},
		},
	})
}

func TestNewRequestID(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		id, err := newRequestID()
		if err != nil {
			t.Fatal(err)
		}
		if !requestIDPattern.MatchString(id) {
			t.Fatalf("request id %q is not tf- and 32 hex digits", id)
		}
		if seen[id] {
			t.Fatalf("request id %q came twice", id)
		}
		seen[id] = true
	}
}

func TestDecodeJSONObject(t *testing.T) {
	got, err := decodeJSONObject(`{"big": 12345678901234567890, "s": "x"}`)
	if err != nil {
		t.Fatal(err)
	}
	if got["big"] != json.Number("12345678901234567890") {
		t.Errorf("big = %#v; numbers must keep every digit", got["big"])
	}
	for _, bad := range []string{`[1]`, `"s"`, `null`, `{`} {
		if _, err := decodeJSONObject(bad); err == nil {
			t.Errorf("decodeJSONObject(%s) accepted a non-object", bad)
		}
	}
}

// errorPattern compiles an ExpectError pattern. Terraform wraps error text,
// so a space in the pattern matches any run of white space.
func errorPattern(pattern string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(pattern, " ", `\s+`))
}

// equalJSON compares two values by their JSON encoding, the form the server
// saw, and shows both when they differ.
func equalJSON(want, got any) error {
	w, err := json.Marshal(want)
	if err != nil {
		return err
	}
	g, err := json.Marshal(got)
	if err != nil {
		return err
	}
	var wv, gv any
	if err := json.Unmarshal(w, &wv); err != nil {
		return err
	}
	if err := json.Unmarshal(g, &gv); err != nil {
		return err
	}
	if !reflect.DeepEqual(wv, gv) {
		return fmt.Errorf("the server got\n%s\nwant\n%s", g, w)
	}
	return nil
}
