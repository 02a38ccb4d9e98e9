"""Fruit freshness image folders: both real layouts, decode checks, de-duplication, a leak-free split.

Layouts (found at any depth, so a doubly nested unzip works):
  nested: `Fruit Freshness Dataset/<Fruit>/<Fresh|Rotten>/*.jpg`
  flat:   `train|test/freshapples, rottenbanana, ...` (singular or plural, any case; "apple_rotten" too)
The labels come from folder names; the fruit class list is the task's fruit followed by any other fruit
found. Every image is decoded once (corrupt ones are skipped and counted), duplicates are grouped
(`train.data.dedup`) BEFORE splitting, and one stratified, seeded train/val split is drawn from the
pooled, de-duplicated images; the old train/test folders are not trusted (they share copies).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import is_image, read_image
from foodcam.runtime.tasks import FRESHNESS
from foodcam.train.data.dedup import (
    DEFAULT_THRESHOLD,
    Dedup,
    find_duplicates,
    group_of,
    overlap,
    phash,
    stratified_split,
)

FRESHNESS_CLASSES: tuple[str, ...] = FRESHNESS.head("freshness").classes  # ("fresh", "rotten")
VAL_FRACTION = 0.2
SPLIT_SEED = 0  # the split is a property of the data, not of a training run: eval re-draws the same one
SKIP_DIRS = {"__macosx"}
NOT_A_FRUIT = {"train", "test", "val", "valid", "validation", "training", "testing", "dataset", "datasets", "data",
               "images", "image", "img", "imgs", "fruit", "fruits", "all", "fresh", "rotten", "freshness"}
_FLAT_FIRST = re.compile(r"(fresh|rotten)(?!ness)[\s_-]*([a-z][a-z\s_-]*)")
_FLAT_LAST = re.compile(r"([a-z][a-z\s_-]*?)[\s_-]*(fresh|rotten)")


def singular(word: str) -> str:
    """apples -> apple, strawberries -> strawberry, tomatoes -> tomato, peaches -> peach; banana stays."""
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("oes", "ches", "shes", "sses", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def fruit_name(text: str) -> str | None:
    """A folder name as a fruit class name ("Apples" -> "apple", "Bitter Gourd" -> "bitter_gourd"), or None."""
    t = re.sub(r"[\s_-]+", "_", text.strip().lower()).strip("_")
    if not re.fullmatch(r"[a-z]+(?:_[a-z]+)*", t) or t in NOT_A_FRUIT or len(t) < 3:
        return None
    words = t.split("_")
    words[-1] = singular(words[-1])
    return "_".join(words)


def parse_labels(dirs: tuple[str, ...] | list[str]) -> tuple[str, bool, str] | None:
    """(fruit, rotten, layout) from the folders above an image (deepest first), or None when unlabelled."""
    for k in range(len(dirs) - 1, -1, -1):
        p = dirs[k].strip().lower()
        if p in FRESHNESS_CLASSES:
            for q in ([dirs[k - 1]] if k > 0 else []) + ([dirs[k + 1]] if k + 1 < len(dirs) else []):
                f = fruit_name(q)
                if f:
                    return f, p == FRESHNESS_CLASSES[1], "nested"
            continue
        m = _FLAT_FIRST.fullmatch(p)
        if m and fruit_name(m.group(2)):
            return fruit_name(m.group(2)), m.group(1) == FRESHNESS_CLASSES[1], "flat"
        m = _FLAT_LAST.fullmatch(p)
        if m and fruit_name(m.group(1)):
            return fruit_name(m.group(1)), m.group(2) == FRESHNESS_CLASSES[1], "flat"
    return None


@dataclass
class Scan:
    """Every file under a root: the labelled, decodable images and what was skipped."""

    root: Path
    paths: list[Path] = field(default_factory=list)
    fruit: list[str] = field(default_factory=list)
    rotten: list[bool] = field(default_factory=list)
    phashes: list[int] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)
    layouts: Counter = field(default_factory=Counter)
    not_images: list[Path] = field(default_factory=list)
    corrupt: list[tuple[Path, str]] = field(default_factory=list)
    unlabelled: list[Path] = field(default_factory=list)

    @property
    def labels(self) -> list[tuple[str, bool]]:
        return list(zip(self.fruit, self.rotten))

    @property
    def skipped(self) -> int:
        return len(self.not_images) + len(self.corrupt) + len(self.unlabelled)


def scan_folder(root: str | Path, progress: bool = True) -> Scan:
    """Walk `root`, label images by their folders, decode each once (pHash + content hash)."""
    root = Path(root)
    if not root.is_dir():
        raise FoodcamError(f"{root}: no such dataset folder")
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d.lower() not in SKIP_DIRS and not d.startswith("."))
        files.extend(Path(dirpath) / f for f in sorted(filenames))
    scan = Scan(root=root)
    for path in tqdm(files, desc="scan", unit="file", disable=not progress, leave=False):
        if path.name.startswith(".") or not is_image(path):
            scan.not_images.append(path)
            continue
        labels = parse_labels(path.relative_to(root).parts[:-1])
        if labels is None:
            scan.unlabelled.append(path)
            continue
        try:
            bgr = read_image(path)
        except FoodcamError as e:
            scan.corrupt.append((path, str(e)))
            continue
        scan.paths.append(path)
        scan.fruit.append(labels[0])
        scan.rotten.append(labels[1])
        scan.layouts[labels[2]] += 1
        scan.phashes.append(phash(bgr))
        scan.digests.append(hashlib.sha1(path.read_bytes()).hexdigest())
    return scan


def fruit_classes(found: list[str] | set[str]) -> tuple[str, ...]:
    """The task's fruit (fixed order, so default models agree) followed by any other fruit found, sorted."""
    base = FRESHNESS.head("fruit").classes
    return tuple(base) + tuple(sorted(set(found) - set(base)))


@dataclass
class FreshnessData:
    """A scanned, de-duplicated and split freshness dataset."""

    scan: Scan
    dedup: Dedup
    fruits: tuple[str, ...]
    train: list[int]
    val: list[int]
    overlap: dict[str, list]
    threshold: int
    val_fraction: float
    seed: int

    def indices(self, split: str) -> list[int]:
        if split == "train":
            return self.train
        if split == "val":
            return self.val
        if split == "all":
            return sorted(self.train + self.val)
        raise FoodcamError(f"freshness split {split!r}: expected train, val or all (val is drawn from the pooled data)")

    def items(self, split: str) -> list[tuple[Path, int, int]]:
        """(path, fruit index, freshness index) per image of `split`."""
        s = self.scan
        return [(s.paths[i], self.fruits.index(s.fruit[i]), int(s.rotten[i])) for i in self.indices(split)]

    def counts(self, split: str = "all") -> dict[tuple[str, str], int]:
        """Images per (fruit, fresh|rotten) in `split` (after de-duplication)."""
        c = Counter((self.scan.fruit[i], FRESHNESS_CLASSES[int(self.scan.rotten[i])]) for i in self.indices(split))
        return dict(sorted(c.items()))

    def folder(self, split: str) -> FreshnessFolder:
        return FreshnessFolder(self.items(split), self.fruits)

    def leaks(self) -> int:
        return sum(len(v) for v in self.overlap.values())

    def assert_no_overlap(self) -> None:
        if self.leaks():
            first = next(f"{k}: {v[0]}" for k, v in self.overlap.items() if v)
            raise FoodcamError(f"{self.scan.root}: train and val share {self.leaks()} image(s), e.g. {first}")


def load_freshness(
    root: str | Path,
    val_fraction: float = VAL_FRACTION,
    seed: int = SPLIT_SEED,
    threshold: int = DEFAULT_THRESHOLD,
    progress: bool = True,
) -> FreshnessData:
    """Scan, de-duplicate, split (stratified by fruit x freshness) and verify zero train/val overlap."""
    if not 0.0 <= val_fraction < 1.0:
        raise FoodcamError(f"val fraction {val_fraction}: expected 0 <= fraction < 1")
    scan = scan_folder(root, progress=progress)
    if not scan.paths:
        raise FoodcamError(
            f"{root}: no labelled fruit images (expected <Fruit>/<Fresh|Rotten>/*.jpg or freshapples/-style "
            f"folders; {len(scan.not_images)} non-images, {len(scan.corrupt)} corrupt, {len(scan.unlabelled)} unlabelled)"
        )
    labels = scan.labels
    dedup = find_duplicates(scan.paths, labels, scan.phashes, scan.digests, threshold)
    groups = group_of(dedup, len(scan.paths))
    train, val = stratified_split(dedup.keep, labels, groups, val_fraction, seed)
    ov = overlap(train, val, scan.paths, labels, scan.phashes, threshold)
    data = FreshnessData(scan, dedup, fruit_classes(scan.fruit), train, val, ov, threshold, val_fraction, seed)
    return data


class FreshnessFolder:
    """Labelled images of one split: `items` (path, fruit index, freshness index), `load(i)`."""

    def __init__(self, items: list[tuple[Path, int, int]], fruits: tuple[str, ...]) -> None:
        self.items = list(items)
        self.fruits = tuple(fruits)
        self.freshness = FRESHNESS_CLASSES

    @classmethod
    def open(cls, root: str | Path, split: str = "val", progress: bool = True, **kwargs) -> FreshnessFolder:
        data = load_freshness(root, progress=progress, **kwargs)
        data.assert_no_overlap()
        return data.folder(split)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def stems(self) -> list[str]:
        return [path.stem for path, _, _ in self.items]

    def load(self, i: int) -> tuple[np.ndarray, int, int]:
        """(BGR uint8 image, fruit index, freshness index: 0 fresh, 1 rotten)."""
        path, fruit, rotten = self.items[i]
        return read_image(path), fruit, rotten

    def labels(self) -> np.ndarray:
        """(N, 2) int64: fruit index, freshness index."""
        return np.asarray([(f, r) for _, f, r in self.items], np.int64).reshape(-1, 2)
