#!/usr/bin/env bash
# make install-check: what README's "Use it in your own configuration and CI"
# tells a user to do, run end to end. It installs the provider with
# `make install` into a fresh directory, starts the emulator on a free port,
# and runs `terraform init && terraform apply` on a configuration of its own
# that uses the provider from a module. Registry access is made impossible
# (an unreachable HTTPS proxy), so init has to work offline from the mirror.
# It fails on a dev_overrides warning or a non-empty second plan.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
terraform=${TERRAFORM:-terraform}
# shellcheck source=scripts/emulator-lib.sh
source "$root/scripts/emulator-lib.sh"
new_workdir workplus-install
fail() { echo "install-check: $*" >&2; exit 1; }

echo "==> make install INSTALL_DIR=$work/install"
make -s -C "$root" install INSTALL_DIR="$work/install" >"$work/install.log"
version=$(sed -n 's/^Installed workplus\/workplus \([^ ]*\) for.*/\1/p' "$work/install.log")
[ -n "$version" ] || { cat "$work/install.log"; fail "make install did not say what it installed"; }
echo "    version $version"

echo "==> Emulator on a free port"
start_emulator "$work/install/bin/workplus-emulator"
echo "    $url"

# A configuration of the user's own: the root module and a child module each
# declare workplus/workplus, as every module using the provider must.
mkdir -p "$work/config/modules/notice"
cat >"$work/config/main.tf" <<'TF'
terraform {
  required_providers {
    workplus = {
      source  = "workplus/workplus"
      version = ">= 0.1.0"
    }
  }
}

provider "workplus" {}

module "deploy_notice" {
  source = "./modules/notice"
  title  = "Deployment notice"
}

output "placeholders" {
  value = module.deploy_notice.placeholders
}
TF
cat >"$work/config/modules/notice/main.tf" <<'TF'
terraform {
  required_providers {
    workplus = {
      source = "workplus/workplus"
    }
  }
}

variable "title" {
  type = string
}

resource "workplus_template" "this" {
  title = var.title
  rows = [
    { cells = [{ content = "{{service.DATA}} {{version.DATA}} is deploying" }] },
  ]
}

output "placeholders" {
  value = workplus_template.this.placeholders
}
TF

export TF_CLI_CONFIG_FILE=$work/install/terraformrc
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
unset TF_PLUGIN_CACHE_DIR
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost
export WORKPLUS_ENDPOINT=$url
export WORKPLUS_ACCESS_TOKEN=demo-access-token
export WORKPLUS_APP_ID=dafc2d03-3991-4de0-91d6-de3135c1fb4f
no_overrides() {
  if grep -qi "development overrides\|dev_overrides" "$1"; then
    cat "$1"; fail "$2 printed a dev_overrides warning"
  fi
}

# check_client runs init, apply, a second plan and destroy with client $1 in
# a copy of the configuration of its own (its own lock file and data dir).
check_client() {
  local client=$1 name dir
  name=$(basename "$client")
  dir=$work/config-$name
  cp -r "$work/config" "$dir"
  export TF_DATA_DIR=$dir/.terraform
  tf() { "$client" -chdir="$dir" "$@" -input=false -no-color; }

  echo "==> $name init (offline: registry access goes to an unreachable proxy)"
  tf init >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; fail "$name init failed"; }
  no_overrides "$dir/init.log" "$name init"
  grep -q "Installing workplus/workplus v$version" "$dir/init.log" || { cat "$dir/init.log"; fail "$name init did not install workplus/workplus v$version from the mirror"; }
  echo "    installed workplus/workplus v$version"

  echo "==> $name apply"
  tf apply -auto-approve >"$dir/apply.log" 2>&1 || { cat "$dir/apply.log"; fail "$name apply failed"; }
  no_overrides "$dir/apply.log" "$name apply"
  grep -q "1 added" "$dir/apply.log" || { cat "$dir/apply.log"; fail "$name apply did not create the template"; }
  local placeholders
  placeholders=$("$client" -chdir="$dir" output -no-color -json placeholders)
  [ "$placeholders" = '["service","version"]' ] || fail "$name: unexpected placeholders output: $placeholders"
  echo "    template created; placeholders [service, version]"

  echo "==> $name: a second plan is empty"
  tf plan -detailed-exitcode >"$dir/plan.log" 2>&1 || { cat "$dir/plan.log"; fail "$name: the second plan is not empty"; }

  echo "==> $name destroy"
  tf destroy -auto-approve >"$dir/destroy.log" 2>&1 || { cat "$dir/destroy.log"; fail "$name destroy failed"; }
}

check_client "$(command -v "$terraform")"
# OpenTofu, where it is beside the repository (TOFU overrides): the same
# mirror under its own registry address.
tofu=${TOFU:-$root/../shared/tools/tofu-1.12.6/tofu}
if [ ! -x "$tofu" ] && common=$(git -C "$root" rev-parse --path-format=absolute --git-common-dir 2>/dev/null); then
  tofu=$(dirname "$common")/../shared/tools/tofu-1.12.6/tofu
fi
if [ -x "$tofu" ]; then
  check_client "$tofu"
else
  echo "==> tofu: skipped, no OpenTofu at ../shared/tools/tofu-1.12.6/tofu (set TOFU=/path/to/tofu)"
fi
echo "install-check: ok"
