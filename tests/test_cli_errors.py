"""Mistakes people make on the command line get one helpful line under the command's own usage, before any
heavy import; and the small glitches found by a first-time user stay fixed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from foodcam.cli import main


def error_of(argv: list[str], capsys) -> tuple[int, str]:
    """Exit code and stderr of `foodcam ARGV` run in this process (argparse exits through SystemExit)."""
    try:
        rc = main(argv)
    except SystemExit as e:
        rc = e.code
    return rc, capsys.readouterr().err


@pytest.mark.parametrize("argv, usage, message", [
    (["run", "--sourc", "x"], "usage: foodcam run ",
     "foodcam run: error: unrecognized argument --sourc; did you mean --source?"),
    (["run", "--model", "m.onnx", "--source", "0", "--max-frame", "3"], "usage: foodcam run ",
     "foodcam run: error: unrecognized argument --max-frame; did you mean --max-frames?"),
    (["export", "--weights", "w.pt", "--precison", "int8"], "usage: foodcam export ",
     "foodcam export: error: unrecognized argument --precison; did you mean --precision?"),
    (["data", "check", "kitchen", "d/", "--max-dst=3"], "usage: foodcam data check ",
     "foodcam data check: error: unrecognized argument --max-dst=3; did you mean --max-dist?"),
    (["run", "--model", "m.onnx", "--source", "0", "stray"], "usage: foodcam run ",
     "foodcam run: error: unrecognized argument stray"),
    (["rn"], "usage: foodcam ", "did you mean 'run'?"),
    (["rnu", "--model", "m.onnx"], "usage: foodcam ", "did you mean 'run'?"),  # the verb is the typo, not --model
    (["-v", "rnu", "--model", "m.onnx", "--source", "0"], "usage: foodcam ", "did you mean 'run'?"),
    (["data", "chek", "kitchen", "d/", "--max-dist", "3"], "usage: foodcam data ", "did you mean 'check'?"),
    (["--model", "m.onnx"], "usage: foodcam ", "foodcam: error: unrecognized argument --model"),
    (["data", "chek", "kitchen", "d/"], "usage: foodcam data ", "did you mean 'check'?"),
    (["train", "kitchn", "--data", "d", "--out", "o"], "usage: foodcam train ",
     "foodcam train: error: task: invalid choice: 'kitchn'"),
    (["run", "--model", "m", "--source", "0", "--visualize", "overlya"], "usage: foodcam run ",
     "did you mean 'overlay'?"),
])
def test_unknown_flags_verbs_and_choices_are_reported_under_the_commands_usage(argv, usage, message, capsys):
    rc, err = error_of(argv, capsys)
    assert rc == 2
    assert err.startswith(usage), err
    assert message in err.splitlines()[-1], err


def test_flags_are_not_abbreviated(capsys):
    """`--sourc` was silently taken for `--source`: a prefix that works today changes meaning when a flag is added."""
    rc, err = error_of(["run", "--model", "m.onnx", "--sourc", "0"], capsys)
    assert rc == 2 and "unrecognized argument --sourc" in err


@pytest.mark.parametrize("argv, message", [
    (["run", "--model", "m", "--source", "0", "--fps", "abc"], "--fps: expected a positive number, got 'abc'"),
    (["run", "--model", "m", "--source", "0", "--fps", "nan"], "--fps: expected a positive number, got 'nan'"),
    (["run", "--model", "m", "--source", "0", "--threads", "0"], "--threads: expected a whole number >= 1, got '0'"),
    (["run", "--model", "m", "--source", "0", "--alpha", "1.5"], "--alpha: expected a number from 0 to 1, got '1.5'"),
    (["train", "kitchen", "--data", "d", "--repaint", "1.5"], "--repaint: expected a number from 0 to 1, got '1.5'"),
    (["run", "--model", "m", "--source", "0", "--max-seconds", "inf"], "--max-seconds: expected a positive number"),
    (["sort", "--model", "m", "--source", "0", "--line", "l.yaml", "--max-frames", "-5"], "--max-frames: expected"),
    (["bench", "--models", "m.onnx", "--iters", "2.5"], "--iters: expected a whole number >= 1, got '2.5'"),
    (["build", "m.onnx", "--opt-level", "9"], "--opt-level: expected a whole number 0-5, got '9'"),
    (["app", "--model", "m.onnx", "--port", "0"], "--port: expected a port number 1-65535, got '0'"),
    (["predict", "--weights", "w", "--source", "s", "--out", "o", "--topk", "0"], "--topk: expected a whole number"),
])
def test_numeric_errors_name_the_flag(argv, message, capsys):
    rc, err = error_of(argv, capsys)
    verb = argv[0]
    assert rc == 2
    assert err.splitlines()[-1].startswith(f"foodcam {verb}: error: {message}"), err


PROBE = """
import json, sys
from foodcam.cli import main
try:
    rc = main(sys.argv[1:])
except SystemExit as e:
    rc = e.code
print(json.dumps({"rc": rc, "torch": "torch" in sys.modules}))
"""


@pytest.mark.parametrize("argv, flag", [
    (["train", "kitchen", "--data", "d", "--out", "o", "--epochs", "0"], "--epochs"),
    (["train", "kitchen", "--data", "d", "--out", "o", "--lr", "-1"], "--lr"),
    (["export", "--weights", "w.pt", "--calib-count", "many"], "--calib-count"),
    (["eval", "--weights", "w.pt", "--data", "d", "--bogus", "1"], "--bogus"),
])
def test_argument_errors_come_before_torch_is_imported(argv, flag, tmp_path):
    """A torch-using verb with a bad argument fails in the time argparse takes: torch is never imported."""
    proc = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result == {"rc": 2, "torch": False}, proc.stderr
    assert f"foodcam {argv[0]}: error: " in proc.stderr and flag in proc.stderr.splitlines()[-1]


def test_an_error_inside_a_sub_verb_names_it(tmp_path, capsys):
    rc, err = error_of(["data", "check", "kitchen", str(tmp_path / "missing")], capsys)
    assert rc == 2
    assert err.startswith("foodcam data check: error: "), err


def run_help() -> str:
    return subprocess.run([sys.executable, "-m", "foodcam", "run", "--help"], capture_output=True, text=True,
                          check=True).stdout


def test_run_help_lists_every_synth_scene_documents_outputs_and_shows_percent_once():
    from foodcam.scenes import FEEDS

    text = run_help()
    for name in FEEDS:  # the registry, not a hand-kept list
        assert f"synth://{name} " in text, name
    assert "synth://conveyor" in text
    assert "'out/%06d.jpg'" in text and "%%" not in text
    assert "/snapshot.jpg" in text and "/stream" in text and "/stats" in text
    assert "rtsp://host:8554/path" in text and "rtp://host:5000" in text
    assert "H.264" in text


def test_the_live_page_links_the_snapshot():
    from foodcam.camera.sinks.page import PAGE

    assert 'href="/snapshot.jpg"' in PAGE


def test_unknown_model_message_has_single_spaces():
    from foodcam.runtime.errors import FoodcamError
    from foodcam.runtime.tasks import get_task

    models = pytest.importorskip("foodcam.train.models")
    for task in (None, get_task("kitchen")):
        with pytest.raises(FoodcamError) as e:
            models.get_entry("nosuchnet", task)
        assert "  " not in str(e.value) and "known " in str(e.value)
    with pytest.raises(FoodcamError, match="known segmentation models: "):
        models.get_entry("nosuchnet", get_task("kitchen"))


def test_counts_agree_with_their_nouns():
    from foodcam.runtime.fmt import plural

    assert plural(1, "thread") == "1 thread"
    assert plural(2, "thread") == "2 threads"
    assert plural(None, "thread") == "- threads"


def test_reports_say_1_thread():
    from foodcam.benchmarks.report import console_summary
    from foodcam.export.report import int8_forms_table

    record = {"timing": {"iters": 30, "threads": 1}, "fp32_ms_p50": 2.0, "fp32_cpu_ms_1thread": 2.0, "forms": [],
              "form": "qdq"}
    text = "\n".join(int8_forms_table(record))
    assert "wall ms on 1 thread," in text and "1 threads" not in text
    bench = console_summary({"rows": [], "cpu_peak": {"gflops_s": 50.0, "n": 512, "threads": 1}})
    assert "(MatMul 512x512, 1 thread)" in bench


def test_training_banner_shows_options_only_when_there_are_some():
    engine = pytest.importorskip("foodcam.train.engine")
    assert engine.describe_arch("lraspp", {}) == "lraspp"
    assert engine.describe_arch("thinseg", {"width": 0.5}) == "thinseg (width=0.5)"


def test_per_class_curves_use_the_mask_colours(tmp_path):
    pytest.importorskip("matplotlib")
    cv2 = pytest.importorskip("cv2")
    import numpy as np

    from foodcam.runtime.tasks import get_task
    from foodcam.train.plots import class_colours, plot_curves

    spec = get_task("kitchen")
    colours = class_colours(spec)
    assert colours == dict(zip(spec.seg_head.classes, spec.seg_head.colours))
    rows = [{"epoch": e, "train_loss": 1 / e, "val_loss": 1 / e, "val_miou": 0.2 * e,
             **{f"iou_{c}": 0.1 * e + 0.2 * i for i, c in enumerate(spec.seg_head.classes)}} for e in range(1, 5)]

    def pixels_of(rgb, path):
        img = cv2.imread(str(path))[:, :, ::-1].astype(int)  # RGB
        return int((np.abs(img - np.array(rgb)).sum(-1) < 30).sum())

    plot_curves(rows, tmp_path / "coloured.png", colours=colours)
    plot_curves(rows, tmp_path / "default.png")
    for rgb in spec.seg_head.colours:  # stirrer red, pan green, food blue: drawn only when the colours are used
        assert pixels_of(rgb, tmp_path / "coloured.png") > 20
        assert pixels_of(rgb, tmp_path / "default.png") == 0
