# shellcheck shell=bash
# Sourced by scripts/release-goreleaser.sh and scripts/install.sh: the build
# environment that makes a binary's bytes depend on the commit alone, so a
# release zip and `make install` hold the same binary on any machine.
# - The Go toolchain of go.mod's go line, exactly (a newer local Go would
#   compile differently); the go command fetches it from the module proxy
#   when the local one differs.
# - No cgo, and no GOFLAGS from the caller's environment (-race, -cover or
#   -buildvcs=true would change the binary).
# - TZ=UTC: zip entries carry their time as local date and time.
release_env_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
release_go_version=$(sed -n 's/^toolchain go//p' "$release_env_root/go.mod")
[ -n "$release_go_version" ] || release_go_version=$(sed -n 's/^go //p' "$release_env_root/go.mod")
export GOTOOLCHAIN=go$release_go_version
export CGO_ENABLED=0 GOFLAGS= TZ=UTC
# The flags goreleaser's builds use (.goreleaser.yml); install.sh passes them
# to go build. Keep the two in step: release-repro-check.sh compares the bytes.
release_build_flags=(-trimpath -buildvcs=false)
release_provider_ldflags() { echo "-s -w -X main.version=$1"; }
release_emulator_ldflags="-s -w"
