"""Frames worth labelling: `foodcam run ... --collect DIR [--collect-every N] [--collect-by every|uncertain]`.

`every`: one camera frame in every N (the raw frame, not the overlay). `uncertain`: of every N frames, the one
the model was least sure about: the highest mean per-pixel entropy of its class probabilities (normalised
to 0 sure .. 1 uniform; from the model's "uncertainty" output, or its logits), so the few frames a user
labels are the ones the model gets wrong. A run that ends mid-window still saves that window's pick.

Each frame is written atomically as DIR/<run start>_<frame index>.jpg and described by one complete line of
DIR/index.jsonl (file, frame, time, uncertainty, class shares, why it was picked), appended and flushed.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from foodcam.camera.jsonl import JsonLines
from foodcam.camera.sinks.base import Rendered, Sink
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_image
from foodcam.runtime.model import LOGITS_OUTPUT, UNCERTAINTY_OUTPUT

MODES = ("every", "uncertain")
JPEG_QUALITY = 95


def check_collectable(model, mode: str) -> None:
    """FoodcamError before the first frame when `model` cannot say how unsure it is."""
    if mode != "uncertain":
        return
    if model is None:
        raise FoodcamError("--collect-by uncertain: needs the model to check its outputs")
    if not model.task.has_segmentation:
        raise FoodcamError(f"--collect-by uncertain: needs a segmentation model ({model.path} is {model.task.kind})")
    if not {UNCERTAINTY_OUTPUT, LOGITS_OUTPUT} & set(model.output_names):
        raise FoodcamError(f"--collect-by uncertain: {model.path} outputs only {model.output_names}; re-export it with "
                           "`foodcam export --uncertainty` (per-pixel entropy) or --logits")


class CollectSink(Sink):
    def __init__(self, folder: str | Path, every: int = 30, mode: str = "every", max_frames: int | None = None,
                 source: str = "") -> None:
        if every < 1:
            raise FoodcamError(f"--collect-every {every}: expected at least 1")
        if mode not in MODES:
            raise FoodcamError(f"--collect-by {mode}: expected one of {', '.join(MODES)}")
        if max_frames is not None and max_frames < 1:
            raise FoodcamError(f"--collect-max {max_frames}: expected at least 1")
        self.folder = Path(folder)
        if self.folder.exists() and not self.folder.is_dir():
            raise FoodcamError(f"--collect {self.folder}: exists and is not a folder")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.name = str(self.folder)
        self.every, self.mode, self.max_frames, self.source = int(every), mode, max_frames, source
        self.run = time.strftime("%Y%m%d-%H%M%S")
        self._index = JsonLines(self.folder / "index.jsonl", append=True, digits=None, what="collection index")
        self._closed = False
        self.seen = 0
        self.saved = 0
        self._best: tuple[float, np.ndarray, dict] | None = None  # the window's least sure frame so far

    @property
    def full(self) -> bool:
        return self.max_frames is not None and self.saved >= self.max_frames

    def write(self, out: Rendered) -> None:
        if self.full:
            return
        self.seen += 1
        u = out.result.mean_uncertainty if hasattr(out.result, "mean_uncertainty") else None
        if self.mode == "uncertain" and u is None:
            raise FoodcamError("the model's results carry no uncertainty (re-export with --uncertainty)")
        record = {"frame": out.frame.index, "time": round(out.frame.timestamp, 3),
                  "uncertainty": None if u is None else round(u, 5)}
        if getattr(out.result, "shares", None) is not None:
            record["shares"] = {k: round(v, 4) for k, v in out.result.shares.items()}
        if self.mode == "every":
            if (self.seen - 1) % self.every == 0:
                self._save(out.frame.image, {**record, "picked": f"every {self.every}"})
            return
        if self._best is None or u > self._best[0]:
            self._best = (u, out.frame.image.copy(), record)
        if self.seen % self.every == 0:
            self._flush()

    def _flush(self) -> None:
        if self._best is not None and not self.full:
            _, image, record = self._best
            self._save(image, {**record, "picked": f"least sure of {self.every}"})
        self._best = None

    def _save(self, image: np.ndarray, record: dict) -> None:
        name = f"{self.run}_{record['frame']:07d}.jpg"
        write_image(self.folder / name, image, jpeg_quality=JPEG_QUALITY)
        line = {"file": name, **record, "source": self.source, "size": [int(image.shape[1]), int(image.shape[0])]}
        self._index.write(line)  # one whole line per write: a reader never sees half a record
        self.saved += 1

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            if self.mode == "uncertain":
                self._flush()
        finally:
            self._index.close()

    def summary(self) -> dict:
        return {"collected": {"path": str(self.folder), "frames": self.saved, "seen": self.seen, "by": self.mode,
                              "every": self.every}}
