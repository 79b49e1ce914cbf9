#!/usr/bin/env bash
# Installs what RpaWorker needs from the system on Debian/Ubuntu: a Chromium for the web driver, and for the
# desktop drivers and their tests an X server (Xvfb), a session bus with the accessibility bus (AT-SPI),
# GTK 3 (the desktop mock EHR), XTest input and Tesseract OCR, and PostgreSQL for the cluster tests. As root
# it installs what is missing with apt-get; otherwise it prints the exact command and stops.
set -euo pipefail

need=()
command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET 10 SDK is not installed (https://learn.microsoft.com/dotnet/core/install/linux-debian)" >&2; exit 2; }
# Playwright's own Chromium counts when present; otherwise Debian's package.
if ! ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium-*/chrome-linux*/chrome >/dev/null 2>&1 \
   && ! command -v chromium >/dev/null 2>&1; then
  need+=(chromium)
fi
# fonts-liberation: pages and windows render text the way a person sees it (screenshots, OCR).
# postgresql: the server binaries the cluster tests start a private PostgreSQL with (the worker needs only a server somewhere).
for package in fonts-liberation xvfb xauth dbus at-spi2-core libgtk-3-0 libxtst6 libtesseract5 tesseract-ocr-eng postgresql; do
  dpkg -s "$package" >/dev/null 2>&1 || need+=("$package")
done

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
