package emulator_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/emulator/emulatortest"
)

// seededTemplates is how many templates the default seed holds; tests that
// count templates count from it.
var seededTemplates = len(emulator.DefaultSeed().Templates)

// harness is an emulator on an httptest server plus plain net/http helpers
// that speak both APIs with the demo credentials.
type harness struct {
	t *testing.T
	*emulatortest.Instance
	client *http.Client
}

func start(t *testing.T, opts emulator.Options) *harness {
	t.Helper()
	in := emulatortest.Start(t, opts)
	return &harness{t: t, Instance: in, client: in.Server.Client()}
}

// forTest is the same emulator reporting to a subtest.
func (h *harness) forTest(t *testing.T) *harness {
	c := *h
	c.t = t
	return &c
}

type reply struct {
	HTTP   int
	Header http.Header
	Body   []byte
}

type openEnv struct {
	Status  int             `json:"status"`
	Message string          `json:"message"`
	Result  json.RawMessage `json:"result"`
}

type pushEnv struct {
	Code    int             `json:"code"`
	Data    json.RawMessage `json:"data"`
	Message *string         `json:"message"`
}

// do sends body as is when it is a string or []byte, as JSON otherwise.
func (h *harness) do(method, path string, header map[string]string, body any) reply {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			h.t.Fatalf("encoding body: %v", err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, h.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return reply{HTTP: resp.StatusCode, Header: resp.Header, Body: data}
}

// open calls the Open API with the demo token unless path names a token.
func (h *harness) open(method, path string, body any) (reply, openEnv) {
	h.t.Helper()
	if !strings.Contains(path, "access_token=") {
		path = withQuery(path, "access_token="+emulator.DemoAccessToken)
	}
	r := h.do(method, path, nil, body)
	var env openEnv
	h.decode(r.Body, &env)
	return r, env
}

// push calls the Push API with the demo token and app.
func (h *harness) push(method, path string, body any) (reply, pushEnv) {
	h.t.Helper()
	return h.pushAs(emulator.DemoAccessToken, method, path, body)
}

func (h *harness) pushAs(token, method, path string, body any) (reply, pushEnv) {
	h.t.Helper()
	r := h.do(method, path, map[string]string{"access-token": token, "app_id": emulator.DemoAppID}, body)
	var env pushEnv
	h.decode(r.Body, &env)
	return r, env
}

func (h *harness) decode(data []byte, v any) {
	h.t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		h.t.Fatalf("decoding %s: %v", data, err)
	}
}

// okResult checks an Open API success and decodes its result.
func (h *harness) okResult(r reply, env openEnv, v any) {
	h.t.Helper()
	if r.HTTP != http.StatusOK || env.Status != 0 {
		h.t.Fatalf("want success, got HTTP %d: %s", r.HTTP, r.Body)
	}
	if v != nil {
		h.decode(env.Result, v)
	}
}

// okData checks a Push API success and decodes its data.
func (h *harness) okData(r reply, env pushEnv, v any) {
	h.t.Helper()
	if r.HTTP != http.StatusOK || env.Code != 200 || env.Message != nil {
		h.t.Fatalf("want success, got HTTP %d: %s", r.HTTP, r.Body)
	}
	if v != nil {
		h.decode(env.Data, v)
	}
}

// wantOpenError checks an Open API failure's HTTP status, envelope status
// and that its message contains fragment.
func (h *harness) wantOpenError(r reply, env openEnv, httpStatus, status int, fragment string) {
	h.t.Helper()
	if r.HTTP != httpStatus || env.Status != status || !strings.Contains(env.Message, fragment) || string(env.Result) != "null" {
		h.t.Fatalf("want HTTP %d, status %d, message containing %q; got HTTP %d: %s", httpStatus, status, fragment, r.HTTP, r.Body)
	}
}

func (h *harness) wantPushError(r reply, env pushEnv, httpStatus, code int, fragment string) {
	h.t.Helper()
	if r.HTTP != httpStatus || env.Code != code || env.Message == nil || !strings.Contains(*env.Message, fragment) || string(env.Data) != "null" {
		h.t.Fatalf("want HTTP %d, code %d, message containing %q; got HTTP %d: %s", httpStatus, code, fragment, r.HTTP, r.Body)
	}
}

func withQuery(path, kv string) string {
	if strings.Contains(path, "?") {
		return path + "&" + kv
	}
	return path + "?" + kv
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "conformance", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}
