package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/emulator/emulatortest"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// testAccProtoV6ProviderFactories serves the provider in-process, so
// acceptance tests never need the registry.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"workplus": providerserver.NewProtocol6WithError(New("test")()),
}

// testEmulator is one emulator per test, so tests run in parallel without
// seeing each other's templates, messages or request counts.
type testEmulator struct {
	*emulatortest.Instance
	// client talks to the emulator behind Terraform's back, to cause drift
	// and to check what the provider did.
	client *workplus.Client
}

func newTestEmulator(t *testing.T, opts emulator.Options) *testEmulator {
	t.Helper()
	instance := emulatortest.Start(t, opts)
	// The client retries like the provider does, so checks hold even while a
	// test injects faults.
	client, err := workplus.New(workplus.Config{
		Endpoint: instance.URL, AccessToken: emulator.DemoAccessToken,
		MaxRetries: 10, RetryWaitMin: 5 * time.Millisecond, RetryWaitMax: 50 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("client for the test emulator: %v", err)
	}
	return &testEmulator{Instance: instance, client: client}
}

// providerConfig is the provider block pointing at this emulator.
func (e *testEmulator) providerConfig() string {
	return fmt.Sprintf(`
provider "workplus" {
  endpoint     = %q
  access_token = %q
  app_id       = %q
}
`, e.URL, emulator.DemoAccessToken, emulator.DemoAppID)
}

// config prefixes a test configuration with the provider block.
func (e *testEmulator) config(body string) string {
	return e.providerConfig() + body
}

// testContextBackground is for checks that run outside a test's own goroutine
// (terraform-plugin-testing calls them), where t.Context is not at hand.
func testContextBackground() context.Context {
	return context.Background()
}

// expectRouteCallsMultipleOf checks that every read of a data source called
// route exactly perRead times: Terraform reads a data source a varying number
// of times per step, each read must be complete.
func (e *testEmulator) expectRouteCallsMultipleOf(route string, perRead int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.Emulator.RouteCounts()[route]; got == 0 || got%perRead != 0 {
			return fmt.Errorf("%s was called %d times, want a non-zero multiple of %d", route, got, perRead)
		}
		return nil
	}
}

// expectRouteCalls checks that route was called exactly want times.
func (e *testEmulator) expectRouteCalls(route string, want int, why string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := e.Emulator.RouteCounts()[route]; got != want {
			return fmt.Errorf("%s was called %d times, want %d (%s)", route, got, want, why)
		}
		return nil
	}
}
