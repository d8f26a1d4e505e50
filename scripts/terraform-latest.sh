#!/usr/bin/env bash
# Prints the absolute path of the newer Terraform the acceptance tests and the
# docs also run under: $TERRAFORM_LATEST when set, else
# ../shared/tools/terraform-1.15.9/terraform beside the repository (beside the
# main checkout too, when this is a git worktree elsewhere). Prints
# nothing and exits 1 when that file is not an executable, so callers can say
# so and go on.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
beside=shared/tools/terraform-1.15.9/terraform
candidate=${TERRAFORM_LATEST:-$root/../$beside}
case $candidate in /*) ;; *) candidate=$root/$candidate ;; esac
if [ -z "${TERRAFORM_LATEST:-}" ] && [ ! -x "$candidate" ]; then
  if common=$(git -C "$root" rev-parse --path-format=absolute --git-common-dir 2>/dev/null); then
    candidate=$(dirname "$common")/../$beside
  fi
fi
[ -x "$candidate" ] || exit 1
echo "$(cd "$(dirname "$candidate")" && pwd)/$(basename "$candidate")"
