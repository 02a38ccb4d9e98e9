"""COCO JSON -> Items: instance annotations (polygons or RLE) drawn per image in file order.

    {"images": [{"id", "file_name", "height", "width"}], "categories": [{"id", "name"}],
     "annotations": [{"image_id", "category_id", "segmentation": [[x1, y1, ...], ...] | {"size", "counts"}}]}

Category ids may be any integers (COCO's own skip numbers). Masks are decoded with pycocotools, as COCO's
own tools do: polygons and uncompressed RLE through `frPyObjects`, compressed RLE as it is. Annotations with no
segmentation (boxes only) are skipped and counted. Images are found under --images, else beside the JSON,
in its images/ folder, or in ../images.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from foodcam.train.data.imports.common import Item, Problems, Shape, safe_stem


def _rle_drawer(segm, height: int, width: int):
    """(height, width) -> bool mask of one COCO segmentation (already validated)."""
    from pycocotools import mask as cmask

    def draw(h: int, w: int) -> np.ndarray:
        if isinstance(segm, list):  # polygons: one RLE per part, merged
            rle = cmask.merge(cmask.frPyObjects(segm, height, width))
        elif isinstance(segm["counts"], list):  # uncompressed RLE
            rle = cmask.frPyObjects(segm, height, width)
        else:
            rle = {"size": segm["size"], "counts": segm["counts"].encode("ascii")}
        return cmask.decode(rle).astype(bool)

    return draw


def _check_segm(segm, height: int, width: int) -> str | None:
    """Why `segm` is not a usable COCO segmentation for an image of (height, width), or None."""
    if isinstance(segm, list):
        for poly in segm:
            if not isinstance(poly, list) or len(poly) < 6 or len(poly) % 2:
                return "polygon must be a flat list of x, y pairs with at least 3 points"
            if not all(isinstance(v, (int, float)) for v in poly):
                return "polygon coordinates must be numbers"
        return None
    if isinstance(segm, dict) and "counts" in segm and "size" in segm:
        if list(segm["size"]) != [height, width]:
            return f"RLE size {list(segm['size'])} but the image is {height}x{width} (height, width)"
        counts = segm["counts"]
        if isinstance(counts, list):
            if sum(int(c) for c in counts) != height * width:
                return f"RLE counts add up to {sum(int(c) for c in counts)}, expected {height * width}"
            return None
        if isinstance(counts, str):
            try:
                from pycocotools import mask as cmask

                cmask.area({"size": segm["size"], "counts": counts.encode("ascii")})
            except Exception as e:  # pycocotools raises plain Exceptions on bad strings
                return f"compressed RLE is not readable ({e})"
            return None
    return "segmentation must be polygons or an RLE {size, counts}"


def _images_dir(path: Path, images: str | Path | None) -> list[Path]:
    if images:
        return [Path(images)]
    return [path.parent, path.parent / "images", path.parent.parent / "images"]


def read_coco(src: str | Path, problems: Problems, images: str | Path | None = None) -> list[Item]:
    path = Path(src)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.error(path, "no such file")
        return []
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        problems.error(path, f"not readable JSON ({e})")
        return []
    if not isinstance(doc, dict) or not all(isinstance(doc.get(k), list) for k in ("images", "annotations", "categories")):
        problems.error(path, "not a COCO file (expected 'images', 'annotations' and 'categories' lists)")
        return []
    try:
        cats = {int(c["id"]): str(c["name"]) for c in doc["categories"]}
        imgs = {int(m["id"]): m for m in doc["images"]}
    except (KeyError, TypeError, ValueError) as e:
        problems.error(path, f"categories need 'id' and 'name', images need 'id' ({e})")
        return []
    roots = _images_dir(path, images)
    items: dict[int, Item] = {}
    for image_id, meta in imgs.items():
        name = str(meta.get("file_name") or "")
        try:
            size = (int(meta["height"]), int(meta["width"]))
        except (KeyError, TypeError, ValueError):
            problems.error(path, f"image {image_id} ({name or 'no file_name'}): needs integer height and width")
            continue
        found = next((r / name for r in roots if name and (r / name).is_file()), None)
        if found is None:
            problems.error(path, f"image {image_id}: {name or '(no file_name)'} not found in "
                           + ", ".join(str(r) for r in roots) + " (pass --images DIR)")
        items[image_id] = Item(safe_stem(name), path, found, size)
    no_segm = 0
    for k, ann in enumerate(doc["annotations"]):
        where = f"annotation {k} (id {ann.get('id')})" if isinstance(ann, dict) else f"annotation {k}"
        if not isinstance(ann, dict):
            problems.error(path, f"{where}: expected an object")
            continue
        try:
            image_id, cat = int(ann["image_id"]), int(ann["category_id"])
        except (KeyError, TypeError, ValueError):
            problems.error(path, f"{where}: needs integer image_id and category_id")
            continue
        if image_id not in imgs:
            problems.error(path, f"{where}: image_id {image_id} is not in 'images'")
            continue
        if cat not in cats:
            problems.error(path, f"{where}: category_id {cat} is not in 'categories'")
            continue
        if image_id not in items:
            continue  # the image entry itself was reported
        segm = ann.get("segmentation")
        if not segm:
            no_segm += 1
            continue
        h, w = items[image_id].size
        why = _check_segm(segm, h, w)
        if why:
            problems.error(path, f"{where}: {why}")
            continue
        items[image_id].shapes.append(Shape(cats[cat], _rle_drawer(segm, h, w), where))
    if no_segm:
        problems.warn(path, f"{no_segm} annotation(s) without segmentation (boxes only) skipped")
    return list(items.values())
