#!/usr/bin/env bash
# Installs what RpaWorker needs from the system on Debian/Ubuntu: a Chromium for the web driver and tests.
# As root it installs them with apt-get; otherwise it prints the exact command and stops.
set -euo pipefail

need=()
command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET 10 SDK is not installed (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2; exit 2; }
# Playwright's own Chromium counts when present; otherwise Debian's package.
if ! ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium-*/chrome-linux*/chrome >/dev/null 2>&1 \
   && ! command -v chromium >/dev/null 2>&1; then
  need+=(chromium)
fi
# Fonts so that pages render text the way a person sees it (screenshots, later OCR).
dpkg -s fonts-liberation >/dev/null 2>&1 || need+=(fonts-liberation)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "RpaWorker needs these system packages: ${need[*]}" >&2
  echo "Install them with:  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
  exit 2
fi
echo "Installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
