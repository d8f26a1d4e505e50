package provider

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"sigs.k8s.io/yaml"

	"github.com/workplus/terraform-provider-workplus/internal/certaudit"
	"github.com/workplus/terraform-provider-workplus/internal/certgen"
	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// testCertificate is a certificate the test generated, with what the audit
// must report for it.
type testCertificate struct {
	bundle      *certgen.Bundle
	notBefore   string
	notAfter    string
	fingerprint string
	days        int64
}

// newTestCertificate generates a certificate expiring in days days and a half.
// The half day keeps expires_in_days exact however long the test runs.
func newTestCertificate(t *testing.T, commonName string, serial int64, days int64) testCertificate {
	t.Helper()
	now := time.Now().UTC().Truncate(time.Second)
	notBefore := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	notAfter := now.Add(time.Duration(days)*24*time.Hour + 12*time.Hour)
	bundle, err := certgen.Generate(certgen.Options{
		CommonName: commonName, Organization: "Example", NotBefore: notBefore, NotAfter: notAfter, Serial: big.NewInt(serial),
	})
	if err != nil {
		t.Fatalf("generating certificate: %v", err)
	}
	sum := sha256.Sum256(bundle.CertDER)
	return testCertificate{
		bundle:      bundle,
		notBefore:   "2024-01-02T03:04:05Z",
		notAfter:    notAfter.Format(time.RFC3339),
		fingerprint: hex.EncodeToString(sum[:]),
		days:        days,
	}
}

// auditChecks are the audit attributes an X.509 certificate must produce.
func (c testCertificate) auditChecks(format, subject, serial string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{
		"certificate_format": knownvalue.StringExact(format),
		"subject":            knownvalue.StringExact(subject),
		"issuer":             knownvalue.StringExact(subject), // self-signed
		"serial":             knownvalue.StringExact(serial),
		"not_before":         knownvalue.StringExact(c.notBefore),
		"not_after":          knownvalue.StringExact(c.notAfter),
		"sha256_fingerprint": knownvalue.StringExact(c.fingerprint),
		"expires_in_days":    knownvalue.Int64Exact(c.days),
	}
}

// certificateSeed is the default seed with its certificates replaced. It goes
// through YAML and LoadSeed, as a user's seed file would.
func certificateSeed(t *testing.T, certificates []emulator.Certificate) *emulator.Seed {
	t.Helper()
	seed := emulator.DefaultSeed()
	seed.Certificates = certificates
	data, err := yaml.Marshal(seed)
	if err != nil {
		t.Fatalf("encoding seed: %v", err)
	}
	loaded, err := emulator.LoadSeed(data)
	if err != nil {
		t.Fatalf("loading seed: %v", err)
	}
	return loaded
}

// auditFixture is one emulator whose certificates cover every format the
// audit knows, an expired one, one without a certificate and one it cannot
// recognise; meizu has none.
type auditFixture struct {
	*testEmulator
	current, expired, later testCertificate
	fcmEmail, fcmKeyID      string
}

func newAuditFixture(t *testing.T) auditFixture {
	t.Helper()
	f := auditFixture{
		current: newTestCertificate(t, "com.example.push", 0x0a1b2c, 10),
		expired: newTestCertificate(t, "com.example.old", 0x01, -3),
		later:   newTestCertificate(t, "com.example.vivo", 0x7f, 100),
	}
	fcm, err := certgen.FCMServiceAccountJSON("example-project", "")
	if err != nil {
		t.Fatal(err)
	}
	var key struct {
		ClientEmail  string `json:"client_email"`
		PrivateKeyID string `json:"private_key_id"`
	}
	if err := json.Unmarshal([]byte(fcm), &key); err != nil {
		t.Fatal(err)
	}
	f.fcmEmail, f.fcmKeyID = key.ClientEmail, key.PrivateKeyID
	cert := func(vendor string, environment int, name, text string) emulator.Certificate {
		return emulator.Certificate{AppID: emulator.DemoAppID, Vendor: vendor, Environment: environment, Name: name, Certificate: text}
	}
	xiaomi := cert("xiaomi", 1, "Xiaomi", "")
	xiaomi.AppKey, xiaomi.AppSecret = "xm-key", "xm-secret"
	huawei := cert("huawei", 1, "Huawei", base64.StdEncoding.EncodeToString(f.current.bundle.PKCS12))
	huawei.AppKey, huawei.AppSecret = "hw-key", "hw-secret"
	f.testEmulator = newTestEmulator(t, emulator.Options{Seed: certificateSeed(t, []emulator.Certificate{
		cert("apns", 1, "APNs production", f.current.bundle.CertPEM+f.current.bundle.KeyPEM),
		cert("apns", 0, "APNs development", base64.StdEncoding.EncodeToString(f.current.bundle.CertDER)),
		huawei,
		xiaomi,
		cert("vivo", 1, "VIVO", base64.StdEncoding.EncodeToString(f.later.bundle.CertDER)),
		cert("vivo", 0, "VIVO development", "not a certificate at all"),
		cert("oppo", 0, "OPPO development", f.expired.bundle.CertPEM),
		cert("fcm", 1, "FCM", fcm),
	})})
	return f
}

func TestAccPushCertificateDataSource_formats(t *testing.T) {
	f := newAuditFixture(t)
	const subject = "CN=com.example.push,O=Example"
	withAPI := func(name string, checks map[string]knownvalue.Check) map[string]knownvalue.Check {
		checks["name"] = knownvalue.StringExact(name)
		checks["app_id"] = knownvalue.StringExact(emulator.DemoAppID)
		return checks
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: f.config(`
data "workplus_push_certificate" "pem" {
  vendor = "apns"
}
data "workplus_push_certificate" "der" {
  vendor      = "apns"
  environment = "development"
}
data "workplus_push_certificate" "pkcs12" {
  vendor = "huawei"
  app_id = "` + emulator.DemoAppID + `"
}
data "workplus_push_certificate" "json" {
  vendor = "fcm"
}
data "workplus_push_certificate" "keys_only" {
  vendor = "xiaomi"
}
data "workplus_push_certificate" "unknown" {
  vendor      = "vivo"
  environment = "development"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				expectAttributes("data.workplus_push_certificate.pem", withAPI("APNs production", f.current.auditChecks("pem", subject, "0a1b2c"))),
				statecheck.ExpectKnownValue("data.workplus_push_certificate.pem", tfjsonpath.New("environment"), knownvalue.StringExact("production")),
				expectAttributes("data.workplus_push_certificate.der", withAPI("APNs development", f.current.auditChecks("der", subject, "0a1b2c"))),
				expectAttributes("data.workplus_push_certificate.pkcs12", withAPI("Huawei", f.current.auditChecks("pkcs12", subject, "0a1b2c"))),
				statecheck.ExpectKnownValue("data.workplus_push_certificate.pkcs12", tfjsonpath.New("app_key"), knownvalue.StringExact("hw-key")),
				expectAttributes("data.workplus_push_certificate.json", withAPI("FCM", map[string]knownvalue.Check{
					"certificate_format": knownvalue.StringExact("json"),
					"subject":            knownvalue.StringExact(f.fcmEmail),
					"issuer":             knownvalue.Null(),
					"serial":             knownvalue.StringExact(f.fcmKeyID),
					"not_before":         knownvalue.Null(),
					"not_after":          knownvalue.Null(),
					"sha256_fingerprint": knownvalue.Null(),
					"expires_in_days":    knownvalue.Null(),
				})),
				expectAttributes("data.workplus_push_certificate.keys_only", withAPI("Xiaomi", map[string]knownvalue.Check{
					"certificate_format": knownvalue.Null(),
					"not_after":          knownvalue.Null(),
					"expires_in_days":    knownvalue.Null(),
					"app_key":            knownvalue.StringExact("xm-key"),
				})),
				expectAttributes("data.workplus_push_certificate.unknown", map[string]knownvalue.Check{
					"certificate_format": knownvalue.StringExact("unknown"),
					"subject":            knownvalue.Null(),
					"not_after":          knownvalue.Null(),
				}),
			},
			Check: func(s *terraform.State) error {
				return stateHoldsNone(s, f.current.bundle.KeyPEM, f.current.bundle.CertPEM, "hw-secret", "xm-secret")
			},
		}},
	})
}

// stateHoldsNone fails when the state holds any of secrets, or any attribute
// named certificate or app_secret. The old data source kept both in state,
// where Sensitive only hid them from the CLI.
func stateHoldsNone(s *terraform.State, secrets ...string) error {
	text := s.String()
	for _, secret := range secrets {
		if strings.Contains(text, strings.TrimSpace(secret)) {
			return fmt.Errorf("the state holds secret material %.40q", secret)
		}
	}
	for addr, rs := range s.RootModule().Resources {
		for _, name := range []string{"certificate", "app_secret"} {
			if _, ok := rs.Primary.Attributes[name]; ok {
				return fmt.Errorf("%s keeps %s in the state", addr, name)
			}
		}
	}
	return nil
}

// TestAccPushCertificateEphemeralResource hands the secret material out
// without writing it to state: the echo provider copies it into its own
// state, where the test can look, while the workplus state holds none.
func TestAccPushCertificateEphemeralResource(t *testing.T) {
	f := newAuditFixture(t)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: testAccEchoProviderFactories,
		Steps: []resource.TestStep{{
			Config: f.config(`
ephemeral "workplus_push_certificate" "huawei" {
  vendor = "huawei"
}

provider "echo" {
  data = ephemeral.workplus_push_certificate.huawei
}

resource "echo" "test" {}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("app_secret"), knownvalue.StringExact("hw-secret")),
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("app_key"), knownvalue.StringExact("hw-key")),
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("environment"), knownvalue.StringExact("production")),
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("certificate"), knownvalue.StringRegexp(regexp.MustCompile(`^\S{100,}$`))),
			},
		}},
	})
}

func TestAccPushCertificateDataSource_notConfigured(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      e.config(`data "workplus_push_certificate" "test" { vendor = "meizu" }`),
				ExpectError: regexp.MustCompile(`(?s)no meizu push credential for the\s+production environment`),
			},
			{
				// The default seed has OPPO for development only.
				Config:      e.config(`data "workplus_push_certificate" "test" { vendor = "oppo" }`),
				ExpectError: regexp.MustCompile(`(?s)no oppo push credential for the\s+production environment`),
			},
			{
				Config:      e.config(`data "workplus_push_certificate" "test" { vendor = "nokia" }`),
				ExpectError: regexp.MustCompile(`(?s)Attribute vendor value must be one of`),
			},
			{
				Config: e.config(`
data "workplus_push_certificate" "test" {
  vendor      = "apns"
  environment = "staging"
}
`),
				ExpectError: regexp.MustCompile(`(?s)Attribute environment value must be one of`),
			},
		},
	})
}

func TestAccPushCertificateDataSource_defaultSeed(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.config(`
data "workplus_push_certificate" "prod" { vendor = "apns" }
data "workplus_push_certificate" "dev" {
  vendor      = "apns"
  environment = "development"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.workplus_push_certificate.prod", tfjsonpath.New("certificate_format"), knownvalue.StringExact("pkcs12")),
				statecheck.ExpectKnownValue("data.workplus_push_certificate.prod", tfjsonpath.New("subject"), knownvalue.StringExact("CN=com.workplus.demo,O=WorkPlus Emulator")),
				statecheck.ExpectKnownValue("data.workplus_push_certificate.dev", tfjsonpath.New("certificate_format"), knownvalue.StringExact("pem")),
				// The seed generates it for 20 days from the emulator's start.
				statecheck.ExpectKnownValue("data.workplus_push_certificate.dev", tfjsonpath.New("expires_in_days"), knownvalue.Int64Exact(19)),
			},
		}},
	})
}

// expectAttributes checks several attributes of one resource or data source
// and reports every mismatch, not only the first.
func expectAttributes(address string, checks map[string]knownvalue.Check) statecheck.StateCheck {
	var all stateChecks
	for _, name := range slices.Sorted(maps.Keys(checks)) {
		all = append(all, statecheck.ExpectKnownValue(address, tfjsonpath.New(name), checks[name]))
	}
	return all
}

type stateChecks []statecheck.StateCheck

func (s stateChecks) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	for _, check := range s {
		var r statecheck.CheckStateResponse
		check.CheckState(ctx, req, &r)
		resp.Error = errors.Join(resp.Error, r.Error)
	}
}

func TestAuditCertificate(t *testing.T) {
	now := time.Now()
	c := newTestCertificate(t, "com.example.unit", 5, 3)

	audit, err := auditCertificate(c.bundle.CertPEM, now)
	if err != nil || audit.CertificateFormat.ValueString() != certaudit.FormatPEM || audit.NotAfter.ValueString() != c.notAfter ||
		audit.SHA256Fingerprint.ValueString() != c.fingerprint || audit.ExpiresInDays.ValueInt64() != 3 || audit.Serial.ValueString() != "05" {
		t.Errorf("PEM audit = %+v, %v", audit, err)
	}

	audit, err = auditCertificate("  \n", now)
	if err != nil || !audit.CertificateFormat.IsNull() || !audit.ExpiresInDays.IsNull() {
		t.Errorf("empty certificate: audit = %+v, err = %v; want all null and no error", audit, err)
	}

	broken := strings.Replace(c.bundle.CertPEM, "\n", "\nAAAA", 3)
	audit, err = auditCertificate(broken, now)
	if err == nil || audit.CertificateFormat.ValueString() != certaudit.FormatPEM || !audit.NotAfter.IsNull() {
		t.Errorf("broken PEM: audit = %+v, err = %v; want format pem, null dates and an error", audit, err)
	}
	summary, detail := certificateAuditWarning("apns", "production", audit.CertificateFormat, err)
	if summary == "" || !strings.Contains(detail, "apns production") || !strings.Contains(detail, "pem") {
		t.Errorf("warning = %q / %q; want it to name the credential and the format", summary, detail)
	}

	if _, err := auditCertificate(base64.StdEncoding.EncodeToString([]byte("plain words")), now); err != nil {
		t.Errorf("unrecognised data is format unknown, not an error: %v", err)
	}
}
