#!/usr/bin/env python3
"""Convert a PointAD authors' prompt checkpoint (epoch_N.pth) into a pointad prompts file.

Their checkpoint is a PyTorch pickle {"prompt_learner": state_dict}; pointad reads safetensors.
Only the learnable tensors are kept (ctx_pos, ctx_neg, compound_prompts_text.j); the unused
compound_prompt_projections and the token buffers are dropped. Needs torch and safetensors:

    pip install torch safetensors
    Scripts/convert-authors-prompts.py exps_mvtec3d/cookie/epoch_15.pth cookie.safetensors
    pointad score scan.tiff --model clip-vit-large-patch14-336 --prompts cookie.safetensors
"""
import re
import sys

import torch
from safetensors.torch import save_file


def main(source: str, target: str) -> None:
    checkpoint = torch.load(source, map_location="cpu", weights_only=False)
    state = checkpoint.get("prompt_learner", checkpoint)
    keep = re.compile(r"^(ctx_pos|ctx_neg|compound_prompts_text\.\d+)$")
    tensors = {name: tensor.detach().float().contiguous() for name, tensor in state.items() if keep.match(name)}
    missing = {"ctx_pos", "ctx_neg"} - tensors.keys()
    if missing:
        sys.exit(f"{source}: no {', '.join(sorted(missing))} in the checkpoint (keys: {', '.join(sorted(state))})")
    save_file(tensors, target, metadata={"format": "pointad-prompts", "converted_from": source})
    shapes = ", ".join(f"{name} {list(t.shape)}" for name, t in sorted(tensors.items()))
    print(f"{target}: {shapes}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: convert-authors-prompts.py EPOCH.pth OUT.safetensors")
    main(sys.argv[1], sys.argv[2])
