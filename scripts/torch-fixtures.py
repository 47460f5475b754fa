#!/usr/bin/env python3
"""Regenerates every PyTorch reference fixture: runs scripts/fixtures/*.py in turn.

Needs PyTorch (Debian: apt-get install -y python3-torch; run with /usr/bin/python3).
The JSON files it writes are committed, so tests and CI never need PyTorch.
"""
import pathlib
import runpy
import sys

import torch

here = pathlib.Path(__file__).resolve().parent
# The fixture scripts import their shared helpers as `_common`.
sys.path.append(str(here / "fixtures"))
only = set(sys.argv[1:])
for script in sorted((here / "fixtures").glob("*.py")):
    if script.name.startswith("_") or (only and script.stem not in only):
        continue
    print(f"== {script.stem}")
    # Some scripts set float64 as the default dtype; each starts from PyTorch's default, as when run alone.
    torch.set_default_dtype(torch.float32)
    runpy.run_path(str(script), run_name="__main__")
