#!/usr/bin/env bash
# make demo-adopt: adopt every template on the emulator, console-made ones
# included, with one `terraform query -generate-config-out` and one
# `terraform apply`, then check that the next plan is empty. Needs Terraform
# 1.14 or later: TERRAFORM_LATEST (scripts/terraform-latest.sh), else the
# terraform on PATH.
#
# EXTRA_TEMPLATES=N first creates N more templates through the API, as the
# console does (no tags, sample or actions; cells without align).
# MEASURE=1 prints wall times and request counts of each step as a Markdown
# table (BENCHMARKS.md, "Adopting console-made templates").
set -euo pipefail
if latest=$("$(dirname "$0")/terraform-latest.sh"); then
  terraform=$latest
else
  terraform=$(command -v terraform)
fi
version=$("$terraform" version | sed -n 1p | sed -E 's/^Terraform v([0-9]+)\.([0-9]+).*/\1 \2/')
read -r major minor <<<"$version"
if [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt 14 ]; }; then
  echo "demo-adopt: $terraform is $major.$minor; terraform query needs 1.14 or later (set TERRAFORM_LATEST)" >&2
  exit 1
fi

# shellcheck source=scripts/emulator-session.sh
source "$(dirname "$0")/emulator-session.sh"

extra=${EXTRA_TEMPLATES:-0}
if [ "$extra" -gt 0 ]; then
  echo "==> Creating $extra console-made templates through the API"
  for i in $(seq 1 "$extra"); do
    curl -sf -X POST -H 'Content-Type: application/json' \
      "$url/v1/templates?access_token=$WORKPLUS_ACCESS_TOKEN&app_id=$WORKPLUS_APP_ID&source_type=NATIVE" \
      -d "{\"title\": \"控制台模板 $i 📣\", \"contents\": [[{\"content\": \"第 $i 号通知:{{body.DATA}}\"}], [{\"content\": \"{{owner.DATA}}\"}, {\"content\": \"{{due.DATA}}\", \"align\": \"right\"}]]}" >/dev/null
  done
fi
templates=$(curl -sf "$url/v1/templates?access_token=$WORKPLUS_ACCESS_TOKEN&limit=1" | sed -E 's/.*"total_count":([0-9]+).*/\1/')

dir="$work/adopt"
mkdir -p "$dir"
cat >"$dir/main.tf" <<'TF'
terraform {
  required_providers {
    workplus = {
      source = "workplus/workplus"
    }
  }
}

provider "workplus" {}
TF
cp "$root/examples/list-resources/workplus_template/list-resource.tfquery.hcl" "$dir/templates.tfquery.hcl"

rows=()
# step NAME CMD...: runs terraform, timing it and counting the emulator's
# requests, and keeps its output in $work/NAME.txt.
step() {
  local name=$1
  shift
  curl -sf -X DELETE "$url/_emulator/requests" >/dev/null
  local start end
  start=$(date +%s.%N)
  "$terraform" -chdir="$dir" "$@" -no-color >"$work/$name.txt" 2>&1 || {
    local code=$?
    cat "$work/$name.txt"
    return $code
  }
  end=$(date +%s.%N)
  local counts
  counts=$(curl -sf "$url/_emulator/requests" | tr -d '\n' | sed -E 's/.*"counts":\{(.*)\}\}[[:space:]]*$/\1/; s/"//g; s/,/, /g; s/:/: /g')
  rows+=("| \`terraform $name\` | $(echo "$end - $start" | bc | sed -E 's/^\./0./; s/([0-9]+\.[0-9]{2}).*/\1/') s | ${counts:-none} |")
}

echo "==> terraform query -generate-config-out=generated.tf ($templates templates)"
step query query -generate-config-out=generated.tf
awk '/^list\./ && n++ < 8' "$work/query.txt"
if [ "$templates" -gt 8 ]; then echo "    ... $((templates - 8)) more"; fi
echo "==> terraform apply (imports every template)"
step apply apply -auto-approve -input=false
summary=$(grep -E '^Apply complete' "$work/apply.txt")
echo "    $summary"
if [ "$summary" != "Apply complete! Resources: $templates imported, 0 added, 0 changed, 0 destroyed." ]; then
  cat "$work/apply.txt"
  echo "apply did more than import the $templates templates" >&2
  exit 1
fi
echo "==> A second plan must be empty"
step plan plan -detailed-exitcode -input=false || { echo "the plan after adoption is not empty" >&2; exit 1; }
echo "    no changes"

if [ "${MEASURE:-}" = "1" ]; then
  echo
  echo "Adopting $templates templates ($(("$templates" - extra)) seeded, $extra made through the API), $("$terraform" version | sed -n 1p), $(nproc) CPUs, load average at the end $(cut -d' ' -f1-3 /proc/loadavg):"
  echo
  echo "| step | wall time | emulator requests |"
  echo "|---|---|---|"
  printf '%s\n' "${rows[@]}"
fi
