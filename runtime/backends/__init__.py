"""Backends behind `runtime.open_model`: ONNX Runtime (onnxrt) and native TensorRT (tensorrt).

Each backend module imports its library lazily, so `import runtime.backends.<x>` works on a machine
without that library; the error comes when a model is opened. Shared here: the input checks every
backend makes, so a wrong batch gets the same message whatever runs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from foodcam.runtime.errors import FoodcamError

# InputSpec is only a type here: importing runtime.model pulls in OpenCV, and backends/cuda_compat.py (the
# doctor's cuda-python check) must load on a box without it
if TYPE_CHECKING:
    from foodcam.runtime.model import InputSpec

ONNXRUNTIME_NAMES = ("onnxruntime", "ort", "cpu", "cuda")  # "cpu"/"cuda": ONNX Runtime on that device
TENSORRT_NAMES = ("tensorrt", "trt")


def is_dynamic(dim: object) -> bool:
    """A symbolic or unknown dimension (ONNX Runtime: str or None; TensorRT: -1)."""
    return not isinstance(dim, (int, np.integer)) or int(dim) < 0


def check_input_layout(shape: tuple, dtype: str, where: str) -> None:
    """The model input must be uint8 (N, H, W, 3): the camera frame, BGR, at the input size."""
    if dtype != "uint8" or len(shape) != 4 or is_dynamic(shape[3]) or int(shape[3]) != 3:
        raise FoodcamError(
            f"{where}: model input is {dtype} {tuple(shape)}, expected uint8 (N, H, W, 3) BGR frames; "
            "export it with `foodcam export`"
        )


def check_batch(images: object, spec: InputSpec, where: str, max_batch: int | None = None) -> np.ndarray:
    """Validate a batch for `infer`; return it C-contiguous. Errors name the model file."""
    h, w = spec.height, spec.width
    expected = f"uint8 (N, {h}, {w}, 3) BGR at the model's input size"
    if not isinstance(images, np.ndarray):
        raise FoodcamError(f"{where}: input must be a numpy array, {expected}; got {type(images).__name__}")
    if images.dtype != np.uint8:
        raise FoodcamError(f"{where}: input dtype is {images.dtype}, expected {expected}")
    if images.ndim == 3 and images.shape == (h, w, 3):
        raise FoodcamError(f"{where}: input is one frame {images.shape}; add the batch axis (frame[None]) or use predict()")
    if images.ndim != 4 or images.shape[1:] != (h, w, 3):
        raise FoodcamError(f"{where}: input shape is {tuple(images.shape)}, expected {expected} (use predict() to resize)")
    n = images.shape[0]
    fixed = spec.shape[0]
    if not is_dynamic(fixed) and n != int(fixed):
        raise FoodcamError(f"{where}: batch of {n}, but this model takes exactly {int(fixed)} (export with --dynamic-batch)")
    if n < 1:
        raise FoodcamError(f"{where}: empty batch")
    if max_batch is not None and n > max_batch:
        raise FoodcamError(f"{where}: batch of {n} exceeds the engine's maximum of {max_batch}")
    return np.ascontiguousarray(images)
