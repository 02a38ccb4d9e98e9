"""`foodcam eval` / `foodcam predict` on every artifact kind, and the checkpoint fed exactly like its ONNX."""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import replace

import cv2
import numpy as np
import pytest
from conftest import foodcam

from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import list_images, read_image
from foodcam.runtime.metrics import agreement
from foodcam.runtime.model import INPUT_NAME, InputSpec, Model
from foodcam.runtime.open import open_model
from foodcam.runtime.tasks import FRESHNESS, KITCHEN
from foodcam.train.evaluate import EDGE_PX, EdgeErrors, evaluate_model, evaluate_segmentation, format_table

METRIC_KEYS = {"pixel_accuracy", "miou", "mdice", "per_class", "pixels", "classes", "confusion", "images",
               "ignored_pixels", "weights", "backend", "precision", "split"}
CLASS_KEYS = {"accuracy", "precision", "recall", "iou", "dice", "support"}
KITCHEN_BGR = {tuple(int(v) for v in c[::-1]) for c in KITCHEN.seg_head.colours}


@pytest.fixture(scope="module")
def val(kitchen_data):
    from foodcam.train.data.kitchen import KitchenFolder

    return KitchenFolder(kitchen_data, "val")


@pytest.fixture(scope="module")
def pt(kitchen_ckpt):
    return open_model(kitchen_ckpt, device="cpu")


@pytest.fixture(scope="module")
def pt_eval(pt, val):
    return evaluate_segmentation(pt, val, progress=False, keep_masks=True)


# ---------------------------------------------------------------- TorchModel vs ONNX


def test_checkpoint_is_fed_like_its_onnx(pt, kitchen_onnx, val):
    ox = open_model(kitchen_onnx, device="cpu")
    assert pt.task == ox.task
    assert pt.output_names == ox.output_names == ["mask"]
    assert (pt.input_spec.height, pt.input_spec.width) == (ox.input_spec.height, ox.input_spec.width)
    assert pt.precision == "fp32" and pt.backend.startswith("torch")
    a, b = [], []
    for i in range(len(val)):
        frame = val.load_image(i)
        x = pt.preprocess(frame)
        out_pt, out_ox = pt.infer(x), ox.infer(x)
        assert out_pt["mask"].dtype == out_ox["mask"].dtype == np.uint8
        assert out_pt["mask"].shape == out_ox["mask"].shape == (1, *pt.task.output_size)
        a.append(out_pt["mask"])
        b.append(out_ox["mask"])
    assert agreement(np.concatenate(a), np.concatenate(b)) >= 0.99


def test_checkpoint_logits_decode_to_its_mask(kitchen_ckpt, val):
    pt = open_model(kitchen_ckpt, device="cpu", logits=True)
    assert pt.output_names == ["mask", "logits"]
    x = np.concatenate([pt.preprocess(val.load_image(i)) for i in range(3)])
    out = pt.infer(x)
    assert out["logits"].shape == (3, KITCHEN.seg_head.num_classes, *pt.task.output_size)
    assert np.array_equal(out["logits"].argmax(1), out["mask"])
    with pytest.raises(FoodcamError, match="uint8"):
        pt.infer(x.astype(np.float32))


# ---------------------------------------------------------------- evaluation


def test_eval_checkpoint_and_onnx_agree(kitchen_ckpt, kitchen_onnx, kitchen_data, val, tmp_path, capsys):
    reports = {}
    for name, weights in (("pt", kitchen_ckpt), ("onnx", kitchen_onnx)):
        out = tmp_path / name
        assert foodcam("eval", "--weights", weights, "--data", kitchen_data, "--split", "val",
                       "--out", out, "--device", "cpu") == 0
        printed = capsys.readouterr().out
        assert "mIoU" in printed and all(c in printed for c in KITCHEN.seg_head.classes)
        assert str(out / "metrics.json") in printed
        reports[name] = json.loads((out / "metrics.json").read_text())
        assert (out / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert cv2.imread(str(out / "confusion.png")) is not None
    for r in reports.values():
        assert METRIC_KEYS <= set(r)
        assert set(r["per_class"]) == set(KITCHEN.seg_head.classes)
        assert all(CLASS_KEYS <= set(row) for row in r["per_class"].values())
        assert r["images"] == len(val) and r["split"] == "val"
        assert np.asarray(r["confusion"]).shape == (3, 3)
        assert np.asarray(r["confusion"]).sum() == r["pixels"]
    assert reports["pt"]["precision"] == reports["onnx"]["precision"] == "fp32"
    assert abs(reports["pt"]["miou"] - reports["onnx"]["miou"]) < 0.005
    # far above chance: predicting the most common class everywhere scores (its share) / (number of classes)
    truth = np.asarray(reports["pt"]["confusion"]).sum(1)
    majority = truth.max() / truth.sum()
    assert reports["pt"]["pixel_accuracy"] > majority
    assert reports["pt"]["miou"] > 1.5 * majority / len(truth)


def test_eval_writes_a_numbered_run_in_the_current_folder_by_default(kitchen_onnx, kitchen_data, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert foodcam("eval", "--weights", kitchen_onnx, "--data", kitchen_data, "--split", "test") == 0
    report = json.loads((tmp_path / "runs/eval/eval/metrics.json").read_text())
    assert report["split"] == "test" and 0.0 <= report["miou"] <= 1.0
    assert (tmp_path / "runs/eval/eval/confusion.png").is_file()
    assert not (kitchen_onnx.parent / "eval_test").exists()


def test_evaluate_segmentation_batches_and_keeps_masks(pt, pt_eval, val):
    one = pt_eval
    four = evaluate_segmentation(pt, val, progress=False, batch=4, keep_masks=True)
    assert "masks" not in evaluate_segmentation(pt, val, progress=False, batch=6)
    assert len(one["masks"]) == len(val)
    for i, m in enumerate(one["masks"]):
        assert m.shape == val.load(i)[1].shape and m.dtype == np.uint8
    assert agreement(np.stack(one["masks"]), np.stack(four["masks"])) >= 0.999
    assert one["ignored_pixels"] == sum(int((val.load(i)[1] == 255).sum()) for i in range(len(val)))


def test_edge_errors_tell_an_outline_off_by_a_pixel_from_a_missed_object():
    target = np.ones((60, 80), np.uint8)  # pan
    target[10:50, 10:14] = 0  # a thin stirrer, 4 px wide
    target[20:40, 40:70] = 2  # a food blob, 20 x 30
    target[0, :] = 255  # an ignored row is never an error
    shifted = np.roll(target, 1, axis=1)  # every outline one pixel off
    shifted[0, :] = 1
    e = EdgeErrors(3)
    e.update(shifted, target)
    assert e.wrong[0] > 0 and np.allclose(e.shares(), 1.0)  # all of it at the edges
    missed = target.copy()
    missed[missed == 2] = 1  # the food blob not found at all
    missed[0, :] = 1
    e = EdgeErrors(3)
    e.update(missed, target)
    inner = (20 - 2 * EDGE_PX) * (30 - 2 * EDGE_PX)  # food pixels more than EDGE_PX in from its edge
    assert e.wrong[2] == 600 and e.wrong[2] - e.at_edge[2] == inner
    assert e.wrong[0] == 0 and np.isnan(e.shares()[0])  # no stirrer error: no share


def test_eval_reports_the_share_of_errors_at_edges(pt_eval):
    for row in pt_eval["per_class"].values():
        assert 0.0 <= row["edge_error_share"] <= 1.0
    assert f"wrong pixels within {EDGE_PX} px of a true edge: stirrer" in format_table(pt_eval)
    perfect = {**pt_eval, "per_class": {n: {**row, "edge_error_share": float("nan")}
                                        for n, row in pt_eval["per_class"].items()}}
    assert "stirrer none wrong" in format_table(perfect)  # a class without errors has no share to print


def test_evaluate_compares_at_the_labels_resolution(pt, pt_eval, val):
    class HalfLabels:  # labels stored at half the frame's resolution
        def __len__(self):
            return len(val)

        def load(self, i):
            frame, mask = val.load(i)
            h, w = mask.shape
            return frame, cv2.resize(mask, (w // 2, h // 2), interpolation=cv2.INTER_NEAREST)

    r = evaluate_segmentation(pt, HalfLabels(), progress=False, keep_masks=True)
    for i, m in enumerate(r["masks"]):
        h, w = val.load(i)[1].shape
        assert m.shape == (h // 2, w // 2)
        full = cv2.resize(pt_eval["masks"][i], (w // 2, h // 2), interpolation=cv2.INTER_NEAREST)
        assert agreement(m, full) >= 0.95
    assert abs(r["miou"] - pt_eval["miou"]) < 0.05


def test_eval_errors_are_one_line(kitchen_ckpt, kitchen_data, tmp_path, capsys):
    assert foodcam("eval", "--weights", kitchen_ckpt, "--data", kitchen_data, "--split", "nope",
                   "--device", "cpu") == 2
    err = capsys.readouterr().err.strip()
    assert "nope" in err and len(err.splitlines()) == 1
    (tmp_path / "model.h5").write_bytes(b"x")
    image = list_images(kitchen_data / "val" / "images")[0]
    for verb in (["eval", "--data", kitchen_data], ["predict", "--source", image, "--out", tmp_path / "o"]):
        assert foodcam(verb[0], "--weights", tmp_path / "model.h5", *verb[1:]) == 2
        err = capsys.readouterr().err.strip()
        assert "model.h5" in err and ".onnx" in err and len(err.splitlines()) == 1
    unlabelled = tmp_path / "unlabelled"
    shutil.copytree(kitchen_data / "val" / "images", unlabelled / "val" / "images")
    assert foodcam("eval", "--weights", kitchen_ckpt, "--data", unlabelled, "--device", "cpu") == 2
    err = capsys.readouterr().err.strip()
    assert "unlabelled" in err and len(err.splitlines()) == 1


# ---------------------------------------------------------------- prediction


def _only_class_colours(img: np.ndarray) -> bool:
    return {tuple(int(v) for v in c) for c in np.unique(img.reshape(-1, 3), axis=0)} <= KITCHEN_BGR


def test_predict_writes_masks_and_reports_bad_files(kitchen_ckpt, kitchen_onnx, kitchen_data, tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    good = list_images(kitchen_data / "val" / "images")[:3]
    for p in good[:2]:
        shutil.copy(p, src / p.name)
    odd = cv2.resize(read_image(good[2]), (53, 41))  # another resolution than the dataset's
    cv2.imwrite(str(src / "odd.png"), odd)
    (src / "corrupt.jpg").write_bytes(good[0].read_bytes()[:150])
    (src / "notes.jpg").write_text("not an image\n")
    out = tmp_path / "out"
    assert foodcam("predict", "--weights", kitchen_ckpt, "--source", src, "--out", out, "--overlay",
                   "--device", "cpu") == 1
    captured = capsys.readouterr()
    assert "corrupt.jpg" in captured.err and "notes.jpg" in captured.err
    assert "3 written, 2 failed" in captured.out
    inputs = [src / p.name for p in good[:2]] + [src / "odd.png"]
    for p in inputs:
        mask = cv2.imread(str(out / f"{p.stem}.png"))
        assert mask.shape == read_image(p).shape
        assert _only_class_colours(mask)
        assert len(np.unique(mask.reshape(-1, 3), axis=0)) >= 2
        assert cv2.imread(str(out / f"{p.stem}_overlay.jpg")).shape == read_image(p).shape
    assert not list(out.glob("corrupt*")) and not list(out.glob("notes*"))

    out_onnx = tmp_path / "out_onnx"
    assert foodcam("predict", "--weights", kitchen_onnx, "--source", str(src / "*.png"), "--out", out_onnx,
                   "--device", "cpu") == 0
    assert sorted(p.name for p in out_onnx.iterdir()) == ["odd.png"]
    assert agreement(cv2.imread(str(out_onnx / "odd.png")), cv2.imread(str(out / "odd.png"))) >= 0.99


def test_predict_without_inputs_is_an_error(kitchen_ckpt, tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert foodcam("predict", "--weights", kitchen_ckpt, "--source", tmp_path / "empty", "--out", tmp_path / "o") == 2
    assert "no images" in capsys.readouterr().err


# ---------------------------------------------------------------- classification tasks (generic paths)


class ChannelClassifier(Model):
    """A numpy classifier for the freshness task: fruit from the brightest channel, fresh when bright."""

    def __init__(self) -> None:
        self.task = FRESHNESS.with_input_size(16, 16)
        self.input_spec = InputSpec(INPUT_NAME, (-1, 16, 16, 3))
        self.path, self.backend, self.meta = "channels.onnx", "numpy", {"precision": "fp32"}

    def infer(self, images: np.ndarray) -> dict[str, np.ndarray]:
        means = images.reshape(len(images), -1, 3).mean(1) / 255.0  # B, G, R
        fruit = np.concatenate([means, np.full((len(images), 1), 0.05)], axis=1)
        fresh = means.mean(1, keepdims=True)
        return {"fruit": fruit / fruit.sum(1, keepdims=True), "freshness": np.concatenate([fresh, 1 - fresh], 1)}


def test_predict_classifier_prints_topk_and_writes_csv(tmp_path, monkeypatch, capsys):
    src = tmp_path / "src"
    src.mkdir()
    cv2.imwrite(str(src / "blue.png"), np.full((20, 30, 3), (250, 200, 200), np.uint8))
    cv2.imwrite(str(src / "dark_red.png"), np.full((20, 30, 3), (0, 0, 120), np.uint8))
    (src / "broken.jpg").write_text("x")
    monkeypatch.setattr("foodcam.runtime.open.open_model", lambda *a, **k: ChannelClassifier())
    assert foodcam("predict", "--weights", "channels.onnx", "--source", src, "--out", tmp_path / "o", "--topk", 2) == 1
    captured = capsys.readouterr()
    assert "broken.jpg" in captured.err and "2 written, 1 failed" in captured.out
    assert "blue.png: fruit apple" in captured.out  # channel 0 (blue) is class 0
    rows = list(csv.DictReader((tmp_path / "o" / "predictions.csv").open()))
    assert [r["image"].rsplit("/", 1)[-1] for r in rows] == ["blue.png", "dark_red.png"]
    assert rows[0]["fruit"] == "apple" and rows[0]["freshness"] == "fresh"
    assert rows[1]["fruit"] == "orange" and rows[1]["freshness"] == "rotten"
    top2 = [float(t.split(":")[1]) for t in rows[0]["fruit_top2"].split(";")]
    assert len(top2) == 2 and top2[0] >= top2[1] and float(rows[0]["fruit_prob"]) == pytest.approx(top2[0])


def test_freshness_eval_breaks_down_by_fruit_style(tmp_path, monkeypatch, capsys):
    """Photos the renderer named by style are scored per style; the styles' shares add up to the whole."""
    data = tmp_path / "fr"
    assert foodcam("synth", "fruit", "--out", data, "--count", 48, "--size", "32x32", "--styles", "belt,studio") == 0
    assert foodcam("synth", "fruit", "--out", tmp_path / "x", "--count", 8, "--styles", "belts") == 2
    assert "unknown fruit style 'belts'" in capsys.readouterr().err
    m = evaluate_model(ChannelClassifier(), data, "all")
    groups = m["per_group"]
    assert set(groups) == {"belt", "studio"} and sum(g["images"] for g in groups.values()) == m["images"]
    for head in ("fruit", "freshness"):
        whole = sum(g["acc"][head] * g["images"] for g in groups.values()) / m["images"]
        assert whole == pytest.approx(m["acc"][head])
    assert groups["belt"]["acc"] != groups["studio"]["acc"]  # scored apart, not one number copied
    monkeypatch.setattr("foodcam.runtime.open.open_model", lambda *a, **k: ChannelClassifier())
    assert foodcam("eval", "--weights", "channels.onnx", "--data", data, "--split", "all", "--out", tmp_path / "e") == 0
    out = capsys.readouterr().out
    assert "style belt" in out and "style studio" in out


def test_eval_of_a_task_without_a_data_reader_is_not_available_yet(tmp_path):
    model = ChannelClassifier()
    model.task = replace(model.task, name="toy")  # a classification task no reader knows yet
    (tmp_path / "val").mkdir()
    with pytest.raises(FoodcamError, match="'toy' is not available yet"):
        evaluate_model(model, tmp_path, "val")


# ---------------------------------------------------------------- artifact loading


def test_load_model_rejects_bad_paths_and_devices(tmp_path):
    with pytest.raises(FoodcamError, match="no such model file"):
        open_model(tmp_path / "missing.onnx")
    engine = tmp_path / "model.engine"
    engine.write_bytes(b"plan")
    with pytest.raises(FoodcamError, match="GPU only"):
        open_model(engine, device="cpu")
    with pytest.raises(FoodcamError, match="expected cpu, cuda or cuda:N"):
        open_model(engine, device="tpu")
    with pytest.raises(FoodcamError, match=r"\.pt, \.pth, \.onnx, \.engine, \.plan"):
        open_model(tmp_path / "model.tflite")


@pytest.mark.gpu
def test_checkpoint_on_cuda_matches_cpu(kitchen_ckpt, pt, val):
    import torch

    if not torch.cuda.is_available():
        pytest.skip("needs a CUDA GPU visible to PyTorch")
    gpu = open_model(kitchen_ckpt, device="cuda")
    assert gpu.backend == "torch:cuda"
    x = np.concatenate([pt.preprocess(val.load_image(i)) for i in range(len(val))])
    assert agreement(gpu.infer(x)["mask"], pt.infer(x)["mask"]) >= 0.99
