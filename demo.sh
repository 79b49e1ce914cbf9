#!/usr/bin/env bash
# The main job on embedded defaults: installs what is missing, builds, and runs the demo against the mock EHR.
# Arguments are passed to `rpa demo` (e.g. --patients 50, --no-wait).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
bash eng/setup.sh
exec ./rpa demo "$@"
