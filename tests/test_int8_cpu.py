"""INT8 for ONNX Runtime on a CPU: every form exports, runs, has the structure it promises and is gated.

Structure and verdicts only; the speeds these tests see are never asserted (benchmarks/int8_forms.py measures).
"""

from __future__ import annotations

import json

import numpy as np
import onnx
import pytest

from foodcam.benchmarks.int8_forms import main as forms_main
from foodcam.export.int8_cpu import CPU_FORMS, FORMS_BY_NAME, check_cpu_form
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import read_image
from foodcam.runtime.open import open_model
from tests.conftest import foodcam

pytestmark = pytest.mark.slow
FAST = ["--calib-count", "4", "--calib-method", "minmax"]


@pytest.fixture(scope="module")
def cpu_export(kitchen_ckpt, kitchen_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("int8cpu") / "model.int8.onnx"
    rc = foodcam("export", "--weights", kitchen_ckpt, "--data", kitchen_data, "--out", out, "--precision", "int8",
                 "--target", "cpu", "--max-drop", "100", *FAST)
    assert rc == 0
    return out


def test_cpu_target_makes_gates_and_times_every_form(cpu_export, kitchen_data):
    report = json.loads(cpu_export.with_name(cpu_export.name + ".report.json").read_text())
    record = report["int8_cpu"]
    assert [r["form"] for r in record["forms"]] == [f.name for f in CPU_FORMS]
    for r in record["forms"]:
        assert r["status"] == "validated" and r["ms_p50"] > 0 and r["cpu_ms_1thread"] > 0 and r["size_bytes"] > 0
        assert r["structure"]["quantized_convs"] > 0 and r["vs_fp32"]["agreement"] > 0.5
        assert r["drop_points"] == pytest.approx(r["drop_points"])  # a number, not NaN
    cheapest = min(record["forms"], key=lambda r: r["cpu_ms_1thread"])
    assert record["form"] == cheapest["form"]  # all passed: the one doing the least work per frame is shipped
    assert report["status"] == "validated" and report["gate"]["ran"]
    md = cpu_export.with_name(cpu_export.name + ".report.md").read_text()
    assert "INT8 forms for ONNX Runtime CPU" in md and f"**{record['form']}**" in md
    # what was shipped is that form, self-describing, and runs where `foodcam run` runs it
    graph = onnx.load(str(cpu_export))
    check_cpu_form(graph, FORMS_BY_NAME[record["form"]])
    with open_model(cpu_export, backend="cpu") as model:
        assert model.precision == "int8"
        frame = read_image(next((kitchen_data / "val" / "images").iterdir()))
        res = model.predict(frame)
        assert res.mask.shape == model.task.output_size and res.mask.dtype == np.uint8 and res.mask.max() < 3


def test_a_form_that_fails_the_gate_is_not_shipped_as_validated(kitchen_ckpt, kitchen_data, tmp_path):
    out = tmp_path / "model.int8.onnx"
    rc = foodcam("export", "--weights", kitchen_ckpt, "--data", kitchen_data, "--out", out, "--precision", "int8",
                 "--target", "cpu", "--max-drop", "-50", *FAST)  # no form can be 50 points better than FP32
    assert rc == 1
    report = json.loads(out.with_name(out.name + ".report.json").read_text())
    assert all(r["status"] == "failed" for r in report["int8_cpu"]["forms"])
    assert report["status"] == "failed"


def test_forms_have_the_promised_structure(cpu_export, kitchen_ckpt, kitchen_data, tmp_path):
    """The measurement script makes every form (and the TensorRT one); each passes its own structure check."""
    out = tmp_path / "forms"
    assert forms_main(["--weights", str(kitchen_ckpt), "--data", str(kitchen_data), "--out", str(out),
                       "--iters", "2", "--rounds", "1", "--max-drop", "100", *FAST]) == 0
    report = json.loads((out / "int8_forms.json").read_text())
    names = [r["form"] for r in report["rows"]]
    assert names == ["fp32", "qdq-s8s8-pc (tensorrt)", *[f.name for f in CPU_FORMS], "qdq-u8s8-pc-noopt"]
    assert all(r["status"] in ("reference", "validated") and r["ms_p50"] > 0 for r in report["rows"])
    assert "| qop-u8s8-pc |" in (out / "int8_forms.md").read_text()
    graphs = {f.name: onnx.load(str(out / f"model.int8.{f.name}.onnx")) for f in CPU_FORMS}
    for form in CPU_FORMS:
        stats = check_cpu_form(graphs[form.name], form)
        assert stats["qlinear_ops"] > 0  # QOperator, or Q/DQ fused into QLinear ops by the offline optimisation
    # per-channel vs per-tensor, reduce_range: told apart by the checker
    with pytest.raises(FoodcamError, match="not per-tensor"):
        check_cpu_form(graphs["qop-u8s8-pc"], FORMS_BY_NAME["qop-u8s8-pt"])
    with pytest.raises(FoodcamError, match="7-bit"):
        check_cpu_form(graphs["qop-u8s8-pc"], FORMS_BY_NAME["qop-u8s8-pc-rr"])
    # the Q/DQ form as quantized (not optimised) keeps DequantizeLinear -> Conv, and checks out too
    noopt = onnx.load(str(out / "model.int8.qdq-u8s8-pc-noopt.onnx"))
    assert any(n.op_type == "Conv" for n in noopt.graph.node)
    assert check_cpu_form(noopt, FORMS_BY_NAME["qdq-u8s8-pc"])["dequantize"] > 0
    # the TensorRT form is not a CPU form: int8 activations
    with pytest.raises(FoodcamError, match="expected int8 x uint8"):
        check_cpu_form(onnx.load(str(out / "model.int8.trt.onnx")), FORMS_BY_NAME["qdq-u8s8-pc"])
