"""Open the artifact of a row the way a user's code would: a checkpoint through PyTorch, an ONNX file through
ONNX Runtime on the asked device, an engine (or an ONNX built into one) through native TensorRT."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from foodcam.runtime.errors import FoodcamError


class NotApplicable(Exception):
    """The row asks for something this artifact cannot do (another input size, a batch it was not built for)."""


def open_row(row: dict, threads: int | None = None, spin: bool = True):
    """A runtime `Model` for `row`, with the row's input size applied where the artifact allows it.
    spin=False opens ONNX Runtime as `foodcam run` does (idle workers sleep), for camera-loop rows."""
    fmt, backend, path = row["format"], row["backend"], row["model"]
    if fmt == "pytorch":
        import torch

        if threads:
            torch.set_num_threads(int(threads))
        from foodcam.runtime.open import open_model

        model = open_model(path, device="cuda" if backend == "cuda" else "cpu")
    else:
        from foodcam.runtime.open import open_model

        opts: dict = {}
        if backend in ("cpu", "cuda"):
            opts = {"backend": backend, "threads": threads} if threads else {"backend": backend}
            if not spin:
                opts["spin"] = False
        elif backend == "tensorrt":
            opts = {"backend": "tensorrt"}
        elif backend == "triton":  # a served model: the server picks its device; the URL carries the options
            opts = {}
        else:
            raise FoodcamError(f"{path}: backend {backend!r} does not run a {fmt} artifact")
        model = open_model(path, **opts)
    try:
        apply_shape(model, row)
    except BaseException:
        model.close()
        raise
    return model


def apply_shape(model, row: dict) -> None:
    """Set the row's input size and check its batch; NotApplicable when the artifact is fixed otherwise."""
    spec = model.input_spec
    size = row.get("imgsz")
    if size and tuple(size) != (spec.height, spec.width):
        if row["format"] != "pytorch":
            raise NotApplicable(f"input fixed at {spec.height}x{spec.width} (export with --imgsz {size[0]} {size[1]})")
        model.input_spec = replace(spec, shape=(spec.shape[0], int(size[0]), int(size[1]), 3))
    row["imgsz"] = [model.input_spec.height, model.input_spec.width]
    batch = int(row.get("batch") or 1)
    fixed = spec.shape[0]
    if isinstance(fixed, (int, np.integer)) and fixed > 0 and batch != int(fixed):
        raise NotApplicable(f"fixed batch of {int(fixed)} (export with --dynamic-batch)")
    max_batch = getattr(model, "max_batch", None)
    if max_batch is not None and batch > int(max_batch) and row["format"] != "triton":  # the client splits batches
        raise NotApplicable(f"batch {batch} exceeds the engine's maximum of {max_batch}")


def bench_frames(model, batch: int, seed: int = 0) -> np.ndarray:
    """A fixed batch of camera-like frames at the model's input size (uint8 NHWC BGR)."""
    h, w = model.input_spec.height, model.input_spec.width
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 256, (1, h, w, 3), dtype=np.uint8)
    frames = np.repeat(base, batch, axis=0)
    if batch > 1:  # different frames in a batch, same content for every batch size
        frames[1:] = rng.integers(0, 256, frames[1:].shape, dtype=np.uint8)
    return np.ascontiguousarray(frames)
