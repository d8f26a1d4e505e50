package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// readExample returns a file of examples/, which the docs show as it is.
func readExample(t *testing.T, name string) string {
	t.Helper()
	text, err := os.ReadFile(filepath.Join("..", "..", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(text)
}

// TestAccPushCertificateAuditExamples runs the certificate audit examples of
// the docs and the guide "Auditing push certificates" as written: a
// postcondition fails the plan, a check only warns and everything is still
// applied. The old workplus_push_certificate example claimed its check block
// would "fail the plan" (issue #11).
func TestAccPushCertificateAuditExamples(t *testing.T) {
	const (
		guide  = "guides/auditing-push-certificates/main.tf"
		single = "data-sources/workplus_push_certificate/data-source.tf"
		audit  = "data-sources/workplus_push_certificates/data-source.tf"
	)
	expiring := func(n int) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data.workplus_push_certificates.audit", tfjsonpath.New("expiring"), knownvalue.ListSizeExact(n))
	}
	cases := map[string]struct {
		example string
		// expiringSoon: the emulator's APNs production certificate expires
		// in 10 days and an OPPO one has expired; otherwise the default
		// seed, whose APNs development certificate expires in 19 days.
		expiringSoon bool
		wantError    string
		checks       []statecheck.StateCheck
	}{
		// The check's assertion is false (one certificate within 30 days),
		// yet the plan and apply succeed.
		"guide, 19 days left: the check warns": {example: guide, checks: []statecheck.StateCheck{expiring(1)}},
		"guide, 10 days left: the postcondition fails": {
			example: guide, expiringSoon: true,
			wantError: `(?s)Resource postcondition failed.*Push certificates expire within 14 days or\s+have\s+expired:\s+apns\s+production\s+\(APNs\s+production\)`,
		},
		"single, 19 days left on development": {example: single},
		"single, 10 days left: the postcondition fails": {
			example: single, expiringSoon: true,
			wantError: `(?s)Resource postcondition failed.*The\s+APNs\s+production\s+certificate\s+\(CN=com.example.push,O=Example\)`,
		},
		// A check alone never stops anything, not even an expired certificate.
		"audit, one expired: the check only warns": {example: audit, expiringSoon: true, checks: []statecheck.StateCheck{expiring(4)}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var emu *testEmulator
			if tc.expiringSoon {
				emu = newAuditFixture(t).testEmulator
			} else {
				emu = newTestEmulator(t, emulator.Options{})
			}
			step := resource.TestStep{Config: emu.config(readExample(t, tc.example)), ConfigStateChecks: tc.checks}
			if tc.wantError != "" {
				step.ExpectError = regexp.MustCompile(tc.wantError)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps:                    []resource.TestStep{step},
			})
		})
	}
}
