"""Model registry: `build_model(name, task, **kwargs)` for every architecture foodcam trains.

Each module in this package registers its builders with `@register_model(name, kind)`; the package
imports all of its modules once, so a new family (say `train/models/classify.py` with models that
return `{head_name: logits}`) only has to exist to be found. A builder receives the `TaskSpec` and
its own keyword arguments and returns an `nn.Module`:

  segmentation:   float NCHW normalised RGB -> logits (N, C, H, W) at input resolution (a plain tensor)
  classification: float NCHW normalised RGB -> {head_name: logits (N, K)}

A model may expose a `backbone` attribute (an `nn.Module`): `init=PATH` loads a local state dict into it.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec

log = logging.getLogger("foodcam.models")

# "multitask": a builder that adapts to whatever heads the task has (serves any task kind)
KINDS = ("segmentation", "classification", "multitask")
# prefixes that wrap the same tensors in common checkpoints (DDP, wrappers, torchvision backbones)
STRIP_PREFIXES = ("module.", "_orig_mod.", "model.", "net.", "backbone.", "encoder.", "body.", "features.")


@dataclass(frozen=True)
class ModelEntry:
    name: str
    kind: str  # "segmentation" | "classification": the TaskSpec.kind it serves; "multitask": any
    builder: Callable[..., nn.Module]
    description: str = ""

    def accepts(self) -> set[str]:
        """Keyword arguments the builder takes (besides the task)."""
        params = inspect.signature(self.builder).parameters
        return {n for n, p in params.items() if p.kind == p.KEYWORD_ONLY}


MODELS: dict[str, ModelEntry] = {}


def register_model(name: str, kind: str, description: str = "") -> Callable:
    """Decorator: `@register_model("unet", "segmentation")` on `def build(task, *, width=32) -> nn.Module`."""
    if kind not in KINDS:
        raise ValueError(f"model {name!r}: kind must be one of {KINDS}, got {kind!r}")

    def deco(fn: Callable[..., nn.Module]) -> Callable[..., nn.Module]:
        if name in MODELS and MODELS[name].builder is not fn:
            raise ValueError(f"model {name!r} is registered twice")
        MODELS[name] = ModelEntry(name, kind, fn, description or (fn.__doc__ or "").strip().split("\n")[0])
        return fn

    return deco


def model_names(kind: str | None = None) -> list[str]:
    return sorted(n for n, e in MODELS.items() if kind is None or e.kind in (kind, "multitask"))


def get_entry(name: str, task: TaskSpec | None = None) -> ModelEntry:
    """The registry entry; a clear error for an unknown name or a model of the wrong kind for `task`."""
    kind = task.kind if task is not None else None
    entry = MODELS.get(name)
    if entry is None:
        raise FoodcamError(f"unknown model {name!r}; known {kind + ' ' if kind else ''}models: {', '.join(model_names(kind))}")
    if kind is not None and entry.kind not in (kind, "multitask"):
        raise FoodcamError(
            f"model {name!r} is a {entry.kind} model but task {task.name!r} needs a {kind} model: "
            f"{', '.join(model_names(kind)) or 'none registered'}"
        )
    return entry


def model_kwargs(name: str, **candidates) -> dict:
    """The subset of `candidates` (e.g. every train argument) that model `name`'s builder accepts."""
    accepted = get_entry(name).accepts()
    return {k: v for k, v in candidates.items() if k in accepted}


def build_model(name: str, task: TaskSpec, *, init: str | Path | None = None, pretrained: bool = False,
                **kwargs) -> nn.Module:
    """Build model `name` for `task`; `init` loads a local backbone state dict, `pretrained` the backbone's
    ImageNet weights through torchvision's weights API (its cache; downloaded only when absent)."""
    entry = get_entry(name, task)
    unknown = set(kwargs) - entry.accepts()
    if unknown:
        raise FoodcamError(f"model {name!r} takes no option(s) {sorted(unknown)}; it takes {sorted(entry.accepts())}")
    if init and pretrained:
        raise FoodcamError("--init and --pretrained both set the backbone's weights: choose one")
    model = entry.builder(task, **kwargs)
    if init:
        load_backbone(model, init)
    elif pretrained:
        from foodcam.train.models.pretrained import pretrained_state_dict

        sd, weights = pretrained_state_dict(name)
        copy_into_backbone(model, sd, f"--pretrained {weights}")
    return model


def _strip(key: str) -> str:
    changed = True
    while changed:
        changed = False
        for p in STRIP_PREFIXES:
            if key.startswith(p):
                key, changed = key[len(p):], True
    return key


def _unwrap(obj, path: Path) -> dict[str, torch.Tensor]:
    """A state dict, possibly nested under "state_dict" / "model" / "backbone" as many trainers save it."""
    for _ in range(3):
        if isinstance(obj, dict) and not any(isinstance(v, torch.Tensor) for v in obj.values()):
            inner = next((obj[k] for k in ("state_dict", "model", "backbone", "weights") if isinstance(obj.get(k), dict)), None)
            if inner is None:
                break
            obj = inner
    if not isinstance(obj, dict):
        raise FoodcamError(f"{path}: expected a state dict (name -> tensor), got {type(obj).__name__}")
    return {k: v for k, v in obj.items() if isinstance(k, str) and isinstance(v, torch.Tensor)}


def load_backbone(model: nn.Module, path: str | Path) -> tuple[int, int]:
    """Copy tensors of a local state dict into `model.backbone` (or the whole model when it has none).

    Keys match after stripping common prefixes ("module.", "backbone.", "features.", ...) on both sides,
    so a torchvision classifier's state dict initialises the backbone of its segmentation model.
    Returns (tensors loaded, tensors in the backbone); a FoodcamError when the file is missing,
    unreadable or nothing matches.
    """
    p = Path(path)
    if not p.is_file():
        raise FoodcamError(f"--init {p}: no such file (a local backbone state dict; nothing is downloaded)")
    try:
        raw = torch.load(p, map_location="cpu", weights_only=True)
    except Exception as e:  # pickle/zip errors and non-weights content mean the same to a user
        raise FoodcamError(f"--init {p}: not a weights-only PyTorch state dict ({type(e).__name__})") from None
    return copy_into_backbone(model, _unwrap(raw, p), f"--init {p.name}", where=f"--init {p}")


def copy_into_backbone(model: nn.Module, tensors: dict[str, torch.Tensor], label: str,
                       where: str | None = None) -> tuple[int, int]:
    """Copy the tensors whose names match (after stripping common prefixes) into `model.backbone` (or the whole
    model when it has none); (tensors loaded, tensors in the backbone), a FoodcamError when nothing matches."""
    where = where or label
    source: dict[str, torch.Tensor] = {}
    for k, v in tensors.items():
        source.setdefault(_strip(k), v)
    target_module = getattr(model, "backbone", None)
    if not isinstance(target_module, nn.Module):
        target_module = model
    target = target_module.state_dict()
    update, mismatched = {}, []
    for k, v in target.items():
        s = source.get(_strip(k))
        if s is None:
            continue
        if s.shape != v.shape:
            mismatched.append(k)
            continue
        update[k] = s.to(v.dtype)
    if not update:
        raise FoodcamError(
            f"{where}: none of its {len(source)} tensors match the {type(target_module).__name__} backbone "
            f"({len(target)} tensors{', some names match but shapes differ' if mismatched else ''})"
        )
    target_module.load_state_dict(update, strict=False)
    msg = f"{label}: loaded {len(update)}/{len(target)} backbone tensors"
    if mismatched:
        msg += f" ({len(mismatched)} skipped: shape differs, e.g. {mismatched[0]})"
    log.info(msg)
    return len(update), len(target)


def _discover() -> None:
    for info in pkgutil.iter_modules(__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}")


_discover()
