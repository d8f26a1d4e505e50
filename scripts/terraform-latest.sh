#!/usr/bin/env bash
# Prints the absolute path of the newer Terraform the acceptance tests and the
# docs also run under: $TERRAFORM_LATEST when set, else
# ../shared/tools/terraform-1.15.9/terraform beside the repository. Prints
# nothing and exits 1 when that file is not an executable, so callers can say
# so and go on.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
candidate=${TERRAFORM_LATEST:-$root/../shared/tools/terraform-1.15.9/terraform}
case $candidate in /*) ;; *) candidate=$root/$candidate ;; esac
[ -x "$candidate" ] || exit 1
echo "$(cd "$(dirname "$candidate")" && pwd)/$(basename "$candidate")"
