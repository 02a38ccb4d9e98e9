"""How close to its labels can a segmentation model get, and what does one pixel cost? Two ceilings per class:

    python -m foodcam.benchmarks.mask_ceiling --data ktrain5 --split val [--grid 128] [--out DIR]

- The head's ceiling: for every frame, the best class scores a GRIDxGRID output could hold (fitted to the truth
  by gradient descent on cross-entropy), upsampled as the deployment graph does (bilinear to the model's input
  size, bilinear to the frame, argmax). ThinSeg's head is 128x128 (stride 2 at 256x256): this says whether
  its resolution can draw the truth at all.
- The truth moved by one pixel (shifted right, grown or shrunk with a 3x3 square): what a one-pixel error along
  the whole outline scores, so a model's IoU can be read as an outline error in pixels. With them: the share of a
  class's pixels on its outline and the median width of its parts (2 x area / perimeter).

Writes mask_ceiling.json (and prints a table). Needs foodcam[train] (PyTorch, OpenCV).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from foodcam.benchmarks.report import run_one_report
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.metrics import ConfusionMatrix
from foodcam.runtime.tasks import IGNORE_INDEX

MOVES = ("shift", "grow", "shrink")


def _iou(pred: np.ndarray, truth: np.ndarray) -> tuple[int, int]:
    return int((pred & truth).sum()), int((pred | truth).sum())


def moved_truth(truth: np.ndarray) -> dict[str, np.ndarray]:
    """The class mask `truth` (bool HxW) shifted right by one pixel, grown and shrunk by one pixel (3x3 square)."""
    import cv2

    u8, square = truth.astype(np.uint8), np.ones((3, 3), np.uint8)
    shifted = np.zeros_like(truth)
    shifted[:, 1:] = truth[:, :-1]
    return {"shift": shifted, "grow": cv2.dilate(u8, square).astype(bool), "shrink": cv2.erode(u8, square).astype(bool)}


def outline_stats(truth: np.ndarray) -> tuple[int, list[float]]:
    """(pixels of `truth` with a 4-neighbour outside it, width 2*area/perimeter of each part with perimeter > 20)."""
    import cv2

    u8 = truth.astype(np.uint8)
    inner = cv2.erode(u8, np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], np.uint8), borderType=cv2.BORDER_REPLICATE)
    contours, _ = cv2.findContours(u8, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    widths = [2 * cv2.contourArea(c) / cv2.arcLength(c, True) for c in contours if cv2.arcLength(c, True) > 20]
    return int((truth & ~inner.astype(bool)).sum()), widths


def head_ceiling(masks: np.ndarray, num_classes: int, grid: int, input_size: int = 256, steps: int = 300,
                 batch: int = 26) -> ConfusionMatrix:
    """Confusion matrix of the best GRIDxGRID scores for each mask of `masks` (N x H x W, IGNORE_INDEX left out),
    upsampled to `input_size` then to HxW (bilinear, as the deployment graph), argmax."""
    import torch
    import torch.nn.functional as F

    cm = ConfusionMatrix(num_classes)
    for b in range(0, len(masks), batch):
        truth = torch.from_numpy(masks[b:b + batch].astype(np.int64))
        onehot = F.one_hot(truth.clamp(max=num_classes - 1), num_classes).permute(0, 3, 1, 2).float()
        scores = torch.log(F.interpolate(onehot, size=(grid, grid), mode="area").clamp(min=1e-3)).requires_grad_()
        opt = torch.optim.Adam([scores], lr=0.3)

        def upsample(s, frame=truth.shape[-2:]):
            if grid != input_size:
                s = F.interpolate(s, size=(input_size, input_size), mode="bilinear", align_corners=False)
            return F.interpolate(s, size=frame, mode="bilinear", align_corners=False)

        for _ in range(steps):
            opt.zero_grad()
            F.cross_entropy(upsample(scores), truth, ignore_index=IGNORE_INDEX).backward()
            opt.step()
        with torch.no_grad():
            cm.update(upsample(scores).argmax(1).numpy(), truth.numpy())
    return cm


def measure(data: Path, split: str, grid: int, steps: int = 300) -> dict:
    from foodcam.train.data.kitchen import HEAD, KitchenFolder

    folder = KitchenFolder(data, split)
    if not len(folder):
        raise FoodcamError(f"{data / split}: no labelled frames")
    masks = np.stack([folder.load(i)[1] for i in range(len(folder))])
    classes = list(HEAD.classes)
    ceiling = head_ceiling(masks, len(classes), grid, steps=steps).metrics(classes)["per_class"]
    report = {"data": str(data), "split": split, "frames": len(folder), "grid": grid, "classes": {}}
    for c, name in enumerate(classes):
        moved = {m: [0, 0] for m in MOVES}
        outline = area = 0
        widths: list[float] = []
        for mask in masks:
            truth = mask == c
            if not truth.any():
                continue
            for m, pred in moved_truth(truth).items():
                i, u = _iou(pred, truth)
                moved[m][0] += i
                moved[m][1] += u
            o, w = outline_stats(truth)
            outline, area, widths = outline + o, area + int(truth.sum()), widths + w
        report["classes"][name] = {
            "head_ceiling_iou": None if np.isnan(ceiling[name]["iou"]) else float(ceiling[name]["iou"]),
            **{f"iou_{m}_1px": (moved[m][0] / moved[m][1] if moved[m][1] else None) for m in MOVES},
            "outline_share": outline / area if area else None,
            "median_width_px": float(np.median(widths)) if widths else None,
        }
    return report


def format_table(report: dict) -> str:
    def pct(v):
        return "-" if v is None else f"{100 * v:.1f}"

    lines = [f"{report['frames']} frames of {report['data']} ({report['split']}), head grid {report['grid']}²",
             "| class | head ceiling IoU | truth shifted 1 px | grown 1 px | shrunk 1 px | pixels on outline | median width |",
             "|---|---|---|---|---|---|---|"]
    for name, r in report["classes"].items():
        width = "-" if r["median_width_px"] is None else f"{r['median_width_px']:.1f} px"
        lines.append(f"| {name} | {pct(r['head_ceiling_iou'])} | {pct(r['iou_shift_1px'])} | {pct(r['iou_grow_1px'])} | "
                     f"{pct(r['iou_shrink_1px'])} | {pct(r['outline_share'])} % | {width} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m foodcam.benchmarks.mask_ceiling", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="kitchen dataset folder")
    p.add_argument("--split", default="val")
    p.add_argument("--grid", type=int, default=128, help="the head's output grid (ThinSeg at 256²: 128)")
    p.add_argument("--steps", type=int, default=300, help="gradient steps fitting each batch's scores")
    p.add_argument("--out", default=None, help="folder for mask_ceiling.json")
    args = p.parse_args(argv)

    def work() -> dict:
        if args.grid < 2 or args.steps < 1:
            raise FoodcamError("--grid must be at least 2 and --steps positive")
        return measure(Path(args.data), args.split, args.grid, args.steps)

    return run_one_report("mask_ceiling", work, format_table, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
