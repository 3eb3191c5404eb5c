#!/usr/bin/env python3
"""Times transformers' CLIPVisionModel (PyTorch, fp32) on a pointad model folder, for the
side-by-side comparison in Scripts/bench-vs-pytorch.sh. Prints one JSON line like
`pointad-bench vision`: median wall seconds of one batch and CPU seconds per run.

Optional: needs torch and transformers; pointad itself never runs Python."""
import argparse
import json
import resource
import statistics
import time

import torch
from transformers import CLIPVisionModel


def cpu_seconds():
    u = resource.getrusage(resource.RUSAGE_SELF)
    return u.ru_utime + u.ru_stime


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--model", required=True, help="Hugging Face CLIP folder (config.json, model.safetensors)")
    p.add_argument("--images", type=int, default=9)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    model = CLIPVisionModel.from_pretrained(a.model, torch_dtype=torch.float32, attn_implementation="sdpa").eval()
    side = model.config.image_size
    generator = torch.Generator().manual_seed(5)
    pixels = torch.rand(a.images, 3, side, side, generator=generator) - 0.5

    times = []
    cpu0 = cpu_seconds()
    with torch.inference_mode():
        model(pixel_values=pixels)  # untimed, as pointad-bench's warm-up run
        for _ in range(a.runs):
            t0 = time.perf_counter()
            model(pixel_values=pixels)
            times.append(time.perf_counter() - t0)
    cpu = (cpu_seconds() - cpu0) / (a.runs + 1)
    print(json.dumps({"tool": "pytorch", "torch": torch.__version__, "images": a.images, "threads": a.threads,
                      "seconds": round(statistics.median(times), 4), "cpu_seconds": round(cpu, 4)}))


if __name__ == "__main__":
    main()
