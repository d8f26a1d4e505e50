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
// read over 10,000 templates, in the default shape and with include_content,
// through the provider server's gRPC-facing interface (tfprotov6
// ReadDataSource) against an in-process emulator on a loopback httptest
// server: every page request, the envelope decoding, the conversion of 10,000
// templates and the msgpack encoding of the state Terraform receives. What it
// leaves out is Terraform core and the gRPC hop. It reports requests/op from
// the emulator's request log; at page_size 100 the target is
// ceil(10000/100) = 100.
func BenchmarkTemplatesDataSourceRead10k(b *testing.B) {
	const n = 10_000
	seed := benchSeed(n)
	emu := emulatortest.Start(b, emulator.Options{Seed: seed})
	srv := configuredServer(b, emu.URL)
	ctx := context.Background()

	schemaResp, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	dsSchema := schemaResp.DataSourceSchemas["workplus_templates"]
	dsType := dsSchema.ValueType()
	for _, shape := range []struct {
		name string
		full bool
	}{{"default", false}, {"include_content", true}} {
		b.Run(shape.name, func(b *testing.B) {
			config, err := tfprotov6.NewDynamicValue(dsType, nullObject(dsSchema, map[string]tftypes.Value{
				"include_content": tftypes.NewValue(tftypes.Bool, shape.full),
			}))
			if err != nil {
				b.Fatal(err)
			}
			emu.Emulator.ResetRequestLog()
			reads := 0
			var last *tfprotov6.ReadDataSourceResponse
			b.ReportAllocs()
			for b.Loop() {
				resp, err := srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "workplus_templates", Config: &config})
				if err != nil {
					b.Fatal(err)
				}
				for _, d := range resp.Diagnostics {
					if d.Severity == tfprotov6.DiagnosticSeverityError {
						b.Fatalf("ReadDataSource: %s: %s", d.Summary, d.Detail)
					}
				}
				last = resp
				reads++
			}
			// Checked after the timed loop: every template arrived, in
			// the expected number of requests and the asked shape.
			requests := emu.Emulator.RouteCounts()["GET /v1/templates"]
			if want := reads * ((n + defaultPageSize - 1) / defaultPageSize); requests != want {
				b.Fatalf("%d list requests for %d reads, want %d", requests, reads, want)
			}
			checkListedState(b, last, dsType, n, shape.full)
			b.ReportMetric(float64(requests)/float64(reads), "requests/op")
		})
	}
}

// checkListedState fails unless resp holds n templates, with content exactly
// when full.
func checkListedState(b *testing.B, resp *tfprotov6.ReadDataSourceResponse, dsType tftypes.Type, n int, full bool) {
	b.Helper()
	state, err := resp.State.Unmarshal(dsType)
	if err != nil {
		b.Fatal(err)
	}
	var fields map[string]tftypes.Value
	var total big.Float
	var templates []tftypes.Value
	var first map[string]tftypes.Value
	if err := state.As(&fields); err != nil {
		b.Fatal(err)
	}
	if err := fields["total_count"].As(&total); err != nil {
		b.Fatal(err)
	}
	if err := fields["templates"].As(&templates); err != nil || len(templates) != n {
		b.Fatalf("%d templates (%v), want %d", len(templates), err, n)
	}
	if err := templates[0].As(&first); err != nil {
		b.Fatal(err)
	}
	if got, _ := total.Int64(); got != int64(n) || first["content"].IsNull() == full || first["placeholders"].IsNull() {
		b.Fatalf("total_count = %d, content null = %t, placeholders null = %t; want %d, %t, false", got, first["content"].IsNull(), first["placeholders"].IsNull(), n, !full)
	}
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

// configuredServer is the provider server, configured for the emulator
// as Terraform would: endpoint, access token and app_id set, the rest null.
func configuredServer(b testing.TB, url string) tfprotov6.ProviderServer {
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
