#!/usr/bin/env bash
# Runs goreleaser from the repository root, with arguments as given
# (`check`, `release --snapshot --clean`, ...). Its version is pinned in
# tools/go.mod, a module of its own so its dependency tree stays out of the
# provider's go.mod; `go tool` builds it once into the Go build cache.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/release-env.sh
source "$root/scripts/release-env.sh"
cd "$root"
exec go tool -modfile=tools/go.mod goreleaser "$@"
