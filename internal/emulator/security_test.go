package emulator_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// DNS rebinding: a page of attacker.example whose name now resolves to
// 127.0.0.1 sends requests with its own Host. None may reach a handler.
func TestRebindingHostIsRefused(t *testing.T) {
	h := start(t, emulator.Options{})
	rebind := map[string]string{"Host": "rebind.attacker.example"}
	for _, tc := range []struct{ method, path string }{
		{"GET", "/_emulator/state?secrets=true"},
		{"GET", "/_emulator/requests"},
		{"POST", "/_emulator/reset"},
		{"GET", "/v1/templates?access_token=" + emulator.DemoAccessToken},
		{"GET", "/no/such/route"},
	} {
		r := h.doHost(tc.method, tc.path, rebind)
		if r.HTTP != http.StatusForbidden || !strings.Contains(string(r.Body), "rebind.attacker.example") || !strings.Contains(string(r.Body), "--allowed-host") {
			t.Errorf("%s %s with a foreign Host: HTTP %d %s", tc.method, tc.path, r.HTTP, r.Body)
		}
		if strings.Contains(string(r.Body), emulator.DemoClientSecret) {
			t.Errorf("%s %s leaked a secret: %s", tc.method, tc.path, r.Body)
		}
	}
	// The Open API refuses in its envelope.
	r := h.doHost("GET", "/v1/templates?access_token="+emulator.DemoAccessToken, rebind)
	var env openEnv
	h.decode(r.Body, &env)
	if env.Status != 40300 {
		t.Errorf("Open API envelope status %d, want 40300", env.Status)
	}

	for _, host := range []string{"localhost", "localhost:8080", "app.localhost:9", "127.0.0.1:1", "127.1.2.3", "[::1]:8080"} {
		if r := h.doHost("GET", "/_emulator/health", map[string]string{"Host": host}); r.HTTP != http.StatusOK {
			t.Errorf("loopback Host %s: HTTP %d %s", host, r.HTTP, r.Body)
		}
	}

	allowed := start(t, emulator.Options{AllowedHosts: []string{"emulator", "*.ci.example"}})
	for host, want := range map[string]int{"emulator:8080": 200, "EMULATOR": 200, "a.ci.example": 200, "ci.example": 403, "emulator.evil": 403} {
		if r := allowed.doHost("GET", "/_emulator/health", map[string]string{"Host": host}); r.HTTP != want {
			t.Errorf("AllowedHosts, Host %s: HTTP %d, want %d", host, r.HTTP, want)
		}
	}
	anyHost := start(t, emulator.Options{AllowedHosts: []string{emulator.AllowAnyHost}})
	if r := anyHost.doHost("GET", "/_emulator/health", rebind); r.HTTP != 200 {
		t.Errorf("AllowAnyHost: HTTP %d", r.HTTP)
	}
}

// CSRF: a page the user visits posts to the emulator from another origin.
func TestCrossSiteRequestsAreRefused(t *testing.T) {
	h := start(t, emulator.Options{})
	evil := map[string]string{"Origin": "https://evil.example"}
	fetchCrossSite := map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors"}
	attacks := []struct {
		name, method, path string
		header             map[string]string
		body               string
	}{
		{"reset by form", "POST", "/_emulator/reset", evil, ""},
		{"reset by fetch", "POST", "/_emulator/reset", fetchCrossSite, ""},
		{"seed by text/plain form", "POST", "/_emulator/seed", merge(evil, map[string]string{"Content-Type": "text/plain"}), `{"orgs": []}`},
		{"faults", "PUT", "/_emulator/faults", evil, `[{"route":"*","status":503}]`},
		{"clear log", "DELETE", "/_emulator/requests", fetchCrossSite, ""},
		{"plant a template", "POST", "/v1/templates?app_id=" + emulator.DemoAppID + "&access_token=" + emulator.DemoAccessToken, evil, templateBody},
		{"delete a template", "DELETE", "/v1/templates/32790e3d-2ce2-45ad-b9c2-c562f39882c3?access_token=" + emulator.DemoAccessToken, fetchCrossSite, ""},
		{"read state from another site", "GET", "/_emulator/state", fetchCrossSite, ""},
		{"read the log from a null origin", "GET", "/_emulator/requests", map[string]string{"Origin": "null"}, ""},
	}
	before := h.Emulator.Snapshot()
	for _, a := range attacks {
		r := h.do(a.method, a.path, a.header, a.body)
		if r.HTTP != http.StatusForbidden || !strings.Contains(string(r.Body), "cross-site request refused") {
			t.Errorf("%s: HTTP %d %s", a.name, r.HTTP, r.Body)
		}
	}
	after := h.Emulator.Snapshot()
	faults := strings.TrimSpace(string(h.do("GET", "/_emulator/faults", nil, nil).Body))
	if len(after.Templates) != len(before.Templates) || faults != "[]" || len(h.Emulator.Requests()) != 2 {
		t.Errorf("a refused request changed something: %d templates, faults %s, %d logged", len(after.Templates), faults, len(h.Emulator.Requests()))
	}

	// The same requests from the emulator's own pages, and from scripts,
	// go through.
	self := map[string]string{"Origin": h.URL, "Sec-Fetch-Site": "same-origin"}
	if r := h.do("POST", "/_emulator/reset", self, nil); r.HTTP != 200 {
		t.Errorf("same-origin reset: HTTP %d %s", r.HTTP, r.Body)
	}
	if r := h.do("GET", "/_emulator/state", map[string]string{"Sec-Fetch-Site": "none"}, nil); r.HTTP != 200 {
		t.Errorf("state typed into the address bar: HTTP %d %s", r.HTTP, r.Body)
	}
	// A link from elsewhere may open the inbox: a navigation cannot read it.
	if r := h.do("GET", "/_emulator/ui/", map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}, nil); r.HTTP != 200 {
		t.Errorf("navigation to the inbox from another site: HTTP %d", r.HTTP)
	}
	if r := h.do("GET", "/_emulator/ui/?format=json", fetchCrossSite, nil); r.HTTP != 403 {
		t.Errorf("cross-site fetch of the inbox: HTTP %d, want 403", r.HTTP)
	}
}

func TestJSONRoutesNeedJSONContentType(t *testing.T) {
	h := start(t, emulator.Options{})
	create := "/v1/templates?app_id=" + emulator.DemoAppID + "&access_token=" + emulator.DemoAccessToken
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""} {
		header := map[string]string{"Content-Type": ct}
		r := h.do("POST", create, header, templateBody)
		var env openEnv
		h.decode(r.Body, &env)
		if r.HTTP != http.StatusUnsupportedMediaType || env.Status != 41500 || !strings.Contains(env.Message, "Content-Type must be application/json") {
			t.Errorf("create with Content-Type %q: HTTP %d %s", ct, r.HTTP, r.Body)
		}
		r = h.do("POST", "/push/notify", merge(header, map[string]string{"access-token": emulator.DemoAccessToken, "app_id": emulator.DemoAppID}), `{"audience":"all"}`)
		if r.HTTP != http.StatusUnsupportedMediaType || !strings.Contains(string(r.Body), `"code":415`) {
			t.Errorf("notify with Content-Type %q: HTTP %d %s", ct, r.HTTP, r.Body)
		}
		if r := h.do("PUT", "/_emulator/faults", header, `[]`); r.HTTP != http.StatusUnsupportedMediaType {
			t.Errorf("faults with Content-Type %q: HTTP %d", ct, r.HTTP)
		}
	}
	if h.Emulator.TemplateCount() != seedTemplates(t) || h.Emulator.PushTaskCount() != 0 {
		t.Error("a refused body was processed")
	}
	if r := h.do("POST", create, map[string]string{"Content-Type": "application/json; charset=utf-8"}, templateBody); r.HTTP != 200 {
		t.Errorf("application/json with charset: HTTP %d %s", r.HTTP, r.Body)
	}
	yamlSeed := "orgs: [{id: o, domain_id: d}]\n"
	for _, ct := range []string{"application/yaml", "application/json", "text/yaml"} {
		body := yamlSeed
		if ct == "application/json" {
			body = `{"orgs": [{"id": "o", "domain_id": "d"}]}`
		}
		if r := h.do("POST", "/_emulator/seed", map[string]string{"Content-Type": ct}, body); r.HTTP != 200 {
			t.Errorf("seed as %s: HTTP %d %s", ct, r.HTTP, r.Body)
		}
	}
}

func TestStateRedactsSecretsUnlessAsked(t *testing.T) {
	h := start(t, emulator.Options{})
	secrets := []string{emulator.DemoAccessToken, emulator.DemoClientSecret, "PRIVATE KEY"}
	r := h.do("GET", "/_emulator/state", nil, nil)
	for _, s := range secrets {
		if strings.Contains(string(r.Body), s) {
			t.Errorf("state without ?secrets=true contains %q", s)
		}
	}
	var st emulator.State
	h.decode(r.Body, &st)
	if len(st.AccessTokens) == 0 || !strings.HasPrefix(st.AccessTokens[0].Token, "REDACTED:") || len(st.Templates) != seedTemplates(t) {
		t.Errorf("redacted state lost its shape: %+v", st.AccessTokens)
	}

	r = h.do("GET", "/_emulator/state?secrets=true", nil, nil)
	for _, s := range secrets {
		if !strings.Contains(string(r.Body), s) {
			t.Errorf("state with ?secrets=true lacks %q", s)
		}
	}
	// The full dump is a seed that restores the emulator.
	if r2 := h.do("POST", "/_emulator/seed", nil, r.Body); r2.HTTP != 200 {
		t.Errorf("loading the dump as a seed: HTTP %d %s", r2.HTTP, r2.Body)
	}
	if r := h.do("GET", "/_emulator/state?secrets=maybe", nil, nil); r.HTTP != 400 {
		t.Errorf("?secrets=maybe: HTTP %d", r.HTTP)
	}
}

// GET /v1/templates?skip=9223372036854775800 used to overflow skip+limit and
// panic (HTTP 500).
func TestHugeSkipAndLimit(t *testing.T) {
	h := start(t, emulator.Options{})
	for _, q := range []string{"?skip=9223372036854775800", "?skip=9223372036854775807&limit=9223372036854775807", "?skip=1&limit=9223372036854775807"} {
		page := h.list(q)
		if page.TotalCount != seedTemplates(t) {
			t.Errorf("%s: total %d", q, page.TotalCount)
		}
		if q == "?skip=1&limit=9223372036854775807" && len(page.Records) != seedTemplates(t)-1 {
			t.Errorf("%s: %d records, want %d", q, len(page.Records), seedTemplates(t)-1)
		}
	}
	r, env := h.open("GET", "/v1/templates?skip=99999999999999999999", nil)
	h.wantOpenError(r, env, 400, 40000, "query parameter skip")
}

// nested returns a JSON value nested depth levels deep.
func nested(depth int) string {
	return strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)
}

// A push whose ext nested 10,000 deep was accepted, and then the state dump
// and the inbox went blank until reset; with a state file it was a 500.
func TestDeepNestingIsRefused(t *testing.T) {
	for _, stateFile := range []bool{false, true} {
		opts := emulator.Options{}
		if stateFile {
			opts.StateFile = filepath.Join(t.TempDir(), "state.db")
		}
		h := start(t, opts)
		for _, depth := range []int{65, 10_000} {
			r, env := h.push("POST", "/push/notify", `{"audience": "all", "message": {"ext": `+nested(depth)+`}}`)
			h.wantPushError(r, env, 400, 400, "nested more than 64 levels deep")
			r2, env2 := h.open("POST", "/v1/apps/mbox?for_all=true", `{"type": "text", "body": {"content": "x"}, "x": `+nested(depth)+`}`)
			h.wantOpenError(r2, env2, 400, 40000, "nested more than 64 levels deep")
		}
		// 60 levels of ext are fine and the state still dumps.
		r, env := h.push("POST", "/push/notify", `{"audience": "all", "message": {"ext": `+nested(60)+`}}`)
		h.okData(r, env, nil)
		var st emulator.State
		h.decode(h.do("GET", "/_emulator/state", nil, nil).Body, &st)
		if len(st.PushTasks) != 1 || len(st.Templates) != seedTemplates(t) {
			t.Errorf("state file %v: state after a deep push: %d tasks, %d templates", stateFile, len(st.PushTasks), len(st.Templates))
		}
		if page := h.uiPage(""); !strings.Contains(page, `data-count="tasks">1<`) {
			t.Errorf("state file %v: the inbox lost the push task", stateFile)
		}
	}
	h := start(t, emulator.Options{})
	seed := `{"orgs": [{"id": "o", "domain_id": "d"}], "x": ` + nested(200) + `}`
	if r := h.do("POST", "/_emulator/seed", nil, seed); r.HTTP != 400 || !strings.Contains(string(r.Body), "nested more than") {
		t.Errorf("deep seed: HTTP %d %s", r.HTTP, r.Body)
	}
	yamlSeed := "orgs: [{id: o, domain_id: d}]\napps: [{id: a, org_id: o}]\npush_tasks: [{task_id: 1, app_id: a, request: {audience: all, message: {ext: {a: " +
		strings.Repeat("[", 100) + strings.Repeat("]", 100) + "}}}}]\n"
	if r := h.do("POST", "/_emulator/seed", map[string]string{"Content-Type": "application/yaml"}, yamlSeed); r.HTTP != 400 || !strings.Contains(string(r.Body), "push_tasks[0].request.message.ext: nested more than 64 levels deep") {
		t.Errorf("deep YAML seed: HTTP %d %s", r.HTTP, r.Body)
	}
}

// Integers in ext lost precision in state (float64).
func TestLargeIntegersInExtKeepTheirDigits(t *testing.T) {
	dir := t.TempDir()
	opts := emulator.Options{StateFile: filepath.Join(dir, "state.db")}
	h := start(t, opts)
	r, env := h.push("POST", "/push/notify", `{"audience": "all", "message": {"ext": {"order": 12345678901234567891, "ids": [9007199254740993]}}}`)
	h.okData(r, env, nil)
	for _, where := range []string{"state", "snapshot"} {
		var body string
		if where == "state" {
			body = string(h.do("GET", "/_emulator/state", nil, nil).Body)
		} else {
			data, _ := json.Marshal(h.Emulator.Snapshot())
			body = string(data)
		}
		if !strings.Contains(body, `"order":12345678901234567891`) || !strings.Contains(body, `9007199254740993`) {
			t.Errorf("%s lost digits of ext", where)
		}
	}
	// And after a restart on the state file.
	if err := h.Emulator.Close(); err != nil {
		t.Fatal(err)
	}
	e, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = e.Close() }()
	data, _ := json.Marshal(e.Snapshot())
	if !strings.Contains(string(data), `"order":12345678901234567891`) {
		t.Error("the state file lost digits of ext")
	}
}

func TestIntegersReachingDurationsAreBounded(t *testing.T) {
	h := start(t, emulator.Options{})
	for body, fragment := range map[string]string{
		`[{"route": "*", "latency_ms": 9223372036854775807}]`:              "latency_ms must be at most 600000",
		`[{"route": "*", "status": 503, "retry_after": 9223372036854775}]`: "retry_after must be at most 86400",
		`[{"route": "*", "code": -1}]`:                                     "code must be a positive vendor code",
	} {
		if r := h.do("PUT", "/_emulator/faults", nil, body); r.HTTP != 400 || !strings.Contains(string(r.Body), fragment) {
			t.Errorf("%s: HTTP %d %s", body, r.HTTP, r.Body)
		}
	}
	seed := `{"orgs": [{"id": "o", "domain_id": "d"}], "apps": [{"id": "a", "org_id": "o"}],
		"certificates": [{"app_id": "a", "vendor": "apns", "environment": 1, "generate": {"format": "pem", "not_after_days": 9223372036854775807}}]}`
	if r := h.do("POST", "/_emulator/seed", nil, seed); r.HTTP != 400 || !strings.Contains(string(r.Body), "not_after_days: must be between 0 and 36500") {
		t.Errorf("huge not_after_days: HTTP %d %s", r.HTTP, r.Body)
	}
}

func TestHugeQueryStringIs431InEnvelope(t *testing.T) {
	h := start(t, emulator.Options{})
	long := strings.Repeat("x", 9000)
	r, env := h.open("GET", "/v1/templates?kw="+long, nil)
	h.wantOpenError(r, env, http.StatusRequestHeaderFieldsTooLarge, 43100, "query string is")
	r2, penv := h.push("GET", "/push/certificate?provider=1&x="+long, nil)
	h.wantPushError(r2, penv, http.StatusRequestHeaderFieldsTooLarge, 431, "query string is")
	if got := h.Emulator.FindRequests(emulator.RequestFilter{Status: 431}); len(got) != 2 {
		t.Errorf("the journal has %d refused requests, want 2", len(got))
	}
}

func TestInboxSecurityHeaders(t *testing.T) {
	h := start(t, emulator.Options{AdminToken: "s3cret"})
	h.uiSend(`{"type": "article", "scopes": ["/232/302/"], "body": {"articles": [
		{"title": "Office move", "url": "https://workplus.example.com/move", "cover_url": "https://tracker.example/pixel.png", "show_cover": true}]}}`)
	r := h.do("GET", "/_emulator/ui/?admin_token=s3cret", nil, nil)
	if r.HTTP != 200 {
		t.Fatalf("inbox: HTTP %d", r.HTTP)
	}
	page := string(r.Body)
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "img-src 'self' data:;", "connect-src 'self'", "form-action 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	// The hashes in the policy are those of the page's inline script and
	// style, or the browser would block them.
	for _, tag := range []string{"script", "style"} {
		m := regexp.MustCompile(`(?s)<` + tag + `>(.*?)</` + tag + `>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no inline %s", tag)
		}
		sum := sha256.Sum256([]byte(m[1]))
		if hash := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(csp, tag+"-src "+hash) {
			t.Errorf("CSP %q does not allow the inline %s (%s)", csp, tag, hash)
		}
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("X-Frame-Options") != "DENY" {
		t.Errorf("headers: %v", r.Header)
	}
	// No remote image unless asked; the links keep the admin token.
	if strings.Contains(page, "tracker.example") {
		t.Error("the inbox loads a remote image without being asked")
	}
	for _, link := range []string{`href="/_emulator/state?admin_token=s3cret"`, `href="/_emulator/requests?admin_token=s3cret"`, `href="/_emulator/ui/?admin_token=s3cret&amp;remote_images=true"`} {
		if !strings.Contains(page, link) {
			t.Errorf("page lacks %s", link)
		}
	}
	for _, path := range []string{"/_emulator/state?admin_token=s3cret", "/_emulator/requests?admin_token=s3cret"} {
		if r := h.do("GET", path, nil, nil); r.HTTP != 200 {
			t.Errorf("following %s: HTTP %d", path, r.HTTP)
		}
	}
	r = h.do("GET", "/_emulator/ui/?admin_token=s3cret&remote_images=true", nil, nil)
	if !strings.Contains(string(r.Body), `<img src="https://tracker.example/pixel.png"`) || !strings.Contains(r.Header.Get("Content-Security-Policy"), "img-src 'self' data: http: https:") {
		t.Errorf("remote images when asked: CSP %q", r.Header.Get("Content-Security-Policy"))
	}
}

// doHost is do with a Host header, which net/http takes from Request.Host.
func (h *harness) doHost(method, path string, header map[string]string) reply {
	h.t.Helper()
	req, err := http.NewRequest(method, h.URL+path, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Host = header["Host"]
	resp, err := h.client.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return reply{HTTP: resp.StatusCode, Header: resp.Header, Body: data}
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// seedTemplates is how many templates the default seed holds.
func seedTemplates(t *testing.T) int {
	t.Helper()
	return start(t, emulator.Options{}).Emulator.TemplateCount()
}
