#!/usr/bin/env bash
# Benchmark: one bulk run of every patient of a Synthea import, by 1, 2 and 3 `rpa serve` workers sharing one
# PostgreSQL (a private server this script starts and deletes), one browser session per worker; then, with three
# workers, the time from SIGKILL of a worker holding a shard to another worker starting that shard.
#   bench/scale-out.sh [--kill-only] [synthea folder] [output folder] [patients for the kill part] [shards for the kill part]
# --kill-only skips the 1/2/3-worker runs and measures only the SIGKILL to takeover.
# Every worker count reads the same patients in the same 6 shards (EHR cap 3 sessions, one shard per worker at a
# time). Patients per minute are counted from the run store's start and end of the run (after the workers are up).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
kill_only=false
if [ "${1:-}" = "--kill-only" ]; then kill_only=true; shift; fi
synthea="$(realpath "${1:-../shared/data/synthea-r4}")"
out="$(realpath -m "${2:-out/bench/scale-out}")"
kill_patients="${3:-24}"
kill_shards="${4:-6}"
rm -rf "$out"
mkdir -p "$out"
./rpa --help >/dev/null   # build once, outside the measurement
. bench/lib.sh

key="bench-scale-out-key"
key_hash=$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)
export RPA_SECRET_MOCK_EHR_USERNAME=clinician RPA_SECRET_MOCK_EHR_PASSWORD='Passw0rd!'
workers=()

# A private PostgreSQL on a free port (as the postgres user when run as root: the server refuses to run as root).
pgbin=$(dirname "$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -1)")
psql=$(command -v psql || echo "$pgbin/psql")
pgdir=$(mktemp -d /tmp/rpa-bench-pg-XXXXXX)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres: "$pgdir"
pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$pgbin/initdb" -D "$pgdir/data" -U rpa --auth=trust -E UTF8 --locale=C --no-sync > "$out/initdb.log"
as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" -w -o "-p $pgport -h 127.0.0.1 -k $pgdir -c max_connections=300" start > /dev/null

stop_workers() {
  for pid in "${workers[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${workers[@]}"; do wait "$pid" 2>/dev/null || true; done
  workers=()
}
cleanup() {
  stop_workers
  stop_mock
  as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate -w stop > /dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap cleanup EXIT

# Reads a JSON value from stdin with a Python expression over `d`.
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
api() { curl -sf -H "Authorization: Bearer $key" "$@"; }

# start_workers COUNT DATABASE FOLDER [CHECKIN]: starts workers w1..wCOUNT on DATABASE; sets $urls.
start_workers() {
  local count=$1 db=$2 folder=$3 checkin=${4:-00:00:05}
  as_pg "$psql" -h 127.0.0.1 -p "$pgport" -U rpa -d postgres -qc "CREATE DATABASE $db" > /dev/null
  urls=()
  for i in $(seq 1 "$count"); do
    local port dir="$folder/w$i"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    mkdir -p "$dir"
    cat > "$dir/worker.json" <<JSON
{ "urls": "http://127.0.0.1:$port",
  "Worker": { "DataDirectory": "$dir/data", "Store": "postgres://rpa@127.0.0.1:$pgport/$db", "InstanceId": "w$i",
              "MaxConcurrentShards": 1, "ClusterCheckinInterval": "$checkin" },
  "Ehrs": { "mock": { "Tenant": "bench", "Playbook": "$PWD/playbooks/mock-ehr/chart.yaml", "BaseUrl": "$address", "MaxSessions": 3 } },
  "Auth": { "ApiKeys": [ { "Name": "bench", "Tenant": "bench", "Sha256": "$key_hash" } ] } }
JSON
    dotnet artifacts/rpa/rpa.dll serve --config "$dir/worker.json" > "$dir/console.log" 2>&1 &
    workers+=($!)
    urls+=("http://127.0.0.1:$port")
  done
  for i in $(seq 1 "$count"); do
    for _ in $(seq 1 300); do
      grep -q "RpaWorker is serving on" "$folder/w$i/console.log" && break
      sleep 1
    done
    grep -q "RpaWorker is serving on" "$folder/w$i/console.log" || { echo "worker w$i did not start; see $folder/w$i/console.log" >&2; exit 2; }
  done
}

# start_run URL [SHARDS]: starts a run of every patient (6 shards unless told) and prints its id.
start_run() { api -H 'Content-Type: application/json' -d "{\"ehr\":\"mock\",\"shards\":${2:-6}}" "$1/api/runs" | json 'd["run"]["id"]'; }

wait_run() {
  while :; do
    local view
    view=$(api "$1/api/runs/$2")
    if [ "$(echo "$view" | json 'd["run"]["finished"] is not None')" = "True" ]; then
      echo "$view"
      return
    fi
    sleep 2
  done
}

# Part 1: the same run by 1, 2 and 3 workers.
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/results.txt"
if ! $kill_only; then
start_mock "$out/mock.log" --data "$synthea"
printf '%-8s %9s %9s %12s %s\n' workers patients "run (s)" "patients/min" "shards per worker" | tee -a "$out/results.txt"
for n in 1 2 3; do
  start_workers "$n" "scale_$n" "$out/n$n"
  run=$(start_run "${urls[0]}")
  view=$(wait_run "${urls[0]}" "$run")
  attempts=$(api "${urls[0]}/api/runs/$run/shards/attempts")
  echo "$view" > "$out/n$n/run.json"
  echo "$attempts" > "$out/n$n/attempts.json"
  echo "$view" | N="$n" ATTEMPTS="$attempts" python3 -c '
import json, os, sys, collections
from datetime import datetime
v = json.load(sys.stdin); a = json.loads(os.environ["ATTEMPTS"])
t = lambda s: datetime.fromisoformat(s).timestamp()
secs = t(v["run"]["finished"]) - t(v["run"]["started"])
ok = v["progress"]["succeeded"]
per = collections.Counter(x["owner"] for x in a)
print("%-8s %9d %9.0f %12.1f %s (%s)" % (os.environ["N"], ok, secs, ok * 60 / secs, dict(sorted(per.items())), v["run"]["status"]))
' | tee -a "$out/results.txt"
  stop_workers
done
echo "load after part 1: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/results.txt"
stop_mock
fi

# Part 2: three workers, SIGKILL one that holds a shard, time until another starts it (default 5 s check-in).
subset=$(mktemp -d /tmp/rpa-bench-subset-XXXXXX)
ls -S -r "$synthea"/*.json | grep -v -e '/hospital' -e '/practitioner' | head -n "$kill_patients" | while read -r f; do ln -s "$f" "$subset/"; done
start_mock "$out/mock-kill.log" --data "$subset"
start_workers 3 scale_kill "$out/kill"
run=$(start_run "${urls[0]}" "$kill_shards")
victim=""
while [ -z "$victim" ]; do
  sleep 0.5
  victim=$(api "${urls[0]}/api/runs/$run/shards/attempts" | json '"".join(sorted({x["owner"] for x in d if x["finished"] is None and x["owner"] != "w1"})[:1])')
done
kill -KILL "${workers[$(( ${victim#w} - 1 ))]}"
killed_ms=$(date +%s%3N)
echo "killed $victim holding a shard at $(date -u +%T.%3N) (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$out/results.txt"
view=$(wait_run "${urls[0]}" "$run")
attempts=$(api "${urls[0]}/api/runs/$run/shards/attempts")
echo "$attempts" > "$out/kill/attempts.json"
echo "$view" | KILLED="$killed_ms" VICTIM="$victim" ATTEMPTS="$attempts" python3 -c '
import json, os, sys
from datetime import datetime
v = json.load(sys.stdin); a = json.loads(os.environ["ATTEMPTS"]); killed = int(os.environ["KILLED"]) / 1000
t = lambda s: datetime.fromisoformat(s).timestamp()
for lost in (x for x in a if x["owner"] == os.environ["VICTIM"] and x["finished"] is None):
    redo = [x for x in a if x["shard"] == lost["shard"] and x["attempt"] == lost["attempt"] + 1]
    print("shard %d: SIGKILL to pickup by %s: %.1f s" % (lost["shard"], redo[0]["owner"], t(redo[0]["started"]) - killed) if redo else "shard %d: not picked up" % lost["shard"])
print("run %s: %d of %d patients succeeded" % (v["run"]["status"], v["progress"]["succeeded"], v["progress"]["planned"]))
' | tee -a "$out/results.txt"
rm -rf "$subset"
echo "load after part 2: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/results.txt"
