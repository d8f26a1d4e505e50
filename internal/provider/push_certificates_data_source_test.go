package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

func TestAccPushCertificatesDataSource_audit(t *testing.T) {
	f := newAuditFixture(t)
	const address = "data.workplus_push_certificates.test"
	entry := func(vendor, environment string, configured bool, extra map[string]knownvalue.Check) knownvalue.Check {
		checks := map[string]knownvalue.Check{
			"vendor":      knownvalue.StringExact(vendor),
			"environment": knownvalue.StringExact(environment),
			"configured":  knownvalue.Bool(configured),
		}
		for k, v := range extra {
			checks[k] = v
		}
		return knownvalue.ObjectPartial(checks)
	}
	format := func(format string, days int64) map[string]knownvalue.Check {
		return map[string]knownvalue.Check{"certificate_format": knownvalue.StringExact(format), "expires_in_days": knownvalue.Int64Exact(days)}
	}
	const subject = "CN=com.example.push,O=Example"
	apnsProduction := entry("apns", "production", true, f.current.auditChecks("pem", subject, "0a1b2c"))
	apnsDevelopment := entry("apns", "development", true, f.current.auditChecks("der", subject, "0a1b2c"))
	huaweiProduction := entry("huawei", "production", true, f.current.auditChecks("pkcs12", subject, "0a1b2c"))
	oppoDevelopment := entry("oppo", "development", true, f.expired.auditChecks("pem", "CN=com.example.old,O=Example", "01"))
	vivoProduction := entry("vivo", "production", true, format("der", 100))

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: f.config(`
data "workplus_push_certificates" "test" {
  expiring_within_days = -1
}
`),
				ExpectError: regexp.MustCompile(`Attribute expiring_within_days value must be at least 0`),
			},
			{
				Config: f.config(`data "workplus_push_certificates" "test" {}`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("app_id"), knownvalue.StringExact(emulator.DemoAppID)),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("expiring_within_days"), knownvalue.Int64Exact(30)),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("certificates"), knownvalue.ListExact([]knownvalue.Check{
						apnsProduction,
						apnsDevelopment,
						huaweiProduction,
						entry("huawei", "development", false, nil),
						entry("xiaomi", "production", true, map[string]knownvalue.Check{"name": knownvalue.StringExact("Xiaomi"), "certificate_format": knownvalue.Null()}),
						entry("xiaomi", "development", false, nil),
						// An unconfigured entry has exactly these attributes, all
						// null: in particular no secrets.
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"vendor": knownvalue.StringExact("meizu"), "environment": knownvalue.StringExact("production"),
							"configured": knownvalue.Bool(false), "name": knownvalue.Null(),
							"certificate_format": knownvalue.Null(), "subject": knownvalue.Null(), "issuer": knownvalue.Null(),
							"serial": knownvalue.Null(), "not_before": knownvalue.Null(), "not_after": knownvalue.Null(),
							"sha256_fingerprint": knownvalue.Null(), "expires_in_days": knownvalue.Null(),
						}),
						entry("meizu", "development", false, nil),
						vivoProduction,
						entry("vivo", "development", true, map[string]knownvalue.Check{"certificate_format": knownvalue.StringExact("unknown"), "expires_in_days": knownvalue.Null()}),
						entry("oppo", "production", false, nil),
						oppoDevelopment,
						entry("fcm", "production", true, map[string]knownvalue.Check{"certificate_format": knownvalue.StringExact("json"), "subject": knownvalue.StringExact(f.fcmEmail)}),
						entry("fcm", "development", false, nil),
					})),
					// Expired certificates count as expiring.
					statecheck.ExpectKnownValue(address, tfjsonpath.New("expiring"), knownvalue.ListExact([]knownvalue.Check{
						apnsProduction, apnsDevelopment, huaweiProduction, oppoDevelopment,
					})),
				},
				Check: f.expectRouteCallsMultipleOf("GET /push/certificate", 14),
			},
			{
				Config: f.config(`
data "workplus_push_certificates" "test" {
  app_id               = "` + emulator.DemoAppID + `"
  expiring_within_days = 0
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("expiring"), knownvalue.ListExact([]knownvalue.Check{oppoDevelopment})),
				},
			},
			{
				Config: f.config(`
data "workplus_push_certificates" "test" {
  expiring_within_days = 365
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("expiring"), knownvalue.ListExact([]knownvalue.Check{
						apnsProduction, apnsDevelopment, huaweiProduction, vivoProduction, oppoDevelopment,
					})),
				},
			},
		},
	})
}

// TestAccPushCertificatesDataSource_defaultSeed checks the audit of the
// emulator's demo app, whose APNs development certificate expires in 20 days.
func TestAccPushCertificatesDataSource_defaultSeed(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.config(`data "workplus_push_certificates" "test" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.workplus_push_certificates.test", tfjsonpath.New("certificates"), knownvalue.ListSizeExact(14)),
				statecheck.ExpectKnownValue("data.workplus_push_certificates.test", tfjsonpath.New("expiring"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"vendor": knownvalue.StringExact("apns"), "environment": knownvalue.StringExact("development"),
						"name": knownvalue.StringExact("WorkPlus Demo APNs Development"), "expires_in_days": knownvalue.Int64Exact(19),
					}),
				})),
			},
		}},
	})
}
