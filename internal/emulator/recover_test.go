package emulator

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A handler bug must still answer in the route's envelope.
func TestPanicAnswers500InEnvelope(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = e.Close() }()
	boom := func(*call) (any, error) { panic("boom") }
	for _, p := range []string{"/v1/boom", "/push/boom"} {
		e.routes = append(e.routes, &route{method: "GET", pattern: p, key: "GET " + p, segments: strings.Split(p, "/"), handle: boom})
	}

	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, httptest.NewRequest("GET", "http://127.0.0.1/v1/boom?access_token="+DemoAccessToken, nil))
	var open struct {
		Status  int    `json:"status"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &open); err != nil || rec.Code != 500 || open.Status != 50000 {
		t.Errorf("Open API panic: HTTP %d %s", rec.Code, rec.Body)
	}

	rec = httptest.NewRecorder()
	req := httptest.NewRequest("GET", "http://127.0.0.1/push/boom", nil)
	req.Header.Set("access-token", DemoAccessToken)
	req.Header.Set("app_id", DemoAppID)
	e.ServeHTTP(rec, req)
	var push struct {
		Code    int     `json:"code"`
		Message *string `json:"message"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &push); err != nil || rec.Code != 500 || push.Code != 500 || push.Message == nil {
		t.Errorf("Push API panic: HTTP %d %s", rec.Code, rec.Body)
	}
	if got := e.Requests(); len(got) != 2 || got[0].Status != http.StatusInternalServerError {
		t.Errorf("log: %+v", got)
	}
}
