"""export, eval and predict: one typed config per verb (export/config.py, train/configs.py). The flags, a
`--config FILE.yaml` (under the command line) and the Python keywords all give the same config, and the CLI and
the Python API hand it to the same core function."""

from __future__ import annotations

from pathlib import Path

import pytest
from tiny_onnx import seg_onnx

import foodcam
from foodcam.cli import main as cli
from foodcam.export.config import ExportConfig
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import read_image, write_image
from foodcam.train.configs import EvalConfig, PredictConfig, TrainConfig
from tests.test_python_api import frame


@pytest.fixture(scope="module")
def seg(tmp_path_factory) -> Path:
    return seg_onnx(tmp_path_factory.mktemp("verb_configs") / "seg.onnx")


def capture(monkeypatch, module: str, name: str, result) -> list:
    """Replace a verb's core function with one that records the config it gets."""
    import importlib

    seen: list = []
    monkeypatch.setattr(importlib.import_module(module), name, lambda cfg: seen.append(cfg) or (0, result))
    return seen


def test_eval_flags_file_and_keywords_give_one_config(seg, tmp_path, monkeypatch):
    result = {"metrics": {"task": "kitchen"}, "json": tmp_path / "m.json", "out": tmp_path}
    seen = capture(monkeypatch, "foodcam.train.evaluate", "eval_model", result)
    file = tmp_path / "eval.yaml"
    file.write_text(f"weights: {seg}\ndata: d\nsplit: test\nverify: true\nout: {tmp_path / 'from_file'}\n")
    assert cli(["eval", "--config", str(file), "--out", str(tmp_path / "o")]) == 0  # the command line wins
    foodcam.load(seg).eval("d", split="test", verify=True, out=tmp_path / "o")
    want = EvalConfig(weights=str(seg), data="d", split="test", verify=True, out=str(tmp_path / "o"))
    assert seen == [want, want]


def test_predict_flags_file_and_keywords_give_one_config(seg, tmp_path, monkeypatch):
    seen = capture(monkeypatch, "foodcam.train.predict", "predict_files", {"out": tmp_path, "written": 0, "failed": []})
    file = tmp_path / "predict.yaml"
    file.write_text("source: imgs/\noverlay: true\nalpha: 0.25\ntopk: 5\n")
    assert cli(["predict", "--config", str(file), "--weights", str(seg), "--topk", "3"]) == 0
    foodcam.load(seg).predict_files("imgs/", overlay=True, alpha=0.25, topk=3)
    want = PredictConfig(weights=str(seg), source="imgs/", overlay=True, alpha=0.25, topk=3)
    assert seen == [want, want]


def test_export_flags_file_and_keywords_give_one_config(tmp_path, monkeypatch):
    pytest.importorskip("torch")
    from foodcam.shipped import shipped

    pt = shipped("kitchen", "pt")
    seen = capture(monkeypatch, "foodcam.export.verb", "export_model", {"report": {}, "onnx": "a.onnx",
                                                                        "reference": "a.onnx", "report_md": "a.md"})
    file = tmp_path / "export.yaml"
    file.write_text(f"weights: {pt}\nprecision: fp16\nimgsz: [224, 224]\nmax-drop: 0.5\nversion: 3\n")
    assert cli(["export", "--config", str(file), "--imgsz", "128", "160", "--out", "m.onnx"]) == 0
    foodcam.load(pt, device="cpu").export("fp16", imgsz=(128, 160), max_drop=0.5, triton_version=3, out="m.onnx")
    want = ExportConfig(weights=str(pt), precision="fp16", imgsz=[128, 160], max_drop=0.5, triton_version=3,
                        out="m.onnx")
    assert seen == [want, want]


def test_train_flags_file_and_keywords_give_one_config(tmp_path, monkeypatch):
    seen = capture(monkeypatch, "foodcam.train.verb", "train_model", {"out": tmp_path, "best": tmp_path / "best.pt",
                                                                      "last": tmp_path / "last.pt",
                                                                      "metrics_csv": tmp_path / "metrics.csv"})
    file = tmp_path / "train.yaml"
    # `task:` in a file is foodcam train's --task flag (foodseg's heads); the task itself is the positional word
    file.write_text("data: d\ntask: single-seg\nepochs: 3\nlr: find\nfrom: base.pt\nrepaint: 0\ncopy-paste: 0.25\n")
    assert cli(["train", "foodseg", "--config", str(file), "--epochs", "5", "--mask-evidence"]) == 0
    foodcam.train_model("foodseg", data="d", variant="single-seg", epochs=5, lr="find", from_ckpt="base.pt",
                        repaint=0, copy_paste=0.25, mask_evidence=True)
    want = TrainConfig(task="foodseg", data="d", variant="single-seg", epochs=5, lr="find", from_ckpt="base.pt",
                       repaint=0.0, copy_paste=0.25, mask_evidence=True)
    assert seen == [want, want]


@pytest.mark.parametrize(("make", "needle"), [
    (lambda: EvalConfig.make("eval()", weights="m.onnx", data="d", splt="val"), r"unexpected keyword splt=.*split="),
    (lambda: PredictConfig.make("predict_files()", weights="m", source="s", alpha=float("nan")),
     r"alpha: expected .*nan"),
    (lambda: PredictConfig.make("predict_files()", weights="m", source="s", topk=0), r"topk: expected a whole number"),
    (lambda: ExportConfig.make("export()", weights="w.pt", max_drop=float("inf")), r"max_drop: expected a number"),
    (lambda: ExportConfig.make("export()", weights="w.pt", precision="int4"), r"precision: 'int4' is not one of"),
    (lambda: ExportConfig.make("export()", weights="w.pt", imgsz=[64]), r"imgsz: .*at least 2"),
    (lambda: EvalConfig.make("eval()", weights="m.onnx"), r"eval\(\): missing data="),
    (lambda: TrainConfig.make("foodcam.train_model()", task="kitchen", data="d", lr=-1), r"lr: expected a positive .*'find'"),
    (lambda: TrainConfig.make("foodcam.train_model()", task="kitchn", data="d"), r"task: 'kitchn' is not one of kitchen"),
    (lambda: TrainConfig.make("foodcam.train_model()", task="kitchen", data="d", time_budget=float("inf")),
     r"time_budget: expected a positive number"),
    (lambda: TrainConfig.make("foodcam.train_model()", task="kitchen", data="d", epoch=3), r"epoch=.*did you mean epochs="),
])
def test_a_bad_keyword_is_one_line_naming_it(make, needle):
    with pytest.raises(FoodcamError, match=needle) as e:
        make()
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(("argv", "needle"), [
    (["predict", "--weights", "m", "--source", "s", "--alpha", "nan"], "--alpha: expected a number from 0 to 1"),
    (["export", "--weights", "w.pt", "--max-drop", "inf"], "--max-drop: expected a number"),
    (["eval", "--weights", "m", "--data", "d", "--splt", "val"], "did you mean --split?"),
    (["train", "kitchen", "--data", "d", "--lr", "nan"], "--lr: expected a positive learning rate"),
    (["train", "kitchen", "--data", "d", "--time-budget", "inf"], "--time-budget: expected a positive number"),
])
def test_a_bad_flag_is_an_argparse_error(argv, needle, capsys):
    with pytest.raises(SystemExit) as e:
        cli(argv)
    assert e.value.code == 2 and needle in capsys.readouterr().err


def test_a_bad_file_key_names_file_line_and_column(tmp_path, capsys):
    file = tmp_path / "predict.yaml"
    file.write_text("weights: m.onnx\nsource: s\ntopk: many\n")
    assert cli(["predict", "--config", str(file)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"foodcam predict: error: {file}:3:1: key 'topk': expected a whole number >= 1, got 'many'"


def test_predict_files_writes_what_the_cli_writes(seg, tmp_path):
    src = tmp_path / "src"
    for i in range(2):
        write_image(src / f"f{i}.png", frame(seed=i))
    assert cli(["predict", "--weights", str(seg), "--source", str(src), "--out", str(tmp_path / "cli")]) == 0
    got = foodcam.load(seg).predict_files(src, out=tmp_path / "api")
    assert (got.rc, got.written, got.failed, got.out) == (0, 2, [], tmp_path / "api")
    for i in range(2):
        assert (read_image(tmp_path / "api" / f"f{i}.png") == read_image(tmp_path / "cli" / f"f{i}.png")).all()


def test_a_pinned_sha256_is_checked_from_python_too(seg, tmp_path):
    model = foodcam.load(seg)
    with pytest.raises(FoodcamError, match="not the pinned 0000"):
        model.eval("d", model_sha256="0" * 64, out=tmp_path / "e")
    with pytest.raises(FoodcamError, match="not the pinned 0000"):
        model.predict_files("s", model_sha256="0" * 64, out=tmp_path / "p")
    with pytest.raises(FoodcamError, match="model_sha256: expected"):
        model.eval("d", model_sha256="abc")
    assert not (tmp_path / "e").exists() and not (tmp_path / "p").exists()  # refused before anything is written


@pytest.mark.slow  # trains twice (a few seconds each)
def test_foodcam_train_runs_what_the_cli_runs(kitchen_data, tmp_path):
    import csv

    from foodcam.train.checkpoint import read_checkpoint

    flags = ["--model", "unet", "--width", "4", "--imgsz", "32", "--epochs", "1", "--seed", "3", "--device", "cpu"]
    assert cli(["train", "kitchen", "--data", str(kitchen_data), *flags, "--out", str(tmp_path / "cli")]) == 0
    got = foodcam.train_model("kitchen", data=kitchen_data, model="unet", width=4, imgsz=32, epochs=1, seed=3,
                        device="cpu", out=tmp_path / "api")
    assert (got.rc, got.out, got.best.is_file(), got.last.is_file()) == (0, tmp_path / "api", True, True)
    rows = [list(csv.DictReader(open(d / "metrics.csv"))) for d in (tmp_path / "cli", got.out)]
    assert [[{k: v for k, v in r.items() if k != "seconds"} for r in run] for run in rows[:1]] == \
        [[{k: v for k, v in r.items() if k != "seconds"} for r in rows[1]]]
    configs = [read_checkpoint(d / "best.pt")["config"] for d in (tmp_path / "cli", got.out)]
    assert {k: v for k, v in configs[0].items() if k != "out"} == {k: v for k, v in configs[1].items() if k != "out"}
    assert set(TrainConfig.model_fields) <= set(configs[1])  # the checkpoint records every option of the run
