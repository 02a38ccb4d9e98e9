"""Self-describing checkpoints: weights + task description + architecture + training config + metrics.

    {"format": "foodcam-checkpoint", "version": 1,
     "task": TaskSpec.to_dict(), "arch": {"name": str, "kwargs": dict},
     "state_dict": ..., "config": dict (the train arguments), "metrics": dict (best validation),
     "epoch": int, "optimizer"/"scheduler"/"scaler": state for --resume, "history": list of epoch rows}
"""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import numpy as np
import torch

from foodcam.runtime.backends.onnx_meta import file_sha256  # noqa: F401  (re-exported: checkpoint hashes)
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import atomic_path
from foodcam.runtime.tasks import TaskSpec

FORMAT = "foodcam-checkpoint"
VERSION = 1


def plain(obj):
    """Numpy scalars and arrays (in metrics, histories) as Python numbers and lists, tensors untouched: what a
    checkpoint holds must load with torch.load(weights_only=True)."""
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(plain(v) for v in obj)
    if isinstance(obj, (np.generic, np.ndarray)):
        return obj.tolist()
    return obj


def save_checkpoint(path: str | Path, ckpt: dict) -> None:
    """Write atomically: a crash mid-save never leaves a truncated best.pt."""
    ckpt = plain({"format": FORMAT, "version": VERSION, **ckpt})
    with atomic_path(path) as tmp:
        torch.save(ckpt, tmp)


def read_checkpoint(path: str | Path) -> dict:
    """The raw checkpoint dict; a clear error for a missing file or a file that is not a foodcam checkpoint."""
    p = Path(path)
    if not p.is_file():
        raise FoodcamError(f"{p}: no such checkpoint")
    try:
        # weights_only: the unpickler builds tensors and plain containers only, so a file crafted to run code
        # (a __reduce__ calling os.system) is refused before anything in it executes
        ckpt = torch.load(p, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as e:
        found = re.search(r"(?:unsupported )?GLOBAL ([\w.]+)", str(e), re.IGNORECASE)
        what = f"it asks for {found.group(1)}" if found else "not plain weights"
        raise FoodcamError(f"{p}: refused: the file holds objects a checkpoint never contains, which could run "
                           f"code when loaded ({what}); nothing in it was run") from None
    except Exception as e:  # zip and torch errors all mean the same thing to a user
        raise FoodcamError(f"{p}: not a readable PyTorch checkpoint ({type(e).__name__})") from None
    if not isinstance(ckpt, dict) or ckpt.get("format") != FORMAT:
        raise FoodcamError(f"{p}: not a foodcam checkpoint (no task description; train it with `foodcam train`)")
    if ckpt.get("version") != VERSION:
        raise FoodcamError(f"{p}: checkpoint version {ckpt.get('version')} is not supported (expected {VERSION})")
    return ckpt


def check_structure(ckpt: dict, path: str | Path) -> tuple[TaskSpec, str, dict, dict]:
    """(task, arch name, arch kwargs, state_dict) of a read checkpoint, each checked; FoodcamError naming `path`."""
    missing = [k for k in ("task", "arch", "state_dict") if k not in ckpt]
    if missing:
        raise FoodcamError(f"{path}: checkpoint has no {', '.join(repr(k) for k in missing)} (a damaged or foreign file)")
    task = TaskSpec.from_dict(ckpt["task"], path)
    arch = ckpt["arch"]
    if not isinstance(arch, dict) or not isinstance(arch.get("name"), str):
        raise FoodcamError(f"{path}: checkpoint 'arch' is {_show(arch)}, expected {{'name': str, 'kwargs': {{...}}}}")
    kwargs = arch.get("kwargs") or {}
    plain = (int, float, str, bool, type(None))
    if not isinstance(kwargs, dict) or not all(isinstance(k, str) and isinstance(v, plain) for k, v in kwargs.items()):
        raise FoodcamError(f"{path}: checkpoint arch kwargs {_show(kwargs)}: expected names mapped to numbers/strings")
    sd = ckpt["state_dict"]
    if not isinstance(sd, dict) or not sd or not all(isinstance(k, str) and isinstance(v, torch.Tensor)
                                                     for k, v in sd.items()):
        raise FoodcamError(f"{path}: checkpoint 'state_dict' is not a non-empty mapping of names to tensors")
    return task, arch["name"], kwargs, sd


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_against(name: str, task: TaskSpec, kwargs: dict, sd: dict, path: str | Path) -> None:
    """Build the architecture on the meta device (no memory) and compare every tensor name and shape."""
    from foodcam.train.models import build_model

    try:
        with torch.device("meta"):
            shell = build_model(name, task, **kwargs)
    except FoodcamError as e:
        raise FoodcamError(f"{path}: {e}") from None
    except Exception as e:  # a builder given nonsense kwargs raises whatever it raises
        raise FoodcamError(f"{path}: arch {name!r} with kwargs {_show(kwargs)} cannot be built "
                           f"({type(e).__name__}: {' '.join(str(e).split())[:100]})") from None
    want = shell.state_dict()
    absent = [k for k in want if k not in sd]
    extra = [k for k in sd if k not in want]
    if absent or extra:
        what = f"missing {absent[:2]}" if absent else f"unexpected {extra[:2]}"
        raise FoodcamError(f"{path}: state_dict does not fit arch {name!r}: {len(absent)} missing, "
                           f"{len(extra)} unexpected tensors ({what})")
    for k, t in want.items():
        if tuple(sd[k].shape) != tuple(t.shape):
            raise FoodcamError(f"{path}: state_dict tensor {k!r} is {tuple(sd[k].shape)}, arch {name!r} "
                               f"needs {tuple(t.shape)}")


def check_finite(sd: dict, path: str | Path) -> None:
    """Corrupted weights (NaN / Inf) are refused instead of predicting garbage silently."""
    for k, t in sd.items():
        if t.is_floating_point() and not bool(torch.isfinite(t).all()):
            bad = int((~torch.isfinite(t)).sum())
            raise FoodcamError(f"{path}: corrupted weights: tensor {k!r} holds {bad} NaN/Inf value(s)")


def load_checkpoint(path: str | Path, device: str | torch.device = "cpu") -> tuple[torch.nn.Module, dict]:
    """(model in eval mode on `device`, checkpoint dict with `task` as a TaskSpec).

    The structure is checked before the model is built: keys, task description, arch name and kwargs,
    every tensor's name and shape (against the architecture built on the meta device) and finiteness."""
    from foodcam.train.models import build_model

    ckpt = read_checkpoint(path)
    task, name, kwargs, sd = check_structure(ckpt, path)
    _check_against(name, task, kwargs, sd, path)
    check_finite(sd, path)
    model = build_model(name, task, **kwargs)
    try:
        model.load_state_dict(sd)
    except RuntimeError as e:  # dtype surprises that the shape check cannot see
        raise FoodcamError(f"{path}: state_dict does not load ({' '.join(str(e).split())[:120]})") from None
    if ckpt.get("unsure_stats") is not None:
        vars(model)["unsure_stats"] = check_unsure_stats(ckpt["unsure_stats"], task, path)  # read by DeployWrapper
    model.to(device).eval()
    ckpt["task"] = task
    return model, ckpt


def check_unsure_stats(stats: object, task: TaskSpec, path: str | Path) -> dict:
    """{head: {"means": (M <= K, D), "whiten": (D, D)}} feature statistics (train/calibrate.py), checked."""
    if not isinstance(stats, dict):
        raise FoodcamError(f"{path}: checkpoint 'unsure_stats' is not a mapping of head names")
    classes = {h.name: h.num_classes for h in task.heads}
    for head, st in stats.items():
        ok = (head in classes and isinstance(st, dict)
              and all(isinstance(st.get(k), torch.Tensor) for k in ("means", "whiten")))
        if ok:
            m, w = st["means"], st["whiten"]
            ok = (m.ndim == 2 and 1 <= m.shape[0] <= classes[head] and w.shape == (m.shape[1], m.shape[1])
                  and bool(torch.isfinite(m).all()) and bool(torch.isfinite(w).all()))
        if not ok:
            raise FoodcamError(f"{path}: checkpoint 'unsure_stats' of head {head!r} is not finite class means "
                               "(at most K, D) and a whitening matrix (D, D) for a head of the task")
    return stats
