#!/usr/bin/env bash
# Builds the benchmarks in release mode and runs them. `Scripts/bench.sh gemm` runs one;
# with no argument, all. Figures are medians; run on an idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product pointad-bench >/dev/null
swift build -c release --product pointad >/dev/null  # eval-cache and pt-load time the command itself
bench=.build/release/pointad-bench
if [ $# -gt 0 ]; then exec "$bench" "$@"; fi
for b in $("$bench" --help | awk '/^SUBCOMMANDS:/{f=1;next} f&&NF{print $1}' | grep -v '^help$'); do
  echo "== $b"
  "$bench" "$b"
  echo
done
