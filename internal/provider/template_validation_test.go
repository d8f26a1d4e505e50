package provider

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// validateTemplateConfig runs the provider's own validation of a
// workplus_template configuration, as `terraform validate` and every plan do,
// and returns its diagnostics with their attribute paths.
func validateTemplateConfig(t *testing.T, config map[string]any) []*tfprotov6.Diagnostic {
	t.Helper()
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	var schemaResp fwresource.SchemaResponse
	NewTemplateResource().Schema(ctx, fwresource.SchemaRequest{}, &schemaResp)
	typ := schemaResp.Schema.Type().TerraformType(ctx)
	value, err := tfprotov6.NewDynamicValue(typ, toTerraformValue(t, typ, config))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "workplus_template", Config: &value})
	if err != nil {
		t.Fatal(err)
	}
	return resp.Diagnostics
}

// toTerraformValue builds a value of typ from Go maps, slices and strings;
// attributes a map leaves out are null.
func toTerraformValue(t *testing.T, typ tftypes.Type, v any) tftypes.Value {
	t.Helper()
	if v == nil {
		return tftypes.NewValue(typ, nil)
	}
	switch typ := typ.(type) {
	case tftypes.Object:
		attrs := map[string]tftypes.Value{}
		for name, attrType := range typ.AttributeTypes {
			attrs[name] = toTerraformValue(t, attrType, v.(map[string]any)[name])
		}
		return tftypes.NewValue(typ, attrs)
	case tftypes.List:
		var elems []tftypes.Value
		for _, e := range v.([]any) {
			elems = append(elems, toTerraformValue(t, typ.ElementType, e))
		}
		return tftypes.NewValue(typ, elems)
	default:
		return tftypes.NewValue(typ, v)
	}
}

func cells(contents ...string) map[string]any {
	var list []any
	for _, c := range contents {
		list = append(list, map[string]any{"content": c})
	}
	return map[string]any{"cells": list}
}

func diagnosticPath(d *tfprotov6.Diagnostic) string {
	if d.Attribute == nil {
		return ""
	}
	var b strings.Builder
	for _, step := range d.Attribute.Steps() {
		switch step := step.(type) {
		case tftypes.AttributeName:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(string(step))
		case tftypes.ElementKeyInt:
			fmt.Fprintf(&b, "[%d]", step)
		}
	}
	return b.String()
}

// TestTemplateValidation_consoleContentWarns: what WorkPlus accepts but looks
// like a mistake is a warning naming the attribute, never an error, and every
// malformed placeholder of a cell is reported. The old code refused these
// with errors, so a console-made template blocked every plan (issue #11).
func TestTemplateValidation_consoleContentWarns(t *testing.T) {
	t.Parallel()
	diags := validateTemplateConfig(t, map[string]any{
		"title": "Adopted",
		"rows": []any{
			cells("Hello {{name}} and {{ user.DATA }}"),
			cells("fine {{ok.DATA}}", "", "{{a.DATA}} {{ b.DATA }} {{c-d.DATA}} {{"),
		},
		"actions": []any{
			map[string]any{"name": "Open", "value": "/relative/path"},
			map[string]any{"name": "Docs", "value": "https://docs.example.com"},
		},
	})
	want := map[string][]string{
		"rows[0].cells[0].content": {
			"`{{name}}` lacks `.DATA`: a placeholder is written `{{name.DATA}}` (character 7)",
			"spaces around `user.DATA` in `{{ user.DATA }}` (character 20)",
		},
		"rows[1].cells[2].content": {
			"spaces around `b.DATA` in `{{ b.DATA }}` (character 12)",
			"`c-d` in `{{c-d.DATA}}` is not a placeholder name",
			"unclosed `{{` (character 38)",
		},
		"actions[0].value": {`"/relative/path" has no scheme`},
	}
	got := map[string]*tfprotov6.Diagnostic{}
	for _, d := range diags {
		if d.Severity != tfprotov6.DiagnosticSeverityWarning {
			t.Errorf("%s: %s: %s, want warnings only", d.Severity, d.Summary, d.Detail)
			continue
		}
		path := diagnosticPath(d)
		if got[path] != nil {
			t.Errorf("%s has more than one warning; every problem of a cell belongs in one", path)
		}
		got[path] = d
	}
	for path, texts := range want {
		d := got[path]
		if d == nil {
			t.Errorf("no warning for %s; got %v", path, diags)
			continue
		}
		for _, text := range texts {
			if !strings.Contains(d.Detail, text) {
				t.Errorf("warning for %s:\n%s\ndoes not say %q", path, d.Detail, text)
			}
		}
	}
	if len(got) != len(want) {
		t.Errorf("warnings for %d attributes, want %d: %v", len(got), len(want), diags)
	}
}

// consoleTemplate is what a person may type in the WorkPlus console: braces
// that are not placeholders, an empty cell and a relative action. WorkPlus
// accepts all of it.
var consoleTemplate = workplus.TemplateInput{
	Title: "Made in the console",
	Contents: [][]workplus.TemplateCell{
		{{Content: "Hello {{name}} and {{ user.DATA }}", Align: workplus.AlignLeft}},
		{{Content: "Ticket", Align: workplus.AlignLeft}, {Content: "{{ticket.DATA}}", Align: workplus.AlignRight}, {Content: "", Align: workplus.AlignLeft}},
	},
	Actions: []workplus.TemplateAction{{Name: "Open", Value: "/relative/path"}},
}

// consoleTemplateConfig is consoleTemplate as a user writes it to adopt it.
const consoleTemplateConfig = `
resource "workplus_template" "test" {
  title = "Made in the console"
  rows = [
    { cells = [{ content = "Hello {{name}} and {{ user.DATA }}" }] },
    { cells = [{ content = "Ticket" }, { content = "{{ticket.DATA}}", align = "right" }, { content = "" }] },
  ]
  actions = [{ name = "Open", value = "/relative/path" }]
}
`

// TestAccTemplate_consoleContentImportsClean: a template the server accepts
// imports, by command, by import block and through -generate-config-out, and
// then plans clean, its content kept as written. The old code failed every
// plan after the import with "does not end in .DATA" and "must be a URL
// with a scheme" (issue #11).
func TestAccTemplate_consoleContentImportsClean(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	made, err := emu.client.CreateTemplate(t.Context(), emulator.DemoAppID, "", consoleTemplate)
	if err != nil {
		t.Fatalf("creating the console template: %v", err)
	}
	importBlock := fmt.Sprintf("\nimport {\n  to = workplus_template.test\n  id = %q\n}\n", made.ID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             emu.checkTemplatesDestroyed,
		Steps: []resource.TestStep{
			{
				Config: emu.config(consoleTemplateConfig + importBlock),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(templateAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("id"), knownvalue.StringExact(made.ID)),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("rows").AtSliceIndex(0).AtMapKey("cells").AtSliceIndex(0).AtMapKey("content"),
						knownvalue.StringExact("Hello {{name}} and {{ user.DATA }}")),
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("actions").AtSliceIndex(0).AtMapKey("value"), knownvalue.StringExact("/relative/path")),
					// Only well-formed placeholders are keys a message can fill.
					statecheck.ExpectKnownValue(templateAddr, tfjsonpath.New("placeholders"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("ticket")})),
				},
			},
			{
				Config:           emu.config(consoleTemplateConfig),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{ResourceName: templateAddr, ImportState: true, ImportStateVerify: true},
			{ResourceName: templateAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
			{
				// terraform plan -generate-config-out: the generated
				// configuration validates and plans as a no-op import.
				ResourceName:    templateAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				GenerateConfig:  true,
			},
			{
				Config:           emu.config(consoleTemplateConfig),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					onServer, err := emu.client.GetTemplate(testContextBackground(), made.ID)
					if err != nil {
						return err
					}
					if !reflect.DeepEqual(onServer.Input(), made.Input()) {
						return fmt.Errorf("the template changed on the server:\n got %+v\nwant %+v", onServer.Input(), made.Input())
					}
					return nil
				},
			},
		},
	})
}

// TestTemplateDataSourceDescriptions: the data sources' pages describe what
// they read, not what configuring the resource does (issue #11: they said
// "Changing it creates a new template and deletes the old one").
func TestTemplateDataSourceDescriptions(t *testing.T) {
	t.Parallel()
	resourceOnly := []string{"Changing it", "creates a new template", "Defaults to the empty string", "Defaults to none", "(default)", "warn"}
	var walk func(name string, attributes map[string]dsschema.Attribute)
	walk = func(name string, attributes map[string]dsschema.Attribute) {
		for attrName, attribute := range attributes {
			for _, phrase := range resourceOnly {
				if strings.Contains(attribute.GetMarkdownDescription(), phrase) {
					t.Errorf("%s.%s says %q, which is about the resource: %s", name, attrName, phrase, attribute.GetMarkdownDescription())
				}
			}
			if nested, ok := attribute.(dsschema.ListNestedAttribute); ok {
				walk(name+"."+attrName, nested.NestedObject.Attributes)
			}
		}
	}
	for _, newDataSource := range []func() datasource.DataSource{NewTemplateDataSource, NewTemplatesDataSource} {
		var resp datasource.SchemaResponse
		newDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
		var meta datasource.MetadataResponse
		newDataSource().Metadata(context.Background(), datasource.MetadataRequest{ProviderTypeName: "workplus"}, &meta)
		walk(meta.TypeName, resp.Schema.Attributes)
	}
}

// TestAccTemplate_tooLargeWarnsAtPlan: a template whose body would pass
// max_request_bytes warns at plan time, with its size; the apply the server
// refuses with HTTP 413 says the same size; a template within the limit
// plans without the warning.
func TestAccTemplate_tooLargeWarnsAtPlan(t *testing.T) {
	const limit = 4096
	emu := newTestEmulator(t, emulator.Options{MaxBodyBytes: limit})
	cli := newTerraformCLI(t, "1.5.0")
	cli.useEmulator(emu)
	t.Setenv("WORKPLUS_MAX_REQUEST_BYTES", strconv.Itoa(limit))
	template := func(rows int) string {
		return fmt.Sprintf(`terraform {
  required_providers {
    workplus = { source = "workplus/workplus" }
  }
}

resource "workplus_template" "big" {
  title = "Release notes"
  rows = [for i in range(%d) : { cells = [{ content = "%s {{item.DATA}}" }] }]
}
`, rows, strings.Repeat("x", 300))
	}
	cli.write("main.tf", template(40))
	cli.mustRun("init", "-input=false")
	in := workplus.TemplateInput{Title: "Release notes", Actions: []workplus.TemplateAction{}}
	for range 40 {
		in.Contents = append(in.Contents, []workplus.TemplateCell{{Content: strings.Repeat("x", 300) + " {{item.DATA}}", Align: workplus.AlignLeft}})
	}
	size := in.EncodedSize()
	if size <= limit {
		t.Fatalf("the test template is %d bytes, not over %d", size, limit)
	}
	// Terraform wraps diagnostics at the terminal width.
	oneLine := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	plan := oneLine(cli.mustRun("plan", "-input=false", "-no-color"))
	if want := fmt.Sprintf("would be %d bytes, over max_request_bytes (%d)", size, limit); !strings.Contains(plan, "Template larger than the server accepts") || !strings.Contains(plan, want) {
		t.Errorf("plan does not warn %q:\n%s", want, plan)
	}
	apply, code := cli.run("apply", "-input=false", "-no-color", "-auto-approve")
	apply = oneLine(apply)
	if want := fmt.Sprintf("The request body was %d bytes", size); code == 0 || !strings.Contains(apply, want) {
		t.Errorf("apply exited %d without %q:\n%s", code, want, apply)
	}
	if n := emu.Emulator.TemplateCount(); n != len(emulator.DefaultSeed().Templates) {
		t.Errorf("the emulator holds %d templates after a refused create, want the seed's %d", n, len(emulator.DefaultSeed().Templates))
	}
	cli.write("main.tf", template(5))
	if plan := cli.mustRun("plan", "-input=false", "-no-color"); strings.Contains(plan, "Template larger") {
		t.Errorf("a template within the limit warns:\n%s", plan)
	}
}

// TestAccTemplate_yamlExampleRefusesUnknownKeys runs
// examples/guides/templates-from-yaml as a user would: its templates.yaml
// applies, and a typo in a key (aling for align), which Terraform's object
// conversion would drop silently, fails the plan naming the key.
func TestAccTemplate_yamlExampleRefusesUnknownKeys(t *testing.T) {
	cli := newTerraformCLI(t, "1.5.0")
	emu := newTestEmulator(t, emulator.Options{})
	cli.useEmulator(emu)
	cli.write("versions.tf", cliTerraformBlock)
	cli.copyExample("guides/templates-from-yaml/main.tf", "main.tf")
	cli.copyExample("guides/templates-from-yaml/templates.yaml", "templates.yaml")
	cli.mustRun("init", "-input=false", "-no-color")
	cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if n := emu.Emulator.TemplateCount(); n != len(emulator.DefaultSeed().Templates)+2 {
		t.Fatalf("the emulator holds %d templates, want the seed's and the 2 of templates.yaml", n)
	}
	if out, code := cli.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the plan after apply is not empty (exit %d):\n%s", code, out)
	}

	typo := strings.Replace(cli.read("templates.yaml"), "align: right", "aling: right", 1)
	cli.write("templates.yaml", typo)
	out, code := cli.run("plan", "-input=false", "-no-color")
	if one := strings.Join(strings.Fields(out), " "); code == 0 || !strings.Contains(one, "keys workplus_template does not know (a typo?): deploy-finished.rows[1].cells[1].aling.") {
		t.Errorf("a typo in templates.yaml planned (exit %d) without naming the key:\n%s", code, out)
	}
}
