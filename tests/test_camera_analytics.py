"""Kitchen analytics against ground truth: shares, pan coverage, stirrer geometry, debounced events."""

from __future__ import annotations

import numpy as np
import pytest

from foodcam.camera.analytics import KitchenAnalytics
from foodcam.runtime.errors import FoodcamError
from foodcam.runtime.tasks import FRESHNESS, KITCHEN
from foodcam.scenes import KitchenFeed

STIRRER, PAN, FOOD = (KITCHEN.seg_head.classes.index(c) for c in ("stirrer", "pan", "food"))


def scene(stirrer: bool, food_rows: int = 20, size: int = 40) -> np.ndarray:
    m = np.full((size, size), PAN, np.uint8)
    m[size - food_rows:, :] = FOOD
    if stirrer:
        m[4:10, 30:36] = STIRRER
    return m


def test_presence_events_follow_ground_truth_with_hysteresis():
    truth = [False] * 10 + [True] * 20 + [False] * 10 + [True] + [False] * 9  # a one-frame flicker at 40
    a = KitchenAnalytics(KITCHEN, on_frames=3, off_frames=3)
    events = []
    for i, present in enumerate(truth):
        state, ev = a.update(scene(present), i, i / 10)
        events += ev
    names = [(e["event"], e["frame"]) for e in events if e["event"].startswith("stirrer")]
    assert names == [("stirrer_appeared", 12), ("stirrer_left", 32)]  # the flicker raised nothing
    appeared = next(e for e in events if e["event"] == "stirrer_appeared")
    assert appeared["centroid"] == pytest.approx([33 / 40, 7 / 40], abs=0.02)
    assert appeared["bbox"] == pytest.approx([30 / 40, 4 / 40, 36 / 40, 10 / 40])
    left = next(e for e in events if e["event"] == "stirrer_left")
    assert left["duration_s"] == pytest.approx(2.0)
    assert state["stirrer"]["present"] is False and state["stirrer"]["centroid"] is None


def test_shares_and_coverage():
    a = KitchenAnalytics(KITCHEN, smoothing=1.0)  # no smoothing: the raw values
    state, _ = a.update(scene(False, food_rows=20), 0, 0.0)
    assert state["shares"] == {"stirrer": 0.0, "pan": 0.5, "food": 0.5}
    assert state["coverage"] == pytest.approx(0.5, abs=0.03)  # the pan region is symmetric about the middle
    full, _ = a.update(scene(False, food_rows=40), 1, 0.1)
    assert full["coverage"] == 1.0
    # stirrer pixels count for neither food nor pan
    m = scene(False, food_rows=40)
    m[10:30, 10:30] = STIRRER
    s, _ = a.update(m, 2, 0.2)
    assert s["coverage"] == 1.0 and s["shares"]["stirrer"] == pytest.approx(0.25)


def test_coverage_events_and_smoothing():
    a = KitchenAnalytics(KITCHEN, smoothing=0.5, coverage_step=0.1)
    covs, events = [], []
    for i in range(30):
        rows = 10 if i < 10 else 30  # food added at frame 10
        state, ev = a.update(scene(False, food_rows=rows), i, float(i))
        covs.append(state["coverage"])
        events += ev
    assert covs[9] < 0.3 and covs[-1] > 0.7
    assert covs[10] < covs[11] < covs[12]  # eased in, not a jump
    changes = [e for e in events if e["event"] == "coverage_changed"]
    assert changes and changes[0]["frame"] >= 10
    assert changes[0]["from"] < changes[-1]["to"]
    assert all(abs(e["to"] - e["from"]) > 0.1 for e in changes)


def test_events_match_the_synthetic_kitchen_ground_truth():
    """The live kitchen (seed 2) takes the stirrer out around frame 76 and brings it back around 128."""
    feed = KitchenFeed(size=(80, 60), seed=2)
    a = KitchenAnalytics(KITCHEN, on_frames=3, off_frames=3)
    gt, events = [], []
    for i in range(160):
        _, mask = feed.next()
        gt.append(bool((mask == STIRRER).mean() > a.presence_share))
        _, ev = a.update(mask, i, i / 15)
        events += [e for e in ev if e["event"].startswith("stirrer")]
    flips = [i for i in range(1, len(gt)) if gt[i] != gt[i - 1]]
    assert len(flips) >= 2, "the scene should contain an absence"
    # every lasting change of the truth (starting from "absent") is reported once, on its third frame
    expected, state = [], False
    for s, e in zip([0, *flips], [*flips, len(gt)]):
        if e - s >= 3 and gt[s] != state:
            state = gt[s]
            expected.append(("stirrer_appeared" if state else "stirrer_left", s + 2))
    assert len(expected) >= 2
    assert [(e["event"], e["frame"]) for e in events] == expected


def test_needs_a_kitchen_task():
    assert not KitchenAnalytics.supports(FRESHNESS)
    with pytest.raises(FoodcamError, match="kitchen analytics"):
        KitchenAnalytics(FRESHNESS)
