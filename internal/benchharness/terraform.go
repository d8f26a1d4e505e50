package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// terraform runs the terraform CLI with a dev_overrides configuration, the
// way scripts/demo.sh does: no `terraform init`, so no registry.
type terraform struct {
	bin         string
	providerDir string
	cliConfig   string
	// cacheDir is XDG_CACHE_HOME for terraform and the provider, so the
	// provider's token cache lives in the working directory, starts empty
	// and can be emptied between commands.
	cacheDir string
	// lastCPU is the user+system CPU time of the last command: terraform
	// and the provider processes it started and reaped (wait4 counts
	// reaped descendants).
	lastCPU time.Duration
	// extraEnv is added to the environment of the next commands.
	extraEnv []string
	// separateStderr keeps stderr out of the returned output (runQuiet).
	separateStderr bool
}

// runQuiet is run with only stdout returned, for output to parse.
func (t *terraform) runQuiet(ctx context.Context, dir string, args ...string) (string, error) {
	t.separateStderr = true
	defer func() { t.separateStderr = false }()
	_, out, err := t.run(ctx, dir, args...)
	return out, err
}

// sdkLogsOff and sdkLogsTrace set the logging of terraform-plugin-go,
// terraform-plugin-framework and the provider's own tflog in the provider
// process (Terraform passes its environment on). Terraform core reads none of
// them, so with TF_LOG unset it still discards whatever the provider logs.
var (
	sdkLogsOff   = []string{"TF_LOG_SDK=off", "TF_LOG_SDK_PROTO=off", "TF_LOG_SDK_FRAMEWORK=off", "TF_LOG_PROVIDER_WORKPLUS=off"}
	sdkLogsTrace = []string{"TF_LOG_SDK=trace", "TF_LOG_SDK_PROTO=trace", "TF_LOG_SDK_FRAMEWORK=trace", "TF_LOG_PROVIDER_WORKPLUS=trace"}
)

const terraformBound = 5 * time.Minute

func newTerraform(bin, providerDir, work string) *terraform {
	return &terraform{bin: bin, providerDir: providerDir, cliConfig: filepath.Join(work, "terraformrc"), cacheDir: filepath.Join(work, "xdg-cache")}
}

func (t *terraform) writeCLIConfig() error {
	return writeFile(t.cliConfig, fmt.Sprintf(`disable_checkpoint = true

provider_installation {
  dev_overrides {
    "registry.terraform.io/workplus/workplus" = %q
    "registry.terraform.io/workplus/workplusfloor" = %q
  }
  direct {}
}
`, t.providerDir, t.providerDir))
}

func (t *terraform) env() []string {
	return childEnv(append([]string{
		"TF_CLI_CONFIG_FILE=" + t.cliConfig,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
		"XDG_CACHE_HOME=" + t.cacheDir,
	}, t.extraEnv...))
}

// exitError is a terraform run that exited non-zero.
type exitError struct {
	args   []string
	code   int
	output string
}

func (e *exitError) Error() string {
	return fmt.Sprintf("terraform %s: exit %d: %s", strings.Join(e.args, " "), e.code, tail(e.output, 3000))
}

// run times one terraform command in dir. allowed lists extra exit codes
// that are not failures (2 for plan -detailed-exitcode with changes).
func (t *terraform) run(ctx context.Context, dir string, args ...string) (time.Duration, string, error) {
	ctx, cancel := context.WithTimeout(ctx, terraformBound)
	defer cancel()
	full := append([]string{"-chdir=" + dir}, args...)
	cmd := exec.CommandContext(ctx, t.bin, full...)
	cmd.Env = t.env()
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if t.separateStderr {
		cmd.Stderr = &errOut
	}
	started := time.Now()
	err := cmd.Run()
	elapsed := time.Since(started)
	t.lastCPU = 0
	if cmd.ProcessState != nil {
		t.lastCPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		code := -1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return elapsed, out.String(), &exitError{args: args, code: code, output: out.String() + errOut.String()}
	}
	return elapsed, out.String(), nil
}

func (t *terraform) apply(ctx context.Context, dir string) (time.Duration, error) {
	d, _, err := t.run(ctx, dir, "apply", "-auto-approve", "-input=false", "-no-color")
	return d, err
}

// planNoChanges runs a plan that must find nothing to change.
func (t *terraform) planNoChanges(ctx context.Context, dir string) (time.Duration, error) {
	d, out, err := t.run(ctx, dir, "plan", "-input=false", "-no-color", "-detailed-exitcode")
	if ee, ok := err.(*exitError); ok && ee.code == 2 {
		return d, fmt.Errorf("the plan in %s is not empty: %s", dir, tail(out, 3000))
	}
	return d, err
}

// plan runs a plan whose outcome does not matter, only its time.
func (t *terraform) plan(ctx context.Context, dir string) (time.Duration, error) {
	d, _, err := t.run(ctx, dir, "plan", "-input=false", "-no-color")
	return d, err
}

// clearCache empties the provider's token cache (and anything else kept
// under XDG_CACHE_HOME).
func (t *terraform) clearCache() error { return os.RemoveAll(t.cacheDir) }

// removeState forgets everything terraform knows in dir.
func removeState(dir string) error {
	for _, name := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

// Configuration generators. Every template has the shape the examples use:
// two actions and three rows with five placeholders.

type auth int

const (
	authToken auth = iota
	authCredentials
)

func providerBlock(url string, a auth, extra string) string {
	var b strings.Builder
	b.WriteString(`terraform {
  required_providers {
    workplus = {
      source = "workplus/workplus"
    }
  }
}

provider "workplus" {
`)
	fmt.Fprintf(&b, "  endpoint = %q\n  app_id   = %q\n", url, emulator.DemoAppID)
	switch a {
	case authCredentials:
		fmt.Fprintf(&b, "  domain_id     = %q\n  org_id        = %q\n  client_id     = %q\n  client_secret = %q\n",
			emulator.DemoDomainID, emulator.DemoOrgID, emulator.DemoClientID, emulator.DemoClientSecret)
	default:
		fmt.Fprintf(&b, "  access_token = %q\n", emulator.DemoAccessToken)
	}
	b.WriteString(extra)
	b.WriteString("}\n")
	return b.String()
}

// templateBody is the arguments of one template; title may use count.index.
func templateBody(title string) string {
	return fmt.Sprintf(`  title  = %s
  tags   = "bench,ci"
  sample = "build 42 of api passed"
  actions = [
    { name = "Open build", value = "https://ci.example.com/builds" },
    { name = "Logs", value = "https://ci.example.com/logs" },
  ]
  rows = [
    { cells = [{ content = "Build {{build.DATA}} of {{project.DATA}}", align = "left" }] },
    { cells = [{ content = "Status", align = "left" }, { content = "{{status.DATA}}", align = "right" }] },
    { cells = [{ content = "Triggered by {{user.DATA}} at {{time.DATA}}", align = "center" }] },
  ]
`, title)
}

// templatesConfig is n workplus_template resources (count), or one without
// count when n is 0.
func templatesConfig(url string, a auth, n int, suffix string) string {
	return templatesConfigWith(url, a, "", n, suffix)
}

// templatesConfigWith adds providerExtra to the provider block.
func templatesConfigWith(url string, a auth, providerExtra string, n int, suffix string) string {
	if n == 0 {
		return providerBlock(url, a, providerExtra) + "\nresource \"workplus_template\" \"t\" {\n" +
			templateBody(fmt.Sprintf("%q", "Round trip"+suffix)) + "}\n"
	}
	return providerBlock(url, a, providerExtra) + fmt.Sprintf("\nresource \"workplus_template\" \"t\" {\n  count = %d\n", n) +
		templateBody(fmt.Sprintf("%q", "Bench template ${count.index}"+suffix)) + "}\n"
}

// floorConfig is n resources of the framework floor provider
// (internal/benchharness/floorprovider) with templatesConfig's arguments:
// resourceType is workplusfloor_template or workplusfloor_bare_template.
func floorConfig(resourceType string, n int) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    workplusfloor = {
      source = "workplus/workplusfloor"
    }
  }
}

resource %q "t" {
  count = %d
`, resourceType, n) + templateBody(fmt.Sprintf("%q", "Bench template ${count.index}")) + "}\n"
}

// terraformDataConfig is n terraform_data resources whose input holds the
// same arguments as templatesConfig's templates.
func terraformDataConfig(n int) string {
	body := templateBody(fmt.Sprintf("%q", "Bench template ${count.index}"))
	indented := "  " + strings.ReplaceAll(strings.TrimRight(body, "\n"), "\n", "\n  ") + "\n"
	return fmt.Sprintf("resource \"terraform_data\" \"t\" {\n  count = %d\n  input = {\n%s  }\n}\n", n, indented)
}

// templatesDataSourceConfig reads every template, or those matching kw.
func templatesDataSourceConfig(url, kw string, pageSize int) string {
	return templatesDataSourceConfigWith(url, kw, pageSize, false)
}

// templatesDataSourceConfigWith also sets include_content when full.
func templatesDataSourceConfigWith(url, kw string, pageSize int, full bool) string {
	extra := ""
	if pageSize > 0 {
		extra = fmt.Sprintf("  page_size = %d\n", pageSize)
	}
	var args string
	if kw != "" {
		args += fmt.Sprintf("  kw = %q\n", kw)
	}
	if full {
		args += "  include_content = true\n"
	}
	return providerBlock(url, authToken, extra) + "\ndata \"workplus_templates\" \"all\" {\n" + args + "}\n"
}

// jsonDecodeConfig plans the records of file (JSON, next to the
// configuration) into a terraform_data input: Terraform decoding the records
// itself, the floor of the data source.
func jsonDecodeConfig(file string) string {
	return fmt.Sprintf("resource \"terraform_data\" \"records\" {\n  input = jsondecode(file(\"${path.module}/%s\"))\n}\n", file)
}
