"""INT8 calibration frames: real images found anywhere below a folder, fed as the camera feeds the model.

Each frame is read as BGR uint8 (runtime.imageio) and prepared by the runtime's own `Model.preprocess`
(cv2.INTER_LINEAR to the input size, NHWC uint8); normalisation happens inside the graph, so calibration
sees exactly the activations deployment will. Label images are skipped: files in masks/labels folders,
and a .png beside a photo of the same name (the kitchen layout pairs `x.jpg` with its mask `x.png`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from onnxruntime.quantization import CalibrationDataReader
from tqdm import tqdm

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import IMAGE_EXTS, is_image, read_image

LABEL_DIRS = {"mask", "masks", "label", "labels", "annotation", "annotations", "gt", "groundtruth", "segmentation"}


def calibration_images(root: str | Path, count: int) -> list[Path]:
    """Up to `count` images below `root`, evenly spread over the sorted list (deterministic)."""
    root = Path(root)
    if not root.is_dir():
        raise FoodcamError(f"--calib {root}: no such folder (expected a folder of real frames)")
    if count < 1:
        raise FoodcamError(f"--calib-count {count}: expected at least 1 frame")
    files = sorted(
        p for p in root.rglob("*")
        if p.is_file() and is_image(p) and not LABEL_DIRS.intersection(s.lower() for s in p.relative_to(root).parts[:-1])
    )
    photos = {(p.parent, p.stem) for p in files if p.suffix.lower() != ".png"}
    files = [p for p in files if not (p.suffix.lower() == ".png" and (p.parent, p.stem) in photos)]
    if not files:
        raise FoodcamError(f"--calib {root}: no images below it (looked for {'/'.join(IMAGE_EXTS)} outside label folders)")
    idx = np.unique(np.linspace(0, len(files) - 1, min(len(files), count)).round().astype(int))
    return [files[int(i)] for i in idx]


class FrameReader(CalibrationDataReader):
    """ONNX Runtime calibration feed: one preprocessed frame (batch of one) per `get_next`."""

    def __init__(self, paths: list[Path], preprocess: Callable[[np.ndarray], np.ndarray], input_name: str,
                 progress: bool = False) -> None:
        self.paths = [Path(p).resolve() for p in paths]  # absolute: the quantizer runs in a scratch cwd
        self.preprocess = preprocess
        self.input_name = input_name
        self.pos = 0
        self.bar = tqdm(total=len(self.paths), desc="calibrate", unit="img", leave=False) if progress else None

    def __len__(self) -> int:
        return len(self.paths)

    def get_next(self) -> dict[str, np.ndarray] | None:
        if self.pos >= len(self.paths):
            if self.bar is not None:
                self.bar.close()
                self.bar = None
            return None
        frame = read_image(self.paths[self.pos])
        self.pos += 1
        if self.bar is not None:
            self.bar.update(1)
        return {self.input_name: np.ascontiguousarray(self.preprocess(frame), dtype=np.uint8)}

    def rewind(self) -> None:
        self.pos = 0


def default_calibration_folder(task, data: str | Path) -> Path:
    """Where INT8 calibrates without --calib: the training images of DATA (segmentation: DATA/train;
    classifiers: all of DATA; foodseg/foodrec: the train split's image folder of the FoodSeg103/COCO layout,
    so annotation PNGs are never taken for frames)."""
    if task.name in ("foodseg", "foodrec"):
        from foodcam.train.data.food import open_food_data

        split = open_food_data(data).split("train")
        if len(split) == 0:
            raise FoodcamError(f"--data {data}: its train split has no images to calibrate INT8 on (use --calib)")
        return split.path(0).parent
    return Path(data) / ("train" if task.kind == "segmentation" else "")
