package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fuzzRoutes are the vendor routes whose request decoding the fuzzer drives.
var fuzzRoutes = []struct{ method, target string }{
	{"POST", "/v1/token"},
	{"POST", "/v1/templates?app_id=" + DemoAppID + "&access_token=" + DemoAccessToken},
	{"POST", "/v1/templates/6b0f2c1e-8d4a-4f3b-9c2e-1a5d7e9f0b3c?access_token=" + DemoAccessToken},
	{"GET", "/v1/templates?kw=x&skip=0&limit=5&access_token=" + DemoAccessToken},
	{"POST", "/v1/apps/mbox?access_token=" + DemoAccessToken},
	{"POST", "/push/notify"},
	{"POST", "/push/task/detail"},
	{"GET", "/push/certificate?provider=1&environment=1"},
	{"GET", "/v1/templates?skip=9223372036854775800&limit=9223372036854775807&access_token=" + DemoAccessToken},
}

// FuzzServeHTTP sends arbitrary bodies to every vendor route: the emulator
// must answer in the route's envelope with a 4xx or 2xx, never panic (which
// its recovery would turn into a 500) and never write malformed JSON.
func FuzzServeHTTP(f *testing.F) {
	seeds := []string{
		`{"grant_type":"client_credentials","scope":"app","domain_id":"atwork","org_id":"` + DemoOrgID + `","client_id":"demo-client","client_secret":"demo-client-secret"}`,
		`{"title":"t","tags":"a","sample":"s","actions":[{"name":"n","value":"https://x"}],"contents":[[{"content":"{{a.DATA}}","align":"left"}]]}`,
		`{"type":"TEXT","body":{"content":"hi"},"client_ids":["c24b6a94cfb14b79af12a1399edc9e31"]}`,
		`{"type":"TEMPLATE","body":{"template_id":"x","data":[{"key":"a","value":"1"}]},"for_all":true}`,
		`{"audience":"all","message":{"type":"text","title":"t"},"setting":{"request_id":"r"}}`,
		`{"audience":{"tag":["beijing"]},"setting":{"distribution_strategy":"ospush_only","ospush_sequence":["fcm"]}}`,
		`{"list":[1,2,3]}`,
		`{`, `null`, `[]`, `{"type":5}`, `{"audience":{"user_id":["x"]}}`,
		// Nesting past the limit, and strings full of brackets under it.
		`{"audience":"all","message":{"ext":` + strings.Repeat(`{"a":`, 10_000) + `1` + strings.Repeat(`}`, 10_000) + `}}`,
		`{"audience":"all","message":{"ext":{"s":"` + strings.Repeat(`[{`, 500) + `\"]}"}}}`,
		`{"audience":"all","message":{"ext":{"n":12345678901234567891}}}`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	e, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, routeIndex uint8, body []byte) {
		route := fuzzRoutes[int(routeIndex)%len(fuzzRoutes)]
		// A loopback Host: httptest's default, example.com, is refused.
		req := httptest.NewRequest(route.method, "http://127.0.0.1"+route.target, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("access-token", DemoAccessToken)
		req.Header.Set("app_id", DemoAppID)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code >= http.StatusInternalServerError {
			t.Fatalf("%s %s with %q: HTTP %d %s", route.method, route.target, body, rec.Code, rec.Body.String())
		}
		var envelope map[string]json.RawMessage
		if err := json.Unmarshal(rec.Body.Bytes(), &envelope); err != nil {
			t.Fatalf("%s %s answered non-JSON %q", route.method, route.target, rec.Body.String())
		}
		_, open := envelope["status"]
		_, push := envelope["code"]
		if !open && !push {
			t.Fatalf("%s %s answered without an envelope: %s", route.method, route.target, rec.Body.String())
		}
	})
}
