"""benchmarks/palette.py: a segmentation model scored on its frames repainted (hue turned, grey, red<->blue)."""

import json

import numpy as np
import pytest

pytest.importorskip("cv2")

from foodcam.benchmarks import palette  # noqa: E402
from foodcam.shipped import shipped  # noqa: E402


def test_repaints_move_the_colours_and_keep_the_light():
    bgr = np.zeros((4, 4, 3), np.uint8)
    bgr[..., 2] = 255  # pure red
    assert tuple(palette.REPAINTS["hue +120"](bgr)[0, 0]) == (0, 255, 0)  # red -> green
    assert tuple(palette.REPAINTS["hue +180"](bgr)[0, 0]) == (255, 255, 0)  # red -> cyan
    assert tuple(palette.REPAINTS["red<->blue"](bgr)[0, 0]) == (255, 0, 0)
    grey = palette.REPAINTS["grey"](bgr)
    assert (grey[..., 0] == grey[..., 1]).all() and (grey[..., 1] == grey[..., 2]).all() and grey[0, 0, 0] > 0
    assert palette.REPAINTS["as drawn"](bgr) is bgr


def test_repainted_split_keeps_its_labels():
    class Split:
        def __len__(self):
            return 1

        def load(self, i):
            return np.full((2, 2, 3), 200, np.uint8), np.array([[0, 1], [2, 255]], np.uint8)

    frame, target = palette.Repainted(Split(), lambda f: 255 - f).load(0)
    assert (frame == 55).all() and target.tolist() == [[0, 1], [2, 255]]


def test_cli_scores_every_repaint_and_the_original_like_eval(kitchen_onnx, kitchen_data, tmp_path, capsys):
    from foodcam.runtime.open import open_model
    from foodcam.train.evaluate import evaluate_model

    assert palette.main(["--weights", str(kitchen_onnx), "--data", str(kitchen_data), "--split", "val",
                         "--out", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "palette.json").read_text())
    assert list(report["repaints"]) == list(palette.REPAINTS)
    plain = evaluate_model(open_model(kitchen_onnx), kitchen_data, "val")
    assert report["repaints"]["as drawn"]["miou"] == pytest.approx(plain["miou"])
    assert all(0 <= r["miou"] <= 1 and set(r["iou"]) == {"stirrer", "pan", "food"} for r in report["repaints"].values())
    assert "| hue +180 |" in capsys.readouterr().out


def test_cli_refuses_bad_input_in_one_line(kitchen_data, tmp_path, capsys):
    assert palette.main(["--weights", str(tmp_path / "nope.onnx"), "--data", str(kitchen_data)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("palette: error:") and "nope.onnx" in err and "\n" not in err
    assert palette.main(["--weights", str(shipped("freshness", "onnx")), "--data", str(kitchen_data)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("palette: error:") and "segmentation" in err and "\n" not in err
