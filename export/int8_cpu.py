"""INT8 forms for ONNX Runtime on a CPU, beside the symmetric S8S8 Q/DQ form made for TensorRT (export/int8.py).

ORT's CPU kernels want a different graph than TensorRT: unsigned 8-bit activations with a zero point (U8S8:
uint8 activations x int8 weights, the pair its x86 kernels are built around), every op it has an INT8 kernel
for quantized (Conv, Add, Mul, Sigmoid, pooling, Resize, Concat...), not only the weighted ones, so data stays
in INT8 between convolutions instead of being dequantized after each. The forms measured:

    format   qdq: QuantizeLinear/DequantizeLinear around float ops (ORT fuses them when it loads the graph)
             qop: QOperator, quantized ops written into the graph (QLinearConv, QLinearAdd, ...)
    weights  per-channel (pc) or per-tensor (pt) scales
    rr       reduce_range: 7-bit weights, for x86 CPUs without VNNI, where the AVX2 u8 x s8 multiply-add
             (VPMADDUBSW) saturates its int16 pair sums at full 8-bit range

Each CPU form gets ORT's graph optimisations applied offline (level EXTENDED: constant folding, Q/DQ fusion
into QLinear ops, Conv+activation fusion; the NCHWc layout pass of level ALL is left to load time because it
depends on the CPU's vector width), so the file shipped is the graph that runs. Calibration (percentile,
asymmetric, every float tensor) is done once and shared by every form.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import onnx
from onnx import numpy_helper

from foodcam.export.int8 import CALIB_METHODS, _pre_process, _quiet, _working_dir
from foodcam.export.onnx_export import drop_unused_domains, name_nodes
from foodcam.runtime.errors import FoodcamError

ASYMMETRIC = {  # CPU calibration: ranges as they are (uint8 activations carry a zero point)
    "minmax": {"symmetric": False},
    "entropy": {"num_bins": 2048, "num_quantized_bins": 128, "symmetric": False},
    "percentile": {"num_bins": 2048, "percentile": 99.999, "symmetric": False},
}


@dataclass(frozen=True)
class CpuForm:
    name: str
    fmt: str  # "qdq" | "qop"
    per_channel: bool
    reduce_range: bool
    optimize: bool = True  # ORT graph optimisations applied offline

    def describe(self) -> dict:
        return {**asdict(self), "activations": "uint8 (asymmetric)", "weights": "int8 (symmetric)",
                "ops": "every op ORT can quantize"}


CPU_FORMS: tuple[CpuForm, ...] = (
    CpuForm("qdq-u8s8-pc", "qdq", True, False),
    CpuForm("qdq-u8s8-pc-rr", "qdq", True, True),
    CpuForm("qdq-u8s8-pt", "qdq", False, False),
    CpuForm("qop-u8s8-pc", "qop", True, False),
    CpuForm("qop-u8s8-pc-rr", "qop", True, True),
    CpuForm("qop-u8s8-pt", "qop", False, False),
)
FORMS_BY_NAME = {f.name: f for f in CPU_FORMS}


def calibrate(pre: Path, reader, method: str, cache: Path) -> Path:
    """Asymmetric ranges of every float tensor of the pre-processed graph `pre`, saved to `cache`."""
    from onnxruntime.quantization.calibrate import create_calibrator, save_tensors_data

    calibrate_method = _method(method)
    with _quiet():
        calibrator = create_calibrator(pre, None, augmented_model_path=str(cache.with_suffix(".aug.onnx")),
                                       calibrate_method=calibrate_method, extra_options=ASYMMETRIC[method])
        calibrator.collect_data(reader)
        save_tensors_data(calibrator.compute_data(), cache)
    return cache


def _method(method: str):
    from onnxruntime.quantization import CalibrationMethod

    if method not in CALIB_METHODS:
        raise FoodcamError(f"--calib-method {method!r}: expected one of {', '.join(CALIB_METHODS)}")
    return {"minmax": CalibrationMethod.MinMax, "entropy": CalibrationMethod.Entropy,
            "percentile": CalibrationMethod.Percentile}[method]


def quantize_form(pre: Path, cache: Path, form: CpuForm, out: Path, method: str = "percentile") -> Path:
    """Quantize the pre-processed FP32 graph `pre` into `form` with the ranges in `cache`; then optimise offline."""
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_static

    raw = out.with_suffix(".raw.onnx")
    with _quiet():
        quantize_static(
            str(pre), str(raw), None, calibration_cache_path=str(cache),
            quant_format=QuantFormat.QDQ if form.fmt == "qdq" else QuantFormat.QOperator,
            per_channel=form.per_channel, reduce_range=form.reduce_range,
            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, calibrate_method=_method(method),
            extra_options={"WeightSymmetric": True, "ActivationSymmetric": False},
        )
    if form.optimize:
        optimize_offline(raw, out)
    else:
        shutil.move(raw, out)
    return out


def optimize_offline(src: Path, dst: Path) -> None:
    """ORT's CPU graph optimisations (level EXTENDED) applied now and saved, instead of at every load."""
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    so.optimized_model_filepath = str(dst)
    so.log_severity_level = 3
    ort.InferenceSession(str(src), sess_options=so, providers=["CPUExecutionProvider"])


def quantize_cpu_forms(fp32: onnx.ModelProto, reader, method: str = "percentile",
                       forms: tuple[CpuForm, ...] = CPU_FORMS) -> dict[str, onnx.ModelProto]:
    """Every CPU form of the FP32 graph from one calibration pass: {form name: graph}."""
    out: dict[str, onnx.ModelProto] = {}
    with tempfile.TemporaryDirectory(prefix="foodcam-int8cpu-") as tmp, _working_dir(tmp):
        src, pre = Path(tmp, "fp32.onnx"), Path(tmp, "pre.onnx")
        onnx.save(fp32, src)
        _pre_process(src, pre)
        onnx.save(name_nodes(onnx.load(str(pre))), pre)
        try:
            cache = calibrate(pre, reader, method, Path(tmp, "ranges.json"))
            for form in forms:
                path = quantize_form(pre, cache, form, Path(tmp, f"{form.name}.onnx"), method)
                out[form.name] = drop_unused_domains(onnx.load(str(path)))
        except FoodcamError:
            raise
        except Exception as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise FoodcamError(f"INT8 (CPU forms) quantization failed: {first}") from None
    return out


def _consts(model: onnx.ModelProto) -> dict[str, np.ndarray]:
    return {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}


def _qlinear_convs(model: onnx.ModelProto) -> list[onnx.NodeProto]:
    return [n for n in model.graph.node if n.op_type == "QLinearConv"]


def check_cpu_form(model: onnx.ModelProto, form: CpuForm) -> dict:
    """FoodcamError unless the graph is what `form` promises: every constant-weight Conv quantized, uint8
    activations, int8 weights with per-channel or per-tensor scales, 7-bit weights under reduce_range.

    Reads QLinearConv (QOperator, or Q/DQ fused offline) or DequantizeLinear -> Conv (Q/DQ as quantized)."""
    consts = _consts(model)
    convs: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]] = []  # (name, weight, w_scale, x_zero_point)
    for n in _qlinear_convs(model):  # inputs: x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp[, B]
        w, ws, xzp = consts.get(n.input[3]), consts.get(n.input[4]), consts.get(n.input[2])
        if w is None or ws is None or xzp is None:
            raise FoodcamError(f"INT8 check ({form.name}): QLinearConv {n.name!r} has non-constant weight or scales")
        convs.append((n.name, w, ws, xzp))
    producer = {o: n for n in model.graph.node for o in n.output}
    for n in model.graph.node:
        if n.op_type not in ("Conv", "FusedConv"):
            continue
        dq_w = producer.get(n.input[1])
        if dq_w is None and n.input[1] in consts:
            raise FoodcamError(f"INT8 check ({form.name}): Conv {n.name!r} still has float weights")
        if dq_w is not None and dq_w.op_type == "DequantizeLinear":
            dq_x = producer.get(n.input[0])
            xzp = consts.get(dq_x.input[2]) if dq_x is not None and dq_x.op_type == "DequantizeLinear" else None
            w, ws = consts.get(dq_w.input[0]), consts.get(dq_w.input[1])
            if w is None or ws is None or xzp is None:
                raise FoodcamError(f"INT8 check ({form.name}): Conv {n.name!r} is not fed by int8 weights and "
                                   "quantized activations")
            convs.append((n.name, w, ws, xzp))
    if not convs:
        raise FoodcamError(f"INT8 check ({form.name}): no quantized convolution in the graph")
    for name, w, ws, xzp in convs:
        if w.dtype != np.int8 or xzp.dtype != np.uint8:
            raise FoodcamError(f"INT8 check ({form.name}): {name!r} has {w.dtype} weights and {xzp.dtype} "
                               "activations (expected int8 x uint8)")
        per_channel = ws.ndim == 1 and ws.size == w.shape[0] and w.shape[0] > 1
        if form.per_channel != per_channel and w.shape[0] > 1:
            want = "per-channel" if form.per_channel else "per-tensor"
            raise FoodcamError(f"INT8 check ({form.name}): {name!r} weight scales {tuple(ws.shape)} are not {want}")
        if form.reduce_range and w.size and int(np.abs(w.astype(np.int16)).max()) > 64:
            raise FoodcamError(f"INT8 check ({form.name}): {name!r} weights exceed the 7-bit range of reduce_range")
    fused = sum(1 for n in model.graph.node if n.op_type.startswith("QLinear"))
    return {"quantized_convs": len(convs), "qlinear_ops": fused,
            "quantize": sum(n.op_type == "QuantizeLinear" for n in model.graph.node),
            "dequantize": sum(n.op_type == "DequantizeLinear" for n in model.graph.node)}
