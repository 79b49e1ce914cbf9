#!/usr/bin/env bash
# Benchmark: charts per minute of the chart playbook with 1, 2 and 4 browser sessions (--parallel), in one run of
# this script against one mock EHR serving generated patients.
#   bench/chart-throughput.sh [patients] [output folder]
# Wall times include each run's start-up (browser launch, logins, loading US Core). Run on demand.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
patients="${1:-30}"
out="${2:-out/bench/chart-throughput}"
rm -rf "$out"
mkdir -p "$out"
./rpa --help >/dev/null   # build once, outside the measurement

. bench/lib.sh
start_mock "$out/mock.log" --data "generated:$patients:1"
trap 'kill $mock 2>/dev/null || true' EXIT
export RPA_SECRET_MOCK_EHR_USERNAME=clinician RPA_SECRET_MOCK_EHR_PASSWORD='Passw0rd!'
printf '%-10s %10s %14s %s\n' parallel "wall (s)" "charts/min" summary
for n in 1 2 4; do
  start=$(date +%s.%N)
  dotnet artifacts/rpa/rpa.dll run playbooks/mock-ehr/chart.yaml --ehr "$address" --out "$out/p$n" --parallel "$n" \
    > "$out/p$n.txt" 2> "$out/p$n.err" || true
  end=$(date +%s.%N)
  wall=$(echo "$end - $start" | bc)
  rate=$(echo "scale=1; $patients * 60 / $wall" | bc)
  printf '%-10s %10.1f %14s %s\n' "$n" "$wall" "$rate" "$(grep -m1 '^Patients:' "$out/p$n.txt")"
done
