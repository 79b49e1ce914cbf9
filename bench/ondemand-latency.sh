#!/usr/bin/env bash
# Benchmark: on-demand read latency through the worker's /fhir for one patient's Patient, Conditions and
# MedicationRequests, fresh (the worker runs the chart playbook for that patient before answering) and cached (the
# same reads again, served from the tenant's store).
#   bench/ondemand-latency.sh [reads] [data source] [output folder]
#       e.g. bench/ondemand-latency.sh 50 ../shared/data/synthea-r4
# One read = GET Patient?identifier=<mrn> (which starts the refresh and waits for it), then Condition?patient= and
# MedicationRequest?patient= for the id it answered. Each fresh read asks for a patient the worker has not read yet, so
# every one runs the playbook; the browser stays up between reads (the worker keeps one Chromium for its life), but
# each refresh signs in to the EHR again, as every run does. Prints p50/p95/min/max per kind. Run on demand.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
reads="${1:-50}"
data="${2:-../shared/data/synthea-r4}"
out="${3:-out/bench/ondemand-latency}"
rm -rf "$out"
mkdir -p "$out"
./rpa --help >/dev/null   # build once, outside the measurement

. bench/lib.sh
start_mock "$out/mock.log" --data "$data" --db "$out/mock.db"
worker=""
trap 'stop_mock; [ -n "$worker" ] && kill "$worker" 2>/dev/null || true' EXIT
./rpa mock-ehr export --db "$out/mock.db" --out "$out/truth" > /dev/null
system="urn:rpaworker:mock-ehr:mrn"
# The MRNs the EHR holds, in the export's order (one Patient a line).
grep -o "\"system\":\"$system\",\"value\":\"[^\"]*\"" "$out/truth/Patient.ndjson" | sed 's/.*"value":"\([^"]*\)"/\1/' \
  | head -n "$reads" > "$out/mrns.txt"
count=$(wc -l < "$out/mrns.txt")
[ "$count" -gt 0 ] || { echo "no MRNs in the mock's export" >&2; exit 2; }

key="bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
hash=$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)
# A loopback port nothing listens on.
port=""
for _ in $(seq 1 50); do
  candidate=$((20000 + RANDOM % 20000))
  (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null || { port=$candidate; break; }
done
[ -n "$port" ] || { echo "no free loopback port found" >&2; exit 2; }
cat > "$out/appsettings.json" <<EOF
{
  "urls": "http://127.0.0.1:$port",
  "Worker": { "DataDirectory": "$PWD/$out/data" },
  "Ehrs": { "mock": { "Tenant": "bench", "Playbook": "$PWD/playbooks/mock-ehr/chart.yaml", "BaseUrl": "$address",
                      "PatientIdentifierSystem": "$system" } },
  "FhirApi": { "OnDemandWait": "00:05:00" },
  "Auth": { "ApiKeys": [ { "Name": "bench", "Tenant": "bench", "Sha256": "$hash" } ] }
}
EOF
export RPA_SECRET_MOCK_EHR_USERNAME=clinician RPA_SECRET_MOCK_EHR_PASSWORD='Passw0rd!'
(cd "$out" && exec dotnet "$OLDPWD/artifacts/rpa/rpa.dll" serve > serve.log 2>&1) &
worker=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 120); do
  curl -fs "$base/health/ready" >/dev/null 2>&1 && break
  kill -0 "$worker" 2>/dev/null || { echo "the worker stopped; see $out/serve.log" >&2; exit 2; }
  sleep 1
done
curl -fs "$base/health/ready" >/dev/null || { echo "the worker is not ready; see $out/serve.log" >&2; exit 2; }

# Seconds for one GET; fails the script on anything but 200.
get() {
  local code seconds
  read -r code seconds < <(curl -s -o "$out/last.json" -w '%{http_code} %{time_total}\n' -H "X-Api-Key: $key" "$base/fhir/$1")
  [ "$code" = 200 ] || { echo "GET /fhir/$1 answered $code; see $out/last.json and $out/serve.log" >&2; exit 1; }
  echo "$seconds"
}

# One read of a patient: Patient by identifier, then its Conditions and MedicationRequests. Prints the total seconds.
read_patient() {
  local mrn="$1" a b c id
  a=$(get "Patient?identifier=$system%7C$mrn")
  id=$(grep -o '"resourceType":"Patient","id":"[^"]*"' "$out/last.json" | head -1 | sed 's/.*"id":"\([^"]*\)"/\1/')
  [ -n "$id" ] || { echo "no Patient in the answer for read $2" >&2; exit 1; }
  b=$(get "Condition?patient=$id")
  c=$(get "MedicationRequest?patient=$id")
  echo "$a + $b + $c" | bc
}

# A warm-up read outside the measurement: the first refresh also starts the browser.
read_patient "$(tail -1 "$out/mrns.txt")" warm-up > /dev/null
head -n $((count - 1)) "$out/mrns.txt" > "$out/measured.txt"
: > "$out/fresh.txt"
: > "$out/cached.txt"
n=0
while read -r mrn; do
  n=$((n + 1))
  read_patient "$mrn" "$n" >> "$out/fresh.txt"
done < "$out/measured.txt"
n=0
while read -r mrn; do
  n=$((n + 1))
  read_patient "$mrn" "$n" >> "$out/cached.txt"
done < "$out/measured.txt"

stats() {
  sort -n "$1" | awk -v kind="$2" '{ v[NR] = $1 } END {
    p50 = v[int((NR + 1) / 2)]; i95 = int(NR * 0.95 + 0.999); if (i95 < 1) i95 = 1; if (i95 > NR) i95 = NR
    printf "| %s | %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms |\n", kind, NR, p50 * 1000, v[i95] * 1000, v[1] * 1000, v[NR] * 1000 }'
}
echo "| read | reads | p50 | p95 | min | max |"
echo "|---|---:|---:|---:|---:|---:|"
stats "$out/fresh.txt" "fresh (playbook run)"
stats "$out/cached.txt" "cached (store)"
