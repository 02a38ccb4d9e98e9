"""Do two renderings of one model agree? PyTorch vs its ONNX graph, or FP32 vs a lower-precision graph.

Both sides see the same frames, prepared by `Model.preprocess` (the runtime's own resize), and are
compared on their decisions (mask pixels / top class per head) and on their raw scores (logits, or
probabilities for classifiers).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import onnx

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.model import LOGITS_OUTPUT, MASK_OUTPUT, InputSpec, Model, deployment_outputs
from foodcam.runtime.tasks import TaskSpec

PARITY_MIN_AGREEMENT = 0.99
Outputs = dict[str, np.ndarray]


class GraphModel(Model):
    """An ONNX graph held in memory (before it is written), run by ONNX Runtime on the CPU."""

    def __init__(self, proto: onnx.ModelProto, task: TaskSpec, precision: str = "fp32", threads: int = 1) -> None:
        from foodcam.export.onnx_export import ort_session

        self.session = ort_session(proto, threads)
        inp = self.session.get_inputs()[0]
        n = inp.shape[0]
        h, w = task.input_size
        self.task = task
        self.input_spec = InputSpec(inp.name, (n if isinstance(n, int) and n > 0 else -1, int(h), int(w), 3))
        self.path = "<in memory>"
        self.backend = "onnxruntime:CPUExecutionProvider"
        self.meta = {"precision": precision}
        self._names = [o.name for o in self.session.get_outputs()]

    def infer(self, images: np.ndarray) -> Outputs:
        return dict(zip(self._names, self.session.run(None, {self.input_spec.name: np.ascontiguousarray(images)})))


def torch_runner(model, task: TaskSpec) -> Callable[[np.ndarray], Outputs]:
    """batch -> outputs of `DeployWrapper(model, task, logits=True)`, named as in the ONNX graph."""
    import torch

    from foodcam.train.models.deploy import DeployWrapper

    wrapper = DeployWrapper(model, task, logits=True).eval()
    names = deployment_outputs(task, logits=True)

    def run(images: np.ndarray) -> Outputs:
        with torch.inference_mode():
            out = wrapper(torch.from_numpy(np.ascontiguousarray(images)))
        out = out if isinstance(out, tuple) else (out,)
        return {n: (t.numpy() if n == MASK_OUTPUT else t.float().numpy()) for n, t in zip(names, out)}

    return run


class Agreement:
    """Accumulates decision agreement and the largest score difference over batches."""

    def __init__(self, task: TaskSpec) -> None:
        self.task = task
        self.equal = 0
        self.total = 0
        self.max_abs_diff = 0.0
        self.scores_compared = False

    def update(self, ref: Outputs, cand: Outputs, ref_scores: str | None, cand_scores: str | None) -> None:
        pairs, scores = [], []
        if self.task.has_segmentation:
            pairs.append((ref[MASK_OUTPUT], cand[MASK_OUTPUT]))
            if ref_scores and cand_scores:
                scores.append((ref[ref_scores], cand[cand_scores]))
        for h in self.task.image_heads:  # decisions: top-1, or every class over the threshold (multilabel)
            n = h.name
            if h.kind == "multilabel":
                t = h.decision_threshold
                pairs.append((ref[n] >= t, cand[n] >= t))
            else:
                pairs.append((ref[n].argmax(1), cand[n].argmax(1)))
            if not self.task.has_segmentation:
                scores.append((ref[n], cand[n]))
        for a, b in pairs:
            self.equal += int((np.asarray(a) == np.asarray(b)).sum())
            self.total += int(np.asarray(a).size)
        for a, b in scores:
            diff = np.abs(np.asarray(a, np.float32) - np.asarray(b, np.float32))
            self.max_abs_diff = max(self.max_abs_diff, float(diff.max()) if diff.size else 0.0)
            self.scores_compared = True

    def result(self) -> dict:
        on = "logits" if self.task.has_segmentation else "probabilities"
        return {
            "agreement": self.equal / self.total if self.total else float("nan"),
            "max_abs_diff": self.max_abs_diff if self.scores_compared else None,
            "scores": on if self.scores_compared else None,
        }


def compare(
    task: TaskSpec,
    frames: Sequence[np.ndarray],
    preprocess: Callable[[np.ndarray], np.ndarray],
    reference: Callable[[np.ndarray], Outputs],
    candidate: Callable[[np.ndarray], Outputs],
    ref_scores: str | None,
    cand_scores: str | None,
) -> dict:
    """Run both sides on each frame (batch of one) and measure how far they agree."""
    acc = Agreement(task)
    for frame in frames:
        x = preprocess(frame)
        acc.update(reference(x), candidate(x), ref_scores, cand_scores)
    return {**acc.result(), "frames": len(frames)}


def torch_vs_graph(model, task: TaskSpec, proto: onnx.ModelProto, frames: Sequence[np.ndarray]) -> dict:
    """PyTorch DeployWrapper vs the exported graph on ONNX Runtime CPU, on the same frames."""
    from foodcam.export.onnx_export import expose_logits

    probe, scores = expose_logits(proto) if task.has_segmentation else (proto, None)
    graph = GraphModel(probe, task)
    ref_scores = LOGITS_OUTPUT if task.has_segmentation else None
    return compare(task, frames, graph.preprocess, torch_runner(model, task), graph.infer, ref_scores, scores)


def graph_vs_graph(task: TaskSpec, reference: onnx.ModelProto, candidate: onnx.ModelProto,
                   frames: Sequence[np.ndarray], precision: str) -> dict:
    """FP32 reference graph vs a lower-precision graph, both on ONNX Runtime CPU."""
    from foodcam.export.onnx_export import expose_logits

    seg = task.has_segmentation
    ref_probe, ref_scores = expose_logits(reference) if seg else (reference, None)
    cand_probe, cand_scores = expose_logits(candidate) if seg else (candidate, None)
    ref, cand = GraphModel(ref_probe, task), GraphModel(cand_probe, task, precision)
    return compare(task, frames, ref.preprocess, ref.infer, cand.infer, ref_scores, cand_scores)


# ------------------------------------------------------------------------------------------- frames


# task name -> (module, class) of its scene renderer: `cls(size=(w, h), seed=s).render(i)[0]` is a BGR frame
SCENES: dict[str, tuple[str, str]] = {
    "kitchen": ("foodcam.scenes.kitchen", "KitchenScene"),
    "freshness": ("foodcam.scenes.fruit", "FruitScene"),
    "foodseg": ("foodcam.scenes.plate", "PlateScene"),
    "foodrec": ("foodcam.scenes.plate", "PlateScene"),
}
MIN_SCENE_SIDE = 16  # the smallest frame the renderers draw; preprocess resizes to the input anyway


def check_frames(task: TaskSpec, data: str | Path | None, split: str, count: int = 8,
                 opened: tuple | None = None) -> tuple[list[np.ndarray], str]:
    """Frames for the export check: real frames of the labelled split (`opened` by `export.gate.open_labelled`,
    or opened from DATA) when given, else rendered ones (said so)."""
    if data is not None:
        if opened is None:
            from foodcam.export.gate import open_labelled

            opened = open_labelled(task, data, split)
        if opened is not None:
            dataset = opened[0]
            n = len(dataset)
            idx = np.unique(np.linspace(0, n - 1, min(n, count)).round().astype(int))
            return [dataset.load(int(i))[0] for i in idx], f"{len(idx)} {split} frames of {data}"
    return synthetic_frames(task, count)


def synthetic_frames(task: TaskSpec, count: int = 8, seed: int = 0) -> tuple[list[np.ndarray], str]:
    """Rendered frames when no labelled data is given: the task's scene (`SCENES`), else seeded noise."""
    import importlib

    h, w = task.input_size
    if task.name in SCENES:
        module, name = SCENES[task.name]
        try:
            scene_cls = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            scene_cls = None
        if scene_cls is not None:
            frames = _render(scene_cls, count, seed, (max(w, MIN_SCENE_SIDE), max(h, MIN_SCENE_SIDE)), task.name)
            return frames, f"{len(frames)} synthetic frames ({module}; no --data given)"
    rng = np.random.default_rng(seed)
    frames = [rng.integers(0, 256, (h, w, 3), dtype=np.uint8) for _ in range(count)]
    return frames, f"{count} random-noise frames (no --data given and no scene renderer for {task.name!r})"


def _render(scene_cls, count: int, seed: int, size: tuple[int, int], what: str) -> list[np.ndarray]:
    try:
        scene = scene_cls(size=size, seed=seed)
        return [np.ascontiguousarray(scene.render(i)[0]) for i in range(count)]
    except Exception as e:  # a renderer with another interface: say which
        raise FoodcamError(f"could not render synthetic {what} frames for the export check: {e}") from None
