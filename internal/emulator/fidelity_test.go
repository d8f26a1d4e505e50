package emulator_test

import (
	"strings"
	"testing"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// The rows of the fidelity table in testdata/conformance/README.md that the
// emulator now follows.

func TestUnknownFieldsIgnoredUnlessStrict(t *testing.T) {
	create := "/v1/templates?app_id=" + emulator.DemoAppID
	lenient := start(t, emulator.Options{})
	strict := start(t, emulator.Options{StrictFields: true})

	// category_id is documented (seed 001): accepted in both modes.
	body := `{"title": "t", "category_id": "c-1", "contents": [[{"content": "x", "align": "left"}]]}`
	for name, h := range map[string]*harness{"lenient": lenient, "strict": strict} {
		r, env := h.open("POST", create, body)
		h.okResult(r, env, nil)
		if strings.Contains(string(r.Body), "category_id") {
			t.Errorf("%s: category_id is ignored, not echoed: %s", name, r.Body)
		}
	}

	misspelt := `{"titel": "t", "contents": []}`
	r, env := lenient.open("POST", create, misspelt)
	var tpl workplus.Template
	lenient.okResult(r, env, &tpl)
	if tpl.Title != "" {
		t.Errorf("an unknown field reached the template: %+v", tpl)
	}
	r, env = strict.open("POST", create, misspelt)
	strict.wantOpenError(r, env, 400, 40000, `unknown field "titel"`)

	pr, penv := lenient.push("POST", "/push/notify", `{"audience": "all", "message": {"title": "x", "colour": "red"}}`)
	lenient.okData(pr, penv, nil)
	pr, penv = strict.push("POST", "/push/notify", `{"audience": "all", "message": {"title": "x", "colour": "red"}}`)
	strict.wantPushError(pr, penv, 400, 400, `unknown field "colour"`)
}

func TestAlignIsOptional(t *testing.T) {
	h := start(t, emulator.Options{})
	r, env := h.open("POST", "/v1/templates?app_id="+emulator.DemoAppID, `{"title": "no align", "contents": [[{"content": "{{a.DATA}}"}]]}`)
	var tpl workplus.Template
	h.okResult(r, env, &tpl)
	if tpl.Contents[0][0].Align != "" {
		t.Errorf("align stored as %q, want it as it came", tpl.Contents[0][0].Align)
	}
	card := uiElement(t, h.uiPage(""), `data-key="tpl-`+tpl.ID+`"`)
	uiWant(t, "template without align", card, `<div class="pc-cell align-left">`)
	r, env = h.open("POST", "/v1/templates?app_id="+emulator.DemoAppID, `{"title": "bad", "contents": [[{"content": "x", "align": "middle"}]]}`)
	h.wantOpenError(r, env, 400, 40000, "contents[0][0].align")
}

func TestMessageTypeDefaultIsPlainText(t *testing.T) {
	h := start(t, emulator.Options{})
	r, env := h.open("POST", "/v1/apps/mbox?for_all=true", `{"type": "default", "body": {"content": "plain words"}}`)
	h.okResult(r, env, nil)
	st := h.Emulator.Snapshot()
	if got := st.AppMessages[0].Request.Type; got != "DEFAULT" {
		t.Errorf("type stored as %q", got)
	}
	uiWant(t, "inbox", h.uiPage(""), `data-type="DEFAULT"`, "plain words")
}

func TestForAllRecordedOnlyWhenItApplied(t *testing.T) {
	h := start(t, emulator.Options{})
	h.open("POST", "/v1/apps/mbox?for_all=true", `{"type": "text", "usernames": ["lisi"], "body": {"content": "x"}}`)
	h.open("POST", "/v1/apps/mbox", `{"type": "text", "for_all": true, "body": {"content": "x"}}`)
	msgs := h.Emulator.Snapshot().AppMessages
	if len(msgs) != 2 || msgs[0].ForAll || msgs[0].Plan.Expects != 1 || !msgs[1].ForAll || msgs[1].Plan.Expects != 10 {
		t.Errorf("for_all: %+v", msgs)
	}
}

func TestPushOptionsFollowSeed002(t *testing.T) {
	lenient := start(t, emulator.Options{})
	strict := start(t, emulator.Options{StrictFields: true})
	bad := []struct{ name, message, fragment string }{
		{"badge word", `{"badge": "many"}`, `field message.badge: want a number (set the badge) or +N (add N), got "many"`},
		{"badge minus", `{"badge": "-1"}`, "field message.badge"},
		{"begin in ms", `{"show_begin_time": 1767225600000}`, "field message.show_begin_time: want epoch seconds (int32), got 1767225600000; this looks like milliseconds"},
		{"negative end", `{"show_end_time": -5}`, "field message.show_end_time: want epoch seconds"},
		{"intent without intent", `{"android": {"click_action": "intent"}}`, "field message.android.intent: required when click_action is intent"},
		{"unknown click action", `{"fcm": {"click_action": "launch"}}`, `field message.fcm.click_action: unknown value "launch", allowed: intent, open_app`},
		{"vivo push_mode 2", `{"vivo": {"push_mode": 2}}`, "field message.vivo.push_mode: must be 0 or 1, got 2"},
		{"vivo classification 7", `{"vivo": {"classification": 7}}`, "field message.vivo.classification: must be 0 or 1, got 7"},
	}
	for _, tc := range bad {
		for _, h := range []*harness{lenient, strict} {
			r, env := h.push("POST", "/push/notify", `{"audience": "all", "message": `+tc.message+`}`)
			h.wantPushError(r, env, 400, 400, tc.fragment)
		}
	}

	// Another vendor's fields are unknown there: dropped, or refused when strict.
	foreign := `{"audience": "all", "message": {"xiaomi": {"badge_class": "a.B", "push_mode": 1}, "huawei": {"badge_class": "com.x.Main"}, "vivo": {"push_mode": 1, "classification": 0}}}`
	r, env := strict.push("POST", "/push/notify", foreign)
	strict.wantPushError(r, env, 400, 400, `unknown field "badge_class" in message.xiaomi (only huawei has it)`)
	r, env = lenient.push("POST", "/push/notify", foreign)
	lenient.okData(r, env, nil)
	msg := lenient.Emulator.Snapshot().PushTasks[0].Request.Message
	if msg.Xiaomi.BadgeClass != "" || msg.Xiaomi.PushMode != nil || msg.Huawei.BadgeClass != "com.x.Main" || msg.VIVO.PushMode == nil || *msg.VIVO.PushMode != 1 {
		t.Errorf("stored options: xiaomi %+v, huawei %+v, vivo %+v", msg.Xiaomi, msg.Huawei, msg.VIVO)
	}
	// The badge default is the vendor's "+1"; documented forms pass.
	if msg.Badge != "+1" {
		t.Errorf("badge default %q, want +1", msg.Badge)
	}
	for _, ok := range []string{`{"badge": "5"}`, `{"badge": "+3"}`, `{"show_begin_time": 1767225600, "android": {"click_action": "intent", "intent": "intent:#Intent;end"}}`, `{"fcm": {"click_action": "open_app"}}`} {
		r, env := strict.push("POST", "/push/notify", `{"audience": "all", "message": `+ok+`}`)
		strict.okData(r, env, nil)
	}
}
