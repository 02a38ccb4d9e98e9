"""Writers of the two real food-segmentation layouts (used by `foodcam synth foodseg` and by tests).

FoodSeg103Writer: ROOT/Images/img_dir/<split>/<stem>.jpg, ROOT/Images/ann_dir/<split>/<stem>.png (8-bit
class ids) and ROOT/category_id.txt. CocoWriter: ROOT/<split>/images/<stem>.jpg and
ROOT/<split>/annotations.json, one polygon annotation per connected region of a class, category ids
that are not contiguous (as the AIcrowd food-recognition set has them). numpy + OpenCV only.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from foodcam.runtime.imageio import write_image, write_json_atomic, write_text_atomic

JPEG_QUALITY = 90
MIN_REGION = 4  # pixels: smaller specks of a class get no polygon of their own


def category_id(k: int) -> int:
    """COCO category id of class k (1-based food index): sparse, like AIcrowd's 100xxx ids."""
    return 100000 + 37 * int(k) + (int(k) % 5)


class FoodSeg103Writer:
    def __init__(self, root: str | Path, class_names: list[str]) -> None:
        self.root = Path(root)
        self.names = list(class_names)

    def add(self, split: str, stem: str, frame: np.ndarray, mask: np.ndarray) -> None:
        write_image(self.root / "Images" / "img_dir" / split / f"{stem}.jpg", frame, jpeg_quality=JPEG_QUALITY)
        write_image(self.root / "Images" / "ann_dir" / split / f"{stem}.png", mask)

    def close(self) -> None:
        write_text_atomic(self.root / "category_id.txt", "".join(f"{i}\t{n}\n" for i, n in enumerate(self.names)))


def mask_polygons(binary: np.ndarray) -> list[tuple[list[float], int, list[int]]]:
    """(flat polygon [x0, y0, x1, y1, ...], pixel area, bbox [x, y, w, h]) per connected region."""
    out = []
    n, labels, stats, _ = cv2.connectedComponentsWithStats(binary.astype(np.uint8), connectivity=8)
    for i in range(1, n):
        area = int(stats[i, cv2.CC_STAT_AREA])
        if area < MIN_REGION:
            continue
        # traced at twice the resolution and halved: the outline runs along pixel edges, so rasterising the
        # polygon (pycocotools) gives back exactly these pixels instead of losing a half-pixel rim
        up = cv2.resize((labels == i).astype(np.uint8), None, fx=2, fy=2, interpolation=cv2.INTER_NEAREST)
        contours, _ = cv2.findContours(up, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        c = max(contours, key=cv2.contourArea)
        if len(c) < 3:
            continue
        x, y, w, h = (int(v) for v in stats[i, :4])
        out.append(([float(v) / 2 for v in c.reshape(-1)], area, [x, y, w, h]))
    return out


class CocoWriter:
    def __init__(self, root: str | Path, class_names: list[str]) -> None:
        self.root = Path(root)
        self.names = list(class_names)
        self.data: dict[str, dict] = {}

    def add(self, split: str, stem: str, frame: np.ndarray, mask: np.ndarray) -> None:
        d = self.data.setdefault(split, {"images": [], "annotations": []})
        image_id = len(d["images"]) + 1
        name = f"{stem}.jpg"
        write_image(self.root / split / "images" / name, frame, jpeg_quality=JPEG_QUALITY)
        h, w = mask.shape
        d["images"].append({"id": image_id, "file_name": name, "width": int(w), "height": int(h)})
        # large regions first, so a reader painting in file order gets small pieces on top
        regions = []
        for k in np.flatnonzero(np.bincount(mask.ravel(), minlength=len(self.names))[1:]) + 1:
            regions += [(int(k), *r) for r in mask_polygons(mask == k)]
        for k, poly, area, bbox in sorted(regions, key=lambda r: -r[2]):
            d["annotations"].append({"id": sum(len(v["annotations"]) for v in self.data.values()) + 1,
                                     "image_id": image_id, "category_id": category_id(k), "segmentation": [poly],
                                     "area": float(area), "bbox": bbox, "iscrowd": 0})

    def close(self) -> None:
        cats = [{"id": category_id(k), "name": n.replace(" ", "-"), "name_readable": n, "supercategory": "food"}
                for k, n in enumerate(self.names) if k > 0]
        for split, d in self.data.items():
            write_json_atomic(self.root / split / "annotations.json",
                              {"info": {"description": "foodcam synthetic plates"}, "images": d["images"],
                               "annotations": d["annotations"], "categories": cats})
