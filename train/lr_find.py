"""Two helpers of `foodcam train`: the learning-rate finder (`--lr find`) and `--init-from CKPT`.

LR finder (as in the fastai/recognition-seed recipe): train from the initial weights for a short
exponential sweep of the rate (1e-6 -> 1), record the smoothed loss, stop when it explodes, and suggest
the rate where the loss falls fastest (steepest negative slope against log(rate)), capped at a tenth of
the rate with the lowest loss. The weights, BatchNorm statistics and optimizer state are restored
afterwards; the run then trains at the suggested rate. OUT/lr_find.png plots loss against rate.
"""

from __future__ import annotations

import copy
import logging
import math
from pathlib import Path

import numpy as np
import torch
from torch import nn

from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.train")

START_LR, END_LR = 1e-6, 1.0
STEPS = 60
SMOOTH = 0.9  # exponential smoothing of the loss curve
DIVERGE = 4.0  # stop once the smoothed loss exceeds this multiple of its minimum


def sweep(model: nn.Module, criterion: nn.Module, loader, device: torch.device, weight_decay: float,
          to_input, to_device, steps: int = STEPS) -> tuple[list[float], list[float]]:
    """(rates, smoothed losses) of an exponential sweep; `model` is left as it was."""
    state = copy.deepcopy(model.state_dict())
    opt = torch.optim.AdamW(model.parameters(), lr=START_LR, weight_decay=weight_decay)
    gamma = (END_LR / START_LR) ** (1.0 / max(1, steps - 1))
    rates, losses = [], []
    avg, best = 0.0, math.inf
    model.train()
    batches = iter(loader)
    try:
        for step in range(steps):
            try:
                images, targets = next(batches)
            except StopIteration:
                batches = iter(loader)
                images, targets = next(batches)
            lr = START_LR * gamma**step
            for g in opt.param_groups:
                g["lr"] = lr
            loss = criterion(model(to_input(images, device)), to_device(targets, device))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            value = float(loss.detach())
            if not math.isfinite(value):
                break
            avg = SMOOTH * avg + (1 - SMOOTH) * value
            smoothed = avg / (1 - SMOOTH ** (step + 1))
            rates.append(lr)
            losses.append(smoothed)
            best = min(best, smoothed)
            if smoothed > DIVERGE * best and step > 5:
                break
    finally:
        model.load_state_dict(state)
    return rates, losses


def suggest(rates: list[float], losses: list[float]) -> float:
    """The rate of steepest descent of the smoothed loss (vs log rate), at most a tenth of the loss minimum's."""
    if len(rates) < 5:
        raise FoodcamError(f"--lr find: the loss diverged after {len(rates)} steps; give a rate with --lr")
    lr, loss = np.log10(rates), np.asarray(losses)
    i_min = int(np.argmin(loss))
    grad = np.gradient(loss, lr)
    i = int(np.argmin(grad[: max(2, i_min)]))  # steepest fall before the minimum
    return float(min(rates[i], rates[i_min] / 10 if i_min > 0 else rates[i]))


def plot(rates: list[float], losses: list[float], chosen: float, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from foodcam.runtime.imageio import atomic_path

    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(rates, losses)
    ax.axvline(chosen, color="red", linestyle="--", label=f"suggested {chosen:.2e}")
    ax.set_xscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("training loss (smoothed)")
    ax.set_title("learning-rate finder")
    ax.legend()
    fig.tight_layout()
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", dpi=100)
    plt.close(fig)


def lr_find(model: nn.Module, criterion: nn.Module, loader, device: torch.device, weight_decay: float, out: Path,
            main: bool, to_input, to_device, steps: int = STEPS) -> float:
    """Sweep, plot OUT/lr_find.png, print and return the suggested rate."""
    rates, losses = sweep(model, criterion, loader, device, weight_decay, to_input, to_device, steps)
    chosen = suggest(rates, losses)
    if main:
        out.mkdir(parents=True, exist_ok=True)
        plot(rates, losses, chosen, out / "lr_find.png")
        print(f"--lr find: {len(rates)} steps from {rates[0]:.1e} to {rates[-1]:.1e}; suggested rate {chosen:.2e} "
              f"(steepest loss descent); training with it; curve in {out / 'lr_find.png'}", flush=True)
    return chosen


def init_from_checkpoint(model: nn.Module, path: str | Path) -> int:
    """Copy the encoder ("backbone.*" tensors) of a foodcam checkpoint into `model.backbone`; the number copied."""
    from foodcam.train.checkpoint import read_checkpoint

    ckpt = read_checkpoint(path)
    target = getattr(model, "backbone", None)
    if not isinstance(target, nn.Module):
        raise FoodcamError(f"--init-from {path}: this model has no encoder (backbone) to initialise")
    source = {k.split("backbone.", 1)[1]: v for k, v in ckpt["state_dict"].items() if "backbone." in k}
    own = target.state_dict()
    update = {k: v for k, v in source.items() if k in own and own[k].shape == v.shape}
    if not update:
        arch = ckpt.get("arch", {}).get("name")
        raise FoodcamError(f"--init-from {path}: none of its encoder tensors fit this model's encoder "
                           f"(checkpoint model {arch!r})")
    target.load_state_dict(update, strict=False)
    print(f"--init-from {Path(path).name}: encoder initialised with {len(update)}/{len(own)} tensors "
          f"(checkpoint model {ckpt.get('arch', {}).get('name')!r}, task {ckpt.get('task', {}).get('name')!r})",
          flush=True)
    return len(update)
