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
export TF_DATA_DIR=$work/config/.terraform
unset TF_PLUGIN_CACHE_DIR
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost
export WORKPLUS_ENDPOINT=$url
export WORKPLUS_ACCESS_TOKEN=demo-access-token
export WORKPLUS_APP_ID=dafc2d03-3991-4de0-91d6-de3135c1fb4f
tf() { "$terraform" -chdir="$work/config" "$@" -input=false -no-color; }
no_overrides() {
  if grep -qi "development overrides\|dev_overrides" "$1"; then
    cat "$1"; fail "$2 printed a dev_overrides warning"
  fi
}

echo "==> terraform init (offline: registry access goes to an unreachable proxy)"
tf init >"$work/init.log" 2>&1 || { cat "$work/init.log"; fail "terraform init failed"; }
no_overrides "$work/init.log" "terraform init"
grep -q "Installing workplus/workplus v$version" "$work/init.log" || { cat "$work/init.log"; fail "init did not install workplus/workplus v$version from the mirror"; }
echo "    installed workplus/workplus v$version"

echo "==> terraform apply"
tf apply -auto-approve >"$work/apply.log" 2>&1 || { cat "$work/apply.log"; fail "terraform apply failed"; }
no_overrides "$work/apply.log" "terraform apply"
grep -q "1 added" "$work/apply.log" || { cat "$work/apply.log"; fail "apply did not create the template"; }
placeholders=$("$terraform" -chdir="$work/config" output -no-color -json placeholders)
[ "$placeholders" = '["service","version"]' ] || fail "unexpected placeholders output: $placeholders"
echo "    template created; placeholders [service, version]"

echo "==> A second plan is empty"
tf plan -detailed-exitcode >"$work/plan.log" 2>&1 || { cat "$work/plan.log"; fail "the second plan is not empty"; }

echo "==> terraform destroy"
tf destroy -auto-approve >"$work/destroy.log" 2>&1 || { cat "$work/destroy.log"; fail "terraform destroy failed"; }
echo "install-check: ok"
