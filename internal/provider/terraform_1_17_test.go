package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/emulator/emulatortest"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// Terraform 1.17 cannot be built here. These tests hold the provider, at the
// protocol, to what 1.17 asks of it.

// TestTemplatePlan_deterministicWithoutRead: with -minimal-refresh,
// Terraform 1.17 plans before refreshing and may call PlanResourceChange
// twice for one resource. Two plans of the same request, with no
// ReadResource before them, must give the same answer, for a create and for
// an update of a template whose state was never refreshed in this process.
func TestTemplatePlan_deterministicWithoutRead(t *testing.T) {
	ctx := context.Background()
	emu := emulatortest.Start(t, emulator.Options{})
	server := configuredServer(t, emu.URL)
	schemaResp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := schemaResp.ResourceSchemas["workplus_template"].ValueType()
	config := map[string]any{"title": "Deploy", "rows": []any{cells("{{b.DATA}} then {{a.DATA}}")}}
	prior := map[string]any{
		"id": "t-1", "app_id": emulator.DemoAppID, "title": "Deploy (old)", "tags": "", "sample": "", "actions": []any{},
		"rows": []any{map[string]any{"cells": []any{map[string]any{"content": "{{a.DATA}}", "align": "left"}}}}, "placeholders": []any{"a"},
		"domain_id": "d", "org_id": "o", "type": "DEFAULT", "operator": "op", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
	}
	dynamic := func(v any) *tfprotov6.DynamicValue {
		value, err := tfprotov6.NewDynamicValue(typ, toTerraformValue(t, typ, v))
		if err != nil {
			t.Fatal(err)
		}
		return &value
	}
	for name, priorState := range map[string]any{"create": nil, "update": prior} {
		req := &tfprotov6.PlanResourceChangeRequest{
			TypeName: "workplus_template", Config: dynamic(config), ProposedNewState: dynamic(config), PriorState: dynamic(priorState),
		}
		var planned []tftypes.Value
		for range 2 {
			resp, err := server.PlanResourceChange(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range resp.Diagnostics {
				if d.Severity == tfprotov6.DiagnosticSeverityError {
					t.Fatalf("%s: %s: %s", name, d.Summary, d.Detail)
				}
			}
			value, err := resp.PlannedState.Unmarshal(typ)
			if err != nil {
				t.Fatal(err)
			}
			planned = append(planned, value)
		}
		if !planned[0].Equal(planned[1]) {
			t.Errorf("%s: two plans of one request differ:\n%v\n%v", name, planned[0], planned[1])
		}
		if got := planned[0].String(); !containsAll(got, `"a"`, `"b"`) {
			t.Errorf("%s: the plan's placeholders do not follow the configured rows: %s", name, got)
		}
	}
	if n := emu.Emulator.RouteCounts()["GET /v1/templates/{id}"]; n != 0 {
		t.Errorf("planning read the template %d times; a plan must not depend on reading it", n)
	}
}

// TestEphemeralResourceValidate_withoutConfigure: under mock_provider,
// Terraform 1.17 still sends ValidateEphemeralResourceConfig to the real
// provider, which is never configured. It must validate without a client.
func TestEphemeralResourceValidate_withoutConfigure(t *testing.T) {
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schemaResp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(schemaResp.EphemeralResourceSchemas) == 0 {
		t.Fatal("the provider has no ephemeral resources to check")
	}
	// What a configuration under a mock holds: the required arguments.
	required := map[string]map[string]tftypes.Value{
		"workplus_push_certificate": {"vendor": tftypes.NewValue(tftypes.String, workplus.VendorNames()[0])},
	}
	for name, schema := range schemaResp.EphemeralResourceSchemas {
		config, err := tfprotov6.NewDynamicValue(schema.ValueType(), nullObject(schema, required[name]))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := server.ValidateEphemeralResourceConfig(ctx, &tfprotov6.ValidateEphemeralResourceConfigRequest{TypeName: name, Config: &config})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				t.Errorf("%s: validating a configuration without a configured provider failed: %s: %s", name, d.Summary, d.Detail)
			}
		}
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// TestTemplateListResults_completeForPolicies: Terraform 1.17 evaluates
// policies over `terraform query` results that carry a full state
// (include_resource), and calls GenerateResourceConfig for each. Every
// result must carry a fully known state whose id is its identity, and the
// configuration generated from it must be valid and say the same template.
func TestTemplateListResults_completeForPolicies(t *testing.T) {
	ctx := context.Background()
	for _, documented := range []bool{false, true} {
		emu := emulatortest.Start(t, emulator.Options{DocumentedShape: documented})
		server := configuredServer(t, emu.URL)
		lister, ok := server.(tfprotov6.ProviderServerWithListResource) //nolint:staticcheck // the framework's server routes list calls through it
		if !ok {
			t.Fatal("the provider server does not serve list resources")
		}
		schemaResp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
		if err != nil {
			t.Fatal(err)
		}
		listSchema := schemaResp.ListResourceSchemas["workplus_template"]
		stateType := schemaResp.ResourceSchemas["workplus_template"].ValueType()
		config, err := tfprotov6.NewDynamicValue(listSchema.ValueType(), nullObject(listSchema, nil))
		if err != nil {
			t.Fatal(err)
		}
		stream, err := lister.ListResource(ctx, &tfprotov6.ListResourceRequest{TypeName: "workplus_template", Config: &config, IncludeResource: true, Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		results := 0
		for result := range stream.Results {
			results++
			for _, d := range result.Diagnostics {
				t.Errorf("documented shape %v, %s: %s: %s", documented, result.DisplayName, d.Summary, d.Detail)
			}
			if result.Resource == nil {
				t.Errorf("documented shape %v, %s: no state with include_resource", documented, result.DisplayName)
				continue
			}
			state, err := result.Resource.Unmarshal(stateType)
			if err != nil || !state.IsFullyKnown() {
				t.Errorf("documented shape %v, %s: state not fully known (%v)", documented, result.DisplayName, err)
				continue
			}
			stateAttributes := rawAttributes(state)
			generated, err := server.GenerateResourceConfig(ctx, &tfprotov6.GenerateResourceConfigRequest{TypeName: "workplus_template", State: result.Resource})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range generated.Diagnostics {
				t.Errorf("documented shape %v, %s: GenerateResourceConfig: %s: %s", documented, result.DisplayName, d.Summary, d.Detail)
			}
			configValue, err := generated.Config.Unmarshal(stateType)
			if err != nil {
				t.Fatal(err)
			}
			configAttributes := rawAttributes(configValue)
			for _, name := range []string{"title", "rows", "app_id"} {
				if !configAttributes[name].Equal(stateAttributes[name]) {
					t.Errorf("documented shape %v, %s: generated %s %v, state %v", documented, result.DisplayName, name, configAttributes[name], stateAttributes[name])
				}
			}
			validated, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "workplus_template", Config: generated.Config})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range validated.Diagnostics {
				if d.Severity == tfprotov6.DiagnosticSeverityError {
					t.Errorf("documented shape %v, %s: the generated configuration is invalid: %s: %s", documented, result.DisplayName, d.Summary, d.Detail)
				}
			}
		}
		if want := len(emulator.DefaultSeed().Templates); results != want {
			t.Errorf("documented shape %v: %d results, want the seed's %d", documented, results, want)
		}
	}
}
