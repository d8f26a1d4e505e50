package emulator_test

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// clock is a settable Options.Now.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (h *harness) createTemplate(title, tags string) workplus.Template {
	h.t.Helper()
	r, env := h.open("POST", "/v1/templates?app_id="+emulator.DemoAppID, workplus.TemplateInput{
		Title: title, Tags: tags,
		Contents: [][]workplus.TemplateCell{{{Content: "{{v.DATA}}", Align: "left"}}},
	})
	var t workplus.Template
	h.okResult(r, env, &t)
	return t
}

func (h *harness) list(query string) workplus.TemplatePage {
	h.t.Helper()
	r, env := h.open("GET", "/v1/templates"+query, nil)
	var page workplus.TemplatePage
	h.okResult(r, env, &page)
	return page
}

func titles(page workplus.TemplatePage) []string {
	out := []string{}
	for _, t := range page.Records {
		out = append(out, t.Title)
	}
	return out
}

func TestPagingAndKeyword(t *testing.T) {
	h := start(t, emulator.Options{MaxPageSize: 7})
	for i := range 12 {
		h.createTemplate(fmt.Sprintf("Page %02d", i), fmt.Sprintf("batch,n%d", i%3))
	}
	// The seed templates, then Page 00 .. Page 11 in creation order.
	total := seededTemplates + 12
	if p := h.list(""); p.TotalCount != total || len(p.Records) != 7 || titles(h.list(fmt.Sprintf("?skip=%d&limit=1", seededTemplates)))[0] != "Page 00" {
		t.Errorf("default page: total %d, titles %v; want %d total, limit capped at 7", p.TotalCount, titles(p), total)
	}
	if p := h.list(fmt.Sprintf("?skip=%d&limit=3", seededTemplates+7)); p.TotalCount != total || !reflect.DeepEqual(titles(p), []string{"Page 07", "Page 08", "Page 09"}) {
		t.Errorf("skip=seeded+7&limit=3: total %d, %v", p.TotalCount, titles(p))
	}
	if p := h.list(fmt.Sprintf("?skip=%d&limit=5", total-1)); len(p.Records) != 1 || p.Records[0].Title != "Page 11" {
		t.Errorf("last page: %v", titles(p))
	}
	if p := h.list("?skip=100"); p.TotalCount != total || len(p.Records) != 0 || p.Records == nil {
		t.Errorf("past the end: total %d, records %v (want [] not null)", p.TotalCount, p.Records)
	}
	if p := h.list("?limit=0"); p.TotalCount != total || len(p.Records) != 0 {
		t.Errorf("limit=0: total %d, %d records", p.TotalCount, len(p.Records))
	}
	h2 := start(t, emulator.Options{})
	if p := h2.list("?limit=1000"); len(p.Records) != seededTemplates {
		t.Errorf("default cap: %d records", len(p.Records))
	}

	// kw: substring, case-insensitive, over title or tags, paged over matches.
	if p := h.list("?kw=page%200"); p.TotalCount != 10 || p.Records[0].Title != "Page 00" {
		t.Errorf("kw=page 0: total %d, %v", p.TotalCount, titles(p))
	}
	if p := h.list("?kw=N1&skip=1&limit=2"); p.TotalCount != 4 || !reflect.DeepEqual(titles(p), []string{"Page 04", "Page 07"}) {
		t.Errorf("kw=N1 (tags): total %d, %v", p.TotalCount, titles(p))
	}
	if p := h.list("?kw=请假"); p.TotalCount != 1 || p.Records[0].Title != "请假审批通知" {
		t.Errorf("kw=请假: %v", titles(p))
	}
	if p := h.list("?kw=WEEKLY"); p.TotalCount != 1 {
		t.Errorf("kw=WEEKLY: %v", titles(p))
	}
	if p := h.list("?kw=nothing-matches"); p.TotalCount != 0 || p.Records == nil {
		t.Errorf("no match: %+v", p)
	}

	for _, q := range []string{"?skip=-1", "?skip=x", "?limit=-5", "?limit=1.5"} {
		r, env := h.open("GET", "/v1/templates"+q, nil)
		param := strings.Split(strings.TrimPrefix(q, "?"), "=")[0]
		h.wantOpenError(r, env, 400, 40000, "query parameter "+param)
	}
}

func TestTemplateLifecycle(t *testing.T) {
	c := newClock()
	h := start(t, emulator.Options{Now: c.Now})
	created := h.createTemplate("Before", "a")
	if created.Type != "DEFAULT" || created.Operator != emulator.DemoAppID || created.CreateTime != c.Now().UnixMilli() ||
		created.DomainID != emulator.DemoDomainID || created.OrgID != emulator.DemoOrgID || len(created.ID) != 36 {
		t.Errorf("created: %+v", created)
	}
	c.Add(time.Minute)
	in := workplus.TemplateInput{Title: "After", Tags: "b", Sample: "s",
		Actions:  []workplus.TemplateAction{{Name: "Go", Value: "https://example.com"}},
		Contents: [][]workplus.TemplateCell{{{Content: "x", Align: "right"}}}}
	r, env := h.open("POST", "/v1/templates/"+created.ID+"?app_id="+emulator.DemoAppID+"&source_type=ISV", in)
	var updated workplus.Template
	h.okResult(r, env, &updated)
	if updated.ID != created.ID || updated.CreateTime != created.CreateTime || updated.RefreshTime != c.Now().UnixMilli() ||
		!reflect.DeepEqual(updated.Input(), in) {
		t.Errorf("updated: %+v", updated)
	}
	r, env = h.open("GET", "/v1/templates/"+created.ID, nil)
	var got workplus.Template
	h.okResult(r, env, &got)
	if !reflect.DeepEqual(got, updated) {
		t.Errorf("get after update = %+v, want %+v", got, updated)
	}
	r, env = h.open("DELETE", "/v1/templates/"+created.ID, nil)
	h.okResult(r, env, nil)
	if string(env.Result) != "null" {
		t.Errorf("delete result %s, want null", env.Result)
	}
	for _, method := range []string{"GET", "POST", "DELETE"} {
		r, env = h.open(method, "/v1/templates/"+created.ID, in)
		h.wantOpenError(r, env, 404, 40400, "template not found.")
	}
	if n := h.Emulator.TemplateCount(); n != seededTemplates {
		t.Errorf("TemplateCount = %d, want %d", n, seededTemplates)
	}

	// app_id is required on create and must be an app of the org.
	r, env = h.open("POST", "/v1/templates", in)
	h.wantOpenError(r, env, 400, 40000, "app_id")
	r, env = h.open("POST", "/v1/templates?app_id=nope", in)
	h.wantOpenError(r, env, 400, 40000, "app_id")
	r, env = h.open("POST", "/v1/templates?app_id="+emulator.DemoAppID+"&source_type=OTHER", in)
	h.wantOpenError(r, env, 400, 40000, "source_type")
}

func TestDisableDelete(t *testing.T) {
	h := start(t, emulator.Options{DisableDelete: true})
	r, env := h.open("DELETE", "/v1/templates/32790e3d-2ce2-45ad-b9c2-c562f39882c3", nil)
	h.wantOpenError(r, env, 405, 40500, "not supported")
	if h.Emulator.TemplateCount() != seededTemplates {
		t.Error("template deleted anyway")
	}
}

func TestTokens(t *testing.T) {
	c := newClock()
	seed := emulator.DefaultSeed()
	expires := c.Now().Add(time.Hour)
	seed.AccessTokens = append(seed.AccessTokens, emulator.AccessToken{Token: "short-lived", AppID: emulator.DemoAppID, ExpiresAt: &expires})
	h := start(t, emulator.Options{Seed: seed, Now: c.Now, TokenTTL: 10 * time.Minute})

	req := workplus.TokenRequest{GrantType: "client_credentials", Scope: "app", DomainID: emulator.DemoDomainID, OrgID: emulator.DemoOrgID,
		ClientID: emulator.DemoClientID, ClientSecret: emulator.DemoClientSecret}
	r, env := h.open("POST", "/v1/token", req)
	var tok workplus.Token
	h.okResult(r, env, &tok)
	if tok.ClientID != emulator.DemoClientID || tok.IssuedTime != c.Now().UnixMilli() || tok.ExpireTime != c.Now().Add(10*time.Minute).UnixMilli() || len(tok.AccessToken) != 32 {
		t.Errorf("token: %+v", tok)
	}

	works := func(token string) bool {
		t.Helper()
		r, env := h.open("GET", "/v1/templates?access_token="+token, nil)
		pr, penv := h.pushAs(token, "POST", "/push/task/detail", `{"list":[]}`)
		open, push := r.HTTP == 200 && env.Status == 0, pr.HTTP == 200 && penv.Code == 200
		if open != push {
			t.Fatalf("token %s: Open API %v, Push API %v", token, open, push)
		}
		if !open {
			h.wantOpenError(r, env, 401, 10011, "token not found.")
			h.wantPushError(pr, penv, 401, 10011, "token not found.")
		}
		return open
	}
	if !works(tok.AccessToken) || !works("short-lived") || !works(emulator.DemoAccessToken) {
		t.Fatal("fresh tokens rejected")
	}
	c.Add(10 * time.Minute)
	if works(tok.AccessToken) {
		t.Error("issued token accepted at its expiry time")
	}
	if !works("short-lived") {
		t.Error("seed token rejected before its expiry")
	}
	c.Add(time.Hour)
	if works("short-lived") || works("") || works("no-such-token") {
		t.Error("expired, empty or unknown token accepted")
	}
	if !works(emulator.DemoAccessToken) {
		t.Error("static demo token expired")
	}
	r, env = h.open("GET", "/v1/templates/anything", nil) // with the demo token
	h.wantOpenError(r, env, 404, 40400, "")
	r = h.do("GET", "/v1/templates", nil, nil) // no token at all
	h.decode(r.Body, &env)
	h.wantOpenError(r, env, 401, 10011, "token not found.")

	for name, bad := range map[string]workplus.TokenRequest{
		"secret": {GrantType: "client_credentials", ClientID: emulator.DemoClientID, ClientSecret: "wrong"},
		"client": {GrantType: "client_credentials", ClientID: "nobody", ClientSecret: emulator.DemoClientSecret},
		"org":    {GrantType: "client_credentials", ClientID: emulator.DemoClientID, ClientSecret: emulator.DemoClientSecret, OrgID: "other"},
	} {
		r, env := h.open("POST", "/v1/token", bad)
		if r.HTTP != 401 || env.Status != 40100 || env.Message != "invalid client credentials." {
			t.Errorf("wrong %s: HTTP %d %s", name, r.HTTP, r.Body)
		}
	}
	r, env = h.open("POST", "/v1/token", workplus.TokenRequest{GrantType: "password", ClientID: emulator.DemoClientID, ClientSecret: emulator.DemoClientSecret})
	h.wantOpenError(r, env, 400, 40000, "grant_type")

	// The Push API's app_id header must name an app of the token's org.
	pr := h.do("GET", "/push/certificate?provider=1", map[string]string{"access-token": emulator.DemoAccessToken}, nil)
	var penv pushEnv
	h.decode(pr.Body, &penv)
	h.wantPushError(pr, penv, 400, 400, "app_id")
	pr = h.do("GET", "/push/certificate?provider=1", map[string]string{"access-token": emulator.DemoAccessToken, "app_id": "other"}, nil)
	h.decode(pr.Body, &penv)
	h.wantPushError(pr, penv, 400, 400, "app_id")
}

func TestCertificates(t *testing.T) {
	h := start(t, emulator.Options{})
	configured := map[string]bool{"1/1": true, "1/0": true, "2/1": true, "3/1": true, "7/1": true, "6/0": true}
	for provider := 1; provider <= 7; provider++ {
		for env := 0; env <= 1; env++ {
			key := fmt.Sprintf("%d/%d", provider, env)
			r, penv := h.push("GET", fmt.Sprintf("/push/certificate?provider=%d&environment=%d", provider, env), nil)
			if !configured[key] {
				h.wantPushError(r, penv, 404, 404, "certificate not configured.")
				continue
			}
			var cert workplus.Certificate
			h.okData(r, penv, &cert)
			if cert.Name == "" || (cert.Certificate == "" && cert.AppSecret == "") {
				t.Errorf("provider %s: %+v", key, cert)
			}
		}
	}
	// environment defaults to production.
	r, penv := h.push("GET", "/push/certificate?provider=1", nil)
	var prod workplus.Certificate
	h.okData(r, penv, &prod)
	der, err := base64.StdEncoding.DecodeString(prod.Certificate)
	if err != nil || len(der) == 0 {
		t.Errorf("APNs production is not base64 PKCS#12: %v", err)
	}
	r, penv = h.push("GET", "/push/certificate?provider=1&environment=0", nil)
	var dev workplus.Certificate
	h.okData(r, penv, &dev)
	block, _ := pem.Decode([]byte(dev.Certificate))
	if block == nil {
		t.Fatalf("APNs development is not PEM: %q", dev.Certificate)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if left := time.Until(cert.NotAfter); left < 19*24*time.Hour || left > 21*24*time.Hour {
		t.Errorf("development certificate expires in %s, want 20 days", left)
	}
	if !strings.Contains(dev.Certificate, "PRIVATE KEY") {
		t.Error("APNs PEM lacks its key")
	}
	r, penv = h.push("GET", "/push/certificate?provider=7", nil)
	var fcm workplus.Certificate
	h.okData(r, penv, &fcm)
	if !strings.Contains(fcm.Certificate, `"type"`) || !strings.Contains(fcm.Certificate, "service_account") {
		t.Errorf("FCM certificate is not a service account JSON: %.80s", fcm.Certificate)
	}

	for _, q := range []string{"provider=0", "provider=8", "provider=apns", "", "provider=1&environment=2"} {
		r, penv := h.push("GET", "/push/certificate?"+q, nil)
		want := "provider"
		if strings.Contains(q, "environment") {
			want = "environment"
		}
		h.wantPushError(r, penv, 400, 400, want)
	}
}

// The default seed's devices and certificates make these numbers; see the
// comments in default_seed.yaml.
func TestTaskStats(t *testing.T) {
	h := start(t, emulator.Options{})
	type counts = [3]int64 // target, sent, received
	cases := []struct {
		name     string
		audience string
		setting  *workplus.PushSetting
		want     map[string]counts
	}{
		{"combined", `"all"`, nil, map[string]counts{
			"mxpush": {7, 7, 7}, "apns": {1, 1, 1}, "huawei": {1, 1, 1}, "xiaomi": {1, 1, 1}, "fcm": {1, 1, 1},
			"flyme": {1, 0, 0}, "vivo": {1, 0, 0}, "oppo": {1, 0, 0}}},
		{"mxpush_only", `"all"`, &workplus.PushSetting{DistributionStrategy: "mxpush_only"}, map[string]counts{
			"mxpush": {14, 14, 7}}},
		{"ospush_only", `"all"`, &workplus.PushSetting{DistributionStrategy: "ospush_only"}, map[string]counts{
			"apns": {3, 3, 3}, "huawei": {2, 2, 2}, "xiaomi": {2, 2, 2}, "fcm": {2, 2, 2},
			"flyme": {1, 0, 0}, "vivo": {2, 0, 0}, "oppo": {2, 0, 0}}},
		{"ospush_only without ups", `"all"`, &workplus.PushSetting{DistributionStrategy: "ospush_only", OspushSequence: []string{"huawei", "fcm"}}, map[string]counts{
			"apns": {3, 3, 3}, "huawei": {2, 2, 2}, "fcm": {2, 2, 2}}},
		{"combined fcm only, beijing", `{"tag":["beijing"]}`, &workplus.PushSetting{OspushSequence: []string{"fcm"}}, map[string]counts{
			"mxpush": {4, 4, 4}}},
		{"meizu by name", `{"tag":["beijing"]}`, &workplus.PushSetting{DistributionStrategy: "ospush_only", OspushSequence: []string{"meizu"}}, map[string]counts{
			"apns": {1, 1, 1}, "flyme": {1, 0, 0}}},
		{"user_id", `{"user_id":[1001]}`, nil, map[string]counts{"mxpush": {1, 1, 1}, "oppo": {1, 0, 0}}},
		{"alias", `{"alias":["bob","nobody"]}`, nil, map[string]counts{"mxpush": {1, 1, 1}, "xiaomi": {1, 1, 1}}},
		{"push_token", `{"push_token":["vivo-zhouba"]}`, &workplus.PushSetting{DistributionStrategy: "mxpush_only"}, map[string]counts{"mxpush": {1, 1, 0}}},
		{"tag vip", `{"tag":["vip"]}`, nil, map[string]counts{"mxpush": {1, 1, 1}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := h.forTest(t)
			setting := ""
			if tc.setting != nil {
				setting = fmt.Sprintf(`,"setting":%s`, mustJSON(t, tc.setting))
			}
			r, env := h.push("POST", "/push/notify", fmt.Sprintf(`{"audience":%s,"message":{"title":"t"}%s}`, tc.audience, setting))
			var res workplus.NotifyResult
			h.okData(r, env, &res)
			r, env = h.push("POST", "/push/task/detail", workplus.TaskDetailRequest{List: []int64{res.TaskID}})
			var details []workplus.TaskDetail
			h.okData(r, env, &details)
			got := map[string]counts{}
			for _, ch := range details[0].Channels() {
				if ch.Target+ch.Sent+ch.Received > 0 {
					got[ch.Channel] = counts{ch.Target, ch.Sent, ch.Received}
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("channels (target, sent, received):\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestNotifyDedupAndDetail(t *testing.T) {
	h := start(t, emulator.Options{})
	send := func(requestID string) int64 {
		t.Helper()
		r, env := h.push("POST", "/push/notify", workplus.NotifyRequest{
			Audience: workplus.Audience{All: true},
			Setting:  &workplus.PushSetting{RequestID: requestID},
			Message:  workplus.PushMessage{Type: "image", AttachmentURL: "https://cdn.example.com/a/b.JPEG?x=1"},
		})
		var res workplus.NotifyResult
		h.okData(r, env, &res)
		return res.TaskID
	}
	first, second, again, other := send("req-1"), send("req-2"), send("req-1"), send("")
	if first != 1 || second != 2 || again != 1 || other != 3 {
		t.Errorf("task ids %d %d %d %d, want 1 2 1 3", first, second, again, other)
	}
	if n := h.Emulator.PushTaskCount(); n != 3 {
		t.Errorf("PushTaskCount = %d, want 3 (the repeat pushes nothing)", n)
	}
	r, env := h.push("POST", "/push/task/detail", `{"list":[3, 99, 1]}`)
	var details []workplus.TaskDetail
	h.okData(r, env, &details)
	if len(details) != 2 || details[0].TaskID != 3 || details[1].TaskID != 1 {
		t.Errorf("details: %+v (unknown ids are omitted, order is the request's)", details)
	}
	r, env = h.push("POST", "/push/task/detail", `{"list":[]}`)
	if h.okData(r, env, nil); string(env.Data) != "[]" {
		t.Errorf("empty list: data %s, want []", env.Data)
	}
}

func TestBadBodies(t *testing.T) {
	h := start(t, emulator.Options{MaxBodyBytes: 2048, StrictFields: true})
	create := "/v1/templates?app_id=" + emulator.DemoAppID
	open := []struct{ name, path, body, fragment string }{
		{"malformed", create, `{"title": "x",}`, "invalid JSON body"},
		{"truncated", create, `{"title": "x"`, "invalid JSON body"},
		{"empty", create, ``, "invalid JSON body"},
		{"trailing data", create, `{} {}`, "invalid JSON body"},
		{"array for object", create, `[]`, "invalid JSON body: expected an object, got JSON array"},
		{"unknown field", create, `{"titel": "x"}`, `unknown field "titel"`},
		{"nested too deep", create, `{"title": "x", "actions": ` + strings.Repeat("[", 65) + strings.Repeat("]", 65) + `}`, "nested more than 64 levels deep"},
		{"wrong type", create, `{"title": 5}`, "field title: expected a string, got JSON number"},
		{"wrong nested type", create, `{"contents": [[{"content": "x", "align": 1}]]}`, "field contents.align"},
		{"unknown align", create, `{"contents": [[{"content": "x", "align": "left"}, {"content": "y", "align": "middle"}]]}`, "contents[0][1].align: unknown value \"middle\", allowed: left, right, center"},
		{"missing type", "/v1/apps/mbox?for_all=true", `{"body": {"content": "x"}}`, "missing type"},
		{"unknown type", "/v1/apps/mbox?for_all=true", `{"type": "video", "body": {"content": "x"}}`, "field type: unknown value \"video\", allowed: DEFAULT, TEXT, IMAGE, FILE, ARTICLE, TEMPLATE"},
		{"missing body", "/v1/apps/mbox?for_all=true", `{"type": "text"}`, "missing body"},
		{"empty body", "/v1/apps/mbox?for_all=true", `{"type": "text", "body": {}}`, "missing body"},
		{"unknown platform", "/v1/apps/mbox?for_all=true", `{"type": "text", "body": {"content": "x"}, "platforms": ["IOS", "watch"]}`, "platforms[1]"},
		{"bad for_all", "/v1/apps/mbox?for_all=maybe", `{"type": "text", "body": {"content": "x"}}`, "for_all"},
		{"wrong type in body", "/v1/apps/mbox", `{"type": "image", "body": {"size": "big"}}`, "field body.size: expected an integer"},
		{"no recipients", "/v1/apps/mbox", `{"type": "text", "body": {"content": "x"}}`, "no recipients"},
		{"template without id", "/v1/apps/mbox?for_all=true", `{"type": "template", "body": {"data": [{"key": "name", "value": "x"}]}}`, "missing body.template_id"},
		{"template without data", "/v1/apps/mbox?for_all=true", `{"type": "template", "body": {"template_id": "32790e3d-2ce2-45ad-b9c2-c562f39882c3"}}`, "missing body.data"},
		{"template wrong key", "/v1/apps/mbox?for_all=true", `{"type": "template", "body": {"template_id": "32790e3d-2ce2-45ad-b9c2-c562f39882c3", "data": [{"key": "nmae", "value": "x"}]}}`, `body.data[0].key: "nmae" is not a placeholder`}, //nolint:misspell // a misspelt key is the point
		{"template bad style", "/v1/apps/mbox?for_all=true", `{"type": "template", "body": {"template_id": "32790e3d-2ce2-45ad-b9c2-c562f39882c3", "data": [{"key": "name", "value": "x", "text_style": "italic"}]}}`, "text_style"},
	}
	for _, tc := range open {
		t.Run("open/"+tc.name, func(t *testing.T) {
			h := h.forTest(t)
			r, env := h.open("POST", tc.path, tc.body)
			h.wantOpenError(r, env, 400, 40000, tc.fragment)
		})
	}
	r, env := h.open("POST", "/v1/apps/mbox?for_all=true", `{"type": "TEMPLATE", "body": {"template_id": "nope", "data": [{"key": "a", "value": "b"}]}}`)
	h.wantOpenError(r, env, 404, 40400, "template not found.")

	push := []struct{ name, body, fragment string }{
		{"malformed", `{"audience": "all"`, "invalid JSON body"},
		{"audience wrong string", `{"audience": "everyone"}`, "audience"},
		{"audience two forms", `{"audience": {"tag": ["a"], "alias": ["b"]}}`, "exactly one of"},
		{"audience wrong element type", `{"audience": {"user_id": ["a"]}}`, "audience.user_id"},
		{"audience missing", `{"message": {"title": "x"}}`, "audience is empty"},
		{"audience empty list", `{"audience": {"tag": []}}`, "audience tag list is empty"},
		{"audience too long", `{"audience": {"push_token": [` + strings.Repeat(`"t",`, 500) + `"t"]}}`, "more than the limit of 500"},
		{"message type", `{"audience": "all", "message": {"type": "video"}}`, "field message.type: unknown value \"video\", allowed: text, image, cmd"},
		{"image url", `{"audience": "all", "message": {"type": "image", "attachment_url": "https://x/a.gif"}}`, "message.attachment_url"},
		{"strategy", `{"audience": "all", "setting": {"distribution_strategy": "fastest"}}`, "field setting.distribution_strategy: unknown value \"fastest\", allowed: combined, mxpush_only, ospush_only"},
		{"sequence", `{"audience": "all", "setting": {"ospush_sequence": ["fcm", "apns"]}}`, "field setting.ospush_sequence[1]: unknown value \"apns\""},
		{"wrong type", `{"audience": "all", "message": {"show_begin_time": "soon"}}`, "field message.show_begin_time: expected an integer"},
		{"nested too deep", `{"audience": "all", "message": {"ext": ` + strings.Repeat("[", 70) + strings.Repeat("]", 70) + `}}`, "nested more than 64 levels deep"},
	}
	for _, tc := range push {
		t.Run("push/"+tc.name, func(t *testing.T) {
			h := h.forTest(t)
			r, env := h.push("POST", "/push/notify", tc.body)
			h.wantPushError(r, env, 400, 400, tc.fragment)
		})
	}
	r, penv := h.push("POST", "/push/task/detail", `{"list": ["one"]}`)
	h.wantPushError(r, penv, 400, 400, "field list")

	big := `{"title": "` + strings.Repeat("x", 3000) + `"}`
	r, env = h.open("POST", create, big)
	h.wantOpenError(r, env, 413, 41300, "larger than 2048 bytes")
	r, penv = h.push("POST", "/push/notify", `{"audience": "all", "message": {"body": "`+strings.Repeat("x", 3000)+`"}}`)
	h.wantPushError(r, penv, 413, 413, "larger than 2048 bytes")
	if h.Emulator.TemplateCount() != seededTemplates || h.Emulator.PushTaskCount() != 0 || h.Emulator.AppMessageCount() != 0 {
		t.Error("a rejected request changed state")
	}
}

func TestRecipients(t *testing.T) {
	h := start(t, emulator.Options{})
	plan := func(msg string, query string) (workplus.PushPlan, reply, openEnv) {
		r, env := h.open("POST", "/v1/apps/mbox"+query, msg)
		var p workplus.PushPlan
		if r.HTTP == 200 {
			h.decode(env.Result, &p)
		}
		return p, r, env
	}
	p, r, env := plan(`{"type":"text","body":{"content":"x"},"scopes":["/232/302/"],"usernames":["alice","zhangsan"],"client_ids":["a86e83a26be44eb59806901cc8be5d5c"]}`, "")
	h.okResult(r, env, nil)
	want := []string{
		"/232/301/a86e83a26be44eb59806901cc8be5d5c",
		"/232/302/7b3e1c4a9d5f4eab8c2d3e4f5a6b7c82", // alice
		"/232/301/c24b6a94cfb14b79af12a1399edc9e31", // zhangsan
		"/232/302/6a2d0b3f8c4e4d9fab1c2d3e4f5a6b71", // zhaoliu, by scope
		"/232/302/8c4f2d5b0e6a4fbc9d3e4f5a6b7c8d93", // bob, by scope
	}
	if !reflect.DeepEqual(p.ClientIDs, want) || p.Expects != 5 || p.Oks != 5 || p.Fails != 0 || !reflect.DeepEqual(p.Scopes, []string{"/232/302/"}) {
		t.Errorf("plan: %+v", p)
	}
	if p, r, _ = plan(`{"type":"text","body":{"content":"x"},"scopes":["/232/"]}`, ""); r.HTTP != 200 || p.Expects != 10 {
		t.Errorf("scope /232/: HTTP %d, expects %d", r.HTTP, p.Expects)
	}
	if p, r, _ = plan(`{"type":"text","body":{"content":"x"},"for_all":true}`, ""); r.HTTP != 200 || p.Expects != 10 || p.Scopes == nil {
		t.Errorf("for_all in body: HTTP %d, %+v", r.HTTP, p)
	}
	// for_all does not widen an explicit list.
	if p, r, _ = plan(`{"type":"text","body":{"content":"x"},"usernames":["bob"]}`, "?for_all=true"); r.HTTP != 200 || p.Expects != 1 {
		t.Errorf("for_all with a list: HTTP %d, expects %d", r.HTTP, p.Expects)
	}
	for _, bad := range []string{
		`{"type":"text","body":{"content":"x"},"client_ids":["c24b6a94cfb14b79af12a1399edc9e31","unknown"]}`,
		`{"type":"text","body":{"content":"x"},"usernames":["nobody"]}`,
		`{"type":"text","body":{"content":"x"},"scopes":["/999/"]}`,
	} {
		_, r, env := plan(bad, "")
		h.wantOpenError(r, env, 400, 202012, "没有对应的雇员")
	}
	if n := h.Emulator.AppMessageCount(); n != 4 {
		t.Errorf("AppMessageCount = %d, want 4", n)
	}
	msgs := h.Emulator.Snapshot().AppMessages
	if msgs[0].Request.Type != "TEXT" || !reflect.DeepEqual(msgs[0].Request.Platforms, []string{"IOS", "ANDROID"}) || msgs[0].Plan.ID != msgs[0].ID {
		t.Errorf("stored message: %+v", msgs[0])
	}
}

func TestStatusModes(t *testing.T) {
	for _, mode := range []string{"", emulator.StatusModeHTTP, emulator.StatusModeAlways200} {
		t.Run("mode="+mode, func(t *testing.T) {
			h := start(t, emulator.Options{StatusMode: mode})
			status := func(s int) int {
				if mode == emulator.StatusModeAlways200 {
					return 200
				}
				return s
			}
			r, env := h.open("GET", "/v1/templates?access_token=bad", nil)
			h.wantOpenError(r, env, status(401), 10011, "token not found.")
			r, env = h.open("GET", "/v1/templates/nope", nil)
			h.wantOpenError(r, env, status(404), 40400, "template not found.")
			r, env = h.open("POST", "/v1/templates?app_id="+emulator.DemoAppID, `{`)
			h.wantOpenError(r, env, status(400), 40000, "invalid JSON body")
			r, env = h.open("GET", "/v1/nowhere", nil)
			h.wantOpenError(r, env, status(404), 40400, "no such endpoint")
			r, env = h.open("PATCH", "/v1/templates/x", nil)
			h.wantOpenError(r, env, status(405), 40500, "allowed: GET, POST, DELETE")
			if got := r.Header.Get("Allow"); got != "GET, POST, DELETE" {
				t.Errorf("Allow = %q", got)
			}
			pr, penv := h.push("GET", "/push/certificate?provider=4", nil)
			h.wantPushError(pr, penv, status(404), 404, "certificate not configured.")
			pr, penv = h.pushAs("bad", "POST", "/push/notify", `{"audience":"all"}`)
			h.wantPushError(pr, penv, status(401), 10011, "token not found.")
			pr, penv = h.push("GET", "/push/notify", nil)
			h.wantPushError(pr, penv, status(405), 405, "not allowed")
			// The control API is ours, not the vendor's: real statuses always.
			if r := h.do("GET", "/_emulator/nothing", nil, nil); r.HTTP != 404 {
				t.Errorf("control 404 answered HTTP %d", r.HTTP)
			}
		})
	}
}

func TestRequestLog(t *testing.T) {
	h := start(t, emulator.Options{})
	h.open("GET", "/v1/templates", nil)
	h.open("GET", "/v1/templates/32790e3d-2ce2-45ad-b9c2-c562f39882c3", nil)
	h.open("GET", "/v1/templates/nope", nil)
	h.push("POST", "/push/notify", `{"audience":"all"}`)
	h.open("GET", "/v1/elsewhere", nil)
	h.do("GET", "/_emulator/state", nil, nil) // not logged
	want := map[string]int{"GET /v1/templates": 1, "GET /v1/templates/{id}": 2, "POST /push/notify": 1, "unmatched": 1}
	if got := h.Emulator.RouteCounts(); !reflect.DeepEqual(got, want) {
		t.Errorf("RouteCounts = %v, want %v", got, want)
	}
	reqs := h.Emulator.Requests()
	if len(reqs) != 5 || reqs[2].Status != 404 || reqs[2].Path != "/v1/templates/nope" || reqs[2].Route != "GET /v1/templates/{id}" || reqs[0].Time.IsZero() {
		t.Errorf("requests: %+v", reqs)
	}
	var dump struct {
		Requests []emulator.RequestRecord `json:"requests"`
		Counts   map[string]int           `json:"counts"`
	}
	h.decode(h.do("GET", "/_emulator/requests", nil, nil).Body, &dump)
	if len(dump.Requests) != 5 || !reflect.DeepEqual(dump.Counts, want) {
		t.Errorf("/_emulator/requests: %+v", dump)
	}
	if r := h.do("DELETE", "/_emulator/requests", nil, nil); r.HTTP != 200 || len(h.Emulator.Requests()) != 0 || len(h.Emulator.RouteCounts()) != 0 {
		t.Errorf("DELETE /_emulator/requests: HTTP %d, %d left", r.HTTP, len(h.Emulator.Requests()))
	}
}

func TestRequestLogRing(t *testing.T) {
	h := start(t, emulator.Options{})
	for range 10_050 {
		h.Emulator.ServeHTTP(discard{}, mustRequest(t, "GET", "/v1/nowhere"))
	}
	reqs := h.Emulator.Requests()
	if len(reqs) != 10_000 || h.Emulator.RouteCounts()["unmatched"] != 10_050 {
		t.Errorf("%d records, count %d", len(reqs), h.Emulator.RouteCounts()["unmatched"])
	}
	for i := 1; i < len(reqs); i++ {
		if reqs[i].Time.Before(reqs[i-1].Time) {
			t.Fatalf("records out of order at %d", i)
		}
	}
}

func TestControlAPI(t *testing.T) {
	h := start(t, emulator.Options{AdminToken: "s3cret"})
	admin := map[string]string{"X-Emulator-Admin-Token": "s3cret"}
	for _, hdr := range []map[string]string{nil, {"X-Emulator-Admin-Token": "wrong"}} {
		if r := h.do("GET", "/_emulator/state", hdr, nil); r.HTTP != 401 || !strings.Contains(string(r.Body), `"error"`) {
			t.Errorf("without the admin token: HTTP %d %s", r.HTTP, r.Body)
		}
	}

	// The inbox and the JSON pages it links to, opened in a browser, take
	// the token in their URL; the rest of the control API does not.
	if r := h.do("GET", "/_emulator/ui/?admin_token=s3cret", nil, nil); r.HTTP != 200 {
		t.Errorf("inbox with ?admin_token: HTTP %d", r.HTTP)
	}
	if r := h.do("GET", "/_emulator/ui/?format=json&admin_token=wrong", nil, nil); r.HTTP != 401 {
		t.Errorf("inbox with a wrong ?admin_token: HTTP %d", r.HTTP)
	}
	if r := h.do("GET", "/_emulator/state?admin_token=s3cret", nil, nil); r.HTTP != 200 {
		t.Errorf("state with ?admin_token: HTTP %d, want 200", r.HTTP)
	}
	if r := h.do("POST", "/_emulator/reset?admin_token=s3cret", nil, nil); r.HTTP != 401 {
		t.Errorf("reset with ?admin_token: HTTP %d, want 401", r.HTTP)
	}
	if r := h.do("GET", "/_emulator/health", nil, nil); r.HTTP != 200 {
		t.Errorf("health without the admin token (container probes): HTTP %d, want 200", r.HTTP)
	}

	h.createTemplate("extra", "")
	var state emulator.State
	r := h.do("GET", "/_emulator/state", admin, nil)
	h.decode(r.Body, &state)
	if len(state.Templates) != seededTemplates+1 || len(state.Devices) != 14 || len(state.Employees) != 10 || state.Templates[seededTemplates].Title != "extra" {
		t.Errorf("state: %d templates, %d devices", len(state.Templates), len(state.Devices))
	}
	for _, c := range state.Certificates {
		if c.Generate != nil || (c.Certificate == "" && c.AppSecret == "") {
			t.Errorf("certificate %s/%d not resolved: %+v", c.Vendor, c.Environment, c)
		}
	}

	if r := h.do("POST", "/_emulator/reset", admin, nil); r.HTTP != 200 || h.Emulator.TemplateCount() != seededTemplates {
		t.Errorf("reset: HTTP %d, %d templates", r.HTTP, h.Emulator.TemplateCount())
	}

	yamlSeed := `
orgs: [{id: o1, domain_id: d1}]
apps: [{id: a1, org_id: o1}]
access_tokens: [{token: t1, app_id: a1}]
templates:
  - {id: tpl-1, app_id: a1, title: Only one, contents: [[{content: hi, align: left}]]}
`
	if r := h.do("POST", "/_emulator/seed", admin, yamlSeed); r.HTTP != 200 {
		t.Fatalf("seed: HTTP %d %s", r.HTTP, r.Body)
	}
	r, env := h.open("GET", "/v1/templates?access_token=t1", nil)
	var page workplus.TemplatePage
	h.okResult(r, env, &page)
	if page.TotalCount != 1 || page.Records[0].DomainID != "d1" || page.Records[0].Type != "DEFAULT" || page.Records[0].CreateTime == 0 {
		t.Errorf("seeded list: %+v", page)
	}
	r, env = h.open("GET", "/v1/templates", nil) // the demo token is gone
	h.wantOpenError(r, env, 401, 10011, "")
	r = h.do("POST", "/_emulator/seed", admin, `{"apps": [{"id": "a", "org_id": "missing"}]}`)
	if r.HTTP != 400 || !strings.Contains(string(r.Body), `apps[0].org_id: unknown org \"missing\"`) {
		t.Errorf("bad seed: HTTP %d %s", r.HTTP, r.Body)
	}
	h.do("POST", "/_emulator/reset", admin, nil)
	if h.Emulator.TemplateCount() != seededTemplates {
		t.Error("reset after seed does not return to the start seed")
	}

	rules := `[{"route":"POST /v1/templates","status":503,"count":1},{"route":"*","latency_ms":1}]`
	if r := h.do("PUT", "/_emulator/faults", admin, rules); r.HTTP != 200 {
		t.Fatalf("PUT faults: HTTP %d %s", r.HTTP, r.Body)
	}
	var got []emulator.FaultRule
	h.decode(h.do("GET", "/_emulator/faults", admin, nil).Body, &got)
	if len(got) != 2 || got[0].Status != 503 {
		t.Errorf("GET faults: %+v", got)
	}
	for _, bad := range []string{`[{"route":"POST /v1/templatez","status":503}]`, `[{"route":"*","probability":2,"status":500}]`, `[{"route":"*"}]`, `[{"route":"*","drop":"sideways"}]`, `[{"route":"POST /push/notify","null_data":true,"code":10011}]`} {
		if r := h.do("PUT", "/_emulator/faults", admin, bad); r.HTTP != 400 {
			t.Errorf("PUT faults %s: HTTP %d", bad, r.HTTP)
		}
	}
	h.do("DELETE", "/_emulator/faults", admin, nil)
	h.decode(h.do("GET", "/_emulator/faults", admin, nil).Body, &got)
	if len(got) != 0 {
		t.Errorf("faults after DELETE: %+v", got)
	}
	for route := range h.Emulator.RouteCounts() {
		if strings.Contains(route, "_emulator") {
			t.Errorf("control request logged: %s", route)
		}
	}
}

func TestLoadSeed(t *testing.T) {
	doc := `{"orgs":[{"id":"o","domain_id":"d"}],"apps":[{"id":"a","org_id":"o"}],"devices":[{"push_token":"p","app_id":"a","vendor":"meizu","online":true}],
	  "certificates":[{"app_id":"a","vendor":"fcm","environment":1,"generate":{"format":"fcm_json"}}]}`
	seed, err := emulator.LoadSeed([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(seed.Devices) != 1 || seed.Certificates[0].Generate.Format != "fcm_json" {
		t.Errorf("seed: %+v", seed)
	}
	for bad, want := range map[string]string{
		`{"orgs": [{"id": "o"}]}`:   "orgs[0].domain_id: missing",
		`{"orgz": []}`:              "unknown field",
		`{"orgs": []} {"orgs": []}`: "unexpected data after the JSON seed",
		`{"orgs": [{"id": 5}]}`:     "seed",
		`{"orgs":[{"id":"o","domain_id":"d"}],"apps":[{"id":"a","org_id":"o"}],"devices":[{"push_token":"p","app_id":"a","vendor":"nokia"}]}`:                                "devices[0].vendor",
		`{"orgs":[{"id":"o","domain_id":"d"}],"apps":[{"id":"a","org_id":"o"}],"certificates":[{"app_id":"a","vendor":"apns","environment":1,"generate":{"format":"jks"}}]}`: "certificates[0].generate.format",
		`{"orgs":[{"id":"o","domain_id":"d"}],"employees":[{"client_id":"c","username":"u","org_id":"o","org_path":"232"}]}`:                                                 "org_path",
		`{"orgs":[{"id":"o","domain_id":"d"}],"apps":[{"id":"a","org_id":"o"}],"templates":[{"id":"t","app_id":"a","contents":[[{"content":"x","align":"up"}]]}]}`:           "templates[0].contents[0][0].align",
	} {
		if _, err := emulator.LoadSeed([]byte(bad)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("LoadSeed(%s) = %v, want an error containing %q", bad, err, want)
		}
	}
	if d := emulator.DefaultSeed(); len(d.Devices) != 14 || len(d.Templates) != 6 || d.Orgs[0].ID != emulator.DemoOrgID {
		t.Errorf("default seed: %d devices, %d templates", len(d.Devices), len(d.Templates))
	}
}

func TestOptionsValidation(t *testing.T) {
	for _, opts := range []emulator.Options{
		{StatusMode: "sometimes"},
		{MaxPageSize: -1},
		{Faults: []emulator.FaultRule{{Route: "GET /nowhere", Status: 500}}},
	} {
		if _, err := emulator.New(opts); err == nil {
			t.Errorf("New(%+v) succeeded", opts)
		}
	}
}

func TestSnapshotIsACopy(t *testing.T) {
	h := start(t, emulator.Options{})
	s := h.Emulator.Snapshot()
	s.Templates[0].Actions[0].Name = "changed"
	s.Devices[0].Tags[0] = "changed"
	again := h.Emulator.Snapshot()
	if again.Templates[0].Actions[0].Name == "changed" || again.Devices[0].Tags[0] == "changed" {
		t.Error("Snapshot shares memory with the emulator")
	}
}

func TestConcurrentUse(t *testing.T) {
	h := start(t, emulator.Options{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				h.createTemplate(fmt.Sprintf("c%d-%d", i, j), "")
				h.list("?kw=c")
				h.push("POST", "/push/notify", `{"audience":"all"}`)
			}
		}()
	}
	wg.Wait()
	if h.Emulator.TemplateCount() != seededTemplates+160 || h.Emulator.PushTaskCount() != 160 {
		t.Errorf("%d templates, %d tasks", h.Emulator.TemplateCount(), h.Emulator.PushTaskCount())
	}
	// Task ids are dense: 1..160.
	seen := map[int64]bool{}
	for _, task := range h.Emulator.Snapshot().PushTasks {
		seen[task.TaskID] = true
	}
	for id := int64(1); id <= 160; id++ {
		if !seen[id] {
			t.Fatalf("task id %d missing", id)
		}
	}
}

type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) WriteHeader(int)             {}

func mustRequest(t testing.TB, method, path string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(method, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestInboxPage(t *testing.T) {
	h := start(t, emulator.Options{})
	h.open("POST", "/v1/apps/mbox", `{"type":"template","body":{"template_id":"32790e3d-2ce2-45ad-b9c2-c562f39882c3","data":[{"key":"name","value":"王小明"},{"key":"days","value":"3"},{"key":"kind","value":"年假"}]},"usernames":["lisi"]}`)
	h.open("POST", "/v1/apps/mbox?for_all=true", `{"type":"text","body":{"content":"<script>alert(1)</script>"}}`)
	h.push("POST", "/push/notify", `{"audience":{"tag":["vip"]},"message":{"title":"Hello VIP"}}`)
	for _, path := range []string{"/_emulator/ui/", "/_emulator/ui"} {
		r := h.do("GET", path, nil, nil)
		page := string(r.Body)
		if r.HTTP != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: HTTP %d %s", path, r.HTTP, r.Header.Get("Content-Type"))
		}
		for _, want := range []string{"申请人:王小明", "天数:3 类型:年假", "&lt;script&gt;", "Hello VIP", "mxpush: 1 / 1 / 1", "/232/301/a86e83a26be44eb59806901cc8be5d5c"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s lacks %q", path, want)
			}
		}
		if strings.Contains(page, "<script>alert") {
			t.Errorf("%s does not escape message content", path)
		}
	}
}
