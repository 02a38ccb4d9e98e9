"""COCO JSON -> Items: instance annotations (polygons or RLE) drawn per image in file order.

    {"images": [{"id", "file_name", "height", "width"}], "categories": [{"id", "name"}],
     "annotations": [{"image_id", "category_id", "segmentation": [[x1, y1, ...], ...] | {"size", "counts"}}]}

Category ids may be any integers (COCO's own skip numbers). Every value is checked (train/data/coco_check.py)
before pycocotools sees it. Masks are decoded with pycocotools, as COCO's
own tools do: polygons and uncompressed RLE through `frPyObjects`, compressed RLE as it is. Annotations with no
segmentation (boxes only) are skipped and counted. Images are found under --images, else beside the JSON,
in its images/ folder, or in ../images.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.train.data.coco_check import coco_id, image_size, read_coco_json, segm_problem
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


def _is_file(p: Path) -> bool:
    try:
        return p.is_file()
    except (OSError, ValueError):  # a name too long for the file system, or with a NUL
        return False


def _images_dir(path: Path, images: str | Path | None) -> list[Path]:
    if images:
        return [Path(images)]
    return [path.parent, path.parent / "images", path.parent.parent / "images"]


def read_coco(src: str | Path, problems: Problems, images: str | Path | None = None) -> list[Item]:
    path = Path(src)
    try:
        doc = read_coco_json(path)
    except FoodcamError as e:
        problems.errors.append(str(e))
        return []
    if not isinstance(doc, dict) or not all(isinstance(doc.get(k), list) for k in ("images", "annotations", "categories")):
        problems.error(path, "not a COCO file (expected 'images', 'annotations' and 'categories' lists)")
        return []
    cats: dict[int, str] = {}
    imgs: dict[int, dict] = {}
    for kind, entries, table in (("category", doc["categories"], cats), ("image", doc["images"], imgs)):
        for k, entry in enumerate(entries):
            ident = coco_id(entry.get("id")) if isinstance(entry, dict) else None
            if ident is None:
                shown = str(entry.get("id"))[:40] if isinstance(entry, dict) else type(entry).__name__
                problems.error(path, f"{kind} {k}: needs an integer 'id' (got {shown})")
                continue
            if kind == "category":
                if not isinstance(entry.get("name"), str) or not entry["name"].strip():
                    problems.error(path, f"category {ident}: needs a non-empty 'name'")
                    continue
                table[ident] = entry["name"]
            else:
                table[ident] = entry
    if problems.errors:
        return []
    roots = _images_dir(path, images)
    items: dict[int, Item] = {}
    for image_id, meta in imgs.items():
        name = str(meta.get("file_name") or "")
        size = image_size(meta)
        if size is None:
            problems.error(path, f"image {image_id} ({name or 'no file_name'}): needs integer height and width "
                           "in 1..65535")
            continue
        found = next((r / name for r in roots if name and _is_file(r / name)), None)
        if found is None:
            problems.error(path, f"image {image_id}: {name[:120] or '(no file_name)'} not found in "
                           + ", ".join(str(r) for r in roots) + " (pass --images DIR)")
        items[image_id] = Item(safe_stem(name), path, found, size)
    no_segm = 0
    for k, ann in enumerate(doc["annotations"]):
        where = f"annotation {k} (id {str(ann.get('id'))[:24]})" if isinstance(ann, dict) else f"annotation {k}"
        if not isinstance(ann, dict):
            problems.error(path, f"{where}: expected an object")
            continue
        image_id, cat = coco_id(ann.get("image_id")), coco_id(ann.get("category_id"))
        if image_id is None or cat is None:
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
        why = segm_problem(segm, h, w)
        if why:
            problems.error(path, f"{where}: {why}")
            continue
        items[image_id].shapes.append(Shape(cats[cat], _rle_drawer(segm, h, w), where))
    if no_segm:
        problems.warn(path, f"{no_segm} annotation(s) without segmentation (boxes only) skipped")
    return list(items.values())
