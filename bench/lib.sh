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

# Prints the wall time, peak memory and charts per minute of a run measured with GNU time into OUT/time.txt, then the
# run's fidelity score against OUT/truth (written to OUT/score.txt).
# Usage: report_run OUT CHARTS
report_run() {
  local out="$1" charts="$2" wall
  echo
  grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$out/time.txt"
  wall=$(grep "Elapsed (wall clock)" "$out/time.txt" | awk '{print $NF}' | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  echo "Charts per minute: $(echo "scale=1; $charts * 60 / $wall" | bc) ($charts charts in ${wall} s, start-up included)"
  echo
  dotnet artifacts/rpa/rpa.dll score --truth "$out/truth" --out "$out/fhir" | tee "$out/score.txt"
}
