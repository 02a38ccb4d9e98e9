"""Kitchens seen by a camera placed differently from any training style: each training style with
the pan far off (rim half-width 0.15-0.27 of the frame's smaller side x 4/3; training draws 0.28-0.55) or seen
steeply from the side (rim ellipse ratio 0.35-0.5; training draws 0.5-0.98).

    python benchmarks/probes/kitchen_camera.py far OUT_DIR       # or: obl
    foodcam eval --weights foodcam/assets/kitchen.onnx --data OUT_DIR --split train

160 frames (100 in the train split) at 320x240, seed 70; the variants are added to the renderer's styles for this
process only.
"""

import dataclasses
import sys

from foodcam.scenes import styles as S
from foodcam.train.synth import write_kitchen_dataset

CHANGES = {"far": {"size": (0.15, 0.27)}, "obl": {"view_k": (0.35, 0.5)}}

if __name__ == "__main__":
    kind, out = sys.argv[1], sys.argv[2]
    if kind not in CHANGES:
        sys.exit(f"kitchen_camera.py: unknown variant {kind!r}: expected far or obl")
    names = []
    for n in S.TRAIN_STYLES:
        name = f"{kind}{n}"
        S.STYLES[name] = dataclasses.replace(S.STYLES[n], name=name, **CHANGES[kind])
        names.append(name)
    write_kitchen_dataset(out, 160, seed=70, styles=tuple(names), progress=False)
