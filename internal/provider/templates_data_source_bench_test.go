package provider

import (
	"context"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/emulator/emulatortest"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// BenchmarkTemplatesDataSourceRead10k is the workplus_templates data source's
// read over 10,000 templates, through the provider server's gRPC-facing
// interface (tfprotov6 ReadDataSource) against an in-process emulator on a
// loopback httptest server: every page request, the envelope decoding, the
// conversion of 10,000 templates and the msgpack encoding of the state
// Terraform receives. What it leaves out is Terraform core and the gRPC hop.
// It reports requests/op from the emulator's request log; at page_size 100
// the target is ceil(10000/100) = 100.
func BenchmarkTemplatesDataSourceRead10k(b *testing.B) {
	const n = 10_000
	seed := benchSeed(n)
	emu := emulatortest.Start(b, emulator.Options{Seed: seed})
	srv := configuredBenchServer(b, emu.URL)
	ctx := context.Background()

	schemaResp, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	dsType := schemaResp.DataSourceSchemas["workplus_templates"].ValueType()
	config, err := tfprotov6.NewDynamicValue(dsType, nullObject(schemaResp.DataSourceSchemas["workplus_templates"], nil))
	if err != nil {
		b.Fatal(err)
	}
	read := func() *tfprotov6.ReadDataSourceResponse {
		resp, err := srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "workplus_templates", Config: &config})
		if err != nil {
			b.Fatal(err)
		}
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				b.Fatalf("ReadDataSource: %s: %s", d.Summary, d.Detail)
			}
		}
		return resp
	}

	emu.Emulator.ResetRequestLog()
	reads := 0
	var last *tfprotov6.ReadDataSourceResponse
	b.ReportAllocs()
	for b.Loop() {
		last = read()
		reads++
	}
	// Checked after the timed loop: every template arrived, in the
	// expected number of requests.
	requests := emu.Emulator.RouteCounts()["GET /v1/templates"]
	if want := reads * ((n + defaultPageSize - 1) / defaultPageSize); requests != want {
		b.Fatalf("%d list requests for %d reads, want %d", requests, reads, want)
	}
	state, err := last.State.Unmarshal(dsType)
	if err != nil {
		b.Fatal(err)
	}
	var fields map[string]tftypes.Value
	var total big.Float
	if err := state.As(&fields); err != nil {
		b.Fatal(err)
	}
	if err := fields["total_count"].As(&total); err != nil {
		b.Fatal(err)
	}
	if got, _ := total.Int64(); got != int64(n) {
		b.Fatalf("total_count = %d, want %d", got, n)
	}
	b.ReportMetric(float64(requests)/float64(reads), "requests/op")
}

// benchSeed is the default seed's org, app and credentials with exactly n
// templates (and no certificates, whose generation would only slow set-up).
func benchSeed(n int) *emulator.Seed {
	seed := emulator.DefaultSeed()
	seed.Certificates, seed.Devices, seed.Employees = nil, nil, nil
	seed.Templates = make([]workplus.Template, n)
	for i := range n {
		t := benchAPITemplate(i)
		t.DomainID, t.OrgID, t.Type, t.Operator = "", "", "", ""
		seed.Templates[i] = *t
	}
	return seed
}

// configuredBenchServer is the provider server, configured for the emulator
// as Terraform would: endpoint, access token and app_id set, the rest null.
func configuredBenchServer(b *testing.B, url string) tfprotov6.ProviderServer {
	b.Helper()
	for _, name := range []string{"endpoint", "push_endpoint", "access_token", "domain_id", "org_id", "client_id", "client_secret",
		"app_id", "source_type", "request_timeout", "max_retries", "page_size", "ca_file", "insecure_skip_verify"} {
		b.Setenv(envName(name), "")
	}
	ctx := context.Background()
	srv, err := providerserver.NewProtocol6WithError(New("bench")())()
	if err != nil {
		b.Fatal(err)
	}
	schemaResp, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	values := map[string]tftypes.Value{
		"endpoint":     tftypes.NewValue(tftypes.String, url),
		"access_token": tftypes.NewValue(tftypes.String, emulator.DemoAccessToken),
		"app_id":       tftypes.NewValue(tftypes.String, emulator.DemoAppID),
	}
	config, err := tfprotov6.NewDynamicValue(schemaResp.Provider.ValueType(), nullObject(schemaResp.Provider, values))
	if err != nil {
		b.Fatal(err)
	}
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.11.4", Config: &config})
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			b.Fatalf("ConfigureProvider: %s: %s", d.Summary, d.Detail)
		}
	}
	return srv
}

// nullObject is an object of schema's type with every attribute null except
// those in set.
func nullObject(schema *tfprotov6.Schema, set map[string]tftypes.Value) tftypes.Value {
	values := map[string]tftypes.Value{}
	for _, a := range schema.Block.Attributes {
		if v, ok := set[a.Name]; ok {
			values[a.Name] = v
			continue
		}
		values[a.Name] = tftypes.NewValue(a.ValueType(), nil)
	}
	return tftypes.NewValue(schema.ValueType(), values)
}
