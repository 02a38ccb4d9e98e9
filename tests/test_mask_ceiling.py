"""benchmarks/mask_ceiling.py: the head's ceiling and the cost of a one-pixel outline error."""

import json

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("cv2")

from foodcam.benchmarks import mask_ceiling as mc  # noqa: E402


def _bar() -> np.ndarray:
    truth = np.zeros((40, 30), bool)
    truth[10:30, 10:14] = True  # 20 rows x 4 columns
    return truth


def test_moved_truth_scores_a_bar_exactly():
    truth = _bar()
    moved = mc.moved_truth(truth)
    ious = {m: (p & truth).sum() / (p | truth).sum() for m, p in moved.items()}
    assert ious["shift"] == pytest.approx(60 / 100)  # 3 of 4 columns shared, 5 covered
    assert ious["grow"] == pytest.approx(80 / (22 * 6))
    assert ious["shrink"] == pytest.approx((18 * 2) / 80)


def test_outline_stats_of_a_bar():
    outline, widths = mc.outline_stats(_bar())
    assert outline == 80 - 18 * 2  # every pixel but the 18x2 inside has a 4-neighbour outside
    assert len(widths) == 1 and 2.0 < widths[0] < 4.0


def test_head_ceiling_draws_what_its_grid_can_and_not_what_it_cannot():
    masks = np.zeros((2, 64, 64), np.uint8)
    masks[0, 20:44, 30:33] = 1  # a 3-px bar: a 32x32 score grid upsampled to 64x64 can draw it
    masks[0, 50:, :] = 2
    conf = mc.head_ceiling(masks[:1], 3, grid=32, input_size=64, steps=150).mat
    iou = np.diag(conf) / (conf.sum(0) + conf.sum(1) - np.diag(conf))
    assert iou.min() > 0.99
    masks[1] = (np.indices((64, 64)).sum(0) % 2).astype(np.uint8)  # a 1-px checkerboard: an 8x8 grid cannot
    conf = mc.head_ceiling(masks[1:], 2, grid=8, input_size=64, steps=150).mat
    iou = np.diag(conf) / (conf.sum(0) + conf.sum(1) - np.diag(conf))
    assert iou.max() < 0.75


def test_cli_writes_the_report(kitchen_data, tmp_path, capsys):
    assert mc.main(["--data", str(kitchen_data), "--split", "val", "--grid", "32", "--steps", "5",
                    "--out", str(tmp_path)]) == 0
    report = json.loads((tmp_path / "mask_ceiling.json").read_text())
    assert set(report["classes"]) == {"stirrer", "pan", "food"}
    assert report["frames"] > 0 and report["grid"] == 32
    stirrer = report["classes"]["stirrer"]
    assert 0 < stirrer["iou_shrink_1px"] < 1 and 0 < stirrer["outline_share"] <= 1
    assert "| stirrer |" in capsys.readouterr().out


def test_cli_refuses_bad_input_in_one_line(tmp_path, capsys):
    assert mc.main(["--data", str(tmp_path / "nope"), "--grid", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("mask_ceiling: error:") and "--grid" in err and "\n" not in err
    assert mc.main(["--data", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("mask_ceiling: error:") and "nope" in err and "\n" not in err
