"""The adaptation curve: how many labelled frames of a new kitchen buy how much mIoU.

    python -m foodcam.benchmarks.adapt --base runs/x/best.pt --data styles/held_out --shots 5 10 20 50 \
        --epochs 12 --out runs/adapt

For each shot count N, the first N labelled frames of DATA/train (in a seeded shuffled order, so the sets are
nested) become a training set; the base checkpoint is fine-tuned on them (`foodcam train --from`: 0.2x the base's
learning rate, 64 synthetic frames of the training styles replayed each epoch) and the same architecture is trained
from scratch on the same frames alone (the base's learning rate) for as many epochs.
Every model is then evaluated on DATA/val at frame resolution, as `foodcam eval` does, taking each run's
*last* checkpoint: nothing is selected on the split it is scored on. Row 0 is the base model untouched.

Writes OUT/adapt.json, OUT/adapt.md (the table) and OUT/adapt.png (mIoU against labelled frames).
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


def _evaluate(weights: Path, data: Path, device: str) -> dict:
    from foodcam.runtime.open import open_model
    from foodcam.train.evaluate import evaluate_model

    with open_model(weights, device=device) as model:
        m = evaluate_model(model, data, "val")
    return {"miou": m["miou"], "iou": {c: v["iou"] for c, v in m["per_class"].items()}}


def run_curve(base: Path, data: Path, shots: list[int], epochs: int, out: Path, device: str = "cpu",
              batch: int = 8, seed: int = 0, freeze_encoder: bool = False, replay: int | None = None,
              scratch: bool = True) -> dict:
    from foodcam.train.checkpoint import read_checkpoint
    from foodcam.train.finetune import FINETUNE_REPLAY

    ckpt = read_checkpoint(base)
    replay = FINETUNE_REPLAY.get(ckpt["task"]["name"], 0) if replay is None else int(replay)
    arch = ckpt["arch"]
    imgsz = int(ckpt["task"]["input_size"][0])
    if not (data / "val").is_dir():
        raise FoodcamError(f"--data {data}: no val split to score on")
    rows = [{"shots": 0, "base": _evaluate(base, data, device), "finetune": None, "scratch": None}]
    common = ["--batch", batch, "--seed", seed, "--device", device, "--epochs", epochs]
    for n in sorted(set(shots)):
        subset = make_subset(data, n, out / "data" / f"shots_{n:03d}", seed)
        ft_run, sc_run = out / "runs" / f"finetune_{n:03d}", out / "runs" / f"scratch_{n:03d}"
        ft_args = ["train", "kitchen", "--from", base, "--data", subset, "--out", ft_run, *common]
        # --holdout 0: every one of the N shots trains (the curve is scored on the val split, not held-back frames)
        ft_s = _train(ft_args + ["--replay", replay, "--holdout", 0] + (["--freeze-encoder"] if freeze_encoder else []))
        sc_args = ["train", "kitchen", "--model", arch["name"], "--imgsz", imgsz, "--data", subset, "--out", sc_run,
                   *common]
        if ckpt.get("config", {}).get("lr"):
            sc_args += ["--lr", ckpt["config"]["lr"]]  # the base's own learning rate: a fair from-scratch run
        if "width" in arch.get("kwargs", {}):
            sc_args += ["--width", arch["kwargs"]["width"]]
        sc_s = _train(sc_args) if scratch else None
        rows.append({"shots": n,
                     "finetune": {**_evaluate(ft_run / "last.pt", data, device), "train_s": round(ft_s, 1)},
                     "scratch": None if sc_s is None else
                     {**_evaluate(sc_run / "last.pt", data, device), "train_s": round(sc_s, 1)}})
    return {"base": str(base), "arch": arch, "data": str(data), "epochs": epochs, "imgsz": imgsz, "seed": seed,
            "freeze_encoder": freeze_encoder, "replay": replay,
            "val_images": len(list((data / "val" / "images").iterdir())), "rows": rows}


def _heldout_data(name: str, out: Path, train_seed: int, count: int) -> Path:
    from foodcam.benchmarks.heldout import SETS, adapt_data

    hs = next((s for s in SETS if s.name == name and s.task == "kitchen"), None)
    if hs is None:
        raise FoodcamError(f"--heldout {name}: no such kitchen set ({', '.join(s.name for s in SETS if s.task == 'kitchen')})")
    return adapt_data(hs, out / "heldout", train_seed, count)


def format_markdown(report: dict) -> str:
    classes = list(report["rows"][0]["base"]["iou"])
    head = ["labelled frames", "fine-tuned mIoU", *[f"ft {c}" for c in classes], "from scratch mIoU",
            *[f"scratch {c}" for c in classes], "ft / scratch train s"]
    lines = [f"Adaptation curve: base `{report['base']}` ({report['arch']['name']}, {report['imgsz']} px) on "
             f"`{report['data']}`, {report['epochs']} epochs per run, fine-tunes replaying {report.get('replay', 0)} "
             f"synthetic frames an epoch, scored on its val split "
             f"({report['val_images']} frames, last checkpoint of each run)", "",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    base = report["rows"][0]["base"]
    lines.append("| 0 (base, not fine-tuned) | " + " | ".join(
        [f"{base['miou']:.3f}", *[f"{base['iou'][c]:.3f}" for c in classes], "—", *["—"] * len(classes), "—"]) + " |")
    for r in report["rows"][1:]:
        ft, sc = r["finetune"], r["scratch"]
        scratch = ([f"{sc['miou']:.3f}", *[f"{sc['iou'][c]:.3f}" for c in classes]] if sc else
                   ["—", *["—"] * len(classes)])
        lines.append("| " + " | ".join([str(r["shots"]), f"{ft['miou']:.3f}", *[f"{ft['iou'][c]:.3f}" for c in classes],
                                        *scratch, f"{ft['train_s']:.0f} / {sc['train_s'] if sc else 0:.0f}"]) + " |")
    return "\n".join(lines) + "\n"


def write_plot(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = report["rows"][1:]
    xs = [r["shots"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=110)
    try:
        ax.plot(xs, [r["finetune"]["miou"] for r in rows], "o-", label="fine-tuned from base")
        if all(r["scratch"] for r in rows):
            ax.plot(xs, [r["scratch"]["miou"] for r in rows], "s--", label="from scratch")
        ax.axhline(report["rows"][0]["base"]["miou"], color="grey", lw=1, ls=":", label="base, not fine-tuned")
        ax.set_xscale("log")
        ax.set_xticks(xs, [str(x) for x in xs])
        ax.set_xlabel("labelled frames")
        ax.set_ylabel("val mIoU")
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
    p.add_argument("--shots", type=int, nargs="+", default=[5, 10, 20, 50], help="labelled frames per run")
    p.add_argument("--epochs", type=int, default=12, help="epochs of every run (fine-tune and scratch alike)")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu")
    p.add_argument("--freeze-encoder", action="store_true", help="fine-tune with the backbone frozen")
    p.add_argument("--replay", type=int, default=None,
                   help="synthetic frames replayed each fine-tune epoch (default: train --from's default, 64)")
    p.add_argument("--no-scratch", action="store_true", help="fine-tunes only (no from-scratch run per shot count)")
    p.add_argument("--heldout", metavar="SET", default=None,
                   help="a blind kitchen set instead of --data: train on frames its generator draws with another seed "
                        "(--seed + 1), score on its canonical frames (python -m foodcam.benchmarks.heldout)")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)
    if (args.heldout is None) == (args.data is None):
        p.error("give --data or --heldout")
    try:
        if any(n < 1 for n in args.shots) or args.epochs < 1:
            raise FoodcamError("--shots and --epochs must be positive")
        if args.replay is not None and args.replay < 0:
            raise FoodcamError(f"--replay {args.replay}: expected 0 or more frames")
        out = Path(args.out)
        data = Path(args.data) if args.data else _heldout_data(args.heldout, out, args.seed + 1, max(args.shots))
        report = run_curve(Path(args.base), data, args.shots, args.epochs, out, args.device, args.batch,
                           args.seed, args.freeze_encoder, args.replay, scratch=not args.no_scratch)
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
