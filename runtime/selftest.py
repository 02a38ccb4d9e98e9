"""One frame through a freshly opened model: outputs that are NaN/Inf or disagree with the task are refused.

Corrupted weights used to load and predict garbage silently, and a task whose class count differed from
the model's output width was accepted. `self_test(model)` runs one fixed frame at the input size and checks
every output the task needs: float outputs finite; a classifier head's width equal to its class count and
its probabilities in 0..1; a segmentation mask within the class range, its logits one channel per class.
"""

from __future__ import annotations

import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.model import LOGITS_OUTPUT, MASK_OUTPUT, Model

TOLERANCE = 1e-3


def probe_frame(height: int, width: int) -> np.ndarray:
    """A fixed (1, H, W, 3) uint8 frame: smooth gradients plus seeded noise, like a camera, not all one value."""
    yy, xx = np.mgrid[0:height, 0:width]
    base = np.stack([xx * 255 // max(1, width - 1), yy * 255 // max(1, height - 1), (xx + yy) % 256], -1)
    noise = np.random.default_rng(0).integers(-20, 21, base.shape)
    return np.clip(base + noise, 0, 255).astype(np.uint8)[None]


MAX_INPUT_SIDE = 16384  # a model's declared input height/width
MAX_INPUT_PIXELS = 64_000_000  # batch x height x width of one call


def self_test(model: Model) -> dict[str, np.ndarray]:
    """Run the test frame; FoodcamError naming the model file on the first bad output. Returns the outputs."""
    where = model.path
    h, w = model.input_spec.height, model.input_spec.width
    fixed = model.input_spec.shape[0]
    batch = int(fixed) if isinstance(fixed, (int, np.integer)) and fixed > 1 else 1
    if not (0 < h <= MAX_INPUT_SIDE and 0 < w <= MAX_INPUT_SIDE) or batch * h * w > MAX_INPUT_PIXELS:
        raise FoodcamError(f"{where}: input {batch}x{h}x{w}x3 is out of range (expected sides 1-{MAX_INPUT_SIDE} "
                           f"and at most {MAX_INPUT_PIXELS // 1_000_000} MP per call); refusing to run it")
    frame = probe_frame(h, w)
    if isinstance(fixed, (int, np.integer)) and fixed > 1:  # a fixed-batch export takes exactly that many
        frame = np.repeat(frame, int(fixed), axis=0)
    try:
        outs = model.infer(frame)
    except FoodcamError as e:
        raise FoodcamError(f"self-test at open failed: {e}") from None
    for name, arr in outs.items():
        arr = np.asarray(arr)
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            bad = int((~np.isfinite(arr)).sum())
            raise FoodcamError(f"{where}: self-test: output {name!r} holds {bad} NaN/Inf value(s) on a test frame "
                               "(corrupted weights?); refusing to run it")
    for head in model.task.heads:
        if head.kind == "segmentation":
            _check_seg(where, head, outs)
        else:
            _check_cls(where, head, outs)
    return outs


def _check_seg(where: str, head, outs: dict) -> None:
    mask = np.asarray(outs.get(MASK_OUTPUT))
    if mask.ndim != 3:
        raise FoodcamError(f"{where}: self-test: mask output is {mask.shape}, expected (N, H, W)")
    top = int(mask.max()) if mask.size else 0
    if top >= head.num_classes:
        raise FoodcamError(f"{where}: self-test: the mask holds class {top} but the task's head {head.name!r} has "
                           f"{head.num_classes} classes: the task description disagrees with the model")
    logits = outs.get(LOGITS_OUTPUT)
    if logits is not None and (np.ndim(logits) != 4 or np.shape(logits)[1] != head.num_classes):
        raise FoodcamError(f"{where}: self-test: logits are {np.shape(logits)}, expected (N, {head.num_classes}, H, W) "
                           f"for head {head.name!r}'s {head.num_classes} classes")


def _check_cls(where: str, head, outs: dict) -> None:
    p = np.asarray(outs.get(head.name))
    if p.ndim != 2 or p.shape[1] != head.num_classes:
        raise FoodcamError(f"{where}: self-test: output {head.name!r} is {p.shape}, but the task gives head "
                           f"{head.name!r} {head.num_classes} classes: the task description disagrees with the model")
    if p.size and (p.min() < -TOLERANCE or p.max() > 1 + TOLERANCE):
        raise FoodcamError(f"{where}: self-test: output {head.name!r} is not probabilities "
                           f"(range {p.min():.3g}..{p.max():.3g})")
