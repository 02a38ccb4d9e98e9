"""A PyTorch checkpoint behind the runtime `Model` interface.

The network is wrapped in the same `DeployWrapper` the ONNX export traces, so a `.pt` is fed exactly
like its `.onnx`: uint8 NHWC BGR frames at the input size in, decoded outputs with the ONNX names out.
That makes `eval`, `predict` and `bench` measure a checkpoint the same way as a deployed artifact.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.model import INPUT_NAME, LOGITS_OUTPUT, MASK_OUTPUT, InputSpec, Model, deployment_outputs
from foodcam.train.checkpoint import load_checkpoint
from foodcam.train.models.deploy import DeployWrapper


def resolve_device(device: str | None = None) -> torch.device:
    """'cpu' | 'cuda' | 'cuda:N' | None (cuda when present, else cpu); a clear error for an absent GPU."""
    if device is None or str(device) == "":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(str(device))
    except RuntimeError:
        raise FoodcamError(f"device {device!r}: expected cpu, cuda or cuda:N") from None
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise FoodcamError(f"device {device!r}: no CUDA GPU is available to PyTorch (use --device cpu)")
    if dev.type not in ("cpu", "cuda"):
        raise FoodcamError(f"device {device!r}: expected cpu, cuda or cuda:N")
    return dev


class TorchModel(Model):
    """A foodcam `.pt` checkpoint, run in FP32 with `torch.inference_mode`."""

    def __init__(self, path: str | Path, device: str | None = None, logits: bool = False,
                 threads: int | None = None, spin: bool = True) -> None:
        """threads: torch's intra-op CPU threads (as ONNX Runtime's); spin: accepted for a uniform `run`, unused."""
        if threads is not None:
            if isinstance(threads, bool) or not isinstance(threads, int) or not 1 <= threads <= 1024:
                raise FoodcamError(f"threads={str(threads)[:24]}: expected a number of threads 1-1024")
            torch.set_num_threads(threads)
        self.device = resolve_device(device)
        net, ckpt = load_checkpoint(path, self.device)
        self.task = ckpt["task"]
        self.wrapper = DeployWrapper(net, self.task, logits=logits).to(self.device).eval()
        self.logits = bool(logits) and self.task.has_segmentation
        h, w = self.task.input_size
        self.input_spec = InputSpec(INPUT_NAME, (-1, int(h), int(w), 3), "uint8")
        self.path = str(path)
        self.backend = f"torch:{self.device}"
        self.meta = {
            "task": self.task.to_dict(),
            "precision": "fp32",
            "arch": ckpt.get("arch", {}),
            "epoch": ckpt.get("epoch"),
            "metrics": ckpt.get("metrics", {}),
            "config": ckpt.get("config", {}),
        }

    @property
    def output_names(self) -> list[str]:
        names = self.required_outputs
        return names + [LOGITS_OUTPUT] if self.logits else names

    def infer(self, images: np.ndarray) -> dict[str, np.ndarray]:
        h, w = self.input_spec.height, self.input_spec.width
        if images.dtype != np.uint8 or images.ndim != 4 or images.shape[1:] != (h, w, 3):
            raise FoodcamError(
                f"{self.path}: input must be uint8 (N, {h}, {w}, 3) BGR, got {images.dtype} {tuple(images.shape)}"
            )
        x = torch.from_numpy(np.ascontiguousarray(images)).to(self.device)
        with torch.inference_mode():
            out = self.wrapper(x)
        out = out if isinstance(out, tuple) else (out,)
        names = deployment_outputs(self.task, self.logits)
        return {n: (t.cpu().numpy() if n == MASK_OUTPUT else t.float().cpu().numpy()) for n, t in zip(names, out)}

    def close(self) -> None:
        self.wrapper = None  # type: ignore[assignment]
        if self.device.type == "cuda":
            torch.cuda.empty_cache()
