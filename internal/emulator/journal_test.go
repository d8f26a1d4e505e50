package emulator_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

type journalDump struct {
	Requests []emulator.RequestRecord `json:"requests"`
	Count    int                      `json:"count"`
	Counts   map[string]int           `json:"counts"`
}

// The journal keeps what clients sent, so tests can assert on it, and never
// the credentials they sent it with.
func TestJournalKeepsQueryAndBodyWithoutSecrets(t *testing.T) {
	h := start(t, emulator.Options{})
	h.do("POST", "/v1/token", nil, `{"grant_type": "client_credentials", "client_id": "`+emulator.DemoClientID+`", "client_secret": "`+emulator.DemoClientSecret+`"}`)
	h.open("POST", "/v1/templates?app_id="+emulator.DemoAppID, templateBody)
	h.push("POST", "/push/notify", `{"audience": {"tag": ["beijing"]}, "message": {"title": "Hi", "ext": {"order": 12345678901234567891}}}`)
	h.do("POST", "/v1/templates?access_token=x", map[string]string{"Content-Type": "text/plain"}, "not json")

	raw := h.do("GET", "/_emulator/requests", nil, nil).Body
	for _, secret := range []string{emulator.DemoClientSecret, emulator.DemoAccessToken} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the journal holds %q: %s", secret, raw)
		}
	}
	var dump journalDump
	h.decode(raw, &dump)
	if dump.Count != 4 || len(dump.Requests) != 4 {
		t.Fatalf("count %d, %d requests", dump.Count, len(dump.Requests))
	}
	token, create, notify := dump.Requests[0], dump.Requests[1], dump.Requests[2]
	var tokenBody map[string]string
	h.decode(token.Body, &tokenBody)
	if tokenBody["client_secret"] != "REDACTED" || tokenBody["client_id"] != emulator.DemoClientID {
		t.Errorf("token body: %s", token.Body)
	}
	if create.Query != "app_id="+emulator.DemoAppID+"&access_token=REDACTED" || !strings.Contains(string(create.Body), `"title":"t"`) || create.ID != 2 {
		t.Errorf("create: id %d, query %q, body %s", create.ID, create.Query, create.Body)
	}
	if notify.Headers["access-token"] != "REDACTED" || notify.Headers["app_id"] != emulator.DemoAppID || notify.Headers["Content-Type"] != "application/json" {
		t.Errorf("notify headers: %v", notify.Headers)
	}
	if !strings.Contains(string(notify.Body), `"order":12345678901234567891`) {
		t.Errorf("notify body lost the digits of a large integer: %s", notify.Body)
	}
	if refused := dump.Requests[3]; refused.Status != 415 || refused.BodyText != "" {
		t.Errorf("a refused body is not read, so not journalled: %+v", refused)
	}

	// What a caller gets is a copy.
	h.Emulator.Requests()[2].Headers["app_id"] = "changed"
	if h.Emulator.Requests()[2].Headers["app_id"] != emulator.DemoAppID {
		t.Error("changing a returned record changed the journal")
	}

	// A body over the journal's cap is kept in part, as text.
	h.open("POST", "/v1/templates?app_id="+emulator.DemoAppID, `{"title": "`+strings.Repeat("x", 70<<10)+`"}`)
	last := h.Emulator.Requests()[4]
	if !last.Truncated || len(last.BodyText) != 64<<10 || last.Body != nil {
		t.Errorf("long body: truncated %v, %d bytes of text", last.Truncated, len(last.BodyText))
	}
}

func TestJournalFiltersAndCounts(t *testing.T) {
	clock := newClock()
	h := start(t, emulator.Options{Now: clock.Now})
	h.list("")
	h.open("GET", "/v1/templates/nope", nil)
	clock.Add(time.Minute)
	h.createTemplate("a", "")
	h.createTemplate("b", "")
	h.open("GET", "/v1/templates?access_token=wrong", nil)

	count := func(query string) int {
		t.Helper()
		r := h.do("GET", "/_emulator/requests/count"+query, nil, nil)
		var c struct{ Count int }
		h.decode(r.Body, &c)
		if r.HTTP != 200 {
			t.Fatalf("count%s: HTTP %d %s", query, r.HTTP, r.Body)
		}
		return c.Count
	}
	later := clock.Now().Add(-time.Second).Format(time.RFC3339)
	for query, want := range map[string]int{
		"":                                      5,
		"?route=POST+/v1/templates":             2,
		"?route=/v1/templates":                  4, // a path matches every method
		"?route=/v1/templates/{id}":             1,
		"?method=post":                          2,
		"?status=200":                           3,
		"?status=4xx":                           2,
		"?status=401":                           1,
		"?since=" + later:                       3,
		"?until=" + later:                       2,
		"?after=3":                              2,
		"?route=/v1/templates&status=200":       3,
		"?method=GET&status=2xx&since=" + later: 0,
	} {
		if got := count(query); got != want {
			t.Errorf("count%s = %d, want %d", query, got, want)
		}
	}
	var dump journalDump
	h.decode(h.do("GET", "/_emulator/requests?route=POST+/v1/templates", nil, nil).Body, &dump)
	if dump.Count != 2 || dump.Requests[0].Route != "POST /v1/templates" || dump.Counts["GET /v1/templates"] != 2 {
		t.Errorf("filtered dump: %+v", dump)
	}
	for _, bad := range []string{"?status=abc", "?status=6xx", "?since=yesterday", "?after=-1"} {
		if r := h.do("GET", "/_emulator/requests/count"+bad, nil, nil); r.HTTP != 400 {
			t.Errorf("count%s: HTTP %d, want 400", bad, r.HTTP)
		}
	}
	if got := h.Emulator.CountRequests(emulator.RequestFilter{Route: "GET /v1/templates", StatusClass: 4}); got != 1 {
		t.Errorf("CountRequests = %d, want 1", got)
	}
}

// A pipeline waits for what its code should send instead of sleeping.
func TestJournalWait(t *testing.T) {
	h := start(t, emulator.Options{})
	go func() {
		for i := range 3 {
			time.Sleep(30 * time.Millisecond)
			h.open("POST", "/v1/apps/mbox?for_all=true", `{"type": "text", "body": {"content": "`+string(rune('a'+i))+`"}}`)
		}
	}()
	began := time.Now()
	r := h.do("GET", "/_emulator/requests/wait?route=POST+/v1/apps/mbox&count=3&timeout=10s", nil, nil)
	var waited struct {
		Count    int
		Wanted   int
		TimedOut bool `json:"timed_out"`
		Requests []emulator.RequestRecord
	}
	h.decode(r.Body, &waited)
	if r.HTTP != 200 || waited.Count != 3 || waited.TimedOut || len(waited.Requests) != 3 {
		t.Errorf("wait: HTTP %d %s", r.HTTP, r.Body)
	}
	if d := time.Since(began); d > 5*time.Second {
		t.Errorf("wait took %s: it should answer when the third request arrives", d)
	}

	r = h.do("GET", "/_emulator/requests/wait?route=POST+/v1/apps/mbox&count=4&timeout=100ms", nil, nil)
	h.decode(r.Body, &waited)
	if r.HTTP != http.StatusRequestTimeout || !waited.TimedOut || waited.Count != 3 || waited.Wanted != 4 {
		t.Errorf("wait past its timeout: HTTP %d %s", r.HTTP, r.Body)
	}
	for _, bad := range []string{"count=0", "timeout=-1s", "timeout=1h", "timeout=soon", "timeout=1e300"} {
		if r := h.do("GET", "/_emulator/requests/wait?"+bad, nil, nil); r.HTTP != 400 {
			t.Errorf("wait?%s: HTTP %d, want 400", bad, r.HTTP)
		}
	}

	// The Go API, for tests in this module.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	got, err := h.Emulator.WaitForRequests(ctx, emulator.RequestFilter{Method: "POST"}, 5)
	if err == nil || len(got) != 3 {
		t.Errorf("WaitForRequests past its deadline: %d, %v", len(got), err)
	}
	go h.list("")
	got, err = h.Emulator.WaitForRequests(context.Background(), emulator.RequestFilter{Route: "GET /v1/templates"}, 1)
	if err != nil || len(got) != 1 {
		t.Errorf("WaitForRequests: %d, %v", len(got), err)
	}
}

// Real deployments answer failures such as 202012 and 10011 with HTTP 200.
func TestFaultWithVendorCode(t *testing.T) {
	h := start(t, emulator.Options{})
	rules := `[{"route": "POST /v1/apps/mbox", "code": 202012, "count": 1},
		{"route": "POST /push/notify", "code": 10011, "message": "token expired."},
		{"route": "GET /v1/templates", "code": 40001, "status": 400}]`
	if r := h.do("PUT", "/_emulator/faults", nil, rules); r.HTTP != 200 {
		t.Fatalf("faults: HTTP %d %s", r.HTTP, r.Body)
	}
	r, env := h.open("POST", "/v1/apps/mbox?for_all=true", `{"type": "text", "body": {"content": "x"}}`)
	h.wantOpenError(r, env, 200, 202012, "没有对应的雇员")
	r, env = h.open("POST", "/v1/apps/mbox?for_all=true", `{"type": "text", "body": {"content": "x"}}`)
	h.okResult(r, env, nil)
	pr, penv := h.push("POST", "/push/notify", `{"audience": "all"}`)
	h.wantPushError(pr, penv, 200, 10011, "token expired.")
	r, env = h.open("GET", "/v1/templates", nil)
	h.wantOpenError(r, env, 400, 40001, "(injected fault)")
	if h.Emulator.AppMessageCount() != 1 || h.Emulator.PushTaskCount() != 0 {
		t.Error("a faulted request was processed")
	}
	if rec := h.Emulator.Requests()[0]; rec.Fault != "code 202012" || rec.Status != 200 {
		t.Errorf("journal: %+v", rec)
	}
	for body, fragment := range map[string]string{
		`[{"route": "*", "code": 202012, "drop": "after"}]`: "drop excludes status and code",
		`[{"route": "*", "message": "x"}]`:                  "message needs a status or a code",
	} {
		if r := h.do("PUT", "/_emulator/faults", nil, body); r.HTTP != 400 || !strings.Contains(string(r.Body), fragment) {
			t.Errorf("%s: HTTP %d %s", body, r.HTTP, r.Body)
		}
	}
}

// A client that has its answer finds its request in the journal: the record
// used to be written after the answer went out, so a test reading the
// journal right after a request could miss it.
func TestJournalHasTheRequestOnceAnswered(t *testing.T) {
	h := start(t, emulator.Options{})
	// A large body makes the journal's work, and so the old window, longer.
	body := `{"title": "` + strings.Repeat("x", 60<<10) + `", "sample": "password"}`
	for i := range 100 {
		h.open("POST", "/v1/templates?app_id="+emulator.DemoAppID, body)
		if got := h.Emulator.CountRequests(emulator.RequestFilter{}); got != i+1 {
			t.Fatalf("after %d answered requests the journal holds %d", i+1, got)
		}
	}
}

// TestJournalRedactsBodiesItCannotParse: a body the journal keeps as text
// (a form, JSON cut at the journal's cap, JSON nested deeper than the
// emulator reads, JSON with a syntax error) keeps no secret either. The old
// journal kept such bodies verbatim in body_text, client_secret and all.
func TestJournalRedactsBodiesItCannotParse(t *testing.T) {
	h := start(t, emulator.Options{})
	pad := strings.Repeat("x", 70<<10)
	deep := strings.Repeat(`{"a":`, 70) + `{"client_secret":"deep-secret-4"}` + strings.Repeat("}", 70)
	// The cap falls inside this secret's value: its kept prefix must go too.
	straddle := `{"pad":"` + strings.Repeat("y", (64<<10)-40) + `","client_secret":"straddling-secret-` + strings.Repeat("z", 100) + `"}`
	bodies := map[string]string{
		"form":           "grant_type=client_credentials&client_id=" + emulator.DemoClientID + "&client_secret=form-secret-1&scope=app",
		"escaped name":   "client%5Fsecret=form-secret-2",
		"truncated JSON": `{"client_secret": "truncated-secret-3", "pad": "` + pad + `"}`,
		"deep JSON":      deep,
		"broken JSON":    `{"refresh_token": "broken-secret-5", "client_secret" : "broken\"secret-6",}`,
		"escaped key":    `{"client\u005fsecret":"escaped-key-secret-7", }`,
		"straddling":     straddle,
	}
	secrets := []string{"form-secret-1", "form-secret-2", "truncated-secret-3", "deep-secret-4", "broken-secret-5", `broken\"secret-6`, "escaped-key-secret-7", "straddling-"}
	for _, body := range bodies {
		h.do("POST", "/v1/token", nil, body)
	}
	records := h.Emulator.Requests()
	if len(records) != len(bodies) {
		t.Fatalf("%d records, want %d", len(records), len(bodies))
	}
	for _, rec := range records {
		if rec.BodyText == "" {
			t.Errorf("record %d: want the body kept as text, got body %.80s", rec.ID, rec.Body)
			continue
		}
		for _, secret := range secrets {
			if strings.Contains(rec.BodyText, secret) {
				t.Errorf("record %d keeps %s in body_text: %.200s", rec.ID, secret, rec.BodyText)
			}
		}
		if !strings.Contains(rec.BodyText, "REDACTED") {
			t.Errorf("record %d: body_text shows no redaction: %.200s", rec.ID, rec.BodyText)
		}
	}
}
