"""Stand-in deployment models for the soak run: tiny real ONNX graphs with foodcam metadata, made in seconds.

A soak measures the loop machinery (sources, threads, queues, sinks, the sorting line) for leaks and drift,
not a network, so by default it runs these; `--kitchen-model` / `--fruit-model` take exported ones instead.

    kitchen:   uint8 NHWC -> Cast -> Transpose -> ArgMax over B, G, R -> uint8 mask  (3 classes)
    freshness: uint8 NHWC -> Cast -> mean over H, W -> per head MatMul + Add -> Softmax
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from foodcam.runtime.backends.onnx_meta import make_metadata, metadata_to_props
from foodcam.runtime.tasks import FRESHNESS, KITCHEN

OPSET = 17


def _save(graph, path: Path, meta: dict) -> Path:
    import onnx
    from onnx import helper

    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="foodcam-soak")
    model.ir_version = 8
    helper.set_model_props(model, metadata_to_props(meta))
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))
    return path


def kitchen_model(path: str | Path, size: int = 64) -> Path:
    from onnx import TensorProto, helper

    task = KITCHEN.with_input_size(size, size)
    nodes = [
        helper.make_node("Cast", ["images"], ["x"], to=TensorProto.FLOAT),
        helper.make_node("Transpose", ["x"], ["scores"], perm=[0, 3, 1, 2]),
        helper.make_node("ArgMax", ["scores"], ["idx"], axis=1, keepdims=0),
        helper.make_node("Cast", ["idx"], ["mask"], to=TensorProto.UINT8),
    ]
    graph = helper.make_graph(
        nodes, "soak_kitchen", [helper.make_tensor_value_info("images", TensorProto.UINT8, ["N", size, size, 3])],
        [helper.make_tensor_value_info("mask", TensorProto.UINT8, ["N", size, size])])
    return _save(graph, Path(path), make_metadata(task, "fp32", source={"checkpoint": "soak stand-in"}))


def fruit_model(path: str | Path, size: int = 64) -> Path:
    from onnx import TensorProto, helper, numpy_helper

    task = FRESHNESS.with_input_size(size, size)
    rng = np.random.default_rng(0)
    nodes = [helper.make_node("Cast", ["images"], ["x"], to=TensorProto.FLOAT),
             helper.make_node("ReduceMean", ["x"], ["feat"], axes=[1, 2], keepdims=0)]
    inits, outputs = [], []
    for head in task.heads:
        w = rng.normal(0, 0.05, (3, head.num_classes)).astype(np.float32)
        b = rng.normal(0, 0.5, head.num_classes).astype(np.float32)
        inits += [numpy_helper.from_array(w, f"{head.name}_w"), numpy_helper.from_array(b, f"{head.name}_b")]
        nodes += [helper.make_node("MatMul", ["feat", f"{head.name}_w"], [f"{head.name}_mm"]),
                  helper.make_node("Add", [f"{head.name}_mm", f"{head.name}_b"], [f"{head.name}_z"]),
                  helper.make_node("Softmax", [f"{head.name}_z"], [head.name], axis=1)]
        outputs.append(helper.make_tensor_value_info(head.name, TensorProto.FLOAT, ["N", head.num_classes]))
    graph = helper.make_graph(
        nodes, "soak_fruit", [helper.make_tensor_value_info("images", TensorProto.UINT8, ["N", size, size, 3])],
        outputs, initializer=inits)
    return _save(graph, Path(path), make_metadata(task, "fp32", source={"checkpoint": "soak stand-in"}))
