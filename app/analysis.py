"""One model, opened once and shared by every request: a photo in, what the model says about it out.

Outputs follow the model's self-description, head by head, so a model with a mask and label heads shows both:
  segmentation head   -> the photo with the blended colour mask and legend (camera.overlay.Visualizer), the area
                         per class, the colour-coded mask at the photo's resolution (runtime.colour.colorize: the
                         same colours `foodcam predict` writes)
  classification head -> probabilities per class (every class, or the top-k when there are many)
  multilabel head     -> probability per label, highest first (top-k when there are many)
plus the inference latency and the backend that ran it. No gradio and no torch here.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from foodcam.camera.overlay import MAX_STATIC_LEGEND, Visualizer
from foodcam.runtime.colour import colorize
from foodcam.runtime.model import MASK_OUTPUT, Model
from foodcam.runtime.results import SegmentationResult

DISPLAY_MAX_SIDE = 1600  # the overlay shown on the page is at most this wide/high; the mask download is full size
ALL_CLASSES_UP_TO = 10  # heads with more classes show the top-k


def hex_colour(rgb) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(c) for c in rgb))


@dataclass
class Analysis:
    """What one model says about one photo."""

    model: str  # the served model's display name
    task: str
    backend: str
    precision: str
    latency_ms: float  # model.infer on the preprocessed frame
    total_ms: float  # resize + inference + decoding + drawing
    overlay_bgr: np.ndarray | None = None  # display-size photo with the blended mask and legend
    mask_bgr: np.ndarray | None = None  # colour-coded mask at the photo's resolution
    areas: dict[str, float] = field(default_factory=dict)  # class -> % of the pixels
    colours: dict[str, str] = field(default_factory=dict)  # class -> "#rrggbb"
    labels: dict[str, dict[str, float]] = field(default_factory=dict)  # head -> {class: probability}, highest first
    # calibrated heads (runtime/calibration.py) -> {"unsure": bool, "score": float, "text": what the head says}
    unsure: dict[str, dict] = field(default_factory=dict)

    def legend_rows(self) -> list[tuple[str, float]]:
        """(class, % of the pixels) for the page's legend: every class of a small task in its order; with many
        classes (foodseg: 104) only those in the photo, largest first, so the legend stays a few rows."""
        if len(self.areas) <= MAX_STATIC_LEGEND:
            return list(self.areas.items())
        return sorted(((c, v) for c, v in self.areas.items() if v > 0), key=lambda cv: -cv[1])

    def unsure_lines(self) -> list[str]:
        """One line per head unsure about the photo (the page shows them above the labels)."""
        return [f"{h}: {u['text']} - not like the photos this model was made for"
                for h, u in self.unsure.items() if u["unsure"]]

    def summary(self) -> dict:
        """The numbers, JSON-ready (what the page's API returns for scripts)."""
        out = {"model": self.model, "task": self.task, "backend": self.backend, "precision": self.precision,
               "latency_ms": round(self.latency_ms, 3), "total_ms": round(self.total_ms, 3)}
        if self.mask_bgr is not None:
            out["areas_percent"] = {c: round(v, 4) for c, v in self.areas.items()}
            out["colours"] = self.colours
        if self.labels:
            out["labels"] = self.labels
        if self.unsure:
            out["unsure"] = {h: {"unsure": u["unsure"], "score": round(u["score"], 6)} for h, u in self.unsure.items()}
        return out


def _display(frame: np.ndarray) -> np.ndarray:
    h, w = frame.shape[:2]
    s = DISPLAY_MAX_SIDE / max(h, w)
    if s >= 1.0:
        return frame
    return cv2.resize(frame, (max(1, round(w * s)), max(1, round(h * s))), interpolation=cv2.INTER_AREA)


class ServedModel:
    """A model opened once; `analyse` may be called from any request thread (one inference at a time)."""

    def __init__(self, model: Model, name: str | None = None, topk: int = 5) -> None:
        self.model = model
        self.name = name or Path(model.path).name
        self.topk = max(1, int(topk))
        self.task = model.task
        self.seg_head = self.task.seg_head if self.task.kind == "segmentation" else None
        self.label_heads = [h for h in self.task.heads if h.kind != "segmentation"]
        self._lock = threading.Lock()  # one session shared by every request, never reopened
        self._vis = Visualizer(self.task, mode="overlay", alpha=0.5, legend=True, hud=False) if self.seg_head else None

    def shown(self, head) -> int:
        """How many classes of a label head the page shows."""
        return head.num_classes if head.num_classes <= ALL_CLASSES_UP_TO else min(self.topk, head.num_classes)

    def describe(self) -> dict:
        """Name, task, heads with their classes, input size, precision, backend: the model list on the page."""
        h, w = self.task.input_size
        return {"name": self.name, "path": str(self.model.path), "task": self.task.name,
                "description": self.task.description, "input_size": f"{w}x{h}", "precision": self.model.precision,
                "backend": self.model.backend,
                "heads": [{"name": hd.name, "kind": hd.kind, "classes": list(hd.classes)} for hd in self.task.heads]}

    def segment(self, frame: np.ndarray) -> np.ndarray:
        """The class mask (H, W) uint8 at the frame's resolution (segmentation models only)."""
        batch = self.model.preprocess(frame)
        with self._lock:
            outputs = self.model.infer(batch)
        return SegmentationResult(task=self.task, mask=outputs[MASK_OUTPUT][0], frame_shape=frame.shape[:2]).mask_full

    def analyse(self, frame: np.ndarray) -> Analysis:
        t0 = time.perf_counter()
        batch = self.model.preprocess(frame)
        with self._lock:
            t1 = time.perf_counter()
            outputs = self.model.infer(batch)
            latency = (time.perf_counter() - t1) * 1000.0
        res = Analysis(model=self.name, task=self.task.name, backend=self.model.backend,
                       precision=self.model.precision, latency_ms=latency, total_ms=0.0)
        if self.seg_head is not None:
            seg = SegmentationResult(task=self.task, mask=outputs[MASK_OUTPUT][0], frame_shape=frame.shape[:2])
            res.mask_bgr = colorize(seg.mask_full, self.seg_head)
            shown = _display(frame)
            view = SegmentationResult(task=self.task, mask=seg.mask, frame_shape=shown.shape[:2])
            res.overlay_bgr = self._vis.draw(shown, view)
            res.areas = {k: 100.0 * v for k, v in seg.shares.items()}
            res.colours = {c: hex_colour(rgb) for c, rgb in zip(self.seg_head.classes, self.seg_head.colours or ())}
        post = self.model.postprocess(outputs, frame.shape[:2])
        for head in self.label_heads:
            p = np.asarray(post.probs[head.name], dtype=np.float64)  # calibrated when the head is
            if head.name in post.unsure:
                res.unsure[head.name] = {"unsure": post.unsure[head.name], "score": post.unsure_scores[head.name],
                                         "text": post.head_text(head.name)}
            order = np.argsort(-p, kind="stable")[: self.shown(head)]
            res.labels[head.name] = {head.classes[i]: float(p[i]) for i in order}
        res.total_ms = (time.perf_counter() - t0) * 1000.0
        return res

    def close(self) -> None:
        self.model.close()
