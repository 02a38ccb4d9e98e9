"""Frames worth labelling: the collect sink, the exported per-pixel uncertainty, and `foodcam run --collect`."""

from __future__ import annotations

import json

import numpy as np
import onnxruntime as ort
import pytest
from tiny_onnx import seg_onnx

from foodcam.camera.frame import Frame
from foodcam.camera.sinks import CollectSink, Rendered
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.imageio import read_image
from foodcam.runtime.open import open_model
from foodcam.runtime.results import SegmentationResult, normalised_entropy
from foodcam.runtime.tasks import KITCHEN
from tests.conftest import foodcam


def _rendered(index: int, u: float) -> Rendered:
    image = np.full((12, 16, 3), index, np.uint8)  # the frame's index is its pixel value
    result = SegmentationResult(KITCHEN, np.zeros((8, 8), np.uint8), (12, 16), uncertainty=np.full((8, 8), u, np.float32))
    return Rendered(Frame(image, index), result, {}, None, [], visualizer=None)


def _index(folder) -> list[dict]:
    return [json.loads(line) for line in (folder / "index.jsonl").read_text().splitlines()]


def test_every_nth_frame(tmp_path):
    sink = CollectSink(tmp_path / "c", every=4, mode="every")
    for i in range(10):
        sink.write(_rendered(i, 0.1))
    sink.close()
    rows = _index(tmp_path / "c")
    assert [r["frame"] for r in rows] == [0, 4, 8]
    for r in rows:
        img = read_image(tmp_path / "c" / r["file"])  # the raw frame, not the overlay
        assert img.shape == (12, 16, 3) and abs(int(img.mean()) - r["frame"]) <= 1
        assert r["picked"] == "every 4" and r["size"] == [16, 12]
    assert sink.summary()["collected"]["frames"] == 3


def test_least_sure_frame_of_each_window_and_the_partial_last_window(tmp_path):
    us = [0.1, 0.7, 0.3, 0.2, 0.05, 0.06, 0.9, 0.01, 0.4, 0.5]
    sink = CollectSink(tmp_path / "c", every=4, mode="uncertain")
    for i, u in enumerate(us):
        sink.write(_rendered(i, u))
    sink.close()
    rows = _index(tmp_path / "c")
    assert [r["frame"] for r in rows] == [1, 6, 9]  # windows 0-3, 4-7, and 8-9 (flushed at close)
    assert [r["uncertainty"] for r in rows] == pytest.approx([0.7, 0.9, 0.5])
    assert all(r["picked"] == "least sure of 4" for r in rows)
    for r in rows:
        assert abs(int(read_image(tmp_path / "c" / r["file"]).mean()) - r["frame"]) <= 1
    assert not list((tmp_path / "c").glob(".*"))  # no temporary files left


def test_max_frames_and_bad_options(tmp_path):
    sink = CollectSink(tmp_path / "c", every=1, mode="every", max_frames=2)
    for i in range(5):
        sink.write(_rendered(i, 0.0))
    sink.close()
    assert len(_index(tmp_path / "c")) == 2 and len(list((tmp_path / "c").glob("*.jpg"))) == 2
    for kw, msg in ((dict(every=0), "--collect-every 0"), (dict(mode="random"), "--collect-by random"),
                    (dict(max_frames=0), "--collect-max 0")):
        with pytest.raises(FoodcamError, match=msg):
            CollectSink(tmp_path / "d", **kw)
    (tmp_path / "file").write_text("x")
    with pytest.raises(FoodcamError, match="not a folder"):
        CollectSink(tmp_path / "file")


def test_entropy_from_logits():
    logits = np.zeros((3, 2, 2), np.float32)
    logits[0, 0, 0] = 50.0  # sure
    ent = normalised_entropy(logits)
    assert ent[0, 0] == pytest.approx(0.0, abs=1e-6) and ent[1, 1] == pytest.approx(1.0, abs=1e-6)
    r = SegmentationResult(KITCHEN, np.zeros((2, 2), np.uint8), (2, 2), logits=logits)
    assert r.mean_uncertainty == pytest.approx(0.75, abs=1e-6)
    assert SegmentationResult(KITCHEN, np.zeros((2, 2), np.uint8), (2, 2)).mean_uncertainty is None


@pytest.fixture(scope="module")
def uncertain_onnx(kitchen_ckpt, kitchen_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("unc") / "model.onnx"
    assert foodcam("export", "--weights", kitchen_ckpt, "--out", out, "--data", kitchen_data, "--uncertainty",
                   "--logits") == 0
    return out


def test_exported_uncertainty_is_the_entropy_of_the_logits(uncertain_onnx, kitchen_data, kitchen_onnx):
    sess = ort.InferenceSession(str(uncertain_onnx), providers=["CPUExecutionProvider"])
    assert [o.name for o in sess.get_outputs()] == ["mask", "logits", "uncertainty"]
    with open_model(uncertain_onnx, backend="cpu") as model:
        frame = read_image(next((kitchen_data / "val" / "images").iterdir()))
        res = model.predict(frame)
    assert res.uncertainty.shape == res.mask.shape and res.uncertainty.dtype == np.float32
    assert 0.0 <= res.uncertainty.min() and res.uncertainty.max() <= 1.0 + 1e-6
    np.testing.assert_allclose(res.uncertainty, normalised_entropy(res.logits), atol=1e-4)
    assert 0.0 < res.mean_uncertainty < 1.0
    with open_model(kitchen_onnx, backend="cpu") as old:  # a model exported without it works as before
        r = old.predict(frame)
        assert r.uncertainty is None and r.mean_uncertainty is None
        assert old.output_names == ["mask"]


def test_run_collects_the_least_sure_frames(uncertain_onnx, kitchen_onnx, tmp_path, capsys):
    src = "synth://kitchen?fps=0&size=96x72&seed=3"
    rc = foodcam("run", "--model", uncertain_onnx, "--source", src, "--max-frames", 12, "--threads", 1,
                 "--collect", tmp_path / "c", "--collect-every", 4, "--collect-by", "uncertain")
    assert rc == 0
    assert "collected 3 frames for labelling" in capsys.readouterr().out
    rows = _index(tmp_path / "c")
    assert len(rows) == 3 and all(0.0 < r["uncertainty"] < 1.0 for r in rows)
    frames = [r["frame"] for r in rows]  # one per window of 4 processed frames (a live source may drop some)
    assert frames == sorted(set(frames))
    assert all(read_image(tmp_path / "c" / r["file"]).shape == (72, 96, 3) for r in rows)
    # a model that cannot say how unsure it is: told before the first frame
    assert foodcam("run", "--model", kitchen_onnx, "--source", src, "--max-frames", 2,
                   "--collect", tmp_path / "d", "--collect-by", "uncertain") == 2
    assert "re-export it with `foodcam export --uncertainty`" in capsys.readouterr().err


def test_run_collects_every_nth_frame_from_a_folder(tmp_path, kitchen_data):
    tiny = seg_onnx(tmp_path / "tiny.onnx")
    rc = foodcam("run", "--model", tiny, "--source", kitchen_data / "train" / "images", "--max-frames", 10,
                 "--collect", tmp_path / "c", "--collect-every", 5)
    assert rc == 0
    rows = _index(tmp_path / "c")
    assert len(rows) == 2 and "shares" in rows[0]
    assert 0.0 < rows[0]["uncertainty"] < 1.0  # the tiny model exports logits: entropy computed from them
