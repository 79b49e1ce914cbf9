#!/usr/bin/env bash
# Runs the whole test suite: installs what is missing, builds, runs every test project, and ends with
# the line "N passed, N failed, N skipped" counted from the TRX results.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
bash eng/setup.sh

results="$PWD/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
export OMP_THREAD_LIMIT=1
# Desktop tests need an X display and a session bus with the accessibility bridge on.
unset NO_AT_BRIDGE
dotnet build RpaWorker.sln -c Release -nologo -clp:ErrorsOnly
status=0
xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- dotnet test RpaWorker.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
  --blame-hang-timeout 10m || status=$?

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
if [ "$failed" -gt 0 ]; then
  # Name every failed test and the first lines of its message, so the end of the log says what broke.
  echo "Failed tests:"
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    awk '
      /<UnitTestResult / { if (want) print "  " name; want = 0 }
      /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); name = substr($0, RSTART + 10, RLENGTH - 11); want = 1 }
      want && /<Message>/ { sub(/.*<Message>/, ""); sub(/<\/Message>.*/, ""); print "  " name; print "    " substr($0, 1, 400); want = 0 }
      END { if (want) print "  " name }
    ' "$trx"
  done
fi
if [ "$files" -eq 0 ]; then
  echo "no test results were written" >&2
  status=1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The runner failed without a failed test (a crash, a hang, a build error): count it as one failure.
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
