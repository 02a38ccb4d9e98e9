"""FP32 deployment graph -> INT8 graph with explicit, symmetric Q/DQ, as TensorRT builds INT8 engines from.

TensorRT's explicit quantization wants: signed INT8, zero points 0 (symmetric), weights per output
channel (Conv axis 0, ConvTranspose axis 1), activations per tensor; Q/DQ on the inputs of weighted ops
(their outputs left in float so TensorRT fuses Conv+bias+ReLU and requantizes as it sees fit); biases in
float (TensorRT rejects an INT32 DequantizeLinear); one Q/DQ pair per consumer (DedicatedQDQPair) so each
fusion is independent. ONNX Runtime's static quantizer makes that graph; weights are stored as INT8
initializers behind a DequantizeLinear (TensorRT 10+ "pre-quantized weights"). Everything else (the
uint8 -> float normalisation, Resize, Concat, the ArgMax/Softmax tail) stays in float.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper

from foodcam.export.fp16 import WEIGHTED_OPS
from foodcam.export.graph_rules import cast_to_uint8_via_float
from foodcam.export.onnx_export import drop_unused_domains, name_nodes
from foodcam.runtime.errors import FoodcamError

log = logging.getLogger("foodcam.export")

CALIB_METHODS = ("entropy", "percentile", "minmax")
# histogram settings of TensorRT's own calibrators: 2048 bins; entropy merges them into 128 quantized bins.
# (quantize_static would build the entropy histogram with 128 bins, leaving KL nothing to choose: = minmax.)
CALIB_OPTIONS = {
    "minmax": {"symmetric": True},
    "entropy": {"num_bins": 2048, "num_quantized_bins": 128, "symmetric": True},
    "percentile": {"num_bins": 2048, "percentile": 99.999, "symmetric": True},
}
WEIGHT_AXIS = {"Conv": 0, "ConvTranspose": 1, "MatMul": 1}  # output-channel axis of each op's weight
QUANTIZATION = {
    "scheme": "explicit Q/DQ, symmetric INT8 (zero point 0)",
    "weights": "per-channel INT8 initializers + DequantizeLinear",
    "activations": "per-tensor, inputs of weighted ops",
    "ops": list(WEIGHTED_OPS),
}


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The quantizer prints calibration chatter and logs INFO lines on the root logger: keep them at debug."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.ERROR))
    chatter = io.StringIO()
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(chatter):
            warnings.simplefilter("ignore")
            yield
    finally:
        root.setLevel(level)
        if chatter.getvalue().strip():
            log.debug("quantizer: %s", chatter.getvalue().strip())


@contextlib.contextmanager
def _working_dir(path: str):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _pre_process(src: Path, dst: Path) -> None:
    """ORT's quantization pre-processing (shape inference + basic graph optimisation), as far as it goes.

    Symbolic shape inference gives up on some dynamic-batch graphs (Resize sizes computed from Shape);
    then ONNX shape inference alone, and failing that the graph as exported.
    """
    from onnxruntime.quantization.shape_inference import quant_pre_process

    for symbolic in (True, False):
        try:
            with _quiet():
                quant_pre_process(str(src), str(dst), skip_optimization=False, skip_onnx_shape=False,
                                  skip_symbolic_shape=not symbolic)
            return
        except Exception as e:
            log.debug("INT8 pre-processing (symbolic shapes: %s) failed: %s", symbolic, e)
    log.warning("INT8 pre-processing failed; quantizing the graph as exported")
    shutil.copyfile(src, dst)


def _quantizable(model: onnx.ModelProto) -> list[str]:
    """Weighted ops whose weight is a constant: the nodes to quantize."""
    inits = {t.name for t in model.graph.initializer}
    return [n.name for n in model.graph.node if n.op_type in WEIGHTED_OPS and len(n.input) > 1 and n.input[1] in inits]


def quantize_int8(fp32: onnx.ModelProto, reader, method: str = "percentile") -> onnx.ModelProto:
    """Calibrate on `reader` (an onnxruntime CalibrationDataReader) and return the Q/DQ graph."""
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.calibrate import create_calibrator, save_tensors_data

    if method not in CALIB_METHODS:
        raise FoodcamError(f"--calib-method {method!r}: expected one of {', '.join(CALIB_METHODS)}")
    calibrate = {"minmax": CalibrationMethod.MinMax, "entropy": CalibrationMethod.Entropy,
                 "percentile": CalibrationMethod.Percentile}[method]
    # ORT's shape inference and quantizer drop scratch files (*.data, sym_shape_infer_temp.onnx) into the
    # working directory: run them inside the temporary folder so nothing lands in the user's cwd.
    with tempfile.TemporaryDirectory(prefix="foodcam-int8-") as tmp, _working_dir(tmp):
        src, pre, out = Path(tmp, "fp32.onnx"), Path(tmp, "pre.onnx"), Path(tmp, "int8.onnx")
        cache = Path(tmp, "ranges.json")
        onnx.save(fp32, src)
        _pre_process(src, pre)
        model = name_nodes(onnx.load(str(pre)))
        nodes = _quantizable(model)
        if not nodes:
            raise FoodcamError("INT8: the graph has no Conv/ConvTranspose/Gemm/MatMul with constant weights to quantize")
        onnx.save(model, pre)
        try:
            with _quiet():
                calibrator = create_calibrator(pre, list(WEIGHTED_OPS), augmented_model_path=str(Path(tmp, "aug.onnx")),
                                               calibrate_method=calibrate, extra_options=CALIB_OPTIONS[method])
                calibrator.collect_data(reader)
                save_tensors_data(calibrator.compute_data(), cache)
                del calibrator
                quantize_static(
                    str(pre), str(out), None, calibration_cache_path=str(cache),
                    quant_format=QuantFormat.QDQ,
                    op_types_to_quantize=list(WEIGHTED_OPS),
                    nodes_to_quantize=nodes,
                    per_channel=True,
                    reduce_range=False,
                    activation_type=QuantType.QInt8,
                    weight_type=QuantType.QInt8,
                    calibrate_method=calibrate,
                    extra_options={
                        "ActivationSymmetric": True,
                        "WeightSymmetric": True,
                        "QuantizeBias": False,
                        "DedicatedQDQPair": True,
                        "OpTypesToExcludeOutputQuantization": list(WEIGHTED_OPS),
                        "QDQOpTypePerChannelSupportToAxis": {"MatMul": 1},
                        "ForceQuantizeNoInputCheck": False,
                    },
                )
        except FoodcamError:
            raise
        except Exception as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise FoodcamError(f"INT8 quantization failed: {first}") from None
        quantized = drop_unused_domains(onnx.load(str(out)))
    # ORT's pre-processing fuses the wrapper's ArgMax -> Cast(float) -> Cast(uint8); TensorRT needs the float step
    cast_to_uint8_via_float(quantized)
    return quantized


def _const(model: onnx.ModelProto, name: str) -> np.ndarray | None:
    for t in model.graph.initializer:
        if t.name == name:
            return numpy_helper.to_array(t)
    for n in model.graph.node:
        if n.op_type == "Constant" and n.output[0] == name:
            return numpy_helper.to_array(n.attribute[0].t)
    return None


def check_qdq(model: onnx.ModelProto) -> dict:
    """FoodcamError unless every Q/DQ is INT8 with zero point 0 and every weight is per-channel INT8.

    Returns counts: quantize / dequantize nodes, weighted ops, per-channel INT8 weights.
    """
    consumers: dict[str, list[onnx.NodeProto]] = {}
    for n in model.graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    inits = {t.name: t for t in model.graph.initializer}
    q = [n for n in model.graph.node if n.op_type == "QuantizeLinear"]
    dq = [n for n in model.graph.node if n.op_type == "DequantizeLinear"]
    for n in q + dq:
        if len(n.input) < 3 or not n.input[2]:
            raise FoodcamError(f"INT8 check: {n.op_type} {n.name!r} has no zero point (defaults to uint8)")
        zp = _const(model, n.input[2])
        if zp is None or zp.dtype != np.int8 or np.any(zp != 0):
            got = "not a constant" if zp is None else f"{zp.dtype} {np.unique(zp)[:4].tolist()}"
            raise FoodcamError(f"INT8 check: {n.op_type} {n.name!r} zero point must be int8 0 (symmetric), got {got}")
        if n.op_type == "DequantizeLinear" and n.input[0] in inits and inits[n.input[0]].data_type != TensorProto.INT8:
            dtype = TensorProto.DataType.Name(inits[n.input[0]].data_type)
            raise FoodcamError(f"INT8 check: {n.name!r} dequantizes a {dtype} constant (TensorRT takes INT8 only)")
    weighted = [n for n in model.graph.node if n.op_type in WEIGHTED_OPS]
    per_channel = 0
    for n in weighted:
        dq_w = next((d for d in dq if n.input[1] in d.output), None) if len(n.input) > 1 else None
        if dq_w is None:
            continue
        w = inits.get(dq_w.input[0])
        scale = _const(model, dq_w.input[1])
        if w is None or scale is None:
            raise FoodcamError(f"INT8 check: weight of {n.name!r} is not a stored INT8 tensor with a constant scale")
        axis = next((a.i for a in dq_w.attribute if a.name == "axis"), 1)
        want = WEIGHT_AXIS.get(n.op_type, axis)
        if scale.ndim != 1 or axis != want or scale.size != w.dims[axis]:
            raise FoodcamError(
                f"INT8 check: weight of {n.name!r} is not per-channel (scale {tuple(scale.shape)}, axis {axis}, "
                f"expected {w.dims[want]} scales on axis {want})"
            )
        values = numpy_helper.to_array(w)
        if values.size and values.min() < -127:  # TensorRT's INT8 weight range is [-127, 127]
            raise FoodcamError(f"INT8 check: weight of {n.name!r} uses -128 (TensorRT takes weights in [-127, 127])")
        per_channel += 1
    if per_channel == 0:
        raise FoodcamError("INT8 check: no weighted op reads INT8 weights; nothing was quantized")
    return {"quantize": len(q), "dequantize": len(dq), "weighted_ops": len(weighted), "int8_weights": per_channel}
