#!/usr/bin/env bash
# Benchmark: self-healing of a v1 chart playbook on the mock EHR's v2 skin, no LLM.
#   bench/heal-rate.sh [--driver web|atspi|pixel] [data source] [output folder]      e.g. bench/heal-rate.sh generated:12
# --driver web (default) runs playbooks/mock-ehr/chart.yaml against the web mock; --driver atspi runs
# playbooks/mock-ehr-desktop/chart.yaml against the desktop mock (under Xvfb and a session bus of its own when there is
# no display); --driver pixel runs playbooks/mock-ehr-pixel/chart.yaml against the desktop mock's pixels, each run in an
# Xvfb of its own that rpa run starts with the mock in it (about a minute a chart: use a few patients, generated:3:1).
# All on a copy of the playbooks, so the heal store and the accepted edits stay out of the repo.
# 1. serves the data with the v1 skin and runs the playbook to learn fingerprints;
# 2. serves the same data with --skin v2 and runs the same playbook with healing on;
# 3. scores the v2 output against the mock's ground truth and counts the heals;
# 4. accepts every proposal and runs the edited playbook on v2 again (healing on: it should find nothing to heal).
# Prints each run's summary and wall time, the heals, the scores, and a one-line result per run (summary.txt).
# Run on demand; not part of the test suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
driver=web
if [ "${1:-}" = "--driver" ]; then
  driver="$2"
  shift 2
fi
case "$driver" in
  web) folder=mock-ehr ;;
  atspi) folder=mock-ehr-desktop ;;
  pixel) folder=mock-ehr-pixel ;;
  *) echo "--driver: web, atspi or pixel, not '$driver'" >&2; exit 2 ;;
esac
if [ "$driver" = atspi ] && { [ -z "${DISPLAY:-}" ] || [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; }; then
  exec xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- "$0" --driver "$driver" "$@"
fi
unset NO_AT_BRIDGE
data="${1:-generated:12}"
out="${2:-artifacts/bench/heal-rate-$driver}"
rm -rf "$out" && mkdir -p "$out/pb"
cp -r playbooks/mock-ehr "$out/pb/"
[ "$folder" = mock-ehr ] || cp -r "playbooks/$folder" "$out/pb/"
rm -f "$out"/pb/*/*.heal.json
playbook="$out/pb/$folder/chart.yaml"
./rpa --help >/dev/null   # build once, outside the measurement
rpa="dotnet artifacts/rpa/rpa.dll"
export RPA_SECRET_MOCK_EHR_USERNAME=clinician RPA_SECRET_MOCK_EHR_PASSWORD='Passw0rd!'

. bench/lib.sh
mock_v1="" mock_v2=""
run_options=()
# pixel_address SKIN: the window's address; the run starts the mock (on the exported records) in its own new Xvfb.
pixel_address() {
  local app
  app=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' \
    "$(pwd)/rpa mock-ehr desktop --db $(realpath "$out/mock.db") --window-width 1900 --skin $1")
  echo "x11://MedDesk Classic?size=1900x740&exec=$app"
}
if [ "$driver" = pixel ]; then
  # Every run starts a new display with a freshly started mock, so no window is left signed in between runs.
  unset DISPLAY DBUS_SESSION_BUS_ADDRESS
  export OMP_THREAD_LIMIT=1
  # The shape of a record number, as in bench/pixel-fidelity.sh: an MRN read otherwise is held for review.
  run_options=(--field-pattern 'MRN=[0-9]{7}')
  $rpa mock-ehr export --data "$data" --db "$out/mock.db" --out "$out/truth" >/dev/null
  v1=$(pixel_address v1); v2=$(pixel_address v2)
elif [ "$driver" = web ]; then
  start_mock "$out/mock-v1.log" --data "$data" --skin v1; v1="$address"; mock_v1="$mock"
  start_mock "$out/mock-v2.log" --data "$data" --skin v2; v2="$address"; mock_v2="$mock"
else
  app_name="meddesk-heal1-$$" start_desktop_mock "$out/mock-v1.log" --data "$data" --skin v1; v1="$address"; mock_v1="$mock"
  app_name="meddesk-heal2-$$" start_desktop_mock "$out/mock-v2.log" --data "$data" --skin v2; v2="$address"; mock_v2="$mock"
fi
if [ "$driver" != pixel ]; then
  trap 'mock="$mock_v1"; stop_mock; mock="$mock_v2"; stop_mock' EXIT
  $rpa mock-ehr export --data "$data" --out "$out/truth" >/dev/null
fi

# run NAME EHR [options]: one rpa run, its summary printed, its wall time in $out/NAME.seconds.
run() {
  local name="$1" ehr="$2"
  shift 2
  local start
  start=$(date +%s)
  $rpa run "$playbook" --ehr "$ehr" --out "$out/$name" "${run_options[@]}" "$@" > "$out/$name.txt" 2> "$out/$name.err" || true
  echo $(( $(date +%s) - start )) > "$out/$name.seconds"
  grep -E "^(Self-healing|Patients|Published|The run stopped)" "$out/$name.txt" || true
  echo "wall time: $(cat "$out/$name.seconds") s"
}

# result NAME: one line for the table in docs/benchmarks.md.
result() {
  local name="$1"
  $rpa score --truth "$out/truth" --out "$out/$name" > "$out/score-$name.txt" || true
  local patients healed missed fields wrong
  # A run with nothing to heal prints no "Self-healing" line: grep finding nothing is not a failure here.
  patients=$(grep -o "Patients: [0-9]* read, [0-9]* succeeded" "$out/$name.txt" | awk '{print $4 " / " $2}' || true)
  healed=$(grep -o "Self-healing: [0-9]* target" "$out/$name.txt" | awk '{print $2}' || true)
  missed=$(grep -o ", [0-9]* not healed" "$out/$name.txt" | awk '{print $2}' || true)
  # Fields compared and right over every type; a wrong published value is a compared field that differs.
  fields=$(awk '$NF == "%" && NF >= 9 { n += $(NF-2); ok += $(NF-2) * $(NF-1) / 100 } END { printf "%d %d", n, ok + 0.5 }' "$out/score-$name.txt")
  wrong=$(( ${fields% *} - ${fields#* } ))
  echo "$name: patients ${patients:-0}, healed ${healed:-0}, not healed ${missed:-0}, fields right ${fields#* } / ${fields% *}, wrong published $wrong, differences $(grep -o '^[0-9]* difference' "$out/score-$name.txt" | awk '{print $1}' || true), wall $(cat "$out/$name.seconds") s" | tee -a "$out/summary.txt"
}

echo "== $driver: learning on v1 ($v1)"
run v1 "$v1"
echo "== $driver: healing on v2 ($v2)"
run v2 "$v2"
grep '^heal:' "$out/v2.err" > "$out/heals.txt" || true
cat "$out/heals.txt"
echo "== proposals"
$rpa heal list "$playbook" | tail -1
echo "== accept all, then v2 again"
$rpa heal accept "$playbook" all > "$out/accepted.diff" 2> "$out/accept.err"
if [ "$driver" = atspi ]; then
  # The window stays signed in where the run left it, and "if Logout is visible" is a condition, which is not healed:
  # the accepted playbook starts on a fresh v2 window, as the healing run did.
  mock="$mock_v2"; stop_mock
  app_name="${v2#atspi://}" start_desktop_mock "$out/mock-v2b.log" --data "$data" --skin v2; mock_v2="$mock"
fi
run v2-accepted "$v2"
echo "== results (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
for name in v1 v2 v2-accepted; do result "$name"; done
