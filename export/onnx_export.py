"""Checkpoint network -> deployment ONNX graph: trace the DeployWrapper, check, simplify, stamp, save.

The graph takes the camera frame (uint8 NHWC BGR at the input size, input "images") and returns decoded
outputs: segmentation "mask" uint8 (N, H, W) [+ "logits"], classifiers one probability output per head.
Exporter: torch's TorchScript-based `torch.onnx.export(..., dynamo=False)`. The torch.export-based
exporter (the default since torch 2.9) needs `onnxscript`, which foodcam does not depend on; the
TorchScript exporter works offline and gives a clean graph of standard ops at opset 13-20.
"""

from __future__ import annotations

import io
import logging
import warnings
from pathlib import Path

import numpy as np
import onnx
import torch

from foodcam.runtime.backends.onnx_meta import metadata_to_props
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import atomic_path
from foodcam.runtime.model import INPUT_NAME, LOGITS_OUTPUT, MASK_OUTPUT, METADATA_KEY, deployment_outputs
from foodcam.runtime.tasks import TaskSpec
from foodcam.train.models.deploy import DeployWrapper

log = logging.getLogger("foodcam.export")

EXPORTER = "torch.onnx (TorchScript, dynamo=False)"
MIN_OPSET, MAX_OPSET = 13, 20  # 13: per-channel Q/DQ; 20: the newest TensorRT 10.3 (JetPack 6) parses
BATCH_DIM = "N"


def output_names(task: TaskSpec, logits: bool = False, uncertainty: bool = False) -> list[str]:
    """Graph output names, per head in task order: "mask" [+ "logits"] [+ "uncertainty"] for the segmentation
    head, the head's name for each per-image head (probabilities). DeployWrapper returns them in this order."""
    return deployment_outputs(task, logits, uncertainty)


def check_opset(opset: int) -> int:
    if not MIN_OPSET <= int(opset) <= MAX_OPSET:
        raise FoodcamError(f"--opset {opset}: expected {MIN_OPSET}..{MAX_OPSET} (TensorRT 10.3 parses opset <= 20)")
    return int(opset)


def export_graph(
    model: torch.nn.Module,
    task: TaskSpec,
    *,
    opset: int = 17,
    logits: bool = False,
    dynamic_batch: bool = False,
    uncertainty: bool = False,
) -> onnx.ModelProto:
    """Trace `DeployWrapper(model, task)` to an ONNX graph in memory (not yet checked or simplified)."""
    opset = check_opset(opset)
    wrapper = DeployWrapper(model, task, logits=logits, uncertainty=uncertainty).eval()
    h, w = task.input_size
    dummy = torch.zeros((1, int(h), int(w), 3), dtype=torch.uint8)
    names = output_names(task, logits, uncertainty)
    dynamic_axes = {n: {0: BATCH_DIM} for n in [INPUT_NAME, *names]} if dynamic_batch else None
    buf = io.BytesIO()
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # the exporter's deprecation and tracer notices
            torch.onnx.export(
                wrapper, (dummy,), buf, dynamo=False, opset_version=opset, input_names=[INPUT_NAME],
                output_names=names, dynamic_axes=dynamic_axes, do_constant_folding=True,
            )
    except Exception as e:  # tracing/symbolic errors: name the model and the size
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise FoodcamError(f"ONNX export of {type(model).__name__} at {h}x{w} failed: {first}") from None
    return onnx.load_from_string(buf.getvalue())


def check_graph(proto: onnx.ModelProto, what: str = "exported graph") -> None:
    """onnx.checker with full shape inference; a FoodcamError naming `what` on failure."""
    try:
        onnx.checker.check_model(proto, full_check=True)
    except Exception as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise FoodcamError(f"{what} fails the ONNX checker: {first}") from None


def ort_session(proto: onnx.ModelProto, threads: int = 1):
    """An ONNX Runtime CPU session over an in-memory graph."""
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.intra_op_num_threads = int(threads)
    so.log_severity_level = 3
    return ort.InferenceSession(proto.SerializeToString(), sess_options=so, providers=["CPUExecutionProvider"])


def smoke_run(proto: onnx.ModelProto, what: str = "graph") -> dict[str, np.ndarray]:
    """Run one zero frame on ONNX Runtime CPU; a FoodcamError when the graph does not load or run."""
    try:
        sess = ort_session(proto)
        inp = sess.get_inputs()[0]
        shape = [1 if not isinstance(d, int) or d < 1 else d for d in inp.shape]
        outs = sess.run(None, {inp.name: np.zeros(shape, np.uint8)})
    except Exception as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise FoodcamError(f"{what} does not run on ONNX Runtime CPU: {first}") from None
    return dict(zip([o.name for o in sess.get_outputs()], outs))


def simplify(proto: onnx.ModelProto) -> tuple[onnx.ModelProto, bool]:
    """onnxslim the graph; keep the original (and say so) if the result fails the checker or does not run."""
    import onnxslim

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            slim = onnxslim.slim(proto)
        if slim is None:
            raise RuntimeError("onnxslim returned nothing")
        check_graph(slim, "simplified graph")
        ref, new = smoke_run(proto, "exported graph"), smoke_run(slim, "simplified graph")
        for name, value in ref.items():
            if name not in new or new[name].shape != value.shape or new[name].dtype != value.dtype:
                raise RuntimeError(f"output {name!r} changed")
    except Exception as e:
        log.warning("onnxslim could not simplify the graph (%s); keeping the exported graph", e)
        return proto, False
    return slim, True


def set_metadata(proto: onnx.ModelProto, meta: dict) -> None:
    """Store the foodcam description (validated) in metadata_props, replacing an older one."""
    props = metadata_to_props(meta)
    keep = [p for p in proto.metadata_props if p.key not in props]
    del proto.metadata_props[:]
    proto.metadata_props.extend(keep)
    for key, value in props.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value


def get_metadata(proto: onnx.ModelProto) -> dict:
    """The foodcam description of an in-memory graph (as `runtime.backends.onnx_meta` reads a file)."""
    from foodcam.runtime.backends.onnx_meta import parse_metadata_json

    for p in proto.metadata_props:
        if p.key == METADATA_KEY:
            return parse_metadata_json(p.value, "graph")
    raise FoodcamError("graph has no foodcam metadata")


def save_onnx(proto: onnx.ModelProto, path: str | Path) -> Path:
    """Write atomically: a failed or interrupted export never leaves a partial .onnx behind.

    A graph carrying foodcam metadata gets the length and sha256 of its serialized graph (its weights) added
    to that metadata (`integrity`, checked by runtime.open_model; the full hash with --verify)."""
    path = Path(path)
    data = proto.SerializeToString(deterministic=True)
    if any(p.key == METADATA_KEY for p in proto.metadata_props):
        from foodcam.runtime.integrity import INTEGRITY_KEY, onnx_record

        record = onnx_record(data)
        set_metadata(proto, {**get_metadata(proto), INTEGRITY_KEY: record})
        data = proto.SerializeToString(deterministic=True)
        if onnx_record(data) != record:
            raise FoodcamError(f"{path}: the graph serialized differently twice; its integrity record would be wrong")
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path


def expose_logits(proto: onnx.ModelProto) -> tuple[onnx.ModelProto, str | None]:
    """A copy of a segmentation graph that also outputs the scores its mask is the ArgMax of.

    Lets the export check compare raw scores without exporting a second graph. Returns
    (graph, name of the scores output) or (proto, None) when no ArgMax feeds the mask.
    """
    names = {o.name for o in proto.graph.output}
    if LOGITS_OUTPUT in names:
        return proto, LOGITS_OUTPUT
    producer = {out: n for n in proto.graph.node for out in n.output}
    node = producer.get(MASK_OUTPUT)
    while node is not None and node.op_type in ("Cast", "Identity", "Squeeze", "Reshape"):
        node = producer.get(node.input[0])
    if node is None or node.op_type != "ArgMax":
        return proto, None
    scores = node.input[0]
    elem = _elem_type(proto, scores, producer.get(scores))
    if elem not in (onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16):
        return proto, None  # quantized scores (an INT8 QOperator graph's QLinearConv): only the mask compares
    probe = onnx.ModelProto()
    probe.CopyFrom(proto)
    probe.graph.output.append(onnx.helper.make_tensor_value_info(scores, elem, None))
    return probe, scores


def _elem_type(proto: onnx.ModelProto, name: str, node: onnx.NodeProto | None = None) -> int:
    """Element type of tensor `name` (FP16 graphs keep FP32 scores only if ArgMax was kept in FP32; a
    QuantizeLinear / QLinear* producer, which shape inference may not know, gives its zero point's type)."""
    inferred = onnx.shape_inference.infer_shapes(proto)
    for vi in list(inferred.graph.value_info) + list(inferred.graph.output):
        if vi.name == name and vi.type.tensor_type.elem_type:
            return vi.type.tensor_type.elem_type
    if node is not None and (node.op_type == "QuantizeLinear" or node.op_type.startswith("QLinear")):
        zero_points = {t.name: t.data_type for t in proto.graph.initializer}
        if node.input and node.input[-1] in zero_points:
            return zero_points[node.input[-1]]
    return onnx.TensorProto.FLOAT


def toposort(proto: onnx.ModelProto) -> onnx.ModelProto:
    """Reorder nodes so every input is produced before use (graph rewriters append nodes at the end)."""
    graph = proto.graph
    ready = {i.name for i in graph.input} | {t.name for t in graph.initializer} | {""}
    pending = list(graph.node)
    ordered: list[onnx.NodeProto] = []
    while pending:
        rest = []
        for node in pending:
            if all(i in ready for i in node.input):
                ordered.append(node)
                ready.update(node.output)
            else:
                rest.append(node)
        if len(rest) == len(pending):
            raise FoodcamError(f"graph has a cycle or a dangling input near node {rest[0].name!r}")
        pending = rest
    del graph.node[:]
    graph.node.extend(ordered)
    return proto


def name_nodes(proto: onnx.ModelProto) -> onnx.ModelProto:
    """Give every node a unique name (block lists and quantizers address nodes by name)."""
    seen: set[str] = set()
    for i, node in enumerate(proto.graph.node):
        if not node.name or node.name in seen:
            node.name = f"{node.op_type}_{i}"
        seen.add(node.name)
    return proto


def drop_unused_domains(proto: onnx.ModelProto) -> onnx.ModelProto:
    """Remove opset imports of domains no node uses (optimizers add com.microsoft & co.)."""
    used = {n.domain or "" for n in proto.graph.node} | {""}
    keep = [o for o in proto.opset_import if (o.domain or "") in used]
    del proto.opset_import[:]
    proto.opset_import.extend(keep)
    return proto
