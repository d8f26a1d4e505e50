package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
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
	// documentedShape is true when the emulator answers as the seeds show,
	// with create_time 0 in create, update and get answers.
	documentedShape bool
}

func newTestEmulator(t *testing.T, opts emulator.Options) *testEmulator {
	t.Helper()
	if os.Getenv(documentedShapeEnv) != "" {
		opts.DocumentedShape = true
	}
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
	return &testEmulator{Instance: instance, client: client, documentedShape: opts.DocumentedShape}
}

// documentedShapeEnv, when set, runs every acceptance test against an
// emulator that answers exactly in the vendor's documented shapes
// (emulator.Options.DocumentedShape), so the suite proves the provider relies
// on nothing the seeds do not show.
const documentedShapeEnv = "WORKPLUS_TEST_DOCUMENTED_SHAPE"

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

// createdAtCheck is what created_at holds after a create: a time, or null
// where the server answers create_time 0 as seed 001 shows.
func (e *testEmulator) createdAtCheck() knownvalue.Check {
	if e.documentedShape {
		return knownvalue.Null()
	}
	return knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`))
}

// pushPlanCounterCheck is what an app message's expects or oks holds when the
// emulator counted n: n, or 0 where it answers as seed 000 shows.
func (e *testEmulator) pushPlanCounterCheck(n int64) knownvalue.Check {
	if e.documentedShape {
		return knownvalue.Int64Exact(0)
	}
	return knownvalue.Int64Exact(n)
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

// sentPush is the push the provider sent with requestID, as the emulator's
// journal recorded the request body. A task keeps the request as the server
// completed it (badge "+1" by default, seed 002), so checks of what the
// provider sent read the journal instead.
func (e *testEmulator) sentPush(requestID string) (workplus.NotifyRequest, error) {
	for _, record := range e.Emulator.FindRequests(emulator.RequestFilter{Route: "POST /push/notify"}) {
		var sent workplus.NotifyRequest
		if json.Unmarshal(record.Body, &sent) == nil && sent.Setting != nil && sent.Setting.RequestID == requestID {
			return sent, nil
		}
	}
	return workplus.NotifyRequest{}, fmt.Errorf("the journal has no POST /push/notify with request_id %q", requestID)
}
