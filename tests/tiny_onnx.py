"""Tiny real deployment ONNX graphs built with onnx.helper, for backend tests (no torch, no training).

segmentation: uint8 NHWC "images" -> Cast float -> Transpose NCHW = "logits" -> ArgMax(channels) -> Cast float
              -> Cast uint8 "mask" (TensorRT 10.3 casts to uint8 only from float: export/graph_rules.py)
              (the class of a pixel is its largest B/G/R value: easy to check with numpy)
classifier:   uint8 NHWC -> Cast -> ReduceMean(H, W) -> per head MatMul + Add -> Softmax = "<head name>"
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from foodcam.runtime.backends.onnx_meta import make_metadata, metadata_to_props
from foodcam.runtime.tasks import FRESHNESS, KITCHEN, TaskSpec

OPSET = 17
SEG_TASK = KITCHEN.with_input_size(16, 20)
CLS_TASK = FRESHNESS.with_input_size(12, 12)


def _save(graph, path: Path, meta: dict | None) -> Path:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="foodcam-tests")
    model.ir_version = 8
    if meta is not None:
        helper.set_model_props(model, metadata_to_props(meta))
    onnx.checker.check_model(model)
    path = Path(path)
    onnx.save(model, str(path))
    return path


def _batch(dynamic: bool):
    return "N" if dynamic else 1


def seg_onnx(path: Path, task: TaskSpec = SEG_TASK, dynamic: bool = True, meta: dict | None = ...,
             input_type: int = TensorProto.UINT8, precision: str = "fp32", constant_class: int | None = None,
             poison: bool = False) -> Path:
    """constant_class: a model that paints every pixel that class (x * 0 + one-hot) instead of the largest B/G/R;
    with poison, x / 0 + one-hot instead: finite weights, NaN/Inf scores (what corrupted weights produce)."""
    h, w = task.input_size
    n = _batch(dynamic)
    inits, scores = [], "x"
    if constant_class is not None:
        onehot = np.eye(3, dtype=np.float32)[constant_class]
        inits = [numpy_helper.from_array(np.zeros(1, np.float32), "zero"), numpy_helper.from_array(onehot, "onehot")]
        scores = "y"
    nodes = [
        helper.make_node("Cast", ["images"], ["x"], to=TensorProto.FLOAT),
        *([helper.make_node("Div" if poison else "Mul", ["x", "zero"], ["x0"]),
           helper.make_node("Add", ["x0", "onehot"], ["y"])]
          if constant_class is not None else []),
        helper.make_node("Transpose", [scores], ["logits"], perm=[0, 3, 1, 2]),
        helper.make_node("ArgMax", ["logits"], ["idx"], axis=1, keepdims=0),
        helper.make_node("Cast", ["idx"], ["idx_f"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["idx_f"], ["mask"], to=TensorProto.UINT8),
    ]
    graph = helper.make_graph(
        nodes, "tiny_seg",
        [helper.make_tensor_value_info("images", input_type, [n, h, w, 3])],
        [helper.make_tensor_value_info("mask", TensorProto.UINT8, [n, h, w]),
         helper.make_tensor_value_info("logits", TensorProto.FLOAT, [n, 3, h, w])],
        initializer=inits,
    )
    if meta is ...:
        meta = make_metadata(task, precision, source={"checkpoint": "tiny", "sha256": "0" * 64})
    return _save(graph, path, meta)


def seg_reference(images: np.ndarray) -> dict[str, np.ndarray]:
    return {"mask": images.argmax(-1).astype(np.uint8), "logits": images.astype(np.float32).transpose(0, 3, 1, 2)}


def cls_weights(task: TaskSpec = CLS_TASK, seed: int = 0) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    return {h.name: (rng.normal(0, 0.05, (3, h.num_classes)).astype(np.float32),
                     rng.normal(0, 0.5, h.num_classes).astype(np.float32)) for h in task.heads}


def cls_onnx(path: Path, task: TaskSpec = CLS_TASK, dynamic: bool = True, seed: int = 0) -> Path:
    h, w = task.input_size
    n = _batch(dynamic)
    nodes = [
        helper.make_node("Cast", ["images"], ["x"], to=TensorProto.FLOAT),
        helper.make_node("ReduceMean", ["x"], ["feat"], axes=[1, 2], keepdims=0),
    ]
    inits, outputs = [], []
    for head, (wt, b) in cls_weights(task, seed).items():
        inits += [numpy_helper.from_array(wt, f"{head}_w"), numpy_helper.from_array(b, f"{head}_b")]
        nodes += [
            helper.make_node("MatMul", ["feat", f"{head}_w"], [f"{head}_mm"]),
            helper.make_node("Add", [f"{head}_mm", f"{head}_b"], [f"{head}_z"]),
            helper.make_node("Softmax", [f"{head}_z"], [head], axis=1),
        ]
        outputs.append(helper.make_tensor_value_info(head, TensorProto.FLOAT, [n, wt.shape[1]]))
    graph = helper.make_graph(
        nodes, "tiny_cls", [helper.make_tensor_value_info("images", TensorProto.UINT8, [n, h, w, 3])],
        outputs, initializer=inits,
    )
    return _save(graph, path, make_metadata(task, "fp32", source={"checkpoint": "tiny"}))


def cls_reference(images: np.ndarray, task: TaskSpec = CLS_TASK, seed: int = 0) -> dict[str, np.ndarray]:
    feat = images.astype(np.float32).mean(axis=(1, 2))
    out = {}
    for head, (wt, b) in cls_weights(task, seed).items():
        z = feat @ wt + b
        e = np.exp(z - z.max(1, keepdims=True))
        out[head] = e / e.sum(1, keepdims=True)
    return out


def random_frames(n: int, h: int, w: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (n, h, w, 3), dtype=np.uint8)
