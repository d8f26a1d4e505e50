package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// TestAccSecrets_notInTraceLogsOrState runs an apply with TRACE logging, as a
// user debugging a pipeline would, and checks that neither the client secret
// nor any token the emulator issued appears in the logs or the state, and
// that all the run's provider processes made do with one token.
// Not parallel: it sets environment variables.
func TestAccSecrets_notInTraceLogsOrState(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	t.Setenv("WORKPLUS_CLIENT_SECRET", emulator.DemoClientSecret)
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // the token cache lives here

	config := fmt.Sprintf(`
provider "workplus" {
  endpoint  = %q
  domain_id = %q
  org_id    = %q
  client_id = %q
  app_id    = %q
  # Opt-in since it defaults to off: this test also proves the cache keeps
  # tokens out of the logs.
  token_cache = true
}
`, emu.URL, emulator.DemoDomainID, emulator.DemoOrgID, emulator.DemoClientID, emulator.DemoAppID) + minimalTemplate + `
data "workplus_template" "read_back" {
  id = workplus_template.test.id
}

# Push credentials: the audit goes to the state, the certificate (PKCS#12
# with its private key here) and the app secret do not.
data "workplus_push_certificate" "apns" {
  vendor = "apns"
}
data "workplus_push_certificate" "huawei" {
  vendor = "huawei"
}
`
	var stateText string
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					stateText = s.String()
					return nil
				},
			},
		},
	})

	// Every terraform command of the test (plans, apply, refreshes, destroy)
	// starts the provider anew; the token cache lets them share one token.
	if n := emu.Emulator.RouteCounts()["POST /v1/token"]; n != 1 {
		t.Errorf("the test's terraform commands fetched %d tokens, want 1", n)
	}
	secrets := []string{emulator.DemoClientSecret}
	for _, token := range emu.Emulator.Snapshot().AccessTokens {
		if token.ClientID != "" {
			secrets = append(secrets, token.Token)
		}
	}
	if len(secrets) < 2 {
		t.Fatalf("the provider fetched no token: the test would prove nothing")
	}
	pushSecrets := 0
	for _, cert := range emu.Emulator.Snapshot().Certificates {
		if cert.AppID == emulator.DemoAppID && cert.Environment == workplus.EnvironmentProduction && (cert.Vendor == "apns" || cert.Vendor == "huawei") {
			for _, secret := range []string{cert.AppSecret, cert.Certificate} {
				if secret != "" {
					secrets = append(secrets, secret)
					pushSecrets++
				}
			}
		}
	}
	if pushSecrets < 2 {
		t.Fatalf("found %d push credential secrets in the emulator: the test would prove nothing", pushSecrets)
	}
	logBytes, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("reading the TRACE log: %v", err)
	}
	logText := string(logBytes)
	if !strings.Contains(logText, "WorkPlus API request") || !strings.Contains(logText, "access_token=REDACTED") {
		t.Fatalf("the TRACE log has no provider request lines (%d bytes); the check below would prove nothing", len(logBytes))
	}
	for _, secret := range secrets {
		if strings.Contains(logText, secret) {
			t.Errorf("the TRACE log contains the secret %.40q", secret)
		}
		if strings.Contains(stateText, secret) {
			t.Errorf("the state contains the secret %.40q", secret)
		}
	}
}

// TestAccSecrets_endpointUserInfoNotInDebugLogs: with endpoint =
// "http://admin:<password>@host", TF_LOG=debug request lines show the user
// info as admin:xxxxx. The old provider logged the password in every line.
// Not parallel: it sets environment variables.
func TestAccSecrets_endpointUserInfoNotInDebugLogs(t *testing.T) {
	const password = "endpoint-pass-5172"
	emu := newTestEmulator(t, emulator.Options{})
	logPath := filepath.Join(t.TempDir(), "debug.log")
	t.Setenv("TF_LOG", "DEBUG")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	endpoint := strings.Replace(emu.URL, "http://", "http://admin:"+password+"@", 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
provider "workplus" {
  endpoint     = %q
  access_token = %q
}
data "workplus_templates" "all" {}
`, endpoint, emulator.DemoAccessToken),
		}},
	})
	logBytes, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatalf("reading the debug log: %v", err)
	}
	logText := string(logBytes)
	if !strings.Contains(logText, "WorkPlus API request") {
		t.Fatalf("the debug log has no request line (%d bytes); the check below would prove nothing", len(logBytes))
	}
	// The test harness logs the configuration it runs, password included;
	// what matters is every line the provider wrote.
	providerLines := 0
	for line := range strings.Lines(logText) {
		if !strings.Contains(line, "tf_provider_addr=") {
			continue
		}
		providerLines++
		if strings.Contains(line, password) {
			t.Errorf("a provider log line shows the endpoint's password: %.300s", line)
		}
	}
	if providerLines == 0 || !strings.Contains(logText, "admin:xxxxx@") {
		t.Errorf("%d provider log lines, none with the endpoint shown as admin:xxxxx@", providerLines)
	}
}
