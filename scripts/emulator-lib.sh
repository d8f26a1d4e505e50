# Sourced by the scripts that run the emulator binary (emulator-session.sh,
# install-check.sh): a temporary working directory that is removed on exit,
# with the emulator stopped first, and the emulator started on a free port.

emulator_pid=""

# new_workdir NAME sets $work to a fresh temporary directory, removed on exit.
new_workdir() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  trap stop_and_clean EXIT
  trap 'exit 130' INT TERM
}

stop_and_clean() {
  if [ -n "$emulator_pid" ] && kill -0 "$emulator_pid" 2>/dev/null; then
    kill -TERM "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}

# start_emulator BIN starts the emulator BIN with the default seed on a free
# loopback port, waits for the URL it writes, and sets $url.
start_emulator() {
  "$1" --listen 127.0.0.1:0 --url-file "$work/url" >"$work/emulator.log" 2>&1 &
  emulator_pid=$!
  for _ in $(seq 1 100); do
    [ -s "$work/url" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log"; echo "the emulator exited" >&2; exit 1; }
    sleep 0.1
  done
  [ -s "$work/url" ] || { cat "$work/emulator.log"; echo "the emulator did not write its URL" >&2; exit 1; }
  url=$(cat "$work/url")
}
