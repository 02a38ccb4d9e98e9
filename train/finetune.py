"""`foodcam train TASK --from CKPT`: fine-tune a trained checkpoint on new data (a user's own kitchen).

What carries over from CKPT: its weights, its task description (classes, colours, normalisation, input size)
and its architecture with the exact kwargs it was built with. What changes is the schedule: unless given,
--epochs is FINETUNE_EPOCHS[task] and --lr is FINETUNE_LR_FACTOR[task] x the checkpoint's own learning rate (warm-up and
cosine decay as in any run), and a kitchen fine-tune replays FINETUNE_REPLAY synthetic frames of the training
styles each epoch beside the user's own (repeated to at least half the epoch). `--freeze-encoder` keeps the
model's backbone fixed (weights and BatchNorm statistics): only the decoder/head learns.

Options left unset on the command line are None; `resolve_defaults` fills them from scratch or fine-tune
defaults, so an explicit `--epochs 30` is always honoured.
"""

from __future__ import annotations

import logging
import types
from pathlib import Path

from torch import nn

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import TaskSpec
from foodcam.train.configs import TrainOptions

log = logging.getLogger("foodcam.train")

SCRATCH_DEFAULTS = {"imgsz": 256, "epochs": 30, "lr": 2e-3}  # --model: the engine's default model
# chosen on frames of the new place held back from training (docs/studies/blind-sets.md, "Adaptation"): a freshness
# fine-tune on 20 photos per label gained 2-5 points of mean accuracy from 30 epochs at the base's own learning rate
# over 12 at 0.2x; a kitchen fine-tune gained 1.7 mIoU from the same, for 2.3x the time, and keeps the shorter schedule
FINETUNE_EPOCHS = {"kitchen": 12, "freshness": 30}
FINETUNE_LR_FACTOR = {"kitchen": 0.2, "freshness": 1.0}


def finetune_epochs(task: str) -> int:
    """The fine-tune's default epochs for `task` (the kitchen's for a task without its own)."""
    return FINETUNE_EPOCHS.get(task, FINETUNE_EPOCHS["kitchen"])
# synthetic frames mixed into each fine-tune epoch (kitchen): on the held-out closeup style, 20 labelled frames
# fine-tuned alone scored below the base model on other frames of that style; with 64 replayed frames, above it
FINETUNE_REPLAY = {"kitchen": 64}


def resolve_defaults(args: TrainOptions) -> dict | None:
    """Fill unset --imgsz/--epochs/--lr (and --model with --from) from scratch or fine-tune defaults. Returns the
    checkpoint dict (task as a TaskSpec) when fine-tuning, else None."""
    src = getattr(args, "from_ckpt", None)
    replay = getattr(args, "replay", None)
    if replay and args.task not in FINETUNE_REPLAY:
        raise FoodcamError(f"--replay: only {', '.join(FINETUNE_REPLAY)} training renders frames to replay")
    if getattr(args, "cache", None) is not None and args.task != "kitchen":
        raise FoodcamError(f"--cache: only kitchen training caches its frames ({args.task} reads its images as it goes)")
    if getattr(args, "holdout", None) is not None:
        from foodcam.train.finetune_gate import GATED_TASKS, parse_holdout

        parse_holdout(args.holdout)  # a bad value fails before anything loads
        if not src:
            raise FoodcamError("--holdout needs --from CKPT (it compares the fine-tuned model with that base)")
        if args.task not in GATED_TASKS:
            raise FoodcamError(f"--holdout: the before/after check reads {' and '.join(GATED_TASKS)} data, not {args.task}")
    if replay is None:
        args.replay = FINETUNE_REPLAY.get(args.task, 0) if src else 0
    if not src:
        for key, value in SCRATCH_DEFAULTS.items():
            if getattr(args, key, None) is None:
                setattr(args, key, value)
        if getattr(args, "freeze_encoder", False):
            raise FoodcamError("--freeze-encoder needs --from CKPT (an encoder worth keeping)")
        return None
    from foodcam.train.checkpoint import read_checkpoint

    ckpt = read_checkpoint(src)
    task = TaskSpec.from_dict(ckpt["task"])
    if task.name != args.task:
        raise FoodcamError(f"--from {src}: a {task.name!r} checkpoint cannot be fine-tuned as {args.task!r}")
    if args.init or getattr(args, "init_from", None) or getattr(args, "pretrained", False):
        raise FoodcamError("--from and --init/--init-from/--pretrained both give starting weights: use one")
    arch = ckpt.get("arch", {})
    if args.model is not None and args.model != arch.get("name"):
        raise FoodcamError(f"--model {args.model}: --from {src} is a {arch.get('name')!r} model (leave --model out)")
    args.model = arch["name"]
    if args.imgsz is None:
        args.imgsz = int(task.input_size[0])
    if args.epochs is None:
        args.epochs = finetune_epochs(args.task)
    if args.lr is None:
        base = float(ckpt.get("config", {}).get("lr") or SCRATCH_DEFAULTS["lr"])
        args.lr = base * FINETUNE_LR_FACTOR.get(args.task, FINETUNE_LR_FACTOR["kitchen"])
    calibrated = [h.name for h in task.heads if h.calibration is not None]
    for head in calibrated:  # fitted to the base's weights: new weights need a new fit
        task = task.with_calibration(head, None)
    ckpt.pop("unsure_stats", None)
    if calibrated:
        log.info("--from %s: its calibration (%s) is dropped; calibrate the fine-tuned model again (foodcam "
                 "calibrate)", src, ", ".join(calibrated))
    ckpt["task"] = task
    return ckpt


def finetune_spec(ckpt: dict, imgsz: int) -> TaskSpec:
    """The checkpoint's task description at the training size."""
    return ckpt["task"].with_input_size(imgsz, imgsz)


def load_weights(model: nn.Module, ckpt: dict, src: str | Path) -> None:
    """The checkpoint's weights into a model of its architecture; a clear error when they do not fit."""
    try:
        model.load_state_dict(ckpt["state_dict"])
    except RuntimeError as e:
        first = str(e).strip().splitlines()[0]
        raise FoodcamError(f"--from {src}: its weights do not fit the model ({first})") from None


def _frozen_train(self: nn.Module, mode: bool = True) -> nn.Module:
    return nn.Module.train(self, False)  # BatchNorm keeps its running statistics, dropout stays off


def freeze_encoder(model: nn.Module) -> tuple[int, int]:
    """Freeze `model.backbone`: no gradients, always in eval mode. (frozen, total) parameter counts."""
    backbone = getattr(model, "backbone", None)
    if not isinstance(backbone, nn.Module):
        raise FoodcamError(f"--freeze-encoder: {type(model).__name__} has no backbone to freeze")
    for p in backbone.parameters():
        p.requires_grad_(False)
    backbone.train = types.MethodType(_frozen_train, backbone)  # model.train() reaches it through children()
    backbone.train(False)
    frozen = sum(p.numel() for p in backbone.parameters())
    total = sum(p.numel() for p in model.parameters())
    log.info("--freeze-encoder: %d of %d parameters frozen", frozen, total)
    return frozen, total
