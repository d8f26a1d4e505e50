package emulator_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// TestDocumentedShape: with DocumentedShape the template answers carry
// exactly the fields seed 001 shows: list records without tags or type and
// with app_id "DEFAULT"; create, update and get with times of 0.
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
}
