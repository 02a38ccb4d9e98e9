"""export/graph_rules.py: what TensorRT 10.x's ONNX parser refuses, checked on hand-made graphs and on real
`foodcam export` artifacts (kitchen and freshness, FP32 / FP16 / INT8)."""

from __future__ import annotations

import cv2
import numpy as np
import onnx
import pytest
import torch
from conftest import foodcam
from onnx import TensorProto, helper, numpy_helper
from tiny_onnx import cls_onnx, seg_onnx

from foodcam.export.graph_rules import cast_to_uint8_via_float, check_trt_graph, enforce_trt_graph
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import FRESHNESS, KITCHEN
from foodcam.train.checkpoint import save_checkpoint
from foodcam.train.models import build_model
from foodcam.train.models.deploy import DeployWrapper


def _model(nodes, inputs, outputs, inits=(), opset=17) -> onnx.ModelProto:
    graph = helper.make_graph(nodes, "g", inputs, outputs, list(inits))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def _vi(name, elem, shape):
    return helper.make_tensor_value_info(name, elem, shape)


def _seg(old_order: bool) -> onnx.ModelProto:
    """The deployment head/tail as the old wrapper wrote it (permute uint8, Cast int64 -> uint8) or as now."""
    if old_order:
        nodes = [helper.make_node("Transpose", ["images"], ["t"], perm=[0, 3, 1, 2]),
                 helper.make_node("Cast", ["t"], ["x"], to=TensorProto.FLOAT),
                 helper.make_node("ArgMax", ["x"], ["idx"], axis=1, keepdims=0),
                 helper.make_node("Cast", ["idx"], ["mask"], to=TensorProto.UINT8)]
    else:
        nodes = [helper.make_node("Cast", ["images"], ["f"], to=TensorProto.FLOAT),
                 helper.make_node("Transpose", ["f"], ["x"], perm=[0, 3, 1, 2]),
                 helper.make_node("ArgMax", ["x"], ["idx"], axis=1, keepdims=0),
                 helper.make_node("Cast", ["idx"], ["idx_f"], to=TensorProto.FLOAT),
                 helper.make_node("Cast", ["idx_f"], ["mask"], to=TensorProto.UINT8)]
    return _model(nodes, [_vi("images", TensorProto.UINT8, [1, 4, 5, 3])], [_vi("mask", TensorProto.UINT8, [1, 4, 5])])


def test_rules_flag_the_old_wrapper_and_pass_the_new():
    problems = check_trt_graph(_seg(old_order=True))
    assert len(problems) == 2
    assert "Transpose" in problems[0] and "reads UINT8 tensor 'images'" in problems[0]
    assert "casts INT64 'idx' to UINT8" in problems[1]
    assert check_trt_graph(_seg(old_order=False)) == []
    with pytest.raises(FoodcamError, match=r"model.onnx breaks 2 TensorRT parser rule\(s\)"):
        enforce_trt_graph(_seg(old_order=True), "model.onnx")
    enforce_trt_graph(_seg(old_order=False), "model.onnx")


def test_tiny_backend_graphs_obey_the_rules(tmp_path):
    assert check_trt_graph(onnx.load(str(seg_onnx(tmp_path / "s.onnx")))) == []
    assert check_trt_graph(onnx.load(str(cls_onnx(tmp_path / "c.onnx")))) == []


def _qdq(zero_point) -> onnx.ModelProto:
    inits = [numpy_helper.from_array(np.array(0.1, np.float32), "s")]
    ins = ["x", "s"]
    if zero_point is not None:
        inits.append(numpy_helper.from_array(zero_point, "zp"))
        ins.append("zp")
    nodes = [helper.make_node("QuantizeLinear", ins, ["q"], name="q"),
             helper.make_node("DequantizeLinear", ["q", *ins[1:]], ["y"], name="dq")]
    return _model(nodes, [_vi("x", TensorProto.FLOAT, [4])], [_vi("y", TensorProto.FLOAT, [4])], inits)


def test_qdq_must_be_symmetric_int8():
    assert check_trt_graph(_qdq(np.array(0, np.int8))) == []
    missing = check_trt_graph(_qdq(None))  # UINT8 Q/DQ: both lack the zero point, and DQ reads a UINT8 tensor
    assert sum("no zero point" in p for p in missing) == 2 and any("'dq' reads UINT8 tensor 'q'" in p for p in missing)
    assert sum("zero point is uint8" in p for p in check_trt_graph(_qdq(np.array(0, np.uint8)))) == 2
    assert all("not 0 ([3])" in p for p in check_trt_graph(_qdq(np.array(3, np.int8))))


def test_opset_and_foreign_domains():
    g = _seg(old_order=False)
    assert check_trt_graph(g, max_opset=16) == ["opset 17 > 16 (TensorRT 10.3's ONNX parser reads opset <= 16)"]
    g.graph.node[2].domain = "com.microsoft"
    g.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    assert any("domain 'com.microsoft'" in p for p in check_trt_graph(g))


def test_cast_repair_is_exact_and_obeys_the_rule():
    import onnxruntime as ort

    nodes = [helper.make_node("Cast", ["images"], ["f"], to=TensorProto.FLOAT),
             helper.make_node("ArgMax", ["f"], ["idx"], axis=3, keepdims=0),
             helper.make_node("Cast", ["idx"], ["mask"], to=TensorProto.UINT8, name="fused")]
    g = _model(nodes, [_vi("images", TensorProto.UINT8, [2, 4, 5, 3])], [_vi("mask", TensorProto.UINT8, [2, 4, 5])])
    frames = np.random.default_rng(0).integers(0, 256, (2, 4, 5, 3), dtype=np.uint8)

    def run(model):
        sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
        return sess.run(None, {"images": frames})[0]

    before = run(g)
    assert len(check_trt_graph(g)) == 1
    assert cast_to_uint8_via_float(g) == 1 and check_trt_graph(g) == [] and cast_to_uint8_via_float(g) == 0
    onnx.checker.check_model(g, full_check=True)
    np.testing.assert_array_equal(run(g), before)
    np.testing.assert_array_equal(before, frames.argmax(-1).astype(np.uint8))


def test_wrapper_change_is_bit_identical_to_the_old_order():
    class Identity(torch.nn.Module):
        def forward(self, x):
            return x

    task = KITCHEN.with_input_size(6, 7)
    frames = torch.from_numpy(np.random.default_rng(1).integers(0, 256, (3, 6, 7, 3), dtype=np.uint8))
    wrapper = DeployWrapper(Identity(), task, logits=True)
    mask, scores = wrapper(frames)
    old = frames.permute(0, 3, 1, 2).flip(1).float() * wrapper.scale + wrapper.shift
    assert torch.equal(scores, old) and torch.equal(mask, old.argmax(1).to(torch.uint8)) and mask.dtype == torch.uint8


# ---------------------------------------------------------------------------- real exports, every precision


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory):
    """Untrained kitchen (lraspp) and freshness (mobilenetv3) checkpoints at tiny sizes, and calibration frames:
    the graph's structure is what the rules read, so training would add nothing."""
    root = tmp_path_factory.mktemp("rules")
    calib = root / "calib"
    calib.mkdir()
    rng = np.random.default_rng(0)
    for i in range(4):
        cv2.imwrite(str(calib / f"{i}.jpg"), rng.integers(0, 256, (40, 40, 3), dtype=np.uint8))
    paths = {}
    for arch, task in (("lraspp", KITCHEN.with_input_size(48, 48)), ("mobilenetv3", FRESHNESS.with_input_size(32, 32))):
        torch.manual_seed(0)
        net = build_model(arch, task)
        paths[task.name] = root / f"{arch}.pt"
        save_checkpoint(paths[task.name], {"task": task.to_dict(), "arch": {"name": arch, "kwargs": {}},
                                           "state_dict": net.state_dict(), "config": {}, "metrics": {}, "epoch": 0})
    return paths, calib


@pytest.mark.slow
@pytest.mark.parametrize("task", ["kitchen", "freshness"])
def test_real_exports_obey_the_rules_at_every_precision(checkpoints, task, tmp_path):
    paths, calib = checkpoints
    for precision in ("fp32", "fp16", "int8"):
        out = tmp_path / f"model.{precision}.onnx"
        extra = ["--calib", calib, "--calib-count", 4] if precision == "int8" else []
        assert foodcam("export", "--weights", paths[task], "--out", out, "--precision", precision, *extra) == 0
        model = onnx.load(str(out))
        assert check_trt_graph(model) == [], (task, precision)
        casts = [n for n in model.graph.node if n.op_type == "Cast"]
        assert model.graph.input[0].type.tensor_type.elem_type == TensorProto.UINT8
        first = [n for n in model.graph.node if model.graph.input[0].name in n.input]
        assert [n.op_type for n in first] == ["Cast"], (task, precision)  # the uint8 frame goes through Cast only
        if task == "kitchen":  # the mask: ArgMax -> float -> uint8
            to_u8 = [n for n in casts if any(a.name == "to" and a.i == TensorProto.UINT8 for a in n.attribute)]
            assert len(to_u8) == 1
