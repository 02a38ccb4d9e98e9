"""foodcam.runtime.metrics against hand-computed examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from foodcam.runtime.metrics import ConfusionMatrix, agreement
from foodcam.runtime.tasks import IGNORE_INDEX

NAMES = ("a", "b", "c")


def _tiny() -> ConfusionMatrix:
    # truth  0 0 1 1 2 2 255 1      (the 255 pixel is ignored whatever is predicted there)
    # pred   0 1 1 1 2 0 2   1
    target = np.array([[0, 0, 1, 1], [2, 2, IGNORE_INDEX, 1]], np.uint8)
    pred = np.array([[0, 1, 1, 1], [2, 0, 2, 1]], np.uint8)
    cm = ConfusionMatrix(3)
    cm.update(pred, target)
    return cm


def test_confusion_matrix_counts_rows_truth_columns_prediction():
    cm = _tiny()
    assert cm.mat.tolist() == [[1, 1, 0], [0, 3, 0], [1, 0, 1]]


def test_metrics_match_hand_computation():
    m = _tiny().metrics(NAMES)
    # tp = [1,3,1]  fp = [1,1,0]  fn = [1,0,1]  tn = [4,3,5]  total 7
    assert m["pixels"] == 7
    assert m["pixel_accuracy"] == pytest.approx(5 / 7)
    expected = {
        "a": dict(accuracy=5 / 7, precision=1 / 2, recall=1 / 2, iou=1 / 3, dice=2 / 4, support=2),
        "b": dict(accuracy=6 / 7, precision=3 / 4, recall=1.0, iou=3 / 4, dice=6 / 7, support=3),
        "c": dict(accuracy=6 / 7, precision=1.0, recall=1 / 2, iou=1 / 2, dice=2 / 3, support=2),
    }
    for name, row in expected.items():
        for key, value in row.items():
            assert m["per_class"][name][key] == pytest.approx(value), (name, key)
    assert m["miou"] == pytest.approx((1 / 3 + 3 / 4 + 1 / 2) / 3)
    assert m["mdice"] == pytest.approx((2 / 4 + 6 / 7 + 2 / 3) / 3)


def test_class_absent_from_truth_and_prediction_is_left_out_of_means():
    cm = ConfusionMatrix(4)
    cm.update(np.array([0, 1, 1, 2]), np.array([0, 1, 2, 2]))
    m = cm.metrics(("a", "b", "c", "d"))
    assert math.isnan(m["per_class"]["d"]["iou"])
    assert m["per_class"]["d"]["support"] == 0
    # a: 1/1, b: 1/2, c: 1/2
    assert m["miou"] == pytest.approx((1 + 0.5 + 0.5) / 3)


def test_updates_accumulate_and_merge_adds():
    a, b = _tiny(), _tiny()
    a.merge(b)
    assert a.mat.tolist() == [[2, 2, 0], [0, 6, 0], [2, 0, 2]]
    c = ConfusionMatrix(3)
    for _ in range(2):
        c.update(np.array([0, 1, 1, 1, 2, 0, 2, 1]), np.array([0, 0, 1, 1, 2, 2, IGNORE_INDEX, 1]))
    assert np.array_equal(a.mat, c.mat)
    assert a.metrics(NAMES)["miou"] == pytest.approx(_tiny().metrics(NAMES)["miou"])


def test_all_ignored_gives_nan_not_an_error():
    cm = ConfusionMatrix(3)
    cm.update(np.zeros(5, np.uint8), np.full(5, IGNORE_INDEX, np.uint8))
    m = cm.metrics(NAMES)
    assert m["pixels"] == 0
    assert math.isnan(m["miou"]) and math.isnan(m["pixel_accuracy"])


def test_shape_mismatch_is_an_error():
    with pytest.raises(ValueError):
        ConfusionMatrix(3).update(np.zeros(4), np.zeros(5))


def test_agreement():
    assert agreement(np.array([1, 2, 3, 4]), np.array([1, 2, 0, 4])) == pytest.approx(0.75)
    assert math.isnan(agreement(np.array([]), np.array([])))


def test_out_of_range_prediction_is_an_error_not_a_hit():
    cm = ConfusionMatrix(3)
    with pytest.raises(ValueError, match="outside 0..2"):
        cm.update(np.array([255, 7]), np.array([2, 2]))
    with pytest.raises(ValueError, match="class names"):
        cm.metrics(["a", "b"])
