#!/usr/bin/env bash
# make bench: build the provider and the emulator, run the Go benchmarks of
# the hot paths, then the end-to-end harness (internal/benchharness), which
# drives terraform and emulator binaries on 127.0.0.1 and writes BENCHMARKS.md.
#
# Knobs (environment): BENCH_COUNT (Go benchmark samples, default 5),
# BENCH_LIST_COUNT (samples of the 10,000-template data source read, default
# 3), BENCH_HARNESS_FLAGS (extra flags for the harness, e.g. "-pairs 3"),
# BENCH_OUT (report path, default BENCHMARKS.md in the repository root),
# BENCH_TERRAFORM_QUERY (a Terraform >= 1.14 for the `terraform query`
# section, default `terraform`; the section says so and skips if older).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
started=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/workplus-bench.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$root"

command -v terraform >/dev/null 2>&1 || { echo "terraform is not on PATH: run 'make tools'" >&2; exit 1; }

echo "==> Building the provider and the emulator"
mkdir -p "$work/bin"
go build -o "$work/bin/terraform-provider-workplus" .
go build -o "$work/bin/workplus-emulator" ./cmd/workplus-emulator
# The framework floor of section 2: our schema, no requests (see its doc).
go build -o "$work/bin/terraform-provider-workplusfloor" ./internal/benchharness/floorprovider

echo "==> Go benchmarks (hot paths, -count ${BENCH_COUNT:-5})"
go test -run '^$' -bench . -skip 'Read10k' -benchmem -count "${BENCH_COUNT:-5}" -timeout 20m \
  ./internal/workplus ./internal/provider ./internal/emulator | tee "$work/gobench.txt"

echo "==> Go benchmark: workplus_templates read of 10,000 templates (-count ${BENCH_LIST_COUNT:-3})"
go test -run '^$' -bench 'Read10k' -benchmem -benchtime 1x -count "${BENCH_LIST_COUNT:-3}" -timeout 20m \
  ./internal/provider | tee -a "$work/gobench.txt"

echo "==> End-to-end harness"
# shellcheck disable=SC2086 # BENCH_HARNESS_FLAGS is a list of flags
go run ./internal/benchharness \
  -provider-dir "$work/bin" \
  -emulator-bin "$work/bin/workplus-emulator" \
  -gobench "$work/gobench.txt" \
  -started-at "$started" \
  -list-pairs "${BENCH_LIST_COUNT:-3}" \
  -terraform-query "${BENCH_TERRAFORM_QUERY:-terraform}" \
  -out "${BENCH_OUT:-$root/BENCHMARKS.md}" \
  ${BENCH_HARNESS_FLAGS:-}

echo "==> Wrote ${BENCH_OUT:-$root/BENCHMARKS.md} in $(( $(date +%s) - started )) s"
