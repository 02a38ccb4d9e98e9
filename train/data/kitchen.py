"""The kitchen data in its real layout: ROOT/<split>/images/<stem>.jpg paired with ROOT/<split>/masks/<stem>.png.

Stems pair case-insensitively across extensions (`A.JPG` with `a.png`); masks are colour-coded
(stirrer red, pan+background green, food blue), decoded to the nearest class colour so JPEG artefacts
and anti-aliased edges do no harm; pixels far from every colour become IGNORE_INDEX and are counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm import tqdm

from foodcam.runtime.colour import decode_colour_mask
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import IMAGE_EXTS, read_image
from foodcam.runtime.tasks import KITCHEN

HEAD = KITCHEN.seg_head
SPLITS = ("train", "val", "test")
FAR_WARN = 0.001  # share of a mask's pixels far from every class colour worth a warning
FAR_ERROR = 0.10  # ... and worth an error (the mask probably uses other colours)
# Red/blue swapped masks (written RGB where BGR was meant) decode to valid colours with stirrer <-> food
# exchanged. A stirrer is a thin tool: in the synthetic scenes it covers 0-5.5 % of a frame, food 5.7-63 %.
# Over a sample of masks, a "stirrer" share above SWAP_MIN_SHARE and above the food share means swapped.
SWAP_MIN_SHARE = 0.08
SWAP_SAMPLE = 16


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_EXTS)


def _few(paths: list[Path], n: int = 3) -> str:
    names = ", ".join(str(p) for p in paths[:n])
    return names + (f" and {len(paths) - n} more" if len(paths) > n else "")


@dataclass
class SplitListing:
    """The files of one split, indexed by lower-case stem; what pairs and what does not."""

    folder: Path
    images: dict[str, Path] = field(default_factory=dict)
    masks: dict[str, Path] = field(default_factory=dict)
    has_masks: bool = False
    duplicates: list[list[Path]] = field(default_factory=list)  # same stem, different case or extension

    @property
    def pairs(self) -> list[str]:
        return sorted(set(self.images) & set(self.masks))

    @property
    def images_without_mask(self) -> list[Path]:
        return [self.images[s] for s in sorted(set(self.images) - set(self.masks))]

    @property
    def masks_without_image(self) -> list[Path]:
        return [self.masks[s] for s in sorted(set(self.masks) - set(self.images))]


def _index(files: list[Path], listing: SplitListing) -> dict[str, Path]:
    out: dict[str, list[Path]] = {}
    for p in files:
        out.setdefault(p.stem.lower(), []).append(p)
    listing.duplicates += [v for v in out.values() if len(v) > 1]
    return {k: v[0] for k, v in out.items()}


def list_split(root: str | Path, split: str) -> SplitListing:
    """Index ROOT/split/images and ROOT/split/masks; a clear error when the folders are missing."""
    root = Path(root)
    if not root.is_dir():
        raise FoodcamError(f"{root}: no such dataset folder (expected {root}/<split>/images and masks)")
    folder = root / split
    if not folder.is_dir():
        found = sorted(p.name for p in root.iterdir() if (p / "images").is_dir())
        raise FoodcamError(f"{folder}: no such split folder (splits found: {', '.join(found) or 'none'})")
    if not (folder / "images").is_dir():
        raise FoodcamError(f"{folder / 'images'}: missing (expected {split}/images and {split}/masks)")
    listing = SplitListing(folder)
    listing.images = _index(_files(folder / "images"), listing)
    if (folder / "masks").is_dir():
        listing.has_masks = True
        listing.masks = _index(_files(folder / "masks"), listing)
    return listing


class KitchenFolder:
    """One split of a kitchen dataset: `load(i) -> (BGR uint8, class mask uint8 with 255 = ignore)`."""

    def __init__(self, root: str | Path, split: str, max_dist: float = 100.0, require_masks: bool = True) -> None:
        self.root, self.split, self.max_dist = Path(root), split, float(max_dist)
        listing = list_split(root, split)
        if listing.duplicates:
            names = [", ".join(p.name for p in group) for group in listing.duplicates]
            raise FoodcamError(f"{listing.folder}: {len(names)} stems used twice (case or extension differ): "
                               + "; ".join(names[:3]))
        if require_masks:
            if not listing.has_masks:
                raise FoodcamError(f"{listing.folder / 'masks'}: missing (split {split!r} needs masks)")
            lonely = listing.images_without_mask
            if lonely:
                raise FoodcamError(f"{len(lonely)} image(s) without a mask in {listing.folder / 'masks'}: {_few(lonely)}")
            lonely = listing.masks_without_image
            if lonely:
                raise FoodcamError(f"{len(lonely)} mask(s) without an image in {listing.folder / 'images'}: {_few(lonely)}")
        self.items: list[tuple[str, Path, Path | None]] = [
            (listing.images[s].stem, listing.images[s], listing.masks.get(s)) for s in sorted(listing.images)
        ]
        self.far_pixels = 0  # running count of mask pixels too far from every class colour
        if require_masks and self.items:
            self._check_channel_order()

    def _check_channel_order(self) -> None:
        """Decode up to SWAP_SAMPLE masks spread over the split; FoodcamError when red/blue look swapped."""
        picks = sorted({round(i * (len(self.items) - 1) / max(1, SWAP_SAMPLE - 1)) for i in range(SWAP_SAMPLE)})
        counts = np.zeros(HEAD.num_classes, np.int64)
        for i in picks:
            raw = read_image(self.items[i][2])
            mask, _ = decode_colour_mask(raw, HEAD, self.max_dist)
            counts += np.bincount(mask.ravel(), minlength=256)[: HEAD.num_classes]
        why = channel_order_problem(counts)
        if why:
            raise FoodcamError(f"{self.root / self.split / 'masks'}: {why}")

    @property
    def stems(self) -> list[str]:
        return [s for s, _, _ in self.items]

    def __len__(self) -> int:
        return len(self.items)

    def load_image(self, i: int) -> np.ndarray:
        return read_image(self.items[i][1])

    def load(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        _, image_path, mask_path = self.items[i]
        if mask_path is None:
            raise FoodcamError(f"{image_path}: has no mask in {self.root / self.split / 'masks'}")
        image = read_image(image_path)
        mask, far = load_mask(mask_path, image, image_path, self.max_dist)
        self.far_pixels += far
        return image, mask


def channel_order_problem(class_pixels) -> str | None:
    """Why masks with these class pixel counts look red/blue swapped (BGR/RGB confusion), or None."""
    counts = np.asarray(class_pixels[: HEAD.num_classes], np.float64)
    total = counts.sum()
    if total <= 0:
        return None
    stirrer, food = (counts[HEAD.classes.index(n)] / total for n in ("stirrer", "food"))
    if stirrer > SWAP_MIN_SHARE and stirrer > food:
        return (f"masks look red/blue swapped (RGB written as BGR): the thin stirrer (red) covers {stirrer:.1%} "
                f"of labelled pixels and food (blue) only {food:.1%}; save masks with stirrer (255,0,0) as red "
                "in the PNG (convert with mask[..., ::-1] when written by OpenCV from RGB)")
    return None


def load_mask(mask_path: Path, image: np.ndarray, image_path: Path, max_dist: float) -> tuple[np.ndarray, int]:
    """Read and decode a mask, checking that its size is its image's."""
    raw = read_image(mask_path)
    if raw.shape[:2] != image.shape[:2]:
        raise FoodcamError(f"mask {mask_path} is {raw.shape[1]}x{raw.shape[0]} but its image {image_path} "
                           f"is {image.shape[1]}x{image.shape[0]}")
    return decode_colour_mask(raw, HEAD, max_dist)


def scan_dataset(root: str | Path, max_dist: float = 100.0, progress: bool = True) -> dict:
    """Everything `foodcam data check kitchen` reports: counts, class pixel shares and problems per split.

    problems: list of {"level": "error" | "warning", "split", "message"}.
    """
    root = Path(root)
    if not root.is_dir():
        raise FoodcamError(f"{root}: no such dataset folder")
    names = [s for s in SPLITS if (root / s).is_dir()]
    names += sorted(p.name for p in root.iterdir() if p.is_dir() and p.name not in SPLITS and (p / "images").is_dir())
    report: dict = {"root": str(root), "classes": list(HEAD.classes), "splits": {}, "problems": []}

    def problem(level: str, split: str, message: str) -> None:
        report["problems"].append({"level": level, "split": split, "message": message})

    if not names:
        problem("error", "-", f"{root}: no split folders (expected {', '.join(SPLITS)} with images/ and masks/)")
    for split in names:
        try:
            listing = list_split(root, split)
        except FoodcamError as e:
            problem("error", split, str(e))
            continue
        for group in listing.duplicates:
            problem("error", split, "same stem twice (case or extension differ): " + ", ".join(map(str, group)))
        if not listing.has_masks:
            problem("warning", split, f"no masks folder: {len(listing.images)} unlabelled images")
        else:
            for p in listing.images_without_mask:
                problem("error", split, f"image without a mask: {p}")
        for p in listing.masks_without_image:
            problem("error", split, f"mask without an image: {p}")
        report["splits"][split] = _scan_pairs(listing, split, max_dist, problem, progress)
        why = channel_order_problem(report["splits"][split]["class_pixels"])
        if why:
            problem("error", split, why)
    total = np.sum([s["class_pixels"] for s in report["splits"].values()] or [[0] * (HEAD.num_classes + 1)], axis=0)
    report["class_pixels"] = [int(v) for v in total]
    report["errors"] = sum(p["level"] == "error" for p in report["problems"])
    report["warnings"] = sum(p["level"] == "warning" for p in report["problems"])
    return report


def _scan_pairs(listing: SplitListing, split: str, max_dist: float, problem, progress: bool) -> dict:
    counts = np.zeros(HEAD.num_classes + 1, np.int64)  # classes, then ignored
    far_total = 0
    for stem in tqdm(listing.pairs, desc=f"check {split}", unit="mask", disable=not progress, leave=False):
        image_path, mask_path = listing.images[stem], listing.masks[stem]
        try:
            image = read_image(image_path)
            mask, far = load_mask(mask_path, image, image_path, max_dist)
        except FoodcamError as e:
            problem("error", split, str(e))
            continue
        counts += np.bincount(np.minimum(mask.ravel(), HEAD.num_classes), minlength=HEAD.num_classes + 1)
        far_total += far
        share = far / mask.size
        if share > FAR_ERROR:
            problem("error", split, f"{far} of {mask.size} pixels ({share:.1%}) far from every class colour "
                    f"(max distance {max_dist:g}): {mask_path}")
        elif share > FAR_WARN:
            problem("warning", split, f"{far} of {mask.size} pixels ({share:.2%}) far from every class colour: {mask_path}")
    return {
        "images": len(listing.images),
        "masks": len(listing.masks),
        "pairs": len(listing.pairs),
        "far_pixels": int(far_total),
        "class_pixels": [int(v) for v in counts],
    }
