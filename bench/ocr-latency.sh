#!/usr/bin/env bash
# Benchmark: the pixel driver. OCR model load time, capture and OCR latency per captured window (median, p95), word
# accuracy of each OCR preprocessing and layout, and the driver's confirmed reads, on the mock EHR shown in a real
# Chromium window under Xvfb. Then the OCR latency again without OMP_THREAD_LIMIT, to show what it is for.
#   bench/ocr-latency.sh [runs per screen]      (default 20)
# Prints Markdown. Run on demand; not part of the test suite.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs="${1:-20}"
command -v xvfb-run >/dev/null || { echo "needs Xvfb: bash eng/setup.sh" >&2; exit 2; }
dotnet build tests/RpaWorker.Drivers.Desktop.Benchmarks -c Release -nologo -v quiet -clp:ErrorsOnly
dll=tests/RpaWorker.Drivers.Desktop.Benchmarks/bin/Release/net10.0/RpaWorker.Drivers.Desktop.Benchmarks.dll
run() { xvfb-run -a -s "-screen 0 1280x1024x24" dotnet "$dll" "$@"; }

echo "## OMP_THREAD_LIMIT=1 (as test.sh and the worker run)"
echo
OMP_THREAD_LIMIT=1 run --runs "$runs"
echo
echo "## OMP_THREAD_LIMIT unset (OpenMP's own thread count)"
echo
env -u OMP_THREAD_LIMIT bash -c "$(declare -f run); dll='$dll'; run --runs '$runs' --latency-only"
