"""What every annotation reader produces, and the one writer that turns it into the kitchen mask format.

A reader yields `Item`s: an image (a file or encoded bytes), its size as the annotation states it, and its
shapes in file order, each a label and a function drawing it as a boolean mask. `write_items` checks everything
first (labels mapped, images readable, sizes agree) and names every problem with its file; only when there is
none does it draw (background = pan, later shapes on top), stage the files in a hidden folder inside OUT and
move each into DIR/<split>/{images,masks}/<stem>.jpg|.png, so a failed import leaves nothing half-written.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from foodcam.runtime.colour import colorize
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import IMAGE_EXTS, read_image, write_bytes_atomic, write_image
from foodcam.runtime.imageio import decode_image as decode_bytes
from foodcam.train.data.imports.mapping import HEAD, IGNORE, TARGETS, LabelMap

SPLITS = ("train", "val", "test")
SPLIT_SHARES = (("train", 0.625), ("val", 0.195), ("test", 0.18))  # as `foodcam synth kitchen`
JPEG_QUALITY = 95  # images that are not JPEG already are encoded once, at this quality


@dataclass
class Shape:
    label: str
    draw: Callable[[int, int], np.ndarray]  # (height, width) -> bool mask
    where: str = ""  # e.g. "shape 3" or "annotation 17", for messages


@dataclass
class Item:
    stem: str  # output file name without extension
    source: Path  # the annotation file (named in every message about this item)
    image: Path | bytes | None  # image file, or the encoded image embedded in the annotation
    size: tuple[int, int] | None = None  # (height, width) the annotation was drawn on, when it says
    shapes: list[Shape] = field(default_factory=list)


@dataclass
class Problems:
    """Everything wrong with an import; errors stop it, warnings (counted skips) are reported."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def error(self, where: Path | str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    def warn(self, where: Path | str, message: str) -> None:
        self.warnings.append(f"{where}: {message}")


def safe_stem(relative: str) -> str:
    """An output stem from a relative image name: folders joined by '_', extension dropped, odd characters '_'."""
    parts = [p for p in re.split(r"[\\/]+", str(relative)) if p not in ("", ".", "..")]
    if not parts:
        return ""
    parts[-1] = Path(parts[-1]).stem if Path(parts[-1]).suffix.lower() in IMAGE_EXTS else parts[-1]
    return re.sub(r"[^\w.\-]+", "_", "_".join(parts))


def decode_image(image: Path | bytes, what: str) -> np.ndarray:
    """The image of an item, under the one decode policy (runtime/imageio.py: a pixel limit read from the header)."""
    if isinstance(image, Path):
        return read_image(image)
    return decode_bytes(image, what)


def assign_splits(stems: list[str], split: str, seed: int = 0) -> dict[str, str]:
    """stem -> split: everything in one split, or `auto`: a seeded shuffle shared out like `foodcam synth`
    (train 62.5 %, val 19.5 %, test 18 %), with at least one val frame whenever there are two frames."""
    if split in SPLITS:
        return {s: split for s in stems}
    if split != "auto":
        raise FoodcamError(f"--split {split}: expected train, val, test or auto")
    order = sorted(stems)
    np.random.default_rng(seed).shuffle(order)
    n = len(order)
    n_val = max(1 if n >= 2 else 0, int(round(n * SPLIT_SHARES[1][1])))
    n_test = min(n - n_val - (1 if n >= 2 else 0), int(round(n * SPLIT_SHARES[2][1])))
    n_test = max(0, n_test)
    out = {s: "val" for s in order[:n_val]}
    out.update({s: "test" for s in order[n_val:n_val + n_test]})
    out.update({s: "train" for s in order[n_val + n_test:]})
    return out


def check_labels(items: list[Item], labels: LabelMap, problems: Problems) -> dict[str, int]:
    """Count shapes per label; every unmapped label is one error listing where it is used."""
    counts: dict[str, int] = {}
    unmapped: dict[str, list[str]] = {}
    for it in items:
        for sh in it.shapes:
            counts[sh.label] = counts.get(sh.label, 0) + 1
            if labels.target(sh.label) is None:
                unmapped.setdefault(sh.label, []).append(str(it.source))
    for label, files in sorted(unmapped.items()):
        uniq = sorted(set(files))
        more = f" and {len(uniq) - 3} more files" if len(uniq) > 3 else ""
        problems.error(", ".join(uniq[:3]) + more,
                       f"label {label!r} has no mapping ({len(files)} shapes): add --map \"{label}=stirrer|pan|food|"
                       "background|ignore|void\", or --map \"*=ignore\" for every unmapped label")
    return counts


def rasterise(item: Item, labels: LabelMap, height: int, width: int) -> np.ndarray:
    """The class-index mask of one item: background (pan) first, then each shape in file order on top."""
    mask = np.full((height, width), TARGETS["background"], np.uint8)
    for sh in item.shapes:
        index = labels.index(sh.label)
        if index == IGNORE:
            continue
        region = sh.draw(height, width)
        mask[region.astype(bool)] = index
    return mask


def _existing(out: Path) -> dict[str, Path]:
    """lower-case stem -> a file already in OUT's split folders."""
    found: dict[str, Path] = {}
    for split in SPLITS:
        for sub in ("images", "masks"):
            folder = out / split / sub
            if folder.is_dir():
                for p in folder.iterdir():
                    found.setdefault(p.stem.lower(), p)
    return found


def prepare(items: list[Item], out: Path, labels: LabelMap, problems: Problems) -> list[tuple[Item, np.ndarray]]:
    """Decode every image, check sizes, stems and labels; (item, image) pairs ready to write."""
    if out.exists() and not out.is_dir():
        raise FoodcamError(f"--out {out}: exists and is not a folder")
    check_labels(items, labels, problems)
    existing = _existing(out) if out.is_dir() else {}
    seen: dict[str, Path] = {}
    ready = []
    for it in items:
        key = it.stem.lower()
        if not it.stem:
            problems.error(it.source, "no usable image name")
            continue
        if key in seen:
            problems.error(it.source, f"output name {it.stem!r} is also made from {seen[key]} (names differ only "
                           "in case or folder); rename one of them")
            continue
        seen[key] = it.source
        if key in existing:
            problems.error(it.source, f"{existing[key]} already exists; import into a new folder")
            continue
        if it.image is None:
            continue  # the reader has already said why
        try:
            image = decode_image(it.image, str(it.image) if isinstance(it.image, Path) else f"{it.source} (imageData)")
        except FoodcamError as e:
            problems.error(it.source, str(e))
            continue
        if it.size is not None and tuple(it.size) != image.shape[:2]:
            problems.error(it.source, f"annotation is for a {it.size[1]}x{it.size[0]} image but the image is "
                           f"{image.shape[1]}x{image.shape[0]}")
            continue
        ready.append((it, image))
    return ready


def _encoded_jpeg(it: Item) -> bytes | None:
    """The image's own bytes when it is a JPEG already (copied, never re-encoded), else None."""
    if isinstance(it.image, Path) and it.image.suffix.lower() in (".jpg", ".jpeg"):
        return it.image.read_bytes()
    if isinstance(it.image, bytes) and it.image[:3] == b"\xff\xd8\xff":
        return it.image
    return None


def write_items(items: list[Item], out: str | Path, labels: LabelMap, split: str = "auto", seed: int = 0,
                problems: Problems | None = None, progress: bool = True) -> dict:
    """Check, draw and write `items` into OUT; FoodcamError (after the problems are listed) when any is wrong."""
    from tqdm import tqdm

    out = Path(out)
    problems = problems or Problems()
    ready = prepare(items, out, labels, problems)
    if problems.errors:
        raise ImportProblems(problems)
    if not ready:
        raise FoodcamError("no annotated images found to import")
    splits = assign_splits([it.stem for it, _ in ready], split, seed)
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".import-", dir=out))
    counts = {s: 0 for s in SPLITS}
    class_pixels = np.zeros(HEAD.num_classes + 1, np.int64)
    try:
        staged = []
        for it, image in tqdm(ready, desc="import", unit="img", disable=not progress, leave=False):
            mask = rasterise(it, labels, *image.shape[:2])
            class_pixels += np.bincount(np.minimum(mask.ravel(), HEAD.num_classes), minlength=HEAD.num_classes + 1)
            s = splits[it.stem]
            img_dst, mask_dst = out / s / "images" / f"{it.stem}.jpg", out / s / "masks" / f"{it.stem}.png"
            img_tmp, mask_tmp = stage / f"{it.stem}.jpg", stage / f"{it.stem}.png"
            jpeg = _encoded_jpeg(it)
            if jpeg is not None:
                write_bytes_atomic(img_tmp, jpeg)
            else:
                write_image(img_tmp, image, jpeg_quality=JPEG_QUALITY)
            write_image(mask_tmp, colorize(mask, HEAD))
            staged += [(img_tmp, img_dst), (mask_tmp, mask_dst)]
            counts[s] += 1
        for tmp, dst in staged:
            dst.parent.mkdir(parents=True, exist_ok=True)
            tmp.replace(dst)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return {"out": str(out), "images": len(ready), "splits": counts, "class_pixels": class_pixels.tolist(),
            "warnings": list(problems.warnings)}


class ImportProblems(FoodcamError):
    """The import found problems: each is one line naming its file."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        n = len(problems.errors)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} found (listed above); nothing written")
