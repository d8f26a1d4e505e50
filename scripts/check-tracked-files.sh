#!/usr/bin/env bash
# Fails when a file tracked by git (in the index) is an executable binary
# (ELF, Mach-O or PE magic) or larger than MAX_TRACKED_BYTES (1 MiB), unless
# scripts/tracked-files-allowlist.txt lists its path: build outputs belong in
# bin/ or dist/, which are ignored, not in the history every clone downloads
# (issue #19 §6: an 11.6 MB benchharness binary was committed twice).
# Reads the blobs git tracks, not the working tree, so what is checked is what
# a commit would contain. Run from anywhere inside the repository.
set -euo pipefail
top=$(git rev-parse --show-toplevel)
cd "$top"
max=${MAX_TRACKED_BYTES:-1048576}
allowlist=scripts/tracked-files-allowlist.txt

declare -A allowed=()
if [ -f "$allowlist" ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    path=${line%%#*}
    path=${path%"${path##*[![:space:]]}"}
    path=${path#"${path%%[![:space:]]*}"}
    if [ -n "$path" ]; then allowed[$path]=1; fi
  done <"$allowlist"
fi

problems=0
declare -A tracked=()
paths=()
oids=()
# mode, object and path of every regular file in the index; gitlinks
# (submodules, 160000) and symlinks (120000) are not contents.
while IFS= read -r -d '' entry; do
  meta=${entry%%$'\t'*}
  path=${entry#*$'\t'}
  read -r mode oid _ <<<"$meta"
  tracked[$path]=1
  case $mode in 100644 | 100755) ;; *) continue ;; esac
  [ -n "${allowed[$path]:-}" ] && continue
  paths+=("$path")
  oids+=("$oid")
done < <(git ls-files -z --stage)

# One git cat-file --batch for all blobs (a process per file takes half a
# minute on a loaded machine): perl prints each blob's size and the hex of its
# first 4 bytes, in the order asked.
i=0
while read -r size magic; do
  path=${paths[$i]}
  i=$((i + 1))
  if [ "$size" -gt "$max" ]; then
    echo "tracked file too large: $path is $size bytes (limit $max)"
    problems=$((problems + 1))
  fi
  kind=
  case $magic in
    7f454c46) kind=ELF ;;
    feedface | feedfacf | cefaedfe | cffaedfe | cafebabe) kind=Mach-O ;;
    4d5a*) kind="PE (MZ)" ;;
  esac
  if [ -n "$kind" ]; then
    echo "tracked executable binary: $path ($kind, $size bytes)"
    problems=$((problems + 1))
  fi
done < <(
  [ "${#oids[@]}" -gt 0 ] && printf '%s\n' "${oids[@]}" | git cat-file --batch | perl -e '
    binmode STDIN;
    while (my $header = <STDIN>) {
      my (undef, undef, $size) = split " ", $header;
      my $content = "";
      read(STDIN, $content, $size) == $size or die "short read of a blob\n";
      getc(STDIN);
      print $size, " ", unpack("H8", $content), "\n";
    }'
)
if [ "$i" -ne "${#oids[@]}" ]; then
  echo "check-tracked-files: read $i of ${#oids[@]} blobs from git cat-file"
  exit 1
fi

for path in "${!allowed[@]}"; do
  if [ -z "${tracked[$path]:-}" ]; then
    echo "$allowlist lists $path, which git does not track: remove the line"
    problems=$((problems + 1))
  fi
done

if [ "$problems" -gt 0 ]; then
  echo "check-tracked-files: $problems problem(s). Remove build outputs with 'git rm --cached PATH' and ignore them in .gitignore; a genuine fixture goes into $allowlist with a comment saying why."
  exit 1
fi
echo "check-tracked-files: ${#tracked[@]} tracked files, none an executable binary or over $max bytes (${#allowed[@]} allowed by $allowlist)"
