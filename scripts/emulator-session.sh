# Sourced by scripts/demo.sh and scripts/adopt-demo.sh: builds the provider and
# the emulator into a temporary directory, starts the emulator (default seed,
# free loopback port), and points terraform at both through a dev_overrides CLI
# config and the WORKPLUS_* environment. Stops the emulator and removes the
# directory on exit. Sets $root, $work and $url.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/emulator-lib.sh
source "$root/scripts/emulator-lib.sh"
new_workdir workplus-demo

echo "==> Building the provider and the emulator"
mkdir -p "$work/bin"
(cd "$root" && go build -o "$work/bin/terraform-provider-workplus" . && go build -o "$work/bin/workplus-emulator" ./cmd/workplus-emulator)

echo "==> Starting the emulator (default seed, free loopback port)"
start_emulator "$work/bin/workplus-emulator"
echo "    emulator: $url"

cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/workplus/workplus" = "$work/bin"
  }
  direct {}
}
RC

export TF_CLI_CONFIG_FILE="$work/terraformrc"
export TF_IN_AUTOMATION=1
export WORKPLUS_ENDPOINT="$url"
export WORKPLUS_ACCESS_TOKEN=demo-access-token
export WORKPLUS_APP_ID=dafc2d03-3991-4de0-91d6-de3135c1fb4f
