# Shared by the benchmark scripts: start the mock EHR in the background and wait for its address.
# Usage: start_mock LOGFILE ARGS...   sets $address and $mock (the process id); `trap stop_mock EXIT` stops it.
start_mock() {
  local log="$1"
  shift
  ./rpa mock-ehr "$@" --port 0 > "$log" 2>&1 &
  mock=$!
  for _ in $(seq 1 120); do
    grep -q "Listening on" "$log" && break
    sleep 1
  done
  address=$(grep -o 'http://127.0.0.1:[0-9]*/' "$log" | head -1)
  [ -n "$address" ] || { echo "the mock EHR did not start; see $log" >&2; exit 2; }
}

# Stops the mock EHR start_mock started: asks first (TERM), then insists (KILL) when it is still there after 5 seconds,
# because the mock does not always exit on TERM.
stop_mock() {
  [ -n "${mock:-}" ] || return 0
  kill "$mock" 2>/dev/null || return 0
  for _ in $(seq 1 10); do
    kill -0 "$mock" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -KILL "$mock" 2>/dev/null || true
}

# The desktop mock EHR in the background, in this shell's display and session bus.
# Usage: start_desktop_mock LOGFILE ARGS...   sets $address (atspi://NAME) and $mock.
start_desktop_mock() {
  local log="$1"
  shift
  local name="${app_name:-meddesk-bench-$$}"
  ./rpa mock-ehr desktop "$@" --app-name "$name" > "$log" 2>&1 &
  mock=$!
  for _ in $(seq 1 180); do
    grep -q "^Application:" "$log" && break
    kill -0 "$mock" 2>/dev/null || break
    sleep 1
  done
  grep -q "^Application:" "$log" || { echo "the desktop mock EHR did not start; see $log" >&2; exit 2; }
  address="atspi://$name"
}
