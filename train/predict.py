"""`foodcam predict`: run any artifact (.pt, .onnx, .engine) on an image, a folder or a glob.

Segmentation writes OUT/<stem>.png (colour-coded mask at the input's resolution) and, with
--overlay, OUT/<stem>_overlay.jpg. Classifiers print the top-k per head and write OUT/predictions.csv.
Every per-image head is printed as its decision: the top-k classes with probabilities (classification) or
every class at or above the head's threshold (multilabel, e.g. foodseg's ingredient list); a model with
per-image heads or many classes also writes OUT/predictions.json (per image: decisions per head and, for
a mask, the area share of each class present).
Unreadable inputs are reported one line each and skipped; the exit status is 1 when any failed.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from foodcam.runtime.colour import colorize, overlay
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import (
    IMAGE_EXTS,
    list_images,
    read_image,
    write_image,
    write_json_atomic,
    write_text_atomic,
)
from foodcam.runtime.model import Model
from foodcam.runtime.outdir import output_dir, print_wrote
from foodcam.train.configs import PredictConfig

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
    progress: bool = True, topk: int = 2,
) -> tuple[int, list[Failure]]:
    """Colour-coded masks (and overlays) for `paths` into `out`, the per-image heads' decisions printed and,
    for multi-task or many-class models, OUT/predictions.json; (images written, failures)."""
    head = model.task.seg_head
    written, failed, records = 0, [], []
    for path, stem in tqdm(list(zip(paths, output_stems(paths))), desc="predict", unit="img", disable=not progress):
        try:
            frame = read_image(path)
        except FoodcamError as e:
            failed.append(_report(path, e))
            continue
        res = model.predict(frame)
        mask = res.mask_full
        write_image(out / f"{stem}.png", colorize(mask, head))
        if with_overlay:
            write_image(out / f"{stem}_overlay.jpg", overlay(frame, mask, head, alpha))
        areas = {c: round(v, 6) for c, v in sorted(res.shares.items(), key=lambda kv: -kv[1]) if v > 0}
        heads = _decisions(res, topk)
        if heads:
            tqdm.write(f"{path.name}: {_describe(heads, res)}")
        records.append({"image": str(path), "mask": f"{stem}.png", "heads": heads, "areas": areas})
        written += 1
    if records and (model.task.image_heads or head.num_classes > 8):
        write_json_atomic(out / "predictions.json", {"task": model.task.name, "images": records})
    return written, failed


def _decisions(res, topk: int) -> dict[str, list[dict]]:
    """Per per-image head: [{"class", "prob"}] of its decision (top-k, or every class over the threshold)."""
    return {h.name: [{"class": c, "prob": round(p, 6)} for c, p in res.decisions(h.name, topk)]
            for h in res.task.image_heads}


MAX_PRINTED = 8  # classes printed per head and image (a 103-food ingredient list can name dozens)


def _describe(heads: dict[str, list[dict]], res=None) -> str:
    """One line per image; a calibrated head unsure about the photo says so instead of its label."""
    def said(h: str, ds: list[dict]) -> str:
        if res is not None and res.is_unsure(h):
            return res.head_text(h, digits=3)
        more = f", +{len(ds) - MAX_PRINTED} more in predictions.json" if len(ds) > MAX_PRINTED else ""
        return ", ".join(f"{d['class']} {d['prob']:.3f}" for d in ds[:MAX_PRINTED]) + more or "(none)"

    return " | ".join(f"{h} {said(h, ds)}" for h, ds in heads.items())


def _unsure(res) -> dict:
    """Calibrated heads -> {"unsure": bool, "score": float} (empty for a model without calibration)."""
    return {h: {"unsure": bool(res.unsure[h]), "score": round(float(res.unsure_scores[h]), 6)} for h in res.unsure}


def predict_classification(
    model: Model, paths: Sequence[Path], out: Path, topk: int = 2, progress: bool = True,
) -> tuple[int, list[Failure]]:
    """Top-k per head printed per image, and OUT/predictions.csv (one row per readable image)."""
    heads = [h.name for h in model.task.heads]
    k = max(1, int(topk))
    rows, records = [], []
    failed = []
    for path in tqdm(paths, desc="predict", unit="img", disable=not progress):
        try:
            frame = read_image(path)
        except FoodcamError as e:
            failed.append(_report(path, e))
            continue
        res = model.predict(frame)
        tops = {h: res.top(h, k) for h in heads}
        decided = _decisions(res, k)
        tqdm.write(f"{path.name}: {_describe(decided, res)}")
        records.append({"image": str(path), "heads": decided, **({"unsure": _unsure(res)} if res.unsure else {})})
        row = {"image": str(path)}
        for h in heads:
            row[h], row[f"{h}_prob"] = tops[h][0][0], f"{tops[h][0][1]:.6f}"
            row[f"{h}_top{k}"] = ";".join(f"{name}:{p:.6f}" for name, p in tops[h])
            if h in res.unsure:
                row[f"{h}_unsure"], row[f"{h}_unsure_score"] = str(int(res.unsure[h])), f"{res.unsure_scores[h]:.6f}"
        rows.append(row)
    if rows:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        write_text_atomic(out / "predictions.csv", buf.getvalue())
        write_json_atomic(out / "predictions.json", {"task": model.task.name, "images": records})
    return len(rows), failed


def predict_files(cfg: PredictConfig) -> tuple[int, dict]:
    """`foodcam predict` and `model.predict_files()`: a mask (or labels) file per image in the output folder;
    (exit code: 1 when an image failed, {"out", "written", "failed"})."""
    from foodcam.pinned import check as check_pinned
    from foodcam.runtime.open import open_model

    check_pinned(cfg)  # --model-sha256: before anything is written or opened
    out = output_dir(cfg.out, "predict")  # default runs/predict/predictN; checked before the model loads
    paths = list_images(cfg.source)
    if not paths:
        raise FoodcamError(f"{cfg.source}: no images found (looked for {', '.join(IMAGE_EXTS)})")
    with open_model(cfg.weights, device=cfg.device, verify=cfg.verify) as model:
        out.mkdir(parents=True, exist_ok=True)
        if model.task.has_segmentation:
            written, failed = predict_segmentation(model, paths, out, cfg.overlay, cfg.alpha, topk=cfg.topk)
        else:
            written, failed = predict_classification(model, paths, out, cfg.topk)
    print(f"{written} written, {len(failed)} failed → {out}")
    print_wrote("predict", out)
    return (1 if failed else 0), {"out": out, "written": written, "failed": failed}
