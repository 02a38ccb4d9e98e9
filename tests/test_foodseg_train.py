"""foodseg and foodrec through the whole chain at tiny sizes: synth -> train -> export (gated) -> eval -> predict.

All three foodseg variants (single-seg, single-labels, multi), both model families (edge, ResNet-50), the
encoder initialised from a single-task checkpoint, and recognition with the LR finder and top-5.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import foodcam

pytest.importorskip("pycocotools")


@pytest.fixture(scope="module")
def plates(tmp_path_factory):
    root = tmp_path_factory.mktemp("plates") / "fs"
    assert foodcam("synth", "foodseg", "--out", root, "--count", 14, "--classes", 24, "--size", "48x48") == 0
    return root


def _train(data, out, variant="multi", model="foodseg-edge-small", *extra):
    return foodcam("train", "foodseg", "--data", data, "--task", variant, "--model", model, "--imgsz", 32,
                   "--epochs", 1, "--batch", 8, "--lr", 2e-3, "--out", out, "--device", "cpu", *extra)


def test_multitask_train_export_eval_predict(plates, tmp_path, capsys):
    from foodcam.runtime.backends.onnx_meta import read_metadata
    from foodcam.runtime.open import open_model
    from foodcam.train.checkpoint import read_checkpoint

    run = tmp_path / "multi"
    assert _train(plates, run) == 0
    ckpt = read_checkpoint(run / "best.pt")
    heads = {h["name"]: h for h in ckpt["task"]["heads"]}
    assert heads["mask"]["kind"] == "segmentation" and len(heads["mask"]["classes"]) == 25
    assert heads["ingredients"]["kind"] == "multilabel" and len(heads["ingredients"]["classes"]) == 24
    threshold = heads["ingredients"]["threshold"]
    assert 0 < threshold < 1  # chosen on val, carried by the checkpoint
    assert {"miou", "labels", "score"} <= set(ckpt["metrics"])

    assert foodcam("export", "--weights", run / "best.pt", "--data", plates, "--split", "test") == 0
    onnx_path = run / "model.onnx"
    meta = read_metadata(onnx_path)
    assert [h["name"] for h in meta["task"]["heads"]] == ["mask", "ingredients"]
    assert meta["task"]["heads"][1]["threshold"] == threshold and meta["export"]["gate"]["status"] == "validated"
    with open_model(onnx_path, backend="cpu") as model:
        out = model.infer(np.zeros((1, 32, 32, 3), np.uint8))
        assert out["mask"].dtype == np.uint8 and out["mask"].shape == (1, 32, 32)
        assert out["ingredients"].shape == (1, 24) and ((out["ingredients"] >= 0) & (out["ingredients"] <= 1)).all()

    assert foodcam("eval", "--weights", onnx_path, "--data", plates, "--split", "val", "--out", tmp_path / "ev") == 0
    metrics = json.loads((tmp_path / "ev" / "metrics.json").read_text())
    assert {"pixel_accuracy", "miou", "mdice"} <= set(metrics)
    lab = metrics["labels"]["ingredients"]
    assert {"micro_precision", "micro_recall", "micro_f1", "macro_f1", "map"} <= set(lab)
    assert lab["threshold"] == threshold
    capsys.readouterr()
    src = plates / "Images" / "img_dir" / "test"
    assert foodcam("predict", "--weights", onnx_path, "--source", src, "--out", tmp_path / "pred") == 0
    pred = json.loads((tmp_path / "pred" / "predictions.json").read_text())
    assert len(pred["images"]) == len(list(src.iterdir()))
    first = pred["images"][0]
    assert all(d["prob"] >= threshold for d in first["heads"]["ingredients"])
    assert all(0 < v <= 1 for v in first["areas"].values())


@pytest.mark.slow
def test_single_task_variants_and_init_from(plates, tmp_path, capsys):
    from foodcam.runtime.backends.onnx_meta import read_metadata

    seg = tmp_path / "seg"
    assert _train(plates, seg, "single-seg") == 0
    labels = tmp_path / "labels"
    assert _train(plates, labels, "single-labels") == 0
    capsys.readouterr()
    multi = tmp_path / "multi"
    assert _train(plates, multi, "multi", "foodseg-edge-small", "--init-from", seg / "best.pt") == 0
    assert "encoder initialised with" in capsys.readouterr().out
    assert foodcam("export", "--weights", labels / "best.pt", "--data", plates, "--precision", "int8",
                   "--calib-count", 4) in (0, 1)  # exported and gated (a 1-epoch model may fail the gate)
    meta = read_metadata(labels / "model.int8.onnx")
    assert [h["name"] for h in meta["task"]["heads"]] == ["ingredients"]
    assert "ingredients micro-F1" in meta["export"]["gate"]["metrics"]
    assert foodcam("export", "--weights", seg / "best.pt", "--data", plates) == 0
    assert [h["name"] for h in read_metadata(seg / "model.onnx")["task"]["heads"]] == ["mask"]


@pytest.mark.slow
def test_reference_resnet50_multitask(plates, tmp_path):
    from foodcam.runtime.backends.onnx_meta import read_metadata

    run = tmp_path / "r50"
    assert _train(plates, run, "multi", "foodseg-r50") == 0
    assert foodcam("export", "--weights", run / "best.pt", "--data", plates, "--precision", "fp16") == 0
    meta = read_metadata(run / "model.fp16.onnx")
    assert meta["source"]["arch"]["name"] == "foodseg-r50" and meta["export"]["gate"]["ran"]


@pytest.mark.slow
def test_recognition_lr_find_topk(tmp_path, capsys):
    data = tmp_path / "coco"
    assert foodcam("synth", "foodseg", "--out", data, "--count", 14, "--classes", 24, "--size", "48x48",
                   "--format", "coco") == 0
    run = tmp_path / "rec"
    assert foodcam("train", "foodrec", "--data", data, "--model", "mobilenetv3", "--imgsz", 32, "--epochs", 1,
                   "--batch", 8, "--lr", "find", "--out", run, "--device", "cpu") == 0
    out = capsys.readouterr().out
    assert "--lr find:" in out and (run / "lr_find.png").stat().st_size > 0
    from foodcam.train.checkpoint import read_checkpoint

    ckpt = read_checkpoint(run / "best.pt")
    assert isinstance(ckpt["config"]["lr"], float) and {"top1", "top5"} <= set(ckpt["metrics"])
    assert foodcam("eval", "--weights", run / "best.pt", "--data", data, "--out", tmp_path / "ev") == 0
    assert {"top1", "top5", "macro_f1"} <= set(json.loads((tmp_path / "ev" / "metrics.json").read_text()))
    capsys.readouterr()
    assert foodcam("predict", "--weights", run / "best.pt", "--source", data / "val" / "images", "--out",
                   tmp_path / "pred", "--topk", 5) == 0
    pred = json.loads((tmp_path / "pred" / "predictions.json").read_text())
    assert all(len(r["heads"]["food"]) == 5 for r in pred["images"])
    probs = [d["prob"] for d in pred["images"][0]["heads"]["food"]]
    assert probs == sorted(probs, reverse=True)
