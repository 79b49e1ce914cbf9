#!/usr/bin/env bash
# Benchmark: the chart playbook over a data source served by the mock EHR, scored against the mock's ground truth.
#   bench/chart-fidelity.sh [data source] [output folder]      e.g. bench/chart-fidelity.sh ../shared/data/synthea-r4
# Prints the run summary, the wall time and peak memory (RSS) of the rpa run process, and the fidelity score
# (precision, recall, field accuracy per resource type). Run on demand; not part of the test suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
data="${1:-../shared/data/synthea-r4}"
out="${2:-out/bench/chart-fidelity}"
rm -rf "$out"
mkdir -p "$out"
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }
./rpa --help >/dev/null   # build once, outside the measurement

. bench/lib.sh
start_mock "$out/mock.log" --data "$data" --db "$out/mock.db"
trap 'kill $mock 2>/dev/null || true' EXIT
./rpa mock-ehr export --db "$out/mock.db" --out "$out/truth" > /dev/null

export RPA_SECRET_MOCK_EHR_USERNAME=clinician RPA_SECRET_MOCK_EHR_PASSWORD='Passw0rd!'
/usr/bin/time -v -o "$out/time.txt" dotnet artifacts/rpa/rpa.dll run playbooks/mock-ehr/chart.yaml \
  --ehr "$address" --out "$out/fhir" 2> "$out/run.err" | tee "$out/run.txt" || true
echo
grep -E "Elapsed \(wall clock\)|Maximum resident set size" "$out/time.txt"
echo
dotnet artifacts/rpa/rpa.dll score --truth "$out/truth" --out "$out/fhir" | tee "$out/score.txt"
