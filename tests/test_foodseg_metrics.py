"""Label metrics (micro/macro P/R/F1, mAP, threshold choice) and the LR finder's suggestion, on known numbers."""

from __future__ import annotations

import numpy as np
import pytest

from foodcam.train.foodseg_metrics import (
    average_precision,
    best_threshold,
    label_metrics,
    labels_from_mask,
    score,
)


def test_average_precision_known_ranking():
    # ranking: pos, neg, pos -> precisions at the hits 1/1 and 2/3
    assert average_precision(np.array([0.9, 0.8, 0.7]), np.array([1, 0, 1])) == pytest.approx((1 + 2 / 3) / 2)
    assert np.isnan(average_precision(np.array([0.1, 0.2]), np.array([0, 0])))


def test_label_metrics_micro_macro():
    probs = np.array([[0.9, 0.2, 0.6], [0.1, 0.8, 0.4], [0.7, 0.3, 0.1]])
    truth = np.array([[1, 0, 1], [0, 1, 1], [1, 0, 0]])
    m = label_metrics(probs, truth, 0.5, ["a", "b", "c"])
    # at 0.5: tp a2 b1 c1, fp 0, fn c1 -> micro P 1, R 4/5, F1 8/9
    assert m["micro_precision"] == 1.0 and m["micro_recall"] == pytest.approx(0.8)
    assert m["micro_f1"] == pytest.approx(8 / 9)
    assert m["macro_f1"] == pytest.approx((1 + 1 + 2 / 3) / 3)
    assert m["per_class"]["c"]["support"] == 2 and m["map"] == pytest.approx(1.0)
    assert best_threshold(probs, truth) == pytest.approx(0.4)  # c's second positive sits at 0.4


def test_labels_from_mask_and_score():
    mask = np.zeros((200, 200), np.uint8)
    mask[:10, :10] = 2
    mask[50, 50] = 1  # a single pixel of 32,000 labelled ones: below the share a food needs to count
    mask[160:, :] = 255
    assert labels_from_mask(mask, 3).tolist() == [0.0, 1.0, 0.0]
    assert score({"miou": 0.6, "labels": {"x": {"micro_f1": 0.8}}}) == pytest.approx(0.7)


def test_lr_finder_suggests_the_steepest_descent():
    from foodcam.train.lr_find import suggest

    rates = list(np.logspace(-6, 0, 40))
    x = np.log10(rates)
    losses = list(2.0 - 1.5 / (1 + np.exp(-(x + 3.0) * 3)) + np.where(x > -1.5, (x + 1.5) ** 2 * 4, 0))
    lr = suggest(rates, losses)
    assert 10 ** -3.6 < lr < 10 ** -2.4  # the sigmoid's steepest point is at 1e-3
