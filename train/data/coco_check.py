"""A COCO annotation file checked value by value before pycocotools sees any of it.

pycocotools trusts its input: a polygon point at Infinity or 1e300 makes `frPyObjects` walk a line of that many
pixels (memory grows without limit), a negative RLE count wraps to 4 billion, a string count is an AttributeError.
Every reader of COCO JSON (`data import coco`, the AIcrowd food layout of `data check coco` / training) goes
through this module:

    doc = read_coco_json(path)               # FoodcamError: size, nesting depth, NaN/Infinity, 4,300+ digit ints
    image_id = coco_id(meta.get("id"))       # an integer id or None (1.5, true, "3", 2**70 are not ids)
    size = image_size(meta)                  # (height, width) within MAX_SIDE, or None
    why = segm_problem(segm, height, width)  # None when pycocotools can draw it safely, else the reason
"""

from __future__ import annotations

import math
from pathlib import Path

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.jsonsafe import load_json

MAX_BYTES = 2 << 30  # the AIcrowd train annotations are ~0.3 GB
MAX_SIDE = 65_535  # image height/width (pycocotools keeps sizes in 32 bits; no camera comes close)
MAX_ID = 2**63 - 1
MARGIN = 1.0  # polygon points may lie up to one image size outside the image (clipped when drawn)
MAX_POINTS = 1_000_000  # polygon coordinates per annotation


def read_coco_json(path: str | Path) -> object:
    """The parsed document; FoodcamError naming the file when it is missing, too large, too deep or not JSON."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise FoodcamError(f"{p}: no such file") from None
    except OSError as e:
        raise FoodcamError(f"{p}: not readable ({e.strerror or e})") from None
    return load_json(raw, p, "COCO JSON", max_bytes=MAX_BYTES)


def coco_id(v: object) -> int | None:
    """An id as an int: a JSON integer (or a whole float such as 3.0) in 0..2**63-1; None for anything else."""
    if isinstance(v, bool):
        return None
    if isinstance(v, float) and math.isfinite(v) and v.is_integer():
        v = int(v)
    if isinstance(v, int) and 0 <= v <= MAX_ID:
        return v
    return None


def _side(v: object) -> int | None:
    n = coco_id(v)
    return n if n is not None and 1 <= n <= MAX_SIDE else None


def image_size(meta: dict) -> tuple[int, int] | None:
    """(height, width) of an 'images' entry when both are integers in 1..MAX_SIDE."""
    h, w = _side(meta.get("height")), _side(meta.get("width"))
    return (h, w) if h is not None and w is not None else None


def _number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _polygons_problem(segm: list, height: int, width: int) -> str | None:
    lo_x, hi_x, lo_y, hi_y = -MARGIN * width, (1 + MARGIN) * width, -MARGIN * height, (1 + MARGIN) * height
    points = 0
    for poly in segm:
        if not isinstance(poly, list) or len(poly) < 6 or len(poly) % 2:
            return "polygon must be a flat list of x, y pairs with at least 3 points"
        points += len(poly)
        if points > MAX_POINTS:
            return f"more than {MAX_POINTS} polygon coordinates"
        for i, v in enumerate(poly):
            if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53:
                return f"polygon coordinate {str(v)[:20]}... is out of range"
            if not _number(v):
                return f"polygon coordinates must be finite numbers, got {str(v)[:40]}"
            lo, hi = (lo_x, hi_x) if i % 2 == 0 else (lo_y, hi_y)
            if not lo <= v <= hi:
                axis = "x" if i % 2 == 0 else "y"
                return (f"polygon {axis} = {v:g} is far outside the {width}x{height} image "
                        f"(expected {lo:g}..{hi:g})")
    return None


def _rle_problem(segm: dict, height: int, width: int, any_size: bool) -> str | None:
    size = segm["size"]
    if not isinstance(size, list) or len(size) != 2 or any(_side(s) is None for s in size):
        return f"RLE size must be [height, width] integers in 1..{MAX_SIDE}, got {str(size)[:40]}"
    if any_size:  # recorded at another size than the image (scaled onto it when drawn)
        height, width = (int(s) for s in size)
    elif [coco_id(s) for s in size] != [height, width]:
        return f"RLE size {size} but the image is {height}x{width} (height, width)"
    counts, total = segm["counts"], height * width
    if isinstance(counts, list):
        if len(counts) > total + 1:
            return f"{len(counts)} RLE counts for {total} pixels"
        if not all(isinstance(c, int) and not isinstance(c, bool) and 0 <= c <= total for c in counts):
            bad = next(c for c in counts if not (isinstance(c, int) and not isinstance(c, bool) and 0 <= c <= total))
            return f"RLE counts must be integers in 0..{total}, got {str(bad)[:40]}"
        if sum(counts) != total:
            return f"RLE counts add up to {sum(counts)}, expected {total}"
        return None
    if isinstance(counts, str):
        runs = _decode_rle_string(counts, total)
        if isinstance(runs, str):
            return runs
        if sum(runs) != total:
            return f"compressed RLE counts add up to {sum(runs)}, expected {total}"
        return None
    return f"RLE counts must be a list of integers or a COCO RLE string, got {type(counts).__name__}"


def _decode_rle_string(s: str, total: int) -> list[int] | str:
    """The runs of a compressed COCO RLE string (pycocotools' rleFrString, with every run checked), or why not."""
    if len(s) > 8 * (total + 1):
        return f"compressed RLE of {len(s)} characters for {total} pixels"
    runs: list[int] = []
    p = 0
    while p < len(s):
        x = k = 0
        while True:
            c = ord(s[p]) - 48
            if not 0 <= c < 64 or k >= 7:
                return "compressed RLE counts must be a COCO RLE string (characters '0'..'o', runs < 2**35)"
            x |= (c & 0x1F) << (5 * k)
            p, k = p + 1, k + 1
            if not c & 0x20:
                if c & 0x10:
                    x |= -1 << (5 * k)
                break
            if p >= len(s):
                return "compressed RLE string ends inside a run"
        if len(runs) > 2:
            x += runs[-2]
        if not 0 <= x <= total:
            return f"compressed RLE run of {x} pixels, expected 0..{total}"
        runs.append(x)
    return runs


def segm_problem(segm: object, height: int, width: int, rle_any_size: bool = False) -> str | None:
    """Why `segm` is not a COCO segmentation pycocotools can safely draw on a (height, width) image, or None.
    `rle_any_size`: an RLE may be recorded at another size than the image (checked against its own size)."""
    if isinstance(segm, list):
        return _polygons_problem(segm, height, width)
    if isinstance(segm, dict) and "counts" in segm and "size" in segm:
        return _rle_problem(segm, height, width, rle_any_size)
    return "segmentation must be polygons or an RLE {size, counts}"
