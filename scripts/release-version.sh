#!/usr/bin/env bash
# The version a build from this checkout is released or installed as: the
# git tag at HEAD without its "v", else the newest release in CHANGELOG.md.
# VERSION=X.Y.Z overrides both. scripts/install.sh and
# scripts/release-snapshot.sh both ask here, so `make install` and
# `make release-snapshot` stamp the same version into the same bytes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
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
  echo "version: '$version' is not X.Y.Z; set VERSION=1.2.3" >&2
  exit 1
fi
echo "$version"
