#!/usr/bin/env bash
# pointad's vision tower against PyTorch (transformers' CLIPVisionModel, fp32) on the same
# random-weight ViT-L/14@336 folder and nine views, same thread count, alternating the two in
# one run so both see the same machine load. Prints each pair and the median ratio
# pointad / PyTorch (< 1: pointad faster). Optional: skips when torch/transformers are absent.
#   Scripts/bench-vs-pytorch.sh [rounds=3] [threads=all cores] [model folder=.build/bench-vit-l-14-336]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
threads=${2:-$(nproc)}
model=${3:-.build/bench-vit-l-14-336}
if ! python3 -c "import torch, transformers" 2>/dev/null; then
  echo "skipped: python3 with torch and transformers is not available (pip install torch transformers)"
  exit 0
fi
swift build -c release --product pointad >/dev/null
swift build -c release --product pointad-bench >/dev/null
if [ ! -f "$model/model.safetensors" ]; then
  .build/release/pointad init-model --preset vit-l-14-336 --random --out "$model" >/dev/null
fi
echo "processor: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, flags: $(grep -o -w 'avx512f\|avx2' /proc/cpuinfo | sort -u | tr '\n' ' ')(OpenBLAS core: see openblas_core below)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
ratios=()
for r in $(seq 1 "$rounds"); do
  torch_json=$(python3 Scripts/bench-pytorch-vision.py --model "$model" --images 9 --runs 2 --threads "$threads")
  pointad_json=$(.build/release/pointad-bench vision --model "$model" --images 9 --runs 2 --threads "$threads")
  t=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['seconds'])" "$torch_json")
  p=$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['seconds'])" "$pointad_json")
  ratio=$(python3 -c "print(f'{$p/$t:.3f}')")
  ratios+=("$ratio")
  echo "round $r: PyTorch $torch_json"
  echo "round $r: pointad $pointad_json"
  echo "round $r: pointad / PyTorch = $ratio (nine views, plain tower, wall time)"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "median pointad / PyTorch time: $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
