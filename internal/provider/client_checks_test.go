package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// OpenTofu reports its own version number (1.12.6 says 1.12.6), so a check
// of the version alone cannot tell which features the client has: OpenTofu
// lacks list resources and `terraform query` (opentofu/opentofu#3787) and
// actions (opentofu/opentofu#3309) whatever version it reports. Tests of
// those features skip on OpenTofu by the client, here, and on Terraform by
// its version, with tfversion.SkipBelow, so a skip on one client never hides
// a failure on a client that has the feature.

// skipOnOpenTofu skips the test when the CLI that terraform-plugin-testing
// runs is OpenTofu, which lacks feature (named, with its OpenTofu issue, in
// the skip message).
func skipOnOpenTofu(feature string) tfversion.TerraformVersionCheck {
	return skipOnOpenTofuCheck{feature: feature}
}

type skipOnOpenTofuCheck struct{ feature string }

func (c skipOnOpenTofuCheck) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	bin, tofu, err := testCLIIsOpenTofu()
	if err != nil {
		resp.Error = err
		return
	}
	if tofu {
		resp.Skip = fmt.Sprintf("%s is OpenTofu, which has no %s: skipping test", bin, c.feature)
	}
}

// Features OpenTofu lacks, for skipOnOpenTofu.
const (
	openTofuNoListResources = "list resources or `query` (opentofu/opentofu#3787)"
	openTofuNoActions       = "actions (opentofu/opentofu#3309)"
)

// testCLIPath is the CLI terraform-plugin-testing runs: TF_ACC_TERRAFORM_PATH,
// else terraform on PATH. (TF_ACC_TERRAFORM_VERSION installs a HashiCorp
// release, never OpenTofu, so it needs no look.)
func testCLIPath() (string, error) {
	if bin := os.Getenv("TF_ACC_TERRAFORM_PATH"); bin != "" {
		return bin, nil
	}
	bin, err := exec.LookPath("terraform")
	if err != nil {
		return "", fmt.Errorf("no terraform on PATH and TF_ACC_TERRAFORM_PATH is unset: %w", err)
	}
	return bin, nil
}

var openTofuByPath sync.Map // CLI path -> bool

// testCLIIsOpenTofu reports whether the test CLI is OpenTofu, by the first
// line of `version` ("OpenTofu v1.12.6"; `version -json` does not say), which
// holds whatever the binary is called.
func testCLIIsOpenTofu() (string, bool, error) {
	bin, err := testCLIPath()
	if err != nil {
		return "", false, err
	}
	if tofu, ok := openTofuByPath.Load(bin); ok {
		return bin, tofu.(bool), nil
	}
	cmd := exec.Command(bin, "version")
	// A missing CLI configuration file only adds a warning on stderr.
	out, err := cmd.Output()
	if err != nil {
		return bin, false, fmt.Errorf("%s version: %w", bin, err)
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	var tofu bool
	switch {
	case strings.HasPrefix(first, "OpenTofu v"):
		tofu = true
	case strings.HasPrefix(first, "Terraform v"):
	default:
		return bin, false, fmt.Errorf("%s version printed %q: neither Terraform nor OpenTofu", bin, first)
	}
	openTofuByPath.Store(bin, tofu)
	return bin, tofu, nil
}

// onOpenTofu reports whether the acceptance tests run under OpenTofu, for a
// test that holds OpenTofu to a documented difference (named with its issue
// where it is used) and Terraform to what it does.
func onOpenTofu(t *testing.T) bool {
	t.Helper()
	_, tofu, err := testCLIIsOpenTofu()
	if err != nil {
		t.Fatal(err)
	}
	return tofu
}

// TestClientChecks runs the list resource and action tests' checks
// (skipBelowQuery, actionVersionChecks; OpenTofu's first, so its skip names
// the missing feature rather than a version) against fake
// CLIs that print what each real client prints: OpenTofu skips whatever
// version it reports, Terraform by its version only, and the 1.16 release
// branch build (1.16.0-dev) runs the tests.
func TestClientChecks(t *testing.T) {
	for _, tc := range []struct {
		name, firstLine, version string
		wantSkip                 string // "" when the test must run
	}{
		{"Terraform 1.16.0-dev", "Terraform v1.16.0-dev", "1.16.0-dev", ""},
		{"Terraform 1.15.9", "Terraform v1.15.9", "1.15.9", ""},
		{"Terraform 1.11.4", "Terraform v1.11.4", "1.11.4", "is below minimum version 1.14.0"},
		{"OpenTofu 1.12.6", "OpenTofu v1.12.6", "1.12.6", "is OpenTofu, which has no"},
		{"OpenTofu reporting 1.15.0", "OpenTofu v1.15.0", "1.15.0", "is OpenTofu, which has no"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin := t.TempDir() + "/cli"
			script := fmt.Sprintf("#!/bin/sh\nprintf '%s\\non linux_amd64\\n'\n", tc.firstLine)
			if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			t.Setenv("TF_ACC_TERRAFORM_PATH", bin)
			for name, checks := range map[string][]tfversion.TerraformVersionCheck{"list resource": skipBelowQuery, "action": actionVersionChecks} {
				var skip string
				for _, check := range checks {
					var resp tfversion.CheckTerraformVersionResponse
					check.CheckTerraformVersion(t.Context(), tfversion.CheckTerraformVersionRequest{
						TerraformVersion: version.Must(version.NewVersion(tc.version)),
					}, &resp)
					if resp.Error != nil {
						t.Fatalf("%s check: %v", name, resp.Error)
					}
					if resp.Skip != "" && skip == "" {
						skip = resp.Skip
					}
				}
				switch {
				case tc.wantSkip == "" && skip != "":
					t.Errorf("%s tests skip on %s, want them to run: %s", name, tc.name, skip)
				case tc.wantSkip != "" && !strings.Contains(skip, tc.wantSkip):
					t.Errorf("%s tests on %s: skip %q, want one containing %q", name, tc.name, skip, tc.wantSkip)
				}
			}
		})
	}

	t.Run("unknown CLI is an error", func(t *testing.T) {
		bin := t.TempDir() + "/cli"
		if err := os.WriteFile(bin, []byte("#!/bin/sh\necho 'something else'\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv("TF_ACC_TERRAFORM_PATH", bin)
		var resp tfversion.CheckTerraformVersionResponse
		skipOnOpenTofu(openTofuNoActions).CheckTerraformVersion(t.Context(), tfversion.CheckTerraformVersionRequest{}, &resp)
		if resp.Error == nil || !strings.Contains(resp.Error.Error(), "neither Terraform nor OpenTofu") {
			t.Errorf("error %v, want one saying the CLI is neither Terraform nor OpenTofu", resp.Error)
		}
	})
}

// skipOnOpenTofuCLI is skipOnOpenTofu for the tests that run the CLI
// themselves (terraformCLI, cliRun) rather than through plugin-testing.
func skipOnOpenTofuCLI(t *testing.T, feature string) {
	t.Helper()
	if onOpenTofu(t) {
		t.Skipf("the CLI is OpenTofu, which has no %s: skipping test", feature)
	}
}

// testProviderAddress is the address the CLI gives source =
// "workplus/workplus", for TF_REATTACH_PROVIDERS and dev_overrides:
// OpenTofu's default registry host is registry.opentofu.org. A set
// TF_ACC_PROVIDER_HOST wins, as it does in plugin-testing.
func testProviderAddress(t *testing.T) string {
	t.Helper()
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
		if onOpenTofu(t) {
			host = "registry.opentofu.org"
		}
	}
	return host + "/workplus/workplus"
}
