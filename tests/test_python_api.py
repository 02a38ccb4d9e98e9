"""The Python API (foodcam/api.py): load/predict/eval/export/bench and foodcam.run mirror the CLI verbs and give
what they give; results print as one line and draw themselves; `import foodcam` stays light."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from tiny_onnx import SEG_TASK, seg_onnx

import foodcam
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import write_image
from foodcam.runtime.tasks import KITCHEN
from tests.conftest import foodcam as cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seg(tmp_path_factory) -> Path:
    """A tiny kitchen ONNX (16x20): a pixel's class is its largest B/G/R value."""
    return seg_onnx(tmp_path_factory.mktemp("api_onnx") / "seg.onnx")


@pytest.fixture(scope="module")
def model(seg):
    return foodcam.load(seg)


def frame(h: int = 48, w: int = 64, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def expected_mask(bgr: np.ndarray) -> np.ndarray:
    """What the tiny graph answers for a frame: argmax over B, G, R at the model's 16x20 input."""
    import cv2

    h, w = SEG_TASK.input_size
    return cv2.resize(bgr, (w, h), interpolation=cv2.INTER_LINEAR).argmax(2).astype(np.uint8)


# ------------------------------------------------------------------------------------------------ predict


def test_predict_array_and_its_repr(model):
    img = frame()
    res = model.predict(img)
    assert np.array_equal(res.mask, expected_mask(img))
    assert res.frame_shape == (48, 64) and res.latency_ms >= 0
    text = repr(res)
    assert "\n" not in text and len(text) < 300 and "array" not in text and "[[" not in text
    assert text.startswith("SegmentationResult(kitchen, 64x48") and " ms" in text
    top = max(res.shares, key=res.shares.get)
    assert top in text  # the class present most


def test_model_repr_names_task_classes_size_backend_path(model, seg):
    text = repr(model)
    assert "kitchen" in text and "stirrer" in text and "pan" in text and "food" in text
    assert "input 20x16" in text and "onnxruntime" in text and str(seg) in text
    assert model.classes == list(KITCHEN.seg_head.classes) and model.input_size == (20, 16)


def test_grey_rgba_and_rgb_inputs(model):
    img = frame()
    grey = img[:, :, 1].copy()
    want = expected_mask(np.dstack([grey] * 3))
    assert np.array_equal(model.predict(grey).mask, want)
    assert np.array_equal(model.predict(grey[:, :, None]).mask, want)
    bgra = np.dstack([img, np.full(img.shape[:2], 255, np.uint8)])
    assert np.array_equal(model.predict(bgra).mask, expected_mask(img))
    rgba = np.dstack([img[:, :, ::-1], np.full(img.shape[:2], 255, np.uint8)])
    assert np.array_equal(model.predict(rgba, rgb=True).mask, expected_mask(img))
    assert np.array_equal(model.predict(img[:, :, ::-1], rgb=True).mask, expected_mask(img))


def test_list_file_folder_glob_and_batch(model, tmp_path):
    imgs = [frame(seed=i) for i in range(3)]
    for i, img in enumerate(imgs):
        write_image(tmp_path / f"f{i}.png", img)
    (tmp_path / "notes.txt").write_text("not an image")
    want = [expected_mask(img) for img in imgs]

    one = model.predict(tmp_path / "f1.png")
    assert np.array_equal(one.mask, want[1]) and one.source == str(tmp_path / "f1.png")
    for got in (model.predict(tmp_path), model.predict(str(tmp_path / "f*.png")),
                model.predict([imgs[0], tmp_path / "f1.png", str(tmp_path / "f2.png")]),
                model.predict(np.stack(imgs))):
        assert isinstance(got, list) and len(got) == 3
        assert all(np.array_equal(r.mask, m) for r, m in zip(got, want))


def test_predict_gives_the_masks_the_cli_writes(seg, model, tmp_path):
    from foodcam.runtime.colour import colorize
    from foodcam.runtime.imageio import read_image

    src = tmp_path / "in"
    for i in range(2):
        write_image(src / f"f{i}.png", frame(seed=10 + i))
    assert cli("predict", "--weights", seg, "--source", src, "--out", tmp_path / "out") == 0
    for res in model.predict(src):
        written = read_image(tmp_path / "out" / f"{Path(res.source).stem}.png")
        assert np.array_equal(colorize(res.mask_full, KITCHEN.seg_head), written)


@pytest.mark.parametrize("bad, named", [
    (np.zeros((8, 8, 3), np.float32), "float32"),
    (np.zeros((8, 8, 5), np.uint8), "(8, 8, 5)"),
    (np.zeros((0, 8, 3), np.uint8), "(0, 8, 3)"),
    ("/nonexistent/x.jpg", "/nonexistent/x.jpg"),
    (42, "int"),
    ([np.zeros((8, 8, 3), np.uint8), 3.5], "item 1"),
    ("synth://kitchen", "foodcam.run"),
])
def test_bad_input_is_one_line_naming_it(model, bad, named):
    with pytest.raises(FoodcamError) as e:
        model.predict(bad)
    msg = str(e.value)
    assert "\n" not in msg and named in msg
    if not isinstance(bad, str) or "://" not in bad:
        assert "pass a uint8 image array" in msg


def test_empty_folder_and_unreadable_file(model, tmp_path):
    with pytest.raises(FoodcamError, match="no images there"):
        model.predict(tmp_path)
    (tmp_path / "broken.jpg").write_bytes(b"nope")
    with pytest.raises(FoodcamError, match="broken.jpg: not a readable image"):
        model.predict(tmp_path / "broken.jpg")


def test_plot_is_the_overlay_of_the_frame(model):
    from foodcam.camera.overlay import Visualizer

    img = frame()
    res = model.predict(img)
    out = res.plot()
    assert out.shape == img.shape and out.dtype == np.uint8
    assert np.array_equal(out, Visualizer(KITCHEN).draw(img, res, {"latency_ms": res.latency_ms}))
    assert not np.array_equal(out, img)
    assert res.plot(mode="side-by-side").shape == (48, 128, 3)
    bare = model.model.predict(img)  # the runtime's own result keeps no frame: plot needs it given
    with pytest.raises(FoodcamError, match="pass it"):
        bare.plot()
    assert bare.plot(img).shape == img.shape


def test_classification_repr_and_plot(tmp_path):
    from tiny_onnx import CLS_TASK, cls_onnx, cls_reference

    clf = foodcam.load(cls_onnx(tmp_path / "cls.onnx"))
    assert clf.classes == {h.name: list(h.classes) for h in CLS_TASK.heads}
    img = frame(12, 12, seed=3)
    res = clf.predict(img)
    want = cls_reference(img[None])
    for h in CLS_TASK.heads:
        np.testing.assert_allclose(res.probs[h.name], want[h.name][0], atol=1e-5)
        top = res.top(h.name)[0][0]
        assert f"{h.name}: {top}" in repr(res)
    assert repr(res).startswith("ClassificationResult(freshness, 12x12") and "\n" not in repr(res)
    out = res.plot()
    assert out.shape == img.shape and out.dtype == np.uint8


def test_missing_model_file_is_one_line(tmp_path):
    with pytest.raises(FoodcamError, match="no such model file"):
        foodcam.load(tmp_path / "absent.onnx")
    with pytest.raises(FoodcamError, match="export starts from the PyTorch checkpoint"):
        foodcam.load(seg_onnx(tmp_path / "s.onnx")).export()


def test_unknown_or_bad_keyword_names_it(model, tmp_path):
    with pytest.raises(FoodcamError, match=r"unexpected keyword max_frame=.*did you mean max_frames="):
        foodcam.run("synth://kitchen", model, max_frame=3)
    with pytest.raises(FoodcamError, match=r"visualize: 'sparkles' is not one of overlay"):
        foodcam.run("synth://kitchen", model, visualize="sparkles", max_frames=1)
    with pytest.raises(FoodcamError, match="iters= and seconds="):
        model.bench(iters=3, seconds=1.0, out=tmp_path)


# ------------------------------------------------------------------------------------------------ run


def test_run_synth_kitchen_writes_what_it_was_asked(seg, tmp_path):
    events = tmp_path / "run.jsonl"
    summary = foodcam.run("synth://kitchen?fps=0&size=64x48", foodcam.load(seg), save=str(tmp_path / "f%03d.jpg"),
                          events=events, max_frames=4, no_analytics=True)
    assert summary.rc == 0 and summary.frames == 4 and summary["stopped_by"] == "max_frames"
    assert len(list(tmp_path.glob("f[0-9][0-9]*.jpg"))) == 4  # numbered by the source's frame index
    assert len(events.read_text().splitlines()) >= 4
    assert events in summary.outputs
    assert "4 frames" in repr(summary) and "\n" not in repr(summary)


# ------------------------------------------------------------------------------------------------ version, imports


def test_version_flag_matches_the_package():
    from importlib.metadata import version

    out = subprocess.run([sys.executable, "-m", "foodcam", "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert out.stdout.strip() == f"foodcam {foodcam.__version__}"
    assert foodcam.__version__ == version("foodcam")


def test_import_foodcam_is_light():
    code = ("import sys, foodcam; heavy = [m for m in ('torch', 'cv2', 'onnxruntime') if m in sys.modules]; "
            "assert not heavy, heavy; assert callable(foodcam.load) and callable(foodcam.run); "
            "assert 'torch' not in sys.modules; print(foodcam.__version__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == foodcam.__version__


# ------------------------------------------------------------------------------------------------ the verbs, from .pt


@pytest.fixture(scope="module")
def tiny_pt(tmp_path_factory) -> Path:
    """A tiny untrained unet checkpoint at 32x32 (as tests/test_bench.py makes one)."""
    pytest.importorskip("torch")
    from foodcam.train.checkpoint import save_checkpoint
    from foodcam.train.models import build_model

    task = KITCHEN.with_input_size(32, 32)
    net = build_model("unet", task, width=4)
    path = tmp_path_factory.mktemp("api_pt") / "tiny.pt"
    save_checkpoint(path, {"task": task.to_dict(), "arch": {"name": "unet", "kwargs": {"width": 4}},
                           "state_dict": net.state_dict(), "config": {}, "metrics": {}, "epoch": 0})
    return path


@pytest.fixture(scope="module")
def tiny_data(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("api_data") / "kitchen"
    assert cli("synth", "kitchen", "--out", out, "--count", 10, "--seed", 0, "--size", "64x48") == 0
    return out


@pytest.fixture(scope="module")
def exported(tiny_pt, tiny_data, tmp_path_factory):
    d = tmp_path_factory.mktemp("api_export")
    api = foodcam.load(tiny_pt, device="cpu").export(out=d / "api.onnx", data=tiny_data)
    assert cli("export", "--weights", tiny_pt, "--out", d / "cli.onnx", "--data", tiny_data) == 0
    return api, d / "cli.onnx"


@pytest.mark.slow  # exports / spawns bench workers: seconds on an idle 2-core machine
def test_export_gives_what_the_cli_gives(exported):
    api, cli_onnx = exported
    assert api.rc == 0 and api.path.is_file() and api.report_md.is_file() and api.reference == api.path
    cli_report = json.loads(cli_onnx.with_name("cli.onnx.report.json").read_text())
    assert api.status == cli_report["status"] == "validated"
    assert json.loads(api.path.with_name("api.onnx.report.json").read_text())["status"] == api.status
    assert api["gate"]["images"] == cli_report["gate"]["images"] and api["miou"] == cli_report["miou"]
    a, b = foodcam.load(api.path), foodcam.load(cli_onnx)
    assert a.task.to_dict() == b.task.to_dict()
    img = frame(seed=5)
    assert np.array_equal(a.predict(img).mask, b.predict(img).mask)
    assert "fp32" in repr(api) and str(api.path) in repr(api)


@pytest.mark.slow  # exports / spawns bench workers: seconds on an idle 2-core machine
def test_pt_and_its_onnx_give_the_same_masks(tiny_pt, exported):
    pt, ox = foodcam.load(tiny_pt, device="cpu"), foodcam.load(exported[0].path)
    assert pt.backend.startswith("torch") and ox.backend.startswith("onnxruntime")
    for seed in range(3):
        img = frame(seed=seed)
        assert (pt.predict(img).mask == ox.predict(img).mask).mean() >= 0.99


def test_eval_gives_what_the_cli_gives(seg, tiny_data, tmp_path):
    onnx_path = seg
    got = foodcam.load(onnx_path).eval(tiny_data, out=tmp_path / "api")
    assert cli("eval", "--weights", onnx_path, "--data", tiny_data, "--out", tmp_path / "cli") == 0
    want = json.loads((tmp_path / "cli" / "metrics.json").read_text())
    assert got.json == tmp_path / "api" / "metrics.json" and got.rc == 0
    assert json.loads(got.json.read_text()) == want
    assert got["miou"] == want["miou"] and dict(got)["per_class"] == want["per_class"]
    listed = {k: sorted(p.name for p in (tmp_path / k).iterdir()) for k in ("api", "cli")}
    assert listed["api"] == listed["cli"], listed
    assert "mIoU" in repr(got) and "\n" not in repr(got)


@pytest.mark.slow  # exports / spawns bench workers: seconds on an idle 2-core machine
def test_bench_gives_what_the_cli_gives(seg, tmp_path, capsys):
    flags = dict(backends=["cpu"], threads=1, processes=1, warmup=1, iters=3, loop_frames=0, rounds=0)
    got = foodcam.load(seg).bench(out=tmp_path / "api", **flags)
    quiet = capsys.readouterr().out
    assert quiet == "" and got.text.strip()  # the tables kept in .text, not printed
    argv = ["bench", "--models", seg, "--backends", "cpu", "--threads", 1, "--processes", 1, "--warmup", 1,
            "--iters", 3, "--loop-frames", 0, "--rounds", 0, "--out", tmp_path / "cli"]
    assert cli(*argv) == 0
    want = json.loads((tmp_path / "cli" / "bench.json").read_text())
    assert got.rc == 0 and set(got.paths) <= {"json", "csv", "md", "png"} and got.paths["json"].is_file()
    assert sorted(p.name for p in (tmp_path / "api").iterdir()) == sorted(p.name for p in (tmp_path / "cli").iterdir())
    key = ("name", "backend", "status", "batch", "imgsz")
    assert [tuple(r.get(k) for k in key) for r in got.rows] == [tuple(r.get(k) for k in key) for r in want["rows"]]
    assert got["settings"] == want["settings"]
    assert got.rows[0]["status"] in ("ran", "validated") and f"{len(want['rows'])} rows (1 measured)" in repr(got)
    assert "\n" not in repr(got)
    cli_text = capsys.readouterr().out
    first = cli_text.splitlines()[0].split(":")[0]  # the row's name and backend (its timings differ per run)
    assert got.text.splitlines()[0].split(":")[0] == first  # what verbose=True (and the CLI) prints
    foodcam.load(seg).bench(out=tmp_path / "loud", verbose=True, **flags)
    assert capsys.readouterr().out.splitlines()[0].split(":")[0] == first


def test_synth_writes_the_dataset_the_cli_writes(tmp_path):
    """foodcam.synth is `foodcam synth`: the same files, the counts per split returned, the CLI's checks."""
    r = foodcam.synth("kitchen", out=tmp_path / "api", count=4, size=(64, 48), seed=3)
    assert cli("synth", "kitchen", "--out", tmp_path / "cli", "--count", "4", "--size", "64x48", "--seed", "3") == 0
    assert r.rc == 0 and r.out == tmp_path / "api" and r.counts == {"train": 2, "val": 1, "test": 1}
    assert repr(r) == f"SynthResult(4 kitchen images in {tmp_path / 'api'}: train 2, val 1, test 1)"
    files = sorted(p.relative_to(tmp_path / "api") for p in (tmp_path / "api").rglob("*.*"))
    assert files == sorted(p.relative_to(tmp_path / "cli") for p in (tmp_path / "cli").rglob("*.*"))
    assert len(files) == 8
    with pytest.raises(FoodcamError, match=r"foodcam.synth\(\): unexpected keyword counts=.*did you mean count="):
        foodcam.synth("kitchen", out=tmp_path / "bad", counts=4)
