"""`foodcam bench` on a trained kitchen checkpoint and its deployment ONNX, with accuracy from labelled data."""

from __future__ import annotations

import json

import pytest
from conftest import foodcam

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kitchen_bench(kitchen_ckpt, kitchen_onnx, kitchen_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("bench_kitchen")
    rc = foodcam("bench", "--models", kitchen_ckpt, kitchen_onnx, "--backends", "cpu", "torch",
                 "--data", kitchen_data, "--threads", 1, "--warmup", 1, "--iters", 3, "--loop-frames", 0,
                 "--rounds", 2, "--round-iters", 2, "--out", out)
    assert rc == 0
    return json.loads((out / "bench.json").read_text())


def test_accuracy_column_is_the_export_gate_evaluation(kitchen_bench, kitchen_ckpt, kitchen_onnx, kitchen_data):
    from foodcam.export.gate import open_split
    from foodcam.runtime.open import open_model
    from foodcam.train.evaluate import evaluate_segmentation

    rows = {r["format"]: r for r in kitchen_bench["rows"]}
    assert set(rows) == {"pytorch", "onnx"}
    for fmt, path in (("pytorch", kitchen_ckpt), ("onnx", kitchen_onnx)):
        row = rows[fmt]
        assert row["status"] == "validated" and row["reason"] is None and row["metric"] == "mIoU"
        with open_model(path, device="cpu") as model:
            expected = evaluate_segmentation(model, open_split(model.task, kitchen_data, "val"), progress=False)
        assert row["miou"] == pytest.approx(expected["miou"], abs=1e-9)
        assert row["eval_images"] == expected["images"]
    assert rows["onnx"]["miou"] == pytest.approx(rows["pytorch"]["miou"], abs=0.01)


def test_checkpoint_and_onnx_count_the_same_compute(kitchen_bench):
    rows = {r["format"]: r for r in kitchen_bench["rows"]}
    pt, ox = rows["pytorch"], rows["onnx"]
    assert pt["imgsz"] == ox["imgsz"] == [64, 64]
    assert pt["gflops"] > 0 and ox["gflops"] == pytest.approx(pt["gflops"], rel=0.05)
    assert ox["params"] > 0 and pt["params"] > 0


def test_onnx_is_compared_with_its_own_checkpoint(kitchen_bench):
    (c,) = [c for c in kitchen_bench["comparisons"] if c["kind"] == "vs_torch"]
    assert c["baseline"].startswith("best.pt") and c["candidate"].startswith("model.onnx")
    assert c["n"] == 2 and len(c["per_round"]) == 2
