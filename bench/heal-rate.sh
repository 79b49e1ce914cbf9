#!/usr/bin/env bash
# Benchmark: self-healing of the v1 chart playbook on the mock EHR's v2 skin, no LLM.
#   bench/heal-rate.sh [data source] [output folder]      e.g. bench/heal-rate.sh generated:12
# 1. serves the data with the v1 skin and runs playbooks/mock-ehr/chart.yaml (a copy) to learn fingerprints;
# 2. serves the same data with --skin v2 and runs the same playbook with healing on;
# 3. scores the v2 output against the mock's ground truth and counts the heals;
# 4. accepts every proposal and runs the edited playbook on v2 again with --no-heal.
# Prints the runs' summaries, the heal list and the scores. Run on demand; not part of the test suite.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/bench/lib.sh"
data="${1:-generated:12}"
out="${2:-$here/artifacts/bench/heal-rate}"
rm -rf "$out" && mkdir -p "$out"
cp -r "$here/playbooks/mock-ehr" "$out/pb"
rpa="dotnet $here/artifacts/rpa/rpa.dll"
"$here/rpa" --help >/dev/null
export RPA_SECRET_MOCK_EHR_USERNAME=clinician RPA_SECRET_MOCK_EHR_PASSWORD='Passw0rd!'
cd "$here"
start_mock "$out/mock-v1.log" --data "$data" --skin v1; v1="$address"; mock_v1="$mock"
start_mock "$out/mock-v2.log" --data "$data" --skin v2; v2="$address"; mock_v2="$mock"
trap 'mock="$mock_v1"; stop_mock; mock="$mock_v2"; stop_mock' EXIT
$rpa mock-ehr export --data "$data" --out "$out/truth" >/dev/null
echo "== learning on v1 ($v1)"
$rpa run "$out/pb/chart.yaml" --ehr "$v1" --out "$out/v1" 2>"$out/v1.err" | tail -12 || true
echo "== healing on v2 ($v2)"
start=$(date +%s)
$rpa run "$out/pb/chart.yaml" --ehr "$v2" --out "$out/v2" 2>"$out/v2.err" | tail -14 || true
echo "v2 run: $(( $(date +%s) - start )) s"
grep '^heal:' "$out/v2.err" || true
echo "== proposals"
$rpa heal list "$out/pb/chart.yaml"
echo "== v2 output against the ground truth"
$rpa score --truth "$out/truth" --out "$out/v2" | tee "$out/score-v2.txt" | head -9
echo "== accept all, then v2 with --no-heal"
$rpa heal accept "$out/pb/chart.yaml" all >"$out/accepted.diff" 2>"$out/accept.err"
$rpa run "$out/pb/chart.yaml" --ehr "$v2" --out "$out/v2-accepted" --no-heal 2>"$out/v2-accepted.err" | tail -12 || true
$rpa score --truth "$out/truth" --out "$out/v2-accepted" | tee "$out/score-v2-accepted.txt" | head -9
