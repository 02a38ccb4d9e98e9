"""Static rules a deployment ONNX must obey so TensorRT's ONNX parser (10.x, JetPack 6) takes it.

    from foodcam.export.graph_rules import check_trt_graph, enforce_trt_graph
    problems = check_trt_graph(onnx.load("model.int8.onnx"))      # [] when the graph is fine
    enforce_trt_graph(proto, "model.int8.onnx")                    # FoodcamError listing them

Generic over any graph (every task, every precision). The rules:
- UINT8 tensors: TensorRT supports UINT8 only as a network input/output and through Cast, so a UINT8
  tensor (graph input or intermediate) may be consumed by Cast nodes only (a graph output may be UINT8);
- a Cast *to* UINT8 must read FLOAT or FLOAT16 (TensorRT 10.3 converts to UINT8 only from FLOAT/HALF;
  an INT64 ArgMax result must go through float first);
- INT8 Q/DQ: every QuantizeLinear / DequantizeLinear has an explicit INT8 zero point that is all 0
  (TensorRT's quantization is symmetric, and a missing zero point means UINT8);
- the default-domain opset is at most 20 (the newest TensorRT 10.3's parser reads), and every node is
  in the default ONNX domain (a com.microsoft op has no TensorRT importer).
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper

from foodcam.runtime.errors import FoodcamError

MAX_TRT10_OPSET = 20
FLOATS = (TensorProto.FLOAT, TensorProto.FLOAT16)
QDQ_OPS = ("QuantizeLinear", "DequantizeLinear")


def _dtype_name(t: int) -> str:
    return TensorProto.DataType.Name(t) if t else "unknown"


def tensor_types(proto: onnx.ModelProto) -> dict[str, int]:
    """Element type of every named tensor (inputs, outputs, initializers, Constants, inferred value_info)."""
    try:
        inferred = onnx.shape_inference.infer_shapes(proto)
    except Exception:  # a graph shape inference cannot read still gets the declared types checked
        inferred = proto
    g = inferred.graph
    types = {v.name: v.type.tensor_type.elem_type for v in [*g.input, *g.output, *g.value_info]}
    types.update({t.name: t.data_type for t in g.initializer})
    for n in g.node:
        if n.op_type == "Constant":
            for a in n.attribute:
                if a.name == "value" and a.type == onnx.AttributeProto.TENSOR:
                    types[n.output[0]] = a.t.data_type
        elif n.op_type == "Cast":  # Cast's result type is its attribute, whatever inference managed
            for a in n.attribute:
                if a.name == "to":
                    types[n.output[0]] = a.i
    return {k: v for k, v in types.items() if v}


def _constant(proto: onnx.ModelProto, name: str) -> np.ndarray | None:
    for t in proto.graph.initializer:
        if t.name == name:
            return numpy_helper.to_array(t)
    for n in proto.graph.node:
        if n.op_type == "Constant" and n.output and n.output[0] == name:
            for a in n.attribute:
                if a.name == "value" and a.type == onnx.AttributeProto.TENSOR:
                    return numpy_helper.to_array(a.t)
    return None


def _label(node: onnx.NodeProto) -> str:
    return f"{node.op_type} {node.name!r}" if node.name else node.op_type


def _opset(proto: onnx.ModelProto) -> int | None:
    for o in proto.opset_import:
        if o.domain in ("", "ai.onnx"):
            return int(o.version)
    return None


def check_trt_graph(proto: onnx.ModelProto, max_opset: int = MAX_TRT10_OPSET) -> list[str]:
    """Every rule violation in `proto`, one line each; [] for a graph TensorRT 10.x can parse."""
    problems: list[str] = []
    opset = _opset(proto)
    if opset is None:
        problems.append("graph imports no default-domain (ai.onnx) opset")
    elif opset > max_opset:
        problems.append(f"opset {opset} > {max_opset} (TensorRT 10.3's ONNX parser reads opset <= {max_opset})")
    types = tensor_types(proto)
    for node in proto.graph.node:
        if node.domain not in ("", "ai.onnx"):
            problems.append(f"{_label(node)} is in domain {node.domain!r}; TensorRT's parser reads ai.onnx ops only")
        if node.op_type != "Cast":
            for name in node.input:
                if name and types.get(name) == TensorProto.UINT8:
                    problems.append(f"{_label(node)} reads UINT8 tensor {name!r}; TensorRT takes UINT8 only "
                                    "through Cast (cast it to float first)")
        else:
            to = next((a.i for a in node.attribute if a.name == "to"), 0)
            src = types.get(node.input[0], 0) if node.input else 0
            if to == TensorProto.UINT8 and src not in FLOATS:
                problems.append(f"{_label(node)} casts {_dtype_name(src)} {node.input[0]!r} to UINT8; TensorRT "
                                "10.3 casts to UINT8 only from FLOAT or FLOAT16 (cast to float first)")
        if node.op_type in QDQ_OPS:
            problems.extend(_qdq_problems(proto, node))
    return problems


def _qdq_problems(proto: onnx.ModelProto, node: onnx.NodeProto) -> list[str]:
    if len(node.input) < 3 or not node.input[2]:
        return [f"{_label(node)} has no zero point (defaults to UINT8); TensorRT needs INT8 zero point 0"]
    zp = _constant(proto, node.input[2])
    if zp is None:
        return [f"{_label(node)} zero point {node.input[2]!r} is not a constant"]
    if zp.dtype != np.int8:
        return [f"{_label(node)} zero point is {zp.dtype}; TensorRT's Q/DQ is INT8 (symmetric, zero point 0)"]
    if np.any(zp != 0):
        return [f"{_label(node)} zero point is not 0 ({np.unique(zp)[:4].tolist()}); TensorRT's INT8 is symmetric"]
    return []


def enforce_trt_graph(proto: onnx.ModelProto, what: str = "graph", max_opset: int = MAX_TRT10_OPSET) -> None:
    """FoodcamError naming `what` and every violation (up to 5 shown) unless the graph obeys the rules."""
    problems = check_trt_graph(proto, max_opset)
    if problems:
        shown = "; ".join(problems[:5]) + (f"; ... {len(problems) - 5} more" if len(problems) > 5 else "")
        raise FoodcamError(f"{what} breaks {len(problems)} TensorRT parser rule(s): {shown}")


def cast_to_uint8_via_float(proto: onnx.ModelProto) -> int:
    """Give every Cast-to-UINT8 that reads a non-float tensor a Cast-to-FLOAT in front; returns how many.

    Exact for integers below 2**24 (class indices). Graph optimizers (ONNX Runtime's, run before INT8
    quantization) fuse the deployment wrapper's ArgMax -> Cast(float) -> Cast(uint8) into one
    Cast(int64 -> uint8), which TensorRT 10.3 refuses; this puts the float step back.
    """
    types = tensor_types(proto)
    taken = {o for n in proto.graph.node for o in n.output} | {i.name for i in proto.graph.input}
    fixed = 0
    for node in list(proto.graph.node):
        if node.op_type != "Cast" or not node.input:
            continue
        to = next((a.i for a in node.attribute if a.name == "to"), 0)
        src = node.input[0]
        if to != TensorProto.UINT8 or types.get(src, TensorProto.FLOAT) in FLOATS:
            continue
        name = f"{src}_as_float"
        while name in taken:
            name += "_"
        taken.add(name)
        index = list(proto.graph.node).index(node)
        proto.graph.node.insert(index, onnx.helper.make_node("Cast", [src], [name], to=TensorProto.FLOAT,
                                                             name=f"{name}_cast"))
        node.input[0] = name
        fixed += 1
    return fixed
