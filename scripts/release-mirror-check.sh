#!/usr/bin/env bash
# make release-mirror: install the release the way teams do, from a provider
# network mirror over HTTPS. tools/releasemirror serves dist/ (made with
# `make release-snapshot SINGLE_TARGET=1` when it holds no release of this
# version) by Terraform's network mirror protocol on 127.0.0.1 with a CA of
# its own, trusted through SSL_CERT_FILE. Then, for terraform (mirror host
# 127.0.0.1) and tofu (mirror host localhost, where TOFU or the shared
# tofu-1.12.6 exists): init; tofu's lock file records the zh: hash that
# SHA256SUMS gives the zip (terraform's records only h1: for an unsigned
# mirror, and refuses a zip that does not match the zh:); an apply against
# the release's own emulator.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
terraform=${TERRAFORM:-terraform}
tofu=${TOFU:-$root/../shared/tools/tofu-1.12.6/tofu}
# shellcheck source=scripts/emulator-lib.sh
source "$root/scripts/emulator-lib.sh"
new_workdir workplus-mirror
mirror_pid=""
trap 'if [ -n "$mirror_pid" ]; then kill "$mirror_pid" 2>/dev/null || true; wait "$mirror_pid" 2>/dev/null || true; fi; stop_and_clean' EXIT
fail() { echo "release-mirror-check: $*" >&2; exit 1; }

version=$("$root/scripts/release-version.sh")
platform=$(go env GOOS)_$(go env GOARCH)
name=terraform-provider-workplus_$version
zip=$root/dist/${name}_${platform}.zip
if [ ! -f "$zip" ] || [ ! -f "$root/dist/${name}_SHA256SUMS" ]; then
  echo "==> no $version release for $platform in dist/: make release-snapshot SINGLE_TARGET=1"
  make -s -C "$root" release-snapshot SINGLE_TARGET=1 >"$work/snapshot.log" 2>&1 || { cat "$work/snapshot.log"; fail "make release-snapshot failed"; }
fi
zh=$(awk -v f="${name}_${platform}.zip" '$2 == f { print "zh:" $1 }' "$root/dist/${name}_SHA256SUMS")
[ -n "$zh" ] || fail "${name}_SHA256SUMS lists no ${name}_${platform}.zip"

echo "==> the release's emulator"
tar -xzf "$root/dist/workplus-emulator_${version}_${platform}.tar.gz" -C "$work" workplus-emulator
start_emulator "$work/workplus-emulator"
echo "    $url"

echo "==> network mirror of dist/ over HTTPS"
go build -C "$root/tools" -o "$work/releasemirror" ./releasemirror
"$work/releasemirror" -dir "$root/dist" -ca-file "$work/ca.pem" -url-file "$work/mirror.url" >"$work/mirror.log" 2>&1 &
mirror_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/mirror.url" ] && break
  kill -0 "$mirror_pid" 2>/dev/null || { cat "$work/mirror.log"; fail "the mirror exited"; }
  sleep 0.1
done
[ -s "$work/mirror.url" ] || { cat "$work/mirror.log"; fail "the mirror did not write its URL"; }
mirror_url=$(cat "$work/mirror.url")
port=${mirror_url##*:}; port=${port%/}
echo "    $mirror_url"

export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1 SSL_CERT_FILE=$work/ca.pem
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR
# Offline but for the mirror: registry traffic goes to an unreachable proxy.
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost
export WORKPLUS_ENDPOINT=$url WORKPLUS_ACCESS_TOKEN=demo-access-token WORKPLUS_APP_ID=dafc2d03-3991-4de0-91d6-de3135c1fb4f

check() { # check LABEL BINARY MIRROR_URL
  local label=$1 bin=$2 dir=$work/$1
  mkdir -p "$dir"
  cat >"$work/$label.tfrc" <<RC
provider_installation {
  network_mirror {
    url = "$3"
  }
}
RC
  cat >"$dir/main.tf" <<TF
terraform {
  required_providers {
    workplus = {
      source  = "workplus/workplus"
      version = "= $version"
    }
  }
}

resource "workplus_template" "notice" {
  title = "Installed from a network mirror ($label)"
  rows  = [{ cells = [{ content = "{{service.DATA}} is deploying" }] }]
}
TF
  export TF_CLI_CONFIG_FILE=$work/$label.tfrc
  echo "==> $label init from $3 ($("$bin" version | head -1))"
  "$bin" -chdir="$dir" init -input=false -no-color >"$dir.init.log" 2>&1 || { cat "$dir.init.log" "$work/mirror.log"; fail "$label init from the network mirror failed"; }
  grep -q "Installing workplus/workplus v$version" "$dir.init.log" || { cat "$dir.init.log"; fail "$label init did not install workplus/workplus v$version"; }
  # A network mirror's hashes are not signed, so Terraform checks the zip
  # against them but records only the h1: of what it installed; zh: goes
  # into the lock file only from a registry's signed SHA256SUMS. That the
  # zh: is checked is shown below with a mirror that announces another one.
  if grep -qF "\"$zh\"" "$dir/.terraform.lock.hcl"; then
    echo "    lock file records $zh from SHA256SUMS"
  elif [ "$label" = tofu ]; then
    cat "$dir/.terraform.lock.hcl"; fail "tofu records a mirror's hashes, but this lock file lacks $zh"
  else
    grep -q '"h1:' "$dir/.terraform.lock.hcl" || { cat "$dir/.terraform.lock.hcl"; fail "$label's lock file records no hash"; }
    echo "    lock file records the h1: of the installed package (a mirror's zh: is checked, not recorded)"
  fi
  "$bin" -chdir="$dir" apply -auto-approve -input=false -no-color >"$dir.apply.log" 2>&1 || { cat "$dir.apply.log"; fail "$label apply failed"; }
  grep -q "1 added" "$dir.apply.log" || { cat "$dir.apply.log"; fail "$label apply created nothing"; }
  "$bin" -chdir="$dir" destroy -auto-approve -input=false -no-color >"$dir.destroy.log" 2>&1 || { cat "$dir.destroy.log"; fail "$label destroy failed"; }
  echo "    applied and destroyed a template against the emulator"
}

check terraform "$terraform" "$mirror_url"

echo "==> a mirror whose SHA256SUMS does not match the zip is refused"
mkdir "$work/tampered-dist"
cp "$zip" "$work/tampered-dist/"
echo "$(echo tampered | sha256sum | cut -d' ' -f1)  ${name}_${platform}.zip" >"$work/tampered-dist/${name}_SHA256SUMS"
"$work/releasemirror" -dir "$work/tampered-dist" -ca-file "$work/ca-tampered.pem" -url-file "$work/tampered.url" >"$work/tampered.log" 2>&1 &
tampered_pid=$!
for _ in $(seq 1 100); do [ -s "$work/tampered.url" ] && break; sleep 0.1; done
[ -s "$work/tampered.url" ] || { cat "$work/tampered.log"; fail "the tampered mirror did not start"; }
mkdir "$work/tampered"
cp "$work/terraform/main.tf" "$work/tampered/"
printf 'provider_installation {\n  network_mirror {\n    url = "%s"\n  }\n}\n' "$(cat "$work/tampered.url")" >"$work/tampered.tfrc"
if SSL_CERT_FILE=$work/ca-tampered.pem TF_CLI_CONFIG_FILE=$work/tampered.tfrc "$terraform" -chdir="$work/tampered" init -input=false -no-color >"$work/tampered.init.log" 2>&1; then
  kill "$tampered_pid"; fail "terraform init installed a zip that does not match the mirror's zh: hash"
fi
kill "$tampered_pid" 2>/dev/null || true; wait "$tampered_pid" 2>/dev/null || true
grep -qi "checksum" "$work/tampered.init.log" || { cat "$work/tampered.init.log"; fail "init from the tampered mirror failed, but not on the checksum"; }
echo "    refused: $(grep -i -m1 checksum "$work/tampered.init.log" | sed 's/^[│ ]*//' | cut -c1-110)"
if [ -x "$tofu" ]; then
  check tofu "$tofu" "https://localhost:$port/"
else
  echo "==> tofu: skipped, none at $tofu (set TOFU=/path/to/tofu)"
fi
echo "release-mirror-check: ok"
