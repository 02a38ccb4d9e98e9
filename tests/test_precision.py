"""The precision ladder: FP16 and INT8 (explicit symmetric Q/DQ) ONNX, each gated on accuracy vs FP32."""

from __future__ import annotations

import json

import cv2
import numpy as np
import onnx
import pytest
from conftest import foodcam

pytest.importorskip("torch")  # the training side: skipped in a torch-free (deployed) install
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from foodcam.export.calib import calibration_images  # noqa: E402
from foodcam.export.int8 import check_qdq  # noqa: E402
from foodcam.runtime.backends.onnx_meta import read_metadata  # noqa: E402
from foodcam.runtime.errors import FoodcamError  # noqa: E402
from foodcam.runtime.open import open_model  # noqa: E402
from foodcam.train.checkpoint import file_sha256  # noqa: E402

WEIGHTED = ("Conv", "ConvTranspose", "Gemm", "MatMul")


def _report(artifact) -> dict:
    return json.loads(artifact.with_name(artifact.name + ".report.json").read_text())


def _types(model: onnx.ModelProto) -> dict[str, int]:
    inferred = onnx.shape_inference.infer_shapes(model)
    g = inferred.graph
    types = {v.name: v.type.tensor_type.elem_type for v in [*g.input, *g.output, *g.value_info]}
    types.update({t.name: t.data_type for t in g.initializer})
    return types


def _before_first_conv(model: onnx.ModelProto) -> list[onnx.NodeProto]:
    """The nodes between the input and the first weighted op / activation quantizer (weight DQs skipped)."""
    nodes = []
    for n in model.graph.node:
        if n.op_type in WEIGHTED or n.op_type == "QuantizeLinear":
            break
        if n.op_type != "DequantizeLinear":
            nodes.append(n)
    return nodes


def _check_interface(model: onnx.ModelProto, h: int, w: int) -> None:
    (inp,) = model.graph.input
    assert inp.type.tensor_type.elem_type == TensorProto.UINT8
    assert [d.dim_value for d in inp.type.tensor_type.shape.dim] == [1, h, w, 3]
    assert model.graph.output[0].name == "mask" and model.graph.output[0].type.tensor_type.elem_type == TensorProto.UINT8


# ------------------------------------------------------------------------------------------ FP16


def test_fp16_artifact_has_fp16_weights_and_passes_the_gate(kitchen_ckpt, kitchen_data, tmp_path, capsys):
    ckpt = tmp_path / "best.pt"
    ckpt.write_bytes(kitchen_ckpt.read_bytes())
    assert foodcam("export", "--weights", ckpt, "--precision", "fp16", "--data", kitchen_data) == 0
    fp16, fp32 = tmp_path / "model.fp16.onnx", tmp_path / "model.onnx"
    assert fp16.is_file() and fp32.is_file()  # the FP32 reference is kept beside it
    model = onnx.load(str(fp16))
    onnx.checker.check_model(model, full_check=True)
    meta = read_metadata(fp16)
    _check_interface(model, *meta["task"]["input_size"])
    inits = {t.name: t for t in model.graph.initializer}
    weights = [inits[n.input[1]] for n in model.graph.node if n.op_type in WEIGHTED and n.input[1] in inits]
    assert weights and all(t.data_type == TensorProto.FLOAT16 for t in weights)
    types = _types(model)
    prefix = _before_first_conv(model)
    assert [n.op_type for n in prefix if n.op_type in ("Mul", "Add")] == ["Mul", "Add"]
    assert all(types[n.output[0]] == TensorProto.FLOAT for n in prefix if n.op_type in ("Mul", "Add"))
    argmax = next(n for n in model.graph.node if n.op_type == "ArgMax")
    assert types[argmax.input[0]] == TensorProto.FLOAT
    assert meta["precision"] == "fp16"
    assert meta["export"]["reference"] == {"file": "model.onnx", "sha256": file_sha256(fp32)}

    report = _report(fp16)
    assert report["status"] == "validated" and report["gate"]["max_drop_points"] == pytest.approx(0.2)
    ref_row, row = report["rows"]
    assert (ref_row["precision"], row["precision"], row["status"]) == ("fp32", "fp16", "validated")
    assert row["drop_points"] <= 0.2 and row["agreement"] > 0.99
    assert set(row["per_class_iou"]) == {"stirrer", "pan", "food"}
    md = fp16.with_name("model.fp16.onnx.report.md").read_text()
    assert "| model.fp16.onnx | fp16 | validated |" in md and "| model.onnx | fp32 | reference |" in md
    print(f"\nFP16 mIoU drop on the fixture: {row['drop_points']:+.3f} points (agreement {row['agreement']:.4f})")
    with open_model(fp16, backend="cpu") as m:
        assert m.precision == "fp16" and m.predict(np.zeros((40, 50, 3), np.uint8)).mask.dtype == np.uint8


# ------------------------------------------------------------------------------------------ INT8


def _assert_symmetric_int8_qdq(model: onnx.ModelProto) -> None:
    """Independent of export.int8.check_qdq: TensorRT's explicit-quantization rules, read off the graph."""
    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    qdq = [n for n in model.graph.node if n.op_type in ("QuantizeLinear", "DequantizeLinear")]
    assert qdq
    for n in qdq:
        zp = inits[n.input[2]]
        assert zp.dtype == np.int8 and not zp.any(), n.name
    producers = {o: n for n in model.graph.node for o in n.output}
    weighted = [n for n in model.graph.node if n.op_type in WEIGHTED]
    for n in weighted:
        dq = producers[n.input[1]]
        assert dq.op_type == "DequantizeLinear"
        w, scale = inits[dq.input[0]], inits[dq.input[1]]
        axis = {a.name: a.i for a in dq.attribute}.get("axis", 1)
        assert w.dtype == np.int8 and w.min() >= -127
        assert scale.ndim == 1 and scale.size == w.shape[axis] == w.shape[0 if n.op_type == "Conv" else 1]
        assert producers[n.input[0]].op_type == "DequantizeLinear"  # activations quantized at the input
        if len(n.input) > 2:
            assert n.input[2] in inits and inits[n.input[2]].dtype == np.float32  # bias stays float
    argmax = next(n for n in model.graph.node if n.op_type == "ArgMax")
    source = producers[argmax.input[0]]
    while source.op_type == "Resize":  # scores resized to the mask size (task.mask_size), in float
        source = producers[source.input[0]]
    assert source.op_type in WEIGHTED  # decoded in float, no Q/DQ before ArgMax
    prefix = _before_first_conv(model)
    assert [n.op_type for n in prefix if n.op_type in ("Mul", "Add")] == ["Mul", "Add"]


def test_int8_artifact_is_symmetric_qdq_and_gated(kitchen_ckpt, kitchen_data, tmp_path, capsys):
    out = tmp_path / "model.int8.onnx"
    args = ["export", "--weights", kitchen_ckpt, "--out", out, "--precision", "int8", "--calib", kitchen_data / "train",
            "--calib-count", 16, "--data", kitchen_data]
    rc = foodcam(*args)
    report = _report(out)
    row = report["rows"][1]
    print(f"\nINT8 mIoU drop on the fixture: {row['drop_points']:+.3f} points (agreement {row['agreement']:.4f})")
    assert rc == (0 if row["drop_points"] <= 1.0 else 1)  # exit code and report tell the same story
    assert report["status"] == ("validated" if rc == 0 else "failed")
    assert (tmp_path / "model.onnx").is_file()
    model = onnx.load(str(out))
    onnx.checker.check_model(model, full_check=True)
    meta = read_metadata(out)
    _check_interface(model, *meta["task"]["input_size"])
    _assert_symmetric_int8_qdq(model)
    assert meta["precision"] == "int8" and meta["export"]["calibration"]["frames"] == 16
    with open_model(out, backend="cpu") as m:
        assert m.predict(np.zeros((40, 50, 3), np.uint8)).mask_full.shape == (40, 50)
    capsys.readouterr()

    assert foodcam(*args, "--max-drop", -1) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("foodcam export")]
    warned = [line for line in lines if ": warning: " in line]  # the second export replaces the first one's files
    assert any("model.onnx exists and will be overwritten" in w for w in warned), lines
    err = [line for line in lines if line not in warned]
    assert len(err) == 1 and "accuracy gate failed" in err[0] and "model.int8.onnx" in err[0]
    report = _report(out)
    assert report["status"] == "failed" and report["rows"][1]["status"] == "failed"
    assert "drop" in report["reason"] and report["gate"]["max_drop_points"] == -1
    assert "failed (mIoU drop" in out.with_name("model.int8.onnx.report.md").read_text()
    assert read_metadata(out)["export"]["gate"]["status"] == "failed"


def _qdq_conv(zero_point: np.ndarray, weight_scale: np.ndarray) -> onnx.ModelProto:
    w = np.ones((4, 3, 1, 1), np.int8)
    inits = [
        numpy_helper.from_array(np.array(0.1, np.float32), "s"), numpy_helper.from_array(zero_point, "zp"),
        numpy_helper.from_array(w, "w_q"), numpy_helper.from_array(weight_scale, "w_s"),
        numpy_helper.from_array(np.zeros(weight_scale.shape, np.int8), "w_zp"),
    ]
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "s", "zp"], ["xq"], name="q"),
        helper.make_node("DequantizeLinear", ["xq", "s", "zp"], ["xd"], name="dq"),
        helper.make_node("DequantizeLinear", ["w_q", "w_s", "w_zp"], ["wd"], name="wdq", axis=0),
        helper.make_node("Conv", ["xd", "wd"], ["y"], name="conv"),
    ]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 4, 4])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 4, 4])], inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def test_qdq_check_rejects_what_tensorrt_rejects():
    good = _qdq_conv(np.array(0, np.int8), np.full(4, 0.02, np.float32))
    assert check_qdq(good) == {"quantize": 1, "dequantize": 2, "weighted_ops": 1, "int8_weights": 1}
    with pytest.raises(FoodcamError, match="zero point"):
        check_qdq(_qdq_conv(np.array(128, np.uint8), np.full(4, 0.02, np.float32)))
    with pytest.raises(FoodcamError, match="zero point"):
        check_qdq(_qdq_conv(np.array(3, np.int8), np.full(4, 0.02, np.float32)))
    with pytest.raises(FoodcamError, match="per-channel"):
        check_qdq(_qdq_conv(np.array(0, np.int8), np.array([0.02], np.float32)))


def test_calibration_images_skip_labels(tmp_path):
    img = np.full((8, 8, 3), 100, np.uint8)
    for rel in ("a/images/x.jpg", "a/masks/x.png", "b/y.jpg", "b/y.png", "c/z.png", "c/notes.txt"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"text") if p.suffix == ".txt" else cv2.imwrite(str(p), img)
    assert [p.relative_to(tmp_path).as_posix() for p in calibration_images(tmp_path, 10)] == [
        "a/images/x.jpg", "b/y.jpg", "c/z.png"]
    assert [p.name for p in calibration_images(tmp_path, 2)] == ["x.jpg", "z.png"]
    with pytest.raises(FoodcamError, match="no such folder"):
        calibration_images(tmp_path / "nope", 4)
    (tmp_path / "empty").mkdir()
    with pytest.raises(FoodcamError, match="no images"):
        calibration_images(tmp_path / "empty", 4)


# ------------------------------------------------------------------------------------------ TensorRT


def _tensorrt_or_skip():
    import importlib.util

    import torch

    if importlib.util.find_spec("tensorrt") is None or not torch.cuda.is_available():
        pytest.skip("needs TensorRT (python module 'tensorrt') and a CUDA GPU")
    import tensorrt

    return tensorrt


@pytest.mark.tensorrt
def test_tensorrt_builds_engines_from_the_ladder(kitchen_ckpt, kitchen_data, tmp_path):
    """FP32, FP16 and INT8 Q/DQ deployment ONNX -> strongly typed engines with foodcam's builder, each run and
    compared with ONNX Runtime CPU on the same ONNX (masks agree on >= 98 % of pixels)."""
    _tensorrt_or_skip()
    from foodcam.runtime.backends.trt_build import build_engine_file

    assert foodcam("export", "--weights", kitchen_ckpt, "--out", tmp_path / "model.fp16.onnx", "--precision", "fp16") == 0
    assert foodcam("export", "--weights", kitchen_ckpt, "--out", tmp_path / "model.int8.onnx", "--precision", "int8",
                   "--calib", kitchen_data / "train", "--calib-count", 8) == 0
    frames = [cv2.imread(str(p)) for p in sorted((kitchen_data / "val" / "images").glob("*.jpg"))[:6]]
    for name in ("model.onnx", "model.fp16.onnx", "model.int8.onnx"):
        onnx_path = tmp_path / name
        engine, side = build_engine_file(onnx_path, workspace_gib=0.5, max_batch=2)
        assert side["build"]["strongly_typed"] and side["precision"] == read_metadata(onnx_path)["precision"]
        with open_model(engine) as trt_model, open_model(onnx_path, backend="cpu") as ort_model:
            agree = np.mean([(trt_model.predict(f).mask == ort_model.predict(f).mask).mean() for f in frames])
        assert agree >= 0.98, (name, agree)
