#!/usr/bin/env bash
# Runs the test suites under every client teams use, and prints a table:
# client × suite → passed / failed / skipped (why) / time. It fails when any
# run fails; a client whose binary is absent says so in one line and skips.
#
#   terraform on PATH      every package with the race detector, acceptance
#                          tests included (TF_ACC=1)
#   terraform-1.5.7        acceptance suite: the oldest Terraform the README
#                          claims, built by `make tools` into bin/tools/
#   terraform-1.15.9       acceptance suite (TERRAFORM_LATEST overrides, as in
#                          scripts/terraform-latest.sh), and the documented-
#                          shape suite (DOCUMENTED_SHAPE_TESTS)
#   terraform-1.16.0-dev   acceptance suite
#   tofu-1.12.6            acceptance suite, with
#                          TF_ACC_PROVIDER_HOST=registry.opentofu.org
#
# The shared/tools/ clients are looked for beside the repository, and beside
# the main checkout when this is a git worktree elsewhere. A client whose
# version is the one on PATH is not run twice.
#
# The race run goes first, alone (the race detector wants both cores); the
# others then run MATRIX_JOBS (2) at a time: each test starts its own
# emulator and provider server on random ports, so runs do not meet. Each
# run's output goes to test-output/testacc-matrix/<run>.log, printed here
# when the run fails.
#
# Environment: ACC_PACKAGES, TEST_TIMEOUT, DOCUMENTED_SHAPE_TESTS (from the
# GNUmakefile), MATRIX_JOBS, MATRIX_ONLY (a regular expression: only the runs
# whose name matches, e.g. 'tofu|1\.16'), MATRIX_RUN (passed to go test -run,
# for a quick try of the matrix itself).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
acc_packages=${ACC_PACKAGES:-./internal/provider/}
test_timeout=${TEST_TIMEOUT:-45m}
max_jobs=${MATRIX_JOBS:-2}
only=${MATRIX_ONLY:-}
run_filter=${MATRIX_RUN:-}
documented_tests=${DOCUMENTED_SHAPE_TESTS:-TestAccTemplate|TestAccTemplates|TestAccFaults|TestAccAppMessage|TestAccPushNotification|TestAccSend|TestAccPushCertificate|TestAccPushTask|TestAccSecrets}
logs=$root/test-output/testacc-matrix
rm -rf "$logs"
mkdir -p "$logs"

# OpenTofu prints a warning into `tofu version`, which plugin-testing cannot
# parse, when TF_CLI_CONFIG_FILE names a file that does not exist; without
# the variable both clients read their default (absent) file quietly.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -f "$TF_CLI_CONFIG_FILE" ]; then
  echo "testacc-matrix: TF_CLI_CONFIG_FILE=$TF_CLI_CONFIG_FILE does not exist; unset for these runs"
  unset TF_CLI_CONFIG_FILE
fi

# beside prints the absolute path of shared/tools/$1 beside the repository
# (or beside the main checkout of this worktree); it fails when absent.
beside() {
  local rel=shared/tools/$1 common dir
  for dir in "$root/.." "$(git -C "$root" rev-parse --path-format=absolute --git-common-dir 2>/dev/null | xargs -r dirname)/.."; do
    if [ -x "$dir/$rel" ]; then
      echo "$(cd "$(dirname "$dir/$rel")" && pwd)/$(basename "$rel")"
      return 0
    fi
  done
  return 1
}

# first_line prints the first line of a client's `version`.
first_line() { "$1" version 2>/dev/null | sed -n 1p; }

ids=()
declare -A client=() suite=() bin=() envs=() args=() skip=() result=() took=()

# add declares a run: id, client label, suite label, binary ("" for PATH),
# extra environment (KEY=VALUE lines), go test arguments (one a line), and
# why it is skipped ("" to run it).
add() {
  local id=$1
  if [ -n "$only" ] && ! [[ $id =~ $only ]]; then return; fi
  ids+=("$id")
  client[$id]=$2 suite[$id]=$3 bin[$id]=$4 envs[$id]=$5 args[$id]=$6 skip[$id]=$7
}

acc_args() {
  printf '%s\n' -count=1 -timeout "$test_timeout" -v
  [ -z "$run_filter" ] || printf '%s\n' -run "$run_filter"
  printf '%s\n' "$acc_packages"
}

path_tf=$(command -v terraform || true)
path_version=
if [ -n "$path_tf" ]; then
  path_version=$(first_line "$path_tf")
  race_args=$(printf '%s\n' -race -count=1 -timeout "$test_timeout" -v; [ -z "$run_filter" ] || printf '%s\n' -run "$run_filter"; echo ./...)
  add path "terraform on PATH (${path_version#Terraform })" "all packages, -race" "$path_tf" "TF_ACC=1" "$race_args" ""
else
  race_args=$(printf '%s\n' -race -count=1 -timeout "$test_timeout" -v ./...)
  add path "no terraform on PATH" "all packages, -race (acceptance tests skip)" "" "" "$race_args" ""
fi

# add_client declares the acceptance run of one client found at path (or,
# where path is empty, skipped because it is not at where).
add_client() {
  local id=$1 path=$2 where=$3 extra=${4:-} why=
  if [ -z "$path" ]; then
    why="no $where"
  elif [ -n "$path_version" ] && [ "$(first_line "$path")" = "$path_version" ]; then
    why="same version as the terraform on PATH, which the race run covers"
  fi
  add "$id" "$id" "acceptance" "$path" "TF_ACC=1${extra:+$'\n'$extra}" "$(acc_args)" "$why"
}

oldest=$root/bin/tools/terraform-1.5.7/terraform
[ -x "$oldest" ] || oldest=
add_client terraform-1.5.7 "$oldest" "bin/tools/terraform-1.5.7/terraform (make tools builds it)"

latest=$(scripts/terraform-latest.sh || true)
add_client terraform-1.15.9 "$latest" "${TERRAFORM_LATEST:-../shared/tools/terraform-1.15.9/terraform} (set TERRAFORM_LATEST)"
if [ -n "$latest" ]; then
  documented_args=$(printf '%s\n' -count=1 -timeout "$test_timeout" -v -run "${run_filter:-$documented_tests}" "$acc_packages")
  add terraform-1.15.9.documented terraform-1.15.9 "documented-shape emulator" "$latest" $'TF_ACC=1\nWORKPLUS_TEST_DOCUMENTED_SHAPE=1' "$documented_args" ""
fi

add_client terraform-1.16.0-dev "$(beside terraform-1.16.0-dev/terraform || true)" "../shared/tools/terraform-1.16.0-dev/terraform"
add_client tofu-1.12.6 "$(beside tofu-1.12.6/tofu || true)" "../shared/tools/tofu-1.12.6/tofu" "TF_ACC_PROVIDER_HOST=registry.opentofu.org"

# run_one runs one declared run into its log and records exit code and
# seconds in $logs/<id>.result.
run_one() {
  local id=$1 start=$SECONDS code=0
  local -a env_args=(-u TF_ACC_TERRAFORM_PATH -u TF_ACC_PROVIDER_HOST -u "$documented_var")
  local -a test_args=()
  [ -z "${bin[$id]}" ] || env_args+=("TF_ACC_TERRAFORM_PATH=${bin[$id]}")
  [ -z "${envs[$id]}" ] || mapfile -t -O "${#env_args[@]}" env_args <<<"${envs[$id]}"
  mapfile -t test_args <<<"${args[$id]}"
  env "${env_args[@]}" go test "${test_args[@]}" >"$logs/$id.log" 2>&1 || code=$?
  echo "$code $((SECONDS - start))" >"$logs/$id.result"
}
documented_var=WORKPLUS_TEST_DOCUMENTED_SHAPE

duration() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

finish() {
  local id=$1 code secs
  read -r code secs <"$logs/$id.result"
  took[$id]=$(duration "$secs")
  local passed skipped failed
  passed=$(grep -c '^--- PASS' "$logs/$id.log" || true)
  skipped=$(grep -c '^--- SKIP' "$logs/$id.log" || true)
  failed=$(grep -c '^--- FAIL' "$logs/$id.log" || true)
  if [ "$code" -eq 0 ]; then
    result[$id]="passed ($passed tests, $skipped skipped)"
  elif [ "$failed" -gt 0 ]; then
    result[$id]="FAILED ($failed of $((passed + failed + skipped)) tests)"
  else
    result[$id]="FAILED (exit $code; see the log)"
  fi
  echo "==> [$id] ${suite[$id]}: ${result[$id]} in ${took[$id]}"
}

start_run() {
  local id=$1
  echo "==> [$id] ${suite[$id]} under ${bin[$id]:-no terraform}: started, log test-output/testacc-matrix/$id.log"
  run_one "$id" &
  pids[$!]=$id
}

declare -A pids=()
queue=()
for id in "${ids[@]}"; do
  if [ -n "${skip[$id]}" ]; then
    result[$id]="skipped (${skip[$id]})"
    took[$id]=-
    echo "==> [$id] skipped: ${skip[$id]}"
  elif [ "$id" = path ]; then
    start_run path
    runner=$!
    # The race run takes minutes: say each package as it finishes.
    : >>"$logs/path.log"
    tail --pid="$runner" -n +1 -F "$logs/path.log" 2>/dev/null | grep --line-buffered -E '^(ok|FAIL|---)[[:space:]]' | grep --line-buffered -v '^--- \(PASS\|SKIP\)' | sed -u 's/^/    [path] /' &
    progress=$!
    wait "$runner" || true
    wait "$progress" 2>/dev/null || true
    unset "pids[$runner]"
    finish path
  else
    queue+=("$id")
  fi
done

total_start=$SECONDS
next=0
while [ "$next" -lt "${#queue[@]}" ] || [ "${#pids[@]}" -gt 0 ]; do
  while [ "$next" -lt "${#queue[@]}" ] && [ "${#pids[@]}" -lt "$max_jobs" ]; do
    start_run "${queue[$next]}"
    next=$((next + 1))
  done
  done_pid=
  wait -n -p done_pid "${!pids[@]}" || true
  finish "${pids[$done_pid]}"
  unset "pids[$done_pid]"
done

failed=0
for id in "${ids[@]}"; do
  [[ ${result[$id]} == FAILED* ]] || continue
  failed=$((failed + 1))
  echo
  echo "==> [$id] failed; its log without the RUN/PAUSE/CONT lines (all of it: test-output/testacc-matrix/$id.log):"
  grep -v -E '^=== (RUN|PAUSE|CONT|NAME)' "$logs/$id.log" | tail -n 400 | sed "s/^/[$id] /"
done

echo
printf '%-30s %-42s %-8s %s\n' client suite time result
for id in "${ids[@]}"; do
  printf '%-30s %-42s %-8s %s\n' "${client[$id]}" "${suite[$id]}" "${took[$id]}" "${result[$id]}"
done
echo "(the runs after the race run: $(duration $((SECONDS - total_start))) wall clock, $max_jobs at a time)"
# Why tests skipped, per run: the skip messages (tfversion's and t.Skip's),
# counted, with the test file and line left out.
for id in "${ids[@]}"; do
  [ -f "$logs/$id.log" ] || continue
  reasons=$(grep -E '^ +[A-Za-z0-9_]+_test\.go:[0-9]+: .*([Ss]kip|is below minimum)' "$logs/$id.log" |
    sed -E 's/^ +[A-Za-z0-9_]+_test\.go:[0-9]+: //' | sort | uniq -c | sort -rn || true)
  [ -z "$reasons" ] || { echo "skips in $id:"; echo "$reasons"; }
done
if [ "$failed" -gt 0 ]; then
  echo "testacc-matrix: $failed run(s) failed"
  exit 1
fi
