package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// testAccEchoProviderFactories add the echo provider, which copies an
// ephemeral value into state where a test can look at it.
var testAccEchoProviderFactories = func() map[string]func() (tfprotov6.ProviderServer, error) {
	factories := map[string]func() (tfprotov6.ProviderServer, error){"echo": echoprovider.NewProviderServer()}
	for name, factory := range testAccProtoV6ProviderFactories {
		factories[name] = factory
	}
	return factories
}()

// credentialsConfig is the provider block with client credentials instead of
// a static token.
func (e *testEmulator) credentialsConfig() string {
	return fmt.Sprintf(`
provider "workplus" {
  endpoint      = %q
  domain_id     = %q
  org_id        = %q
  client_id     = %q
  client_secret = %q
  app_id        = %q
}
`, e.URL, emulator.DemoDomainID, emulator.DemoOrgID, emulator.DemoClientID, emulator.DemoClientSecret, emulator.DemoAppID)
}

const echoAccessToken = `
ephemeral "workplus_access_token" "test" {}

provider "echo" {
  data = ephemeral.workplus_access_token.test
}

resource "echo" "test" {}
`

func TestAccAccessTokenEphemeralResource_basic(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: testAccEchoProviderFactories,
		Steps: []resource.TestStep{{
			Config: e.credentialsConfig() + echoAccessToken,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("client_id"), knownvalue.StringExact(emulator.DemoClientID)),
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("access_token"), knownvalue.StringRegexp(regexp.MustCompile(`^\S{8,}$`))),
				statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey("expires_at"), knownvalue.StringFunc(func(v string) error {
					expires, err := time.Parse(time.RFC3339, v)
					if err != nil {
						return err
					}
					if until := time.Until(expires); until < time.Hour || until > 3*time.Hour {
						return fmt.Errorf("expires_at %s is %s away; the emulator issues tokens for 2h", v, until)
					}
					return nil
				})),
			},
			// The token is a real one: the Push API accepts it.
			Check: func(s *terraform.State) error {
				token := s.RootModule().Resources["echo.test"].Primary.Attributes["data.access_token"]
				client, err := workplus.New(workplus.Config{Endpoint: e.URL, AccessToken: token, MaxRetries: -1})
				if err != nil {
					return err
				}
				_, err = client.GetCertificate(testContextBackground(), emulator.DemoAppID, workplus.VendorAPNs, workplus.EnvironmentProduction)
				return err
			},
		}},
	})
}

func TestAccAccessTokenEphemeralResource_staticToken(t *testing.T) {
	e := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: testAccEchoProviderFactories,
		Steps: []resource.TestStep{{
			Config:      e.providerConfig() + echoAccessToken,
			ExpectError: errorPattern(`Could not fetch a WorkPlus access token.*configured with an access token; fetching a new token needs client_id and client_secret`),
		}},
	})
}
