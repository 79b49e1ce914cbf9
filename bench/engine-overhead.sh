#!/usr/bin/env bash
# Benchmark: the engine's overhead against a hand-written Playwright program (bench/RpaWorker.Bench.HandWritten) that
# reads the same screens and fields of the same mock EHR. One mock EHR process serves generated patients; each round
# runs both programs over all of them with one browser session (the order alternates between rounds, so neither always
# goes first), then the script prints median times, charts per minute and the ratio engine / hand-written.
#   bench/engine-overhead.sh [patients] [rounds] [output folder]
# Wall times include each program's start-up (.NET, browser launch, sign-in; for rpa also loading US Core). The chart
# loop is the time from the first chart to the last: the hand-written program prints it, rpa prints it with
# RPA_STEP_TIMING=1 (the whole for_each step, building and validating the FHIR resources included).
# After every run the records the hand-written program read are counted by the resource type rpa makes of them and
# compared with rpa's "extracted" counts: both must have done the same work. Run on demand; needs no bc or GNU time
# (peak memory is shown when /usr/bin/time is there).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
patients="${1:-30}"
rounds="${2:-3}"
out="${3:-out/bench/engine-overhead}"
rm -rf "$out"
mkdir -p "$out"

# Build both outside the measurement.
./rpa --help >/dev/null
hand_dir=artifacts/bench-hand-written
dotnet build bench/RpaWorker.Bench.HandWritten/RpaWorker.Bench.HandWritten.csproj -c Release -o "$hand_dir" -nologo -v quiet >"$out/build.log" 2>&1 \
  || { cat "$out/build.log" >&2; exit 2; }

. bench/lib.sh
start_mock "$out/mock.log" --data "generated:$patients:1"
trap stop_mock EXIT
export RPA_SECRET_MOCK_EHR_USERNAME=clinician RPA_SECRET_MOCK_EHR_PASSWORD='Passw0rd!'

gnu_time=""
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then gnu_time=/usr/bin/time; fi

# run NAME COMMAND...: runs the command with stdout in NAME.txt and stderr in NAME.err; sets $wall (seconds) and
# $rss (peak resident set size of the largest process, MB, or n/a) and $rc.
run() {
  local name="$1"
  shift
  local start end
  start=$(date +%s.%N)
  rc=0
  if [ -n "$gnu_time" ]; then
    "$gnu_time" -v -o "$out/$name.time" "$@" >"$out/$name.txt" 2>"$out/$name.err" || rc=$?
  else
    "$@" >"$out/$name.txt" 2>"$out/$name.err" || rc=$?
  fi
  end=$(date +%s.%N)
  wall=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }')
  rss=n/a
  if [ -f "$out/$name.time" ]; then
    rss=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$out/$name.time")
  fi
}

# "Type count" lines of a summary's resource table, sorted: hand-written's "records", rpa's "extracted".
counts() { awk '/^Resource type/ { on = 1; next } /^(Start-up|Published)/ { on = 0 } on && NF >= 2 { print $1, $2 }' "$1" | sort; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

: >"$out/results.tsv"
status=0
printf '%-6s %-13s %9s %11s %10s %9s %8s  %s\n' round program "wall (s)" "charts/min" "loop (s)" "s/chart" "RSS (MB)" patients
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) -eq 1 ]; then order="hand engine"; else order="engine hand"; fi
  for program in $order; do
    name="round$round-$program"
    if [ "$program" = hand ]; then
      run "$name" dotnet "$hand_dir/RpaWorker.Bench.HandWritten.dll" --ehr "$address" --out "$out/$name"
      loop=$(awk '/^Start-up/ { for (i = 1; i < NF; i++) if ($i == "charts") { print $(i + 1); exit } }' "$out/$name.txt")
    else
      RPA_STEP_TIMING=1 run "$name" dotnet artifacts/rpa/rpa.dll run playbooks/mock-ehr/chart.yaml --ehr "$address" --all-patients --out "$out/$name"
      loop=$(awk '/^step steps\[[0-9]+\]\.for_each: / { printf "%.1f", $(NF - 1) / 1000; exit }' "$out/$name.err")
    fi
    summary=$(grep -m1 '^Patients:' "$out/$name.txt" | sed 's/^Patients: //' || true)
    [ "$rc" -eq 0 ] || { status=1; summary="exit code $rc: ${summary:-see $out/$name.err}"; }
    rate=$(awk -v n="$patients" -v w="$wall" 'BEGIN { printf "%.1f", n * 60 / w }')
    per=$(awk -v n="$patients" -v l="${loop:-0}" 'BEGIN { if (l > 0) printf "%.2f", l / n; else print "n/a" }')
    printf '%-6s %-13s %9s %11s %10s %9s %8s  %s\n' "$round" "$([ "$program" = hand ] && echo hand-written || echo rpa-engine)" \
      "$wall" "$rate" "${loop:-n/a}" "$per" "$rss" "$summary"
    printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$program" "$wall" "${loop:-}" "$rss" >>"$out/results.tsv"
  done
  if ! diff <(counts "$out/round$round-hand.txt") <(counts "$out/round$round-engine.txt") >"$out/round$round-counts.diff"; then
    echo "round $round: the programs read different numbers of records (hand-written <, rpa >):" >&2
    cat "$out/round$round-counts.diff" >&2
    status=1
  fi
done

col() { awk -F'\t' -v p="$1" -v c="$2" '$2 == p && $c != "" { print $c }' "$out/results.tsv"; }
ratios() { awk -F'\t' -v c="$1" '$c != "" { v[$1, $2] = $c } END { for (k in v) { split(k, a, SUBSEP); if (a[2] == "engine" && ((a[1], "hand") in v)) print v[k] / v[a[1], "hand"] } }' "$out/results.tsv"; }
hand_wall=$(col hand 3 | median)
engine_wall=$(col engine 3 | median)
hand_loop=$(col hand 4 | median)
engine_loop=$(col engine 4 | median)
echo
echo "Counts read (every round the same in both programs unless said above):"
counts "$out/round1-hand.txt" | awk '{ printf "  %-20s %8s\n", $1, $2 }'
echo
awk -v n="$patients" -v r="$rounds" -v hw="$hand_wall" -v ew="$engine_wall" -v hl="$hand_loop" -v el="$engine_loop" \
    -v rw="$(ratios 3 | median)" -v rl="$(ratios 4 | median)" 'BEGIN {
  printf "Medians over %d round(s), %d patients, one session:\n", r, n
  printf "  hand-written  wall %7.1f s  %5.1f charts/min   chart loop %7.1f s  %5.2f s a chart\n", hw, n * 60 / hw, hl, hl / n
  printf "  rpa engine    wall %7.1f s  %5.1f charts/min   chart loop %7.1f s  %5.2f s a chart\n", ew, n * 60 / ew, el, el / n
  printf "Ratio engine / hand-written (median of the rounds'\'' ratios): wall %.2f, chart loop %.2f (goal: at most 1.2)\n", rw, rl
}'
exit $status
