#!/usr/bin/env bash
# make demo: build, start the emulator, apply examples/quickstart through a
# dev_overrides CLI config (no `terraform init`, which would reach for the
# registry), print the outputs, stop the emulator. KEEP=1 keeps it running.
# TERRAFORM picks the terraform binary (default: the one on PATH); from 1.14
# on, the quickstart sends through actions and the demo invokes one on its own.
set -euo pipefail
# shellcheck source=scripts/emulator-session.sh
source "$(dirname "$0")/emulator-session.sh"
terraform=${TERRAFORM:-terraform}

mkdir -p "$work/quickstart"
cp "$root"/examples/quickstart/*.tf "$work/quickstart/"
# Actions need Terraform 1.14: older versions send through the resources.
tf_version=$("$terraform" version -json | sed -n 's/.*"terraform_version": *"\([0-9.]*\).*/\1/p')
with_actions=""
if [ "$(printf '%s\n' 1.14.0 "$tf_version" | sort -V | head -n1)" = "1.14.0" ]; then
  with_actions=1
  cp "$root"/examples/quickstart/actions/messaging.tf "$work/quickstart/messaging.tf"
fi

if [ -n "$with_actions" ]; then
  echo "==> terraform $tf_version apply examples/quickstart (sending through actions)"
else
  echo "==> terraform $tf_version apply examples/quickstart (sending through resources; actions need terraform 1.14)"
fi
echo "    Two warnings below are expected, not failures:"
echo "    - \"Provider development overrides are in effect\": the demo runs the provider it just built, through a dev_overrides CLI config."
echo "    - \"Check block assertion failed\": the demo seed has a push certificate that expires within 30 days, and the quickstart's check block says so; a check warns, it never fails a run."
"$terraform" -chdir="$work/quickstart" apply -auto-approve -input=false -no-color
echo "==> A second plan must be empty"
"$terraform" -chdir="$work/quickstart" plan -detailed-exitcode -input=false -no-color >"$work/plan.txt" 2>&1 || { cat "$work/plan.txt"; echo "the second plan is not empty" >&2; exit 1; }
echo "    no changes"
if [ -n "$with_actions" ]; then
  echo "==> Push once more, on demand: terraform apply -invoke=action.workplus_send_push_notification.release_push"
  "$terraform" -chdir="$work/quickstart" apply -auto-approve -input=false -no-color -invoke=action.workplus_send_push_notification.release_push
fi

if [ "${KEEP:-}" = "1" ]; then
  echo
  echo "The emulator keeps running at $url"
  echo "  inbox:  $url/_emulator/ui/"
  echo "  state:  $url/_emulator/state"
  echo "Press Ctrl-C to stop."
  wait "$emulator_pid"
fi
