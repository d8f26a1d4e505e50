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
#
# It builds with the toolchain, environment and flags of the release
# (scripts/release-env.sh, .goreleaser.yml), so the binary is the one in the
# release zip of the same commit and version, byte for byte, and a lock file
# written against either holds for both (scripts/release-repro-check.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/release-env.sh
source "$root/scripts/release-env.sh"
install_dir=${INSTALL_DIR:-$HOME/.terraform.d/workplus}
mkdir -p "$install_dir"
install_dir=$(cd "$install_dir" && pwd)

version=$(VERSION=${VERSION:-} "$root/scripts/release-version.sh") || exit 1

platform=$(go env GOOS)_$(go env GOARCH)
mirror=$install_dir/mirror
package=$mirror/registry.terraform.io/workplus/workplus/$version/$platform
mkdir -p "$package" "$install_dir/bin"
# A rebuilt package replaces the old one whole: a stale binary beside the new
# one would be a second provider in the same package.
rm -f "$package"/terraform-provider-workplus*
# goreleaser's defaults for the sub-architectures, which it sets for every
# target: the build info in the binary records them.
export GOAMD64=v1 GOARM=6 GOARM64=v8.0 GO386=sse2
(cd "$root" && go build "${release_build_flags[@]}" -ldflags "$(release_provider_ldflags "$version")" -o "$package/terraform-provider-workplus_v$version" .)
(cd "$root" && go build "${release_build_flags[@]}" -ldflags "$release_emulator_ldflags" -o "$install_dir/bin/workplus-emulator" ./cmd/workplus-emulator)

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
The binary is the one in the release zip of this commit and version, so a
lock file written against this install holds for the release, and for
\`make install\` of the same commit on any other machine.
MSG
