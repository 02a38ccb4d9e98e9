"""LabelMe JSON -> Items: one JSON per image, its shapes drawn as LabelMe draws them.

    {"shapes": [{"label": "spatula", "points": [[x, y], ...], "shape_type": "polygon", ...}, ...],
     "imagePath": "frame_001.jpg", "imageData": base64 or null, "imageHeight": H, "imageWidth": W}

Shapes are rasterised with Pillow's ImageDraw exactly as LabelMe's own `shape_to_mask` does: polygon (3+ points,
outline included), rectangle (two corners, inclusive), circle (centre and a point on the rim), line and
linestrip (`--line-width`, LabelMe's default 10 px), mask (a base64 PNG over its inclusive bounding box).
Points have no area and are skipped (counted). The image is the embedded imageData when present, else
imagePath relative to the JSON (Windows separators accepted), else an image with the JSON's stem beside it.
"""

from __future__ import annotations

import base64
import binascii
import math
from pathlib import Path

import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import IMAGE_EXTS
from foodcam.runtime.jsonsafe import load_json
from foodcam.train.data.imports.common import Item, Problems, Shape, decode_image, safe_stem

LINE_WIDTH = 10  # LabelMe's shape_to_mask default
MAX_COORD = 1_000_000.0  # points farther out than this are not a drawing of any image
MAX_SIDE = 65_535
MIN_POINTS = {"polygon": 3, "rectangle": 2, "circle": 2, "line": 2, "linestrip": 2, "mask": 2}


def _pil_mask(height: int, width: int, paint) -> np.ndarray:
    from PIL import Image, ImageDraw

    img = Image.new("L", (width, height), 0)
    paint(ImageDraw.Draw(img))
    return np.asarray(img, dtype=np.uint8) > 0


def _drawer(kind: str, xy: list[tuple[float, float]], line_width: int, mask_png: bytes | None):
    """(height, width) -> bool mask for one shape."""
    if kind == "polygon":
        return lambda h, w: _pil_mask(h, w, lambda d: d.polygon(xy, outline=1, fill=1))
    if kind == "rectangle":
        (x0, y0), (x1, y1) = xy[:2]
        box = [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]
        return lambda h, w: _pil_mask(h, w, lambda d: d.rectangle(box, outline=1, fill=1))
    if kind == "circle":
        (cx, cy), (px, py) = xy[:2]
        r = math.hypot(cx - px, cy - py)
        return lambda h, w: _pil_mask(h, w, lambda d: d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=1, fill=1))
    if kind in ("line", "linestrip"):
        return lambda h, w: _pil_mask(h, w, lambda d: d.line(xy, fill=1, width=line_width))
    assert kind == "mask" and mask_png is not None

    def draw_mask(h: int, w: int) -> np.ndarray:
        small = decode_image(mask_png, "mask")[:, :, 0] > 0
        (x0, y0) = (int(v) for v in xy[0])
        out = np.zeros((h, w), bool)
        region = out[y0:y0 + small.shape[0], x0:x0 + small.shape[1]]
        region[...] = small[: region.shape[0], : region.shape[1]]
        return out

    return draw_mask


def _points(raw, where: str, problems: Problems, path: Path) -> list[tuple[float, float]] | None:
    ok = isinstance(raw, list) and all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in p)
        for p in raw)
    if not ok:
        problems.error(path, f"{where}: points must be a list of [x, y] numbers")
        return None
    try:
        pts = [(float(p[0]), float(p[1])) for p in raw]
    except OverflowError:  # an integer too large for a float
        pts = [(math.inf, math.inf)]
    if not all(math.isfinite(v) and abs(v) <= MAX_COORD for p in pts for v in p):
        problems.error(path, f"{where}: points must be finite numbers within +-{MAX_COORD:g}")
        return None
    return pts


def _shape(path: Path, i: int, raw: dict, line_width: int, problems: Problems, skipped: dict) -> Shape | None:
    where = f"shape {i}"
    if not isinstance(raw, dict) or not isinstance(raw.get("label"), str):
        problems.error(path, f"{where}: expected an object with a string 'label'")
        return None
    kind = raw.get("shape_type") or "polygon"  # early LabelMe versions wrote null for polygons
    label = raw["label"]
    if not isinstance(kind, str):
        problems.error(path, f"{where}: shape_type must be a string, got {type(kind).__name__}")
        return None
    where = f"shape {i} ({kind[:40]} {label[:60]!r})"
    if kind in ("point", "points"):
        skipped[kind] = skipped.get(kind, 0) + 1
        return None
    if kind not in MIN_POINTS:
        problems.error(path, f"{where}: unsupported shape_type {kind[:40]!r} (expected {', '.join(MIN_POINTS)} or point)")
        return None
    pts = _points(raw.get("points", []), where, problems, path)
    if pts is None:
        return None
    if len(pts) < MIN_POINTS[kind] or (kind in ("rectangle", "circle", "line", "mask") and len(pts) != 2):
        want = f"{MIN_POINTS[kind]}+" if kind in ("polygon", "linestrip") else "2"
        problems.error(path, f"{where}: has {len(pts)} points, expected {want}")
        return None
    png = None
    if kind == "mask":
        try:
            png = base64.b64decode(raw.get("mask") or "", validate=True)
            small = decode_image(png, "mask")
        except Exception as e:  # bad base64 and undecodable PNG mean the same to a user
            problems.error(path, f"{where}: 'mask' is not a base64 PNG ({e})")
            return None
        (x0, y0), (x1, y1) = pts
        want = (int(y1) - int(y0) + 1, int(x1) - int(x0) + 1)
        if small.shape[:2] != want:
            problems.error(path, f"{where}: mask is {small.shape[1]}x{small.shape[0]} but its box is "
                           f"{want[1]}x{want[0]}")
            return None
    return Shape(label, _drawer(kind, pts, line_width, png), where)


def _image_for(path: Path, doc: dict, problems: Problems) -> Path | bytes | None:
    data = doc.get("imageData")
    if data:
        try:
            if not isinstance(data, str):
                raise ValueError
            return base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            problems.error(path, "imageData is not valid base64")
            return None
    rel = doc.get("imagePath") or ""
    if not isinstance(rel, str) or "\0" in rel:
        problems.error(path, "imagePath must be a file name")
        return None
    rel = rel.replace("\\", "/")
    candidates = [path.parent / rel] if rel else []
    candidates += [path.with_suffix(ext) for ext in IMAGE_EXTS] + [path.with_suffix(ext.upper()) for ext in IMAGE_EXTS]
    for c in candidates:
        try:
            if c.is_file():
                return c
        except OSError:  # a name too long for the file system
            continue
    problems.error(path, f"image {rel[:120] or '(no imagePath)'} not found beside the JSON and no imageData embedded")
    return None


def read_labelme(src: str | Path, problems: Problems, line_width: int = LINE_WIDTH) -> list[Item]:
    """Every LabelMe JSON in SRC (a file, or a folder searched recursively)."""
    src = Path(src)
    if src.is_file():
        files, root = [src], src.parent
    elif src.is_dir():
        files, root = sorted(p for p in src.rglob("*.json") if p.is_file()), src
    else:
        problems.error(src, "no such file or folder")
        return []
    if not files:
        problems.error(src, "no LabelMe .json files found")
    items: list[Item] = []
    for path in files:
        try:
            doc = load_json(path.read_bytes(), path, "LabelMe JSON")
        except OSError as e:
            problems.error(path, f"not readable ({e.strerror or e})")
            continue
        except FoodcamError as e:
            problems.error(path, f"not readable JSON ({str(e).removeprefix(f'{path}: ')})")
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("shapes"), list):
            problems.error(path, "not a LabelMe file (no 'shapes' list)")
            continue
        skipped: dict[str, int] = {}
        shapes = [_shape(path, i, raw, line_width, problems, skipped) for i, raw in enumerate(doc["shapes"])]
        for kind, n in skipped.items():
            problems.warn(path, f"{n} {kind} shape(s) skipped (a point has no area)")
        size = None
        if doc.get("imageHeight") is not None and doc.get("imageWidth") is not None:
            h, w = doc["imageHeight"], doc["imageWidth"]
            if all(isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= MAX_SIDE for v in (h, w)):
                size = (h, w)
            else:
                problems.error(path, f"imageHeight/imageWidth must be integers in 1..{MAX_SIDE}")
        stem = safe_stem(str(path.relative_to(root).with_suffix("")))
        items.append(Item(stem, path, _image_for(path, doc, problems), size, [s for s in shapes if s is not None]))
    return items
