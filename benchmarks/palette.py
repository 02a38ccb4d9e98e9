"""Does a kitchen model find the stirrer by its shape, or by the colours our renderer paints it? Repaint and score:

    python -m foodcam.benchmarks.palette --weights foodcam/assets/kitchen.onnx --data ktrain5 --split val [--out DIR]

Scores the model on the same labelled frames as drawn, then repainted: the hue turned by 60, 120 and 180 degrees,
grey, and red swapped with blue (a camera or a pipeline that delivers RGB as BGR). Shapes, light and labels stay;
only the palette moves. Real kitchens come in every colour (silicone spatulas, enamel pans, a sauce the renderer
never mixed), so a model that holds up here leans on shape. Writes palette.json and prints a table (mIoU and each
class's IoU in %). Reads .pt (needs foodcam[train]) or .onnx like `foodcam eval`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

from foodcam.benchmarks.report import run_one_report
from foodcam.runtime.errors import FoodcamError


def _hue(degrees: int) -> Callable[[np.ndarray], np.ndarray]:
    def turn(bgr: np.ndarray) -> np.ndarray:
        import cv2

        hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)  # OpenCV's hue: 0..179, two degrees a step
        hsv[..., 0] = ((hsv[..., 0].astype(np.int16) + degrees // 2) % 180).astype(np.uint8)
        return cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)

    return turn


def _grey(bgr: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)


REPAINTS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "as drawn": lambda bgr: bgr,
    "hue +60": _hue(60),
    "hue +120": _hue(120),
    "hue +180": _hue(180),
    "grey": _grey,
    "red<->blue": lambda bgr: np.ascontiguousarray(bgr[..., ::-1]),
}


class Repainted:
    """A labelled split whose frames pass through `paint` (labels untouched)."""

    def __init__(self, frames, paint: Callable[[np.ndarray], np.ndarray]) -> None:
        self.frames, self.paint = frames, paint

    def __len__(self) -> int:
        return len(self.frames)

    def load(self, i: int):
        frame, target = self.frames.load(i)
        return self.paint(frame), target


def measure(weights: Path, data: Path, split: str, progress: bool = False) -> dict:
    from foodcam.runtime.open import open_model
    from foodcam.train.evaluate import SEGMENTATION_DATA, evaluate_segmentation

    model = open_model(weights)
    reader = SEGMENTATION_DATA.get(model.task.name)
    if reader is None:
        raise FoodcamError(f"{weights}: a {model.task.name!r} model; the palette test scores segmentation tasks "
                           f"({', '.join(SEGMENTATION_DATA)})")
    frames = reader(data, split)
    rows = {}
    for name, paint in REPAINTS.items():
        m = evaluate_segmentation(model, Repainted(frames, paint), progress=progress, desc=name)
        rows[name] = {"miou": m["miou"], "iou": {c: m["per_class"][c]["iou"] for c in m["classes"]}}
    return {"weights": str(weights), "data": str(data), "split": split, "frames": len(frames),
            "classes": list(model.task.seg_head.classes), "repaints": rows}


def format_table(report: dict) -> str:
    classes = report["classes"]
    lines = [f"{report['frames']} frames of {report['data']} ({report['split']}), {report['weights']}", "",
             "| frames | mIoU | " + " | ".join(classes) + " |", "|---" * (2 + len(classes)) + "|"]
    for name, row in report["repaints"].items():
        cells = [f"{100 * row['miou']:.2f}"] + [f"{100 * row['iou'][c]:.2f}" for c in classes]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m foodcam.benchmarks.palette", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", required=True, help="segmentation model: .onnx or .pt")
    p.add_argument("--data", required=True, help="labelled dataset folder (the task's own layout)")
    p.add_argument("--split", default="val")
    p.add_argument("--out", default=None, help="folder for palette.json")
    args = p.parse_args(argv)
    return run_one_report("palette", lambda: measure(Path(args.weights), Path(args.data), args.split,
                                                     progress=sys.stderr.isatty()), format_table, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
