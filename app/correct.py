"""Correcting a model's mask by hand and keeping the result as training data: the Correct tab without Gradio.

    layer = mask_layer(mask, head)                       # the model's mask as a see-through RGBA layer to paint on
    painted = paint_to_classes(editor_layers, head)      # class per painted pixel, NOT_PAINTED elsewhere
    fixed = corrected_mask(model_mask, painted)          # painted pixels take their class, the rest keep the model's
    save_pair("labels", stem, frame, fixed, head)        # labels/train/images/<stem>.jpg + labels/train/masks/<stem>.png
    save_pair("labels", stem, frame, fixed, head, "val") # ... or held back: labels/val/... (and gone from train/)

Decoding the editor's layers: a layer pixel counts as painted when it is at least half opaque (PAINTED_ALPHA); its
colour snaps to the nearest class colour of the task description, so anti-aliased stroke edges and the canvas's
alpha rounding never produce an in-between class; the topmost painted layer wins. The model's own layer is drawn
less than half opaque (MODEL_ALPHA): where the user left it alone, or erased it, the pixel keeps the model's class.
No Gradio and no torch here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from foodcam.camera.jsonl import read_jsonl
from foodcam.runtime.colour import colorize, decode_colour_mask
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import list_images, write_image
from foodcam.runtime.tasks import Head

NOT_PAINTED = 255
PAINTED_ALPHA = 128  # a layer pixel at least this opaque (of 255) was painted by the user
MODEL_ALPHA = 110  # the model's layer: visible over the photo, yet below PAINTED_ALPHA
JPEG_QUALITY = 95
SPLITS = ("train", "val")  # train: what fine-tuning learns from; val: the user's held-back frames it is judged on
SPLIT = SPLITS[0]
_STEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")


def hex_colours(head: Head) -> list[str]:
    """The head's class colours as "#rrggbb", in class order (the editor's brush palette)."""
    if not head.colours:
        raise FoodcamError(f"head {head.name!r} has no class colours: its masks cannot be painted")
    return ["#{:02x}{:02x}{:02x}".format(*c) for c in head.colours]


def mask_layer(mask: np.ndarray, head: Head, alpha: int = MODEL_ALPHA) -> np.ndarray:
    """Class-index mask (H, W) -> RGBA layer (H, W, 4): the class colours at `alpha`."""
    rgb = colorize(mask, head)[:, :, ::-1]
    return np.dstack([rgb, np.full(mask.shape, alpha, np.uint8)])


def paint_to_classes(layers: Sequence[np.ndarray], head: Head, size: tuple[int, int] | None = None) -> np.ndarray:
    """The editor's RGBA layers (bottom first, (H, W, 4) uint8, RGB order) -> class per pixel (H, W) uint8, with
    NOT_PAINTED where no layer is at least PAINTED_ALPHA opaque. `size` (H, W): what every layer must measure."""
    hex_colours(head)  # a clear error for a head without colours
    layers = [np.asarray(x) for x in layers if x is not None]
    shape = tuple(size) if size is not None else (layers[0].shape[:2] if layers else None)
    if shape is None:
        raise FoodcamError("no layers to decode and no size given")
    out = np.full(shape, NOT_PAINTED, np.uint8)
    for i, layer in enumerate(layers):  # bottom first: a higher layer overwrites what a lower one painted
        if layer.ndim != 3 or layer.shape[2] != 4 or layer.shape[:2] != shape or layer.dtype != np.uint8:
            raise FoodcamError(f"layer {i}: {layer.dtype} {layer.shape}; expected uint8 RGBA of {shape[1]}x{shape[0]}")
        painted = layer[:, :, 3] >= PAINTED_ALPHA
        if painted.any():
            rgb = layer[:, :, :3][painted]
            classes, _ = decode_colour_mask(rgb[None, :, ::-1], head, max_dist=1e6)  # nearest colour, never "far"
            out[painted] = classes[0]
    return out


def corrected_mask(model_mask: np.ndarray, painted: np.ndarray) -> np.ndarray:
    """The model's mask (H, W) with the painted classes over it; `painted` may be smaller (the editor's copy of a
    large photo) and is scaled to the mask with nearest neighbour."""
    h, w = model_mask.shape[:2]
    if painted.shape[:2] != (h, w):
        painted = cv2.resize(painted, (w, h), interpolation=cv2.INTER_NEAREST)
    return np.where(painted != NOT_PAINTED, painted, model_mask).astype(np.uint8)


def check_stem(stem: str) -> str:
    if not _STEM.match(stem) or stem.endswith("."):
        raise FoodcamError(f"{stem!r}: not a usable file stem (letters, digits, '_', '-', '.'; at most 128)")
    return stem


def check_labels_dir(folder: str | os.PathLike) -> Path:
    """The labels folder, absolute; FoodcamError when it exists and is not a folder."""
    p = Path(folder).expanduser().resolve()
    for q in (p, *(p / s / d for s in SPLITS for d in ("", "images", "masks"))):
        if q.exists() and not q.is_dir():
            raise FoodcamError(f"--labels {folder}: {q} exists and is not a folder")
    return p


def save_pair(folder: str | os.PathLike, stem: str, frame: np.ndarray, mask: np.ndarray, head: Head,
              split: str = SPLIT) -> tuple[Path, Path]:
    """Write FOLDER/<split>/images/<stem>.jpg (the frame) and FOLDER/<split>/masks/<stem>.png (the colour-coded
    mask), each atomically; saving the same stem again replaces both, and a pair of that stem in the other split is
    removed (a frame is either learnt from or held back). Returns (image path, mask path)."""
    if split not in SPLITS:
        raise FoodcamError(f"split {split!r}: expected one of {', '.join(SPLITS)}")
    if frame.shape[:2] != mask.shape[:2]:
        raise FoodcamError(f"{stem}: mask {mask.shape[1]}x{mask.shape[0]} does not match the image "
                           f"{frame.shape[1]}x{frame.shape[0]}")
    root = check_labels_dir(folder)
    check_stem(stem)
    image, mask_path = root / split / "images" / f"{stem}.jpg", root / split / "masks" / f"{stem}.png"
    try:
        write_image(image, frame, jpeg_quality=JPEG_QUALITY)
        write_image(mask_path, colorize(mask, head))  # written last: a pair is complete once its mask exists
        for other in SPLITS:
            if other != split:
                for q in (root / other / "masks" / f"{stem}.png", root / other / "images" / f"{stem}.jpg"):
                    q.unlink(missing_ok=True)
    except OSError as e:
        raise FoodcamError(f"{root}: cannot write the labels ({e.strerror or e})") from None
    return image, mask_path


@dataclass(frozen=True)
class Collected:
    """One frame of a collected folder; `uncertainty` from its index.jsonl when it has one."""

    path: Path
    uncertainty: float | None = None

    @property
    def label(self) -> str:
        u = "" if self.uncertainty is None else f"  (uncertainty {self.uncertainty:.3f})"
        return f"{self.path.name}{u}"


def check_collected_dir(folder: str | os.PathLike) -> Path:
    p = Path(folder).expanduser().resolve()
    if not p.is_dir():
        raise FoodcamError(f"--collected {folder}: no such folder (expected the folder `foodcam run --collect` writes)")
    return p


def collected_frames(folder: str | os.PathLike) -> list[Collected]:
    """The images of `folder` (e.g. what `foodcam run --collect DIR --collect-by uncertain` wrote), the least sure
    first when its index.jsonl says how sure the model was, then by name."""
    root = check_collected_dir(folder)
    scores: dict[str, float] = {}
    index = root / "index.jsonl"
    if index.is_file():
        try:
            records = read_jsonl(index)
        except (FoodcamError, OSError, UnicodeDecodeError):
            records = []  # a damaged index loses only the ordering
        for r in records:
            if isinstance(r, dict) and isinstance(r.get("file"), str) and isinstance(r.get("uncertainty"), (int, float)):
                scores[r["file"]] = float(r["uncertainty"])
    frames = [Collected(p, scores.get(p.name)) for p in list_images(root)]
    return sorted(frames, key=lambda c: (c.uncertainty is None, -(c.uncertainty or 0.0), c.path.name))
