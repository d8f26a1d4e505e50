#!/usr/bin/env bash
# Tests scripts/check-tracked-files.sh in throwaway git repositories: it must
# fail on a committed ELF, Mach-O or PE binary and on a file over 1 MiB, name
# the file, and pass on ordinary sources, on an allow-listed fixture and once
# the binary is untracked again. `make test` runs this in its vet stage.
set -euo pipefail
script="$(cd "$(dirname "$0")" && pwd)/check-tracked-files.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# new_repo makes a repository with a few ordinary files and the script under
# test in scripts/, as in this repository, and cds into it.
new_repo() {
  local dir="$work/$1"
  mkdir -p "$dir/scripts"
  cd "$dir"
  git init -q .
  git config user.email test@example.invalid
  git config user.name test
  cp "$script" scripts/check-tracked-files.sh
  printf 'package main\n\nfunc main() {}\n' >main.go
  printf '#!/bin/sh\necho hello\n' >scripts/hello.sh
  chmod +x scripts/hello.sh
  git add -A
  git commit -q -m sources
}

# expect runs the check and compares its exit status (pass or fail) and, for
# a failure, that its output contains want.
expect() {
  local name=$1 outcome=$2 want=${3:-} out code=0
  out=$(scripts/check-tracked-files.sh 2>&1) || code=$?
  if [ "$outcome" = pass ] && [ "$code" -ne 0 ]; then
    echo "FAIL $name: want pass, exited $code:"; echo "$out"; failures=$((failures + 1)); return
  fi
  if [ "$outcome" = fail ] && [ "$code" -eq 0 ]; then
    echo "FAIL $name: want a failure, passed:"; echo "$out"; failures=$((failures + 1)); return
  fi
  if [ -n "$want" ] && ! grep -qF -- "$want" <<<"$out"; then
    echo "FAIL $name: output lacks \"$want\":"; echo "$out"; failures=$((failures + 1)); return
  fi
  echo "ok   $name"
}

new_repo sources
expect "ordinary sources and an executable script pass" pass "none an executable binary"

new_repo elf
# An ELF header followed by padding, like the benchharness build output.
printf '\177ELF\002\001\001\000' >benchharness
head -c 4096 /dev/zero >>benchharness
chmod +x benchharness
git add benchharness && git commit -q -m "build output"
expect "a committed ELF fails" fail "tracked executable binary: benchharness (ELF"
git rm -q --cached benchharness && git commit -q -m "untrack it"
expect "the ELF untracked again (still on disk) passes" pass

new_repo elf-staged
printf '\177ELF\002\001\001\000' >tool
git add tool
expect "an ELF only staged, not yet committed, fails" fail "tracked executable binary: tool (ELF"

new_repo macho
mkdir dist
printf '\317\372\355\376\007\000\000\001' >"dist/darwin tool"
git add -A && git commit -q -m macho
expect "a committed Mach-O (path with a space) fails" fail "tracked executable binary: dist/darwin tool (Mach-O"

new_repo pe
printf 'MZ\220\000\003\000\000\000' >provider.exe
git add -A && git commit -q -m pe
expect "a committed PE fails" fail "tracked executable binary: provider.exe (PE"

new_repo large
head -c 1048577 /dev/zero | tr '\0' 'a' >big.txt
head -c 1048576 /dev/zero | tr '\0' 'a' >limit.txt
git add -A && git commit -q -m large
expect "a text file of 1 MiB + 1 byte fails, one of exactly 1 MiB does not" fail "tracked file too large: big.txt is 1048577 bytes"
if grep -q limit.txt <<<"$(scripts/check-tracked-files.sh 2>&1 || true)"; then
  echo "FAIL a file of exactly 1 MiB was reported"; failures=$((failures + 1))
fi

new_repo allowed
mkdir -p testdata
printf '\177ELF\002\001\001\000' >testdata/plugin.elf
printf '# fixture: the plugin loader test reads an ELF header\ntestdata/plugin.elf  # why\n' >scripts/tracked-files-allowlist.txt
git add -A && git commit -q -m fixture
expect "an allow-listed ELF fixture passes" pass "1 allowed"
git rm -q testdata/plugin.elf && git commit -q -m "drop fixture"
expect "an allow-list line naming an untracked file fails" fail "lists testdata/plugin.elf, which git does not track"

if [ "$failures" -gt 0 ]; then
  echo "check-tracked-files-test: $failures failure(s)"
  exit 1
fi
echo "check-tracked-files-test: all cases pass"
