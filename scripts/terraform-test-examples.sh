#!/usr/bin/env bash
# make test-examples: runs `terraform test` (and `tofu test`) in
# examples/guides/testing-configurations, as the guide "Testing configurations
# that use WorkPlus" shows: one test file against the emulator, two offline
# under mock_provider. It builds the provider and the emulator, starts the
# emulator, and runs each client through a dev_overrides CLI config for both
# registry addresses. Clients: the terraform on PATH and, beside the
# repository, ../shared/tools/terraform-1.15.9, terraform-1.16.0-dev and
# tofu-1.12.6; an absent one is said in one line and skipped. mock_provider
# needs Terraform 1.7 (OpenTofu 1.8).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/emulator-lib.sh
source "$root/scripts/emulator-lib.sh"
new_workdir workplus-test-examples

tools=$root/../shared/tools
if [ ! -d "$tools" ] && common=$(git -C "$root" rev-parse --path-format=absolute --git-common-dir 2>/dev/null); then
  tools=$(dirname "$common")/../shared/tools
fi
clients=("$(command -v terraform || echo terraform)" "$tools/terraform-1.15.9/terraform" "$tools/terraform-1.16.0-dev/terraform" "$tools/tofu-1.12.6/tofu")

echo "==> terraform test of examples/guides/testing-configurations: building the provider and the emulator"
mkdir -p "$work/bin"
(cd "$root" && go build -o "$work/bin/terraform-provider-workplus" . && go build -o "$work/bin/workplus-emulator" ./cmd/workplus-emulator)
start_emulator "$work/bin/workplus-emulator"

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/workplus/workplus" = "$work/bin"
    "registry.opentofu.org/workplus/workplus" = "$work/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export WORKPLUS_ENDPOINT="$url" WORKPLUS_ACCESS_TOKEN=demo-access-token WORKPLUS_APP_ID=dafc2d03-3991-4de0-91d6-de3135c1fb4f

failed=0
summary=()
for client in "${clients[@]}"; do
  if [ ! -x "$client" ]; then
    summary+=("$client: skipped, not found")
    continue
  fi
  version=$("$client" version -json | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p')
  name="$(basename "$client") $version"
  if [ "$(printf '%s\n' 1.7.0 "${version%%-*}" | sort -V | head -n1)" != "1.7.0" ]; then
    summary+=("$name: skipped, mock_provider needs 1.7")
    continue
  fi
  dir="$work/run-$(echo "$name" | tr ' /' '__')"
  cp -r "$root/examples/guides/testing-configurations" "$dir"
  started=$(date +%s)
  if "$client" -chdir="$dir" test -no-color >"$dir.log" 2>&1 && grep -q "^Success!" "$dir.log"; then
    summary+=("$name: passed in $(( $(date +%s) - started )) s")
  else
    cat "$dir.log"
    summary+=("$name: FAILED (log above)")
    failed=1
  fi
done
printf '    %s\n' "${summary[@]}"
exit $failed
