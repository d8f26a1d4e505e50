package emulator_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// TestDocumentedShape: with DocumentedShape the answers carry exactly what
// the seeds show. Templates (seed 001): list records without tags or type
// and with app_id "DEFAULT"; create, update and get with times of 0. The
// Push API (seed 002): the documented fields and message null. The app
// message (seed 000): its example's keys with expects, fails, oks and
// refresh_time 0.
func TestDocumentedShape(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{DocumentedShape: true})
	in := workplus.TemplateInput{Title: "接口模板2", Tags: "标签信息", Sample: "消息示例",
		Contents: [][]workplus.TemplateCell{{{Content: "我是第一行:{{data1.DATA}}", Align: workplus.AlignCenter}}}}

	var created map[string]any
	r, env := h.open("POST", "/v1/templates?app_id="+emulator.DemoAppID, in)
	h.okResult(r, env, &created)
	id := fmt.Sprint(created["id"])
	r, env = h.open("POST", "/v1/templates/"+id+"?app_id="+emulator.DemoAppID, in)
	var updated map[string]any
	h.okResult(r, env, &updated)
	r, env = h.open("GET", "/v1/templates/"+id, nil)
	var got map[string]any
	h.okResult(r, env, &got)
	for name, answer := range map[string]map[string]any{"create": created, "update": updated, "get": got} {
		if answer["create_time"] != 0.0 || answer["refresh_time"] != 0.0 {
			t.Errorf("%s answers create_time %v, refresh_time %v; seed 001 shows 0", name, answer["create_time"], answer["refresh_time"])
		}
		if answer["tags"] != in.Tags || answer["app_id"] != emulator.DemoAppID || answer["type"] != "DEFAULT" {
			t.Errorf("%s answer %v lacks what seed 001 shows", name, answer)
		}
	}

	r, env = h.open("GET", "/v1/templates?kw=接口模板", nil)
	var page struct {
		TotalCount int                          `json:"total_count"`
		Records    []map[string]json.RawMessage `json:"records"`
	}
	h.okResult(r, env, &page)
	if page.TotalCount != 1 || len(page.Records) != 1 {
		t.Fatalf("list = %+v", page)
	}
	var keys []string
	for k := range page.Records[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	// The keys of seed 001's list record, sorted.
	want := []string{"actions", "app_id", "contents", "create_time", "domain_id", "id", "operator", "org_id", "refresh_time", "sample", "title"}
	if !slices.Equal(keys, want) {
		t.Errorf("list record keys %v, want seed 001's %v", keys, want)
	}
	if string(page.Records[0]["app_id"]) != `"DEFAULT"` || string(page.Records[0]["create_time"]) == "0" {
		t.Errorf("list record app_id %s, create_time %s: seed 001 shows \"DEFAULT\" and a real time", page.Records[0]["app_id"], page.Records[0]["create_time"])
	}

	t.Run("push", func(t *testing.T) { documentedPushShapes(h.forTest(t)) })
	t.Run("app message", func(t *testing.T) { documentedAppMessageShape(h.forTest(t)) })
}

// documentedPushShapes checks the Push API's answers against seed 002's
// tables, which list every field of data; success carries message null.
func documentedPushShapes(h *harness) {
	t := h.t
	data := func(r reply) json.RawMessage {
		t.Helper()
		var env map[string]json.RawMessage
		h.decode(r.Body, &env)
		if got := sortedKeys(env); !slices.Equal(got, []string{"code", "data", "message"}) || string(env["code"]) != "200" || string(env["message"]) != "null" {
			t.Fatalf("envelope %s: seed 002 shows code 200, data and message null", r.Body)
		}
		return env["data"]
	}

	r, _ := h.push("GET", "/push/certificate?provider=1", nil)
	var cert map[string]json.RawMessage
	h.decode(data(r), &cert)
	if got, want := sortedKeys(cert), []string{"app_id", "app_key", "app_secret", "certificate", "name"}; !slices.Equal(got, want) {
		t.Errorf("certificate keys %v, want seed 002's %v", got, want)
	}

	r, _ = h.push("POST", "/push/notify", `{"audience":"all","message":{"type":"text","title":"this is push title","body":"this is push body"}}`)
	var notified map[string]json.RawMessage
	h.decode(data(r), &notified)
	if got := sortedKeys(notified); !slices.Equal(got, []string{"task_id"}) {
		t.Fatalf("notify keys %v, want seed 002's [task_id]", got)
	}

	r, _ = h.push("POST", "/push/task/detail", `{"list":[`+string(notified["task_id"])+`]}`)
	var details []map[string]json.RawMessage
	h.decode(data(r), &details)
	if len(details) != 1 {
		t.Fatalf("task detail of task %s: %d records, want 1", notified["task_id"], len(details))
	}
	want := []string{"task_id"}
	for _, channel := range []string{"apns", "fcm", "flyme", "huawei", "mxpush", "oppo", "vivo", "xiaomi"} {
		want = append(want, channel+"_received", channel+"_sent", channel+"_target")
	}
	slices.Sort(want)
	if got := sortedKeys(details[0]); !slices.Equal(got, want) {
		t.Errorf("task detail keys %v, want seed 002's %v", got, want)
	}
	if string(details[0]["task_id"]) != string(notified["task_id"]) {
		t.Errorf("task detail task_id %s, want %s", details[0]["task_id"], notified["task_id"])
	}
}

// documentedAppMessageShape sends seed 000's text example and checks the
// answer against seed 000's answer: the same keys, and expects, fails, oks
// and refresh_time 0 although client_ids names the recipient.
func documentedAppMessageShape(h *harness) {
	t := h.t
	const clientID = "c24b6a94cfb14b79af12a1399edc9e31"
	r, env := h.open("POST", "/v1/apps/mbox", `{"type":"TEXT","body":{"at_all":false,"content":"2"},"client_ids":["`+clientID+`"],"platforms":["ANDROID","IOS","PC"]}`)
	if env.Message != "Everything is ok." {
		t.Errorf("message %q, seed 000 shows \"Everything is ok.\"", env.Message)
	}
	var plan map[string]json.RawMessage
	h.okResult(r, env, &plan)
	want := []string{"app_id", "client_ids", "create_time", "domain_id", "expect_time", "expects", "fails", "id", "material_id", "oks", "org_id", "refresh_time", "scopes"}
	if got := sortedKeys(plan); !slices.Equal(got, want) {
		t.Errorf("app message answer keys %v, want seed 000's %v", got, want)
	}
	for _, zero := range []string{"expects", "fails", "oks", "refresh_time"} {
		if string(plan[zero]) != "0" {
			t.Errorf("%s = %s, seed 000 shows 0", zero, plan[zero])
		}
	}
	for _, set := range []string{"create_time", "expect_time"} {
		if string(plan[set]) == "0" {
			t.Errorf("%s = 0, seed 000 shows a time", set)
		}
	}
	var clientIDs, scopes []string
	h.decode(plan["client_ids"], &clientIDs)
	h.decode(plan["scopes"], &scopes)
	if len(clientIDs) != 1 || !strings.HasSuffix(clientIDs[0], "/"+clientID) || !strings.HasPrefix(clientIDs[0], "/") {
		t.Errorf("client_ids %v, seed 000 shows the recipient as org path and client id", clientIDs)
	}
	if scopes == nil || len(scopes) != 0 {
		t.Errorf("scopes %s, seed 000 shows []", plan["scopes"])
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
