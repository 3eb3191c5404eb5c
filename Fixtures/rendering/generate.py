# Writes expected.json: reference outputs of scipy.ndimage.gaussian_filter (the reference's map
# smoothing) and PIL's antialiased bicubic downscale (the reference's 1024->336 resize), on
# seeded random float32 inputs. Run: python3 generate.py  (needs numpy, scipy, pillow).
import json
import numpy as np
from scipy.ndimage import gaussian_filter
from PIL import Image

rng = np.random.default_rng(20241125)
out = {"versions": {"numpy": np.__version__, "scipy": __import__("scipy").__version__,
                    "pillow": Image.__version__}}

cases = []
for (h, w, sigma) in [(37, 29, 4.0), (5, 7, 2.0), (12, 9, 1.3)]:
    x = rng.random((h, w), dtype=np.float32)
    y = gaussian_filter(x, sigma=sigma)  # mode='reflect', truncate=4.0
    cases.append({"height": h, "width": w, "sigma": sigma,
                  "input": x.ravel().tolist(), "output": y.astype(np.float32).ravel().tolist()})
out["gaussian"] = cases

cases = []
for (side, factor) in [(30, 3), (16, 2), (12, 4)]:
    x = rng.random((side, side), dtype=np.float32)
    y = np.asarray(Image.fromarray(x, mode="F").resize((side // factor, side // factor), Image.BICUBIC))
    cases.append({"side": side, "factor": factor,
                  "input": x.ravel().tolist(), "output": y.astype(np.float32).ravel().tolist()})
out["bicubic"] = cases

with open("expected.json", "w") as f:
    json.dump(out, f)
