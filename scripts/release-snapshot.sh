#!/usr/bin/env bash
# make release-snapshot: goreleaser's snapshot release of HEAD into dist/,
# in the layout the registries expect:
#   terraform-provider-workplus_<version>_<os>_<arch>.zip  (one per platform)
#   terraform-provider-workplus_<version>_SHA256SUMS and its .sig
#   terraform-provider-workplus_<version>_manifest.json
#   terraform-provider-workplus_<version>_signing_key.asc  (the .sig's key)
#   workplus-emulator_<version>_<os>_<arch>.tar.gz (.zip on Windows)
#
#   SINGLE_TARGET=1  only this machine's platform (GOOS/GOARCH to choose)
#   GPG_FINGERPRINT  the key to sign with, in the caller's GNUPGHOME. Unset:
#                    a throwaway key in a temporary GNUPGHOME, deleted after.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
fail() { echo "release-snapshot: $*" >&2; exit 1; }

WORKPLUS_RELEASE_VERSION=$(scripts/release-version.sh)
export WORKPLUS_RELEASE_VERSION
version=$WORKPLUS_RELEASE_VERSION
name=terraform-provider-workplus_$version
dist=dist
# Binaries and archive entries are dated by the commit, never by the build.
WORKPLUS_COMMIT_TIMESTAMP=$(git log -1 --format=%ct HEAD)
WORKPLUS_COMMIT_DATE=$(date -u -d "@$WORKPLUS_COMMIT_TIMESTAMP" +%Y-%m-%dT%H:%M:%SZ)
export WORKPLUS_COMMIT_TIMESTAMP WORKPLUS_COMMIT_DATE

if ! command -v gpg >/dev/null 2>&1; then
  echo "==> installing gnupg with apt-get (gpg signs SHA256SUMS)"
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gnupg >/dev/null
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/workplus-release.XXXXXX")
cleanup() {
  if [ -n "${throwaway_gnupghome:-}" ]; then
    GNUPGHOME=$throwaway_gnupghome gpgconf --kill all 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

if [ -z "${GPG_FINGERPRINT:-}" ]; then
  # The agent's socket path must stay short, hence a directory of its own
  # under /tmp rather than one inside the checkout.
  throwaway_gnupghome=$tmp/gnupg
  mkdir -m 700 "$throwaway_gnupghome"
  export GNUPGHOME=$throwaway_gnupghome
  # RSA: the registries and Terraform's signature check take RSA keys.
  gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
    --quick-gen-key "workplus snapshot signing key (throwaway) <snapshot@workplus.invalid>" rsa3072 sign never 2>"$tmp/gpg.log" ||
    { cat "$tmp/gpg.log" >&2; fail "gpg could not make a throwaway key"; }
  GPG_FINGERPRINT=$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')
  echo "==> signing with a throwaway key $GPG_FINGERPRINT (GPG_FINGERPRINT unset)"
fi
export GPG_FINGERPRINT

config=.goreleaser.yml
if [ -n "${SINGLE_TARGET:-}" ] && [ "${SINGLE_TARGET}" != 0 ]; then
  # `goreleaser release` has no --single-target (only `goreleaser build`
  # has), so the targets of a copy of the configuration are narrowed instead.
  goos=${GOOS:-$(go env GOOS)} goarch=${GOARCH:-$(go env GOARCH)}
  config=$tmp/goreleaser-single-target.yml
  sed -E \
    -e "s/^( +)goos: \[.*\]\$/\1goos: [$goos]/" \
    -e "s/^( +)goarch: \[.*\]\$/\1goarch: ['$goarch']/" \
    -e '/^ +ignore: \[.*\]$/d' .goreleaser.yml >"$config"
  [ "$(grep -c "goos: \[$goos\]" "$config")" = 2 ] || fail "could not narrow .goreleaser.yml to $goos/$goarch: keep each build's goos, goarch and ignore on one line"
  echo "==> single target: $goos/$goarch"
fi

# goreleaser's own output is long: keep it in a log, show it on failure.
log=$tmp/goreleaser.log
echo "==> goreleaser release --snapshot ($version) into $dist/"
if ! scripts/release-goreleaser.sh release --snapshot --clean --config "$config" >"$log" 2>&1; then
  cat "$log" >&2
  fail "goreleaser failed"
fi

# checksum.extra_files puts the manifest in SHA256SUMS under this name, and
# release.extra_files uploads it so; a snapshot publishes nothing, so it is
# copied here to make dist/ the complete release.
cp terraform-registry-manifest.json "$dist/${name}_manifest.json"
gpg --batch --armor --export "$GPG_FINGERPRINT" >"$dist/${name}_signing_key.asc"

# The layout is checked, not assumed: every zip named as the registry
# expects, listed in a SHA256SUMS whose sums hold and whose signature
# verifies against the exported key.
verify_home=$tmp/verify
mkdir -m 700 "$verify_home"
GNUPGHOME=$verify_home gpg --batch --quiet --import "$dist/${name}_signing_key.asc" 2>/dev/null
GNUPGHOME=$verify_home gpg --batch --quiet --verify "$dist/${name}_SHA256SUMS.sig" "$dist/${name}_SHA256SUMS" 2>/dev/null ||
  fail "$dist/${name}_SHA256SUMS.sig does not verify against $dist/${name}_signing_key.asc"
GNUPGHOME=$verify_home gpgconf --kill all 2>/dev/null || true
(cd "$dist" && sha256sum --quiet -c "${name}_SHA256SUMS") || fail "a file in $dist/ does not match ${name}_SHA256SUMS"
zips=$(cd "$dist" && ls "${name}"_*_*.zip 2>/dev/null | wc -l)
[ "$zips" -gt 0 ] || fail "no provider zip in $dist/"
emulators=$(cd "$dist" && ls workplus-emulator_"$version"_* 2>/dev/null | wc -l)
[ "$emulators" = "$zips" ] || fail "$zips provider zips but $emulators emulator archives"
for zip in "$dist/${name}"_*_*.zip; do
  grep -q "  $(basename "$zip")\$" "$dist/${name}_SHA256SUMS" || fail "$(basename "$zip") is not in ${name}_SHA256SUMS"
done

echo "==> $dist/: $zips provider zips, $emulators emulator archives, SHA256SUMS signed by $GPG_FINGERPRINT"
(cd "$dist" && ls -1 "${name}"_* workplus-emulator_"$version"_* | sed 's/^/    /')
