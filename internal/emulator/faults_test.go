package emulator_test

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

const createPath = "/v1/templates?app_id=" + emulator.DemoAppID + "&access_token=" + emulator.DemoAccessToken

const templateBody = `{"title":"t","contents":[[{"content":"x","align":"left"}]]}`

func TestFaultStatusAndRetryAfter(t *testing.T) {
	h := start(t, emulator.Options{Faults: []emulator.FaultRule{
		{Route: "POST /v1/templates", Status: 429, RetryAfter: 7, Count: 2},
		{Route: "/push/notify", Method: "POST", Status: 503},
	}})
	for range 2 {
		r, env := h.open("POST", createPath, templateBody)
		h.wantOpenError(r, env, 429, 42900, "injected")
		if r.Header.Get("Retry-After") != "7" {
			t.Errorf("Retry-After = %q, want 7", r.Header.Get("Retry-After"))
		}
	}
	r, env := h.open("POST", createPath, templateBody)
	h.okResult(r, env, nil) // the count is used up
	if h.Emulator.TemplateCount() != seededTemplates+1 {
		t.Errorf("TemplateCount = %d: a faulted request was processed", h.Emulator.TemplateCount())
	}
	pr, penv := h.push("POST", "/push/notify", `{"audience":"all"}`)
	h.wantPushError(pr, penv, 503, 503, "injected")
	if pr.Header.Get("Retry-After") != "" {
		t.Error("Retry-After without retry_after")
	}
	// Other routes are untouched.
	r, env = h.open("GET", "/v1/templates", nil)
	h.okResult(r, env, nil)

	var faults []string
	for _, rec := range h.Emulator.Requests() {
		faults = append(faults, rec.Fault)
	}
	if want := []string{"status 429", "status 429", "", "status 503", ""}; !reflect.DeepEqual(faults, want) {
		t.Errorf("logged faults %q, want %q", faults, want)
	}
}

func TestFaultInAlways200Mode(t *testing.T) {
	h := start(t, emulator.Options{StatusMode: emulator.StatusModeAlways200, Faults: []emulator.FaultRule{{Route: "*", Status: 503}}})
	r, env := h.open("GET", "/v1/templates", nil)
	h.wantOpenError(r, env, 200, 50300, "injected")
}

func TestFaultDrops(t *testing.T) {
	h := start(t, emulator.Options{})
	// A fresh connection per request: Go's transport would retry an
	// idempotent request that died on a reused one, hiding the drop.
	h.client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	send := func() error {
		req, _ := http.NewRequest("POST", h.URL+createPath, strings.NewReader(templateBody))
		req.Header.Set("Content-Type", "application/json")
		resp, err := h.client.Do(req)
		if err == nil {
			resp.Body.Close()
		}
		return err
	}

	h.Emulator.SetFaults([]emulator.FaultRule{{Route: "POST /v1/templates", Drop: "before", Count: 1}})
	if err := send(); err == nil {
		t.Fatal("drop before: the request got an answer")
	}
	if n := h.Emulator.TemplateCount(); n != seededTemplates {
		t.Errorf("drop before processed the request: %d templates", n)
	}

	h.Emulator.SetFaults([]emulator.FaultRule{{Route: "POST /v1/templates", Drop: "after", Count: 1}})
	if err := send(); err == nil {
		t.Fatal("drop after: the request got an answer")
	}
	if n := h.Emulator.TemplateCount(); n != seededTemplates+1 {
		t.Errorf("drop after did not commit: %d templates", n)
	}
	if err := send(); err != nil {
		t.Errorf("after the count: %v", err)
	}

	reqs := h.Emulator.Requests()
	if len(reqs) != 3 || reqs[0].Fault != "drop before" || reqs[0].Status != 0 ||
		reqs[1].Fault != "drop after" || reqs[1].Status != 200 || reqs[2].Fault != "" {
		t.Errorf("log: %+v", reqs)
	}
}

// TestFaultNullData: the request is processed for real and answered as a
// success whose data is null, in both APIs.
func TestFaultNullData(t *testing.T) {
	h := start(t, emulator.Options{Faults: []emulator.FaultRule{
		{Route: "POST /push/notify", NullData: true, Count: 1},
		{Route: "POST /v1/templates", NullData: true, Count: 1},
	}})
	tasks := h.Emulator.PushTaskCount()
	r, env := h.push("POST", "/push/notify", `{"audience":"all","message":{"type":"text","title":"t","body":"b"}}`)
	h.okData(r, env, nil)
	if string(env.Data) != "null" {
		t.Errorf("push data %s, want null", env.Data)
	}
	if got := h.Emulator.PushTaskCount(); got != tasks+1 {
		t.Errorf("push tasks %d after the faulted notify, want %d: null_data must process the request", got, tasks+1)
	}
	or, oenv := h.open("POST", createPath, templateBody)
	h.okResult(or, oenv, nil)
	if string(oenv.Result) != "null" {
		t.Errorf("open result %s, want null", oenv.Result)
	}
	if n := h.Emulator.TemplateCount(); n != seededTemplates+1 {
		t.Errorf("templates %d after the faulted create, want %d", n, seededTemplates+1)
	}
	if faults := []string{h.Emulator.Requests()[0].Fault, h.Emulator.Requests()[1].Fault}; faults[0] != "null data" || faults[1] != "null data" {
		t.Errorf("logged faults %q, want null data twice", faults)
	}
}

func TestFaultLatency(t *testing.T) {
	h := start(t, emulator.Options{Faults: []emulator.FaultRule{{Route: "GET /v1/templates", LatencyMS: 40}}})
	began := time.Now()
	r, env := h.open("GET", "/v1/templates", nil)
	h.okResult(r, env, nil)
	if took := time.Since(began); took < 40*time.Millisecond {
		t.Errorf("took %s, want at least 40ms", took)
	}
	if rec := h.Emulator.Requests()[0]; rec.Fault != "latency 40ms" || rec.LatencyMS < 40 {
		t.Errorf("log: %+v", rec)
	}
}

// Faults are a function of the seed and the request order.
func TestFaultDeterminism(t *testing.T) {
	rules := []emulator.FaultRule{{Route: "*", Probability: 0.5, Status: 500}}
	run := func(seed int64) []int {
		h := start(t, emulator.Options{FaultSeed: seed, Faults: rules})
		var statuses []int
		for range 40 {
			r, _ := h.open("GET", "/v1/templates", nil)
			statuses = append(statuses, r.HTTP)
		}
		// SetFaults restarts the RNG: the same rules give the same run again.
		h.Emulator.SetFaults(rules)
		for i := range 40 {
			if r, _ := h.open("GET", "/v1/templates", nil); r.HTTP != statuses[i] {
				t.Fatalf("seed %d: after SetFaults, request %d answered %d, first run %d", seed, i, r.HTTP, statuses[i])
			}
		}
		return statuses
	}
	a, b, c := run(42), run(42), run(7)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different faults:\n%v\n%v", a, b)
	}
	if reflect.DeepEqual(a, c) {
		t.Error("different seeds, same 40 faults")
	}
	failed := 0
	for _, s := range a {
		if s == 500 {
			failed++
		}
	}
	if failed < 8 || failed > 32 {
		t.Errorf("%d of 40 failed at probability 0.5", failed)
	}
}

func TestFaultFirstMatchWins(t *testing.T) {
	h := start(t, emulator.Options{})
	h.Emulator.SetFaults([]emulator.FaultRule{
		{Route: "*", Method: "DELETE", Status: 500},
		{Route: "/v1/templates/{id}", Status: 502},
		{Route: "*", Status: 503},
		{Route: "POST /v1/nowhere", Status: 500}, // invalid: left out
	})
	for path, want := range map[string]int{"/v1/templates/x": 502, "/v1/templates": 503, "/v1/elsewhere": 503} {
		if r, _ := h.open("GET", path, nil); r.HTTP != want {
			t.Errorf("GET %s: HTTP %d, want %d", path, r.HTTP, want)
		}
	}
	if r, _ := h.open("DELETE", "/v1/templates/x", nil); r.HTTP != 500 {
		t.Errorf("DELETE: HTTP %d, want 500", r.HTTP)
	}
	var rules []emulator.FaultRule
	h.decode(h.do("GET", "/_emulator/faults", nil, nil).Body, &rules)
	if len(rules) != 3 {
		t.Errorf("%d rules kept, want the 3 valid ones", len(rules))
	}
}

// TestFaultAfterProcessing: the request is processed and committed, and the
// client gets the rule's 5xx as a gateway's HTML page, as when a proxy in
// front of WorkPlus gives up on a backend that has already acted.
func TestFaultAfterProcessing(t *testing.T) {
	h := start(t, emulator.Options{Faults: []emulator.FaultRule{
		{Route: "POST /v1/apps/mbox", Status: 502, AfterProcessing: true, Count: 1},
		{Route: "POST /push/notify", Status: 504, RetryAfter: 3, AfterProcessing: true, Count: 1},
	}})
	messages, tasks := h.Emulator.AppMessageCount(), h.Emulator.PushTaskCount()
	r := h.do("POST", "/v1/apps/mbox?access_token="+emulator.DemoAccessToken,
		nil, `{"type":"TEXT","body":{"content":"hi"},"usernames":["lisi"]}`)
	if r.HTTP != 502 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.Body), "502 Bad Gateway") {
		t.Errorf("mbox answer HTTP %d %q %s, want a 502 gateway page", r.HTTP, r.Header.Get("Content-Type"), r.Body)
	}
	if got := h.Emulator.AppMessageCount(); got != messages+1 {
		t.Errorf("app messages %d after the faulted send, want %d: after_processing must deliver", got, messages+1)
	}
	pr := h.do("POST", "/push/notify", map[string]string{"access-token": emulator.DemoAccessToken, "app_id": emulator.DemoAppID},
		`{"audience":"all","message":{"type":"text","title":"t","body":"b"}}`)
	if pr.HTTP != 504 || pr.Header.Get("Retry-After") != "3" || !strings.Contains(string(pr.Body), "504 Gateway Timeout") {
		t.Errorf("notify answer HTTP %d Retry-After %q %s, want a 504 gateway page with Retry-After 3", pr.HTTP, pr.Header.Get("Retry-After"), pr.Body)
	}
	if got := h.Emulator.PushTaskCount(); got != tasks+1 {
		t.Errorf("push tasks %d after the faulted notify, want %d", got, tasks+1)
	}
	var logged []string
	for _, rec := range h.Emulator.Requests() {
		logged = append(logged, fmt.Sprintf("%d %s", rec.Status, rec.Fault))
	}
	if want := []string{"502 status 502 after processing", "504 status 504 after processing"}; !reflect.DeepEqual(logged, want) {
		t.Errorf("logged %q, want %q", logged, want)
	}
	// The count is used up: the next send is answered normally.
	if r := h.do("POST", "/v1/apps/mbox?access_token="+emulator.DemoAccessToken, nil, `{"type":"TEXT","body":{"content":"hi"},"usernames":["lisi"]}`); r.HTTP != 200 {
		t.Errorf("after the count: HTTP %d %s", r.HTTP, r.Body)
	}
}

func TestFaultAfterProcessingNeedsAServerStatus(t *testing.T) {
	for _, rule := range []emulator.FaultRule{
		{Route: "POST /v1/apps/mbox", AfterProcessing: true},
		{Route: "POST /v1/apps/mbox", AfterProcessing: true, Status: 429},
		{Route: "POST /v1/apps/mbox", AfterProcessing: true, Status: 502, Drop: emulator.DropAfter},
		{Route: "POST /v1/apps/mbox", AfterProcessing: true, Status: 502, Code: 50200},
	} {
		_, err := emulator.New(emulator.Options{Faults: []emulator.FaultRule{rule}})
		if err == nil || !strings.Contains(err.Error(), "after_processing needs a 5xx status") {
			t.Errorf("%+v: error %v, want after_processing's rule", rule, err)
		}
	}
}
