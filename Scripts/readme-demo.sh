#!/usr/bin/env bash
# Runs the README's quick-start command (`pointad demo`, 2 threads as on the development and CI
# machines) in a scratch folder and pastes its output into README.md between the demo-output
# markers, and its two picture sheets into Fixtures/readme/. The test suite checks that the README
# still shows exactly what the command prints.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
swift build -c release --product pointad >/dev/null
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$scratch" && "$root/.build/release/pointad" demo --quiet --threads 2 > output.txt)
cp "$scratch/demo-out/score/sample_renders.png" Fixtures/readme/demo-renders.png
cp "$scratch/demo-out/score/sample_overlays.png" Fixtures/readme/demo-overlays.png
python3 - "$scratch/output.txt" <<'PY'
import sys
out = open(sys.argv[1]).read()
readme = open("README.md").read()
start, end = "<!-- demo-output:start -->\n", "<!-- demo-output:end -->"
a, b = readme.index(start) + len(start), readme.index(end)
readme = readme[:a] + "```text\n" + out + "```\n" + readme[b:]
open("README.md", "w").write(readme)
PY
echo "README.md and Fixtures/readme/demo-*.png updated"
