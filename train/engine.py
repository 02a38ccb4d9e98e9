"""`foodcam train`: the generic training loop, in the style of torchvision's reference scripts.

`main(args)` builds a `TrainTask` for the task kind (segmentation -> train.seg_task, classification ->
train.cls_task), then runs plain `train_one_epoch` / `evaluate` functions: AdamW, cosine schedule with
a short linear warm-up, AMP on CUDA, validation every epoch, best.pt / last.pt / metrics.csv /
curves.png in the run folder, `--resume` from last.pt, DDP under torchrun.
"""

from __future__ import annotations

import csv
import importlib
import io
import logging
import math
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset, DistributedSampler
from tqdm import tqdm

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_text_atomic
from foodcam.runtime.tasks import TaskSpec, get_task
from foodcam.train import distributed as ddp
from foodcam.train.budget import TimeBudget
from foodcam.train.checkpoint import read_checkpoint, save_checkpoint
from foodcam.train.configs import TrainOptions
from foodcam.train.datasets import Repeat, seed_worker
from foodcam.train.models import build_model, model_kwargs

log = logging.getLogger("foodcam.train")

# task kind -> module with make_task(spec, args) -> TrainTask; a task name listed here has its own module
TASK_MODULES = {"segmentation": "foodcam.train.seg_task", "classification": "foodcam.train.cls_task",
                "foodseg": "foodcam.train.foodseg_task", "foodrec": "foodcam.train.foodrec_task"}
# options that define a run: --resume refuses to continue under different ones
RUN_KEYS = ("task", "model", "imgsz", "width", "batch", "lr", "weight_decay", "seed", "max_dist")


class Meter(Protocol):
    def update(self, outputs: Any, targets: Any) -> None: ...

    def compute(self) -> dict: ...


class TrainTask(Protocol):
    """What the loop needs from a task; everything else is generic."""

    spec: TaskSpec  # input_size already set to the training size
    best_key: str  # key of Meter.compute() to maximise (e.g. "miou")
    # optional: min_epoch_samples (int) -- a smaller train split is drawn several times per epoch

    def datasets(self, args: TrainOptions, seed: int) -> tuple[Dataset, Dataset]: ...

    def criterion(self, train: Dataset) -> nn.Module: ...  # (outputs, targets) -> scalar loss

    def meter(self) -> Meter: ...

    def row(self, metrics: dict) -> dict[str, float]: ...  # metrics.csv columns, e.g. val_miou, iou_<class>

    def summary(self, metrics: dict) -> str: ...  # one line for the console


def make_train_task(spec: TaskSpec, args: TrainOptions) -> TrainTask:
    module = TASK_MODULES.get(spec.name) or TASK_MODULES[spec.kind]
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name != module:
            raise
        raise FoodcamError(f"task {spec.name!r}: training {spec.kind} tasks is not available ({module} missing)") from None
    return mod.make_task(spec, args)


def to_device(obj: Any, device: torch.device) -> Any:
    if isinstance(obj, torch.Tensor):
        return obj.to(device, non_blocking=True)
    if isinstance(obj, dict):
        return {k: to_device(v, device) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(to_device(v, device) for v in obj)
    return obj


def to_input(images: Any, device: torch.device) -> Any:
    """Images to `device`; NCHW float batches as channels_last (faster convolutions on CPU and GPU)."""
    if isinstance(images, torch.Tensor) and images.ndim == 4:
        return images.to(device, non_blocking=True, memory_format=torch.channels_last)
    return to_device(images, device)


def _batch_size(images: Any) -> int:
    return int(images.shape[0]) if isinstance(images, torch.Tensor) else len(images)


def train_one_epoch(model: nn.Module, criterion: nn.Module, optimizer: torch.optim.Optimizer, scheduler,
                    scaler: torch.amp.GradScaler, loader: DataLoader, device: torch.device, epoch: int,
                    epochs: int, amp: bool = False, progress: bool = True, budget: TimeBudget | None = None) -> float:
    """One pass over `loader`, stepping the schedule every iteration; the mean loss per sample.
    With a `budget` the pass stops early once its training time is spent."""
    model.train()
    total, seen = 0.0, 0
    t0 = time.monotonic()
    bar = tqdm(loader, desc=f"epoch {epoch}/{epochs}", leave=False, disable=not progress, dynamic_ncols=True)
    for images, targets in bar:
        images, targets = to_input(images, device), to_device(targets, device)
        with torch.autocast(device_type=device.type, dtype=torch.float16, enabled=amp):
            loss = criterion(model(images), targets)
        if not torch.isfinite(loss):
            raise FoodcamError(f"training loss became {loss.item()} at epoch {epoch}; try a lower --lr")
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        scheduler.step()
        n = _batch_size(images)
        total += float(loss.detach()) * n
        seen += n
        bar.set_postfix(loss=f"{total / seen:.4f}", lr=f"{optimizer.param_groups[0]['lr']:.2e}")
        if budget is not None:
            budget.note_train(time.monotonic() - t0, seen)
            if budget.spent():
                break
    bar.close()
    return total / max(seen, 1)


@torch.no_grad()
def evaluate(model: nn.Module, criterion: nn.Module, loader: DataLoader, meter: Meter, device: torch.device,
             amp: bool = False, progress: bool = True) -> tuple[float, dict]:
    """(mean loss per sample, meter.compute()) of `model` over `loader`."""
    model.eval()
    total, seen = 0.0, 0
    for images, targets in tqdm(loader, desc="val", leave=False, disable=not progress, dynamic_ncols=True):
        images, targets = to_input(images, device), to_device(targets, device)
        with torch.autocast(device_type=device.type, dtype=torch.float16, enabled=amp):
            outputs = model(images)
            loss = criterion(outputs, targets)
        meter.update(outputs, targets)
        n = _batch_size(images)
        total += float(loss) * n
        seen += n
    return total / max(seen, 1), meter.compute()


def warmup_cosine(total_steps: int, warmup_steps: int, final_factor: float = 0.01):
    """LR factor per step: linear from ~0 to 1 over `warmup_steps`, then cosine down to `final_factor`."""

    def factor(step: int) -> float:
        if step < warmup_steps:
            return (step + 1) / warmup_steps
        t = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
        return final_factor + (1 - final_factor) * 0.5 * (1 + math.cos(math.pi * t))

    return factor


def param_groups(model: nn.Module, weight_decay: float) -> list[dict]:
    """Weight decay on weights of convolutions/linear layers only, not on norms and biases."""
    decay, no_decay = [], []
    for p in model.parameters():
        if p.requires_grad:
            (decay if p.ndim > 1 else no_decay).append(p)
    return [{"params": decay, "weight_decay": weight_decay}, {"params": no_decay, "weight_decay": 0.0}]


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def _resume_state(out: Path, args: TrainOptions) -> dict:
    last = out / "last.pt"
    if not last.is_file():
        raise FoodcamError(f"--resume: {last} not found (train without --resume first)")
    ckpt = read_checkpoint(last)
    saved = ckpt.get("config", {})
    now = config_dict(args)
    keys = RUN_KEYS + (("variant",) if args.task == "foodseg" else ())  # foodseg --task picks the heads
    diff = [f"{k}={saved.get(k)!r} (now {now.get(k)!r})" for k in keys if saved.get(k) != now.get(k)]
    if diff:
        raise FoodcamError(f"--resume: {last} was trained with different options: {', '.join(diff)}")
    return ckpt


def _is_better(score: float, best: float | None) -> bool:
    return best is None or (not math.isnan(score) and (math.isnan(best) or score > best))


# the model `foodcam train TASK` uses without --model: the best one docs/results.md reports for that task
BUDGET_MAX_EPOCHS = 1000
DEFAULT_MODELS = {"kitchen": "thinseg", "freshness": "mobilenetv3", "foodseg": "foodseg-thin", "foodrec": "mobilenetv3"}


def main(args: TrainOptions) -> int:
    from foodcam.train.finetune import resolve_defaults
    from foodcam.train.torch_model import resolve_device

    if getattr(args, "threads", None):
        torch.set_num_threads(int(args.threads))
    if getattr(args, "time_budget", None) is not None and args.epochs is None:
        args.epochs = BUDGET_MAX_EPOCHS  # the budget ends the run; --epochs is only a ceiling
    start_from = resolve_defaults(args)  # unset options; with --from, the checkpoint's model and schedule
    if getattr(args, "model", None) is None:
        args.model = DEFAULT_MODELS.get(args.task)
        if args.model is None:
            raise FoodcamError(f"task {args.task!r} has no default model: pass --model")
    device = resolve_device(args.device)
    info = ddp.init_distributed(device.type)
    try:
        return _run(args, device, info, start_from)
    finally:
        ddp.cleanup()


@dataclass
class _Context:
    """What every step of one training run reads: the options, where it runs and where it writes."""

    args: TrainOptions
    device: torch.device
    info: ddp.DistInfo
    out: Path
    amp: bool  # mixed precision (on CUDA)
    budget: TimeBudget | None


@dataclass
class _Data:
    train: Dataset
    val: Dataset
    repeat: int  # how many times a small train split is drawn per epoch
    sampler: DistributedSampler | None
    train_loader: DataLoader
    val_loader: DataLoader


@dataclass
class _Fit:
    """The model being trained and what steps it."""

    model: nn.Module  # what the training step calls (wrapped in DDP under several processes)
    net: nn.Module  # the plain model: validated and saved
    arch_kwargs: dict
    criterion: nn.Module
    optimizer: torch.optim.Optimizer
    scheduler: torch.optim.lr_scheduler.LambdaLR
    scaler: torch.amp.GradScaler


@dataclass
class _Progress:
    """Epochs done so far: the rows of metrics.csv and the best validation."""

    start: int = 1
    history: list[dict] = field(default_factory=list)
    best: float | None = None
    best_metrics: dict = field(default_factory=dict)


def _run(args: TrainOptions, device: torch.device, info: ddp.DistInfo, start_from: dict | None = None) -> int:
    if info.enabled and device.type == "cuda":
        device = torch.device("cuda", info.local_rank)
    budget = _check_options(args, info)
    if not info.main:  # one voice: only rank 0 logs and prints
        logging.getLogger("foodcam").setLevel(logging.WARNING)
    ctx = _Context(args, device, info, Path(args.out), amp=device.type == "cuda", budget=budget)
    if ctx.amp:
        torch.backends.cudnn.benchmark = True
    seed_everything(args.seed + info.rank)

    task = _make_task(args, start_from)
    spec = task.spec  # a task may take its class list from the data (freshness: the fruit found)
    resume = _resume_state(ctx.out, args) if args.resume else None
    data = _make_data(ctx, task)
    fit = _make_fit(ctx, task, spec, data, start_from, resume)
    progress = _restore(fit, resume, task.best_key) if resume is not None else _Progress()
    _distribute(ctx, fit)

    base = {"task": spec.to_dict(), "arch": {"name": args.model, "kwargs": fit.arch_kwargs},
            "config": config_dict(args)}
    if info.main:
        ctx.out.mkdir(parents=True, exist_ok=True)
        _announce(ctx, data, fit, progress, start_from, resuming=resume is not None)
    _train_epochs(ctx, task, data, fit, progress, base)
    if info.main and start_from is not None and getattr(task, "holdout", None) is not None:
        _gate(ctx, task, fit, progress, start_from)
    if info.main:
        _report_end(ctx, task, progress)
    return 0


def _check_options(args: TrainOptions, info: ddp.DistInfo) -> TimeBudget | None:
    """Refuse impossible options; the run's time budget when --time-budget is given."""
    if args.imgsz < 32 or args.epochs < 1 or args.batch < 1 or (args.lr != "find" and args.lr <= 0):
        raise FoodcamError("--imgsz must be >= 32 and --epochs, --batch, --lr positive (or --lr find)")
    if getattr(args, "time_budget", None) is None:
        return None
    if args.time_budget <= 0:
        raise FoodcamError(f"--time-budget {args.time_budget}: expected a positive number of minutes")
    if args.resume or info.enabled:
        raise FoodcamError("--time-budget: a single-process run from the start (not with --resume or "
                           "several processes)")
    return TimeBudget(args.time_budget)


def _make_task(args: TrainOptions, start_from: dict | None) -> TrainTask:
    from foodcam.train.finetune import finetune_spec

    if start_from is not None:
        spec = finetune_spec(start_from, args.imgsz)
    else:
        spec = get_task(args.task).with_input_size(args.imgsz, args.imgsz)
    return make_train_task(spec, args)


def _make_data(ctx: _Context, task: TrainTask) -> _Data:
    """The train and val splits and their loaders (per-process batches and a sampler under DDP)."""
    args, info = ctx.args, ctx.info
    train_ds, val_ds = task.datasets(args, seed=args.seed + info.rank)
    if len(train_ds) == 0 or len(val_ds) == 0:
        raise FoodcamError(f"{args.data}: needs images in both train and val (found {len(train_ds)} / {len(val_ds)})")
    per_rank = max(1, args.batch // info.world)
    repeat = max(1, math.ceil(getattr(task, "min_epoch_samples", 0) / len(train_ds)))
    epoch_ds = Repeat(train_ds, repeat) if repeat > 1 else train_ds
    sampler = DistributedSampler(epoch_ds, info.world, info.rank, shuffle=True, seed=args.seed) if info.enabled else None
    gen = torch.Generator().manual_seed(args.seed)
    loader_kw: dict[str, Any] = dict(num_workers=args.workers, pin_memory=ctx.device.type == "cuda",
                                     worker_init_fn=seed_worker, persistent_workers=args.workers > 0)
    n_rank = len(sampler) if sampler is not None else len(epoch_ds)
    train_loader = DataLoader(epoch_ds, batch_size=per_rank, shuffle=sampler is None, sampler=sampler,
                              drop_last=n_rank > per_rank and n_rank % per_rank == 1,  # BatchNorm needs 2+ samples
                              generator=gen, **loader_kw)
    val_loader = DataLoader(val_ds, batch_size=per_rank, shuffle=False, **loader_kw)
    return _Data(train_ds, val_ds, repeat, sampler, train_loader, val_loader)


def _make_model(args: TrainOptions, spec: TaskSpec, start_from: dict | None,
                resume: dict | None) -> tuple[nn.Module, dict]:
    """The network and its architecture options: fresh, from --init / --pretrained, or from --from's weights."""
    from foodcam.train.finetune import freeze_encoder, load_weights

    if start_from is not None:
        arch_kwargs = dict(start_from["arch"].get("kwargs", {}))
    else:
        options = dict(width=args.width, freeze=getattr(args, "freeze", False),
                       finetune_last=getattr(args, "finetune_last", False),
                       mask_evidence=True if getattr(args, "mask_evidence", False) else None)
        arch_kwargs = model_kwargs(args.model, **{k: v for k, v in options.items() if v is not None})
    model = build_model(args.model, spec, init=None if resume else args.init,
                        pretrained=bool(getattr(args, "pretrained", False)) and resume is None and start_from is None,
                        **arch_kwargs)
    if start_from is not None and resume is None:
        load_weights(model, start_from, args.from_ckpt)
    if getattr(args, "init_from", None) and resume is None:
        from foodcam.train.lr_find import init_from_checkpoint

        init_from_checkpoint(model, args.init_from)
    if getattr(args, "freeze_encoder", False):
        freeze_encoder(model)
    return model, arch_kwargs


def _make_fit(ctx: _Context, task: TrainTask, spec: TaskSpec, data: _Data, start_from: dict | None,
              resume: dict | None) -> _Fit:
    """Model, loss, AdamW and the warm-up + cosine schedule (or the time budget's), with `--lr find` resolved."""
    args, device = ctx.args, ctx.device
    model, arch_kwargs = _make_model(args, spec, start_from, resume)
    model = model.to(device, memory_format=torch.channels_last)
    criterion = task.criterion(data.train).to(device)
    if args.lr == "find":
        if resume is not None:
            raise FoodcamError("--lr find starts a run; --resume continues one with its own rate")
        from foodcam.train.lr_find import lr_find

        args.lr = lr_find(model, criterion, data.train_loader, device, args.weight_decay, ctx.out, ctx.info.main,
                          to_input=to_input, to_device=to_device)
    optimizer = torch.optim.AdamW(param_groups(model, args.weight_decay), lr=args.lr)
    steps = args.epochs * len(data.train_loader)
    warmup = max(1, min(len(data.train_loader), steps // 10, 500))
    budget = ctx.budget
    if budget is not None:
        budget.warmup_steps, budget.val_samples = warmup, len(data.val)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, budget.factor if budget is not None
                                                  else warmup_cosine(steps, warmup))
    scaler = torch.amp.GradScaler(device.type, enabled=ctx.amp)
    return _Fit(model, model, arch_kwargs, criterion, optimizer, scheduler, scaler)


def _restore(fit: _Fit, resume: dict, best_key: str) -> _Progress:
    """Load last.pt's weights and optimiser state; the epochs it has done."""
    fit.model.load_state_dict(resume["state_dict"])
    fit.optimizer.load_state_dict(resume["optimizer"])
    fit.scheduler.load_state_dict(resume["scheduler"])
    fit.scaler.load_state_dict(resume["scaler"])
    best_metrics = dict(resume.get("metrics", {}))
    return _Progress(int(resume["epoch"]) + 1, list(resume.get("history", [])), best_metrics.get(best_key), best_metrics)


def _distribute(ctx: _Context, fit: _Fit) -> None:
    """Under several processes: SyncBatchNorm on CUDA, and the training step through DDP."""
    if not ctx.info.enabled:
        return
    device = ctx.device
    if device.type == "cuda":
        fit.model = nn.SyncBatchNorm.convert_sync_batchnorm(fit.model)
        fit.net = fit.model
    fit.model = nn.parallel.DistributedDataParallel(fit.model, device_ids=[device.index] if device.type == "cuda" else None)


def _announce(ctx: _Context, data: _Data, fit: _Fit, progress: _Progress, start_from: dict | None,
              resuming: bool) -> None:
    args, info = ctx.args, ctx.info
    what = (f"resuming at epoch {progress.start}" if resuming
            else f"fine-tuning {args.from_ckpt} (lr {args.lr:.2g})" if start_from is not None else "training")
    print(f"{what}: {describe_arch(args.model, fit.arch_kwargs)} on {args.task} at {args.imgsz}x{args.imgsz}, "
          f"{len(data.train)} train / {len(data.val)} val images, device {ctx.device}"
          f"{f' x{info.world} processes' if info.enabled else ''}"
          f"{f'; the small train split is drawn {data.repeat}x per epoch' if data.repeat > 1 else ''}", flush=True)


def _train_epochs(ctx: _Context, task: TrainTask, data: _Data, fit: _Fit, progress: _Progress, base: dict) -> None:
    """Train, validate and save each epoch until --epochs (or the time budget) is reached."""
    args, info, budget = ctx.args, ctx.info, ctx.budget
    for epoch in range(progress.start, args.epochs + 1):
        t0 = time.time()
        if data.sampler is not None:
            data.sampler.set_epoch(epoch)
        loss = train_one_epoch(fit.model, fit.criterion, fit.optimizer, fit.scheduler, fit.scaler, data.train_loader,
                               ctx.device, epoch, args.epochs, amp=ctx.amp, progress=info.main, budget=budget)
        loss = ddp.all_mean(loss, len(data.train_loader), info, ctx.device)
        if info.main:  # validation on the whole val split, unwrapped model, rank 0 only: exact metrics
            _validate_and_save(ctx, task, data, fit, progress, base, epoch, loss, t0)
        ddp.barrier(info)
        if budget is not None and budget.spent():
            print(f"time budget of {args.time_budget:g} min reached after epoch {epoch} "
                  f"({budget.elapsed() / 60:.1f} min)", flush=True)
            break


def _validate_and_save(ctx: _Context, task: TrainTask, data: _Data, fit: _Fit, progress: _Progress, base: dict,
                       epoch: int, loss: float, t0: float) -> None:
    """Validate one epoch; write best.pt (when better), last.pt, metrics.csv and curves.png; print its line."""
    args, out = ctx.args, ctx.out
    t_val = time.monotonic()
    val_loss, metrics = evaluate(fit.net, fit.criterion, data.val_loader, task.meter(), ctx.device, amp=ctx.amp)
    if ctx.budget is not None:
        ctx.budget.note_val(time.monotonic() - t_val)
    row = {"epoch": epoch, "lr": fit.optimizer.param_groups[0]["lr"], "train_loss": loss, "val_loss": val_loss,
           **task.row(metrics), "seconds": round(time.time() - t0, 2)}
    progress.history.append(row)
    score = float(metrics[task.best_key])
    improved = _is_better(score, progress.best)
    if improved:
        progress.best, progress.best_metrics = score, {**metrics, "val_loss": val_loss, "epoch": epoch}
    # the task as of this validation (a task may record what it chose on val, e.g. a label threshold)
    ckpt = {**base, "task": task.spec.to_dict(), "state_dict": fit.net.state_dict(), "metrics": progress.best_metrics,
            "epoch": epoch, "history": progress.history}
    if improved:
        save_checkpoint(out / "best.pt", ckpt)
    save_checkpoint(out / "last.pt", {**ckpt, "optimizer": fit.optimizer.state_dict(),
                                      "scheduler": fit.scheduler.state_dict(), "scaler": fit.scaler.state_dict()})
    write_metrics_csv(out / "metrics.csv", progress.history)
    _plot(progress.history, out / "curves.png", f"{args.task} {args.model}", task.spec)
    print(f"epoch {epoch}/{args.epochs}  train loss {loss:.4f}  val loss {val_loss:.4f}  "
          f"{task.summary(metrics)}{'  *best*' if improved else ''}  {row['seconds']:.1f}s", flush=True)


def _gate(ctx: _Context, task: TrainTask, fit: _Fit, progress: _Progress, start_from: dict) -> None:
    """After a fine-tune: compare the saved weights with the starting model on the task's held-back frames."""
    from foodcam.train.finetune_gate import run_gate

    out, history = ctx.out, progress.history
    # best.pt first (what gets exported); last.pt too when it holds other weights
    ckpts = [out / "best.pt"] + ([out / "last.pt"] if history and progress.best_metrics.get("epoch") != history[-1]["epoch"] else [])
    run_gate(task, getattr(task, "holdout", None), fit.net, start_from, ctx.args.from_ckpt, ctx.device,
             [p for p in ckpts if p.is_file()])


def _report_end(ctx: _Context, task: TrainTask, progress: _Progress) -> None:
    args, out, start, best_metrics = ctx.args, ctx.out, progress.start, progress.best_metrics
    if start > args.epochs and ctx.budget is None:
        print(f"{out / 'last.pt'} already has {start - 1} epochs (--epochs {args.epochs}): nothing to do")
    if best_metrics:
        print(f"best val {task.best_key} {best_metrics[task.best_key]:.4f} at epoch {best_metrics['epoch']}")
    print(f"outputs in {out}: best.pt, last.pt, metrics.csv, curves.png", flush=True)


def config_dict(args: TrainOptions) -> dict:
    """The train arguments as JSON-able values (paths as strings, no callables)."""

    def jsonable(v: Any) -> Any:
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if isinstance(v, (list, tuple)):
            return [jsonable(x) for x in v]
        if isinstance(v, dict):
            return {str(k): jsonable(x) for k, x in v.items()}
        return str(v)

    return {k: jsonable(v) for k, v in vars(args).items() if not callable(v)}


def write_metrics_csv(path: Path, rows: list[dict]) -> None:
    """All epoch rows so far, rewritten atomically (a crash never leaves half a file)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0].keys()), lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: f"{v:.6g}" if isinstance(v, float) else v for k, v in r.items()})
    write_text_atomic(path, buf.getvalue())


def describe_arch(name: str, kwargs: dict) -> str:
    """'thinseg (width=0.5)', or just 'lraspp' when the architecture takes its defaults."""
    return f"{name} ({', '.join(f'{k}={v}' for k, v in kwargs.items())})" if kwargs else name


def _plot(history: list[dict], path: Path, title: str, spec: TaskSpec) -> None:
    from foodcam.train.plots import class_colours, plot_curves

    plot_curves(history, path, title, colours=class_colours(spec))
