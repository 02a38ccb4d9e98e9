"""FP32 deployment graph -> FP16 graph: FP16 weights and compute, the uint8 / FP32 interface unchanged.

Kept in FP32: the input normalisation (uint8 -> float, scale, shift: exact to the last grey level),
and the numerically sensitive tail and reductions (ArgMax, Softmax, Reduce*, Exp/Log/Pow/Sqrt...).
A Cast to FP16 follows the normalisation and a Cast to FP32 precedes the tail; TensorRT builds a
strongly-typed FP16 engine from exactly this graph, and ONNX Runtime runs it on a CPU.

The conversion is done here rather than with onnxruntime's `convert_float_to_float16`, which wraps each
blocked node in its own FP16 round trip, so a chain of FP32 nodes (the normalisation) would still pass its
values through FP16 between them.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper

from foodcam.export.onnx_export import name_nodes, toposort
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.model import INPUT_NAME

WEIGHTED_OPS = ("Conv", "ConvTranspose", "Gemm", "MatMul")
# run in FP32: precision-sensitive reductions and the decoding tail
FP32_OPS = (
    "ArgMax", "ArgMin", "Softmax", "LogSoftmax", "ReduceMean", "ReduceSum", "ReduceSumSquare", "ReduceL2",
    "ReduceLogSumExp", "Exp", "Log", "Pow", "Sqrt", "Reciprocal", "LayerNormalization", "InstanceNormalization",
    "CumSum", "TopK", "NonMaxSuppression", "RoiAlign", "Range",
)
# inputs that stay FP32 whatever the data type (Resize roi and scales)
FP32_INPUTS = {"Resize": (1, 2), "Upsample": (1,)}


def input_prefix(proto: onnx.ModelProto, input_name: str = INPUT_NAME) -> list[str]:
    """Names of the nodes between the graph input and the first weighted op (layout, colour swap, normalisation)."""
    reached = {input_name}
    names: list[str] = []
    for node in proto.graph.node:  # ONNX graphs are topologically sorted
        if node.op_type in WEIGHTED_OPS or not node.input or node.input[0] not in reached:
            continue
        names.append(node.name)
        reached.update(node.output)
    return names


def to_fp16(fp32: onnx.ModelProto) -> onnx.ModelProto:
    """A converted copy of `fp32` (metadata is the caller's to restamp)."""
    model = onnx.ModelProto()
    model.CopyFrom(fp32)
    name_nodes(model)
    try:
        model = onnx.shape_inference.infer_shapes(model, strict_mode=True)
    except Exception as e:
        raise FoodcamError(f"FP16 conversion: shape inference failed ({str(e).strip().splitlines()[0]})") from None
    g = model.graph
    types = {vi.name: vi.type.tensor_type.elem_type for vi in [*g.input, *g.output, *g.value_info]}
    types.update({t.name: t.data_type for t in g.initializer})
    keep = set(input_prefix(model)) | {n.name for n in g.node if n.op_type in FP32_OPS}
    half = {o for n in g.node if n.name not in keep for o in n.output if types.get(o) == TensorProto.FLOAT}
    inits = {t.name: t for t in g.initializer}
    casts: dict[tuple[str, int], str] = {}
    new_nodes: list[onnx.NodeProto] = []

    def cast(name: str, to: int) -> str:
        key = (name, to)
        if key not in casts:
            if name in inits and to == TensorProto.FLOAT16:  # a constant: store it in FP16 instead of casting
                casts[key] = f"{name}_fp16"
                g.initializer.append(_half_tensor(inits[name], casts[key]))
            else:
                casts[key] = f"{name}_{'fp16' if to == TensorProto.FLOAT16 else 'fp32'}"
                new_nodes.append(onnx.helper.make_node("Cast", [name], [casts[key]], to=to, name=f"{casts[key]}_cast"))
        return casts[key]

    for out in g.output:  # float outputs (logits, probabilities) stay FP32 at the interface
        if out.name in half:
            inner = f"{out.name}_fp16"
            for node in g.node:
                node.output[:] = [inner if o == out.name else o for o in node.output]
                node.input[:] = [inner if i == out.name else i for i in node.input]
            half.add(inner)
            types[inner] = TensorProto.FLOAT
            casts[(inner, TensorProto.FLOAT)] = out.name  # FP32 consumers read the output itself
            new_nodes.append(onnx.helper.make_node("Cast", [inner], [out.name], to=TensorProto.FLOAT, name=f"{out.name}_cast"))
    for node in g.node:
        fixed = FP32_INPUTS.get(node.op_type, ())
        for i, name in enumerate(node.input):
            if not name:
                continue
            wants_half = node.name not in keep and i not in fixed
            is_half = name in half
            if wants_half and not is_half and types.get(name) == TensorProto.FLOAT:
                node.input[i] = cast(name, TensorProto.FLOAT16)
            elif not wants_half and is_half:
                node.input[i] = cast(name, TensorProto.FLOAT)
        if node.name in keep:
            continue
        for attr in node.attribute:
            if node.op_type == "Cast" and attr.name == "to" and attr.i == TensorProto.FLOAT:
                attr.i = TensorProto.FLOAT16
            elif attr.type == onnx.AttributeProto.TENSOR and attr.t.data_type == TensorProto.FLOAT:
                attr.t.CopyFrom(_half_tensor(attr.t, attr.t.name))
    g.node.extend(new_nodes)
    used = {i for n in g.node for i in n.input}
    live = [t for t in g.initializer if t.name in used]
    del g.initializer[:]
    g.initializer.extend(live)
    del g.value_info[:]
    return onnx.shape_inference.infer_shapes(toposort(model))


def _half_tensor(t: onnx.TensorProto, name: str) -> onnx.TensorProto:
    values = numpy_helper.to_array(t).astype(np.float32)
    if np.abs(values).max(initial=0.0) > 65504.0:
        raise FoodcamError(f"FP16 conversion: constant {t.name!r} holds values beyond the FP16 range (65504)")
    return numpy_helper.from_array(values.astype(np.float16), name)


def fp16_summary(proto: onnx.ModelProto) -> dict:
    """Counts of FP16/FP32 initializers and whether every weighted op reads FP16 weights."""
    inits = {t.name: t for t in proto.graph.initializer}
    fp16 = sum(t.data_type == TensorProto.FLOAT16 for t in inits.values())
    fp32 = sum(t.data_type == TensorProto.FLOAT for t in inits.values())
    weights = [n.input[1] for n in proto.graph.node if n.op_type in WEIGHTED_OPS and len(n.input) > 1]
    weights = [w for w in weights if w in inits]
    fp32_weights = [w for w in weights if inits[w].data_type != TensorProto.FLOAT16]
    return {"fp16_initializers": fp16, "fp32_initializers": fp32, "weights": len(weights),
            "fp32_weights": fp32_weights}


def check_fp16(proto: onnx.ModelProto) -> dict:
    """FoodcamError unless every weight of a weighted op is FP16 and the interface is unchanged."""
    summary = fp16_summary(proto)
    if summary["weights"] == 0 or summary["fp32_weights"]:
        raise FoodcamError(
            f"FP16 graph check: {len(summary['fp32_weights'])} of {summary['weights']} weights are not FP16 "
            f"(e.g. {summary['fp32_weights'][:1]})"
        )
    inp = proto.graph.input[0].type.tensor_type.elem_type
    if inp != TensorProto.UINT8:
        raise FoodcamError(f"FP16 graph check: input type changed to {TensorProto.DataType.Name(inp)}")
    return summary
