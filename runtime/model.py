"""The one interface every backend implements (ONNX Runtime, TensorRT, and the PyTorch checkpoint in train/).

Input is always the camera frame as uint8 NHWC BGR at the model's input size; normalisation,
layout and colour swap happen inside the model. Outputs are already decoded:
  segmentation: "mask" uint8 (N, H, W) [+ "logits" float (N, C, H, W) when exported with --logits]
                [+ "uncertainty" float (N, H, W): per-pixel entropy of the class probabilities / log(C), in
                   0..1, when exported with --uncertainty]
  classifiers:  one float (N, K) probability output per head, named after the head (softmax; sigmoid
                for a multilabel head) [+ "<head>_distance" float (N,) for a head calibrated with the
                mahalanobis unsure score (runtime/calibration.py)].
A multi-task model (foodseg) has both: "mask" and one probability output per per-image head.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass

import cv2
import numpy as np

from foodcam.runtime.calibration import decide_unsure
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.results import ClassificationResult, SegmentationResult
from foodcam.runtime.tasks import TaskSpec

INPUT_NAME = "images"
MASK_OUTPUT = "mask"
LOGITS_OUTPUT = "logits"
UNCERTAINTY_OUTPUT = "uncertainty"
METADATA_KEY = "foodcam"  # ONNX metadata_props key holding the versioned JSON description
DISTANCE_SUFFIX = "_distance"


def distance_output(head: str) -> str:
    """Name of the feature-distance output of a head calibrated with the mahalanobis score."""
    return f"{head}{DISTANCE_SUFFIX}"


def needs_distance(head) -> bool:
    return head.calibration is not None and head.calibration.score == "mahalanobis"


def deployment_outputs(task: TaskSpec, logits: bool = False, uncertainty: bool = False) -> list[str]:
    """Output names of a deployment model, per head in task order: "mask" [+ "logits"] [+ "uncertainty"] for
    the segmentation head, the head's name for each per-image head (probabilities)."""
    names: list[str] = []
    for h in task.heads:
        if h.kind == "segmentation":
            names += [MASK_OUTPUT, *([LOGITS_OUTPUT] if logits else []),
                      *([UNCERTAINTY_OUTPUT] if uncertainty else [])]
        else:
            names.append(h.name)
            if needs_distance(h):
                names.append(distance_output(h.name))
    return names


@dataclass(frozen=True)
class InputSpec:
    name: str
    shape: tuple  # (N, H, W, 3); N may be -1 / "N" for a dynamic batch
    dtype: str = "uint8"

    @property
    def height(self) -> int:
        return int(self.shape[1])

    @property
    def width(self) -> int:
        return int(self.shape[2])


def check_frame(frame: object, where: str) -> np.ndarray:
    """A camera frame as BGR uint8 (H, W, 3); FoodcamError naming `where` for anything that is not an image."""
    if not isinstance(frame, np.ndarray):
        raise FoodcamError(f"{where}: a frame must be a numpy image array, got {type(frame).__name__}")
    ok_shape = frame.ndim == 2 or (frame.ndim == 3 and frame.shape[2] in (1, 3, 4))
    if not ok_shape or frame.shape[0] < 1 or frame.shape[1] < 1 or frame.dtype.kind not in "uifb":
        raise FoodcamError(f"{where}: a frame must be an (H, W, 3) BGR image (or gray / BGRA), "
                           f"got {frame.dtype} {frame.shape}")
    if frame.dtype == np.uint8 and frame.ndim == 3 and frame.shape[2] == 3:
        return frame
    if frame.dtype.kind == "f" and not np.isfinite(frame).all():
        raise FoodcamError(f"{where}: the frame holds NaN/Inf pixels")
    from foodcam.runtime.imageio import to_bgr8

    return to_bgr8(frame.astype(np.uint8) if frame.dtype == bool else frame)


class Model(abc.ABC):
    """A loaded model artifact. Subclasses implement `infer`; the rest is shared."""

    task: TaskSpec
    input_spec: InputSpec
    path: str
    backend: str  # "onnxruntime:CPUExecutionProvider", "tensorrt", "torch", ...
    meta: dict  # the full foodcam metadata (task, precision, source hash, metrics...)

    @abc.abstractmethod
    def infer(self, images: np.ndarray) -> dict[str, np.ndarray]:
        """Run on a uint8 NHWC BGR batch at the input size; return the named outputs."""

    @property
    def required_outputs(self) -> list[str]:
        """What the task needs: "mask" for a segmentation head, the head's name for a classifier."""
        return deployment_outputs(self.task)

    @property
    def output_names(self) -> list[str]:
        return self.required_outputs

    def select_outputs(self, present: list[str], what: str) -> list[str]:
        """The outputs to fetch: those the task needs (an error naming `what` when absent) + logits and
        uncertainty when exported."""
        wanted = self.required_outputs
        absent = [name for name in wanted if name not in present]
        if absent:
            raise FoodcamError(f"{what} outputs {present} lack {absent} required by task {self.task.name!r}")
        if self.task.has_segmentation:
            wanted = wanted + [n for n in (LOGITS_OUTPUT, UNCERTAINTY_OUTPUT) if n in present]
        return wanted

    @property
    def precision(self) -> str:
        return str(self.meta.get("precision", "fp32"))

    def preprocess(self, frame_bgr: np.ndarray) -> np.ndarray:
        """Frame of any size -> (1, H, W, 3) uint8 at the model's input size (gray, BGRA, 16-bit converted)."""
        frame_bgr = check_frame(frame_bgr, self.path)
        h, w = self.input_spec.height, self.input_spec.width
        if frame_bgr.shape[:2] != (h, w):
            frame_bgr = cv2.resize(frame_bgr, (w, h), interpolation=cv2.INTER_LINEAR)
        return np.ascontiguousarray(frame_bgr)[None]

    def postprocess(self, outputs: dict[str, np.ndarray], frame_shape: tuple[int, int], index: int = 0):
        """Named outputs of one batch item -> a result object for a frame of `frame_shape` (H, W)."""
        probs = {h.name: outputs[h.name][index] for h in self.task.image_heads}
        unsure, scores = {}, {}
        for h in self.task.image_heads:
            if h.calibration is not None:
                dist = outputs[distance_output(h.name)][index] if needs_distance(h) else None
                probs[h.name], scores[h.name], unsure[h.name] = decide_unsure(h.calibration, probs[h.name], dist)
        if self.task.has_segmentation:
            logits, unc = outputs.get(LOGITS_OUTPUT), outputs.get(UNCERTAINTY_OUTPUT)
            return SegmentationResult(
                task=self.task,
                mask=outputs[MASK_OUTPUT][index],
                frame_shape=tuple(frame_shape[:2]),
                logits=None if logits is None else logits[index],
                probs=probs,
                uncertainty=None if unc is None else unc[index],
                unsure=unsure,
                unsure_scores=scores,
            )
        return ClassificationResult(task=self.task, probs=probs, frame_shape=tuple(frame_shape[:2]), unsure=unsure,
                                    unsure_scores=scores)

    def predict(self, frame_bgr: np.ndarray):
        """Resize, run, decode: one frame in, one result out."""
        return self.postprocess(self.infer(self.preprocess(frame_bgr)), frame_bgr.shape[:2])

    def close(self) -> None:  # backends holding device memory override this
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.task.name} {self.precision} {self.backend} {self.path}>"
