"""`foodcam data check foodseg|coco ROOT`: read every image and mask of a food-segmentation set once.

Per split: usable images, skipped ones; per class: pixel share and image frequency (sorted, so the long
tail shows), classes present and absent; every problem with its file. Exit status 1 on any error.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from tqdm import tqdm

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import IGNORE_INDEX
from foodcam.train.data.food import CocoSplit, FoodData, Problem, open_food_data


def scan(data: FoodData, progress: bool = True) -> dict:
    """Load every item of every split; counts per class and the problems found."""
    n = len(data.classes)
    report = {"root": str(data.root), "format": data.format, "classes": list(data.classes), "splits": {}}
    problems: list[Problem] = list(data.problems)
    for name, split in data.splits.items():
        problems += split.problems
        pixels = np.zeros(n, np.int64)
        images = np.zeros(n, np.int64)
        ok = ignored = 0
        for i in tqdm(range(len(split)), desc=f"check {name}", unit="img", disable=not progress, leave=False):
            try:
                bgr, mask = split.load(i)
            except FoodcamError as e:
                problems.append(Problem("error", str(split.path(i)), _strip(str(e), split.path(i))))
                continue
            if isinstance(split, CocoSplit):
                rec = split.items[i][1]
                want = (rec.get("height"), rec.get("width"))
                if want != bgr.shape[:2]:
                    problems.append(Problem("warning", str(split.path(i)),
                                            f"annotations.json records {want[1]}x{want[0]} but the file is "
                                            f"{bgr.shape[1]}x{bgr.shape[0]} (masks decoded at the file's size)"))
            ignore = mask == IGNORE_INDEX if mask.dtype == np.uint8 else np.zeros(mask.shape, bool)  # wide: none
            counts = np.bincount(mask[~ignore].ravel(), minlength=n)[:n]
            pixels += counts
            images += counts > 0
            ignored += int(ignore.sum())
            ok += 1
        report["splits"][name] = {"images": len(split), "usable": ok, "pixels": pixels.tolist(),
                                  "images_with": images.tolist(), "ignored_pixels": ignored}
    report["problems"] = [vars(p) for p in problems]
    report["errors"] = sum(p.level == "error" for p in problems)
    report["warnings"] = sum(p.level == "warning" for p in problems)
    return report


def _strip(msg: str, path: Path) -> str:
    return msg[len(str(path)) + 2:] if msg.startswith(f"{path}: ") else msg


def format_report(report: dict, max_problems: int = 200) -> str:
    classes = report["classes"]
    splits = report["splits"]
    out = [f"{report['format']} dataset {report['root']}: {len(classes)} classes (incl. background)"]
    for name, s in splits.items():
        px = np.asarray(s["pixels"])
        present = int((np.asarray(s["images_with"])[1:] > 0).sum())
        out.append(f"  {name:<6} {s['usable']} usable of {s['images']} images; {present}/{len(classes) - 1} food "
                   f"classes present; {s['ignored_pixels']} ignored (255) pixels; {int(px.sum())} labelled pixels")
    names = list(splits)
    tot_px = {k: max(1, sum(s["pixels"])) for k, s in splits.items()}
    rows = []
    for c, cname in enumerate(classes):
        freq = [splits[k]["images_with"][c] for k in names]
        share = [splits[k]["pixels"][c] / tot_px[k] for k in names]
        rows.append((sum(freq), c, cname, freq, share))
    rows.sort(key=lambda r: (-r[0], r[1]))
    w = max(10, *(len(r[2]) for r in rows))
    head = f"  {'id':>3} {'class':<{w}} " + " ".join(f"{k + ' imgs':>11} {k + ' px%':>10}" for k in names)
    out += ["classes by image frequency (pixel share of labelled pixels):", head]
    for _, c, cname, freq, share in rows:
        out.append(f"  {c:>3} {cname:<{w}} " + " ".join(
            f"{f:>11} {100 * s:>9.2f}%" for f, s in zip(freq, share)))
    absent = [classes[c] for c in range(1, len(classes)) if all(splits[k]["images_with"][c] == 0 for k in names)]
    if absent:
        out.append(f"absent from every split: {', '.join(absent)}")
    for k in names:
        missing = [classes[c] for c in range(1, len(classes)) if splits[k]["images_with"][c] == 0]
        if missing and len(missing) != len(absent):
            out.append(f"absent from {k}: {', '.join(missing)}")
    problems = report["problems"]
    if problems:
        out.append(f"problems: {report['errors']} error(s), {report['warnings']} warning(s)")
        out += [f"  {p['level']:<7} {p['file']}: {p['message']}" for p in problems[:max_problems]]
        if len(problems) > max_problems:
            out.append(f"  ... and {len(problems) - max_problems} more")
    else:
        out.append("no problems found")
    return "\n".join(out)


def check(root: str | Path, expect: str | None = None) -> tuple[str, int]:
    """(printed report, number of errors); `expect` is the layout the user named ("foodseg103" | "coco")."""
    data = open_food_data(root)
    if expect is not None and data.format != expect:
        raise FoodcamError(f"{root}: this is a {data.format} folder, not {expect} "
                           f"(use `foodcam data check {'foodseg' if data.format == 'foodseg103' else 'coco'}`)")
    report = scan(data)
    return format_report(report), report["errors"]
