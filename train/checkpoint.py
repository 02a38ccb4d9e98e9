"""Self-describing checkpoints: weights + task description + architecture + training config + metrics.

    {"format": "foodcam-checkpoint", "version": 1,
     "task": TaskSpec.to_dict(), "arch": {"name": str, "kwargs": dict},
     "state_dict": ..., "config": dict (the train arguments), "metrics": dict (best validation),
     "epoch": int, "optimizer"/"scheduler"/"scaler": state for --resume, "history": list of epoch rows}
"""

from __future__ import annotations

from pathlib import Path

import torch
from foodcam.runtime.backends.onnx_meta import file_sha256  # noqa: F401  (re-exported: checkpoint hashes)
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import atomic_path
from foodcam.runtime.tasks import TaskSpec

FORMAT = "foodcam-checkpoint"
VERSION = 1


def save_checkpoint(path: str | Path, ckpt: dict) -> None:
    """Write atomically: a crash mid-save never leaves a truncated best.pt."""
    ckpt = {"format": FORMAT, "version": VERSION, **ckpt}
    with atomic_path(path) as tmp:
        torch.save(ckpt, tmp)


def read_checkpoint(path: str | Path) -> dict:
    """The raw checkpoint dict; a clear error for a missing file or a file that is not a foodcam checkpoint."""
    p = Path(path)
    if not p.is_file():
        raise FoodcamError(f"{p}: no such checkpoint")
    try:
        ckpt = torch.load(p, map_location="cpu", weights_only=False)
    except Exception as e:  # pickle, zip and torch errors all mean the same thing to a user
        raise FoodcamError(f"{p}: not a readable PyTorch checkpoint ({type(e).__name__})") from None
    if not isinstance(ckpt, dict) or ckpt.get("format") != FORMAT:
        raise FoodcamError(f"{p}: not a foodcam checkpoint (no task description; train it with `foodcam train`)")
    if ckpt.get("version") != VERSION:
        raise FoodcamError(f"{p}: checkpoint version {ckpt.get('version')} is not supported (expected {VERSION})")
    return ckpt


def load_checkpoint(path: str | Path, device: str | torch.device = "cpu") -> tuple[torch.nn.Module, dict]:
    """(model in eval mode on `device`, checkpoint dict with `task` as a TaskSpec)."""
    from foodcam.train.models import build_model

    ckpt = read_checkpoint(path)
    task = TaskSpec.from_dict(ckpt["task"])
    model = build_model(ckpt["arch"]["name"], task, **ckpt["arch"].get("kwargs", {}))
    model.load_state_dict(ckpt["state_dict"])
    model.to(device).eval()
    ckpt["task"] = task
    return model, ckpt

