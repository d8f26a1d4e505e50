package provider

import (
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// The bad-input corpus: every way configuration, attributes or a server can
// be wrong must end in a diagnostic that names the attribute or endpoint,
// never in a panic, and never lose what is already in state or on the server.

const minimalTemplate = `
resource "workplus_template" "test" {
  title = "Corpus"
  rows  = [{ cells = [{ content = "hello {{name.DATA}}" }] }]
}
`

// providerBlock writes a provider block from attribute lines.
func providerBlock(lines ...string) string {
	return "provider \"workplus\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n"
}

// closedPort returns an address where nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestAccBadInput_providerConfiguration(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	tlsEmu := httptest.NewTLSServer(emu.Emulator)
	t.Cleanup(tlsEmu.Close)
	endpoint := fmt.Sprintf("endpoint = %q", emu.URL)
	token := fmt.Sprintf("access_token = %q", emulator.DemoAccessToken)
	app := fmt.Sprintf("app_id = %q", emulator.DemoAppID)
	unreadable := filepath.Join(t.TempDir(), "missing-ca.pem")

	cases := map[string]struct {
		provider string
		want     string
	}{
		"no auth":                  {providerBlock(endpoint, app), `Missing WorkPlus authentication`},
		"both auth modes":          {providerBlock(endpoint, token, `client_id = "c"`), `(?s)Conflicting WorkPlus authentication.*client_id`},
		"incomplete credentials":   {providerBlock(endpoint, `client_id = "c"`, `client_secret = "s"`), `(?s)domain_id is required with client credentials`},
		"relative endpoint":        {providerBlock(`endpoint = "workplus.example.com"`, token), `(?s)Invalid endpoint.*must start with http:// or https://`},
		"ftp endpoint":             {providerBlock(`endpoint = "ftp://workplus.example.com"`, token), `(?s)Invalid endpoint.*must start with http://`},
		"endpoint with query":      {providerBlock(`endpoint = "https://h.example.com/?x=1"`, token), `(?s)endpoint.*must not have a query`},
		"bad push endpoint":        {providerBlock(endpoint, `push_endpoint = "push"`, token), `(?s)Invalid push_endpoint`},
		"missing endpoint":         {providerBlock(token), `(?s)Missing WorkPlus endpoint.*WORKPLUS_ENDPOINT`},
		"bad request timeout":      {providerBlock(endpoint, token, `request_timeout = "soon"`), `(?s)Invalid Time Duration String Value.*request_timeout = "soon"`},
		"negative request timeout": {providerBlock(endpoint, token, `request_timeout = "-5s"`), `(?s)request_timeout.*not a positive Go duration`},
		"negative max retries":     {providerBlock(endpoint, token, `max_retries = -1`), `(?s)max_retries.*between 0 and 20`},
		"page size zero":           {providerBlock(endpoint, token, `page_size = 0`), `(?s)page_size.*between 1 and 1000`},
		"bad source type":          {providerBlock(endpoint, token, `source_type = "PARTNER"`), `(?s)source_type.*value must be one of`},
		"ca file and pem":          {providerBlock(endpoint, token, `ca_file = "a.pem"`, `ca_pem = "x"`), `(?s)"ca_pem" cannot be specified when "ca_file"`},
		"unreadable ca file":       {providerBlock(endpoint, token, fmt.Sprintf("ca_file = %q", unreadable)), `(?s)Unreadable ca_file.*missing-ca.pem`},
		"garbage ca pem":           {providerBlock(endpoint, token, `ca_pem = "not a certificate"`), `(?s)Invalid CA certificates.*no PEM certificate`},
		"unreachable endpoint": {
			providerBlock(fmt.Sprintf("endpoint = %q", "http://"+closedPort(t)), token, app, `max_retries = 1`),
			`(?s)WorkPlus API POST /v1/templates.*connection refused`,
		},
		"wrong token":              {providerBlock(endpoint, `access_token = "wrong"`, app), `(?s)HTTP\s+401, code 10011: token not found`},
		"wrong client credentials": {providerBlock(endpoint, `domain_id = "atwork"`, `org_id = "o"`, `client_id = "c"`, `client_secret = "wrong"`, app), `(?s)POST /v1/token: HTTP\s+401`},
		"TLS failure": {
			providerBlock(fmt.Sprintf("endpoint = %q", tlsEmu.URL), token, app),
			`(?s)WorkPlus API POST /v1/templates.*certificate`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      tc.provider + minimalTemplate,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
	t.Cleanup(func() {
		if n := emu.Emulator.TemplateCount(); n != len(emulator.DefaultSeed().Templates) {
			t.Errorf("a rejected configuration created templates: %d on the server", n)
		}
	})
}

func TestAccBadInput_templateAttributes(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	cases := map[string]struct {
		body string
		want string
	}{
		"bad align": {
			`rows = [{ cells = [{ content = "x", align = "middle" }] }]`,
			`(?s)rows\[0\]\.cells\[0\]\.align.*value must be one of`,
		},
		// Malformed placeholders and scheme-less action values are warnings,
		// not errors: TestTemplateValidation_consoleContentWarns.
		"empty rows": {
			`rows = []`,
			`(?s)Attribute rows list must contain at least 1 elements`,
		},
		"row without cells": {
			`rows = [{ cells = [] }]`,
			`(?s)rows\[0\]\.cells list must contain at least 1 elements`,
		},
		"action without name": {
			`rows = [{ cells = [{ content = "x" }] }]
  actions = [{ name = "", value = "https://ci.example.com" }]`,
			`(?s)actions\[0\]\.name string length must be at least 1`,
		},
		"empty title": {
			`title = ""
  rows = [{ cells = [{ content = "x" }] }]`,
			`(?s)Attribute title string length must be at least 1`,
		},
		"bad source type": {
			`source_type = "PARTNER"
  rows = [{ cells = [{ content = "x" }] }]`,
			`(?s)source_type value must be one of`,
		},
		"empty app id": {
			`app_id = ""
  rows = [{ cells = [{ content = "x" }] }]`,
			`(?s)Attribute app_id string length must be at least 1`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			title := `title = "Validation"`
			if strings.HasPrefix(tc.body, "title") {
				title = ""
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      emu.config(fmt.Sprintf("resource \"workplus_template\" \"test\" {\n  %s\n  %s\n}\n", title, tc.body)),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
	t.Cleanup(func() {
		if n := emu.Emulator.TemplateCount(); n != len(emulator.DefaultSeed().Templates) {
			t.Errorf("invalid configurations reached the server: %d templates", n)
		}
	})
}

// brokenServer sits in front of an emulator and, while a breakage is set,
// answers template reads with it instead of the emulator's answer.
type brokenServer struct {
	*testEmulator
	breakage atomic.Pointer[http.HandlerFunc]
	URL      string
}

func newBrokenServer(t *testing.T) *brokenServer {
	t.Helper()
	b := &brokenServer{testEmulator: newTestEmulator(t, emulator.Options{})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h := b.breakage.Load(); h != nil && strings.HasPrefix(r.URL.Path, "/v1/templates") {
			(*h)(w, r)
			return
		}
		b.Emulator.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	b.URL = srv.URL
	return b
}

func (b *brokenServer) config() string {
	return providerBlock(fmt.Sprintf("endpoint = %q", b.URL), fmt.Sprintf("access_token = %q", emulator.DemoAccessToken),
		fmt.Sprintf("app_id = %q", emulator.DemoAppID), "max_retries = 1") + minimalTemplate
}

func answer(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

// TestAccBadInput_serverAnswers breaks the server after a template is in
// state: refresh fails with a diagnostic naming the endpoint, and once the
// server recovers the plan is empty, so nothing was lost from state.
func TestAccBadInput_serverAnswers(t *testing.T) {
	cases := map[string]struct {
		breakage http.HandlerFunc
		want     string
	}{
		"HTML error page":      {answer(502, "text/html", "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>"), `(?s)GET /v1/templates/.*HTTP\s+502.*not JSON.*text/html.*502 Bad\s+Gateway`},
		"empty body":           {answer(200, "application/json", ""), `(?s)GET /v1/templates/.*body is empty`},
		"truncated JSON":       {answer(200, "application/json", `{"status":0,"message":"Everything is ok.","result":{"id":"x","ti`), `(?s)GET /v1/templates/.*not JSON`},
		"10 MiB body":          {answer(200, "application/json", `{"status":0,"result":"`+strings.Repeat("x", 10<<20)+`"}`), `(?s)GET /v1/templates/.*larger than 8 MiB`},
		"wrong JSON types":     {answer(200, "application/json", `{"status":0,"message":"ok","result":{"id":"x","create_time":"yesterday"}}`), `(?s)GET /v1/templates/.*create_time`},
		"not an envelope":      {answer(200, "application/json", `{"error":"internal"}`), `(?s)GET /v1/templates/.*not a WorkPlus envelope`},
		"error in a 200":       {answer(200, "application/json", `{"status":50000,"message":"database unavailable","result":null}`), `(?s)GET /v1/templates/.*code 50000: database unavailable`},
		"token rejected":       {answer(401, "application/json", `{"status":10011,"message":"token not found.","result":null}`), `(?s)code 10011: token not found`},
		"rate limited":         {answer(429, "application/json", `{"status":42900,"message":"slow down","result":null}`), `(?s)HTTP\s+429.*slow down`},
		"plain text 500":       {answer(500, "text/plain", "Internal Server Error"), `(?s)HTTP\s+500.*not JSON.*Internal Server Error`},
		"result of wrong type": {answer(200, "application/json", `{"status":0,"message":"ok","result":[1,2,3]}`), `(?s)not what WorkPlus documents`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			b := newBrokenServer(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: b.config()},
					{
						PreConfig:   func() { b.breakage.Store(&tc.breakage) },
						Config:      b.config(),
						ExpectError: regexp.MustCompile(tc.want),
					},
					{
						PreConfig: func() { b.breakage.Store(nil) },
						Config:    b.config(),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectEmptyPlan(),
						}},
					},
				},
			})
		})
	}
}

// TestAccBadInput_unknownEnumFromServer: a server that reports an alignment
// the provider does not know is drift, not an error: the plan puts the
// configured value back.
func TestAccBadInput_unknownEnumFromServer(t *testing.T) {
	b := newBrokenServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: b.config()},
			{
				PreConfig: func() {
					rewrite := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						rec := httptest.NewRecorder()
						b.Emulator.ServeHTTP(rec, r)
						body := strings.ReplaceAll(rec.Body.String(), `"align":"left"`, `"align":"diagonal"`)
						w.Header().Set("Content-Type", "application/json")
						w.WriteHeader(rec.Code)
						_, _ = w.Write([]byte(body))
					})
					b.breakage.Store(&rewrite)
				},
				Config:             b.config(),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// TestAccBadInput_createFailsCleanly: a create that the server answers with
// an error page leaves nothing in state and nothing on the server.
func TestAccBadInput_createFailsCleanly(t *testing.T) {
	b := newBrokenServer(t)
	breakage := answer(400, "text/html", "<html>Bad Request</html>")
	b.breakage.Store(&breakage)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      b.config(),
			ExpectError: regexp.MustCompile(`(?s)Could not create the WorkPlus template.*POST /v1/templates: HTTP\s+400`),
		}},
	})
	if n := b.Emulator.TemplateCount(); n != len(emulator.DefaultSeed().Templates) {
		t.Errorf("server holds %d templates after a failed create", n)
	}
}

// TestAccTLS_trustedCA talks HTTPS to the emulator with its CA given as
// ca_pem, as ca_file, and with verification skipped.
func TestAccTLS_trustedCA(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	tlsServer := httptest.NewTLSServer(emu.Emulator)
	t.Cleanup(tlsServer.Close)
	caPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsServer.Certificate().Raw}))
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, []byte(caPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	base := []string{fmt.Sprintf("endpoint = %q", tlsServer.URL), fmt.Sprintf("access_token = %q", emulator.DemoAccessToken), fmt.Sprintf("app_id = %q", emulator.DemoAppID)}
	for name, extra := range map[string]string{
		"ca_pem":               fmt.Sprintf("ca_pem = %q", caPEM),
		"ca_file":              fmt.Sprintf("ca_file = %q", caFile),
		"insecure_skip_verify": "insecure_skip_verify = true",
	} {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: providerBlock(append(base, extra)...) + `data "workplus_templates" "all" {}`,
				}},
			})
		})
	}
}
