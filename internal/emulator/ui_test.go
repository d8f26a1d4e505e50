package emulator_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/certgen"
	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// Tests of the web inbox (/_emulator/ui/): what it renders, that everything a
// client sent is escaped, and the polling endpoints. e2e/ drives the same page
// in a real browser.

// uiPage fetches the page (or a part of it, with a query) and checks it is
// HTML.
func (h *harness) uiPage(query string) string {
	h.t.Helper()
	r := h.do("GET", "/_emulator/ui/"+query, nil, nil)
	if r.HTTP != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		h.t.Fatalf("GET /_emulator/ui/%s: HTTP %d %s: %s", query, r.HTTP, r.Header.Get("Content-Type"), r.Body)
	}
	return string(r.Body)
}

// uiCreateTemplate creates a template through the Open API and returns its id.
func (h *harness) uiCreateTemplate(body string) string {
	h.t.Helper()
	var tpl struct {
		ID string `json:"id"`
	}
	r, env := h.open("POST", "/v1/templates?app_id="+emulator.DemoAppID, body)
	h.okResult(r, env, &tpl)
	return tpl.ID
}

// uiSend sends an app message and returns its plan id.
func (h *harness) uiSend(body string) string {
	h.t.Helper()
	var plan struct {
		ID string `json:"id"`
	}
	r, env := h.open("POST", "/v1/apps/mbox", body)
	h.okResult(r, env, &plan)
	return plan.ID
}

// uiElement returns the outer HTML of the first element whose start tag
// contains attr (e.g. `data-key="tpl-…"`), up to its matching end tag.
func uiElement(t *testing.T, page, attr string) string {
	t.Helper()
	at := strings.Index(page, attr)
	if at < 0 {
		t.Fatalf("page has no element with %s", attr)
	}
	start := strings.LastIndex(page[:at+1], "<")
	name := page[start+1:]
	name = name[:strings.IndexAny(name, " >")]
	depth, i := 0, start
	for {
		open := strings.Index(page[i:], "<"+name)
		end := strings.Index(page[i:], "</"+name+">")
		if end < 0 {
			t.Fatalf("element with %s is not closed", attr)
		}
		if open >= 0 && open < end {
			depth++
			i += open + 1
			continue
		}
		depth--
		i += end + len("</"+name+">")
		if depth == 0 {
			return page[start:i]
		}
	}
}

func uiWant(t *testing.T, what, s string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if !strings.Contains(s, f) {
			t.Errorf("%s lacks %q", what, f)
		}
	}
}

func uiWantNot(t *testing.T, what, s string, fragments ...string) {
	t.Helper()
	for _, f := range fragments {
		if strings.Contains(s, f) {
			t.Errorf("%s contains %q", what, f)
		}
	}
}

const uiReceiptTemplate = `{
	"title": "Expense approved", "tags": "finance, approval", "sample": "Your expense was approved",
	"actions": [{"name": "View claim", "value": "https://workplus.example.com/claims/42"}],
	"contents": [
		[{"content": "Applicant: {{applicant.DATA}}", "align": "left"}],
		[{"content": "Amount: {{amount.DATA}}", "align": "left"}, {"content": "Status: {{status.DATA}}", "align": "right"}],
		[{"content": "Thank you", "align": "center"}]
	]}`

func TestInboxTemplateCard(t *testing.T) {
	h := start(t, emulator.Options{})
	id := h.uiCreateTemplate(uiReceiptTemplate)
	card := uiElement(t, h.uiPage(""), `data-key="tpl-`+id+`"`)
	uiWant(t, "template card", card,
		`<div class="pc-title">Expense approved</div>`,
		// Placeholders are highlighted, cells keep their alignment.
		`<div class="pc-cell align-left">Applicant: <mark class="ph" data-key="applicant" title="placeholder">{{applicant.DATA}}</mark></div>`,
		`<div class="pc-cell align-right">Status: <mark class="ph" data-key="status" title="placeholder">{{status.DATA}}</mark></div>`,
		`<div class="pc-cell align-center">Thank you</div>`,
		// Actions are buttons; tags, sample, placeholders and times are shown.
		`<a class="pc-action" role="button" href="https://workplus.example.com/claims/42" target="_blank" rel="noopener noreferrer" title="https://workplus.example.com/claims/42">View claim</a>`,
		`<span class="chip tag">finance</span><span class="chip tag">approval</span>`,
		`Your expense was approved`,
		`<code class="ph-name">amount</code><code class="ph-name">applicant</code><code class="ph-name">status</code>`,
		`<dt>Created</dt><dd>20`, `<dt>Updated</dt><dd>20`,
		// The app's name heads the card, in the default color.
		`style="background-color: #2f6fde"`, `<span class="pc-top-title">Demo App</span>`,
	)
}

func TestInboxTemplateMessageFilledIn(t *testing.T) {
	h := start(t, emulator.Options{})
	id := h.uiCreateTemplate(uiReceiptTemplate)
	plan := h.uiSend(`{"type": "TEMPLATE", "client_ids": ["c24b6a94cfb14b79af12a1399edc9e31"], "platforms": ["IOS", "PC"],
		"body": {"template_id": "` + id + `", "top_color": "#0E9F6E", "top_title": "Finance bot", "top_avatar": "https://workplus.example.com/bot.png",
			"emphasis_keyword": "¥1,280.00",
			"data": [
				{"key": "applicant", "value": "Zhang San", "font_size": "200"},
				{"key": "amount", "value": "¥1,280.00", "color": "#d63031", "font_size": "20", "text_style": "bold"}
			]}}`)
	card := uiElement(t, h.uiPage("?remote_images=true"), `data-key="msg-`+plan+`"`)
	uiWant(t, "message card", card,
		`<span class="type type-TEMPLATE">TEMPLATE</span>`,
		// Values in place of placeholders, with their color, size and weight.
		`Amount: <span class="val" data-key="amount" title="{{amount.DATA}}" style="color: #d63031; font-size: 20px; font-weight: 700;">¥1,280.00</span>`,
		// A font size is clamped to what a phone shows.
		`<span class="val" data-key="applicant" title="{{applicant.DATA}}" style=" font-size: 40px;">Zhang San</span>`,
		// No data for status: the placeholder stays, marked, and is reported.
		`<mark class="ph missing" data-key="status" title="no data for this placeholder">{{status.DATA}}</mark>`,
		`no data for placeholder(s) status`,
		// The header takes top_color (normalised), top_title and top_avatar.
		`style="background-color: #0e9f6e"`, `<span class="pc-top-title">Finance bot</span>`,
		`<span class="avatar" aria-hidden="true">F<img src="https://workplus.example.com/bot.png"`,
		`<div class="pc-emphasis">¥1,280.00</div>`,
		// Recipients, platforms and the push plan.
		`title="/232/301/c24b6a94cfb14b79af12a1399edc9e31">张三 <span class="muted">zhangsan</span>`,
		`<span class="chip platform">IOS</span><span class="chip platform">PC</span>`,
		`<b>1</b> expects`, `<b>1</b> oks`, `<b>0</b> fails`,
		// The plain-text rendering says what is missing.
		`<pre class="plain">Expense approved: no data for placeholder(s) status</pre>`,
	)
}

// uiStyleAttr matches every style attribute; uiAllowedStyle is all the inbox ever
// writes into one: validated colors, numeric sizes and bar widths.
var (
	uiStyleAttr    = regexp.MustCompile(`style="([^"]*)"`)
	uiAllowedStyle = regexp.MustCompile(`^(?:\s*(?:(?:background-)?color: #[0-9a-f]{6}|font-size: \d+px|font-weight: 700|width: \d+%);?)+$`)
)

func TestInboxEscapesUntrustedContent(t *testing.T) {
	h := start(t, emulator.Options{})
	id := h.uiCreateTemplate(`{"title": "<img src=x onerror=alert(1)>", "tags": "<b>t</b>", "sample": "<script>alert('sample')</script>",
		"actions": [{"name": "<i>go</i>", "value": "javascript:alert(1)"}],
		"contents": [[{"content": "<script>alert(1)</script> {{who.DATA}}", "align": "left"}], [{"content": "{{broken", "align": "right"}]]}`)
	plan := h.uiSend(`{"type": "TEMPLATE", "client_ids": ["c24b6a94cfb14b79af12a1399edc9e31"],
		"body": {"template_id": "` + id + `", "top_color": "red;background:url(javascript:alert(1))", "top_avatar": "javascript:alert(1)",
			"data": [{"key": "who", "value": "\"><script>alert(2)</script>", "color": "red;background:url(javascript:alert(3))", "font_size": "12px;position:fixed"}]}}`)
	h.uiSend(`{"type": "TEXT", "client_ids": ["c24b6a94cfb14b79af12a1399edc9e31"], "body": {"content": "</pre><script>alert(4)</script>"}}`)
	h.push("POST", "/push/notify", `{"audience": {"alias": ["<script>alert(5)</script>"]}, "message": {"title": "<script>alert(6)</script>", "body": "<b>x</b>"}}`)

	page := h.uiPage("")
	if n := strings.Count(page, "<script"); n != 1 {
		t.Errorf("page has %d <script elements, want only its own", n)
	}
	uiWantNot(t, "page", page, "<script>alert", "<img src=x", "<b>t</b>", "<i>go</i>", `href="javascript`, `src="javascript`, "<b>x</b>")
	uiWant(t, "page", page,
		"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "&lt;b&gt;t&lt;/b&gt;",
		`<span class="pc-action" role="button" title="javascript:alert(1)">&lt;i&gt;go&lt;/i&gt;</span>`,
		`&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;`, "&lt;/pre&gt;&lt;script&gt;alert(4)&lt;/script&gt;",
		"&lt;script&gt;alert(5)&lt;/script&gt;", "&lt;script&gt;alert(6)&lt;/script&gt;",
		// A cell that does not parse shows as written, flagged.
		`<span class="raw" title="unclosed `,
	)
	for _, m := range uiStyleAttr.FindAllStringSubmatch(page, -1) {
		if !uiAllowedStyle.MatchString(m[1]) {
			t.Errorf("style attribute %q is not one the inbox writes", m[1])
		}
	}
	card := uiElement(t, page, `data-key="msg-`+plan+`"`)
	// The hostile color, top_color and font size are left out and reported.
	uiWant(t, "hostile message", card,
		`style="background-color: #2f6fde"`,
		`<span class="val" data-key="who" title="{{who.DATA}}">`,
		"top_color &#34;red;background:url(javascript:alert(1))&#34; is not a #rrggbb color: ignored",
		"data[0].color &#34;red;background:url(javascript:alert(3))&#34; is not a #rrggbb color: ignored",
		"data[0].font_size &#34;12px;position:fixed&#34; is not a number: ignored",
		"top_avatar &#34;javascript:alert(1)&#34; is not an http(s) URL: not shown",
	)
	uiWantNot(t, "hostile message", card, "<img")
}

func TestInboxMessageTypesAndPushTasks(t *testing.T) {
	h := start(t, emulator.Options{})
	h.uiSend(`{"type": "text", "usernames": ["lisi"], "body": {"content": "Lunch?", "at_all": true}}`)
	h.uiSend(`{"type": "image", "usernames": ["lisi"], "body": {"media_id": "m-1", "name": "board.png", "width": 1280, "height": 960, "size": 348160, "is_gif": 1}}`)
	h.uiSend(`{"type": "file", "usernames": ["lisi"], "body": {"media_id": "m-2", "name": "budget.xlsx", "size": 1843200}}`)
	h.uiSend(`{"type": "article", "scopes": ["/232/302/"], "body": {"articles": [
		{"title": "Office move", "summary": "New floor", "url": "https://workplus.example.com/move", "cover_url": "https://workplus.example.com/c.png", "show_cover": true},
		{"title": "VPN", "url": "ftp://workplus.example.com/vpn"}]}}`)
	h.push("POST", "/push/notify", `{"audience": {"tag": ["beijing"]}, "message": {"title": "Maintenance", "body": "Tonight"}}`)
	page := h.uiPage("?remote_images=true")

	uiWant(t, "page", page,
		`<span class="pill" data-count="messages">4</span>`, `<span class="pill" data-count="tasks">1</span>`,
		`data-type="TEXT"`, `<span class="at-all">@all</span> Lunch?`,
		`data-type="IMAGE"`, `<div class="media-name">board.png</div>`, `1280 × 960 · 340.0 KB`, `<span class="gif">GIF</span>`,
		`data-type="FILE"`, `<div class="media-name">budget.xlsx</div>`, `1.8 MB`,
		`data-type="ARTICLE"`, `<div class="art-lead-title">Office move</div>`, `<img src="https://workplus.example.com/c.png"`,
		`<div class="art-title">VPN</div>`,
		// Scopes are listed; the plan counts every employee under them.
		`<code class="chip">/232/302/</code>`, `<b>3</b> expects`,
		// The push: notification, audience, strategy and one bar per channel.
		`<div class="notif-title">Maintenance</div>`, `<div class="notif-body">Tonight</div>`,
		`<span class="chip flag">tag</span><code class="chip">beijing</code>`,
		`<span>combined</span><span class="muted">OS channels: ups → fcm</span>`,
	)
	uiWantNot(t, "page", page, "ftp://")
	// The demo seed's beijing devices: three online (mxpush), xiaomi, meizu
	// and oppo offline; only xiaomi has a production credential.
	for channel, counts := range map[string]string{"mxpush": "4 / 4 / 4", "xiaomi": "1 / 1 / 1", "flyme": "1 / 0 / 0", "oppo": "1 / 0 / 0"} {
		row := uiElement(t, page, `data-channel="`+channel+`"`)
		uiWant(t, channel+" bar", row, `<span class="bar-num">`+counts+`</span>`)
	}
	uiWant(t, "mxpush bar", uiElement(t, page, `data-channel="mxpush"`),
		`<span class="b target" style="width: 100%"></span><span class="b sent" style="width: 100%"></span><span class="b recv" style="width: 100%"></span>`)
	uiWant(t, "xiaomi bar", uiElement(t, page, `data-channel="xiaomi"`),
		`<span class="b target" style="width: 25%"></span><span class="b sent" style="width: 25%"></span><span class="b recv" style="width: 25%"></span>`)
	uiWant(t, "flyme bar", uiElement(t, page, `data-channel="flyme"`),
		`<span class="b target" style="width: 25%"></span><span class="b sent" style="width: 0%"></span>`)
}

func TestInboxCertificateBadges(t *testing.T) {
	now := time.Date(2030, 6, 15, 12, 0, 0, 0, time.UTC)
	gen := func(notAfter time.Time) *certgen.Bundle {
		t.Helper()
		b, err := certgen.Generate(certgen.Options{CommonName: "com.example.push", NotBefore: now.AddDate(-1, 0, 0), NotAfter: notAfter})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	fcm, err := certgen.FCMServiceAccountJSON("demo", "push@demo.iam.gserviceaccount.com")
	if err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	cert := func(vendor string, env int, text string) emulator.Certificate {
		return emulator.Certificate{AppID: emulator.DemoAppID, Vendor: vendor, Environment: env, Name: vendor + fmt.Sprint(env), Certificate: text}
	}
	seed := emulator.DefaultSeed()
	seed.Certificates = []emulator.Certificate{
		cert("apns", 1, gen(now.Add(-3*day)).CertPEM),                                      // expired
		cert("apns", 0, base64.StdEncoding.EncodeToString(gen(now.Add(10*day)).CertDER)),   // soon
		cert("huawei", 1, base64.StdEncoding.EncodeToString(gen(now.Add(200*day)).PKCS12)), // ok
		cert("meizu", 0, gen(now.Add(29*day)).CertPEM),                                     // soon, the last day of it
		cert("meizu", 1, gen(now.Add(30*day)).CertPEM),                                     // ok from 30 days on
		cert("vivo", 1, gen(now.Add(12*time.Hour)).CertPEM),                                // expires today
		cert("fcm", 1, fcm), // no expiry
		cert("oppo", 1, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"), // broken
		{AppID: emulator.DemoAppID, Vendor: "xiaomi", Environment: 1, Name: "xiaomi1", AppSecret: "s3cret"},
	}
	h := start(t, emulator.Options{Seed: seed, Now: func() time.Time { return now }})
	page := h.uiPage("")

	cells := func(vendor string) []string {
		row := uiElement(t, page, `<tr data-vendor="`+vendor+`">`)
		parts := strings.Split(row, "<td")[1:]
		if len(parts) != 2 {
			t.Fatalf("%s row has %d cells, want development and production: %s", vendor, len(parts), row)
		}
		return parts
	}
	for _, tc := range []struct {
		vendor string
		env    int
		want   []string
	}{
		{"apns", 1, []string{`<span class="badge badge-expired">expired</span> <span class="until">until 2030-06-12</span>`, "<div class=\"cert-kind\">pem</div>", "CN=com.example.push"}},
		{"apns", 0, []string{`<span class="badge badge-soon">expires in 10 days</span> <span class="until">until 2030-06-25</span>`, "<div class=\"cert-kind\">der</div>"}},
		{"huawei", 1, []string{`<span class="badge badge-ok">valid, 200 days left</span>`, "<div class=\"cert-kind\">pkcs12</div>"}},
		{"huawei", 0, []string{`class="unset"`, `<span class="badge badge-none">not configured</span>`}},
		{"meizu", 0, []string{`<span class="badge badge-soon">expires in 29 days</span>`}},
		{"meizu", 1, []string{`<span class="badge badge-ok">valid, 30 days left</span>`}},
		{"vivo", 1, []string{`<span class="badge badge-soon">expires today</span>`}},
		{"fcm", 1, []string{`<span class="badge badge-ok">no expiry</span>`, "<div class=\"cert-kind\">json</div>", "push@demo.iam.gserviceaccount.com"}},
		{"oppo", 1, []string{`<span class="badge badge-error">unreadable</span>`, `<div class="cert-error">pem: CERTIFICATE block is not a valid X.509 certificate`}},
		{"xiaomi", 1, []string{`<span class="badge badge-ok">no expiry</span>`, "<div class=\"cert-kind\">app secret</div>"}},
	} {
		uiWant(t, fmt.Sprintf("%s environment %d", tc.vendor, tc.env), cells(tc.vendor)[tc.env], tc.want...)
	}
	uiWantNot(t, "page", page, "s3cret")
}

func TestInboxPolling(t *testing.T) {
	h := start(t, emulator.Options{})
	status := func() (version string, messages int) {
		t.Helper()
		r := h.do("GET", "/_emulator/ui/?format=json", nil, nil)
		var s struct {
			Version string `json:"version"`
			Counts  struct {
				Messages int `json:"app_messages"`
			} `json:"counts"`
		}
		if r.HTTP != 200 || json.Unmarshal(r.Body, &s) != nil || s.Version == "" {
			t.Fatalf("?format=json: HTTP %d: %s", r.HTTP, r.Body)
		}
		return s.Version, s.Counts.Messages
	}
	v1, n := status()
	if v2, _ := status(); v2 != v1 || n != 0 {
		t.Fatalf("version changed without a change (%s, %s) or messages = %d", v1, v2, n)
	}
	if page := h.uiPage(""); !strings.Contains(page, `<div id="live" data-version="`+v1+`">`) || !strings.Contains(page, `<body data-poll-ms="2000">`) {
		t.Errorf("the page does not carry version %s and its poll interval", v1)
	}

	plan := h.uiSend(`{"type": "text", "usernames": ["lisi"], "body": {"content": "new one"}}`)
	v3, n := status()
	if v3 == v1 || n != 1 {
		t.Fatalf("after a message: version %s (was %s), messages %d", v3, v1, n)
	}
	live := h.uiPage("?part=live")
	if !strings.HasPrefix(live, `<div id="live" data-version="`+v3+`">`) || strings.Contains(live, "<html") {
		t.Errorf("?part=live is not the live part at version %s: %.200s", v3, live)
	}
	uiWant(t, "live part", live, `data-key="msg-`+plan+`"`, "new one")

	for _, q := range []string{"?format=xml", "?part=head"} {
		if r := h.do("GET", "/_emulator/ui/"+q, nil, nil); r.HTTP != 400 {
			t.Errorf("%s: HTTP %d, want 400", q, r.HTTP)
		}
	}
}
