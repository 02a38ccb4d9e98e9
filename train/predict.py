"""`foodcam predict`: run any artifact (.pt, .onnx, .engine) on an image, a folder or a glob.

Segmentation writes OUT/<stem>.png (colour-coded mask at the input's resolution) and, with
--overlay, OUT/<stem>_overlay.jpg. Classifiers print the top-k per head and write OUT/predictions.csv.
Unreadable inputs are reported one line each and skipped; the exit status is 1 when any failed.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from foodcam.runtime.colour import colorize, overlay
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import IMAGE_EXTS, list_images, read_image, write_image, write_text_atomic
from foodcam.runtime.model import Model
from tqdm import tqdm

Failure = tuple[Path, str]


def output_stems(paths: Sequence[Path]) -> list[str]:
    """A distinct output name per input: the stem, or stem_ext when two inputs share a stem."""
    counts: dict[str, int] = {}
    for p in paths:
        counts[p.stem] = counts.get(p.stem, 0) + 1
    stems, used = [], set()
    for p in paths:
        stem = p.stem if counts[p.stem] == 1 else f"{p.stem}_{p.suffix.lstrip('.').lower()}"
        base, k = stem, 1
        while stem in used:  # same stem and extension via a glob over several folders
            k += 1
            stem = f"{base}_{k}"
        used.add(stem)
        stems.append(stem)
    return stems


def _report(path: Path, err: Exception) -> Failure:
    msg = str(err)
    reason = msg[len(str(path)) + 2:] if msg.startswith(f"{path}: ") else msg
    tqdm.write(f"skipped {path}: {reason}", file=sys.stderr)
    return path, reason


def predict_segmentation(
    model: Model, paths: Sequence[Path], out: Path, with_overlay: bool = False, alpha: float = 0.5,
    progress: bool = True,
) -> tuple[int, list[Failure]]:
    """Colour-coded masks (and overlays) for `paths` into `out`; (images written, failures)."""
    head = model.task.seg_head
    written, failed = 0, []
    for path, stem in tqdm(list(zip(paths, output_stems(paths))), desc="predict", unit="img", disable=not progress):
        try:
            frame = read_image(path)
        except FoodcamError as e:
            failed.append(_report(path, e))
            continue
        mask = model.predict(frame).mask_full
        write_image(out / f"{stem}.png", colorize(mask, head))
        if with_overlay:
            write_image(out / f"{stem}_overlay.jpg", overlay(frame, mask, head, alpha))
        written += 1
    return written, failed


def predict_classification(
    model: Model, paths: Sequence[Path], out: Path, topk: int = 2, progress: bool = True,
) -> tuple[int, list[Failure]]:
    """Top-k per head printed per image, and OUT/predictions.csv (one row per readable image)."""
    heads = [h.name for h in model.task.heads]
    k = max(1, int(topk))
    rows = []
    failed = []
    for path in tqdm(paths, desc="predict", unit="img", disable=not progress):
        try:
            frame = read_image(path)
        except FoodcamError as e:
            failed.append(_report(path, e))
            continue
        res = model.predict(frame)
        tops = {h: res.top(h, k) for h in heads}
        tqdm.write(f"{path.name}: " + " | ".join(
            f"{h} " + ", ".join(f"{name} {p:.3f}" for name, p in tops[h]) for h in heads
        ))
        row = {"image": str(path)}
        for h in heads:
            row[h], row[f"{h}_prob"] = tops[h][0][0], f"{tops[h][0][1]:.6f}"
            row[f"{h}_top{k}"] = ";".join(f"{name}:{p:.6f}" for name, p in tops[h])
        rows.append(row)
    if rows:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        write_text_atomic(out / "predictions.csv", buf.getvalue())
    return len(rows), failed


def main(args) -> int:
    from foodcam.train.artifacts import load_model

    if not 0.0 <= float(args.alpha) <= 1.0:
        raise FoodcamError(f"--alpha {args.alpha}: expected a value between 0 and 1")
    if int(args.topk) < 1:
        raise FoodcamError(f"--topk {args.topk}: expected at least 1")
    paths = list_images(args.source)
    if not paths:
        raise FoodcamError(f"{args.source}: no images found (looked for {', '.join(IMAGE_EXTS)})")
    out = Path(args.out)
    with load_model(args.weights, device=getattr(args, "device", None), verify=getattr(args, "verify", False)) as model:
        out.mkdir(parents=True, exist_ok=True)
        if model.task.kind == "segmentation":
            written, failed = predict_segmentation(model, paths, out, args.overlay, float(args.alpha))
        else:
            written, failed = predict_classification(model, paths, out, int(args.topk))
    print(f"{written} written, {len(failed)} failed → {out}")
    return 1 if failed else 0
