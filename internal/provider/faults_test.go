package provider

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
	"github.com/workplus/terraform-provider-workplus/internal/emulator/emulatortest"
	"github.com/workplus/terraform-provider-workplus/internal/workplus"
)

// flakyNetwork fails about 30 % of template requests: creates are processed
// and then their connection is dropped (the case that tempts a client into
// duplicates), reads and updates get 503, listings get 429.
var flakyNetwork = []emulator.FaultRule{
	{Route: "POST /v1/templates", Probability: 0.3, Drop: emulator.DropAfter},
	{Route: "GET /v1/templates/{id}", Probability: 0.3, Status: 503},
	{Route: "POST /v1/templates/{id}", Probability: 0.3, Status: 503},
	{Route: "DELETE /v1/templates/{id}", Probability: 0.3, Status: 503},
	{Route: "GET /v1/templates", Probability: 0.3, Status: 429},
}

// TestAccFaults_hundredTemplatesConverge applies 100 templates through the
// flaky network as a user would: a create whose answer is lost fails and
// names the template it may have made with its terraform import line; the
// test follows those lines (after checking that no resource manages the
// template), applies again, and the workspace converges: the server holds
// each template exactly once, every one in the state, and the next plan is
// empty. It runs against the emulator's own answers and against answers
// shaped exactly as the seeds document them (list records without tags,
// app_id "DEFAULT").
func TestAccFaults_hundredTemplatesConverge(t *testing.T) {
	t.Parallel()
	for name, documented := range map[string]bool{"emulator shape": false, "documented shape": true} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testHundredTemplatesConverge(t, emulator.Options{FaultSeed: 42, Faults: flakyNetwork, DocumentedShape: documented})
		})
	}
}

func testHundredTemplatesConverge(t *testing.T, opts emulator.Options) {
	cli := newTerraformCLI(t, "1.5.0")
	emu := newTestEmulator(t, opts)
	cli.write("main.tf", cliTerraformBlock+fmt.Sprintf(`
provider "workplus" {
  endpoint     = %q
  access_token = %q
  app_id       = %q
  max_retries  = 10
}

resource "workplus_template" "bulk" {
  count = 100
  title = format("Fault tolerant %%03d", count.index)
  tags  = "faults"
  rows  = [{ cells = [{ content = "item {{n.DATA}}" }, { content = "${count.index}", align = "right" }] }]
}
`, emu.URL, emulator.DemoAccessToken, emulator.DemoAppID))
	cli.mustRun("init", "-input=false", "-no-color")

	unknown, imported := convergeFollowingImportLines(t, cli, cli)
	if unknown == 0 {
		t.Error("no create ended unknown: the test did not exercise the lost-answer path")
	}
	t.Logf("%d creates ended unknown; %d templates imported as their errors said", unknown, imported)
	checkWorkspacesOwnTemplates(t, emu, "Fault tolerant ", cli)
	if n := countTitlePrefix(emu, "Fault tolerant "); n != 100 {
		t.Errorf("the server holds %d templates, want 100", n)
	}
	faulted := 0
	for _, r := range emu.Emulator.Requests() {
		if r.Fault != "" {
			faulted++
		}
	}
	if faulted < 30 {
		t.Errorf("only %d requests were faulted: the test did not exercise the retry paths", faulted)
	}
	t.Logf("%d of %d requests were faulted", faulted, len(emu.Emulator.Requests()))
	cli.mustRun("destroy", "-auto-approve", "-input=false", "-no-color")
	if n := countTitlePrefix(emu, "Fault tolerant "); n != 0 {
		t.Errorf("%d templates are left after destroy", n)
	}
}

// TestAccFaults_twinTemplatesNeverShareAnID: two resources with identical
// content whose creates are both processed and then dropped. The provider
// cannot tell which template is whose, so both creates fail naming both
// templates with the import command; nothing is sent again. Following the
// printed lines in order (the second resource skips the template the first
// just imported) gives each resource its own template, with no orphan. The
// old provider gave both resources the same id, orphaning the other one.
func TestAccFaults_twinTemplatesNeverShareAnID(t *testing.T) {
	t.Parallel()
	cli := newTerraformCLI(t, "1.5.0")
	emu := newTestEmulator(t, emulator.Options{Faults: []emulator.FaultRule{
		{Route: "POST /v1/templates", Drop: emulator.DropAfter, Count: 2},
		// Both creates reach the server before either search reads the list,
		// even on a loaded machine.
		{Route: "GET /v1/templates", LatencyMS: 5000},
	}})
	cli.write("main.tf", cliTerraformBlock+twinConfig(emu.URL, 2))
	cli.mustRun("init", "-input=false", "-no-color")
	code, creates, out := cli.applyJSON()
	if code == 0 || len(creates) != 2 {
		t.Fatalf("want two unknown creates, got exit %d and %v:\n%s", code, creates, out)
	}
	for _, c := range creates {
		if len(c.ids) != 2 {
			t.Errorf("%s names %v, want both templates", c.address, c.ids)
		}
	}
	if n := emu.Emulator.RouteCounts()["POST /v1/templates"]; n != 2 {
		t.Errorf("POST /v1/templates was sent %d times, want 2", n)
	}
	if imported := followImportLines(t, cli, creates, cli); imported != 2 {
		t.Errorf("%d templates imported, want 2", imported)
	}
	convergeFollowingImportLines(t, cli, cli)
	checkWorkspacesOwnTemplates(t, emu, "Twin", cli)
	if n := countTitlePrefix(emu, "Twin"); n != 2 {
		t.Errorf("the server holds %d twins, want 2", n)
	}
}

// TestAccFaults_lostTwinDoesNotTakeALateAnsweredTwin is issue 19 §2 in one
// run: twin B's create is lost before the server acts, twin A's is processed
// and answered late, after B's search. The old provider gave B A's template
// (one template, two resources); now B fails naming A's template, the user
// sees that A manages it, applies again, and B gets its own.
func TestAccFaults_lostTwinDoesNotTakeALateAnsweredTwin(t *testing.T) {
	t.Parallel()
	cli := newTerraformCLI(t, "1.5.0")
	emu := newTestEmulator(t, emulator.Options{})
	race := emulatortest.StartLostTwinCreates(t, emu.Instance, 500*time.Millisecond)
	cli.write("main.tf", cliTerraformBlock+twinConfig(race.URL, 2))
	cli.mustRun("init", "-input=false", "-no-color")
	code, creates, out := cli.applyJSON()
	checkWorkspacesOwnTemplates(t, emu, "Twin", cli)
	if code == 0 || len(creates) != 1 {
		t.Fatalf("want one unknown create, got exit %d and %v:\n%s", code, creates, out)
	}
	if imported := followImportLines(t, cli, creates, cli); imported != 0 {
		t.Errorf("%d templates imported, want none: the only one listed is the other twin's", imported)
	}
	convergeFollowingImportLines(t, cli, cli)
	checkWorkspacesOwnTemplates(t, emu, "Twin", cli)
	if n := countTitlePrefix(emu, "Twin"); n != 2 {
		t.Errorf("the server holds %d twins, want 2", n)
	}
}

// TestAccFaults_twinsAcrossWorkspacesNeverShareAnID is issue 19 §2 across
// processes: two workspaces apply the same template at once, each through
// its own provider process, against one server. The first create to arrive
// is lost before the server acts; the other is processed and answered late.
// The old provider, whose claims lived in one process, gave the lost one the
// other workspace's template. Now it fails naming that template; the user
// finds it in the other workspace's state, applies again, and each
// workspace owns its own template.
func TestAccFaults_twinsAcrossWorkspacesNeverShareAnID(t *testing.T) {
	t.Parallel()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to run terraform")
	}
	providerDir := buildProvider(t)
	workspaces := []*terraformCLI{newTerraformCLIWithBinary(t, providerDir), newTerraformCLIWithBinary(t, providerDir)}
	emu := newTestEmulator(t, emulator.Options{})
	race := emulatortest.StartLostTwinCreates(t, emu.Instance, 500*time.Millisecond)
	outputs, codes := make([]string, 2), make([]int, 2)
	var wg sync.WaitGroup
	for i, ws := range workspaces {
		ws.write("main.tf", cliTerraformBlock+twinConfig(race.URL, 1))
		wg.Go(func() { outputs[i], codes[i] = ws.stdout("apply", "-auto-approve", "-input=false", "-json") })
	}
	wg.Wait()
	checkWorkspacesOwnTemplates(t, emu, "Twin", workspaces...)
	lost := -1
	for i := range workspaces {
		if codes[i] != 0 {
			lost = i
		}
	}
	if lost < 0 || codes[1-lost] != 0 {
		t.Fatalf("want one workspace to fail, got exit codes %v:\n%s\n\n%s", codes, outputs[0], outputs[1])
	}
	creates := parseUnknownCreates(t, outputs[lost])
	if len(creates) != 1 || len(creates[0].ids) != 1 {
		t.Fatalf("want one unknown create naming the other workspace's template, got %v:\n%s", creates, outputs[lost])
	}
	if imported := followImportLines(t, workspaces[lost], creates, workspaces...); imported != 0 {
		t.Errorf("%d templates imported, want none: the one listed is the other workspace's", imported)
	}
	convergeFollowingImportLines(t, workspaces[lost], workspaces...)
	if out, code := workspaces[1-lost].stdout("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the other workspace's plan is not empty (exit %d):\n%s", code, out)
	}
	checkWorkspacesOwnTemplates(t, emu, "Twin", workspaces...)
	if n := countTitlePrefix(emu, "Twin"); n != 2 {
		t.Errorf("the server holds %d twins, want 2", n)
	}
}

// newTerraformCLIWithBinary is a terraformCLI whose terraform starts the
// provider as a plugin process of its own for every command, as in real
// runs, instead of reattaching to the provider served in this process.
func newTerraformCLIWithBinary(t *testing.T, providerDir string) *terraformCLI {
	t.Helper()
	cli := newTerraformCLI(t, "1.5.0")
	rc := filepath.Join(cli.dir, "dev.tfrc")
	cli.write("dev.tfrc", fmt.Sprintf(`provider_installation {
  dev_overrides {
    %q = %q
  }
  direct {}
}
`, testProviderAddress(t), providerDir))
	env := []string{"TF_CLI_CONFIG_FILE=" + rc}
	for _, kv := range cli.env {
		if !strings.HasPrefix(kv, "TF_REATTACH_PROVIDERS=") && !strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") {
			env = append(env, kv)
		}
	}
	cli.env = env
	return cli
}

// buildProvider builds the provider into a directory of the test's and
// returns the directory.
func buildProvider(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-workplus"), ".")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return dir
}

// twinConfig is count identical templates, through client credentials: with
// a static token the first request of a run goes alone (it finds out whether
// the token is accepted), which would put the creates one after the other.
func twinConfig(endpoint string, count int) string {
	return fmt.Sprintf(`
provider "workplus" {
  endpoint      = %q
  domain_id     = %q
  org_id        = %q
  client_id     = %q
  client_secret = %q
  app_id        = %q
  token_cache   = false
}

resource "workplus_template" "twin" {
  count = %d
  title = "Twin"
  rows  = [{ cells = [{ content = "same {{x.DATA}}" }] }]
}
`, endpoint, emulator.DemoDomainID, emulator.DemoOrgID, emulator.DemoClientID, emulator.DemoClientSecret, emulator.DemoAppID, count)
}

// unknownCreate is one create that failed as "may or may not have been
// created", as Terraform printed it.
type unknownCreate struct {
	address string   // the resource's address, which Terraform prints with the error
	ids     []string // from the error's terraform import lines
}

var importLine = regexp.MustCompile(`terraform import '` + regexp.QuoteMeta(workplus.ImportAddressPlaceholder) + `' (\S+)`)

// applyJSON runs terraform apply -json and returns its exit code, the
// unknown creates it reported and its output.
func (c *terraformCLI) applyJSON() (int, []unknownCreate, string) {
	c.t.Helper()
	out, code := c.stdout("apply", "-auto-approve", "-input=false", "-json")
	return code, parseUnknownCreates(c.t, out), out
}

// parseUnknownCreates reads the unknown creates from the output of
// terraform apply -json, and fails on any other error.
func parseUnknownCreates(t *testing.T, out string) []unknownCreate {
	t.Helper()
	var creates []unknownCreate
	for _, line := range strings.Split(out, "\n") {
		var msg struct {
			Type       string `json:"type"`
			Diagnostic struct {
				Severity string `json:"severity"`
				Summary  string `json:"summary"`
				Detail   string `json:"detail"`
				Address  string `json:"address"`
			} `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) != nil || msg.Type != "diagnostic" || msg.Diagnostic.Severity != "error" {
			continue
		}
		d := msg.Diagnostic
		if !strings.Contains(d.Summary, "may or may not have been created") {
			t.Fatalf("apply failed otherwise than with an unknown create: %s: %s", d.Summary, d.Detail)
		}
		if d.Address == "" {
			t.Fatalf("terraform printed no address with %q", d.Summary)
		}
		create := unknownCreate{address: d.Address}
		for _, m := range importLine.FindAllStringSubmatch(d.Detail, -1) {
			create.ids = append(create.ids, m[1])
		}
		creates = append(creates, create)
	}
	return creates
}

// stdout runs terraform with args and returns its standard output (without
// the warnings a provider override writes to standard error) and exit code.
func (c *terraformCLI) stdout(args ...string) (string, int) {
	c.t.Helper()
	cmd := exec.Command(c.bin, append([]string{"-chdir=" + c.dir}, args...)...)
	cmd.Env = c.env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if exitErr, ok := err.(*exec.ExitError); ok {
		return out.String() + errOut.String(), exitErr.ExitCode()
	}
	if err != nil {
		c.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), 0
}

// mustStdout is stdout that fails the test unless terraform exits 0.
func (c *terraformCLI) mustStdout(args ...string) string {
	c.t.Helper()
	out, code := c.stdout(args...)
	if code != 0 {
		c.t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

// followImportLines does what an unknown create's error tells the user: for
// each listed template, check with terraform state list -id in every
// workspace whether a resource manages it, and import the first that none
// does into the resource, as the printed line says. It returns how many
// templates it imported.
func followImportLines(t *testing.T, cli *terraformCLI, creates []unknownCreate, workspaces ...*terraformCLI) int {
	t.Helper()
	imported := 0
	for _, create := range creates {
		for _, id := range create.ids {
			managed := false
			for _, ws := range workspaces {
				if out := strings.TrimSpace(ws.mustStdout("state", "list", "-id="+id)); out != "" {
					managed = true
				}
			}
			if managed {
				continue
			}
			cli.mustStdout("import", "-input=false", "-no-color", create.address, id)
			imported++
			break
		}
	}
	return imported
}

// convergeFollowingImportLines applies until an apply succeeds, following
// the import lines of every unknown create in between, and then requires an
// empty plan. It returns how many creates ended unknown and how many
// templates were imported.
func convergeFollowingImportLines(t *testing.T, cli *terraformCLI, workspaces ...*terraformCLI) (unknown, imported int) {
	t.Helper()
	for round := 1; ; round++ {
		code, creates, out := cli.applyJSON()
		if code == 0 {
			break
		}
		if len(creates) == 0 || round == 5 {
			t.Fatalf("apply %d exited %d:\n%s", round, code, out)
		}
		unknown += len(creates)
		imported += followImportLines(t, cli, creates, workspaces...)
	}
	if out, code := cli.stdout("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("the plan after converging is not empty (exit %d):\n%s", code, out)
	}
	return unknown, imported
}

// checkWorkspacesOwnTemplates fails when two resources, in one workspace or
// across them, share a template, or when a template whose title starts with
// prefix is in no workspace's state (an orphan).
func checkWorkspacesOwnTemplates(t *testing.T, emu *testEmulator, prefix string, workspaces ...*terraformCLI) {
	t.Helper()
	owner := map[string]string{}
	for i, ws := range workspaces {
		var state struct {
			Values struct {
				RootModule struct {
					Resources []struct {
						Address string `json:"address"`
						Values  struct {
							ID string `json:"id"`
						} `json:"values"`
					} `json:"resources"`
				} `json:"root_module"`
			} `json:"values"`
		}
		if err := json.Unmarshal([]byte(ws.mustStdout("show", "-json")), &state); err != nil {
			t.Fatalf("terraform show -json: %v", err)
		}
		for _, r := range state.Values.RootModule.Resources {
			who := fmt.Sprintf("workspace %d %s", i, r.Address)
			if prev, ok := owner[r.Values.ID]; ok {
				t.Errorf("%s and %s share template %s", prev, who, r.Values.ID)
			}
			owner[r.Values.ID] = who
		}
	}
	for _, tpl := range emu.Emulator.Snapshot().Templates {
		if _, ok := owner[tpl.ID]; strings.HasPrefix(tpl.Title, prefix) && !ok {
			t.Errorf("template %s (%q) is orphaned: no resource manages it", tpl.ID, tpl.Title)
		}
	}
}

func countTitlePrefix(emu *testEmulator, prefix string) int {
	n := 0
	for _, tpl := range emu.Emulator.Snapshot().Templates {
		if strings.HasPrefix(tpl.Title, prefix) {
			n++
		}
	}
	return n
}

// TestAccFaults_pushesAreSentOnce applies 20 push notifications while a third
// of the sends are processed and then dropped and a third of the statistics
// reads fail: the request_id lets the provider retry the sends, and the
// server ends up with exactly one task per notification.
func TestAccFaults_pushesAreSentOnce(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{FaultSeed: 7, Faults: []emulator.FaultRule{
		{Route: "POST /push/notify", Probability: 0.3, Drop: emulator.DropAfter},
		{Route: "POST /push/task/detail", Probability: 0.3, Status: 503},
	}})
	config := fmt.Sprintf(`
provider "workplus" {
  endpoint     = %q
  access_token = %q
  app_id       = %q
  max_retries  = 10
}

resource "workplus_push_notification" "bulk" {
  count = 20
  all   = true
  title = format("Notice %%02d", count.index)
  body  = "sent once, whatever the network does"
}
`, emu.URL, emulator.DemoAccessToken, emulator.DemoAppID)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(*terraform.State) error {
					if n := emu.Emulator.PushTaskCount(); n != 20 {
						return fmt.Errorf("the server holds %d push tasks, want 20", n)
					}
					return nil
				},
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
			},
		},
	})
	drops := 0
	for _, r := range emu.Emulator.Requests() {
		if r.Fault == "drop after" {
			drops++
		}
	}
	if drops == 0 {
		t.Error("no send was dropped: the test did not exercise the retry path")
	}
	if n := emu.Emulator.PushTaskCount(); n != 20 {
		t.Errorf("after the run the server holds %d push tasks, want 20", n)
	}
}
