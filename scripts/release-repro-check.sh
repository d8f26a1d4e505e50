#!/usr/bin/env bash
# make release-repro: the release is reproducible, and `make install` installs
# its bytes. It clones HEAD twice into different folders and runs
# `make release-snapshot SINGLE_TARGET=1` in each, the second later and under
# another umask, then:
#   1. every archive and the SHA256SUMS of the two are identical (cmp);
#   2. `make install` from the second clone installs the very binary that is
#      in the first clone's zip;
#   3. a lock file that `terraform init` wrote against that install holds for
#      the first clone's release zip, served from a filesystem mirror, and a
#      lock entry with another hash is refused (so step 3 can fail).
# It checks the committed HEAD: uncommitted changes are not in the clones.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
terraform=${TERRAFORM:-terraform}
work=$(mktemp -d "${TMPDIR:-/tmp}/workplus-repro.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "release-repro-check: $*" >&2; exit 1; }

commit=$(git -C "$root" rev-parse HEAD)
version=$("$root/scripts/release-version.sh")
platform=$(go env GOOS)_$(go env GOARCH)
name=terraform-provider-workplus_$version
[ -z "$(git -C "$root" status --porcelain --untracked-files=no)" ] ||
  echo "    note: uncommitted changes are not checked; the clones hold HEAD ${commit:0:12}"

snapshot() { # snapshot DIR UMASK
  git clone --quiet "$root" "$1"
  git -C "$1" checkout --quiet "$commit"
  local start=$SECONDS
  (umask "$2" && make -s -C "$1" release-snapshot SINGLE_TARGET=1 >"$1.log" 2>&1) ||
    { cat "$1.log"; fail "make release-snapshot failed in $1"; }
  echo "    $1: $((SECONDS - start))s"
}

echo "==> two single-target snapshots of ${commit:0:12} ($version, $platform)"
snapshot "$work/first" 022
# Different times: the second clone's files, and its build, are at least a
# second younger than the first's.
sleep 1
snapshot "$work/b/second-clone" 002

echo "==> the two dists are byte-identical"
archives=0
for f in "$work/first/dist/${name}_SHA256SUMS" "$work/first/dist/${name}"_*_*.zip "$work/first/dist/workplus-emulator_${version}"_*; do
  other=$work/b/second-clone/dist/$(basename "$f")
  [ -f "$other" ] || fail "the second build has no $(basename "$f")"
  cmp "$f" "$other" || fail "$(basename "$f") differs between the two builds"
  archives=$((archives + 1))
done
[ "$archives" -ge 3 ] || fail "expected SHA256SUMS, a provider zip and an emulator archive; compared $archives files"
echo "    $archives files identical, SHA256SUMS included"

echo "==> make install (second clone) installs the binary of the release zip (first clone)"
make -s -C "$work/b/second-clone" install INSTALL_DIR="$work/install" >"$work/install.log" 2>&1 ||
  { cat "$work/install.log"; fail "make install failed"; }
installed=$work/install/mirror/registry.terraform.io/workplus/workplus/$version/$platform/terraform-provider-workplus_v$version
mkdir "$work/unzipped"
unzip -q "$work/first/dist/${name}_${platform}.zip" -d "$work/unzipped"
[ "$(ls "$work/unzipped")" = "terraform-provider-workplus_v$version" ] ||
  fail "the release zip should hold the binary alone; it holds: $(ls "$work/unzipped" | tr '\n' ' ')"
cmp "$installed" "$work/unzipped/terraform-provider-workplus_v$version" ||
  fail "make install built other bytes than the release: compare \`go version -m\` of $installed and the zip's binary"
echo "    identical: $(sha256sum "$installed" | cut -c1-16)…"

echo "==> a lock file written against make install holds for the release zip"
export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR
# Offline: anything that is not the mirror goes to an unreachable proxy.
export HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost
config() { # config DIR: a configuration that requires exactly this version
  mkdir -p "$1"
  cat >"$1/main.tf" <<TF
terraform {
  required_providers {
    workplus = {
      source  = "workplus/workplus"
      version = "= $version"
    }
  }
}
TF
}
config "$work/on-install"
TF_CLI_CONFIG_FILE=$work/install/terraformrc "$terraform" -chdir="$work/on-install" init -input=false -no-color >"$work/init-install.log" 2>&1 ||
  { cat "$work/init-install.log"; fail "terraform init against make install failed"; }
lock=$work/on-install/.terraform.lock.hcl
grep -q '"h1:' "$lock" || { cat "$lock"; fail "the lock file records no h1: hash"; }

# The release zip as it is downloaded: a filesystem mirror in the packed
# layout, which Terraform unpacks and checks against the lock file.
packed=$work/packed-mirror/registry.terraform.io/workplus/workplus
mkdir -p "$packed"
cp "$work/first/dist/${name}_${platform}.zip" "$packed/"
cat >"$work/packed.tfrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$work/packed-mirror"
    include = ["registry.terraform.io/workplus/workplus"]
  }
}
RC
init_release() { # init_release DIR LOCK
  config "$1"
  cp "$2" "$1/.terraform.lock.hcl"
  TF_CLI_CONFIG_FILE=$work/packed.tfrc "$terraform" -chdir="$1" init -input=false -no-color >"$1.log" 2>&1
}
init_release "$work/on-release" "$lock" ||
  { cat "$work/on-release.log"; fail "terraform init of the release zip refused the lock file written against make install"; }
cmp "$lock" "$work/on-release/.terraform.lock.hcl" || fail "init of the release zip rewrote the lock file"
echo "    terraform init accepted it, the lock file unchanged"

sed -E 's/"h1:[^"]*"/"h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="/' "$lock" >"$work/wrong.lock.hcl"
if init_release "$work/on-release-wrong" "$work/wrong.lock.hcl"; then
  fail "terraform init accepted a lock file with another h1: hash; the check above proves nothing"
fi
grep -q "checksums previously recorded in the dependency lock file" "$work/on-release-wrong.log" ||
  { cat "$work/on-release-wrong.log"; fail "init with a wrong lock entry failed, but not on the checksum"; }
echo "    and refused a lock entry with another hash"
echo "release-repro-check: ok"
