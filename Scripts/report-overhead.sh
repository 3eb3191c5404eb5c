#!/usr/bin/env bash
# The cost of eval's pictures and report.html on the synthetic demo data: `pointad eval` with and
# without --no-pictures, alternated, CPU time (user + sys, robust to a loaded machine) and wall time.
# Usage: Scripts/report-overhead.sh [ROUNDS]   (needs a release build; makes the demo data in a temp folder)
set -euo pipefail
rounds=${1:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/.build/release/pointad
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$bin" demo >/dev/null 2>&1
in=demo-out/inputs
classes=$(ls "$in/dataset" | grep -v superquadric | grep -v '\.' | paste -sd, -)
core=$(python3 -c "import ctypes; l = ctypes.CDLL('libopenblas.so.0'); l.openblas_get_corename.restype = ctypes.c_char_p; print(l.openblas_get_corename().decode())" 2>/dev/null || echo unknown)
echo "processor: $(lscpu | sed -n 's/^Model name:[[:space:]]*//p'), $(nproc) cores, OpenBLAS kernel: $core (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset})"
run() {  # $1 = label, rest = extra flags
    local label=$1; shift
    /usr/bin/time -f "$label %U %S %e" -o "$work/t" "$bin" eval --dataset mvtec3d --data "$in/dataset" --model "$in/model" \
        --prompts demo-out/prompts.safetensors --classes "$classes" --out "$work/out-$label" --quiet "$@" >/dev/null 2>&1
    cat "$work/t"
}
for _ in $(seq "$rounds"); do run pictures; run plain --no-pictures; done | awk '
    { cpu[$1] += $2 + $3; wall[$1] += $4; n[$1]++ }
    END {
        printf "with pictures + report.html: %.2f CPU s, %.2f wall s per eval (%d runs)\n", cpu["pictures"]/n["pictures"], wall["pictures"]/n["pictures"], n["pictures"]
        printf "without pictures:            %.2f CPU s, %.2f wall s per eval\n", cpu["plain"]/n["plain"], wall["plain"]/n["plain"]
        printf "overhead: %.1f%% CPU, %.1f%% wall\n", 100*(cpu["pictures"]/cpu["plain"]-1), 100*(wall["pictures"]/wall["plain"]-1)
    }'
