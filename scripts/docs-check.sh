#!/usr/bin/env bash
# Fails when docs/ is not what `make docs` generates. tfplugindocs reads the
# schema through the terraform on PATH. List resources and actions only show
# from Terraform 1.14 on, so the newer Terraform (scripts/terraform-latest.sh)
# goes first on PATH where it exists. With nothing that new the pages cannot be
# regenerated faithfully: the check says so and stops rather than failing on
# pages it cannot see.
set -euo pipefail
cd "$(dirname "$0")/.."
if latest=$(scripts/terraform-latest.sh); then
  PATH="$(dirname "$latest"):$PATH"
fi
version=$(terraform version | sed -n 1p | sed -E 's/^Terraform v([0-9]+)\.([0-9]+).*/\1 \2/')
read -r major minor <<<"$version"
if [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt 14 ]; }; then
  echo "docs-check: skipped, terraform $major.$minor is older than 1.14 and cannot show every page's schema (set TERRAFORM_LATEST to a newer terraform)"
  exit 0
fi
go tool tfplugindocs generate --provider-name workplus >/dev/null
if [ -n "$(git status --porcelain -- docs/)" ]; then
  git status --porcelain -- docs/
  git diff --stat -- docs/
  echo "docs/ is stale: run 'make docs' and commit the result"
  exit 1
fi
echo "docs-check: docs/ is up to date (terraform $major.$minor)"
