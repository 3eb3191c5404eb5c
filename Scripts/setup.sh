#!/usr/bin/env bash
# Installs what pointad needs on a fresh Debian/Ubuntu machine (as root, or with sudo) and builds
# the release binary. Safe to run again: apt-get skips what is installed, swift build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libopenblas-dev liblapacke-dev libpng-dev libtiff-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

command -v swift >/dev/null || { echo "setup: swift not found on PATH (Swift 6 toolchain needed: https://swift.org/install)" >&2; exit 1; }
echo "setup: building release (swift build -c release)"
swift build -c release --product pointad 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Write|Linking)' || true
test -x .build/release/pointad || { echo "setup: build failed" >&2; exit 1; }
echo "setup: done: .build/release/pointad"
