"""Label Studio's JSON export -> what the importers write: kitchen `Item`s (brush, polygon and rectangle regions)
or freshness `Choice`s (one choice per head).

    [{"id": 7, "data": {"image": "/data/local-files/?d=frames/a.jpg", "frame": "a.jpg"},
      "annotations": [{"id": 3, "was_cancelled": false, "result": [
          {"type": "brushlabels", "original_width": W, "original_height": H,
           "value": {"format": "rle", "rle": [...], "brushlabels": ["food"]}},
          {"type": "polygonlabels", "value": {"points": [[x%, y%], ...], "polygonlabels": ["Spoon"]}, ...},
          {"type": "choices", "from_name": "freshness", "value": {"choices": ["rotten"]}}]}],
      "predictions": [...]}, ...]

Each task's newest annotation that was not cancelled is read (predictions alone are the model's guess, not a
label: such tasks are skipped and counted). Regions are drawn in their order (background = pan first, later
regions on top), coordinates in percent of the original size as Label Studio stores them. The image is found
from `data.image`: a local-files URL under --images (or $LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT), an uploaded
file's name (Label Studio's 8-character prefix dropped) or a URL's file name in --images, or a plain path.
Every problem is one line naming the export file and the task id.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import numpy as np

from foodcam.train.data.imports.common import Item, Problems, Shape, safe_stem
from foodcam.train.data.labelstudio.rle import RLEError, decode_mask

ROOT_ENV = "LABEL_STUDIO_LOCAL_FILES_DOCUMENT_ROOT"
REGION_TYPES = ("brushlabels", "polygonlabels", "rectanglelabels")
UPLOAD_PREFIX = re.compile(r"^[0-9a-f]{8}-")


@dataclass
class Choice:
    """One classified image: its choices per head (from_name -> value), for the freshness writer."""

    stem: str
    source: Path
    image: Path | None
    choices: dict[str, str]


@dataclass
class Export:
    task: str  # "kitchen" or "freshness"
    items: list[Item]
    choices: list[Choice]


def load_export(path: Path, problems: Problems) -> list[dict]:
    """The export's task list; one problem line when it is not a Label Studio JSON export."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.error(path, "no such file")
        return []
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        problems.error(path, f"not readable JSON ({e})")
        return []
    if isinstance(doc, dict) and "data" in doc:
        doc = [doc]  # a single task
    if not isinstance(doc, list) or not all(isinstance(t, dict) and isinstance(t.get("data"), dict) for t in doc):
        problems.error(path, "not a Label Studio JSON export (expected a list of tasks, each with 'data')")
        return []
    return doc


def _annotation(task: dict) -> dict | None:
    """The newest annotation that was not cancelled."""
    done = [a for a in task.get("annotations") or [] if isinstance(a, dict) and not a.get("was_cancelled")]
    done.sort(key=lambda a: (str(a.get("updated_at") or a.get("created_at") or ""), a.get("id") or 0))
    return done[-1] if done else None


def _image_name(url: str) -> tuple[str | None, str]:
    """(path under the document root, or None; the file name) of a task's image reference."""
    parsed = urlparse(url)
    if parsed.path.rstrip("/").endswith("/data/local-files"):
        rel = (parse_qs(parsed.query).get("d") or [""])[0]
        return rel, Path(rel).name
    name = Path(unquote(parsed.path)).name
    if "/data/upload/" in parsed.path:
        name = UPLOAD_PREFIX.sub("", name)
    return None, name


def find_image(url: str, frame: str | None, export: Path, images: Path | None) -> tuple[Path | None, list[Path]]:
    """The image file a task shows, and every place looked."""
    rel, name = _image_name(url)
    tried: list[Path] = []
    roots = [images] if images else []
    if os.environ.get(ROOT_ENV):
        roots.append(Path(os.environ[ROOT_ENV]))
    for root in roots:
        if rel:
            tried.append(root / rel)
        tried += [root / name] + ([root / frame] if frame else [])
    if not rel and not urlparse(url).scheme and not url.startswith("/data/"):
        tried.append(Path(url) if Path(url).is_absolute() else export.parent / url)
    for p in tried:
        if p.is_file():
            return p, tried
    return None, tried


def _size(r: dict) -> tuple[int, int] | None:
    try:
        h, w = int(r["original_height"]), int(r["original_width"])
    except (KeyError, TypeError, ValueError):
        return None
    return (h, w) if h > 0 and w > 0 else None


def _fixed(layer: np.ndarray):
    return lambda h, w: layer


def _region(r: dict, where: str, problems: Problems, source: Path) -> tuple[Shape, tuple[int, int]] | None:
    kind, value = r.get("type"), r.get("value") or {}
    labels = value.get(kind) if isinstance(value, dict) else None
    if not isinstance(labels, list) or not labels or not isinstance(labels[0], str):
        problems.error(source, f"{where}: no label in value.{kind}")
        return None
    label = labels[0]
    where = f"{where} ({kind} {label!r})"
    size = _size(r)
    if size is None:
        problems.error(source, f"{where}: original_width/original_height missing or not positive integers")
        return None
    h, w = size
    if kind == "brushlabels":
        if value.get("format", "rle") != "rle" or "rle" not in value:
            problems.error(source, f"{where}: expected value.format 'rle' with value.rle")
            return None
        try:
            layer = decode_mask(value["rle"], h, w)
        except RLEError as e:
            problems.error(source, f"{where}: bad brush RLE ({e})")
            return None
        return Shape(label, _fixed(layer), where), size
    try:
        if kind == "polygonlabels":
            xy = [(float(x) * w / 100.0, float(y) * h / 100.0) for x, y in value["points"]]
            if len(xy) < 3:
                raise ValueError(f"{len(xy)} points")
        else:
            x0, y0 = float(value["x"]) * w / 100.0, float(value["y"]) * h / 100.0
            x1, y1 = x0 + float(value["width"]) * w / 100.0, y0 + float(value["height"]) * h / 100.0
            if float(value.get("rotation") or 0) != 0:
                raise ValueError("rotated rectangles are not supported")
            xy = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    except (KeyError, TypeError, ValueError) as e:
        problems.error(source, f"{where}: expected {'3+ [x, y] points' if kind == 'polygonlabels' else 'x, y, width, height'}"
                       f" in percent ({e})")
        return None
    if not all(np.isfinite(v) for p in xy for v in p):
        problems.error(source, f"{where}: coordinates must be finite numbers")
        return None
    return Shape(label, _polygon(xy), where), size


def _polygon(xy: list[tuple[float, float]]):
    def draw(h: int, w: int) -> np.ndarray:
        from PIL import Image, ImageDraw

        img = Image.new("L", (w, h), 0)
        ImageDraw.Draw(img).polygon(xy, outline=1, fill=1)
        return np.asarray(img, dtype=np.uint8) > 0

    return draw


def read_labelstudio(src: str | Path, problems: Problems, images: str | Path | None = None) -> Export:
    """Every annotated task of an export: kitchen items when it has regions, else freshness choices."""
    path = Path(src)
    images = Path(images) if images else None
    if images is not None and not images.is_dir():
        problems.error(images, "--images: no such folder")
    items: list[Item] = []
    choices: list[Choice] = []
    skipped = {"unannotated": 0, "other": 0}
    for n, task in enumerate(load_export(path, problems)):
        tid = task.get("id", f"#{n}")
        source = Path(f"{path} task {tid}")
        ann = _annotation(task)
        if ann is None:
            skipped["unannotated"] += 1
            continue
        url = str(task["data"].get("image") or "")
        frame = task["data"].get("frame")
        stem = safe_stem(str(frame or _image_name(url)[1] or f"task_{tid}"))
        image, tried = find_image(url, frame if isinstance(frame, str) else None, path, images)
        if image is None:
            problems.error(source, f"image {url or '(no data.image)'} not found (looked in: "
                           f"{', '.join(str(t) for t in tried) or 'nowhere'}); give --images DIR")
        results = ann.get("result")
        if not isinstance(results, list):
            problems.error(source, f"annotation {ann.get('id')}: 'result' is not a list")
            continue
        shapes, sizes, picked = [], set(), {}
        for i, r in enumerate(results):
            kind = r.get("type") if isinstance(r, dict) else None
            where = f"annotation {ann.get('id')} region {r.get('id', i) if isinstance(r, dict) else i}"
            if kind in REGION_TYPES:
                got = _region(r, where, problems, source)
                if got:
                    shapes.append(got[0])
                    sizes.add(got[1])
            elif kind == "choices":
                value = r.get("value")
                vals = value.get("choices") if isinstance(value, dict) else None
                if not isinstance(vals, list) or len(vals) != 1 or not isinstance(vals[0], str):
                    problems.error(source, f"{where}: expected exactly one choice in value.choices")
                    continue
                picked[str(r.get("from_name") or "")] = vals[0]
            else:
                skipped["other"] += 1
        if len(sizes) > 1:
            problems.error(source, f"regions disagree on the image size: {sorted(sizes)}")
        if picked and not shapes:
            choices.append(Choice(stem, source, image, picked))
        else:  # regions, or nothing at all: a kitchen frame that is all pan (or a classification left empty)
            items.append(Item(stem, source, image, next(iter(sizes)) if len(sizes) == 1 else None, shapes))
    if skipped["unannotated"]:
        problems.warn(path, f"{skipped['unannotated']} task(s) without a submitted annotation skipped "
                      "(predictions alone are not labels)")
    if skipped["other"]:
        problems.warn(path, f"{skipped['other']} region(s) of other types skipped (only brush, polygon, "
                      "rectangle and choices are read)")
    if choices:  # a classification export: every submitted task must say its classes
        drawn = [it for it in items if it.shapes]
        if drawn:
            problems.error(path, f"{len(drawn)} task(s) have regions and {len(choices)} only choices: an export "
                           "is either kitchen (regions) or freshness (choices)")
            return Export("kitchen", items, [])
        for it in items:
            problems.error(it.source, "the annotation chooses nothing")
        return Export("freshness", [], choices)
    return Export("kitchen", items, [])
