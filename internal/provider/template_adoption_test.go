package provider

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// cliTerraformBlock is what a user's configuration starts with.
const cliTerraformBlock = `
terraform {
  required_providers {
    workplus = {
      source = "workplus/workplus"
    }
  }
}
`

// minimalTemplateJSON is a template as the WorkPlus console makes it: no
// tags, sample or actions, cells without align, Chinese and emoji, and braces
// that are not placeholders (including ones HCL would read as templates).
const (
	minimalTemplateTitle = "值班提醒 🚨 {on-call}"
	minimalTemplateJSON  = `{"title": "值班提醒 🚨 {on-call}", "contents": [
  [{"content": "今晚值班：{{who.DATA}} 🙂"}],
  [{"content": "JSON 示例 {\"a\": 1}"}, {"content": "价格 ${price} %{if}"}]
]}`
)

// createConsoleTemplate creates a template through the API, sending exactly
// body, as the console would: not through the provider's client, which
// always sends every field.
func (e *testEmulator) createConsoleTemplate(t *testing.T, body string) {
	t.Helper()
	query := url.Values{"access_token": {emulator.DemoAccessToken}, "app_id": {emulator.DemoAppID}, "source_type": {"NATIVE"}}
	resp, err := http.Post(e.URL+"/v1/templates?"+query.Encode(), "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("creating a template through the API: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("creating a template through the API: HTTP %d", resp.StatusCode)
	}
}

// computedOnlyTemplateAttributes are never configured, so generated
// configuration must not hold them.
var computedOnlyTemplateAttributes = []string{"id", "domain_id", "org_id", "type", "operator", "created_at", "updated_at", "placeholders"}

// TestAccTemplateList_adoptWithQuery is the adoption the list resource is
// for, run as a user runs it with Terraform 1.14 or later: terraform query
// -generate-config-out writes import blocks and resources for every template,
// including one made in the console with content the provider never writes;
// one apply imports them all and changes nothing; the next plan is empty.
func TestAccTemplateList_adoptWithQuery(t *testing.T) {
	adoptWithQuery(t, minimalTemplateJSON)
}

// TestAccTemplateList_adoptOddContent adopts a template whose content the
// server accepts but which looks wrong: a placeholder with spaces, and an
// action without a scheme. Validation must warn about them, not refuse them,
// or such templates could never be adopted.
func TestAccTemplateList_adoptOddContent(t *testing.T) {
	out := adoptWithQuery(t, minimalTemplateJSON, `{"title": "Odd but accepted", "contents": [[{"content": "Hello {{ name }}"}]],
  "actions": [{"name": "Open", "value": "ci.example.com/builds"}]}`)
	if !strings.Contains(out, "Warning:") {
		t.Errorf("adopting odd content gave no warning:\n%s", out)
	}
}

// adoptWithQuery creates consoleTemplates through the API next to the default
// seed, adopts everything with terraform query -generate-config-out and one
// apply, checks the generated file, the apply and the empty plan after it,
// and returns the apply's output.
func adoptWithQuery(t *testing.T, consoleTemplates ...string) string {
	cli := newTerraformCLI(t, "1.14.0")
	skipOnOpenTofuCLI(t, openTofuNoListResources)
	emu := newTestEmulator(t, emulator.Options{})
	for _, body := range consoleTemplates {
		emu.createConsoleTemplate(t, body)
	}
	templateCount := len(emulator.DefaultSeed().Templates) + len(consoleTemplates)

	cli.write("main.tf", cliTerraformBlock+emu.providerConfig())
	cli.copyExample("list-resources/workplus_template/list-resource.tfquery.hcl", "templates.tfquery.hcl")
	cli.mustRun("init", "-input=false", "-no-color")
	out := cli.mustRun("query", "-no-color", "-generate-config-out=generated.tf")
	if got := strings.Count(out, "list.workplus_template.all"); got != templateCount {
		t.Errorf("terraform query listed %d templates, want %d:\n%s", got, templateCount, out)
	}

	generated := cli.read("generated.tf")
	checkGeneratedConfig(t, generated, templateCount)

	out = cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	want := fmt.Sprintf("Resources: %d imported, 0 added, 0 changed, 0 destroyed.", templateCount)
	if !strings.Contains(out, want) {
		t.Errorf("apply of the generated configuration did not say %q:\n%s\n\ngenerated.tf:\n%s", want, out, generated)
	}
	if out, code := cli.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the plan after adoption is not empty (exit %d):\n%s", code, out)
	}
	for _, route := range []string{"POST /v1/templates/{id}", "DELETE /v1/templates/{id}"} {
		if n := emu.Emulator.RouteCounts()[route]; n != 0 {
			t.Errorf("adoption called %s %d times; it must write nothing", route, n)
		}
	}
	if n := emu.Emulator.RouteCounts()["POST /v1/templates"]; n != len(consoleTemplates) {
		t.Errorf("POST /v1/templates was called %d times, want %d (the console's)", n, len(consoleTemplates))
	}
	return out
}

// checkGeneratedConfig checks that generated configuration is what a person
// would keep: templateCount resources with import blocks, no null, no
// computed attribute, and for the console-made template nothing but what it
// has (no empty tags, sample or actions, no align its cells lack).
func checkGeneratedConfig(t *testing.T, generated string, templateCount int) {
	t.Helper()
	file, diags := hclsyntax.ParseConfig([]byte(generated), "generated.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("generated.tf does not parse: %v\n%s", diags, generated)
	}
	if strings.Contains(generated, "null") {
		t.Errorf("generated.tf holds null values:\n%s", generated)
	}
	resources, imports := 0, 0
	for _, block := range file.Body.(*hclsyntax.Body).Blocks {
		switch block.Type {
		case "import":
			imports++
		case "resource":
			resources++
			var names []string
			for name := range block.Body.Attributes {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, computed := range computedOnlyTemplateAttributes {
				if _, ok := block.Body.Attributes[computed]; ok {
					t.Errorf("resource %s has the computed attribute %s", block.Labels[1], computed)
				}
			}
			title, _ := block.Body.Attributes["title"].Expr.Value(nil)
			if title.AsString() == minimalTemplateTitle {
				if got := strings.Join(names, ","); got != "app_id,provider,rows,title" {
					t.Errorf("the console-made template generated the attributes %s, want app_id,provider,rows,title", got)
				}
				text := string(block.Range().SliceBytes([]byte(generated)))
				if strings.Contains(text, "align") {
					t.Errorf("the console-made template's cells have no align, yet generated.tf sets one:\n%s", text)
				}
			}
		}
	}
	if resources != templateCount || imports != templateCount {
		t.Errorf("generated.tf has %d resources and %d import blocks, want %d of each:\n%s", resources, imports, templateCount, generated)
	}
}

// TestAccTemplates_adoptWithImportBlocks is the adoption guide's path for
// Terraform before 1.14 (import blocks with for_each need 1.7): the example
// in examples/guides/adopt-without-query imports every template through the
// workplus_templates data source into a module, with no changes; then the
// set is frozen into templates.json, and the plan stays empty.
func TestAccTemplates_adoptWithImportBlocks(t *testing.T) {
	cli := newTerraformCLI(t, "1.7.0")
	emu := newTestEmulator(t, emulator.Options{})
	emu.createConsoleTemplate(t, minimalTemplateJSON)
	templateCount := len(emulator.DefaultSeed().Templates) + 1
	cli.useEmulator(emu)
	cli.copyExample("guides/adopt-without-query/main.tf", "main.tf")
	cli.copyExample("guides/adopt-without-query/modules/templates/main.tf", "modules/templates/main.tf")

	cli.mustRun("init", "-input=false", "-no-color")
	out := cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	want := fmt.Sprintf("Resources: %d imported, 0 added, 0 changed, 0 destroyed.", templateCount)
	if !strings.Contains(out, want) {
		t.Fatalf("apply did not say %q:\n%s", want, out)
	}
	if out, code := cli.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the plan after adoption is not empty (exit %d):\n%s", code, out)
	}

	// Freeze: the module's input now comes from a file in Git, not from the
	// server, so drift shows in plans again.
	cli.write("templates.json", cli.mustRun("output", "-json", "templates"))
	cli.write("main.tf", cliTerraformBlock+`
provider "workplus" {}

module "templates" {
  source    = "./modules/templates"
  templates = jsondecode(file("templates.json"))
}

output "templates" {
  value = module.templates.templates
}
`)
	if out, code := cli.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the plan after freezing the templates into templates.json is not empty (exit %d):\n%s", code, out)
	}
	for _, route := range []string{"POST /v1/templates/{id}", "DELETE /v1/templates/{id}"} {
		if n := emu.Emulator.RouteCounts()[route]; n != 0 {
			t.Errorf("adoption called %s %d times; it must write nothing", route, n)
		}
	}
}

// TestAccTemplates_importBlocksInModule: Terraform 1.16 takes import blocks
// inside a module. examples/guides/import-in-module imports every template
// from within the module that manages them, and the plan after is empty.
func TestAccTemplates_importBlocksInModule(t *testing.T) {
	cli := newTerraformCLI(t, "1.16.0-dev")
	emu := newTestEmulator(t, emulator.Options{})
	templateCount := len(emulator.DefaultSeed().Templates)
	cli.useEmulator(emu)
	cli.copyExample("guides/import-in-module/main.tf", "main.tf")
	cli.copyExample("guides/import-in-module/modules/templates/main.tf", "modules/templates/main.tf")

	cli.mustRun("init", "-input=false", "-no-color")
	out := cli.mustRun("apply", "-auto-approve", "-input=false", "-no-color")
	if want := fmt.Sprintf("Resources: %d imported, 0 added, 0 changed, 0 destroyed.", templateCount); !strings.Contains(out, want) {
		t.Fatalf("apply did not say %q:\n%s", want, out)
	}
	if out, code := cli.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the plan after adoption is not empty (exit %d):\n%s", code, out)
	}
	if n := emu.Emulator.RouteCounts()["POST /v1/templates/{id}"]; n != 0 {
		t.Errorf("adoption updated templates %d times; it must write nothing", n)
	}
}
