#!/usr/bin/env bash
# make install: build the provider into a local filesystem mirror, in the
# registry layout Terraform looks for, and write a CLI configuration that
# points Terraform at it. `terraform init` then installs workplus/workplus
# from the mirror, offline, with no dev_overrides warning. The emulator is
# built beside it for pipelines that test against it.
#
#   INSTALL_DIR  where everything goes (default ~/.terraform.d/workplus)
#   VERSION      the version to install as (default: the git tag at HEAD,
#                else the newest release in CHANGELOG.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
install_dir=${INSTALL_DIR:-$HOME/.terraform.d/workplus}
mkdir -p "$install_dir"
install_dir=$(cd "$install_dir" && pwd)

version=${VERSION:-}
if [ -z "$version" ]; then
  version=$(git -C "$root" describe --tags --exact-match 2>/dev/null | sed 's/^v//' || true)
fi
if [ -z "$version" ]; then
  version=$(grep -m1 -oE '^## [0-9]+\.[0-9]+\.[0-9]+' "$root/CHANGELOG.md" | cut -c4- || true)
fi
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  # Terraform never picks a pre-release unless a configuration asks for it
  # exactly, so a mirror of one would not be found by `terraform init`.
  echo "install: VERSION '$version' is not X.Y.Z; set VERSION=1.2.3" >&2
  exit 1
fi

platform=$(go env GOOS)_$(go env GOARCH)
mirror=$install_dir/mirror
package=$mirror/registry.terraform.io/workplus/workplus/$version/$platform
mkdir -p "$package" "$install_dir/bin"
# A rebuilt package replaces the old one whole: a stale binary beside the new
# one would be a second provider in the same package.
rm -f "$package"/terraform-provider-workplus*
(cd "$root" && go build -trimpath -ldflags "-X main.version=$version" -o "$package/terraform-provider-workplus_v$version" .)
(cd "$root" && go build -trimpath -o "$install_dir/bin/workplus-emulator" ./cmd/workplus-emulator)

cli_config=$install_dir/terraformrc
cat >"$cli_config" <<RC
# Written by \`make install\` in $root.
# workplus/workplus comes from the local mirror; every other provider from
# its registry as usual.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/workplus/workplus"]
  }
  direct {
    exclude = ["registry.terraform.io/workplus/workplus"]
  }
}
RC

cat <<MSG
Installed workplus/workplus $version for $platform:
  provider:   $package/terraform-provider-workplus_v$version
  emulator:   $install_dir/bin/workplus-emulator
  CLI config: $cli_config

Use it with:
  export TF_CLI_CONFIG_FILE=$cli_config
or copy its provider_installation block into your ~/.terraformrc.
A configuration's .terraform.lock.hcl records the checksum of this build: after
installing another build of the same version, delete the workplus/workplus entry
from it (or install as a new VERSION) before \`terraform init\`.
MSG
