#!/usr/bin/env bash
# Benchmark: the desktop chart playbook (driver atspi) over a data source shown by the desktop mock EHR, scored against
# the mock's ground truth.
#   bench/desktop-fidelity.sh [data source] [output folder]      e.g. bench/desktop-fidelity.sh ../shared/data/synthea-r4
# Prints the run summary, the wall time, charts per minute and peak memory (RSS) of the rpa run process, and the
# fidelity score (precision, recall, field accuracy per resource type). Without a display it runs itself under Xvfb
# and a session bus of its own. Run on demand; not part of the test suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -z "${DISPLAY:-}" ] || [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  exec xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- "$0" "$@"
fi
unset NO_AT_BRIDGE
data="${1:-../shared/data/synthea-r4}"
out="${2:-out/bench/desktop-fidelity}"
rm -rf "$out"
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }
./rpa --help >/dev/null   # build once, outside the measurement

. bench/lib.sh
start_desktop_mock "$out/mock.log" --data "$data" --db "$out/mock.db"
trap 'kill $mock 2>/dev/null || true' EXIT
./rpa mock-ehr export --db "$out/mock.db" --out "$out/truth" > /dev/null
patients=$(grep -c . "$out/truth/Patient.ndjson")

export RPA_SECRET_MOCK_EHR_USERNAME=clinician RPA_SECRET_MOCK_EHR_PASSWORD='Passw0rd!'
/usr/bin/time -v -o "$out/time.txt" dotnet artifacts/rpa/rpa.dll run playbooks/mock-ehr-desktop/chart.yaml \
  --ehr "$address" --out "$out/fhir" 2> "$out/run.err" | tee "$out/run.txt" || true
report_run "$out" "$patients"
