"""Duplicate detection and leak-free splitting for image classification sets (numpy + OpenCV).

Three rules link two images into one duplicate group (union-find, so links chain):
  * the same file content (SHA-1 of the bytes),
  * the same distinctive file stem under the same label (a copy saved in two folders, or an augmented
    copy such as `rotated_by_15_<stem>`); generic stems such as `1`, `img_12` or `image (3)` never link,
  * a perceptual hash (64-bit DCT pHash) within `threshold` bits (re-encoded, resized, lightly cropped).
One image per label is kept per group, the groups are split train/val stratified by label, and
`overlap` proves that no path, stem or near-identical image sits on both sides.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

DEFAULT_THRESHOLD = 6  # Hamming distance (bits of 64) at or below which two pHashes are one image

_AUG_PREFIX = re.compile(
    r"^(?:(?:rotated_by_-?\d+|rotated|rotate_-?\d+|vertical_flip|horizontal_flip|flipped|flip|translation|"
    r"translated|saltandpepper|salt_and_pepper|noise|noisy|blur|blurred|aug_?\d*|copy_of|copy)[ _-]+)+"
)
_COPY_SUFFIX = re.compile(r"(?:[ _-]*\(\d+\)|[ _-]+copy(?:[ _-]*\d+)?|[ _-]+-[ _-]*copy)+$")
_GENERIC = re.compile(r"[a-z]{0,6}[ _-]*\(?\d{1,6}\)?|[a-z]{0,6}[ _-]*\(\d{1,6}\)")


def phash(bgr: np.ndarray) -> int:
    """64-bit perceptual hash: the signs of the 8x8 lowest DCT frequencies of a 32x32 grey image
    against their median (the DC term left out of the median)."""
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY) if bgr.ndim == 3 else bgr
    small = cv2.resize(grey, (32, 32), interpolation=cv2.INTER_AREA).astype(np.float32)
    low = cv2.dct(small)[:8, :8].ravel()
    bits = low > np.median(low[1:])
    return int.from_bytes(np.packbits(bits).tobytes(), "big")


def hamming(a: int, b: int) -> int:
    return int((int(a) ^ int(b)).bit_count())


def near_pairs(hashes: Sequence[int], threshold: int = DEFAULT_THRESHOLD,
               others: Sequence[int] | None = None, block: int = 512) -> list[tuple[int, int, int]]:
    """(i, j, distance) for every pair within `threshold` bits: i < j inside `hashes`, or i in `hashes`
    and j in `others` when given. Brute force in blocks (vectorised popcount)."""
    a = np.asarray([int(h) for h in hashes], np.uint64)
    b = a if others is None else np.asarray([int(h) for h in others], np.uint64)
    out: list[tuple[int, int, int]] = []
    for s in range(0, a.size, block):
        d = np.bitwise_count(a[s : s + block, None] ^ b[None, :])
        ii, jj = np.nonzero(d <= threshold)
        for i, j in zip(ii + s, jj):
            if others is not None or i < j:
                out.append((int(i), int(j), int(d[i - s, j])))
    return out


def base_stem(path: str | Path) -> str:
    """A file stem without augmentation prefixes and copy suffixes, lower case: the image's identity."""
    s = Path(path).stem.lower().strip()
    s = _COPY_SUFFIX.sub("", _AUG_PREFIX.sub("", s)).strip(" _-")
    return s


def stem_key(path: str | Path) -> str | None:
    """`base_stem`, or None when the stem is generic ("1", "img_0012", "image (3)", "photo") and says
    nothing about which picture it is."""
    raw = _AUG_PREFIX.sub("", Path(path).stem.lower().strip())
    s = base_stem(path)
    return None if _GENERIC.fullmatch(raw) or re.fullmatch(r"[a-z]{0,6}", s) else s


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        ri, rj = self.find(i), self.find(j)
        if ri != rj:
            self.parent[max(ri, rj)] = min(ri, rj)

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return list(out.values())


@dataclass
class Dedup:
    """Duplicate groups over n images and which image of each group is kept."""

    n: int  # images looked at
    groups: list[list[int]]  # every group of 2+ images, members in input order
    keep: list[int]  # indices kept (one per label per group, plus every unique image), ascending
    links: dict[str, int] = field(default_factory=dict)  # "content" / "stem" / "phash" -> pairs linked
    conflicts: list[list[int]] = field(default_factory=list)  # groups whose members disagree on the label

    @property
    def dropped(self) -> int:
        return self.n - len(self.keep)


def find_duplicates(
    paths: Sequence[str | Path],
    labels: Sequence[Hashable],
    phashes: Sequence[int],
    digests: Sequence[str],
    threshold: int = DEFAULT_THRESHOLD,
) -> Dedup:
    """Group duplicates by content, by distinctive stem within a label and by pHash distance."""
    n = len(paths)
    uf = UnionFind(n)
    links = {"content": 0, "stem": 0, "phash": 0}
    first: dict[object, int] = {}
    for rule, keys in (("content", digests), ("stem", [(stem_key(p), lab) for p, lab in zip(paths, labels)])):
        first.clear()
        for i, k in enumerate(keys):
            if rule == "stem" and k[0] is None:
                continue
            if k in first:
                uf.union(first[k], i)
                links[rule] += 1
            else:
                first[k] = i
    for i, j, _ in near_pairs(phashes, threshold):
        uf.union(i, j)
        links["phash"] += 1
    groups = [g for g in uf.groups() if len(g) > 1]
    in_group = {i for g in groups for i in g}
    keep = [i for i in range(n) if i not in in_group]
    conflicts = []
    for g in groups:
        by_label: dict[Hashable, list[int]] = defaultdict(list)
        for i in g:
            by_label[labels[i]].append(i)
        if len(by_label) > 1:
            conflicts.append(g)
        for members in by_label.values():  # the plainest name: the likely original, not an augmented copy
            keep.append(min(members, key=lambda i: (len(Path(paths[i]).name), str(paths[i]))))
    return Dedup(n=n, groups=groups, keep=sorted(keep), links=links, conflicts=conflicts)


def group_of(dedup: Dedup, n: int) -> list[int]:
    """Group id per image (its own index when it belongs to no group)."""
    gid = list(range(n))
    for g in dedup.groups:
        for i in g:
            gid[i] = g[0]
    return gid


def stratified_split(
    indices: Sequence[int], labels: Sequence[Hashable], groups: Sequence[int], val_fraction: float, seed: int
) -> tuple[list[int], list[int]]:
    """Split `indices` into (train, val) by whole groups, about `val_fraction` of each label's groups in val.

    Deterministic for a seed; a label with 2+ groups always gets at least one in each split.
    """
    units: dict[int, list[int]] = defaultdict(list)
    for i in indices:
        units[groups[i]].append(i)
    strata: dict[Hashable, list[int]] = defaultdict(list)
    for gid, members in units.items():
        strata[labels[members[0]]].append(gid)
    rng = np.random.default_rng(seed)
    train: list[int] = []
    val: list[int] = []
    for label in sorted(strata, key=repr):
        gids = sorted(strata[label])
        rng.shuffle(gids)
        k = int(round(len(gids) * val_fraction))
        if len(gids) >= 2 and val_fraction > 0:
            k = min(max(k, 1), len(gids) - 1)
        for pos, gid in enumerate(gids):
            (val if pos < k else train).extend(units[gid])
    return sorted(train), sorted(val)


def overlap(
    train: Sequence[int], val: Sequence[int], paths: Sequence[str | Path], labels: Sequence[Hashable],
    phashes: Sequence[int], threshold: int = DEFAULT_THRESHOLD,
) -> dict[str, list]:
    """What the two splits share: the same path, the same distinctive stem under one label, or a pHash
    within `threshold` bits. Each value lists examples ((train path, val path[, distance]))."""
    out: dict[str, list] = {"path": [], "stem": [], "phash": []}
    tp = {str(Path(paths[i]).resolve()): i for i in train}
    for j in val:
        i = tp.get(str(Path(paths[j]).resolve()))
        if i is not None:
            out["path"].append((str(paths[i]), str(paths[j])))
    ts: dict[object, int] = {}
    for i in train:
        k = stem_key(paths[i])
        if k is not None:
            ts.setdefault((k, labels[i]), i)
    for j in val:
        k = stem_key(paths[j])
        if k is not None and (k, labels[j]) in ts:
            out["stem"].append((str(paths[ts[(k, labels[j])]]), str(paths[j])))
    tr, va = list(train), list(val)
    for a, b, d in near_pairs([phashes[i] for i in tr], threshold, others=[phashes[j] for j in va]):
        out["phash"].append((str(paths[tr[a]]), str(paths[va[b]]), d))
    return out
