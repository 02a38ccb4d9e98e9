"""bench, synth, build, data, app, doctor, demo and adapt: one typed config per verb, like run, train and export
(tests/test_verb_configs.py). Flags, a `--config FILE.yaml` under the command line and Python keywords give the
same config, and the CLI hands it to the verb's core function."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import foodcam
from foodcam.app.cli import AppConfig
from foodcam.benchmarks.config import BenchConfig
from foodcam.cli import build_parser
from foodcam.cli import main as cli
from foodcam.config import leaf_parsers
from foodcam.demo import DemoConfig
from foodcam.doctor.cli import DoctorConfig
from foodcam.export.config import BuildConfig
from foodcam.runtime.errors import FoodcamError
from foodcam.train.configs import SynthConfig
from foodcam.train.dataconfig import DataCheckConfig, DataImportConfig, LabelExportConfig


def capture(monkeypatch, module: str, name: str, result) -> list:
    """Replace a verb's core function with one that records the config it gets."""
    seen: list = []
    monkeypatch.setattr(importlib.import_module(module), name, lambda cfg: seen.append(cfg) or result)
    return seen


def test_every_command_is_a_typed_config():
    leaves = list(leaf_parsers(build_parser()))
    assert leaves and all(getattr(p, "verb_config", None) is not None for p in leaves), \
        [p.prog for p in leaves if getattr(p, "verb_config", None) is None]


def test_bench_flags_file_and_keywords_give_one_config(tmp_path, monkeypatch):
    seen = capture(monkeypatch, "foodcam.benchmarks.run", "bench", (0, None))
    file = tmp_path / "bench.yaml"
    file.write_text("models: [a.onnx, b.onnx]\nbackends: cpu\nbatch: [1, 8]\nseconds: 2\n")
    assert cli(["bench", "--config", str(file), "--models", "c.onnx", "--threads", "2"]) == 0  # the command line wins
    want = BenchConfig(models=["c.onnx"], backends=["cpu"], batch=[1, 8], seconds=2.0, threads=2)
    assert seen == [want]
    assert BenchConfig.make("bench()", models=[Path("c.onnx")], backends="cpu", batch=(1, 8), seconds=2,
                            threads=2) == want


def test_iters_and_seconds_exclude_each_other_on_every_face(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli(["bench", "--models", "m.onnx", "--iters", "3", "--seconds", "1"])
    assert "--seconds: not allowed with argument --iters" in capsys.readouterr().err
    with pytest.raises(FoodcamError, match=r"bench\(\): iters= and seconds= exclude each other"):
        BenchConfig.make("bench()", iters=3, seconds=1.0)
    file = tmp_path / "bench.yaml"
    file.write_text("iters: 3\n")
    assert cli(["bench", "--config", str(file), "--models", "m.onnx", "--seconds", "1"]) == 2
    assert "--iters and --seconds exclude each other" in capsys.readouterr().err


def test_synth_flags_file_and_keywords_give_one_config(tmp_path, monkeypatch):
    seen = capture(monkeypatch, "foodcam.train.synth", "synth_dataset", (0, {"task": "fruit", "out": "o"}))
    file = tmp_path / "synth.yaml"
    file.write_text("count: 12\nsize: 64x48\nstyles: train\nout: from_file\n")
    assert cli(["synth", "fruit", "--config", str(file), "--out", "o"]) == 0
    foodcam.synth("fruit", out="o", count=12, size=(64, 48), styles="train")
    want = SynthConfig(task="fruit", out="o", count=12, size=(64, 48), styles="train")
    assert seen == [want, want]


def test_synth_task_and_size_are_checked_on_every_face(tmp_path, capsys):
    with pytest.raises(FoodcamError, match=r"foodcam.synth\(\): task: 'pizza' is not one of kitchen, fruit"):
        foodcam.synth("pizza")
    with pytest.raises(FoodcamError, match=r"size: size '3': expected WxH"):
        foodcam.synth("kitchen", size="3")
    file = tmp_path / "synth.yaml"
    file.write_text("task: kitchen\n")
    assert cli(["synth", "kitchen", "--config", str(file)]) == 2
    assert "task is a positional argument" in capsys.readouterr().err


def test_build_takes_its_flags_and_a_file(tmp_path, monkeypatch):
    seen = capture(monkeypatch, "foodcam.export.trt_build", "build_engine", (0, tmp_path / "m.engine"))
    file = tmp_path / "build.yaml"
    file.write_text("workspace: 4\nopt-level: 5\ndla: 0\n")
    assert cli(["build", "m.onnx", "--config", str(file), "--max-batch", "2"]) == 0
    assert seen == [BuildConfig(onnx="m.onnx", workspace=4.0, opt_level=5, dla=0, max_batch=2)]
    assert cli(["-v", "build", "m.onnx"]) == 0 and seen[-1].verbose  # foodcam -v: TensorRT's own log
    with pytest.raises(FoodcamError, match="opt_level: expected a whole number 0-5, got '9'"):
        BuildConfig.make("build", onnx="m.onnx", opt_level=9)


def test_data_commands_take_their_flags_and_a_file(tmp_path, monkeypatch):
    checks = capture(monkeypatch, "foodcam.train.datacheck", "check_data", 0)
    imports = capture(monkeypatch, "foodcam.train.data.imports", "import_data", 0)
    exports = capture(monkeypatch, "foodcam.train.data.labelstudio.prelabel", "export_labelstudio", {})
    assert cli(["data", "check", "coco", "d", "--max-dist", "5"]) == 0
    file = tmp_path / "import.yaml"
    file.write_text("out: o\nmap: 'spoon=stirrer'\nsplit: train\nline-width: 3\n")
    assert cli(["data", "import", "labelme", "src", "--config", str(file), "--seed", "4"]) == 0
    assert cli(["data", "export", "labelstudio", "--model", "m.onnx", "--frames", "f/", "--out", "t.json",
                "--config-out", "c.xml"]) == 0
    assert checks == [DataCheckConfig(task="coco", root="d", max_dist=5.0)]
    assert imports == [DataImportConfig(format="labelme", src="src", out="o", map="spoon=stirrer", split="train",
                                        seed=4, line_width=3)]
    assert exports == [LabelExportConfig(format="labelstudio", model="m.onnx", frames="f/", out="t.json",
                                         config_out="c.xml")]


def test_app_doctor_and_demo_take_their_flags(tmp_path, monkeypatch):
    apps = capture(monkeypatch, "foodcam.app.server", "serve", 0)
    doctors = capture(monkeypatch, "foodcam.doctor.cli", "doctor", (0, []))
    demos = capture(monkeypatch, "foodcam.demo", "demo", (0, tmp_path))
    assert cli(["app", "--model", "a.onnx", "--model", "b.onnx", "--port", "8000", "--no-examples"]) == 0
    assert cli(["doctor", "--json", "--recordings", str(tmp_path)]) == 0
    assert cli(["demo", "--quick", "--out", str(tmp_path)]) == 0
    assert apps == [AppConfig(model=["a.onnx", "b.onnx"], port=8000, no_examples=True)]
    assert doctors == [DoctorConfig(as_json=True, recordings=str(tmp_path))]
    assert demos == [DemoConfig(quick=True, out=str(tmp_path))]


def test_adapt_flags_and_keywords_give_one_config(tmp_path, monkeypatch):
    record = {"status": "exported", "out": str(tmp_path)}
    seen = capture(monkeypatch, "foodcam.adaptation", "adapt", record)
    file = tmp_path / "adapt.yaml"
    file.write_text("data: d\nepochs: 3\nfrom: base.pt\nfreeze-encoder: true\n")
    assert cli(["adapt", "--config", str(file), "--lr", "0.001"]) == 0
    foodcam.adapt(data=Path("d"), epochs=3, from_ckpt="base.pt", freeze_encoder=True, lr=0.001)
    from foodcam.adaptation import AdaptConfig

    want = AdaptConfig(data="d", epochs=3, from_ckpt="base.pt", freeze_encoder=True, lr=0.001)
    assert seen == [want, want]
