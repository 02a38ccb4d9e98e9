"""Score a kitchen checkpoint with flip test-time augmentation: the class probabilities of the frame, averaged with
those of the frame flipped left-right (and also upside down), flipped back. A diagnostic of the kitchen recipe
(benchmarks/results/kitchen_recipe/README.md, "Flip test-time augmentation"): does averaging away the model's own sub-pixel bias draw the stirrer's
outline closer to the truth?

    python benchmarks/probes/flip_tta.py foodcam/assets/kitchen.pt DATA val

Prints mIoU and per-class IoU (%) at the mask size of the deployment graph, for no flip, +left-right, +both.
"""
import argparse

import numpy as np
import torch

from foodcam.runtime.metrics import ConfusionMatrix
from foodcam.train.augment import resize_frame
from foodcam.train.data.kitchen import KitchenFolder
from foodcam.train.torch_model import TorchModel

p = argparse.ArgumentParser()
p.add_argument("weights")
p.add_argument("data")
p.add_argument("split", nargs="?", default="val")
a = p.parse_args()

model = TorchModel(a.weights, logits=True)
frames = KitchenFolder(a.data, a.split, require_masks=True)
names = model.task.seg_head.classes
size = model.task.input_size
scores = {k: ConfusionMatrix(len(names)) for k in ("none", "left-right", "left-right + up-down")}


def logits(img: np.ndarray) -> np.ndarray:
    return model.infer(np.ascontiguousarray(img)[None])["logits"][0]


for i in range(len(frames)):
    frame, mask = frames.load(i)
    x = resize_frame(frame, size)
    views = [logits(x), logits(x[:, ::-1])[:, :, ::-1], logits(x[::-1])[:, ::-1, :]]
    prob = torch.from_numpy(np.stack(views)).softmax(1).numpy()
    for k, n in zip(scores, (1, 2, 3)):
        scores[k].update(prob[:n].sum(0).argmax(0).astype(np.uint8), mask)
for k, cm in scores.items():
    m = cm.metrics(names)
    per_class = ", ".join(f"{n} {100 * m['per_class'][n]['iou']:.2f}" for n in names)
    print(f"flip {k}: mIoU {100 * m['miou']:.2f} ({per_class})")
