"""The adaptation curve: how many labelled frames of a new kitchen buy how much mIoU.

    python -m foodcam.benchmarks.adapt --base runs/x/best.pt --data styles/held_out --shots 5 10 20 50 \
        --out runs/adapt

For each shot count N, the first N labelled frames of DATA/train (in a seeded shuffled order, so the sets are
nested) become a training set; the base checkpoint is fine-tuned on them (`foodcam train --from` with its defaults:
for a kitchen 12 epochs at 0.2x the base's learning rate, 64 synthetic frames of the training styles replayed each
epoch) and the same architecture is trained from scratch on the same frames alone (the base's learning rate) for
as many epochs.
Every model is then evaluated on DATA/val at frame resolution, as `foodcam eval` does, taking each run's
*last* checkpoint: nothing is selected on the split it is scored on. Row 0 is the base model untouched.

Fruit (freshness) on a blind set: `--base foodcam/assets/freshness.pt --heldout fruit_a --shots 5 10 20`: N photos
per label of the set's generator drawn with another seed are the user's (the fine-tune keeps its usual val share
of them for its per-epoch check), the canonical set is scored (mean and per-head accuracy); no from-scratch runs.

Writes OUT/adapt.json, OUT/adapt.md (the table) and OUT/adapt.png (the score against labelled frames).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import atomic_path, write_json_atomic, write_text_atomic

MONITOR_VAL = 8  # val frames the training itself looks at each epoch; the scores use every frame of DATA/val


def _link(items, out: Path) -> None:
    for sub in ("images", "masks"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for _, image, mask in items:
        for src, sub in ((image, "images"), (mask, "masks")):
            dst = out / sub / src.name
            if not dst.exists():
                os.symlink(src.resolve(), dst)


def make_subset(data: Path, n: int, out: Path, seed: int = 0) -> Path:
    """OUT with train/ = symlinks to the first N labelled frames of DATA/train in a seeded shuffled order (so the
    sets are nested: the 10 frames include the 5), val/ = the first MONITOR_VAL frames of DATA/val. The training's
    per-epoch check on val/ only draws its curve (every run is scored on its last checkpoint over all of DATA/val),
    so it is kept small: on the whole split it cost more than the few-shot training itself."""
    import numpy as np

    from foodcam.train.data.kitchen import KitchenFolder

    folder = KitchenFolder(data, "train")
    if n > len(folder):
        raise FoodcamError(f"--shots {n}: {data / 'train'} has only {len(folder)} labelled frames")
    order = np.random.default_rng(seed).permutation(len(folder))
    _link((folder.items[int(i)] for i in order[:n]), out / "train")
    _link(KitchenFolder(data, "val").items[:MONITOR_VAL], out / "val")
    return out


def _train(argv: list) -> float:
    from foodcam.cli import main

    t0 = time.time()
    if main([str(a) for a in argv]) != 0:
        raise FoodcamError(f"training failed: foodcam {' '.join(map(str, argv))}")
    return time.time() - t0


def make_fruit_subset(src: Path, n: int, out: Path, seed: int = 0) -> Path:
    """OUT/<label>/ = symlinks to the first N photos of each label folder of SRC in a seeded shuffled order (nested
    like `make_subset`). The fine-tune splits them into its own train and val parts, as it does any user folder."""
    import numpy as np

    labels = sorted(p for p in Path(src).iterdir() if p.is_dir())
    for i, label in enumerate(labels):
        photos = sorted(label.iterdir())
        if n > len(photos):
            raise FoodcamError(f"--shots {n}: {label} has only {len(photos)} photos")
        (out / label.name).mkdir(parents=True, exist_ok=True)
        for k in np.random.default_rng([seed, i]).permutation(len(photos))[:n]:
            dst = out / label.name / photos[int(k)].name
            if not dst.exists():
                os.symlink(photos[int(k)].resolve(), dst)
    return out


def _evaluate(weights: Path, data: Path, split: str, device: str) -> dict:
    """{"score", "parts"}: mIoU and per-class IoU (segmentation), mean and per-head accuracy (classification)."""
    from foodcam.runtime.open import open_model
    from foodcam.train.evaluate import evaluate_model

    with open_model(weights, device=device) as model:
        m = evaluate_model(model, data, split)
    if "miou" in m:
        return {"score": m["miou"], "parts": {c: v["iou"] for c, v in m["per_class"].items()}}
    return {"score": m["mean_acc"], "parts": dict(m["acc"])}


def run_curve(base: Path, data: Path, shots: list[int], epochs: int | None, out: Path, device: str = "cpu",
              batch: int = 8, seed: int = 0, freeze_encoder: bool = False, replay: int | None = None,
              scratch: bool = True, scored: tuple[Path, str] | None = None) -> dict:
    """The curve on a kitchen dataset (DATA/train -> subsets, DATA/val scored) or, for freshness, on a folder of
    labelled photos (N photos per label -> subsets) scored on `scored` = (folder, split)."""
    from foodcam.train.checkpoint import read_checkpoint
    from foodcam.train.finetune import FINETUNE_REPLAY, finetune_epochs

    ckpt = read_checkpoint(base)
    task = ckpt["task"]["name"]
    replay = FINETUNE_REPLAY.get(task, 0) if replay is None else int(replay)
    arch = ckpt["arch"]
    imgsz = int(ckpt["task"]["input_size"][0])
    if task == "kitchen":
        if not (data / "val").is_dir():
            raise FoodcamError(f"--data {data}: no val split to score on")
        scored = (data, "val")
    elif scored is None:
        raise FoodcamError(f"{task}: the curve needs a scored set (--heldout)")
    else:
        scratch = False  # a from-scratch classifier on a few photos per label says nothing worth its time
    rows = [{"shots": 0, "base": _evaluate(base, *scored, device), "finetune": None, "scratch": None}]
    if epochs is None:  # the fine-tune's own default for the task (train/finetune.py)
        epochs = finetune_epochs(task)
    common = ["--batch", batch, "--seed", seed, "--device", device, "--epochs", epochs]
    for n in sorted(set(shots)):
        ft_run, sc_run = out / "runs" / f"finetune_{n:03d}", out / "runs" / f"scratch_{n:03d}"
        if task == "kitchen":
            subset = make_subset(data, n, out / "data" / f"shots_{n:03d}", seed)
            extra = ["--replay", replay]
        else:
            subset = make_fruit_subset(data, n, out / "data" / f"shots_{n:03d}", seed)
            extra = []
        ft_args = ["train", task, "--from", base, "--data", subset, "--out", ft_run, *common]
        # --holdout 0: every one of the N shots trains (the curve is scored on the val split, not held-back frames)
        ft_s = _train(ft_args + extra + ["--holdout", 0] + (["--freeze-encoder"] if freeze_encoder else []))
        sc_args = ["train", task, "--model", arch["name"], "--imgsz", imgsz, "--data", subset, "--out", sc_run,
                   *common]
        if ckpt.get("config", {}).get("lr"):
            sc_args += ["--lr", ckpt["config"]["lr"]]  # the base's own learning rate: a fair from-scratch run
        if "width" in arch.get("kwargs", {}):
            sc_args += ["--width", arch["kwargs"]["width"]]
        sc_s = _train(sc_args) if scratch else None
        rows.append({"shots": n,
                     "finetune": {**_evaluate(ft_run / "last.pt", *scored, device), "train_s": round(ft_s, 1)},
                     "scratch": None if sc_s is None else
                     {**_evaluate(sc_run / "last.pt", *scored, device), "train_s": round(sc_s, 1)}})
    return {"base": str(base), "task": task, "arch": arch, "data": str(data), "scored": str(scored[0]),
            "scored_split": scored[1],
            "epochs": epochs, "imgsz": imgsz, "seed": seed, "freeze_encoder": freeze_encoder, "replay": replay,
            "metric": "mIoU" if task == "kitchen" else "mean accuracy", "rows": rows}


def _heldout_data(name: str, out: Path, train_seed: int, shots: list[int]) -> tuple[Path, tuple[Path, str]]:
    """(the user's labelled data drawn with `train_seed`, (the canonical set, its split)) of a blind set."""
    from foodcam.benchmarks.heldout import SEED, SETS, HeldoutSet, adapt_data

    hs = next((s for s in SETS if s.name == name), None)
    if hs is None:
        raise FoodcamError(f"--heldout {name}: no such set ({', '.join(s.name for s in SETS)})")
    if hs.task == "kitchen":
        data = adapt_data(hs, out / "heldout", train_seed, max(shots))
        return data, (data, "val")
    labels = len([p for p in hs.render(out / "heldout" / "sets", SEED).iterdir() if p.is_dir()])
    own = HeldoutSet(hs.name, hs.task, labels * max(shots), hs.size, hs.split).render(out / "heldout" / "sets",
                                                                                        train_seed)
    return own, (hs.folder(out / "heldout" / "sets", SEED), hs.split)


def format_markdown(report: dict) -> str:
    parts = list(report["rows"][0]["base"]["parts"])
    metric, unit = report["metric"], "labelled frames" if report["task"] == "kitchen" else "photos per label"
    scratch = any(r["scratch"] for r in report["rows"][1:])
    head = [unit, f"fine-tuned {metric}", *[f"ft {c}" for c in parts]]
    if scratch:
        head += [f"from scratch {metric}", *[f"scratch {c}" for c in parts]]
    head.append("ft / scratch train s" if scratch else "train s")
    replay = f", replaying {report['replay']} synthetic frames an epoch" if report.get("replay") else ""
    lines = [f"Adaptation curve: base `{report['base']}` ({report['arch']['name']}, {report['imgsz']} px), fine-tuned "
             f"on `{report['data']}` ({report['epochs']} epochs per run{replay}), scored on `{report['scored']}` "
             f"(split {report.get('scored_split', 'val')}; last checkpoint of each run)", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]

    def cells(m: dict | None) -> list[str]:
        return [f"{m['score']:.3f}", *[f"{m['parts'][c]:.3f}" for c in parts]] if m else ["—"] * (1 + len(parts))

    base = report["rows"][0]["base"]
    lines.append("| " + " | ".join(["0 (base, not fine-tuned)", *cells(base), *(cells(None) if scratch else []), "—"])
                 + " |")
    for r in report["rows"][1:]:
        ft, sc = r["finetune"], r["scratch"]
        secs = f"{ft['train_s']:.0f} / {sc['train_s'] if sc else 0:.0f}" if scratch else f"{ft['train_s']:.0f}"
        lines.append("| " + " | ".join([str(r["shots"]), *cells(ft), *(cells(sc) if scratch else []), secs]) + " |")
    return "\n".join(lines) + "\n"


def write_plot(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = report["rows"][1:]
    xs = [r["shots"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=110)
    try:
        ax.plot(xs, [r["finetune"]["score"] for r in rows], "o-", label="fine-tuned from base")
        if all(r["scratch"] for r in rows):
            ax.plot(xs, [r["scratch"]["score"] for r in rows], "s--", label="from scratch")
        ax.axhline(report["rows"][0]["base"]["score"], color="grey", lw=1, ls=":", label="base, not fine-tuned")
        ax.set_xscale("log")
        ax.set_xticks(xs, [str(x) for x in xs])
        ax.set_xlabel("labelled frames" if report["task"] == "kitchen" else "photos per label")
        ax.set_ylabel(report["metric"])
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
        ax.legend()
        ax.set_title(f"adaptation: {Path(report['data']).name}")
        fig.tight_layout()
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png")
    finally:
        plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    import sys

    p = argparse.ArgumentParser(prog="python -m foodcam.benchmarks.adapt", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--base", required=True, help="checkpoint to fine-tune (trained on other data)")
    p.add_argument("--data", default=None, help="the new kitchen's labelled dataset (train/ and val/)")
    p.add_argument("--shots", type=int, nargs="+", default=[5, 10, 20, 50], help="labelled frames per run (fruit: photos per label)")
    p.add_argument("--epochs", type=int, default=None,
                   help="epochs of every run, fine-tune and scratch alike (default: the fine-tune's for the task)")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu")
    p.add_argument("--freeze-encoder", action="store_true", help="fine-tune with the backbone frozen")
    p.add_argument("--replay", type=int, default=None,
                   help="synthetic frames replayed each fine-tune epoch (default: train --from's default, 64)")
    p.add_argument("--no-scratch", action="store_true", help="fine-tunes only (no from-scratch run per shot count)")
    p.add_argument("--heldout", metavar="SET", default=None,
                   help="a blind set (kitchen or fruit) instead of --data: train on what its generator draws with another seed "
                        "(--seed + 1), score on its canonical frames (python -m foodcam.benchmarks.heldout)")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    if (args.heldout is None) == (args.data is None):
        p.error("give --data or --heldout")
    try:
        if any(n < 1 for n in args.shots) or (args.epochs is not None and args.epochs < 1):
            raise FoodcamError("--shots and --epochs must be positive")
        if args.replay is not None and args.replay < 0:
            raise FoodcamError(f"--replay {args.replay}: expected 0 or more frames")
        out = Path(args.out)
        data, scored = (Path(args.data), None) if args.data else \
            _heldout_data(args.heldout, out, args.seed + 1, args.shots)
        report = run_curve(Path(args.base), data, args.shots, args.epochs, out, args.device, args.batch,
                           args.seed, args.freeze_encoder, args.replay, scratch=not args.no_scratch, scored=scored)
    except FoodcamError as e:
        print(f"adapt: error: {e}", file=sys.stderr)
        return 2
    write_json_atomic(out / "adapt.json", report)
    md = format_markdown(report)
    write_text_atomic(out / "adapt.md", md)
    write_plot(report, out / "adapt.png")
    print(md)
    print(f"wrote {out / 'adapt.json'}, {out / 'adapt.md'}, {out / 'adapt.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
