#!/usr/bin/env bash
# Runs the whole test suite. Release mode: the numeric tests (CLIP forward passes, gradient checks)
# are 25-1000x slower in debug builds. Swift Testing only, so the closing line is the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
exec swift test -c release --disable-xctest "$@"
