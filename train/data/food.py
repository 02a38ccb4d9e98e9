"""Food segmentation data in its real layouts, read as downloaded: FoodSeg103 and AIcrowd (COCO).

    data = open_food_data(ROOT)          # either layout, ROOT or the zip's outer folder ROOT/..
    data.classes                         # names by class index; 0 = "background"
    split = data.split("train")          # "val" finds FoodSeg103's "test", "test" finds COCO's "val"
    bgr, mask = split.load(i)            # mask: uint8 class indices, 255 = ignore (COCO with > 254 foods: uint16)

FoodSeg103: ROOT/Images/img_dir/{train,test}/*.jpg + ROOT/Images/ann_dir/{train,test}/*.png (8-bit ids,
0 background, 255 ignore) + ROOT/category_id.txt ("id<TAB>name"; CRLF, trailing spaces, a BOM, blank
lines and names with spaces are fine). AIcrowd: ROOT/{train,val}/images/*.jpg + annotations.json
(COCO); category ids need not be contiguous (class index = rank of the id); segmentations are polygons
or RLE, decoded with pycocotools, painted largest first so small pieces lie on top.

Problems are collected, never raised mid-way: `data.problems` (layout level) and the split's
`problems` name each file. `load` raises FoodcamError for a file that cannot be used (unreadable, id
outside the category list, mask size differing from its image); training skips such items with a
warning (`train.food_data.FoodDataset`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import IMAGE_EXTS, read_image
from foodcam.runtime.jsonsafe import finite_number
from foodcam.runtime.tasks import IGNORE_INDEX
from foodcam.train.data.coco_check import coco_id, image_size, read_coco_json, segm_problem

SPLIT_ALIASES = {"val": ("val", "test"), "test": ("test", "val"), "train": ("train",)}


@dataclass
class Problem:
    level: str  # "error" | "warning"
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.file}: {self.message}"


def _images(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.iterdir()) if p.is_file() and p.suffix.lower() in IMAGE_EXTS}


# ------------------------------------------------------------------------------------------ FoodSeg103


def read_category_file(path: Path) -> tuple[list[str], list[Problem]]:
    """category_id.txt -> (names by id, problems). Tolerates CRLF, a BOM, trailing spaces, blank lines."""
    problems: list[Problem] = []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise FoodcamError(f"{path}: cannot read the category list ({e})") from None
    names: dict[int, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        parts = line.split("\t", 1) if "\t" in line else re.split(r"\s+", line, maxsplit=1)
        try:
            cid = int(parts[0].strip())
        except ValueError:
            problems.append(Problem("error", f"{path}:{n}", f"expected 'id<TAB>name', got {line!r}"))
            continue
        name = parts[1].strip() if len(parts) > 1 and parts[1].strip() else f"class {cid}"
        if cid in names:
            problems.append(Problem("error", f"{path}:{n}", f"id {cid} listed twice ({names[cid]!r}, {name!r})"))
            continue
        if not 0 <= cid < IGNORE_INDEX:
            problems.append(Problem("error", f"{path}:{n}", f"id {cid} outside 0..{IGNORE_INDEX - 1}"))
            continue
        names[cid] = name
    if not names:
        raise FoodcamError(f"{path}: no 'id<TAB>name' lines")
    out = []
    for cid in range(max(names) + 1):
        if cid not in names:
            problems.append(Problem("warning", str(path), f"id {cid} is missing; named 'class {cid}'"))
        out.append(names.get(cid, f"class {cid}"))
    if names.get(0, "").lower() != "background":
        problems.append(Problem("warning", str(path), f"id 0 is {names.get(0)!r}, expected 'background'"))
    return out, problems


class FoodSeg103Split:
    """One split of FoodSeg103: images paired with their annotation PNGs by file stem."""

    def __init__(self, root: Path, name: str, classes: list[str]) -> None:
        self.name, self.classes = name, classes
        images = _images(root / "Images" / "img_dir" / name)
        masks = _images(root / "Images" / "ann_dir" / name)
        self.problems: list[Problem] = []
        self.problems += [Problem("warning", str(images[s]), "image without annotation (skipped)")
                          for s in sorted(set(images) - set(masks))]
        self.problems += [Problem("warning", str(masks[s]), "annotation without image (skipped)")
                          for s in sorted(set(masks) - set(images))]
        self.items = [(images[s], masks[s]) for s in sorted(set(images) & set(masks))]

    def __len__(self) -> int:
        return len(self.items)

    def path(self, i: int) -> Path:
        return self.items[i][0]

    def load(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        img_path, mask_path = self.items[i]
        bgr = read_image(img_path)
        return bgr, self.load_mask(i, bgr.shape[:2])

    def load_mask(self, i: int, shape: tuple[int, int] | None = None) -> np.ndarray:
        path = self.items[i][1]
        mask = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        if mask is None:
            raise FoodcamError(f"{path}: unreadable annotation PNG")
        if mask.ndim == 3:
            if not (np.array_equal(mask[:, :, 0], mask[:, :, 1]) and np.array_equal(mask[:, :, 1], mask[:, :, 2])):
                raise FoodcamError(f"{path}: a colour PNG; expected single-channel class ids")
            mask = mask[:, :, 0]
        if mask.dtype != np.uint8:
            raise FoodcamError(f"{path}: {mask.dtype} PNG; expected 8-bit class ids")
        if shape is not None and mask.shape != tuple(shape):
            raise FoodcamError(f"{path}: annotation is {mask.shape[1]}x{mask.shape[0]} but its image is "
                               f"{shape[1]}x{shape[0]}")
        bad = (mask >= len(self.classes)) & (mask != IGNORE_INDEX)
        if bad.any():
            ids = sorted(int(v) for v in np.unique(mask[bad]))[:5]
            raise FoodcamError(f"{path}: class id(s) {ids} not in the category list (0..{len(self.classes) - 1})")
        return mask


# ------------------------------------------------------------------------------------------ COCO


def mask_dtype(n_classes: int) -> type:
    """uint8 while every class id (background included) stays below IGNORE_INDEX, else uint16 (the AIcrowd
    set's 498 foods): a wide mask has no ignore value, COCO paints none."""
    return np.uint8 if n_classes <= IGNORE_INDEX else np.uint16


def _list(doc: dict, key: str) -> list:
    v = doc.get(key, [])
    return v if isinstance(v, list) else []


def _number_or_none(v: object) -> bool:
    return v is None or finite_number(v)


def _coco_masks():
    try:
        from pycocotools import mask as mask_utils
    except ImportError:
        raise FoodcamError("reading COCO annotations needs pycocotools: pip install 'foodcam[train]'") from None
    return mask_utils


class CocoSplit:
    """One split of the AIcrowd layout: ROOT/<split>/images + ROOT/<split>/annotations.json."""

    def __init__(self, folder: Path, name: str, doc: dict, cat_index: dict[int, int], classes: list[str]) -> None:
        self.name, self.classes, self.cat_index = name, classes, cat_index
        self.problems: list[Problem] = []
        ann_file = folder / "annotations.json"
        files = _images(folder / "images")
        by_name = {p.name: p for p in files.values()}
        anns: dict[int, list[dict]] = {}
        images = {}
        for im in _list(doc, "images"):
            iid = coco_id(im.get("id")) if isinstance(im, dict) else None
            if iid is None:
                self.problems.append(Problem("error", str(ann_file), f"image entry without an integer id: {im!r:.80}"))
            elif image_size(im) is None:
                self.problems.append(Problem("error", f"{ann_file} image {iid}",
                                             "needs integer height and width in 1..65535 (skipped)"))
            else:
                images[iid] = im
        for k, a in enumerate(_list(doc, "annotations")):
            if not isinstance(a, dict):
                self.problems.append(Problem("error", f"{ann_file} annotation {k}", "expected an object"))
                continue
            where = f"{ann_file} annotation {str(a.get('id'))[:24]}"
            iid, cid = coco_id(a.get("image_id")), coco_id(a.get("category_id"))
            if iid not in images:
                self.problems.append(Problem("error", where, f"names image id {str(a.get('image_id'))[:40]} "
                                             "that is not listed"))
            elif cid not in cat_index:
                self.problems.append(Problem("error", where, f"category id {str(a.get('category_id'))[:40]} "
                                             "not in categories"))
            elif not a.get("segmentation"):
                self.problems.append(Problem("warning", where, "has no segmentation (skipped)"))
            elif why := segm_problem(a["segmentation"], *image_size(images[iid]), rle_any_size=True):
                self.problems.append(Problem("error", where, f"{why} (skipped)"))
            elif not _number_or_none(a.get("area")):
                self.problems.append(Problem("error", where, "area must be a finite number (skipped)"))
            else:
                anns.setdefault(iid, []).append({**a, "image_id": iid, "category_id": cid})
        self.items: list[tuple[Path, dict, list[dict]]] = []
        listed = set()
        for iid, im in sorted(images.items()):
            fname = str(im.get("file_name", ""))
            listed.add(Path(fname).name)
            path = by_name.get(Path(fname).name)
            if path is None:
                n = len(anns.get(iid, []))
                self.problems.append(Problem("warning", str(folder / "images" / fname),
                                             f"listed in annotations.json (image id {iid}, {n} annotation(s)) but "
                                             "missing (skipped)"))
                continue
            self.items.append((path, im, sorted(anns.get(iid, []), key=lambda a: -float(a.get("area") or 0))))
        self.problems += [Problem("warning", str(p), "image not listed in annotations.json (skipped)")
                          for n, p in sorted(by_name.items()) if n not in listed]

    def __len__(self) -> int:
        return len(self.items)

    def path(self, i: int) -> Path:
        return self.items[i][0]

    def areas(self, i: int) -> dict[int, float]:
        """Recorded area per class index of item i (no decoding): for the largest-area label."""
        out: dict[int, float] = {}
        for a in self.items[i][2]:
            k = self.cat_index[a["category_id"]]
            out[k] = out.get(k, 0.0) + float(a.get("area") or 0.0)
        return out

    def load(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        path, _, _ = self.items[i]
        bgr = read_image(path)
        return bgr, self.load_mask(i, bgr.shape[:2])

    def load_mask(self, i: int, shape: tuple[int, int]) -> np.ndarray:
        """Paint the image's annotations (largest first) at `shape`, the image file's own (H, W)."""
        mask_utils = _coco_masks()
        path, _, anns = self.items[i]
        h, w = shape
        mask: np.ndarray = np.zeros((h, w), mask_dtype(len(self.classes)))
        for a in anns:
            seg = a["segmentation"]
            try:
                if isinstance(seg, list):
                    polys = [p for p in seg if isinstance(p, list) and len(p) >= 6]
                    if not polys:
                        continue
                    rle = mask_utils.merge(mask_utils.frPyObjects(polys, h, w))
                elif isinstance(seg, dict) and isinstance(seg.get("counts"), list):
                    rle = mask_utils.frPyObjects(seg, *seg["size"])
                else:
                    rle = seg
                m = mask_utils.decode(rle)
            except (TypeError, ValueError, KeyError, IndexError) as e:
                raise FoodcamError(f"{path}: annotation {a.get('id')} has an undecodable segmentation ({e})") from None
            if m.shape != (h, w):  # RLE recorded at another size than the file: scale it onto the file
                m = cv2.resize(m, (w, h), interpolation=cv2.INTER_NEAREST)
            mask[m > 0] = self.cat_index[a["category_id"]]
        return mask


# ------------------------------------------------------------------------------------------ both


@dataclass
class FoodData:
    root: Path
    format: str  # "foodseg103" | "coco"
    classes: list[str]
    splits: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def split(self, name: str):
        for candidate in SPLIT_ALIASES.get(name, (name,)):
            if candidate in self.splits:
                return self.splits[candidate]
        raise FoodcamError(f"{self.root}: no {name!r} split (found: {', '.join(self.splits) or 'none'})")

    def all_problems(self) -> list[Problem]:
        return self.problems + [p for s in self.splits.values() for p in s.problems]


def find_layout(root: str | Path) -> tuple[Path, str]:
    """(dataset root, "foodseg103" | "coco") for ROOT or the folder holding it (the zip's outer folder)."""
    root = Path(root)
    if not root.is_dir():
        raise FoodcamError(f"{root}: no such dataset folder")

    def kind(p: Path) -> str | None:
        if (p / "category_id.txt").is_file() or (p / "Images" / "img_dir").is_dir():
            return "foodseg103"
        if any((p / s / "annotations.json").is_file() for s in ("train", "val", "test")):
            return "coco"
        return None

    if (k := kind(root)) is not None:
        return root, k
    found = [(c, kind(c)) for c in sorted(root.iterdir()) if c.is_dir() and kind(c)]
    if len(found) == 1:
        return found[0][0], found[0][1]
    raise FoodcamError(f"{root}: neither a FoodSeg103 folder (category_id.txt, Images/img_dir, Images/ann_dir) "
                       "nor an AIcrowd/COCO folder ({train,val}/annotations.json + images/)"
                       + (f"; several candidates inside: {', '.join(str(c) for c, _ in found)}" if found else ""))


def open_food_data(root: str | Path) -> FoodData:
    """Open a FoodSeg103 or AIcrowd (COCO) folder as downloaded; problems are listed, not raised."""
    base, fmt = find_layout(root)
    if fmt == "foodseg103":
        cat_file = base / "category_id.txt"
        if not cat_file.is_file():
            raise FoodcamError(f"{cat_file}: missing (FoodSeg103 lists its classes there)")
        classes, problems = read_category_file(cat_file)
        data = FoodData(base, fmt, classes, problems=problems)
        for name in ("train", "test", "val"):
            if (base / "Images" / "img_dir" / name).is_dir() or (base / "Images" / "ann_dir" / name).is_dir():
                data.splits[name] = FoodSeg103Split(base, name, classes)
        return data
    docs = {}
    problems = []
    for name in ("train", "val", "test"):
        f = base / name / "annotations.json"
        if not f.is_file():
            continue
        try:
            doc = read_coco_json(f)
        except FoodcamError as e:
            problems.append(Problem("error", str(f), f"{str(e).removeprefix(str(f) + ': ')}; split skipped"))
            continue
        if not isinstance(doc, dict) or not isinstance(doc.get("categories"), list):
            problems.append(Problem("error", str(f), "not a COCO annotation file (no 'categories' list); split skipped"))
            continue
        docs[name] = doc
    names: dict[int, str] = {}
    for name, doc in docs.items():
        for c in doc["categories"]:
            cid = coco_id(c.get("id")) if isinstance(c, dict) else None
            if cid is None:
                problems.append(Problem("error", str(base / name / "annotations.json"), f"category without id: {c!r:.80}"))
                continue
            names.setdefault(cid, str(c.get("name_readable") or c.get("name") or f"category {cid}").strip())
    cat_index = {cid: k + 1 for k, cid in enumerate(sorted(names))}
    classes = ["background", *(names[c] for c in sorted(names))]
    data = FoodData(base, fmt, classes, problems=problems)
    for name, doc in docs.items():
        data.splits[name] = CocoSplit(base / name, name, doc, cat_index, classes)
    return data
