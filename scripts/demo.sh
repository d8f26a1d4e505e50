#!/usr/bin/env bash
# make demo: build, start the emulator, apply examples/quickstart through a
# dev_overrides CLI config (no `terraform init`, which would reach for the
# registry), print the outputs, stop the emulator. KEEP=1 keeps it running.
set -euo pipefail
# shellcheck source=scripts/emulator-session.sh
source "$(dirname "$0")/emulator-session.sh"

mkdir -p "$work/quickstart"
cp "$root"/examples/quickstart/*.tf "$work/quickstart/"

echo "==> terraform apply examples/quickstart"
terraform -chdir="$work/quickstart" apply -auto-approve -input=false -no-color
echo "==> A second plan must be empty"
terraform -chdir="$work/quickstart" plan -detailed-exitcode -input=false -no-color >"$work/plan.txt" 2>&1 || { cat "$work/plan.txt"; echo "the second plan is not empty" >&2; exit 1; }
echo "    no changes"

if [ "${KEEP:-}" = "1" ]; then
  echo
  echo "The emulator keeps running at $url"
  echo "  inbox:  $url/_emulator/ui/"
  echo "  state:  $url/_emulator/state"
  echo "Press Ctrl-C to stop."
  wait "$emulator_pid"
fi
