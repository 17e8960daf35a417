#!/usr/bin/env bash
# Installs the Debian 12 packages tailor needs, skipping those already present (idempotent).
set -euo pipefail
packages=(
  g++ cmake make pkg-config git ca-certificates curl xz-utils
  libsqlite3-dev nlohmann-json3-dev libcli11-dev libcpp-httplib-dev liblzma-dev
  libgtest-dev libgmock-dev
  libeigen3-dev libopenblas-dev
  libtorch-dev
  libsentencepiece-dev libfasttext-dev
)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "[deps] all ${#packages[@]} packages present"
  exit 0
fi
echo "[deps] installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "[deps] need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
