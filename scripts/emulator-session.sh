# Sourced by scripts/demo.sh and scripts/adopt-demo.sh: builds the provider and
# the emulator into a temporary directory, starts the emulator (default seed,
# free loopback port), and points terraform at both through a dev_overrides CLI
# config and the WORKPLUS_* environment. Stops the emulator and removes the
# directory on exit. Sets $root, $work and $url.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/workplus-demo.XXXXXX")
emulator_pid=""
cleanup() {
  if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill -TERM "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "==> Building the provider and the emulator"
mkdir -p "$work/bin"
(cd "$root" && go build -o "$work/bin/terraform-provider-workplus" . && go build -o "$work/bin/workplus-emulator" ./cmd/workplus-emulator)

echo "==> Starting the emulator (default seed, free loopback port)"
"$work/bin/workplus-emulator" --listen 127.0.0.1:0 --url-file "$work/url" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/url" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log"; echo "the emulator exited" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/url" ] || { cat "$work/emulator.log"; echo "the emulator did not start" >&2; exit 1; }
url=$(cat "$work/url")
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
