package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/workplus/terraform-provider-workplus/internal/emulator"
)

// terraformCLI runs the terraform binary the acceptance tests use
// (TF_ACC_TERRAFORM_PATH, else the one on PATH) in a directory of its own,
// against the provider served in-process. It is for what terraform-plugin-
// testing cannot drive: `terraform query -generate-config-out`, and
// configurations made of several files and modules, as users write them.
type terraformCLI struct {
	t   *testing.T
	bin string
	dir string
	env []string
}

// newTerraformCLI skips the test unless TF_ACC is set and the terraform is
// at least minimum.
func newTerraformCLI(t *testing.T, minimum string) *terraformCLI {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to run terraform")
	}
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		var err error
		if bin, err = exec.LookPath("terraform"); err != nil {
			t.Fatalf("no terraform on PATH and TF_ACC_TERRAFORM_PATH is unset: %v", err)
		}
	}
	out, err := exec.Command(bin, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version: %v", bin, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	if version.Must(version.NewVersion(v.Version)).LessThan(version.Must(version.NewVersion(minimum))) {
		t.Skipf("Terraform CLI version %s is below minimum version %s: skipping test", v.Version, minimum)
	}
	dir := t.TempDir()
	rc := filepath.Join(dir, ".terraformrc")
	if err := os.WriteFile(rc, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"TF_REATTACH_PROVIDERS="+serveProviderForCLI(t),
		"TF_CLI_CONFIG_FILE="+rc,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
	)
	return &terraformCLI{t: t, bin: bin, dir: dir, env: env}
}

// serveProviderForCLI serves the provider until the test ends and returns
// the TF_REATTACH_PROVIDERS value that points terraform at it.
func serveProviderForCLI(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	config := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	served := make(chan error, 1)
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	address := testProviderAddress(t)
	go func() {
		served <- tf6server.Serve(address, func() tfprotov6.ProviderServer { return server },
			tf6server.WithDebug(ctx, config, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()),
			tf6server.WithLoggingSink(t))
	}()
	var rc *plugin.ReattachConfig
	select {
	case rc = <-config:
	case err := <-served:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	case <-time.After(time.Minute):
		cancel()
		t.Fatal("the provider server did not start within a minute")
	}
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	reattach, err := json.Marshal(map[string]any{
		address: map[string]any{
			"Protocol": rc.Protocol, "ProtocolVersion": rc.ProtocolVersion, "Pid": rc.Pid, "Test": rc.Test,
			"Addr": map[string]string{"Network": rc.Addr.Network(), "String": rc.Addr.String()},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(reattach)
}

// useEmulator points the provider at emu through the environment, as a
// pipeline would, so example configurations run unchanged. The provider runs
// in this process, so that is where the variables go (t.Setenv: the test
// must not be parallel).
func (c *terraformCLI) useEmulator(emu *testEmulator) {
	c.t.Setenv("WORKPLUS_ENDPOINT", emu.URL)
	c.t.Setenv("WORKPLUS_ACCESS_TOKEN", emulator.DemoAccessToken)
	c.t.Setenv("WORKPLUS_APP_ID", emulator.DemoAppID)
}

// write puts a file into the working directory, creating directories.
func (c *terraformCLI) write(name, content string) {
	c.t.Helper()
	path := filepath.Join(c.dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		c.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		c.t.Fatal(err)
	}
}

// copyExample copies a file of examples/ into the working directory.
func (c *terraformCLI) copyExample(example, name string) {
	c.t.Helper()
	content, err := os.ReadFile(filepath.Join("..", "..", "examples", example))
	if err != nil {
		c.t.Fatal(err)
	}
	c.write(name, string(content))
}

func (c *terraformCLI) read(name string) string {
	c.t.Helper()
	content, err := os.ReadFile(filepath.Join(c.dir, name))
	if err != nil {
		c.t.Fatal(err)
	}
	return string(content)
}

// run runs terraform with args and returns its combined output and exit
// code; it fails the test only when terraform cannot be started.
func (c *terraformCLI) run(args ...string) (string, int) {
	c.t.Helper()
	cmd := exec.Command(c.bin, append([]string{"-chdir=" + c.dir}, args...)...)
	cmd.Env = c.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if exitErr, ok := err.(*exec.ExitError); ok {
		return out.String(), exitErr.ExitCode()
	}
	if err != nil {
		c.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), 0
}

// mustRun runs terraform and fails the test unless it exits 0.
func (c *terraformCLI) mustRun(args ...string) string {
	c.t.Helper()
	out, code := c.run(args...)
	if code != 0 {
		c.t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, out)
	}
	return out
}
