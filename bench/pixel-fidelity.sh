#!/usr/bin/env bash
# Benchmark: the pixel chart playbook (driver pixel: window capture, Tesseract OCR, XTest input) over a data source shown
# by the desktop mock EHR, scored against the mock's ground truth.
#   bench/pixel-fidelity.sh [data source] [output folder]      e.g. bench/pixel-fidelity.sh generated:3:1
# Prints the run summary, the wall time, charts per minute and peak memory (RSS) of the rpa run process, the fidelity
# score (precision, recall, field accuracy per resource type) and how many resources were held for review. rpa run
# starts its own Xvfb (1920x1080) and session bus, and the mock with them (x11://…?exec=). Run on demand; not part of the
# test suite. Each chart takes about a minute on 2 cores: the default is 3 generated patients.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data="${1:-generated:3:1}"
out="${2:-out/bench/pixel-fidelity}"
rm -rf "$out"
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }
./rpa --help >/dev/null   # build once, outside the measurement
./rpa mock-ehr export --data "$data" --db "$out/mock.db" --out "$out/truth" > /dev/null
patients=$(grep -c . "$out/truth/Patient.ndjson")

# The mock reads the records the export just stored; its window is made wide enough for every list column.
app=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote_plus(sys.argv[1]))' "$(pwd)/rpa mock-ehr desktop --db $(realpath "$out/mock.db") --window-width 1900")
export RPA_SECRET_MOCK_EHR_USERNAME=clinician RPA_SECRET_MOCK_EHR_PASSWORD='Passw0rd!' OMP_THREAD_LIMIT=1
unset DISPLAY DBUS_SESSION_BUS_ADDRESS
/usr/bin/time -v -o "$out/time.txt" dotnet artifacts/rpa/rpa.dll run playbooks/mock-ehr-pixel/chart.yaml \
  --ehr "x11://MedDesk Classic?size=1900x740&exec=$app" --field-pattern 'MRN=[0-9]{7}' --out "$out/fhir" 2> "$out/run.err" | tee "$out/run.txt" || true
. bench/lib.sh
report_run "$out" "$patients"
held=$( [ -f "$out/fhir/quarantine/quarantine.ndjson" ] && grep -c . "$out/fhir/quarantine/quarantine.ndjson" || echo 0)
echo "Held for review (quarantine, with pictures in quarantine/review/): $held resource(s)"
